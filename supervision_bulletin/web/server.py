"""Starting the web application: the address, the password rule, uvicorn."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from supervision_bulletin.web.app import Settings, create_app
from supervision_bulletin.web.security import Password, PasswordError, is_loopback

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class ServeError(RuntimeError):
    """The server cannot start; ``str`` is for the user."""


def settings_for(inputs_dir: Path, out_dir: Path, host: str, password_file: Path | None) -> Settings:
    """Refuse another address than this computer's own without a password."""
    password = None
    if password_file is not None:
        try:
            password = Password.from_file(password_file)
        except PasswordError as error:
            raise ServeError(str(error)) from None
    elif not is_loopback(host):
        raise ServeError(
            f"在 {host} 上提供服务时，同一网络中的其他电脑也能打开本工作台，必须设置密码："
            "请先把密码写入一个只有管理员能读的文本文件（如 密码.txt），再加 --password-file 密码.txt 启动；"
            f"只在本机使用时不必加 --host（默认 {DEFAULT_HOST}）。"
        )
    if not (inputs_dir / "campaign.yaml").exists():
        raise ServeError(
            f"{inputs_dir} 中没有 campaign.yaml：请用 --inputs 指定存放活动设置的文件夹，"
            "或先运行 bulletin init 新建工作区。"
        )
    return Settings(inputs_dir, out_dir, password)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound now so that a port in use is told plainly."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ServeError(f"端口 {port} 已被占用（可能工作台已经在运行）：请换一个端口，如 --port {port + 1}") from None
        raise ServeError(f"无法在 {host}:{port} 上提供服务（{error.strerror or error}）") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    return f"http://{shown}:{port}/"


@dataclass
class Running:
    """A server started in a thread (tests, benchmarks): its address, and how to stop it."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def uvicorn_server(app, quiet: bool = True) -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning" if quiet else "info", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=5)
    return uvicorn.Server(config)


def serve_forever(settings: Settings, host: str, port: int, announce) -> None:
    sock = bind(host, port)
    real_port = sock.getsockname()[1]
    server = uvicorn_server(create_app(settings))
    announce(address(host, real_port), real_port)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C, then passes the signal on
        pass


def start_in_thread(settings: Settings, host: str = DEFAULT_HOST, port: int = 0) -> Running:
    sock = bind(host, port)
    server = uvicorn_server(create_app(settings))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="bulletin-serve")
    thread.start()
    for _ in range(200):
        if server.started:
            break
        thread.join(timeout=0.05)
    return Running(address(host, sock.getsockname()[1]), server, thread)
