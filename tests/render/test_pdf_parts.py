"""A long document's PDF laid out in parts (its main text, then each attachment, and a
long table a window of rows at a time): the same pages as laid out at once, and still
the archive copy."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from supervision_bulletin.document import Attachment, Paragraph, Table
from supervision_bulletin.render import long
from supervision_bulletin.render.long import (
    ATTACHMENTS_TEMPLATE,
    LONG_DOCUMENT_BOXES,
    LayoutPart,
    TableWindow,
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


# --- an attachment's long table, a window of rows at a time -------------------------------


def grouped_document():
    """Two attachments: a long table with domain rows (which never end a page) and
    notes before and after it, and a short one after."""
    rows, groups = [], set()
    for domain in range(1, 6):
        groups.add(len(rows))
        rows.append((f"{domain}、第{domain}个领域",) + ("",) * (len(COLUMNS) - 1))
        rows.extend(indicator_table(37).rows)
    table = Table(columns=COLUMNS, rows=tuple(rows), widths=indicator_table(1).widths, group_rows=frozenset(groups))
    attachments = (
        Attachment("附件1", "分领域推进情况表", (Paragraph("表前说明。"), table, Paragraph("表后说明。"))),
        Attachment("附件2", "第二张表", (indicator_table(40),)),
    )
    return make_document(attachments=attachments, attachment_names=tuple(a.title for a in attachments))


def test_windows_of_a_long_table_print_its_rows_once_in_order_with_the_blocks_around_it():
    blocks = grouped_document().attachments[0].blocks
    table = blocks[1]
    window = TableWindow(table, 0, 50)
    assert window.first and not window.last
    assert [type(block).__name__ for block in window.blocks_of(blocks)] == ["Paragraph", "Table"]
    assert window.rows_of(table) == range(50) and window.rows_of(indicator_table(3)) is None
    following = window.from_row(47)  # the row at the top of the page laid out too far
    assert (following.start, following.continues(table)) == (47, True)
    end = window.to_the_end()
    assert end.last and [type(block).__name__ for block in end.blocks_of(blocks)] == ["Paragraph", "Table", "Paragraph"]


@pytest.mark.parametrize("document", [long_document, grouped_document], ids=["three tables", "domain rows"])
def test_a_long_table_laid_out_a_window_at_a_time_makes_the_pages_the_whole_would(renderer, monkeypatch, document):
    document = document()
    whole, _ = renderer._pdf_of(LayoutPart(document), document, first_page=1)
    monkeypatch.setattr(long, "LONG_DOCUMENT_BOXES", 500)  # laid out in parts
    monkeypatch.setattr(long, "TABLE_WINDOW_CELLS", 200)  # windows of 33 rows: several to each table
    windows = []
    laid_out = renderer._laid_out
    monkeypatch.setattr(renderer, "_laid_out", lambda part, *rest: windows.append(part.window) or laid_out(part, *rest))
    windowed = renderer.render_bytes(document)
    assert len({(id(window.table), window.start) for window in windows if window is not None}) >= 5
    assert page_marks(windowed) == page_marks(whole)
    assert renderer.render_bytes(document) == windowed  # the same bytes every time
