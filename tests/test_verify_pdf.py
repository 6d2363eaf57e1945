"""`bulletin verify` on PDF files: good ones pass, each deliberate defect is found.

The broken PDFs come from the real renderer, given altered CSS (extra_css), a
mutated OfficialDocument, a patched line breaker, or edited PDF objects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from supervision_bulletin.document import Colophon, Paragraph
from supervision_bulletin.verify import rules
from supervision_bulletin.verify.verify_pdf import verify_pdf
from tests.document_fixtures import make_document

PLAIN = "督查室对全区重点任务推进情况进行了逐项核查并形成通报" * 12


def long_document():
    """Several full pages of body text: the 22-line and 28-character rules apply."""
    body = make_document().body + tuple(Paragraph(PLAIN) for _ in range(5))
    return make_document(body=body)


def letter_document():
    return make_document(
        layout="letter", recipients="区金融局",
        colophon=Colophon(cc=("区委办公室",), printer="老城区人民政府督查室", print_date="2023年10月9日"),
    )


@pytest.fixture(scope="module")
def make_renderer():
    from supervision_bulletin.fonts import FontNotFoundError

    try:
        from supervision_bulletin.render.pdf import PdfRenderer

        PdfRenderer()
    except (FontNotFoundError, OSError) as error:
        pytest.skip(f"PDF rendering unavailable here: {error}")
    return PdfRenderer


def render(make_renderer, tmp_path: Path, document=None, css: str = "", name: str = "doc") -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(make_renderer(extra_css=css).render_bytes(document or make_document()))
    return path


def found(path: Path, rule: rules.Rule, *words: str) -> list[str]:
    lines = [f.line() for f in verify_pdf(path) if f.rule is rule]
    return [line for line in lines if all(word in line for word in words)]


@pytest.mark.parametrize("document", [make_document, long_document, letter_document,
                                      lambda: make_document(draft=True, number=None)])
def test_good_documents_pass(make_renderer, tmp_path, document):
    path = render(make_renderer, tmp_path, document())
    assert [f.line() for f in verify_pdf(path)] == []


# --- Page, text block, grid ---------------------------------------------------------------


def test_page_not_a4(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css="@page { size: 216mm 279mm }")
    assert found(path, rules.PAGE_SIZE, "第1页", "216.0 mm × 279.0 mm")


def test_wrong_left_margin(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css="@page { margin: 37mm 26mm 35mm 33mm }")
    assert found(path, rules.TEXT_BLOCK, "33.0 mm", "28 mm")


def test_wrong_top_margin(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css="@page { margin: 42mm 26mm 30mm 28mm }")
    assert found(path, rules.TEXT_BLOCK, "第2页", "42.0 mm", "37 mm")


def test_loose_line_pitch_breaks_the_grid(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, long_document(), css="html { line-height: 27pt }")
    assert found(path, rules.GRID, "行距 27 pt")
    assert found(path, rules.GRID, "第3页", "行（应排满 22 行）")


def test_27_characters_a_line(make_renderer, tmp_path, monkeypatch):
    import supervision_bulletin.render.pdf as pdf

    monkeypatch.setattr(pdf, "NATURAL_SPACING", 0.2)  # a looser natural setting: 27 a line
    path = render(make_renderer, tmp_path, long_document())
    assert found(path, rules.GRID, "整行 27 字", "28 字")


def test_ragged_lines_without_our_line_breaking(make_renderer, tmp_path):
    renderer = make_renderer()
    renderer.composer = None  # the engine's own breaking: text-align: justify leaves CJK ragged
    path = tmp_path / "ragged.pdf"
    path.write_bytes(renderer.render_bytes(make_document()))
    lines = found(path, rules.JUSTIFY, "短于版心右边缘", "0.5 mm")
    assert lines and lines[0].split("：")[1].startswith("第1页第")


def test_closing_punctuation_at_a_line_start(make_renderer, tmp_path, monkeypatch):
    import supervision_bulletin.render.pdf as pdf

    monkeypatch.setattr(pdf, "NO_LINE_START", set())  # kinsoku off
    text = "督查室对全区重点任务推进情况进行了逐项核查并形成通报" + "，现将有关情况通报如下，请各单位认真对照抓好落实。"
    path = render(make_renderer, tmp_path, make_document(body=(Paragraph(text),)))
    assert found(path, rules.KINSOKU, "行首为“，”")


# --- Faces and sizes ---------------------------------------------------------------------------


def test_body_in_song_instead_of_fang(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css="html { font-family: var(--font-song) }")
    assert found(path, rules.BODY_FONT, "正文字体为宋体", "仿宋")


def test_body_size_15pt(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".body-text { font-size: 15pt }")
    assert found(path, rules.BODY_FONT, "15 pt", "16 pt")


def test_title_size_20pt(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".title { font-size: 20pt }")
    assert found(path, rules.TITLE, "20 pt", "22 pt")


def test_title_in_hei(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".title { font-family: var(--font-hei) }")
    assert found(path, rules.TITLE, "黑体", "小标宋")


def test_level_one_heading_in_kai(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".heading--1 { font-family: var(--font-kai) }")
    assert found(path, rules.HEADINGS, "一级标题", "楷体", "黑体")


def test_grey_body_text(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".body-text { color: #555 }")
    assert found(path, rules.COLOUR, "非黑色")


def test_font_not_embedded(make_renderer, tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    good = render(make_renderer, tmp_path)
    writer = PdfWriter(clone_from=PdfReader(str(good)))
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if NameObject(key) in descriptor:
                del descriptor[NameObject(key)]
        break
    broken = tmp_path / "unembedded.pdf"
    with broken.open("wb") as handle:
        writer.write(handle)
    assert found(broken, rules.FONTS, "未嵌入")


# --- Header ----------------------------------------------------------------------------------------


def test_black_issuer_mark(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".issuer-mark { color: #000 }")
    assert found(path, rules.ISSUER_MARK, "没有红色的发文机关标志")


def test_issuer_mark_too_low(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".red-header { padding-top: 80mm }")
    assert found(path, rules.ISSUER_MARK, "80.0 mm", "35 mm")


def test_black_header_rule(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".red-rule { border-top-color: #000 }")
    assert found(path, rules.RED_RULE, "没有红色分隔线")


def test_short_header_rule(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".red-rule { margin-left: 20mm; margin-right: 20mm }")
    assert found(path, rules.RED_RULE, "116.0 mm")


@pytest.mark.parametrize(
    "number, problem",
    [("老城督查〔2023〕03号", "不编虚位"), ("老城督查（2023）3号", "六角括号"), ("老城督查〔2023〕第3号", "“第”")],
)
def test_wrong_document_number(make_renderer, tmp_path, number, problem):
    path = render(make_renderer, tmp_path, make_document(number=number))
    assert found(path, rules.DOC_NUMBER, number, problem)


def test_zero_padded_date(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, make_document(date="2023年10月09日"))
    assert found(path, rules.DATE, "2023年10月09日", "应为“2023年10月9日”")


# --- Page numbers and colophon --------------------------------------------------------------------


def test_missing_page_number_on_even_pages(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css="@page :left { @bottom-center { content: none } }")
    assert found(path, rules.PAGE_NUMBER, "第2页", "缺少页码")
    assert not found(path, rules.PAGE_NUMBER, "第1页")


def test_page_number_too_low(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css="@page { @bottom-center { padding-top: 40pt } }")
    assert found(path, rules.PAGE_NUMBER, "一字线距版心下边缘", "7 mm")


def test_odd_page_number_on_the_left(make_renderer, tmp_path):
    css = "@page :right { @bottom-center { text-align: left; padding-left: 14pt; padding-right: 0 } }"
    path = render(make_renderer, tmp_path, css=css)
    assert found(path, rules.PAGE_NUMBER, "第1页", "居右")


def test_page_number_with_hyphens(make_renderer, tmp_path):
    css = '@page :right { @bottom-center { content: "- " counter(page) " -" } }'
    path = render(make_renderer, tmp_path, css=css)
    assert found(path, rules.PAGE_NUMBER, "一字线")


def test_thick_middle_colophon_rule(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".colophon p:first-child { border-bottom-width: 0.6mm }")
    assert found(path, rules.COLOPHON_RULES, "第 2 条", "0.60 mm", "0.25 mm")


def test_letter_numbered_on_its_first_page(make_renderer, tmp_path):
    css = '@page letter:first { @bottom-center { content: "— " counter(page) " —" } }'
    path = render(make_renderer, tmp_path, letter_document(), css=css)
    assert found(path, rules.LETTER, "首页不显示页码")


def test_letter_without_its_lower_double_rule(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, letter_document(), css=".double-rule--bottom { display: none }")
    assert found(path, rules.LETTER, "两条红色双线")


def test_letter_number_too_far_below_the_rule(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, letter_document(), css=".letter-number-line { padding-top: 12mm }")
    assert found(path, rules.LETTER, "发文字号距上方红色双线", "4.9 mm")


def test_letter_number_not_flush_right(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, letter_document(), css=".letter-number-line .doc-number { text-align: center }")
    assert found(path, rules.LETTER, "发文字号右端距版心右边缘", "顶格居版心右边缘")


# --- Tables -----------------------------------------------------------------------------------------


def test_table_header_broken_inside_a_word(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".data-table col:first-child { width: 4% !important }")
    assert found(path, rules.TABLE, "第3页表格第1行第1列", "表头“序号”在词中换行：“序/号”")


def test_table_figure_split_from_its_percent_sign(make_renderer, tmp_path):
    css = ".data-table td { overflow-wrap: anywhere } .data-table col:nth-child(5) { width: 4.5% !important }"
    path = render(make_renderer, tmp_path, css=css)
    assert found(path, rules.TABLE, "第5列", "单元格中的数字拆在两行")


def test_table_text_against_the_rules(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, css=".data-table th, .data-table td { padding: 0 }")
    assert found(path, rules.TABLE, "第3页表格", "距表格线 0.1 mm", "不少于 0.5 mm")


def test_percent_sign_opening_a_line_in_a_table_cell(make_renderer, tmp_path):
    """GB/T 15834 holds in table cells too: a "%" never opens a line."""
    css = ".data-table td { overflow-wrap: anywhere } .data-table col:nth-child(5) { width: 6.5% !important }"
    path = render(make_renderer, tmp_path, css=css)
    assert found(path, rules.KINSOKU, "第3页", "行首为“%”")
    assert found(path, rules.TABLE, "第3页表格第3行第5列", "“80.5/%”")
    assert found(path, rules.TABLE, "第3页表格第1行第5列", "“完成/率”")  # 2 + 1: the lone 率


@pytest.mark.parametrize(
    "lines, broken",
    [
        (("序", "号"), ("序号", "序/号")),
        (("目标", "值"), ("目标值", "目标/值")),
        (("序时进", "度"), ("序时进度", "序时进/度")),
        (("超额完成指标", "（项）"), None),  # between words
        (("严重", "滞后"), None),  # a long word in its middle, two and two
        (("序号",), None),
    ],
)
def test_where_a_header_may_break(lines, broken):
    from supervision_bulletin.verify.pdf_tables import split_word

    assert split_word(lines) == broken


def test_not_pdf_a(make_renderer, tmp_path, monkeypatch):
    import supervision_bulletin.render.pdf as pdf

    monkeypatch.setattr(pdf, "PDF_VARIANT", None)
    path = render(make_renderer, tmp_path)
    assert found(path, rules.ARCHIVE, "PDF/A")


def test_damaged_file_is_a_finding(tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\nnot really")
    assert [f.rule for f in verify_pdf(path)] == [rules.READABLE]


def test_findings_name_the_file_the_place_and_the_rule(make_renderer, tmp_path):
    path = render(make_renderer, tmp_path, make_document(date="2023年10月09日"), name="通报")
    line = next(f for f in verify_pdf(path) if f.rule is rules.DATE).line(relative_to=tmp_path)
    assert line.startswith("通报.pdf：第")
    assert "〔日期，GB/T 9704-2012 7.3.5〕" in line



# ordinary report text the 28-characters check must accept ----------------------------


def lines_everywhere(text: str) -> tuple:
    """``text`` after 0 to 27 characters, so that its every character meets a line end."""
    return tuple(Paragraph("截至目前" + "各" * k + text) for k in range(28))


@pytest.mark.parametrize("text", [
    "完成ERP系统deployment，采用PPP模式",
    "一二三四五六七八九十、一二三四、五六七",
    "全区推行“一网通办”。“最多跑一次”改革（试行）全面推开。",
    "截至2023年10月完成123456789户，同比增长12.5%。",
    "完成𠀋项目建设，推进𠀡工程。",
])
def test_lines_with_latin_words_or_before_punctuation_pass(text, tmp_path, renderers):
    document = make_document(body=lines_everywhere(text), slug="lines")
    written, _faces = renderers.render_files(document, tmp_path)
    findings = verify_pdf(tmp_path / written.files["pdf"])
    assert not findings, [finding.line() for finding in findings]
