"""Pages of a generated PDF as PNG pictures, and on-demand GB/T 9704 checks.

PDFium (pypdfium2) must not be used from two threads at once, and a build in
the worker thread uses it for its own check; so everything the page asks of
PDFium runs in one helper process of its own, one request after another. The
pictures are kept for the file's size and modification time.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from supervision_bulletin.render.workers import end_with

SCALE = 1.5  # 1.5 × 72 dpi: an A4 page 893 × 1263 px, sharp on a laptop, light to send
KEEP_PICTURES = 96


def page_count(path: str) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(path) as document:
        return len(document)


def page_png(path: str, index: int, scale: float = SCALE) -> bytes:
    import pypdfium2

    with pypdfium2.PdfDocument(path) as document:
        page = document[index]
        try:
            image = page.render(scale=scale).to_pil()
        finally:
            page.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def verify_files(paths: list[str]) -> list:
    """`bulletin verify` of each file: its findings (supervision_bulletin.verify.Finding)."""
    from supervision_bulletin.verify import verify_file

    found = []
    for path in paths:
        found += verify_file(Path(path))
    return found


class Pdfium:
    """The helper process, started on first use, and the pictures it made."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pictures: OrderedDict[tuple, Any] = OrderedDict()  # page counts and pages' PNGs

    def _submit(self, function, *args):
        with self._lock:
            if self._pool is None:
                # It ends with the workbench even when that is killed outright (end_with).
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=end_with, initargs=(os.getpid(),))
            pool = self._pool
        return pool.submit(function, *args).result()

    def pages(self, path: Path) -> int:
        key = ("count", *stamp(path))
        if key not in self._pictures:
            self._remember(key, self._submit(page_count, str(path)))
        return self._pictures[key]

    def picture(self, path: Path, index: int) -> bytes:
        key = ("png", *stamp(path), index)
        if key not in self._pictures:
            self._remember(key, self._submit(page_png, str(path), index))
        self._pictures.move_to_end(key)
        return self._pictures[key]

    def verify(self, paths: list[Path]) -> list:
        return self._submit(verify_files, [str(path) for path in paths])

    def _remember(self, key: tuple, value) -> None:
        with self._lock:
            self._pictures[key] = value
            while len(self._pictures) > KEEP_PICTURES:
                self._pictures.popitem(last=False)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


def stamp(path: Path) -> tuple:
    info = path.stat()
    return (str(path), info.st_size, info.st_mtime_ns)
