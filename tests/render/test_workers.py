"""Ctrl-C and the processes a build starts: held while workers start, ignored by them;
work run apart from the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from supervision_bulletin.render import workers
from supervision_bulletin.render.workers import interrupts_held, interrupts_ignored, run_apart, start_render_server


def test_a_ctrl_c_while_the_workers_start_is_held_until_they_have():
    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            signal.raise_signal(signal.SIGINT)
            done.append("the rest of the block")
    assert done == ["the rest of the block"]
    with interrupts_held():
        done.append("nothing held")
    assert done[-1] == "nothing held"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_processes_started_while_ctrl_c_is_ignored_inherit_that_and_the_build_does_not():
    with interrupts_ignored():
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.raise_signal(signal.SIGINT)  # nothing happens
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_sigterm_while_the_workers_start_is_held_and_ignored_alike(restore_signals):
    workers.stop_on_signals()
    with pytest.raises(workers.Stopped) as stopped:
        with interrupts_held():
            signal.raise_signal(signal.SIGTERM)
    assert stopped.value.number == signal.SIGTERM
    with interrupts_ignored():
        assert {signal.getsignal(n) for n in workers.STOP_SIGNALS} == {signal.SIG_IGN}
        signal.raise_signal(signal.SIGHUP)  # nothing happens


def test_a_signal_already_ignored_stays_ignored(restore_signals):
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup leaves it
    workers.stop_on_signals()
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL


@pytest.fixture
def restore_signals():
    saved = {number: signal.getsignal(number) for number in workers.STOP_SIGNALS}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def _imports_tabnanny() -> tuple[int, bool]:
    import tabnanny  # noqa: F401 - any module the caller has not loaded

    return os.getpid(), "tabnanny" in sys.modules


def test_work_runs_apart_in_a_child_of_the_render_server_and_takes_its_imports_along():
    if not start_render_server():
        pytest.skip("one core or no fork server: no render server")
    sys.modules.pop("tabnanny", None)
    pid, imported = run_apart(_imports_tabnanny)
    assert pid != os.getpid() and imported
    assert "tabnanny" not in sys.modules


def test_work_runs_here_where_no_render_server_was_started(monkeypatch):
    monkeypatch.setattr(workers, "_SERVER_STARTED_BY", set())
    assert run_apart(os.getpid) == os.getpid()


def test_a_process_is_alive_until_it_has_ended_where_no_pidfd_tells():
    from supervision_bulletin.render.workers import _alive

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    assert _alive(sleeper.pid) and _alive(os.getpid())
    sleeper.kill()
    sleeper.wait()
    assert not _alive(sleeper.pid)
