"""Documents made once: the same bytes serial, over the worker processes and from the
cache; a worker that dies fails the build cleanly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from supervision_bulletin.build import BuildOptions, build, build_all
from supervision_bulletin.cli import main
from supervision_bulletin.memo import CACHE_VARIABLE
from supervision_bulletin.periods import parse_period
from supervision_bulletin.record import RECORD_FILE, CampaignRecord
from supervision_bulletin.render import Renderers
from supervision_bulletin.render.pdf import PdfRenderer
from supervision_bulletin.render.produce import RenderFailed
from supervision_bulletin.render.workers import JOBS_VARIABLE
from tests.compose import hand_campaign as hc

MONTHS = range(1, 4)  # two monthly reports and the Q1 bulletin with its notices


def files_of(out: Path) -> dict[str, bytes]:
    """Every file a build published, the manifests without their generation time."""
    found = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name == "manifest.json":
            manifest = json.loads(data)
            manifest.pop("generated_at")
            data = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
        found[str(path.relative_to(out))] = data
    return found


def year_built(tmp_path: Path, name: str, monkeypatch, jobs: int, cache: Path | None, renderers) -> dict[str, bytes]:
    root = hc.write_hand_campaign(tmp_path / name / "inputs", months=MONTHS)
    out = tmp_path / name / "outputs"
    monkeypatch.setenv(JOBS_VARIABLE, str(jobs))
    if cache is not None:
        monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    build_all(root, out, 2024, BuildOptions(cache=cache is not None), renderers=renderers)
    return files_of(out)


def test_serial_parallel_and_cached_builds_write_the_same_bytes(tmp_path, monkeypatch, renderers):
    serial = year_built(tmp_path, "serial", monkeypatch, 1, None, renderers)
    parallel = year_built(tmp_path, "parallel", monkeypatch, 2, None, renderers)
    cache = tmp_path / "cache"
    filled = year_built(tmp_path, "filling", monkeypatch, 2, cache, renderers)
    assert any((cache / "documents").iterdir())
    cached = year_built(tmp_path, "cached", monkeypatch, 2, cache, renderers)
    assert len([name for name in serial if name.endswith(".pdf")]) >= 4
    assert serial.keys() == parallel.keys() == filled.keys() == cached.keys()
    for name in serial:
        assert serial[name] == parallel[name] == filled[name] == cached[name], name


def test_a_rebuild_remakes_only_the_documents_whose_content_changed(tmp_path, monkeypatch, renderers):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 3))
    out = tmp_path / "outputs"
    build_all(root, out, 2024, renderers=renderers)
    said: list[str] = []
    build_all(root, out, 2024, renderers=renderers, progress=said.append)
    made = [line for line in said if line.endswith("已生成并核验")]
    reused = [line for line in said if line.endswith("沿用上次生成的文件")]
    assert made == [] and len(reused) == 2
    # February's figures change: January's report stays, February's is made again.
    hc.write_hand_campaign(root, months=range(2, 3), overrides={("I2", 2): 9})
    said.clear()
    build_all(root, out, 2024, renderers=renderers, progress=said.append)
    assert [line for line in said if "1月份" in line and line.endswith("沿用上次生成的文件")]
    assert [line for line in said if "2月份" in line and line.endswith("已生成并核验")]


def test_the_render_server_workers_write_what_a_serial_build_writes(tmp_path, monkeypatch):
    """The standard renderers, as `bulletin build` has them: set up in the render
    server, and the workers forked from it."""
    serial = year_built(tmp_path, "serial", monkeypatch, 1, None, None)
    served = year_built(tmp_path, "served", monkeypatch, 2, None, None)
    assert render_servers(parents_of_processes())  # started by the build, still there for the next one
    assert serial.keys() == served.keys()
    for name in serial:
        assert serial[name] == served[name], name


def test_the_render_server_lends_its_renderers_only_when_they_are_the_ones_asked_for():
    from supervision_bulletin.render import server
    from supervision_bulletin.resources import TEMPLATES

    [(ready, fingerprint)] = server.ready()
    assert Renderers.from_server(TEMPLATES).fingerprint() == fingerprint  # as the build asks for them
    assert server.renderers_for(TEMPLATES, fingerprint) is ready
    other = server.renderers_for(TEMPLATES, "another fingerprint")
    assert other is not ready and other.templates == TEMPLATES


def parents_of_processes() -> dict[int, int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    return parents


def render_servers(parents: dict[int, int]) -> set[int]:
    """This process's render server (multiprocessing's fork server), once started."""
    found = set()
    for pid, parent in parents.items():
        with contextlib.suppress(OSError):
            if parent == os.getpid() and b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
    return found


def workers_of_render_servers() -> set[int]:
    """The processes forked by this process's render server."""
    parents = parents_of_processes()
    servers = render_servers(parents)
    return {pid for pid, parent in parents.items() if parent in servers}


