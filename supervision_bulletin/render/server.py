"""The render server: the process a build's workers are forked from.

multiprocessing's fork server imports this module once, as it starts, and forks
every worker from itself afterwards. Importing it sets the standard renderers up
(WeasyPrint, the fonts, the templates and style sheets): the server does that while
the build that started it is still reading and checking its inputs, on the other
core, and every worker forked from it starts with them ready. A worker whose build
asks for renderers of another making (other templates, other fonts) sets its own up.

Nothing here is imported by a build's own process: it needs no renderer to compose
its documents.
"""

from __future__ import annotations

import atexit
import gc
from pathlib import Path

from supervision_bulletin.render import Renderers
from supervision_bulletin.resources import TEMPLATES


def _standard_renderers() -> list[tuple[Renderers, str]]:
    """The standard renderers set up, with their fingerprint; none when setting up
    fails (a missing font): the worker then sets up its own, and the failure reaches
    the build as the document's error."""
    try:
        renderers = Renderers.load(TEMPLATES)
        renderers.prepare()
        _import_what_workers_use()
        return [(renderers, renderers.fingerprint())]
    except Exception:  # reported by the worker that tries again
        return []


def _import_what_workers_use() -> None:
    """The verifiers and the PDF readers they use, imported once here rather than in
    each worker at its first document (about 0.1 s each): the server has the time,
    waiting for the build to finish checking its inputs."""
    import pypdf  # noqa: F401
    import pypdfium2  # noqa: F401

    from supervision_bulletin.verify import verify_docx, verify_pdf  # noqa: F401


_READY = _standard_renderers()
# The workers share these pages with the server: kept out of the collector's scans,
# which would write to every object and so copy the pages into each worker.
gc.freeze()


def _release() -> None:
    """Let the renderers go while the interpreter still works: WeasyPrint removes
    its temporary folder of fonts when its font configuration is collected."""
    gc.unfreeze()
    _READY.clear()
    gc.collect()


atexit.register(_release)


def ready() -> list[tuple[Renderers, str]]:
    """The renderers set up here, with their fingerprints (none if setting up failed)."""
    return list(_READY)


def renderers_for(templates: Path, fingerprint: str) -> Renderers:
    """The server's renderers when they are the ones asked for, else new ones made
    from ``templates`` (set up in the worker on first use)."""
    for renderers, ready_fingerprint in _READY:
        if renderers.templates == Path(templates) and ready_fingerprint == fingerprint:
            return renderers
    return Renderers.load(templates)
