"""The Word, PDF and HTML of a document say the same thing, word for word."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn

from supervision_bulletin.build import check
from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.bulletin import compose_quarterly_bulletin
from supervision_bulletin.document import OfficialDocument, Table
from supervision_bulletin.render import Renderers
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from tests import campaign_factory as cf
from tests.document_fixtures import HOSTILE_TEXT, make_document
from tests.judged import judged
from tests.render.conftest import SAMPLE_KINDS

SAMPLE = SAMPLE_CAMPAIGN
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def model_units(document: OfficialDocument) -> tuple[list[str], list[Table]]:
    """The document's words in reading order, and its tables, from the model alone."""
    units = [document.marking, document.issuer_mark, document.number or "", *document.title_lines]
    units.append(f"{document.recipients}：")
    tables: list[Table] = []

    def add_blocks(blocks):
        for block in blocks:
            if isinstance(block, Table):
                tables.append(block)
                units.extend(block.columns)
                for row in block.rows:
                    units.extend(row)
            elif block.kind == "figure":
                units.append(block.caption)
            else:
                units.append(getattr(block, "lead", "") + block.text)

    add_blocks(document.body)
    units.extend(document.attachment_note)
    units.extend([document.signature, document.date])
    for attachment in document.attachments:
        units.extend([attachment.label, attachment.title])
        add_blocks(attachment.blocks)
    if document.colophon:
        colophon = document.colophon
        units.extend([colophon.cc_line, colophon.printer, colophon.printed_on])
    return [squeeze(u) for u in units if u], tables


