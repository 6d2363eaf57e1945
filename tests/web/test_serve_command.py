"""`bulletin serve` as a user starts it: it prints its address, answers there, stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.web.conftest import make_workspace

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_serve_prints_its_address_and_answers_there(tmp_path):
    inputs = make_workspace(tmp_path)
    command = [sys.executable, "-m", "supervision_bulletin.cli", "serve", "--inputs", str(inputs), "--out", str(tmp_path / "out"),
               "--port", "0"]
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        first = process.stdout.readline()
        found = re.search(r"督查通报工作台已启动：(http://127\.0\.0\.1:\d+/)", first)
        assert found, first + process.stderr.read()
        page = httpx.get(found.group(1), timeout=30)
        assert page.status_code == 200 and "督查日历" in page.text
        assert page.headers["x-frame-options"] == "SAMEORIGIN"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode in (0, 130)


def test_a_port_in_use_is_told_plainly(tmp_path):
    import socket

    from click.testing import CliRunner

    from supervision_bulletin.cli import main

    inputs = make_workspace(tmp_path)
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        port = holder.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--inputs", str(inputs), "--port", str(port)])
    finally:
        holder.close()
    assert result.exit_code == 2 and f"端口 {port} 已被占用" in result.output


def test_a_folder_without_a_campaign_is_told(tmp_path):
    from click.testing import CliRunner

    from supervision_bulletin.cli import main

    result = CliRunner().invoke(main, ["serve", "--inputs", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2 and "bulletin init" in result.output
