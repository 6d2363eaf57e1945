"""How many worker processes a build renders with, the render server they fork
from (and a passing job runs apart in), and Ctrl-C kept from them while they
start (the build handles it alone).

Kept apart from render.produce, and light to import: `bulletin build` starts the
server before it imports the rest of the pipeline.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, TypeVar

JOBS_VARIABLE = "BULLETIN_JOBS"  # worker processes; 1 renders in the build's own process
# What stops a build: Ctrl-C, `kill` (SIGTERM, also what systemd and `timeout` send)
# and the terminal closing (SIGHUP). Each reaches every process of the build's
# group; the build alone acts on it, its workers and the render server ignore it.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
SERVER_MODULE = "supervision_bulletin.render.server"
Result = TypeVar("Result")
# The processes that started the render server: multiprocessing keeps one fork
# server per process and tells nobody whether it runs.
_SERVER_STARTED_BY: set[int] = set()


def worker_count() -> int:
    """BULLETIN_JOBS, else the cores this process may use."""
    wanted = os.environ.get(JOBS_VARIABLE)
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, int(wanted) if wanted and wanted.isdigit() and int(wanted) > 0 else available)


def start_render_server() -> bool:
    """Start the render server (render.server), if a build here will have workers
    and the system has a fork server; whether it runs. Called as early as a build
    knows it will render, so that the server sets the renderers up while the build
    checks its inputs. One per process: a later call finds it running."""
    if worker_count() < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload([SERVER_MODULE])
    with interrupts_ignored():  # the server and its workers inherit that: Ctrl-C is the build's to handle
        forkserver.ensure_running()
    _SERVER_STARTED_BY.add(os.getpid())
    return True


def render_server_running() -> bool:
    """Whether this process has started the render server (start_render_server)."""
    return os.getpid() in _SERVER_STARTED_BY


def run_apart(function: Callable[..., Result], *arguments: object) -> Result:
    """``function(*arguments)``, in a process forked for it from the render server
    when this process runs one, else here.

    For work that loads a large library the build needs for it alone (matplotlib
    and numpy for a chart: 34 MB): the library goes with the process, instead of
    staying in the build's for the rest of it. The process costs about 0.1 s."""
    if not render_server_running():
        return function(*arguments)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(1, mp_context=context, initializer=end_with, initargs=(os.getpid(),)) as apart, \
            interrupts_held():
        return apart.submit(function, *arguments).result()


def end_with(build: int) -> None:
    """Make this worker process end when the process ``build`` does.

    A build killed outright (SIGKILL: ``kill -9``, the out-of-memory killer) cannot
    stop its workers. A worker would then wait for its next job for ever: every
    worker holds its job queue's writing end too, so none reads an end. While any
    worker lives, the render server lives too, since each worker holds its lifeline.
    So it never removes WeasyPrint's copy of the fonts (30 MB in /tmp). A thread
    of the worker's own waits for the build to go and ends the worker then.
    POSIX only: on Windows os.kill(pid, 0) would end the process it asks about."""
    if os.name != "posix":
        return
    threading.Thread(target=_exit_when_gone, args=(build,), name="end-with-build", daemon=True).start()


def _exit_when_gone(build: int) -> None:
    try:
        handle = os.pidfd_open(build)  # Linux 5.3 and later: readable once the process has ended
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
    else:
        while _alive(build):
            time.sleep(1.0)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: it exists
        return True
    return True


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, acted on as Ctrl-C is: the build cancels what has not
    started, lets its workers finish what they hold and leaves the outputs as they were."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.number = number


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP raise Stopped here, where nothing else has claimed them.

    Left to their default they would end this process at once: the render server
    and the workers, which ignore them, would end only after it, without a word,
    and the server by its lifeline, too late to remove WeasyPrint's copy of the
    fonts (30 MB in /tmp) for some of them. A signal already ignored (`nohup`) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in STOP_SIGNALS:
        if number != signal.SIGINT and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _raise_stopped)


def _raise_stopped(number: int, frame: object) -> None:
    raise Stopped(number)


def ignore_stop_signals() -> None:
    """For a worker: the build stops it (see STOP_SIGNALS); its own KeyboardInterrupt
    would only print a traceback."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


@contextlib.contextmanager
def interrupts_ignored() -> Iterator[None]:
    """The stop signals (Ctrl-C and the others of STOP_SIGNALS) ignored while the block
    starts processes: they start ignoring them, before they could print a
    KeyboardInterrupt of their own. Only the main thread hears signals and may set
    their handling; elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """The stop signals held back until the block is done, then acted on as they would
    have been. Only the main thread hears signals: elsewhere there is nothing to hold."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {number: signal.signal(number, lambda number, frame: arrived.append(number)) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if arrived:
            signal.raise_signal(arrived[0])
