"""The command line's handling of a stop: Ctrl-C, SIGTERM and SIGHUP end a command
with a sentence in Chinese and the shell's status for the signal, never a traceback."""

from __future__ import annotations

import signal

import pytest
from click.testing import CliRunner

from supervision_bulletin import cli
from supervision_bulletin.render.workers import Stopped


def stopped_by(monkeypatch, invoke) -> tuple[int, str]:
    monkeypatch.setattr(cli, "_invoke_commands", invoke)
    result = CliRunner().invoke(cli.main, ["check"])
    return result.exit_code, result.output


def raising(error: BaseException):
    def invoke(ctx):
        raise error
    return invoke


@pytest.mark.parametrize("interrupt, status", [(KeyboardInterrupt(), 130), (Stopped(signal.SIGTERM), 143),
                                               (Stopped(signal.SIGHUP), 129)])
def test_a_stop_ends_with_the_status_of_its_signal(monkeypatch, interrupt, status):
    code, output = stopped_by(monkeypatch, raising(interrupt))
    assert (code, output.strip()) == (status, "已中断，已有的输出保持不变。")


def test_an_error_raised_while_a_library_cleans_up_after_the_stop_is_still_the_stop(monkeypatch):
    def invoke(ctx):
        try:
            raise Stopped(signal.SIGTERM)
        except KeyboardInterrupt:
            raise ValueError("not in an element")  # noqa: B904 - as lxml's writer, stopped half-way, does
    code, output = stopped_by(monkeypatch, invoke)
    assert (code, output.strip()) == (143, "已中断，已有的输出保持不变。")


def test_any_other_error_is_not_taken_for_a_stop(monkeypatch):
    code, _ = stopped_by(monkeypatch, raising(ValueError("a real bug")))
    assert code == 1