def docx_text(path: Path) -> str:
    """Body paragraphs and table cells in document order, plus headers (the letter's mark)."""
    document = Document(path)
    parts = []
    for section in document.sections:
        for header in (section.first_page_header, section.header):
            parts.extend(p.text for p in header.paragraphs)
    for element in document.element.body.iter(qn("w:p")):
        parts.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
    return squeeze("".join(parts))


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "style", "script", "svg"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("head", "style", "script", "svg"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return squeeze("".join(parser.parts))


Cells = list[tuple[str, ...]]  # a table as rows of cell texts, squeezed


def model_cells(table: Table) -> Cells:
    """Header row, then each row; a group row is one cell spanning the table."""
    rows = [tuple(squeeze(c) for c in table.columns)]
    for index, row in enumerate(table.rows):
        rows.append((squeeze(row[0]),) if index in table.group_rows else tuple(squeeze(c) for c in row))
    return rows


def docx_tables(path: Path) -> list[Cells]:
    """Every data table of the Word file, cell by cell (a merged cell once);
    the colophon, laid out as a table, is left out."""
    tables = []
    for table in Document(path).element.body.iter(qn("w:tbl")):
        styles = {p.get(qn("w:val")) for p in table.iter(qn("w:pStyle"))}
        if "GwColophon" in styles:
            continue
        tables.append([
            tuple(squeeze("".join(t.text or "" for t in cell.iter(qn("w:t")))) for cell in row.iter(qn("w:tc")))
            for row in table.iter(qn("w:tr"))
        ])
    return tables


class TableCells(HTMLParser):
    """Every <table> of a page as rows of th/td texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[Cells] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(squeeze("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1].append(tuple(self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_tables(path: Path) -> list[Cells]:
    parser = TableCells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def pdf_text_and_tables(path: Path) -> tuple[str, list[tuple[str, ...]]]:
    lines, rows = [], []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for line in (page.extract_text() or "").splitlines():
                if not PAGE_NUMBER.match(line.strip()):
                    lines.append(line)
            for table in page.extract_tables():
                rows.extend(tuple(squeeze(cell or "") for cell in row) for row in table)
    return squeeze("".join(lines)), rows


def assert_same_words(document: OfficialDocument, folder: Path, renderers: Renderers) -> None:
    written, _faces = renderers.render_files(document, folder)
    units, tables = model_units(document)
    expected = "".join(units)
    assert docx_text(folder / written.files["docx"]) == expected
    assert html_text(folder / written.files["html"]) == expected
    # Every table cell, in order, in Word and HTML alike (PDF rows below).
    cells = [model_cells(table) for table in tables]
    assert docx_tables(folder / written.files["docx"]) == cells
    assert html_tables(folder / written.files["html"]) == cells
    pdf_text, pdf_rows = pdf_text_and_tables(folder / written.files["pdf"])
    for unit in units:
        assert unit in pdf_text or any(unit in cell for row in pdf_rows for cell in row), unit
    assert_same_table_rows(tables, pdf_rows)


def assert_same_table_rows(tables: list[Table], pdf_rows: list[tuple[str, ...]]) -> None:
    """The PDF's table rows are the model's, table by table (told apart by their widths).

    Header rows are left out: a long table repeats its header on every page.
    The colophon's rules make pdfplumber see a one-column table too, which no
    data table has, so only the data tables' widths are looked at.
    """
    headers = {tuple(squeeze(c) for c in table.columns) for table in tables}
    for width in sorted({len(table.columns) for table in tables}):
        expected = [
            tuple(squeeze(c) for c in row)
            for table in tables if len(table.columns) == width
            for row in table.rows
        ]
        found = [row for row in pdf_rows if len(row) == width and row not in headers]
        # A group row spans the table: the PDF has its text in the first cell only.
        assert [tuple(c for c in row if c) for row in found] == [tuple(c for c in row if c) for row in expected]


def test_hand_made_document(tmp_path, renderers):
    assert_same_words(make_document(), tmp_path, renderers)


def test_hostile_text_is_literal_everywhere(tmp_path, renderers):
    document = make_document()
    written, _faces = renderers.render_files(document, tmp_path)
    assert squeeze(HOSTILE_TEXT) in docx_text(tmp_path / written.files["docx"])
    assert squeeze(HOSTILE_TEXT) in html_text(tmp_path / written.files["html"])
    assert "49" not in html_text(tmp_path / written.files["html"])


def test_sample_quarterly_bulletin(tmp_path, renderers):
    inputs = check(SAMPLE)
    result = judged(inputs, "2023-Q3")
    issue = Issue("老城督查〔2023〕1号", result.as_of)
    assert_same_words(compose_quarterly_bulletin(result, issue), tmp_path, renderers)


def test_second_campaign_draft(tmp_path, renderers):
    inputs = check(cf.make_campaign(tmp_path / "inputs"))
    result = judged(inputs, "2024-Q3")
    issue = Issue(None, result.as_of, draft=True)
    folder = tmp_path / "out"
    folder.mkdir()
    assert_same_words(compose_quarterly_bulletin(result, issue), folder, renderers)


@pytest.mark.parametrize("kind", sorted(SAMPLE_KINDS))
def test_every_kind_of_sample_document(kind, sample_documents, tmp_path, renderers):
    assert kind in sample_documents, f"{SAMPLE_KINDS[kind]} 没有生成 {kind}"
    assert_same_words(sample_documents[kind], tmp_path, renderers)


@pytest.mark.parametrize("kind", sorted(SAMPLE_KINDS))
def test_the_print_html_read_by_expat_gives_the_pdf_weasyprints_parser_gives(kind, sample_documents, renderers):
    """weasyprint_html reads the print HTML with expat: the PDF must not change by a byte."""
    from weasyprint import HTML

    from supervision_bulletin.render.pdf import PDF_VARIANT, _parsed_html_class, weasyprint_html

    pdf = renderers.pdf
    for document in (sample_documents[kind], make_document(recipients=HOSTILE_TEXT)):
        markup, base = pdf.print_html(document), str(pdf.html.templates)
        fast = weasyprint_html(markup, base)
        assert isinstance(fast, _parsed_html_class())  # well-formed: the fast way was taken
        options = {"stylesheets": list(pdf.stylesheets), "font_config": pdf.font_config,
                   "pdf_identifier": b"same", "pdf_variant": PDF_VARIANT}
        assert fast.write_pdf(**options) == HTML(string=markup, base_url=base).write_pdf(**options)


def test_print_html_that_is_not_well_formed_takes_weasyprints_own_parser():
    from weasyprint import HTML

    from supervision_bulletin.render.pdf import _parsed_html_class, weasyprint_html

    parsed = weasyprint_html("<!DOCTYPE html><html><body><p>控制字符\x0b<br></p></body></html>", ".")
    assert isinstance(parsed, HTML) and not isinstance(parsed, _parsed_html_class())
    assert "控制字符" in "".join(parsed.etree_element.itertext())
