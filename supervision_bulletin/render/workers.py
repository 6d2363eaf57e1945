"""How many worker processes a build renders with, the render server they fork
from, and Ctrl-C kept from them while they start (the build handles it alone).

Kept apart from render.produce, and light to import: `bulletin build` starts the
server before it imports the rest of the pipeline.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from typing import Iterator

JOBS_VARIABLE = "BULLETIN_JOBS"  # worker processes; 1 renders in the build's own process
SERVER_MODULE = "supervision_bulletin.render.server"


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
    return True


@contextlib.contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Ctrl-C (SIGINT) ignored while the block starts processes: they start ignoring
    it, before they could print a KeyboardInterrupt of their own. Only the main
    thread hears signals and may set their handling; elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) held back until the block is done, then acted on as it would
    have been. Only the main thread hears signals: elsewhere there is nothing to hold."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: arrived.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if arrived:
            signal.raise_signal(signal.SIGINT)
