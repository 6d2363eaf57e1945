"""How many worker processes a build renders with, and the render server they fork from.

Kept apart from render.produce, and light to import: `bulletin build` starts the
server before it imports the rest of the pipeline.
"""

from __future__ import annotations

import multiprocessing
import os

JOBS_VARIABLE = "BULLETIN_JOBS"  # worker processes; 1 renders in the build's own process
SERVER_MODULES = ("supervision_bulletin.render.server",)
WARM_SERVER_MODULES = (*SERVER_MODULES, "supervision_bulletin.render.warm_server")


def worker_count() -> int:
    """BULLETIN_JOBS, else the cores this process may use."""
    wanted = os.environ.get(JOBS_VARIABLE)
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, int(wanted) if wanted and wanted.isdigit() and int(wanted) > 0 else available)


def start_render_server(warm: bool = False) -> bool:
    """Start the render server (render.server), if a build here will have workers
    and the system has a fork server; whether it runs. Called as early as a build
    knows it will render, so that the server sets the renderers up while the build
    checks its inputs. ``warm``: it also makes a document of each layout, for a
    long-lived process (render.warm_server). One per process: a later call finds
    it running, as it was first started."""
    if worker_count() < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload(list(WARM_SERVER_MODULES if warm else SERVER_MODULES))
    forkserver.ensure_running()
    return True
