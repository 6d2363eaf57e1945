"""`bulletin verify` on Word files: good ones pass, each deliberate defect is found.

The broken documents are good ones mutated with python-docx (or its XML, for
what python-docx has no API for), one defect at a time.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from supervision_bulletin.document import Colophon
from supervision_bulletin.render.docx import DocxRenderer
from supervision_bulletin.resources import TEMPLATES as PACKAGE_TEMPLATES
from supervision_bulletin.verify import rules
from supervision_bulletin.verify.verify_docx import verify_docx
from tests.document_fixtures import make_document

TEMPLATES = PACKAGE_TEMPLATES / "docx"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    renderer = DocxRenderer(TEMPLATES)
    documents = {
        "standard": make_document(),
        "letter": make_document(
            layout="letter", recipients="区金融局",
            colophon=Colophon(cc=("区委办公室",), printer="老城区人民政府督查室", print_date="2023年10月9日"),
        ),
        "draft": make_document(draft=True, number=None),
    }
    paths = {}
    for name, document in documents.items():
        paths[name] = folder / f"{name}.docx"
        renderer.render(replace(document, slug=name), paths[name])
    return paths


def mutated(good_path: Path, tmp_path: Path, change: Callable) -> Path:
    document = Document(str(good_path))
    change(document)
    path = tmp_path / f"broken-{good_path.name}"
    document.save(str(path))
    return path


def style(document, style_id: str):
    return document.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')[0]


def style_rpr(document, style_id: str):
    return style(document, style_id).find(qn("w:rPr"))


def paragraphs_styled(document, style_id: str):
    return [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.pStyle is not None
            and p._p.pPr.pStyle.val == style_id]


def found(path: Path, rule: rules.Rule, *words: str) -> list[str]:
    """The findings of ``rule`` whose line holds every one of ``words``."""
    lines = [f.line() for f in verify_docx(path) if f.rule is rule]
    return [line for line in lines if all(word in line for word in words)]


@pytest.mark.parametrize("name", ["standard", "letter", "draft"])
def test_good_documents_pass(good, name):
    assert [f.line() for f in verify_docx(good[name])] == []


# --- Page and grid ------------------------------------------------------------------------


def test_wrong_margin(good, tmp_path):
    path = mutated(good["standard"], tmp_path, lambda d: setattr(d.sections[0], "left_margin", Mm(25)))
    assert found(path, rules.TEXT_BLOCK, "左边距 25.0 mm", "28 mm")


def test_top_margin_within_one_millimetre_passes(good, tmp_path):
    path = mutated(good["standard"], tmp_path, lambda d: setattr(d.sections[0], "top_margin", Mm(37.8)))
    assert found(path, rules.TEXT_BLOCK) == []


def test_page_not_a4(good, tmp_path):
    def letter_paper(document):
        document.sections[0].page_width = Mm(216)
        document.sections[0].page_height = Mm(279)

    assert found(mutated(good["standard"], tmp_path, letter_paper), rules.PAGE_SIZE, "216 mm × 279 mm")


def test_line_pitch_off_the_22_line_grid(good, tmp_path):
    def loose(document):
        spacing = style(document, "GwBody").find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:line"), "640")

    assert found(mutated(good["standard"], tmp_path, loose), rules.GRID, "32 磅", "19 行")


def test_no_character_spacing_gives_27_characters(good, tmp_path):
    def untracked(document):
        for style_id in ("Normal", "GwBody"):
            rpr = style_rpr(document, style_id)
            for spacing in rpr.findall(qn("w:spacing")):
                rpr.remove(spacing)

    assert found(mutated(good["standard"], tmp_path, untracked), rules.GRID, "每行 27 字")


# --- Fonts and sizes ------------------------------------------------------------------------


def set_east_asia(rpr, face: str) -> None:
    rpr.find(qn("w:rFonts")).set(qn("w:eastAsia"), face)


def test_body_style_in_the_wrong_face(good, tmp_path):
    path = mutated(good["standard"], tmp_path, lambda d: set_east_asia(style_rpr(d, "GwBody"), "宋体"))
    assert found(path, rules.BODY_FONT, "样式“正文”", "宋体", "仿宋")


def test_theme_font_wins_over_the_named_face(good, tmp_path):
    def themed(document):
        style_rpr(document, "GwBody").find(qn("w:rFonts")).set(qn("w:eastAsiaTheme"), "minorEastAsia")

    assert found(mutated(good["standard"], tmp_path, themed), rules.BODY_FONT, "主题字体")


def test_body_size_15pt(good, tmp_path):
    def smaller(document):
        style_rpr(document, "GwBody").find(qn("w:sz")).set(qn("w:val"), "30")

    assert found(mutated(good["standard"], tmp_path, smaller), rules.BODY_FONT, "15 pt", "16 pt")


def test_title_size_20pt(good, tmp_path):
    def smaller(document):
        style_rpr(document, "GwTitle").find(qn("w:sz")).set(qn("w:val"), "40")

    assert found(mutated(good["standard"], tmp_path, smaller), rules.TITLE, "20 pt", "22 pt")


def test_level_one_heading_in_kai(good, tmp_path):
    path = mutated(good["standard"], tmp_path, lambda d: set_east_asia(style_rpr(d, "GwHeading1"), "楷体_GB2312"))
    assert found(path, rules.HEADINGS, "一级标题", "黑体")


def test_direct_formatting_of_one_run(good, tmp_path):
    def one_run(document):
        run = paragraphs_styled(document, "GwBody")[1].runs[-1]
        run._r.get_or_add_rPr().append(parse_xml(f'<w:rFonts {nsdecls("w")} w:eastAsia="微软雅黑"/>'))

    lines = found(mutated(good["standard"], tmp_path, one_run), rules.BODY_FONT, "微软雅黑")
    assert lines and "正文第" in lines[0] and "段" in lines[0]


def test_body_not_justified(good, tmp_path):
    def left(document):
        style(document, "GwBody").find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), "left")

    assert found(mutated(good["standard"], tmp_path, left), rules.JUSTIFY, "left")


# --- Header, number, dates -------------------------------------------------------------------


def test_black_issuer_mark(good, tmp_path):
    def black(document):
        style_rpr(document, "GwIssuerMark").find(qn("w:color")).set(qn("w:val"), "000000")

    assert found(mutated(good["standard"], tmp_path, black), rules.ISSUER_MARK, "000000", "红色")


def test_missing_red_rule(good, tmp_path):
    def unruled(document):
        ppr = style(document, "GwDocNumber").find(qn("w:pPr"))
        ppr.remove(ppr.find(qn("w:pBdr")))

    assert found(mutated(good["standard"], tmp_path, unruled), rules.RED_RULE, "没有红色分隔线")


def replace_text(paragraph, old: str, new: str) -> None:
    for text in paragraph._p.iter(qn("w:t")):
        if old in (text.text or ""):
            text.text = text.text.replace(old, new)


@pytest.mark.parametrize(
    "number, problem",
    [
        ("老城督查〔2023〕03号", "不编虚位"),
        ("老城督查[2023]3号", "六角括号"),
        ("老城督查〔23〕3号", "全称"),
        ("老城督查〔2023〕第3号", "“第”"),
    ],
)
def test_wrong_document_number(good, tmp_path, number, problem):
    def renumber(document):
        replace_text(paragraphs_styled(document, "GwDocNumber")[0], "老城督查〔2023〕3号", number)

    assert found(mutated(good["standard"], tmp_path, renumber), rules.DOC_NUMBER, number, problem)


def test_zero_padded_date(good, tmp_path):
    def padded(document):
        replace_text(paragraphs_styled(document, "GwDate")[0], "2023年10月9日", "2023年10月09日")

    lines = found(mutated(good["standard"], tmp_path, padded), rules.DATE, "2023年10月09日", "2023年10月9日")
    assert lines and "正文第" in lines[0]


def test_zero_padded_month_in_the_colophon(good, tmp_path):
    def padded(document):
        for paragraph in document.element.body.iter(qn("w:p")):
            for text in paragraph.iter(qn("w:t")):
                if (text.text or "").endswith("印发"):
                    text.text = "2023年01月9日印发"

    assert found(mutated(good["standard"], tmp_path, padded), rules.DATE, "2023年01月9日")


# --- Footers and colophon ------------------------------------------------------------------------


def test_missing_page_number_on_even_pages(good, tmp_path):
    def no_field(document):
        footer = document.sections[0].even_page_footer._element
        for run in list(footer.iter(qn("w:r"))):
            if run.find(qn("w:instrText")) is not None or run.find(qn("w:fldChar")) is not None:
                run.getparent().remove(run)

    assert found(mutated(good["standard"], tmp_path, no_field), rules.PAGE_NUMBER, "双页", "缺少页码")


def test_odd_and_even_footers_not_enabled(good, tmp_path):
    def same(document):
        document.settings.odd_and_even_pages_header_footer = False

    assert found(mutated(good["standard"], tmp_path, same), rules.PAGE_NUMBER, "奇偶页")


def test_odd_page_number_on_the_left(good, tmp_path):
    def left(document):
        style(document, "GwPageNumberOdd").find(qn("w:pPr")).find(qn("w:jc")).set(qn("w:val"), "left")

    assert found(mutated(good["standard"], tmp_path, left), rules.PAGE_NUMBER, "单页", "居右")


def test_colophon_rule_too_thick(good, tmp_path):
    def thick(document):
        table = document.tables[-1]._tbl
        table.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).set(qn("w:sz"), "18")

    assert found(mutated(good["standard"], tmp_path, thick), rules.COLOPHON_RULES, "首条", "0.35 mm")


def test_letter_without_its_lower_double_rule(good, tmp_path):
    def unruled(document):
        ppr = style(document, "GwLetterBottomRule").find(qn("w:pPr"))
        ppr.remove(ppr.find(qn("w:pBdr")))

    assert found(mutated(good["letter"], tmp_path, unruled), rules.LETTER, "下方红色双线")


def test_letter_with_a_page_number_on_its_first_page(good, tmp_path):
    def numbered(document):
        section = document.sections[0]
        first, odd = section.first_page_footer._element, section.footer._element
        for paragraph in list(first):
            first.remove(paragraph)
        for paragraph in odd:
            first.append(parse_xml(paragraph.xml) if hasattr(paragraph, "xml") else paragraph)

    assert found(mutated(good["letter"], tmp_path, numbered), rules.LETTER, "首页不显示页码")
