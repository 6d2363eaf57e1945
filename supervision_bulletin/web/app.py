"""`bulletin serve`: the campaign's whole cycle in a browser.

Starlette routes over the same functions the commands call: check and the
intake (uploads), forms and answer forms, build and build_all (in a worker
thread, its progress polled by htmx), the record, verify. Pages are Jinja2
templates in supervision_bulletin/web/templates, htmx and the style sheet are static files.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
import threading
import zipfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from supervision_bulletin import guard
from supervision_bulletin.answer_forms import make_answer_forms
from supervision_bulletin.build import BuildOptions
from supervision_bulletin.calendar import resolve
from supervision_bulletin.forms import make_forms, parse_month
from supervision_bulletin.periods import PeriodError, parse_period
from supervision_bulletin.problems import InputError
from supervision_bulletin.record import RecordError
from supervision_bulletin.values import printable
from supervision_bulletin.web import views
from supervision_bulletin.web.jobs import Builds
from supervision_bulletin.web.preview import Pdfium
from supervision_bulletin.web.security import (
    CSRF_FIELD,
    BodyTooLarge,
    LimitBody,
    Password,
    csrf_ok,
    csrf_token,
    too_large_response,
)
from supervision_bulletin.web.workspace import ANSWER, MAX_UPLOAD_BYTES, REPORT, Workspace, warm_renderers

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
MAX_FILES_PER_UPLOAD = 40
SESSION_HOURS = 12
STOP_WAIT_SECONDS = 120  # a build under way when the server is stopped is let finish
NAV = (
    ("/", "概览"),
    ("/upload", "上传月报和反馈"),
    ("/forms", "填报表"),
    ("/build", "生成公文"),
    ("/numbers", "文号登记簿"),
)


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def short_date(day: dt.date | None) -> str:
    return f"{day.month}月{day.day}日" if day else "—"


TEMPLATES.env.filters["q"] = lambda text: quote(str(text), safe="")
TEMPLATES.env.filters["cn_date"] = chinese_date
TEMPLATES.env.filters["short_date"] = short_date
TEMPLATES.env.filters["megabytes"] = guard.megabytes
TEMPLATES.env.filters["printable"] = lambda text: printable(str(text)) if text is not None else ""
TEMPLATES.env.globals["state_class"] = lambda state: views.STATE_CLASSES.get(state, "none")
TEMPLATES.env.globals["kind_names"] = views.KIND_NAMES


@dataclass
class Settings:
    inputs_dir: Path
    out_dir: Path
    password: Password | None = None
    secret_key: str = ""
    warm: bool = True  # set the renderers up at start, so the first build is quick


def page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("nav", NAV)
    context["csrf"] = csrf_token(request)
    context["signed_in"] = bool(request.session.get("signed_in"))
    context["needs_password"] = request.app.state.settings.password is not None
    context["path"] = request.url.path
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def workspace_of(request: Request) -> Workspace:
    return request.app.state.workspace


def message_page(request: Request, title: str, text: str, status_code: int = 400, back: str = "/") -> HTMLResponse:
    return page(request, "message.html", status_code, title=title, text=text, back=back)


# POST: size, form, CSRF ---------------------------------------------------------------------


async def posted_form(request: Request) -> FormData | Response:
    """The POSTed form, or the response refusing it (too large, malformed, no CSRF token)."""
    try:
        form = await request.form(max_files=MAX_FILES_PER_UPLOAD, max_fields=100, max_part_size=64 * 1024)
    except BodyTooLarge:
        return too_large_response()
    except (MultiPartException, HTTPException) as error:  # Starlette raises the latter for the former
        too_many = "Too many files" in str(getattr(error, "detail", error))
        text = (f"一次最多上传 {MAX_FILES_PER_UPLOAD} 个文件，请分几次上传。" if too_many
                else "提交的内容无法读取，请刷新页面后重试。")
        return message_page(request, "无法处理提交的内容", text, 400, back="/upload")
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        await form.close()
        return message_page(
            request, "请求被拒绝",
            "页面已过期或请求不是从本页面发出的（缺少安全令牌）。请刷新页面后重新操作。", 403,
        )
    return form


# sign-in ---------------------------------------------------------------------------------------

OPEN_PATHS = ("/login", "/static/")


class RequireSignIn:
    """With a password set, every page but the sign-in page needs a signed-in session."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.settings.password is None:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope["session"].get("signed_in") or path == "/login" or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        target = "/login?next=" + quote(path, safe="/")
        headers = dict(scope.get("headers") or [])
        if headers.get(b"hx-request"):
            response: Response = Response(status_code=401, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        await response(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = str(scope.get("path", "")).startswith("/static/")

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                    (b"referrer-policy", b"same-origin"),
                    (b"cache-control", b"max-age=3600" if static else b"no-store"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending if scope["type"] == "http" else send)


async def login_form(request: Request) -> Response:
    if request.app.state.settings.password is None or request.session.get("signed_in"):
        return RedirectResponse("/", status_code=303)
    return page(request, "login.html", next=safe_next(request.query_params.get("next")), wrong=False)


async def login(request: Request) -> Response:
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    password = request.app.state.settings.password
    target = safe_next(str(form.get("next") or "/"))
    if password is None:
        return RedirectResponse("/", status_code=303)
    attempt = str(form.get("password") or "")
    if not await run_in_threadpool(password.matches, attempt):
        return page(request, "login.html", 401, next=target, wrong=True)
    request.session.clear()
    request.session["signed_in"] = True
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)  # a new session gets a new token
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    request.session.clear()
    return RedirectResponse("/login" if request.app.state.settings.password else "/", status_code=303)


def safe_next(target: str | None) -> str:
    """Only a path of this site: never //host or a full address."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


# overview -------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    found = await run_in_threadpool(views.overview, workspace_of(request))
    return page(request, "home.html", overview=found, builds=request.app.state.builds)


# uploads ------------------------------------------------------------------------------------


async def upload_form(request: Request, trials=(), kind: str = REPORT, month: str | None = None,
                      status_code: int = 200) -> Response:
    workspace = workspace_of(request)
    checked = await run_in_threadpool(workspace.checked)
    today = dt.date.today()
    month = month or views.next_report_month(checked.inputs, today)
    present = await run_in_threadpool(views.input_files, workspace, "reports")
    answers = await run_in_threadpool(views.input_files, workspace, "answers")
    return page(
        request, "upload.html", status_code, trials=trials, kind=kind, month=month,
        months=views.campaign_months(checked.inputs, today), checked=checked, reports=present, answers=answers,
        limit=MAX_UPLOAD_BYTES, max_files=MAX_FILES_PER_UPLOAD,
    )


async def upload(request: Request) -> Response:
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    workspace = workspace_of(request)
    kind = str(form.get("kind") or REPORT)
    month = str(form.get("month") or "") or None
    files = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    trials = []
    try:
        for item in files:
            if not item.filename and not item.size:
                continue
            data = await item.read(MAX_UPLOAD_BYTES + 1)
            trials.append(await run_in_threadpool(workspace.try_upload, kind, item.filename or "", data, month))
    finally:
        await form.close()
    if not trials:
        return await upload_form(request, (), kind, month, 400)
    status = 200 if all(t.accepted for t in trials) else 422
    return await upload_form(request, trials, kind, month, status)


# forms ---------------------------------------------------------------------------------------


async def forms_page(request: Request, made=None, error=None, status_code: int = 200) -> Response:
    workspace = workspace_of(request)
    checked = await run_in_threadpool(workspace.checked)
    today = dt.date.today()
    return page(
        request, "forms.html", status_code, checked=checked, folders=views.forms_folders(workspace.out_dir),
        months=views.campaign_months(checked.inputs, today), month=views.next_report_month(checked.inputs, today),
        made=made, error=error,
    )


async def forms_make(request: Request) -> Response:
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    workspace = workspace_of(request)
    kind = str(form.get("kind") or "reports")

    def make():
        inputs = workspace.inputs()
        if kind == "answers":
            answer_forms = make_answer_forms(inputs, workspace.record, workspace.out_dir, dt.date.today())
            return answer_forms.folder.name, len(answer_forms.files)
        parsed = parse_month(str(form.get("month") or ""))
        if parsed is None:
            raise ValueError("请选择月份")
        made = make_forms(inputs, workspace.out_dir, *parsed)
        return made.folder.name, len(made.files)

    try:
        folder, count = await run_in_threadpool(make)
    except InputError as error:
        return await forms_page(request, error=error, status_code=422)
    except (ValueError, OSError, RecordError) as error:
        return await forms_page(request, error=str(error), status_code=422)
    return RedirectResponse(f"/forms?made={quote(folder)}&count={count}", status_code=303)


async def forms_download(request: Request) -> Response:
    workspace = workspace_of(request)
    path = views.forms_file(workspace.out_dir, request.path_params["folder"], request.path_params["name"])
    if path is None:
        return message_page(request, "找不到文件", "该填报表不存在，可能已重新生成，请返回填报表页面。", 404, "/forms")
    return download(path)


async def forms_zip(request: Request) -> Response:
    workspace = workspace_of(request)
    folder = views.forms_file(workspace.out_dir, request.path_params["folder"])
    if folder is None:
        return message_page(request, "找不到文件", "该填报表文件夹不存在，请返回填报表页面。", 404, "/forms")
    data = await run_in_threadpool(zip_folder, folder)
    return Response(data, media_type="application/zip", headers=attachment(f"填报表-{folder.name}.zip"))


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                archive.write(path, f"{folder.name}/{path.name}")
    return buffer.getvalue()


# builds ------------------------------------------------------------------------------------


async def build_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    workspace = workspace_of(request)
    found = await run_in_threadpool(views.overview, workspace)
    folders = await run_in_threadpool(views.built_folders, workspace.out_dir)
    return page(request, "build.html", status_code, overview=found, builds=request.app.state.builds,
                folders=folders, error=error)


async def build_start(request: Request) -> Response:
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    builds: Builds = request.app.state.builds
    whole_year = form.get("scope") == "year"
    try:
        period = parse_period(str(form.get("period") or ""))
        checked = await run_in_threadpool(workspace_of(request).checked)
        if checked.inputs is not None:  # the document the typed period names (2023-06 → 2023-H1)
            period = resolve(checked.inputs.campaign, period)
    except PeriodError as error:
        return await build_page(request, str(error), 400)
    issue_date = None
    text = str(form.get("date") or "").strip()
    if text and not whole_year:
        try:
            issue_date = dt.date.fromisoformat(text)
        except ValueError:
            return await build_page(request, f"成文日期“{text}”应写作 2023-10-09", 400)
    draft = form.get("mode") == "draft"
    options = BuildOptions(draft=draft, issue_date=issue_date, verify_strict=False)
    job = builds.start(period, options, whole_year=whole_year)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def job_of(request: Request):
    try:
        return request.app.state.builds.get(int(request.path_params["job"]))
    except ValueError:
        return None


async def job_page(request: Request) -> Response:
    job = job_of(request)
    if job is None:
        return message_page(request, "找不到这次生成", "这次生成的记录已不在（服务重新启动后不再保留），请到“生成公文”查看结果。",
                            404, "/build")
    return page(request, "job.html", job=job)


async def job_status(request: Request) -> Response:
    job = job_of(request)
    if job is None:
        return HTMLResponse("<p>这次生成的记录已不在。</p>", status_code=404)
    response = page(request, "_job_status.html", job=job)
    return response


# outputs --------------------------------------------------------------------------------------


def folder_of(request: Request) -> views.BuiltFolder | None:
    return views.read_folder(workspace_of(request).out_dir, request.path_params["folder"])


async def outputs_page(request: Request) -> Response:
    folder = await run_in_threadpool(folder_of, request)
    if folder is None:
        return message_page(request, "找不到公文", "该周期尚未生成或已被移走，请到“生成公文”重新生成。", 404, "/build")
    builds: Builds = request.app.state.builds
    checked = request.app.state.verified.get(folder.name)
    findings = checked if checked is not None else builds.findings.get(folder.name)
    return page(request, "outputs.html", folder=folder, findings=findings, verified=checked is not None)


async def outputs_verify(request: Request) -> Response:
    form = await posted_form(request)
    if isinstance(form, Response):
        return form
    folder = await run_in_threadpool(folder_of, request)
    if folder is None:
        return message_page(request, "找不到公文", "该周期尚未生成或已被移走。", 404, "/build")
    out_dir = workspace_of(request).out_dir
    paths = [out_dir / folder.name / name for name in sorted(folder.file_names()) if name.endswith((".pdf", ".docx"))]
    pdfium: Pdfium = request.app.state.pdfium
    request.app.state.verified[folder.name] = tuple(await run_in_threadpool(pdfium.verify, paths))
    return RedirectResponse(f"/outputs/{quote(folder.name)}#verify", status_code=303)


def output_file(request: Request) -> tuple[views.BuiltFolder | None, Path | None]:
    folder = folder_of(request)
    name = request.path_params["name"]
    if folder is None or name not in folder.file_names():
        return folder, None
    path = workspace_of(request).out_dir / folder.name / name
    return folder, path if path.is_file() else None


async def outputs_file(request: Request) -> Response:
    _folder, path = await run_in_threadpool(output_file, request)
    if path is None:
        return message_page(request, "找不到文件", "该文件不存在，可能已重新生成，请返回公文列表。", 404, "/build")
    if path.suffix == ".html" and request.query_params.get("view"):
        # The document's own page, shown in a frame: no script may run in it.
        return FileResponse(path, media_type="text/html; charset=utf-8", headers={
            "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                       "font-src data:",
        })
    return download(path)


async def preview_page(request: Request) -> Response:
    folder, path = await run_in_threadpool(output_file, request)
    if folder is None or path is None or path.suffix != ".pdf":  # a file found is in a folder found
        return message_page(request, "找不到文件", "该 PDF 文件不存在，可能已重新生成，请返回公文列表。", 404, "/build")
    pdfium: Pdfium = request.app.state.pdfium
    pages = await run_in_threadpool(pdfium.pages, path)
    document = next((d for d in folder.documents if d.files.get("pdf") == path.name), None)
    return page(request, "preview.html", folder=folder, document=document, name=path.name, pages=pages)


async def preview_png(request: Request) -> Response:
    _folder, path = await run_in_threadpool(output_file, request)
    if path is None or path.suffix != ".pdf":
        return Response(status_code=404)
    pdfium: Pdfium = request.app.state.pdfium
    try:
        index = int(request.path_params["page"]) - 1
        if not 0 <= index < await run_in_threadpool(pdfium.pages, path):
            raise ValueError
    except ValueError:
        return Response(status_code=404)
    data = await run_in_threadpool(pdfium.picture, path, index)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})


# record ------------------------------------------------------------------------------------


async def numbers_page(request: Request) -> Response:
    workspace = workspace_of(request)
    error = ""
    try:
        documents = await run_in_threadpool(workspace.record.documents)
    except RecordError as failure:
        documents, error = [], str(failure)
    voided = sum(1 for d in documents if d.state != "已发布")
    return page(request, "numbers.html", documents=documents, error=error, voided=voided,
                record=workspace.record.path)


# files ---------------------------------------------------------------------------------------

MEDIA = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}


def attachment(name: str) -> dict[str, str]:
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"}


def download(path: Path) -> Response:
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                        headers=attachment(path.name))


async def not_found(request: Request, exc) -> Response:
    return message_page(request, "找不到页面", "没有这个页面，请从上方的菜单进入。", 404)


async def server_error(request: Request, exc) -> Response:
    log.error("page %s failed", request.url.path, exc_info=exc)
    return HTMLResponse(
        "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>出错了</title>"
        "<body style=\"font-family:sans-serif;padding:2em\"><h1>页面出错了</h1>"
        "<p>处理这个页面时程序出错，输入文件和已生成的公文没有改动。请返回重试；反复出现时请把启动工作台的窗口中显示的内容发给技术人员。</p>"
        "<p><a href=\"/\">返回概览</a></p></body></html>",
        status_code=500,
    )


# the application ---------------------------------------------------------------------------------


def create_app(settings: Settings) -> Starlette:
    workspace = Workspace(settings.inputs_dir, settings.out_dir)
    settings.secret_key = settings.secret_key or secrets.token_urlsafe(32)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if settings.warm:
            # Fonts, templates and CSS once, now, rather than at the first build; the
            # workers each build forks then start warm.
            threading.Thread(target=warm_renderers, name="warm-renderers", daemon=True).start()
        yield
        builds: Builds = app.state.builds
        if builds.current is not None:
            log.warning("正在等待 %s 生成完成后停止……", builds.current.label)
            await run_in_threadpool(builds.wait_idle, STOP_WAIT_SECONDS)
        app.state.pdfium.close()

    routes = [
        Route("/", home),
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/upload", upload_get, methods=["GET"]),
        Route("/upload", upload, methods=["POST"]),
        Route("/forms", forms_get, methods=["GET"]),
        Route("/forms", forms_make, methods=["POST"]),
        Route("/forms/{folder}.zip", forms_zip),
        Route("/forms/{folder}/{name}", forms_download),
        Route("/build", build_get, methods=["GET"]),
        Route("/build", build_start, methods=["POST"]),
        Route("/jobs/{job}", job_page),
        Route("/jobs/{job}/status", job_status),
        Route("/outputs/{folder}", outputs_page),
        Route("/outputs/{folder}/verify", outputs_verify, methods=["POST"]),
        Route("/outputs/{folder}/files/{name}", outputs_file),
        Route("/outputs/{folder}/preview/{name}", preview_page),
        Route("/outputs/{folder}/pages/{name}/{page}.png", preview_png),
        Route("/numbers", numbers_page),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(LimitBody),
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="bulletin_session",
                   max_age=SESSION_HOURS * 3600, same_site="lax"),
        Middleware(RequireSignIn, settings=settings),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={404: not_found, 500: server_error})
    app.state.settings = settings
    app.state.workspace = workspace
    app.state.builds = Builds(workspace)
    app.state.pdfium = Pdfium()
    app.state.verified = {}
    return app


async def upload_get(request: Request) -> Response:
    kind = ANSWER if request.query_params.get("kind") == ANSWER else REPORT
    return await upload_form(request, kind=kind)


async def forms_get(request: Request) -> Response:
    made = request.query_params.get("made")
    return await forms_page(request, made=made)


async def build_get(request: Request) -> Response:
    return await build_page(request)
