"""Who may use the page, and what a request may carry.

- On 127.0.0.1 (the default) only this computer reaches the page. Serving on any
  other address needs a password file (`--password-file`): the page then asks
  for that password, compared in constant time; the process keeps only a salted
  hash of it, never the text.
- Sessions are signed cookies (Starlette's SessionMiddleware, itsdangerous).
- Every POST carries the session's CSRF token (form field ``csrf`` or header
  ``X-CSRF-Token``), on localhost too: a page of another site cannot make the
  browser upload or build here.
- Request bodies are limited (all files of one upload together), and each file
  to 16 MB, the largest the loader reads.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from supervision_bulletin import guard

MAX_REQUEST_BYTES = 4 * guard.MAX_FILE_BYTES + 2**20  # one upload: a few files at most together
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
_ITERATIONS = 200_000


class PasswordError(ValueError):
    """The password file cannot be used; ``str`` is for the user."""


def is_loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Password:
    """The admin's password, kept as a salted PBKDF2 hash only."""

    def __init__(self, secret: str):
        self._salt = os.urandom(16)
        self._digest = self._derive(secret)

    @classmethod
    def from_file(cls, path: Path) -> Password:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PasswordError(f"找不到密码文件 {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise PasswordError(f"无法读取密码文件 {path}（{error}）") from None
        secret = text.strip("\r\n")
        if not secret.strip():
            raise PasswordError(f"密码文件 {path} 是空的：请在其中写入一行密码")
        if len(secret) < 8:
            raise PasswordError(f"密码文件 {path} 中的密码太短：请至少用 8 个字符")
        return cls(secret)

    def _derive(self, secret: str) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", secret.encode("utf-8"), self._salt, _ITERATIONS)

    def matches(self, attempt: str) -> bool:
        return hmac.compare_digest(self._derive(attempt or ""), self._digest)


# CSRF -----------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The session's token, made on first use."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, sent: object) -> bool:  # a form field: text, a file or none
    expected = request.session.get(CSRF_FIELD)
    sent = sent or request.headers.get(CSRF_HEADER)
    return bool(expected and sent) and hmac.compare_digest(str(sent), str(expected))


# request size -----------------------------------------------------------------------------


class BodyTooLarge(Exception):
    pass


TOO_LARGE_PAGE = """<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>文件过大</title>
<body style="font-family:sans-serif;padding:2em"><h1>上传的内容过大</h1>
<p>一次上传的文件合计不能超过 {limit}，每个文件不能超过 {per_file}。月报和反馈表一般不足 1 MB，请检查是否选错了文件，
或分几次上传。</p><p><a href="/upload">返回上传页面</a></p></body></html>"""


def too_large_response() -> HTMLResponse:
    return HTMLResponse(
        TOO_LARGE_PAGE.format(limit=guard.megabytes(MAX_REQUEST_BYTES), per_file=guard.megabytes(guard.MAX_FILE_BYTES)),
        status_code=413,
    )


class LimitBody:
    """Refuse a request body over ``limit`` bytes: at once by its Content-Length, or,
    sent without one, as soon as that much has come."""

    def __init__(self, app: ASGIApp, limit: int = MAX_REQUEST_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = self.limit + 1
            if declared > self.limit:
                await drain(receive, self.limit)
                await too_large_response()(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


async def drain(receive: Receive, limit: int) -> None:
    """Read (and drop) what the client already sent, up to a bound, so that it sees the
    answer rather than a reset connection."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body"):
            return
