"""Whole builds: a second campaign unlike the sample, and the build's guarantees."""

import json

from click.testing import CliRunner

from supervision_bulletin.cli import main
from supervision_bulletin.render.pdf import PdfRenderer
from supervision_bulletin.render.workers import JOBS_VARIABLE
from tests import campaign_factory as cf


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_second_campaign_builds_without_code_changes(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    result = run("build", "2024-Q3", "--inputs", root, "--out", out)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "2024-Q3" / "manifest.json").read_text(encoding="utf-8"))
    (document,) = manifest["documents"]
    assert document["kind"] == "quarterly_bulletin"
    assert document["number"] == "河东督〔2024〕1号"
    # 区统计局's milestone is 已完成 but reported without what was done: no praise without evidence.
    assert document["commended"] == ["区行政审批局"]
    assert document["criticised"] == []
    for fmt in ("docx", "pdf", "html"):
        assert (out / "2024-Q3" / document["files"][fmt]).stat().st_size > 0
    assert manifest["summary"]["status_counts"]["滞后"] == 1


def test_rebuilding_keeps_the_number_and_a_draft_takes_none(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    for _ in range(2):
        assert run("build", "2024-Q3", "--inputs", root, "--out", out).exit_code == 0
    manifest = json.loads((out / "2024-Q3" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["number"] == "河东督〔2024〕1号"
    assert run("build", "2024-Q3", "--inputs", root, "--out", out, "--draft").exit_code == 0
    draft = json.loads((out / "2024-Q3-征求意见稿" / "manifest.json").read_text(encoding="utf-8"))
    assert draft["documents"][0]["number"] is None
    assert draft["documents"][0]["draft"] is True
    # The official documents stay as published.
    manifest = json.loads((out / "2024-Q3" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["number"] == "河东督〔2024〕1号"


def test_a_period_without_reports_is_refused(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    result = run("build", "2024-Q1", "--inputs", root, "--out", out)
    assert result.exit_code == 1
    assert "2024-03" in result.output and not out.exists()


def test_a_crash_while_rendering_keeps_the_earlier_build(tmp_path, monkeypatch):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    assert run("build", "2024-Q3", "--inputs", root, "--out", out).exit_code == 0
    before = (out / "2024-Q3" / "manifest.json").read_bytes()

    def broken(self, document, path):
        path.write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(PdfRenderer, "render", broken)
    monkeypatch.setenv(JOBS_VARIABLE, "1")  # rendered in this process, where the patch is
    # --no-cache: the same data would otherwise reuse the first build's files and render nothing.
    result = run("build", "2024-Q3", "--inputs", root, "--out", out, "--no-cache")
    assert result.exit_code != 0
    assert (out / "2024-Q3" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["2024-Q3"]
