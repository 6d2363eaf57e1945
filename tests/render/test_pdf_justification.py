"""Word-like justification in the PDF: every line but a paragraph's last reaches the
right edge of the text block, and the text copied out is the source text."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from supervision_bulletin.document import Heading, Paragraph
from tests.document_fixtures import make_document

MM = 72 / 25.4
BLOCK_LEFT = 28 * MM
BLOCK_RIGHT = (28 + 156) * MM
FLUSH = 0.5 * MM

# Each pushes the line breaker somewhere else: figures and per cents, Latin words
# with spaces, a web address longer than a line, closing punctuation falling on
# the 27th place of a first line (26 characters after the indent), an opening
# quote at a line end, and rare names drawn by the fallback face.
TRICKY = (
    "全区实施重大项目126个，完成投资80.5亿元，为年度目标的80.5%，超序时进度5.5个百分点，"
    "其中GDP增速6.8%，R&D投入强度达到2.35%，新增“专精特新”企业12家。",
    "各单位登录https://www.example.gov.cn/supervision/report/2023/quarterly/index.html填报，"
    "联系人Zhang San，电话0851-12345678，邮箱duchashi@example.gov.cn。",
    "督查室对全区重点任务推进情况进行了逐项核查并形成通报，" * 4,
    "督查室对全区重点任务推进情况进行了逐项核查并形成通报督查室对全区重点任务推进情况进行了"
    "逐项核查并形成“通报”。（详见附件）",
    "Reports from the Science and Technology Bureau were received on time and the quarterly "
    "targets were met in full by all units concerned, with no exceptions reported.",
    "区科工局“新增高新技术企业”完成35家，为年度目标的117.5%；区发改委“完成重大项目投资”"
    "完成80.5亿元，为年度目标的80.5%；区金融局“新增四板挂牌企业”完成2家，为年度目标的40.0%。",
    "张堃、李喆、王珺等同志在督查工作中表现突出，督查室对全区重点任务推进情况进行了逐项核查，"
    "赵昇、钱玥、孙赟、周璟等同志予以通报表扬。",
    # An opening bracket on the 26th place: "（区" goes on, it is not squeezed in.
    "存在问题：挂牌审核周期较长，已申报企业尚未完成挂牌（区金融局）。",
)
CLOSING = set("，。、；：？！）》」』】〕〉”’%")


@pytest.fixture(scope="module")
def tricky(renderer, tmp_path_factory):
    body = (Heading(1, "一、情况说明"), *(Paragraph(text) for text in TRICKY))
    document = replace(make_document(), body=body, attachments=(), attachment_names=(), colophon=None)
    path = tmp_path_factory.mktemp("justify") / "tricky.pdf"
    path.write_bytes(renderer.render_bytes(document))
    return document, path


def composed(renderer, text: str) -> list[str]:
    return [line for line, _ in renderer.composer.break_lines(text, "fang", 2 * (16 - 0.22))]


def body_lines(path):
    """The PDF's 16pt lines from the first paragraph to the last, in order."""
    from supervision_bulletin.verify.pdf_layout import read_pdf

    lines = [
        line for page in read_pdf(path).pages for line in page.text_lines
        if abs(line.size - 16) < 0.3 and line.x1 - line.x0 > 0
    ]
    first = next(i for i, line in enumerate(lines) if line.text.startswith("一、"))
    return lines[first + 1:]


def test_the_breaker_keeps_every_character(renderer):
    for text in TRICKY:
        assert "".join(composed(renderer, text)) == text


def test_no_line_starts_with_closing_punctuation(renderer):
    for text in TRICKY:
        for line in composed(renderer, text)[1:]:
            assert line[0] not in CLOSING, line


def test_spacing_stays_below_what_reads_as_a_space(renderer):
    from supervision_bulletin.render.pdf import MAX_SPACING, MIN_SPACING

    for text in TRICKY:
        for _, spacing in renderer.composer.break_lines(text, "fang", 31.56):
            assert MIN_SPACING <= spacing <= MAX_SPACING <= 2.0


def test_plain_chinese_lines_hold_26_then_28_characters(renderer):
    text = "督查室对全区重点任务推进情况进行了逐项核查并形成通报" * 6
    lines = composed(renderer, text)
    assert len(lines[0]) == 26
    assert all(len(line) == 28 for line in lines[1:-1])


def test_only_punctuation_is_squeezed_beyond_the_grid(renderer):
    from supervision_bulletin.render.pdf import COMPRESSIBLE

    for text in TRICKY:
        for index, line in enumerate(composed(renderer, text)):
            ordinary = line.rstrip("".join(COMPRESSIBLE))
            if all(ord(character) > 0x2E80 for character in ordinary):
                assert len(ordinary) <= (26 if index == 0 else 28), line
    assert composed(renderer, TRICKY[-1])[1].startswith("（区")


def test_a_long_web_address_is_broken_inside_not_left_sticking_out(renderer):
    lines = composed(renderer, TRICKY[1])
    assert lines[0].startswith("各单位登录https://")  # the address starts where the words stop
    assert any(line.endswith("/") for line in lines[:-1])  # broken after a slash


def test_every_non_final_line_reaches_the_right_edge(renderer, tricky):
    _, path = tricky
    pdf_lines = body_lines(path)
    expected = [line.strip() for text in TRICKY for line in composed(renderer, text)]
    assert [re.sub(r"\s+", "", line.text) for line in pdf_lines[: len(expected)]] == [
        re.sub(r"\s+", "", line) for line in expected
    ]
    finals = {sum(len(composed(renderer, text)) for text in TRICKY[: i + 1]) - 1 for i in range(len(TRICKY))}
    for index, line in enumerate(pdf_lines[: len(expected)]):
        if index in finals:
            assert line.x1 < BLOCK_RIGHT + FLUSH
            continue
        assert line.x1 == pytest.approx(BLOCK_RIGHT, abs=FLUSH), (index, line.text)
        assert line.x0 == pytest.approx(BLOCK_LEFT, abs=FLUSH) or line.x0 == pytest.approx(
            BLOCK_LEFT + 2 * (16 - 0.22), abs=FLUSH
        )


def copied_lines(text: str) -> list[str]:
    """Non-empty lines of copied text, page numbers ("— 1 —") left out."""
    return [line.strip() for line in text.splitlines() if line.strip() and not re.match(r"^—\s*\d+\s*—$", line.strip())]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdftotext_gives_back_the_source_lines(renderer, tricky):
    _, path = tricky
    copied = copied_lines(subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                                         text=True, check=True).stdout)
    for text in TRICKY:
        lines = [line.strip() for line in composed(renderer, text)]
        start = copied.index(lines[0])
        assert copied[start: start + len(lines)] == lines  # not one character added, not one lost


def test_pdfplumber_gives_back_the_source_lines(renderer, tricky):
    import pdfplumber

    _, path = tricky
    with pdfplumber.open(path) as pdf:
        copied = copied_lines("\n".join(page.extract_text() or "" for page in pdf.pages))
    for text in TRICKY:
        lines = [line.strip() for line in composed(renderer, text)]
        start = copied.index(lines[0])
        assert copied[start: start + len(lines)] == lines
