"""PDF: page size, words, embedded faces and the GB/T 9704 positions, measured."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import replace

import pytest

from supervision_bulletin.document import Colophon, Paragraph
from tests.document_fixtures import HOSTILE_TEXT, make_document

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4
BLOCK_LEFT = 28 * MM
BLOCK_RIGHT = (28 + 156) * MM
BLOCK_TOP = 37 * MM
BLOCK_BOTTOM = (37 + 225) * MM
LINE = 28.95
ONE_CHARACTER_14PT = 14.0

# A paragraph of plain Chinese characters: every full line must hold 28 of them.
PLAIN_TEXT = "督查室对全区重点任务推进情况进行了逐项核查并形成通报" * 12
GBK_NAMES = "堃喆珺昇玥赟璟"


@pytest.fixture(scope="module")
def rendered(renderer, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "document.pdf"
    result = renderer.write(make_document(), path)
    return result, path.read_bytes()


@pytest.fixture(scope="module")
def long_rendered(renderer, tmp_path_factory):
    """Enough plain body text for several full pages, plus rare names."""
    body = make_document().body + tuple(Paragraph(PLAIN_TEXT) for _ in range(5)) + (
        Paragraph(f"{GBK_NAMES}等同志表现突出。"),
    )
    path = tmp_path_factory.mktemp("pdf") / "long.pdf"
    result = renderer.write(replace(make_document(), body=body), path)
    return result, path.read_bytes()


def pages(data: bytes):
    return pdfplumber.open(io.BytesIO(data)).pages


def lines_of(page) -> list[list[dict]]:
    """The page's characters grouped into text lines, top to bottom."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for char in page.chars:
        rows[round(char["top"], 0)].append(char)
    return [sorted(rows[top], key=lambda c: c["x0"]) for top in sorted(rows)]


def text_of(line: list[dict]) -> str:
    return "".join(char["text"] for char in line)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pages_are_a4(rendered):
    _, data = rendered
    for page in pages(data):
        assert page.width == pytest.approx(595.28, abs=0.1)
        assert page.height == pytest.approx(841.89, abs=0.1)


def test_words_of_the_document_are_in_the_pdf(rendered):
    result, data = rendered
    document = make_document()
    words = squeeze("".join(char["text"] for page in pages(data) for char in page.chars))
    for text in (*document.title_lines, document.number, document.issuer_mark, HOSTILE_TEXT):
        assert squeeze(text) in words
    assert "报送49" not in words
    assert result.pages == len(pages(data)) == 3


def test_faces_are_embedded_stand_ins_or_official(renderer, rendered):
    result, _ = rendered
    assert result.fonts
    for font in result.fonts:
        assert font.embedded, font
        assert renderer.font_set.covers(font.postscript_name), font
    body_face = renderer.font_set.face("fang")
    assert body_face.postscript_name in result.faces
    expected = {face.postscript_name for face in renderer.font_set.faces.values()}
    assert expected <= set(result.faces)
    if not body_face.official:
        assert "FandolFang-Regular" in result.faces


def test_page_numbers_sit_right_on_odd_and_left_on_even_pages(rendered):
    _, data = rendered
    first, second = pages(data)[:2]
    number_one = [line for line in lines_of(first) if squeeze(text_of(line)) == "—1—"]
    number_two = [line for line in lines_of(second) if squeeze(text_of(line)) == "—2—"]
    assert number_one and number_two
    one, two = number_one[0], number_two[0]
    assert one[-1]["x1"] == pytest.approx(BLOCK_RIGHT - ONE_CHARACTER_14PT, abs=1.0 * MM)
    assert two[0]["x0"] == pytest.approx(BLOCK_LEFT + ONE_CHARACTER_14PT, abs=1.0 * MM)
    for line in (one, two):
        assert line[0]["size"] == pytest.approx(14, abs=0.1)
        middle = (line[0]["top"] + line[0]["bottom"]) / 2
        assert middle == pytest.approx(BLOCK_BOTTOM + 7 * MM, abs=1.5 * MM)


def test_header_positions(rendered):
    _, data = rendered
    first = pages(data)[0]
    lines = lines_of(first)
    mark = next(line for line in lines if text_of(line) == "老城区人民政府督查室")
    assert mark[0]["top"] == pytest.approx(BLOCK_TOP + 35 * MM, abs=1.0 * MM)
    assert mark[0]["x0"] >= BLOCK_LEFT and mark[-1]["x1"] <= BLOCK_RIGHT
    assert mark[0]["non_stroking_color"] in ((1, 0, 0), [1, 0, 0], (1.0, 0.0, 0.0))
    number = next(line for line in lines if "〔2023〕" in text_of(line))
    red_rule = min(
        (rect for rect in first.rects if rect["width"] > 150 * MM),
        key=lambda rect: rect["top"],
    )
    assert red_rule["top"] - number[0]["bottom"] == pytest.approx(4 * MM, abs=1.0 * MM)
    assert red_rule["x0"] == pytest.approx(BLOCK_LEFT, abs=0.5) and red_rule["x1"] == pytest.approx(BLOCK_RIGHT, abs=0.5)


