"""The PDF is the archive copy: PDF/A-2b metadata, output intent, embedded fonts.

No PDF/A validator (veraPDF) is available here, so these tests check what can be
read back: the claims the file makes and the parts PDF/A requires.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.document_fixtures import make_document

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def archive():
    from supervision_bulletin.fonts import FontNotFoundError

    try:
        from supervision_bulletin.render.pdf import PdfRenderer

        renderer = PdfRenderer()
    except (FontNotFoundError, OSError) as error:
        pytest.skip(f"PDF rendering unavailable here: {error}")
    data = renderer.render_bytes(make_document())
    return data, pypdf.PdfReader(io.BytesIO(data))


def xmp_packet(reader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_xmp_claims_pdf_a_2b(archive):
    _, reader = archive
    xmp = xmp_packet(reader)
    assert re.search(r'pdfaid:part="2"', xmp)
    assert re.search(r'pdfaid:conformance="B"', xmp)


def test_xmp_and_info_carry_title_author_and_number(archive):
    _, reader = archive
    document = make_document()
    xmp = xmp_packet(reader)
    assert f">{document.title}<" in xmp  # dc:title
    assert f">{document.issuer}<" in xmp  # dc:creator
    assert reader.metadata.title == document.title
    assert reader.metadata.author == document.issuer
    assert reader.metadata.subject == document.number


def test_language_is_declared(archive):
    _, reader = archive
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_output_intent_is_srgb(archive):
    _, reader = archive
    intents = reader.trailer["/Root"]["/OutputIntents"]
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3  # an RGB ICC profile


def test_every_font_is_embedded(archive):
    from supervision_bulletin.render.pdf import embedded_fonts

    data, _ = archive
    fonts = embedded_fonts(data)
    assert fonts
    assert all(font.embedded for font in fonts), [font for font in fonts if not font.embedded]


def test_the_archive_copy_passes_verify(archive, tmp_path):
    from supervision_bulletin.verify.verify_pdf import verify_pdf

    data, _ = archive
    path = tmp_path / "archive.pdf"
    path.write_bytes(data)
    assert [finding.line() for finding in verify_pdf(path)] == []
