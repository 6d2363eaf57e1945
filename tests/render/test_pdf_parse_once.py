"""A PDF rendered and then verified in one process is parsed by pypdf once.

The renderer reads back the fonts of what it wrote and the check reads the
file again: the second reading reuses the first when the bytes on disk are the
bytes rendered, and parses anew when the file changed in between.
"""

from __future__ import annotations

import pypdf
import pytest

from supervision_bulletin.render import pdf as pdf_module
from supervision_bulletin.verify.pdf_layout import read_pdf
from supervision_bulletin.verify.verify_pdf import verify_pdf
from tests.document_fixtures import make_document


@pytest.fixture
def parses(monkeypatch):
    """The number of PdfReaders made, with an empty parse cache."""
    made = []
    real = pypdf.PdfReader

    def counting(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", counting)
    monkeypatch.setattr(pdf_module, "_PARSED", type(pdf_module._PARSED)())
    return made


def test_render_then_verify_parses_the_file_once(renderer, tmp_path, parses):
    path = tmp_path / "a.pdf"
    result = renderer.write(make_document(), path)
    assert len(parses) == 1
    assert verify_pdf(path) == []
    assert len(parses) == 1
    layout = read_pdf(path)
    assert {font.base_font for font in result.fonts} == set(layout.fonts)
    assert len(layout.pages) == result.pages


def test_a_file_changed_after_rendering_is_parsed_anew(renderer, tmp_path, parses):
    path = tmp_path / "a.pdf"
    renderer.write(make_document(), path)
    other = renderer.render_bytes(make_document(title="关于另一件事的通报", title_lines=("关于另一件事的通报",)))
    path.write_bytes(other)
    layout = read_pdf(path)
    assert len(parses) == 2
    assert set(layout.fonts) == {font.base_font for font in pdf_module.embedded_fonts(other)}
    assert any("另一件事" in line.text for line in layout.pages[0].text_lines)


def test_the_cache_keeps_a_few_files_only(renderer, monkeypatch, parses):
    monkeypatch.setattr(pdf_module, "PARSED_CACHE_SIZE", 2)
    data = renderer.render_bytes(make_document())
    variants = [data + b"\n%" + bytes([65 + index]) + b"\n" for index in range(3)]
    for variant in variants:
        pdf_module.parse_pdf(variant)
    assert len(pdf_module._PARSED) == 2
    pdf_module.parse_pdf(variants[0])  # dropped first: parsed again
    assert len(parses) == 4
