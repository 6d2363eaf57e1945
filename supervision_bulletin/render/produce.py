"""A document's files, made once: rendered, verified, and kept for the next build.

Rendering and verifying a document is nearly all of a build's time and depends
only on the composed document and the renderers (templates, style sheets, fonts,
package). So each document goes through ``Producer``:

* a cache hit (``RenderCache``, keyed on those) copies the files a build made before;
* a miss is rendered and verified in the worker processes, its PDF in one and its
  Word and HTML files in another, then stored in the cache. A build's workers fork
  from the render server (render.server), which sets the standard renderers up
  while the build checks its inputs; renderers the caller brings (`bulletin
  serve`'s, kept warm in its own process, or a test's) are set up in the caller's
  process and the workers fork from it. Either way a worker starts with them ready.

The files come out byte-identical either way: the cache stores what a worker wrote,
and the renderers write no clock time into any file.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Literal

from supervision_bulletin import heap
from supervision_bulletin.document import (
    Attachment,
    Colophon,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from supervision_bulletin.render import Renderers, file_names
from supervision_bulletin.render.cache import RenderCache
from supervision_bulletin.render.workers import (
    end_with,
    ignore_stop_signals,
    interrupts_held,
    start_render_server,
    worker_count,
)
from supervision_bulletin.verify import Finding, verify_file
from supervision_bulletin.write import FORMATS


class RenderFailed(RuntimeError):
    """A document could not be made (a worker failed or died); nothing is published."""


WORKER_DIED = "生成公文的工作进程意外退出（可能是内存不足或被终止），本期未发布任何公文"


@dataclass(frozen=True)
class Job:
    document: OfficialDocument
    folder: Path  # the cut-off's staging folder


@dataclass(frozen=True)
class Produced:
    document: OfficialDocument
    files: dict[str, str]  # format → file name in the folder
    faces: tuple[str, ...]  # the faces embedded in the PDF
    findings: tuple[Finding, ...]  # GB/T 9704 findings of the DOCX and the PDF
    cached: bool = False


# A document's files are made in two parts, each by whichever worker is free: the
# PDF, most of a document's time, and the rest. So a long document keeps one worker
# busy while the other makes its Word file and the documents after it, rather than
# leaving the other without work at the end of a build.
PARTS: tuple[tuple[str, ...], ...] = (("pdf",), ("docx", "html"))


def make(renderers: Renderers, job: Job, formats: tuple[str, ...] = FORMATS) -> Produced:
    """Render the files of ``formats`` of one document into its folder and verify them."""
    from supervision_bulletin.render.pdf import forget_parsed_pdfs  # here: the build's own process renders nothing

    with collector_paused():
        written, faces = renderers.render_files(job.document, job.folder, formats)
        findings = tuple(f for fmt in VERIFIED if fmt in written.files
                         for f in verify_file(job.folder / written.files[fmt]))
        forget_parsed_pdfs()
    return Produced(job.document, dict(written.files), faces, findings)


VERIFIED = ("docx", "pdf")  # in this order: the findings of a document read the same however it was made


def joined(document: OfficialDocument, parts: Iterable[Produced]) -> Produced:
    """The parts of one document as if made at once: all its files, the faces of
    its PDF, the findings of its DOCX and then of its PDF."""
    parts = sorted(parts, key=lambda part: min(VERIFIED.index(f) for f in part.files if f in VERIFIED))
    files = {fmt: name for part in parts for fmt, name in part.files.items()}
    return Produced(document, {fmt: files[fmt] for fmt in FORMATS if fmt in files},
                    tuple(face for part in parts for face in part.faces),
                    tuple(finding for part in parts for finding in part.findings))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one document is made.

    Laying out a document allocates hundreds of thousands of style and box
    objects that live until it is written, and the collector would scan them
    again and again: a third of WeasyPrint's time. What they leave behind is
    collected once, when the document is done (heap.give_back)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def warm_up(renderers: Renderers) -> None:
    """Make two small documents, one of each layout, and throw them away.

    A process's first document pays for much that every later one finds ready:
    templates compiled, fonts opened, C types parsed, the verifiers imported
    (about 0.3 s). A long-lived process (``bulletin serve``) pays it here, once,
    and the workers it forks for each build start warm."""
    with tempfile.TemporaryDirectory(prefix="bulletin-warm-up-") as folder:
        for layout in LAYOUTS:
            make(renderers, Job(_warm_up_document(layout), Path(folder)))


LAYOUTS: tuple[Literal["standard", "letter"], ...] = ("standard", "letter")


def _warm_up_document(layout: Literal["standard", "letter"]) -> OfficialDocument:
    table = Table(("序号", "单位", "完成率"), (("1", "某单位", "103.7%"), ("2", "另一单位", "80.5%")))
    return OfficialDocument(
        kind="notice" if layout == "letter" else "monthly_report", layout=layout,
        issuer="某机关", issuer_mark="某机关文件", number="某〔2000〕1号", title="关于某事项的通知",
        title_lines=("关于某事项的通知",), recipients="各单位",
        body=(Heading(1, "一、总体情况"), Heading(2, "（一）某方面"), Heading(3, "1.某项"),
              Paragraph("某单位完成某项任务，完成率103.7%，超序时进度。" * 3, lead="1.某单位。"), table),
        attachment_names=("某表",), signature="某机关", date="2000年1月1日",
        attachments=(Attachment("附件", "某表", (table,)),),
        colophon=Colophon(("某机关",), "某机关", "2000年1月1日"), slug=f"warm-up-{layout}",
    )


# The worker's renderers, inherited through fork from the process that set them up:
# one per worker process, set once by its initializer and never changed.
_worker_renderers: Renderers | None = None


def _adopt(renderers: Renderers, build: int) -> None:
    global _worker_renderers  # noqa: PLW0603 - the one per-process state, set once at the worker's start
    _worker_renderers = renderers
    end_with(build)  # a build killed outright leaves no worker behind
    ignore_stop_signals()  # Ctrl-C at the terminal reaches every process of the build: the build stops them


def _adopt_served(templates: Path, fingerprint: str, build: int) -> None:
    from supervision_bulletin.render.server import renderers_for

    _adopt(renderers_for(templates, fingerprint), build)


Made = tuple[dict[str, str], tuple[str, ...], tuple[Finding, ...]]  # what a worker sends back


def _make_in_worker(job: Job, formats: tuple[str, ...]) -> Made | str:
    # In the worker itself, long documents too. A process forked for each long PDF
    # took its scattered memory away when it ended, but copied, while it laid out,
    # the worker's pages it wrote to: two such forks at once held 60 MB more than
    # two workers laying out in place (the tenfold campaign's peak: 588 MB, 528 MB).
    try:
        return _made(job, formats)
    finally:
        heap.give_back()


def _made(job: Job, formats: tuple[str, ...]) -> Made | str:
    assert _worker_renderers is not None
    try:
        produced = make(_worker_renderers, job, formats)
        return produced.files, produced.faces, produced.findings  # the caller has the document already
    except Exception as error:  # returned as text: not every exception survives pickling
        return f"《{job.document.title}》未能生成：{error}"


def cancel_pending(entries: list[tuple[Job, str | None, Produced | list[Future] | None]]) -> None:
    for _, _, outcome in entries:
        for future in outcome if isinstance(outcome, list) else ():
            future.cancel()


class Producer:
    """Makes the documents of one build, through the cache and over the worker processes."""

    def __init__(self, renderers: Renderers, cache: RenderCache | None = None):
        self.renderers = renderers
        self.cache = cache

    def produce(self, jobs: Iterable[Job]) -> Iterator[Produced]:
        """Each job's files, in the order of the jobs (a failure raises RenderFailed
        when its turn comes, so the documents before it can still be published).

        ``jobs`` is read to its end before the first result: each document goes to
        the workers (in its two PARTS) as soon as it is known, so the workers render
        while the caller's iterator composes the next ones."""
        entries: list[tuple[Job, str | None, Produced | list[Future] | None]] = []
        with contextlib.ExitStack() as stack:
            pool: ProcessPoolExecutor | None = None
            for job in jobs:
                key = self.cache.key(job.document) if self.cache else None
                hit = self.cache.fetch(key, job.folder, file_names(job.document)) if self.cache and key else None
                if hit is not None:
                    entries.append((job, key, Produced(job.document, hit.files, hit.faces, (), cached=True)))
                    continue
                if pool is None and worker_count() > 1 and "fork" in multiprocessing.get_all_start_methods():
                    pool = stack.enter_context(self._served_pool() if self.renderers.served and start_render_server()
                                               else self._forked_pool())
                    stack.callback(cancel_pending, entries)  # runs first: the pool then waits for less
                parts = [pool.submit(_make_in_worker, job, formats) for formats in PARTS] if pool else None
                entries.append((job, key, parts))
            for job, key, outcome in entries:
                if isinstance(outcome, Produced):
                    yield outcome
                    continue
                # Windows has no fork, and BULLETIN_JOBS=1 asks for none: made here, in turn.
                produced = joined(job.document, [self._result(part, job) for part in outcome]) \
                    if outcome is not None else self._made_here(job)
                if self.cache and key and not produced.findings:
                    self.cache.store(key, job.folder, produced.files, produced.faces)
                yield produced

    def _made_here(self, job: Job) -> Produced:
        try:
            return make(self.renderers, job)
        except Exception as error:
            raise RenderFailed(f"《{job.document.title}》未能生成：{error}") from error
        finally:
            heap.give_back()

    def _forked_pool(self) -> ProcessPoolExecutor:
        """Worker processes forked from this one with the renderers set up.

        What exists at the fork is frozen out of the collector's sight first: its
        scans would otherwise write to every inherited object and so copy, in
        each worker, pages the workers could have kept sharing with this process."""
        self.renderers.prepare()
        gc.collect()
        gc.freeze()
        try:
            pool = ProcessPoolExecutor(worker_count(), mp_context=multiprocessing.get_context("fork"),
                                       initializer=_adopt, initargs=(self.renderers, os.getpid()))
            pool.submit(int).result()  # the workers are forked now, not at the first real job
        except BaseException:
            gc.unfreeze()
            raise
        gc.unfreeze()  # here the objects go back to the collector: a long-lived server keeps nothing forever
        return pool

    def fingerprint(self) -> str:
        """The renderers' fingerprint: the cache's, when there is one (it was made with it)."""
        return self.cache.fingerprint if self.cache else self.renderers.fingerprint()

    def _served_pool(self) -> ProcessPoolExecutor:
        """Worker processes forked from the render server, where the renderers are
        set up already; this process loads none of WeasyPrint.

        They are all started here, with Ctrl-C held until they are: the server
        forks a worker only once it has set up, and a build interrupted while it
        waits for that would leave the worker to start after it had gone (and to
        print a traceback about the build's vanished semaphores)."""
        assert self.renderers.templates is not None
        pool = ProcessPoolExecutor(worker_count(), mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=_adopt_served,
                                   initargs=(self.renderers.templates, self.fingerprint(), os.getpid()))
        try:
            with interrupts_held():
                for started in [pool.submit(int) for _ in range(worker_count())]:  # one worker each
                    started.result()
        except BaseException as error:
            pool.shutdown(cancel_futures=True)
            if isinstance(error, BrokenProcessPool):
                raise RenderFailed(WORKER_DIED) from error
            raise
        return pool

    @staticmethod
    def _result(future: Future, job: Job) -> Produced:
        try:
            outcome = future.result()
        except BrokenProcessPool as error:
            raise RenderFailed(WORKER_DIED) from error
        if isinstance(outcome, str):
            raise RenderFailed(outcome)
        files, faces, findings = outcome
        return Produced(job.document, files, faces, findings)
