"""A Word table written as text is the table python-docx's objects build, to the byte.

The reference below builds the table as render.docx did before it wrote the
XML itself: through python-docx's cells, runs and merges. Any table, however
odd its text, must come out the same both ways.
"""

from __future__ import annotations

import itertools

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.table import CT_Tbl
from docx.shared import Twips
from docx.table import Table as WordTable
from lxml import etree

from supervision_bulletin.document import Table
from supervision_bulletin.render.docx import (
    TABLE_TEXT_STYLES,
    TEXT_WIDTH,
    TableXml,
    column_widths,
    table_properties_xml,
)
from supervision_bulletin.render.table_layout import layout_table
from tests.document_fixtures import HOSTILE_TEXT, make_document


def reference_xml(table: Table) -> str:
    layout = layout_table(table)
    text_style, header_style = TABLE_TEXT_STYLES[layout.size_pt]
    widths = column_widths(layout)
    word_table = WordTable(CT_Tbl.new_tbl(1 + len(table.rows), len(table.columns), Twips(TEXT_WIDTH)), None)
    tbl = word_table._tbl
    tbl.remove(tbl.tblPr)
    tbl.insert(0, parse_xml(table_properties_xml().replace("<w:tblPr>", f"<w:tblPr {nsdecls('w')}>", 1)))
    for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths):
        grid_col.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w", str(width))

    def flags(row, header):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        if header:
            tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))

    def width_of(cell, width):
        cell.width = Twips(width)
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:vAlign {nsdecls("w")} w:val="center"/>'))

    def fill(cell, lines, style_id, align=None):
        paragraph = cell.paragraphs[0]
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="{style_id}"/>'))
        if align:
            ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{align}"/>'))
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if index:
                run._r.insert(0, parse_xml(f"<w:br {nsdecls('w')}/>"))
        return paragraph

    header = word_table.rows[0]
    flags(header, True)
    for cell, lines, width in zip(header.cells, layout.header_lines, widths):
        width_of(cell, width)
        fill(cell, lines, header_style)
    for index, (row, values) in enumerate(zip(word_table.rows[1:], table.rows)):
        flags(row, False)
        for cell, width in zip(row.cells, widths):
            width_of(cell, width)
        if index in table.group_rows:
            merged = row.cells[0].merge(row.cells[-1])
            paragraph = fill(merged, [values[0]], header_style, align="left")
            ppr = paragraph._p.get_or_add_pPr()
            ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle").addnext(
                parse_xml(f"<w:keepNext {nsdecls('w')}/>"))
            continue
        for cell, value, align in zip(row.cells, values, layout.alignments):
            fill(cell, [value], text_style, align="left" if align == "left" else None)
    return etree.tostring(tbl, encoding="unicode")


ODD_TEXTS = ("", " ", "　全角空格", "a\tb", "x\r\ny", "\n", "末尾 ", " 开头", "&<>\"'", "😀𠀀", "\u00a0不换行", "多\n行\n",
             HOSTILE_TEXT)


def test_the_sample_like_table_is_written_as_python_docx_builds_it():
    [table] = make_document().attachments[0].blocks
    assert TableXml(table).xml == reference_xml(table)


@pytest.mark.parametrize("first", ODD_TEXTS)
def test_odd_text_in_cells_headers_and_domain_rows_comes_out_the_same(first):
    for second in ODD_TEXTS:
        table = Table(("序号", first or "列", "完成率完成率完成率完成率完成率完成率"),
                      ((first, second, "1"), (second, first, ""), (first, "", " ")), group_rows=frozenset({2}))
        assert TableXml(table).xml == reference_xml(table), (first, second)


def test_a_long_table_with_several_domains_comes_out_the_same():
    rows = tuple(("一、领域" if i % 7 == 0 else str(i), f"指标{i}" * (i % 5 + 1), f"{i * 1.5:.1f}%")
                 for i in range(60))
    table = Table(("序号", "指标", "完成率"), rows, widths=(1, 4, 1), group_rows=frozenset(range(0, 60, 7)))
    assert TableXml(table).xml == reference_xml(table)


@pytest.mark.parametrize("text", ["a\x00b", "a\x0bb", "\x1f", "\ud800"])
def test_text_xml_cannot_hold_is_refused_as_python_docx_refuses_it(text):
    with pytest.raises((ValueError, UnicodeEncodeError)):
        reference_xml(Table(("x",), ((text,),)))
    with pytest.raises(ValueError, match="XML compatible"):
        TableXml(Table(("x",), ((text,),)))


def test_every_table_of_the_samples_documents_is_the_same_too(sample_documents):
    tables = [block for document in sample_documents.values()
              for block in itertools.chain(document.body, *(a.blocks for a in document.attachments))
              if isinstance(block, Table)]
    assert len(tables) >= 5
    for table in tables:
        assert TableXml(table).xml == reference_xml(table), table.columns