def test_colophon_ends_at_the_bottom_of_the_last_page(rendered):
    _, data = rendered
    last = pages(data)[-1]
    lines = lines_of(last)
    printed = next(line for line in lines if text_of(line).endswith("印发"))
    cc = next(line for line in lines if text_of(line).startswith("抄送："))
    assert printed[0]["bottom"] <= BLOCK_BOTTOM
    assert BLOCK_BOTTOM - printed[0]["bottom"] < LINE
    assert cc[0]["top"] < printed[0]["top"]
    assert printed[0]["size"] == pytest.approx(14, abs=0.1)
    # 印发机关 one character in from the left, the date one in from the right.
    assert printed[0]["x0"] == pytest.approx(BLOCK_LEFT + ONE_CHARACTER_14PT, abs=1.0)
    assert printed[-1]["x1"] == pytest.approx(BLOCK_RIGHT - ONE_CHARACTER_14PT, abs=1.0)


def test_a_full_line_holds_28_characters(long_rendered):
    _, data = long_rendered
    plain = set(PLAIN_TEXT)
    full_lines = [
        line
        for page in pages(data)
        for line in lines_of(page)
        if line[0]["size"] == pytest.approx(16, abs=0.1)
        and set(text_of(line)) <= plain
        and line[0]["x0"] == pytest.approx(BLOCK_LEFT, abs=0.5)
        and line[-1]["x1"] > BLOCK_RIGHT - 16
    ]
    assert len(full_lines) > 10
    for line in full_lines:
        assert len(line) == 28
        assert line[-1]["x1"] == pytest.approx(BLOCK_RIGHT, abs=1.0)


def test_full_pages_hold_22_lines(long_rendered):
    _, data = long_rendered
    middle_page = pages(data)[2]
    body = [line for line in lines_of(middle_page) if line[0]["size"] == pytest.approx(16, abs=0.1)]
    assert len(body) == 22
    first_glyph_top = body[0][0]["top"]
    assert first_glyph_top == pytest.approx(BLOCK_TOP + (LINE - 16) / 2, abs=1.5)
    pitches = [b[0]["top"] - a[0]["top"] for a, b in zip(body, body[1:])]
    assert all(pitch == pytest.approx(LINE, abs=0.2) for pitch in pitches)


def test_rare_names_fall_back_to_a_same_style_face(long_rendered):
    result, data = long_rendered
    words = "".join(char["text"] for page in pages(data) for char in page.chars)
    assert GBK_NAMES in words
    # Behind the Fang face: the Song-style (serif) Noto face, in its Chinese forms.
    assert any(face.startswith("NotoSerifCJKsc") for face in result.faces)
    assert not any("CJKjp" in face or "NotoSans" in face for face in result.faces)


def test_metadata(rendered):
    from pypdf import PdfReader

    _, data = rendered
    reader = PdfReader(io.BytesIO(data))
    document = make_document()
    assert reader.metadata.title == document.title
    assert reader.metadata.author == document.issuer
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_renderer_is_reusable_and_reproducible(renderer, rendered):
    _, data = rendered
    assert renderer.render_bytes(make_document()) == data


def test_letter_layout_has_no_number_on_its_first_page(renderer, tmp_path):
    letter = replace(
        make_document(),
        layout="letter",
        colophon=Colophon(cc=("区委办公室",), printer="老城区人民政府督查室", print_date="2023年10月9日"),
    )
    path = tmp_path / "letter.pdf"
    renderer.write(letter, path)
    letter_pages = pages(path.read_bytes())
    first_words = squeeze(text_of([c for line in lines_of(letter_pages[0]) for c in line]))
    assert "—1—" not in first_words
    mark = next(line for line in lines_of(letter_pages[0]) if text_of(line) == "老城区人民政府督查室")
    assert mark[0]["top"] == pytest.approx(30 * MM, abs=1.0 * MM)
    last_words = squeeze("".join(c["text"] for c in letter_pages[-1].chars))
    assert "抄送：区委办公室。" in last_words
    assert "印发" not in last_words


