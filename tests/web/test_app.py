"""`bulletin serve` through Starlette's test client: uploads, forms, builds, downloads,
the build lock, sign-in, CSRF, upload limits and file names that try to escape."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import threading
import time
import zipfile

import pytest
from click.testing import CliRunner

from supervision_bulletin.build import BuildOptions, check
from supervision_bulletin.cli import main
from supervision_bulletin.periods import parse_period
from supervision_bulletin.record import CampaignRecord, Publication, build_lock
from supervision_bulletin.web.app import Settings, create_app
from supervision_bulletin.web.jobs import DONE, WAIT_FOR_LOCK, WAITING
from supervision_bulletin.web.server import ServeError, settings_for
from supervision_bulletin.web.workspace import Workspace
from tests.web.conftest import SAMPLE, TestClient, make_workspace, sample_report, token, with_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, path_or_bytes, name: str, kind: str = "report", month: str = "2023-02", csrf: str | None = None):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return client.post(
        "/upload", data={"csrf": csrf or token(client, "/upload"), "kind": kind, "month": month},
        files=[("files", (name, data, XLSX))],
    )


def wait_for(client, job_url: str, state: str = DONE, seconds: float = 240) -> str:
    deadline = time.time() + seconds
    while time.time() < deadline:
        text = client.get(job_url + "/status").text
        if f'data-state="{state}"' in text:
            return text
        if 'data-state="未完成"' in text and state != "未完成":
            raise AssertionError(text)
        time.sleep(0.3)
    raise AssertionError(f"{job_url} not {state} after {seconds} s: {text}")


def start_build(client, period: str, mode: str = "official", **extra):
    response = client.post("/build", data={"csrf": token(client, "/build"), "period": period, "mode": mode, **extra},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


# the campaign at a glance ------------------------------------------------------------------


def test_overview_shows_calendar_receipts_and_notices(client, workspace):
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "2023年老城区高质量发展赶超活动" in text
    assert "督查日历" in text and "季度通报" in text and "年底交账通报" in text
    assert "可生成" in text  # January has data, nothing issued yet
    assert "缺少月报" in text  # later months are past their due date without reports
    assert "月报报送情况" in text and "区发改委" in text
    assert "督办通知与整改反馈" in text and "还没有发出督办通知" in text


def test_overview_lists_a_recorded_notice_and_its_state(client, workspace):
    record = CampaignRecord(workspace / "registry.sqlite")
    issued = dt.date(2023, 4, 7)
    record.publish("老城督查", 2023, "2023-Q1", [
        Publication("2023-Q1/quarterly_bulletin/", 1, "quarterly_bulletin", None, "第一季度通报", issued, issued),
        Publication("2023-Q1/notice/区金融局", 2, "notice", "区金融局", "督办通知", issued, issued,
                    deadline=dt.date(2023, 4, 21)),
    ], lambda: None)
    text = client.get("/").text
    assert "老城督查〔2023〕2号" in text and "逾期未反馈" in text
    numbers = client.get("/numbers").text
    assert "老城督查〔2023〕1号" in numbers and "第一季度通报" in numbers and "区金融局" in numbers
    # The answer form of that notice, for the unit to fill in.
    response = client.post("/forms", data={"csrf": token(client, "/forms"), "kind": "answers"})
    assert response.status_code == 200 and "区金融局.xlsx" in response.text


def test_overview_does_not_close_a_notice_the_figures_contradict(tmp_path):
    # 区旧改中心 answered 9号 "整改到位" (the sample's answer); the latest cut-off's figures
    # have 22-2 unreported: still open, and the page says why, as the documents do.
    workspace = make_workspace(tmp_path, months=(1, 2, 3), answers=True)
    issued = dt.date(2023, 7, 6)
    CampaignRecord(workspace / "registry.sqlite").publish("老城督查", 2023, "2023-H1", [
        Publication("2023-H1/half_year_summary/", 7, "half_year_summary", None, "上半年工作通报", issued, issued),
        Publication("2023-H1/notice/区旧改中心", 9, "notice", "区旧改中心", "督办通知", issued, issued,
                    deadline=dt.date(2023, 7, 20), subjects=("22-2 建成棚改安置房",)),
    ], lambda: None)
    with TestClient(create_app(Settings(workspace, workspace.parent / "outputs", warm=False))) as client:
        text = client.get("/").text
    assert "老城督查〔2023〕9号" in text and "报告已整改到位，但“建成棚改安置房”仍未报送，暂不销号" in text


# uploads -------------------------------------------------------------------------------------


def test_good_report_lands_where_a_user_would_put_it(client, workspace):
    response = upload(client, sample_report(2), "2023-02.xlsx")
    assert response.status_code == 200, response.text
    # 44 indicators and 14 units' own shares (plan sheet 分解) in the sample's February report.
    assert "已放入" in response.text and "读入 58 行（采用 58）" in response.text
    placed = workspace / "reports" / "2023-02" / "2023-02.xlsx"
    assert placed.read_bytes() == sample_report(2).read_bytes()
    assert "可生成" in client.get("/build").text


def test_per_unit_files_and_an_answer_land_in_their_folders(tmp_path):
    inputs = make_workspace(tmp_path, months=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
    with TestClient(create_app(Settings(inputs, tmp_path / "outputs", warm=False))) as client:
        folder = sample_report(11).with_suffix("")  # reports/2023-11/: one file per unit
        csrf = token(client, "/upload")
        files = [("files", (path.name, path.read_bytes(), XLSX)) for path in sorted(folder.glob("*.xlsx"))[:3]]
        response = client.post("/upload", data={"csrf": csrf, "kind": "report", "month": "2023-11"}, files=files)
        assert response.status_code == 200 and response.text.count("已放入：") == 3
        for _, (name, _, _) in files:
            assert (inputs / "reports" / "2023-11" / name).is_file()
        answer_file = sorted((SAMPLE / "answers").glob("*.xlsx"))[0]
        response = upload(client, answer_file, answer_file.name, kind="answer", csrf=csrf)
        assert response.status_code == 200 and "已放入" in response.text
        assert (inputs / "answers" / answer_file.name).is_file()
        # The record holds no notice yet: the page says what the build will say.
        assert "提醒" in response.text and "文号登记簿中没有" in response.text


def test_bad_report_shows_the_located_problem_and_is_not_kept(client, workspace, tmp_path):
    bad = with_cell(sample_report(2), tmp_path / "2023-02.xlsx", "C3", "二十五")
    response = upload(client, bad, "2023-02.xlsx")
    assert response.status_code == 422
    text = response.text
    assert "未放入" in text and "没有保存" in text
    assert "reports/2023-02/2023-02.xlsx" in text
    assert "填报" in text and ">3<" in text and "<b>C</b> 完成值" in text
    assert "完成值“二十五”不是数字" in text
    assert not (workspace / "reports" / "2023-02").exists()
    # Fixed, it is taken.
    fixed = with_cell(sample_report(2), tmp_path / "fixed.xlsx", "C3", 25)
    response = upload(client, fixed, "2023-02.xlsx")
    assert response.status_code == 200 and "已放入" in response.text
    assert (workspace / "reports" / "2023-02" / "2023-02.xlsx").is_file()


def test_a_file_that_is_not_a_workbook_is_refused(client, workspace):
    response = upload(client, b"not a workbook at all", "月报.xlsx")
    assert response.status_code == 422 and "无法作为 Excel 工作簿打开" in response.text
    response = upload(client, b"MZ\x90\x00", "setup.exe")
    assert response.status_code == 422 and "不是表格文件" in response.text
    assert not (workspace / "reports" / "2023-02").exists()


def test_a_replaced_upload_is_kept_under_outputs(client, workspace):
    upload(client, sample_report(2), "2023-02.xlsx")
    response = upload(client, sample_report(2), "2023-02.xlsx")
    assert response.status_code == 200 and "替换了原有的同名文件" in response.text
    kept = list((workspace.parent / "outputs" / "被替换的上传文件").rglob("2023-02.xlsx"))
    assert len(kept) == 1


@pytest.mark.parametrize("name, lands_as", [
    ("../../x.xlsx", "x.xlsx"),
    ("..\\..\\..\\x.xlsx", "x.xlsx"),
    ("/etc/cron.d/x.xlsx", "x.xlsx"),
    ("C:\\Windows\\x.xlsx", "x.xlsx"),
    (".hidden.xlsx", "hidden.xlsx"),  # the loader would skip a hidden file
    ("~$lock.xlsx", "lock.xlsx"),  # or an Office lock file
    ("CON.xlsx", "_CON-"),  # a Windows device name
    ('a:b*c?.xlsx', "b_c_-"),  # a: is a drive on Windows
])
def test_uploaded_names_never_leave_inputs(client, workspace, tmp_path, name, lands_as):
    response = upload(client, sample_report(2), name)
    assert response.status_code == 200, response.text
    placed = [p for p in workspace.rglob("*.xlsx") if p.parent.name == "2023-02"]
    assert len(placed) == 1 and placed[0].name.startswith(lands_as)
    assert placed[0].resolve().is_relative_to(workspace.resolve())
    outside = [p for p in tmp_path.rglob("x.xlsx") if not p.resolve().is_relative_to(workspace.resolve())]
    assert outside == []


def test_a_month_that_would_escape_is_refused(client, workspace):
    response = upload(client, sample_report(2), "x.xlsx", month="../../etc")
    assert response.status_code == 422 and "请选择月报所属的月份" in response.text
    assert not list(workspace.parent.rglob("etc"))


def test_upload_size_limits(client, workspace):
    big = b"PK\x03\x04" + b"\0" * (16 * 2**20 + 1)
    response = upload(client, big, "2023-02.xlsx")
    assert response.status_code == 422
    assert "超过上传上限 16 MB" in response.text
    assert not (workspace / "reports" / "2023-02").exists()
    # A request larger than any upload is refused before it is read.
    huge = client.post("/upload", content=b"x" * 10, headers={"content-length": str(2**30),
                                                                "content-type": "multipart/form-data; boundary=x"})
    assert huge.status_code == 413 and "上传的内容过大" in huge.text
    # Sent without a length, it is cut off once the limit has come.
    chunks = (b"x" * 2**20 for _ in range(80))
    streamed = client.post("/upload", content=chunks, headers={"content-type": "multipart/form-data; boundary=x"})
    assert streamed.status_code == 413 and "上传的内容过大" in streamed.text


# CSRF and sign-in -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/upload", "/build", "/forms", "/logout", "/outputs/2023-01/verify"])
def test_post_without_the_token_is_forbidden(client, workspace, path):
    client.get("/")
    response = client.post(path, data={"period": "2023-01", "kind": "reports", "month": "2023-02"})
    assert response.status_code == 403
    assert "缺少安全令牌" in response.text
    response = client.post(path, data={"csrf": "guessed", "period": "2023-01"})
    assert response.status_code == 403
    assert not (workspace.parent / "outputs" / "2023-01").exists()
    assert client.app.state.builds.recent() == []


def test_another_session_token_does_not_pass(client, workspace):
    other = TestClient(client.app)
    stolen = token(other)
    response = client.post("/build", data={"csrf": stolen, "period": "2023-01"})
    assert response.status_code == 403


def test_serving_beyond_this_computer_needs_a_password(tmp_path, workspace):
    with pytest.raises(ServeError, match="必须设置密码"):
        settings_for(workspace, tmp_path / "out", "0.0.0.0", None)
    result = CliRunner().invoke(main, ["serve", "--inputs", str(workspace), "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "--password-file" in result.output and "无法启动" in result.output
    assert settings_for(workspace, tmp_path / "out", "127.0.0.1", None).password is None
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ServeError, match="是空的"):
        settings_for(workspace, tmp_path / "out", "0.0.0.0", empty)
    good = tmp_path / "password.txt"
    good.write_text("区督查室-2023\n", encoding="utf-8")
    settings = settings_for(workspace, tmp_path / "out", "0.0.0.0", good)
    assert settings.password.matches("区督查室-2023") and not settings.password.matches("区督查室-2024")
    assert "区督查室" not in repr(vars(settings.password))  # only a salted hash is kept


def test_sign_in(locked_client):
    client = locked_client
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/numbers", follow_redirects=False).status_code == 303
    assert client.get("/static/app.css").status_code == 200
    login = client.get("/login")
    assert "请输入密码" in login.text
    csrf = token(client, "/login")
    wrong = client.post("/login", data={"csrf": csrf, "password": "错误的密码", "next": "/numbers"})
    assert wrong.status_code == 401 and "密码不正确" in wrong.text
    assert client.get("/", follow_redirects=False).status_code == 303
    no_token = client.post("/login", data={"password": "正确的密码-2023"})
    assert no_token.status_code == 403
    right = client.post("/login", data={"csrf": csrf, "password": "正确的密码-2023", "next": "//evil.example/"},
                        follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert client.get("/").status_code == 200
    assert "文号登记簿" in client.get("/numbers").text
    # Signing in gave the session a new token: the old one no longer passes.
    assert client.post("/build", data={"csrf": csrf, "period": "2023-01"}).status_code == 403
    client.post("/logout", data={"csrf": token(client)})
    assert client.get("/", follow_redirects=False).status_code == 303


# builds ------------------------------------------------------------------------------------------


def test_build_download_and_preview(client, workspace):
    job = start_build(client, "2023-01")
    page = client.get(job)
    assert page.status_code == 200 and "生成 2023-01" in page.text
    status = wait_for(client, job)
    assert "老城督查〔2023〕1号" in status and "1月份督查情况的通报" in status
    assert "版式核验" in status
    folder = workspace.parent / "outputs" / "2023-01"
    assert (folder / "manifest.json").is_file()
    listing = client.get("/outputs/2023-01")
    assert listing.status_code == 200 and "下载 Word" in listing.text and "预览" in listing.text
    docx = client.get("/outputs/2023-01/files/2023-01-月度督查通报.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx.headers["content-disposition"]
    pdf = client.get("/outputs/2023-01/files/2023-01-月度督查通报.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    preview = client.get("/outputs/2023-01/preview/2023-01-月度督查通报.pdf")
    assert preview.status_code == 200 and "第 1 页" in preview.text
    png = client.get("/outputs/2023-01/pages/2023-01-月度督查通报.pdf/1.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/outputs/2023-01/pages/2023-01-月度督查通报.pdf/99.png").status_code == 404
    html = client.get("/outputs/2023-01/files/2023-01-月度督查通报.html?view=1")
    assert html.status_code == 200 and "sandbox" in html.headers["content-security-policy"]
    assert "老城督查〔2023〕1号" in client.get("/numbers").text
    # The record and the calendar know it was issued.
    assert "已发布" in client.get("/").text
    # On demand, `bulletin verify` of the folder.
    verified = client.post("/outputs/2023-01/verify", data={"csrf": token(client, "/outputs/2023-01")})
    assert verified.status_code == 200 and "核验" in verified.text


def test_a_draft_takes_no_number(client, workspace):
    job = start_build(client, "2023-01", mode="draft", date="2023-02-08")
    status = wait_for(client, job)
    assert "征求意见稿" in status and "〔2023〕" not in status
    assert (workspace.parent / "outputs" / "2023-01-征求意见稿" / "manifest.json").is_file()
    assert not (workspace / "registry.sqlite").exists() or CampaignRecord(workspace / "registry.sqlite").documents() == []


def test_bad_inputs_stop_the_build_with_their_places(client, workspace, tmp_path):
    with_cell(sample_report(1), workspace / "reports" / "2023-01.xlsx", "C2", "约25")
    job = start_build(client, "2023-01")
    status = wait_for(client, job, state="未完成")
    assert "输入文件中有 1 处问题" in status and "reports/2023-01.xlsx" in status and "完成值" in status
    assert not (workspace.parent / "outputs" / "2023-01").exists()


def test_a_build_waits_for_the_lock_a_terminal_build_holds(client, workspace):
    with build_lock(workspace):
        job = start_build(client, "2023-01")
        status = wait_for(client, job, state=WAITING, seconds=20)
        assert WAIT_FOR_LOCK[:10] in status and "命令行" in status
        time.sleep(1)
        assert f'data-state="{WAITING}"' in client.get(job + "/status").text
    wait_for(client, job)
    assert (workspace.parent / "outputs" / "2023-01" / "manifest.json").is_file()


def test_a_second_build_from_the_page_waits_for_the_first(client, workspace):
    builds = client.app.state.builds
    release = threading.Event()
    first = builds.start(parse_period("2023-01"), BuildOptions(verify_strict=False), run=lambda job: release.wait(30))
    for _ in range(100):
        if builds.current is first:
            break
        time.sleep(0.05)
    job = start_build(client, "2023-01")
    status = wait_for(client, job, state=WAITING, seconds=20)
    assert "本页的另一次生成（2023-01 月度督查通报）正在进行" in status
    assert "正在生成" in client.get("/build").text
    release.set()
    wait_for(client, job)
    assert first.state == DONE


def test_unknown_period_and_bad_date_are_told(client):
    response = client.post("/build", data={"csrf": token(client, "/build"), "period": "2023-13"})
    assert response.status_code == 400 and "无法识别的周期" in response.text
    response = client.post("/build", data={"csrf": token(client, "/build"), "period": "2023-01", "date": "10/9"})
    assert response.status_code == 400 and "应写作 2023-10-09" in response.text


# forms ----------------------------------------------------------------------------------------


def test_collection_forms_per_unit_and_as_a_zip(client, workspace):
    response = client.post("/forms", data={"csrf": token(client, "/forms"), "kind": "reports", "month": "2023-02"})
    assert response.status_code == 200 and "已生成" in response.text
    form = client.get("/forms/2023-02/区发改委.xlsx")
    assert form.status_code == 200 and form.content[:2] == b"PK"
    archive = zipfile.ZipFile(io.BytesIO(client.get("/forms/2023-02.zip").content))
    names = archive.namelist()
    plan = check(workspace).plan
    owing = {unit for indicator in plan.indicators + plan.share_indicators for unit in indicator.units}
    assert "2023-02/区发改委.xlsx" in names and len(names) == len(owing)  # units with indicators or shares


# files outside the outputs ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/outputs/..%2F..%2Finputs/files/campaign.yaml",
    "/outputs/2023-01/files/..%2F..%2Finputs%2Fcampaign.yaml",
    "/outputs/2023-01/files/%2E%2E%2Fmanifest.json",
    "/outputs/forms/files/x.xlsx",
    "/forms/..%2F..%2Finputs/plan.xlsx",
    "/forms/2023-02/..%2F..%2F..%2Finputs%2Fplan.xlsx",
    "/outputs/.2023-01.building-1/files/x.pdf",
])
def test_downloads_never_leave_outputs(client, workspace, path):
    outputs = workspace.parent / "outputs"
    (outputs / "2023-01").mkdir(parents=True)
    (outputs / "2023-01" / "manifest.json").write_text(
        json.dumps({"period": "2023-01", "documents": [{"title": "t", "files": {"pdf": "../../inputs/plan.xlsx"}}]}),
        encoding="utf-8",
    )
    (outputs / ".2023-01.building-1").mkdir()
    (outputs / ".2023-01.building-1" / "manifest.json").write_text("{}", encoding="utf-8")
    client.post("/forms", data={"csrf": token(client, "/forms"), "kind": "reports", "month": "2023-02"})
    assert client.get("/outputs/2023-01/files/manifest.json").status_code == 200
    response = client.get(path)
    assert response.status_code == 404
    assert b"campaign" not in response.content[:200] and b"PK" != response.content[:2]


# warm state ----------------------------------------------------------------------------------


def test_checked_inputs_are_kept_until_a_file_changes(workspace, tmp_path):
    warm = Workspace(workspace, tmp_path / "outputs")
    first = warm.inputs()
    assert warm.inputs() is first
    report = workspace / "reports" / "2023-01.xlsx"
    report.write_bytes(report.read_bytes())  # same bytes, a new modification time
    os.utime(report, ns=(time.time_ns(), time.time_ns() + 10**9))
    second = warm.inputs()
    assert second is not first and second == first
    (workspace / "registry.sqlite").write_bytes(b"")  # the record is not an input
    assert warm.inputs() is second


def test_a_period_outside_the_campaign_is_told_before_any_build(client):
    response = client.post("/build", data={"csrf": token(client, "/build"), "period": "2024-01"})
    assert response.status_code == 400 and "不在活动年度 2023 内" in response.text
    assert client.app.state.builds.recent() == []


def test_the_whole_year_in_date_order(tmp_path):
    inputs = make_workspace(tmp_path, months=(1, 2))
    with TestClient(create_app(Settings(inputs, tmp_path / "outputs", warm=False))) as client:
        job = start_build(client, "2023", scope="year")
        status = wait_for(client, job)
        assert "2023年全年" in status and "2023-01" in status and "2023-02" in status
        assert 'max="2"' in status  # the progress bar counted the cut-offs with data
    numbers = [d.number for d in CampaignRecord(inputs / "registry.sqlite").documents()]
    assert numbers == ["老城督查〔2023〕1号", "老城督查〔2023〕2号"]


def test_too_many_files_at_once_are_told(client, workspace):
    files = [("files", (f"{n}.xlsx", b"x", XLSX)) for n in range(41)]
    response = client.post("/upload", data={"csrf": token(client), "kind": "report", "month": "2023-02"}, files=files)
    assert response.status_code == 400 and "一次最多上传 40 个文件" in response.text
    assert not (workspace / "reports" / "2023-02").exists()


def test_uploads_wait_for_a_readable_campaign(client, workspace):
    (workspace / "campaign.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    response = upload(client, sample_report(2), "2023-02.xlsx")
    assert response.status_code == 422 and "campaign.yaml 中有问题" in response.text and "无法检查" in response.text
    assert not (workspace / "reports" / "2023-02").exists()
    assert "输入文件有" in client.get("/").text
