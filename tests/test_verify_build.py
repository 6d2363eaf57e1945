"""`bulletin verify` from the command line, and the build that runs it before publishing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from supervision_bulletin.build import BuildOptions, build, build_all
from supervision_bulletin.cli import main
from supervision_bulletin.periods import parse_period
from supervision_bulletin.render import Renderers
from supervision_bulletin.resources import SAMPLE_CAMPAIGN, TEMPLATES
from supervision_bulletin.verify import VerifyFailed, documents_in
from tests import campaign_factory as cf

SAMPLE = SAMPLE_CAMPAIGN
SAMPLE_YEAR = 2023


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def sample_inputs(tmp_path_factory) -> Path:
    """A copy of the sample inputs: builds allocate numbers in their registry."""
    root = tmp_path_factory.mktemp("sample") / "inputs"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock"))
    return root


@pytest.fixture(scope="module")
def sample_outputs(sample_inputs, renderers, tmp_path_factory) -> Path:
    """Strict builds of the sample's whole year, in date order as its answers need: each
    cut-off would raise VerifyFailed on any finding."""
    out = tmp_path_factory.mktemp("outputs")
    for result in build_all(sample_inputs, out, SAMPLE_YEAR, renderers=renderers):
        assert result.findings == ()
    return out


def broken_renderers(css: str) -> Renderers:
    from supervision_bulletin.render.docx import DocxRenderer
    from supervision_bulletin.render.html import HtmlRenderer
    from supervision_bulletin.render.pdf import PdfRenderer

    return Renderers(
        DocxRenderer(TEMPLATES / "docx"), HtmlRenderer(TEMPLATES / "html"),
        PdfRenderer(TEMPLATES / "html", extra_css=css),
    )


def test_every_kind_of_sample_document_passes(sample_outputs):
    files = documents_in([sample_outputs])
    kinds = {path.stem.split("-", 2)[-1].split("-")[0] for path in files}
    assert len(files) >= 2 * 8  # main documents and notices, Word and PDF
    assert {"月度督查通报", "季度通报", "半年工作通报", "督办通知"} <= kinds


def test_verify_command_passes_the_sample(sample_outputs):
    result = run("verify", sample_outputs)
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_verify_command_lists_each_finding_and_exits_1(sample_outputs, tmp_path):
    from docx import Document
    from docx.shared import Mm

    good = next(sample_outputs.glob("2023-Q3/*季度通报.docx"))
    document = Document(str(good))
    document.sections[0].left_margin = Mm(25)
    broken = tmp_path / "边距错误.docx"
    document.save(str(broken))
    result = run("verify", broken, good)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(f"{broken}：")
    assert "左边距 25.0 mm" in lines[0] and "〔版心，GB/T 9704-2012 5.2.1〕" in lines[0]
    assert "天头 37 mm" in result.stderr  # the rule explained once, at the end


def test_verify_command_needs_documents(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert run("verify", tmp_path).exit_code == 2
    assert run("verify", tmp_path / "notes.txt").exit_code == 2


def test_a_strict_build_with_a_finding_keeps_the_earlier_outputs(tmp_path, renderers):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    period = parse_period("2024-Q3")
    build(root, out, period, renderers=renderers)
    before = {path.name: path.read_bytes() for path in (out / "2024-Q3").iterdir()}
    with pytest.raises(VerifyFailed) as failure:
        build(root, out, period, renderers=broken_renderers(".issuer-mark { color: #000 }"))
    assert "发文机关标志" in str(failure.value) and "--verify warn" in str(failure.value)
    assert {path.name: path.read_bytes() for path in (out / "2024-Q3").iterdir()} == before
    assert sorted(path.name for path in out.iterdir()) == ["2024-Q3"]  # no staging folder left


def test_a_warning_build_publishes_and_reports(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    options = BuildOptions(verify_strict=False)
    renderers = broken_renderers(".red-rule { display: none }")
    result = build(root, out, parse_period("2024-Q3"), options, renderers=renderers)
    assert [finding.rule.name for finding in result.findings] == ["版头分隔线"]
    assert (out / "2024-Q3" / "manifest.json").exists()


def test_cli_build_fails_on_a_finding_and_warns_when_asked(tmp_path, monkeypatch):
    import supervision_bulletin.render as render

    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    monkeypatch.setattr(render.Renderers, "from_server", classmethod(lambda cls, templates: broken_renderers(
        "@page :left { @bottom-center { content: none } }"
    )))
    strict = run("build", "2024-Q3", "--inputs", root, "--out", out)
    assert strict.exit_code == 3
    assert "缺少页码" in strict.stderr and not (out / "2024-Q3").exists()
    warned = run("build", "2024-Q3", "--inputs", root, "--out", out, "--verify", "warn")
    assert warned.exit_code == 0, warned.output
    assert "缺少页码" in warned.stderr and (out / "2024-Q3" / "manifest.json").exists()