@pytest.mark.parametrize("draft", [False, True])
def test_letter_number_sits_under_the_upper_double_rule_flush_right(renderer, tmp_path, draft):
    """GB/T 9704 10.1: 顶格居版心右边缘, 7/8 of a 3号 character (14 pt) under the rule."""
    from supervision_bulletin.verify.pdf_layout import is_red, read_pdf
    from supervision_bulletin.verify.verify_pdf import double_rules

    letter = make_document(layout="letter", draft=draft, number=None if draft else make_document().number)
    path = tmp_path / "letter.pdf"
    renderer.write(letter, path)
    page = read_pdf(path).pages[0]
    upper = double_rules([band for band in page.bands if is_red(band.color) and band.width > 100])[0]
    rule_bottom = max(band.bottom for band in upper)
    number = next(line for line in page.text_lines if line.top > rule_bottom)
    assert squeeze(number.text) == ("征求意见稿" if draft else letter.number)
    character_top = number.baseline - 0.88 * number.size  # the ideographic em box's top
    assert character_top - rule_bottom == pytest.approx(16 * 7 / 8, abs=0.3 * MM)
    assert number.x1 == pytest.approx(BLOCK_RIGHT, abs=0.5 * MM)


def test_table_headers_figures_and_padding_hold_in_the_pdf(renderer, tmp_path):
    """Columns asked for far too narrow (and a ninth, short-valued one): the
    headers still keep their words whole, every figure keeps to one line with its
    "%" or sign, and the text keeps off the rules."""
    from supervision_bulletin.document import Attachment, Table
    from supervision_bulletin.render.table_layout import CELL_PADDING_X_MM, layout_table
    from supervision_bulletin.verify.pdf_layout import read_pdf
    from supervision_bulletin.verify.pdf_tables import clearance, tables_on

    columns = ("序号", "指标", "目标值", "完成值", "完成率", "序时进度", "状态", "较上期", "责任单位")
    rows = tuple(
        (str(serial), "10-1 规上工业企业研发活动覆盖率", "5187", "62.2", "103.7%", "100.0%", "严重滞后", change,
         "区市场监管局")
        for serial, change in ((1, "↑13.2"), (2, "—"), (3, "-0.5"))
    )
    table = Table(columns, rows, widths=(3, 90, 3, 3, 3, 3, 3, 3, 3))
    path = tmp_path / "table.pdf"
    renderer.write(make_document(attachments=(Attachment("附件", "情况表", (table,)),)), path)
    found = [each for page in read_pdf(path).pages for each in tables_on(page)]
    assert len(found) == 1 and len(found[0].rows) == 1 + len(rows)
    assert [cell.texts for cell in found[0].header] == [tuple(lines) for lines in layout_table(table).header_lines]
    assert all(len(cell.lines) == 1 for cell in found[0].header)  # here every header fits one line
    for row, values in zip(found[0].rows[1:], rows):
        assert [cell.text for cell in row] == [squeeze(value) for value in values]
        assert all(len(cell.lines) == 1 for index, cell in enumerate(row) if index != 1)
    closest = min(clearance(cell) for row in found[0].rows for cell in row)
    assert closest >= CELL_PADDING_X_MM * MM - 0.5  # less the rule's half width


def test_bold_lead_is_drawn_bold(rendered):
    from pypdf import PdfReader

    _, data = rendered
    reader = PdfReader(io.BytesIO(data))
    contents = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b"2 Tr" in contents  # the lead "1.区科工局。" is stroked as well as filled


def test_rare_names_keep_the_line_pitch(renderer, tmp_path):
    # The fallback face is taller than Fandol; its glyphs must not stretch a line.
    names = Paragraph(f"张{GBK_NAMES[0]}、李{GBK_NAMES[1]}、王{GBK_NAMES[2]}等同志工作扎实。" * 4)
    document = replace(make_document(), body=(names, names, names), attachments=(), attachment_names=())
    path = tmp_path / "names.pdf"
    renderer.write(document, path)
    first = pages(path.read_bytes())[0]
    tops = sorted({round(c["top"], 1) for c in first.chars if c["text"] in "张李王" and abs(c["size"] - 16) < 0.1})
    pitches = [b - a for a, b in zip(tops, tops[1:])]
    assert len(pitches) >= 5
    assert all(pitch == pytest.approx(LINE, abs=0.2) for pitch in pitches)


def test_standalone_print_html_carries_its_fonts(renderer):
    html = renderer.print_html(make_document(), standalone=True)
    style = html[html.index("<style>"):html.index("</style>")]
    assert style.count("@font-face") >= 5
    assert 'font-family: "gw-fang"' in style and "--font-fang:" in style
    assert "&#34;" not in style


IMPORT_COUNTING_SEARCHES = """
import ctypes.util, sys
searched = []
search = ctypes.util.find_library
ctypes.util.find_library = lambda name: searched.append(name) or search(name)
counting = ctypes.util.find_library
from supervision_bulletin.render.engine import import_weasyprint
import_weasyprint()
from weasyprint.text.ffi import fontconfig, harfbuzz, pango
assert ctypes.util.find_library is counting, "find_library not put back"
print(len(searched), pango.pango_version() > 0, harfbuzz is not None, fontconfig is not None)
"""


def test_weasyprint_loads_its_libraries_without_searching_for_them():
    """Each search runs ldconfig and gcc; the loader finds the sonames WeasyPrint lists."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", IMPORT_COUNTING_SEARCHES], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "True", "True", "True"]
