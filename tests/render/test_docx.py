"""The Word renderer: content, order, page setup, styles, footers, tables."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from supervision_bulletin.document import Colophon, Figure, Paragraph
from supervision_bulletin.render.docx import DocxRenderer, render_docx, signature_indents_pt
from supervision_bulletin.resources import TEMPLATES
from tests.document_fixtures import HOSTILE_TEXT, make_document

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = TEMPLATES / "docx"
TWIPS_PER_MM = 1440 / 25.4

# A 1 × 1 white PNG.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4f40000000049454e44ae426082"
)


def render(tmp_path: Path, **overrides):
    out = tmp_path / "out.docx"
    render_docx(make_document(**overrides), TEMPLATE_DIR, out)
    return Document(str(out))


@pytest.fixture(scope="module")
def standard(tmp_path_factory):
    return render(tmp_path_factory.mktemp("standard"))


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    return render(tmp_path_factory.mktemp("letter"), layout="letter", recipients="区金融局")


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def page_one_texts(document) -> list[str]:
    """What page 1 shows from the top: the first-page header (a letter's mark and
    number), then the body."""
    section = document.sections[0]
    header = section.first_page_header.paragraphs if section.different_first_page_header_footer else []
    return [p.text for p in header] + body_texts(document)


def style_of(paragraph) -> str:
    return paragraph._p.pPr.pStyle.val


def paragraphs_styled(document, style_id: str):
    return [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.pStyle is not None
            and style_of(p) == style_id]


def attachment_table(document):
    # The colophon is the last table; the attachment table comes before it.
    return document.tables[0]


# --- Content ------------------------------------------------------------------------


def test_hostile_text_is_literal_in_body_and_table(standard):
    assert any(HOSTILE_TEXT in text for text in body_texts(standard))
    cells = [cell.text for row in attachment_table(standard).rows for cell in row.cells]
    assert HOSTILE_TEXT in cells
    assert "49" not in "".join(body_texts(standard))


def test_no_template_tag_survives(standard, letter):
    for document in (standard, letter):
        for text in document.element.iter(qn("w:t")):
            value = (text.text or "").replace(HOSTILE_TEXT, "")
            assert "{{" not in value and "{%" not in value, value


def test_header_and_body_come_in_order(standard):
    doc = make_document()
    texts = body_texts(standard)
    expected = [doc.issuer_mark, doc.number, *doc.title_lines, doc.recipients + "：",
                doc.body[0].text, doc.attachment_note[0], doc.signature, doc.date,
                doc.attachments[0].label, doc.attachments[0].title]
    position = -1
    for text in expected:  # each found after the one before
        position = texts.index(text, position + 1)


def test_paragraph_styles_follow_block_kinds(standard):
    assert [p.text for p in paragraphs_styled(standard, "GwHeading1")] == [
        "一、总体进展", "二、表扬单位", "三、通报批评单位"]
    assert [p.text for p in paragraphs_styled(standard, "GwHeading2")] == ["（一）抓项目促投资"]
    lead_paragraph = next(p for p in paragraphs_styled(standard, "GwBody") if p.text.startswith("1.区科工局。"))
    lead_run = lead_paragraph.runs[0]
    assert lead_run.text == "1.区科工局。"
    assert lead_run._r.rPr.rStyle.val == "GwLead"


def test_issuer_mark_and_rule_are_red(standard):
    styles = standard.styles.element
    mark = styles.xpath('w:style[@w:styleId="GwIssuerMark"]')[0]
    assert mark.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val")) == "FF0000"
    number = styles.xpath('w:style[@w:styleId="GwDocNumber"]')[0]
    rule = number.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule.get(qn("w:color")) == "FF0000" and rule.get(qn("w:val")) == "single"


CHARACTER_PT = 16 - 0.25  # a 16 pt character with the body's tracking
DATE_WIDTH_PT = 4 * 7.75 + 15.75 + 2 * 7.75 + 15.75 + 7.75 + 15.75  # 2023年10月9日


def test_signature_and_date_indents_follow_gbt9704():
    two_chars = 2 * CHARACTER_PT
    name, date = signature_indents_pt("老城区人民政府督查室", "2023年10月9日")
    assert name == pytest.approx(two_chars)
    # The date's first character sits two characters right of the signature's.
    name_start, date_start = name + 10 * CHARACTER_PT, date + DATE_WIDTH_PT
    assert name_start - date_start == pytest.approx(two_chars)


def test_a_date_longer_than_the_signature_sits_two_characters_in():
    two_chars = 2 * CHARACTER_PT
    name, date = signature_indents_pt("督查室", "2023年10月9日")
    assert date == pytest.approx(two_chars)
    name_start, date_start = name + 3 * CHARACTER_PT, date + DATE_WIDTH_PT
    assert name_start - date_start == pytest.approx(two_chars)


def test_signature_indents_are_written_to_the_paragraphs(standard):
    name_pt, date_pt = signature_indents_pt(make_document().signature, make_document().date)
    signature = paragraphs_styled(standard, "GwSignature")[0]
    date = paragraphs_styled(standard, "GwDate")[0]
    assert int(signature._p.pPr.find(qn("w:ind")).get(qn("w:right"))) == round(name_pt * 20)
    assert int(date._p.pPr.find(qn("w:ind")).get(qn("w:right"))) == round(date_pt * 20)


# --- Page setup and styles ---------------------------------------------------------------


@pytest.mark.parametrize("layout", ["standard", "letter"])
def test_page_is_a4_with_gbt9704_margins_and_line_grid(tmp_path, layout):
    section = render(tmp_path, layout=layout).sections[0]
    def mm(length):
        return length.twips / TWIPS_PER_MM
    assert (round(mm(section.page_width)), round(mm(section.page_height))) == (210, 297)
    assert [round(mm(m)) for m in (section.top_margin, section.bottom_margin,
                                   section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"


EXPECTED_FACES = {
    "Normal": "仿宋_GB2312",
    "GwBody": "仿宋_GB2312",
    "GwIssuerMark": "方正小标宋简体",
    "GwDocNumber": "仿宋_GB2312",
    "GwTitle": "方正小标宋简体",
    "GwHeading1": "黑体",
    "GwHeading2": "楷体_GB2312",
    "GwHeading3": "仿宋_GB2312",
    "GwAttachmentLabel": "黑体",
    "GwAttachmentTitle": "方正小标宋简体",
    "GwTableText": "仿宋_GB2312",
    "GwTableHeader": "黑体",
    "GwColophon": "仿宋_GB2312",
    "GwPageNumberOdd": "宋体",
    "TableNormal": "仿宋_GB2312",
}


def test_styles_name_the_official_faces_without_theme_fonts(standard):
    styles = standard.styles.element
    for style_id, face in EXPECTED_FACES.items():
        rfonts = styles.xpath(f'w:style[@w:styleId="{style_id}"]/w:rPr/w:rFonts')[0]
        assert rfonts.get(qn("w:eastAsia")) == face, style_id
        assert rfonts.get(qn("w:hAnsi")) == face, style_id
    default = styles.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for rfonts in styles.iter(qn("w:rFonts")):
        assert not any("Theme" in name or "theme" in name for name in rfonts.attrib), rfonts.attrib


def test_body_text_fits_28_characters_and_22_lines(standard):
    body = standard.styles.element.xpath('w:style[@w:styleId="Normal"]')[0]
    spacing = body.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    assert body.find(f"{qn('w:pPr')}/{qn('w:widowControl')}").get(qn("w:val")) == "0"
    tracking_pt = int(body.find(f"{qn('w:rPr')}/{qn('w:spacing')}").get(qn("w:val"))) / 20
    text_width_pt = 156 / 25.4 * 72
    assert 28 * (16 + tracking_pt) <= text_width_pt < 29 * (16 + tracking_pt)


# --- Footers ------------------------------------------------------------------------------


def has_page_field(part) -> bool:
    return any(t.text and t.text.strip() == "PAGE" for t in part._element.iter(qn("w:instrText")))


def test_odd_and_even_footers_carry_a_page_field(standard):
    settings = standard.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    section = standard.sections[0]
    odd, even = section.footer, section.even_page_footer
    assert has_page_field(odd) and has_page_field(even)
    assert odd.paragraphs[0]._p.pPr.pStyle.val == "GwPageNumberOdd"
    assert even.paragraphs[0]._p.pPr.pStyle.val == "GwPageNumberEven"
    assert odd.paragraphs[0].text.startswith("— ") and odd.paragraphs[0].text.endswith(" —")
    styles = standard.styles.element
    assert styles.xpath('w:style[@w:styleId="GwPageNumberOdd"]/w:pPr/w:jc/@w:val') == ["right"]
    assert styles.xpath('w:style[@w:styleId="GwPageNumberEven"]/w:pPr/w:jc/@w:val') == ["left"]


def test_letter_has_no_page_number_on_its_first_page(letter):
    section = letter.sections[0]
    assert section.different_first_page_header_footer
    assert not has_page_field(section.first_page_footer)
    assert has_page_field(section.footer) and has_page_field(section.even_page_footer)
    header_texts = [p.text for p in section.first_page_header.paragraphs]
    assert header_texts == [make_document().issuer_mark, make_document().number]


def test_letter_puts_the_number_top_right_and_no_print_line(letter):
    doc = make_document()
    # In the first-page header, right under the upper double rule (GB/T 9704 10.1).
    header = letter.sections[0].first_page_header.paragraphs
    number = next(p for p in header if p.text == doc.number)
    assert style_of(number) == "GwLetterDocNumber"
    assert doc.number not in body_texts(letter)
    styles = letter.styles.element
    assert styles.xpath('w:style[@w:styleId="GwLetterDocNumber"]/w:pPr/w:jc/@w:val') == ["right"]
    colophon_text = "".join(cell.text for cell in letter.tables[-1]._cells)
    assert colophon_text == "抄送：区委办公室，区人大常委会办公室。"
    assert "印发" not in "".join(body_texts(letter))


# --- Draft ------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["standard", "letter"])
def test_draft_is_marked_and_shows_no_number(tmp_path, layout):
    document = render(tmp_path, draft=True, layout=layout)
    texts = page_one_texts(document)
    assert "征求意见稿" in texts
    assert not any("〔2023〕" in text for text in texts)
    assert texts.index("征求意见稿") < texts.index(make_document().title_lines[0])


def test_final_document_has_no_draft_marking(standard):
    assert "征求意见稿" not in "".join(body_texts(standard))


# --- Tables and figures ------------------------------------------------------------------


def test_table_header_repeats_and_group_rows_span_all_columns(standard):
    table = attachment_table(standard)
    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    columns = len(make_document().attachments[0].blocks[0].columns)
    for index in (1, 4):  # group rows 0 and 3, after the header
        cells = rows[index].tc_lst
        assert len(cells) == 1 and cells[0].grid_span == columns
        paragraph = cells[0].find(qn("w:p"))
        # Set like the header (黑体, as in the PDF), and kept with the row after it.
        assert paragraph.pPr.pStyle.val.startswith("GwTableHeader")
        assert paragraph.pPr.find(qn("w:keepNext")) is not None
    assert len(rows[2].tc_lst) == columns


def test_table_widths_are_set_on_grid_and_cells(standard):
    from supervision_bulletin.render.docx import column_widths
    from supervision_bulletin.render.table_layout import layout_table, minimum_widths_mm

    model = make_document().attachments[0].blocks[0]
    layout = layout_table(model)
    tbl = attachment_table(standard)._tbl
    grid = [int(col.get(qn("w:w"))) for col in tbl.tblGrid.gridCol_lst]
    assert sum(grid) == pytest.approx(156 * TWIPS_PER_MM, abs=2)
    assert grid == column_widths(layout)
    for width, minimum in zip(grid, minimum_widths_mm(model, layout.size_pt)):
        assert width / TWIPS_PER_MM >= minimum - 0.1
    header_cells = [tc.tcPr.tcW.w for tc in tbl.tr_lst[0].tc_lst]
    assert header_cells == grid
    assert tbl.tblPr.find(f"{qn('w:tblLayout')}").get(qn("w:type")) == "fixed"


def test_tables_take_the_template_table_style_with_cell_margins(standard):
    """The rules and the cell margins (w:tblCellMar) are the GwTable style's; the
    table repeats the margins its widths were computed for."""
    from supervision_bulletin.render.table_layout import CELL_PADDING_X_MM, CELL_PADDING_Y_MM

    expected = {"top": CELL_PADDING_Y_MM, "bottom": CELL_PADDING_Y_MM,
                "left": CELL_PADDING_X_MM, "right": CELL_PADDING_X_MM}
    style = standard.styles.element.xpath('w:style[@w:type="table" and @w:styleId="GwTable"]')[0]
    tbl_pr = attachment_table(standard)._tbl.tblPr
    assert tbl_pr.find(qn("w:tblStyle")).get(qn("w:val")) == "GwTable"
    for margins in (style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}"), tbl_pr.find(qn("w:tblCellMar"))):
        found = {side: int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) / TWIPS_PER_MM for side in expected}
        assert found == pytest.approx(expected, abs=0.05)
    border = style.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}/{qn('w:insideH')}")
    assert (border.get(qn("w:val")), border.get(qn("w:sz"))) == ("single", "4")


def test_table_header_is_broken_only_between_its_words(tmp_path):
    """A header too long for its column is broken at a word boundary, by an
    explicit line break, so no program breaks it inside a word."""
    from supervision_bulletin.document import Attachment, Table

    table = Table(("序号", "单位", "超额完成指标（项）", "被通报批评（次）"), (("1", "区发改委", "2", "0"),),
                  widths=(10, 60, 20, 20))
    document = render(tmp_path, attachments=(Attachment("附件", "加减分情况表", (table,)),))
    header = attachment_table(document)._tbl.tr_lst[0]
    cells = []
    for tc in header.tc_lst:
        lines = [""]
        for element in tc.iter(qn("w:br"), qn("w:t")):
            if element.tag == qn("w:br"):
                lines.append("")
            else:
                lines[-1] += element.text
        cells.append(lines)
    assert cells == [["序号"], ["单位"], ["超额完成指标", "（项）"], ["被通报批评", "（次）"]]


@pytest.mark.parametrize("columns, style", [(8, "GwTableText"), (13, "GwTableTextSmaller")])
def test_a_wide_table_is_set_smaller(tmp_path, columns, style):
    from supervision_bulletin.document import Attachment, Table

    headers = ("单位",) + tuple(f"已完成{i}" for i in range(columns - 1))
    table = Table(headers, (("区发改委",) + ("1",) * (columns - 1),))
    document = render(tmp_path, attachments=(Attachment("附件", "情况表", (table,)),))
    cell = attachment_table(document)._tbl.tr_lst[1].tc_lst[1]
    assert cell.find(qn("w:p")).pPr.pStyle.val == style
    styles = document.styles.element
    size = styles.xpath(f'w:style[@w:styleId="{style}"]/w:rPr/w:sz/@w:val')
    assert size == [{"GwTableText": "24", "GwTableTextSmaller": "18"}[style]]


def test_figure_becomes_an_inline_image_with_its_caption(tmp_path):
    figure = Figure(svg="<svg/>", png=TINY_PNG, caption="图1　完成率", width_mm=120)
    document = render(tmp_path, body=(Paragraph("前文。"), figure))
    pictures = document.inline_shapes
    assert len(pictures) == 1
    assert pictures[0].width.mm == pytest.approx(120, abs=0.1)
    texts = body_texts(document)
    assert texts[texts.index("前文。") + 2] == "图1　完成率"


# --- Colophon --------------------------------------------------------------------------------


def test_colophon_is_pinned_to_the_bottom_with_rules(standard):
    table = standard.tables[-1]
    tbl_pr = table._tbl.tblPr
    position = tbl_pr.find(qn("w:tblpPr"))
    assert position.get(qn("w:vertAnchor")) == "margin" and position.get(qn("w:tblpYSpec")) == "bottom"
    borders = tbl_pr.find(qn("w:tblBorders"))
    sizes = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "bottom", "insideH")}
    assert sizes == {"top": "8", "bottom": "8", "insideH": "6"}
    rows = [row.cells[0].text for row in table.rows]
    assert rows == ["抄送：区委办公室，区人大常委会办公室。", "老城区人民政府督查室\t2023年10月9日印发"]


def test_colophon_without_cc_keeps_only_the_print_line(tmp_path):
    colophon = Colophon(cc=(), printer="老城区人民政府督查室", print_date="2023年10月9日")
    table = render(tmp_path, colophon=colophon).tables[-1]
    assert [row.cells[0].text for row in table.rows] == ["老城区人民政府督查室\t2023年10月9日印发"]


def test_no_colophon_and_no_attachments(tmp_path):
    document = render(tmp_path, colophon=None, attachments=(), attachment_names=())
    assert document.tables == []
    assert "附件" not in "".join(body_texts(document))


# --- Issuer mark, reuse, templates ------------------------------------------------------------


def issuer_mark_sizes(document) -> list[str]:
    mark = next(p for p in document.paragraphs if style_of(p) == "GwIssuerMark")
    return [sz.get(qn("w:val")) for sz in mark._p.iter(qn("w:sz"))]


def test_long_issuer_mark_shrinks_to_one_line(tmp_path):
    assert issuer_mark_sizes(render(tmp_path)) == []  # the template's 40 pt
    long_mark = "老城区人民政府督查室关于重点任务的文件"
    sizes = issuer_mark_sizes(render(tmp_path, issuer_mark=long_mark))
    tracking_pt = -1.0  # the issuer mark style's character spacing
    assert sizes and all((int(size) / 2 + tracking_pt) * len(long_mark) < 156 / 25.4 * 72
                         for size in sizes)


def test_one_renderer_renders_many_documents(tmp_path):
    renderer = DocxRenderer(TEMPLATE_DIR)
    for index, number in enumerate(("老城督查〔2023〕3号", "老城督查〔2023〕4号")):
        out = tmp_path / f"{index}.docx"
        renderer.render(make_document(number=number), out)
        assert number in body_texts(Document(str(out)))


TEMPLATE_PARTS = ("word/document.xml", "word/styles.xml", "word/settings.xml")


@pytest.mark.parametrize("name", ["standard", "letter"])
def test_committed_templates_match_the_generator(tmp_path, name):
    script = REPO_ROOT / "scripts" / "make_docx_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    with zipfile.ZipFile(tmp_path / f"{name}.docx") as built, \
            zipfile.ZipFile(TEMPLATE_DIR / f"{name}.docx") as committed:
        for part in TEMPLATE_PARTS:
            assert built.read(part) == committed.read(part), part


@pytest.mark.parametrize("name", ["standard", "letter"])
def test_every_template_tag_sits_in_one_run(name):
    template = Document(str(TEMPLATE_DIR / f"{name}.docx"))
    parts = [template.element, *(rel.target_part._element for rel in template.part.rels.values()
                                 if rel.reltype.endswith(("/header", "/footer")))]
    for part in parts:
        for text in part.iter(qn("w:t")):
            value = text.text or ""
            assert value.count("{{") == value.count("}}")
            assert value.count("{%") == value.count("%}")


def test_signature_block_never_opens_a_page_alone(standard):
    paragraphs = list(standard.element.body.iter(qn("w:p")))
    note = next(p for p in paragraphs if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith("附件："))
    assert note.getprevious().find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