@contextlib.contextmanager
def workers_killed_as_they_start():
    """Every worker killed (SIGKILL, as by the system when memory runs out) as soon as it appears."""
    stop = threading.Event()

    def kill() -> None:
        while not stop.is_set():
            for pid in workers_of_render_servers():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)

    killer = threading.Thread(target=kill)
    killer.start()
    try:
        yield
    finally:
        stop.set()
        killer.join()


def test_a_worker_that_dies_fails_the_build_and_publishes_nothing(tmp_path, monkeypatch):
    root = hc.write_hand_campaign(tmp_path / "inputs", months=MONTHS)
    out = tmp_path / "outputs"
    monkeypatch.setenv(JOBS_VARIABLE, "2")
    with workers_killed_as_they_start():
        result = CliRunner().invoke(main, ["build", "2024-Q1", "--inputs", str(root), "--out", str(out), "--no-cache"])
    assert result.exit_code == 3, result.output
    assert "工作进程意外退出" in result.output
    assert not (out / "2024-Q1").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging folder left
    assert not (root / RECORD_FILE).exists() or CampaignRecord(root / RECORD_FILE).documents() == []


def test_a_worker_forked_from_the_build_that_dies_fails_it_the_same_way(tmp_path, monkeypatch, renderers):
    root = hc.write_hand_campaign(tmp_path / "inputs", months=MONTHS)
    out = tmp_path / "outputs"
    monkeypatch.setenv(JOBS_VARIABLE, "2")

    def die(self, document, path):
        os._exit(9)  # as a worker killed by the system would: no exception, no answer

    monkeypatch.setattr(PdfRenderer, "render", die)  # the workers fork from this process: they have it too
    with pytest.raises(RenderFailed, match="工作进程意外退出"):
        build(root, out, parse_period("2024-Q1"), BuildOptions(cache=False), renderers=renderers)
    assert not (out / "2024-Q1").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_failure_in_one_cutoff_of_the_year_keeps_the_ones_before_it(tmp_path, monkeypatch, renderers):
    root = hc.write_hand_campaign(tmp_path / "inputs", months=MONTHS)
    out = tmp_path / "outputs"
    monkeypatch.setenv(JOBS_VARIABLE, "2")
    original = PdfRenderer.render

    def fails_in_march(self, document, path):
        if "第一季度" in document.title:
            raise OSError("磁盘已满")
        return original(self, document, path)

    monkeypatch.setattr(PdfRenderer, "render", fails_in_march)
    with pytest.raises(RuntimeError, match="磁盘已满"):
        build_all(root, out, 2024, BuildOptions(cache=False), renderers=renderers)
    assert sorted(p.name for p in out.iterdir()) == ["2024-01", "2024-02"]
    recorded = CampaignRecord(root / RECORD_FILE).documents()
    assert sorted(d.period for d in recorded) == ["2024-01", "2024-02"]
    # The numbers the rehearsal planned were the ones taken, and March takes the next.
    monkeypatch.undo()
    build(root, out, parse_period("2024-Q1"), BuildOptions(cache=False), renderers=renderers)
    serials = sorted(d.serial for d in CampaignRecord(root / RECORD_FILE).documents())
    assert serials == list(range(1, len(serials) + 1))


def test_the_warm_up_documents_are_sound_and_leave_nothing_behind(tmp_path, monkeypatch, renderers):
    """The serve process makes them at its start: they must pass the same checks as
    any document, and vanish afterwards."""
    import tempfile

    from supervision_bulletin.render.produce import Job, _warm_up_document, make, warm_up

    for layout in ("standard", "letter"):
        folder = tmp_path / layout
        folder.mkdir()
        produced = make(renderers, Job(_warm_up_document(layout), folder))
        assert produced.findings == ()
        assert sorted(path.suffix for path in folder.iterdir()) == [".docx", ".html", ".pdf"]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    warm_up(renderers)
    assert list((tmp_path / "temp").iterdir()) == []


def test_a_document_made_in_parts_is_the_document_made_at_once(tmp_path, renderers):
    from supervision_bulletin.render.produce import PARTS, Job, _warm_up_document, joined, make
    from supervision_bulletin.verify import rules
    from supervision_bulletin.verify.rules import Finding

    document = _warm_up_document("standard")
    whole, apart = tmp_path / "whole", tmp_path / "apart"
    whole.mkdir()
    apart.mkdir()
    at_once = make(renderers, Job(document, whole))
    parts = [make(renderers, Job(document, apart), formats) for formats in reversed(PARTS)]
    assert joined(document, parts) == at_once
    assert sorted(p.name for p in apart.iterdir()) == sorted(p.name for p in whole.iterdir())
    assert all((apart / p.name).read_bytes() == p.read_bytes() for p in whole.iterdir())
    # The Word file's findings come first, however the parts came back.
    pdf, word = (Finding(Path(name), "", rules.TABLE, "") for name in ("a.pdf", "a.docx"))
    pdf_part, word_part = (replace(part, findings=(finding,)) for part, finding in zip(parts[::-1], (pdf, word)))
    assert joined(document, [pdf_part, word_part]).findings == (word, pdf)
    assert joined(document, [word_part, pdf_part]).findings == (word, pdf)


