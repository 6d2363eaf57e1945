"""A long document's PDF laid out in parts (its main text, then each attachment): the
same pages as laid out at once, and still the archive copy."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from supervision_bulletin.document import Attachment, Table
from supervision_bulletin.render.long import (
    ATTACHMENTS_TEMPLATE,
    LONG_DOCUMENT_BOXES,
    LayoutPart,
    layout_boxes,
    layout_parts,
)
from supervision_bulletin.verify.verify_pdf import verify_pdf
from tests.document_fixtures import HOSTILE_TEXT, make_document

pdfplumber = pytest.importorskip("pdfplumber")
pypdf = pytest.importorskip("pypdf")

COLUMNS = ("序号", "指标", "目标", "完成值", "完成率", "责任单位")


def indicator_table(rows: int) -> Table:
    return Table(
        columns=COLUMNS,
        rows=tuple((str(n), f"第{n}项指标（{HOSTILE_TEXT[:6]}）", "100", str(n % 97), f"{n % 97}.0%", f"区第{n}局")
                   for n in range(1, rows + 1)),
        widths=(0.6, 3.2, 0.9, 0.9, 0.9, 1.4),
    )


def long_document():
    """Three attachments whose lengths start them on pages of both parities."""
    attachments = tuple(Attachment(f"附件{i}", f"第{i}张推进情况表", (indicator_table(rows),))
                        for i, rows in enumerate((150, 190, 120), start=1))
    document = make_document(attachments=attachments, attachment_names=tuple(a.title for a in attachments))
    assert layout_boxes(document) > LONG_DOCUMENT_BOXES
    return document


def page_marks(data: bytes) -> list[tuple]:
    """Each page's characters (text, place, face) and rules, as a reader would see them."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(tuple((c["text"], round(c["x0"], 2), round(c["top"], 2), c["fontname"].split("+")[-1])
                       for c in page.chars),
                 tuple((round(line["x0"], 2), round(line["top"], 2), round(line["x1"], 2), round(line["bottom"], 2))
                       for line in page.lines + page.rects))
                for page in pdf.pages]


@pytest.fixture(scope="module")
def whole_and_parts(renderer):
    document = long_document()
    whole, _ = renderer._pdf_of(LayoutPart(document), document, first_page=1)
    return document, whole, renderer.render_bytes(document)


def test_a_long_document_is_laid_out_in_its_main_text_and_each_attachment():
    document = long_document()
    parts = layout_parts(document)
    assert len(parts) == 1 + len(document.attachments)
    main_text = parts[0].document
    assert main_text.attachments == () and main_text.colophon is None and main_text.body == document.body
    assert main_text.attachment_note == document.attachment_note  # 附件说明 stays with the main text
    assert [part.document.attachments for part in parts[1:]] == [(a,) for a in document.attachments]
    assert {part.template for part in parts[1:]} == {ATTACHMENTS_TEMPLATE}
    assert [part.document.colophon for part in parts[1:]] == [None, None, document.colophon]


def test_short_documents_and_letters_are_laid_out_whole():
    assert layout_parts(make_document()) == [LayoutPart(make_document())]
    letter = replace(long_document(), layout="letter", kind="notice")
    assert layout_parts(letter) == [LayoutPart(letter)]


def test_the_parts_make_the_pages_the_whole_would(whole_and_parts):
    _, whole, parts = whole_and_parts
    pages = page_marks(whole)
    assert page_marks(parts) == pages
    starts = [number for number, (chars, _) in enumerate(pages, start=1)
              if "".join(c[0] for c in chars[:3]) in {f"附件{i}" for i in range(1, 4)}]
    # Parts that start on a right-hand (odd) page and on a left-hand (even) one.
    assert len(starts) == 3 and {number % 2 for number in starts} == {0, 1}


def test_the_joined_pdf_is_the_archive_copy_of_the_whole(whole_and_parts, tmp_path):
    _, whole, parts = whole_and_parts
    joined, alone = pypdf.PdfReader(io.BytesIO(parts)), pypdf.PdfReader(io.BytesIO(whole))
    root = joined.trailer["/Root"]
    assert "pdfaid:part" in root["/Metadata"].get_object().get_data().decode("utf-8")
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert root["/Lang"] == alone.trailer["/Root"]["/Lang"]
    assert joined.trailer["/ID"][0] == alone.trailer["/ID"][0]  # the document's permanent identifier
    assert joined.metadata == alone.metadata
    path = tmp_path / "parts.pdf"
    path.write_bytes(parts)
    assert list(verify_pdf(path)) == []


def test_the_parts_are_joined_the_same_way_every_time(renderer, whole_and_parts):
    document, _, parts = whole_and_parts
    assert renderer.render_bytes(document) == parts
