"""The checks of scripts/e2e.py (the LibreOffice run), tried on our own PDFs.

LibreOffice itself runs in `nox -s e2e`; these make sure its checks would see a
missing red header or a substituted face at all.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from tests.document_fixtures import make_document

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "e2e.py"

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")


@pytest.fixture(scope="module")
def e2e():
    spec = importlib.util.spec_from_file_location("e2e", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["e2e"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("e2e", None)


def pdf(tmp_path: Path, css: str = "", **overrides) -> Path:
    from supervision_bulletin.render.pdf import PdfRenderer

    path = tmp_path / "doc.pdf"
    path.write_bytes(PdfRenderer(extra_css=css).render_bytes(make_document(**overrides)))
    return path


@pytest.mark.parametrize("layout", ["standard", "letter"])
def test_the_red_header_is_seen(e2e, tmp_path, layout):
    png = e2e.render_page_one(pdf(tmp_path, layout=layout), tmp_path / "page.png")
    assert e2e.red_header_problems(png, layout) == []


def test_a_black_issuer_mark_is_seen(e2e, tmp_path):
    png = e2e.render_page_one(pdf(tmp_path, ".issuer-mark { color: #000 }"), tmp_path / "page.png")
    assert [problem for problem in e2e.red_header_problems(png, "standard") if "发文机关标志" in problem]


def test_a_missing_red_rule_is_seen(e2e, tmp_path):
    png = e2e.render_page_one(pdf(tmp_path, ".red-rule { display: none }"), tmp_path / "page.png")
    assert [problem for problem in e2e.red_header_problems(png, "standard") if "分隔线" in problem]


def test_our_faces_are_allowed(e2e, tmp_path):
    problems, faces = e2e.font_problems(pdf(tmp_path), e2e.allowed_faces())
    assert problems == []
    assert faces


def test_a_substituted_face_is_seen(e2e, tmp_path):
    css = ".body-text, .issuer-mark, .title, .attachment-title { font-family: 'DejaVu Sans' }"
    problems, _ = e2e.font_problems(pdf(tmp_path, css), e2e.allowed_faces())
    assert any("DejaVu" in problem for problem in problems)
    assert any("小标宋" in problem for problem in problems)


@pytest.mark.parametrize("layout", ["standard", "letter"])
def test_tables_and_the_letter_number_pass_on_our_pdf(e2e, tmp_path, layout):
    assert e2e.layout_problems(pdf(tmp_path, layout=layout)) == []


def test_a_header_broken_inside_a_word_is_seen(e2e, tmp_path):
    problems = e2e.layout_problems(pdf(tmp_path, ".data-table col:first-child { width: 4% !important }"))
    assert [problem for problem in problems if "“序/号”" in problem]


def test_a_letter_number_off_its_place_is_seen(e2e, tmp_path):
    problems = e2e.layout_problems(pdf(tmp_path, ".letter-number-line { padding-top: 12mm }", layout="letter"))
    assert [problem for problem in problems if "发文字号距上方红色双线" in problem]
