"""HTML: report text stays data, blocks keep their order, CSS survives intact."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from supervision_bulletin.document import Figure, Heading, Paragraph
from supervision_bulletin.render.html import (
    HtmlRenderer,
    colophon_lines,
    issuer_mark_size,
    print_geometry,
    render_html,
    svg_with_default_font,
    table_layout,
)
from tests.document_fixtures import HOSTILE_TEXT, make_document

BLOCK_CLASSES = ("heading", "body-text", "data-table", "figure")


class ArticleReader(HTMLParser):
    """Collects the visible text of <article> and the classes of its elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.classes: list[str] = []
        self.style_blocks: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style":
            self._in_style = True
        if tag == "article":
            self.depth += 1
        if self.depth and attributes.get("class"):
            self.classes.append(attributes["class"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data):
        if self._in_style:
            self.style_blocks.append(data)
        elif self.depth:
            self.text.append(data)

    @property
    def words(self) -> str:
        return re.sub(r"\s+", "", "".join(self.text))


def read(html: str) -> ArticleReader:
    reader = ArticleReader()
    reader.feed(html)
    return reader


@pytest.fixture(scope="module")
def renderer():
    return HtmlRenderer()


@pytest.fixture(scope="module")
def document():
    return make_document()


def test_hostile_text_is_printed_literally_and_escaped(renderer, document):
    html = renderer.render(document)
    assert "A&amp;B&lt;公司&gt;报送{{ 7*7 }}与{% raw %}" in html
    assert "<公司>" not in html
    assert "报送49" not in html
    # The parsed page shows the text itself (whitespace aside).
    assert re.sub(r"\s+", "", HOSTILE_TEXT) in read(html).words


def test_hostile_text_in_every_field_stays_data(renderer):
    hostile = replace(
        make_document(),
        title=HOSTILE_TEXT,
        title_lines=(HOSTILE_TEXT,),
        recipients=HOSTILE_TEXT,
        signature=HOSTILE_TEXT,
        issuer_mark=HOSTILE_TEXT,
    )
    for flavour in ("web", "print"):
        html = renderer.render(hostile, flavour=flavour)
        assert "<公司>" not in html
        assert html.count("{{ 7*7 }}") >= 5


def test_blocks_come_out_in_document_order(renderer, document):
    classes = read(renderer.render(document)).classes
    kinds = [
        next(kind for kind in BLOCK_CLASSES if kind in names.split())
        for names in classes
        if any(kind in names.split() for kind in BLOCK_CLASSES)
    ]
    expected = []
    for block in document.body + document.attachments[0].blocks:
        expected.append(
            {"heading": "heading", "paragraph": "body-text", "table": "data-table", "figure": "figure"}[block.kind]
        )
    assert kinds == expected


def test_page_parts_come_out_in_order(renderer, document):
    classes = " ".join(read(renderer.render(document)).classes)
    order = [
        "issuer-mark",
        "doc-number",
        "red-rule",
        "title",
        "recipients",
        "attachment-note",
        "signature-block",
        "attachment-label",
        "attachment-title",
        "colophon-cc",
        "colophon-print",
    ]
    positions = [re.search(rf"\b{name}\b", classes).start() for name in order]
    assert positions == sorted(positions)


def test_words_are_those_of_the_document(renderer, document):
    words = read(renderer.render(document)).words
    for text in (
        document.issuer_mark,
        document.number,
        *document.title_lines,
        document.recipients + "：",
        *document.attachment_note,
        document.signature,
        document.date,
        "抄送：区委办公室，区人大常委会办公室。",
        "2023年10月9日印发",
    ):
        assert text.replace(" ", "") in words


def test_web_and_print_flavours_carry_the_same_words(document):
    from supervision_bulletin.fonts import FontNotFoundError

    renderer = HtmlRenderer()
    try:
        from supervision_bulletin.fonts import default_font_set
        from supervision_bulletin.render.pdf import LineComposer

        composer = LineComposer(default_font_set())
    except (FontNotFoundError, ImportError):
        composer = None
    web = read(renderer.render(document, flavour="web")).words
    printed = read(renderer.render(document, flavour="print", composer=composer)).words
    assert web == printed


def test_web_page_is_a_proper_page(renderer, document):
    html = renderer.render(document)
    assert '<html lang="zh-CN">' in html
    assert f"<title>{document.title}</title>" in html
    assert 'name="viewport"' in html
    assert 'name="author" content="老城区人民政府督查室"' in html


def test_stylesheet_is_not_autoescaped(renderer, document):
    from supervision_bulletin.fonts import FontNotFoundError, default_font_set

    try:
        extra_css = default_font_set().stylesheet()
    except FontNotFoundError:
        extra_css = '@font-face { font-family: "gw-fang"; src: url("file:///x.otf"); }\n'
    html = renderer.render(document, flavour="print", extra_css=extra_css)
    style = "".join(read(html).style_blocks)
    assert "@font-face" in style
    assert 'font-family: "gw-fang"' in style
    assert "&#34;" not in html and "&quot;" not in style
    assert style.strip().endswith("}")


def test_print_flavour_carries_the_geometry(renderer, document):
    html = renderer.render(document, flavour="print")
    assert "--mark-size:" in html and "--title-gap:" in html
    assert "--mark-size" not in renderer.render(document, flavour="web")


def test_draft_has_its_mark_and_no_number(renderer):
    draft = replace(make_document(), draft=True, number=None)
    article = read(renderer.render(draft))
    assert "征求意见稿" in article.words
    assert "draft-mark" in article.classes
    assert "doc-number" not in article.classes


def test_letter_layout(renderer):
    letter = replace(make_document(), layout="letter")
    article = read(renderer.render(letter))
    classes = " ".join(article.classes).split()
    assert "letter-header" in classes and "double-rule--top" in classes
    assert "colophon--letter" in classes
    assert "colophon-print" not in classes  # no 印发 line in a letter
    assert "抄送：区委办公室，区人大常委会办公室。" in article.words


def test_table_group_rows_span_all_columns(renderer, document):
    html = renderer.render(document)
    table = document.attachments[0].blocks[0]
    assert html.count(f'colspan="{len(table.columns)}"') == len(table.group_rows)
    layout = table_layout(table)
    assert abs(sum(layout.widths_percent) - 100) < 0.1
    assert layout.alignments[1] == "left" and layout.alignments[2] == "center"


def test_table_cells_are_escaped_text_and_headers_broken_between_words(renderer):
    from supervision_bulletin.document import Attachment, Table

    table = Table(("序号", "单位", "超额完成指标（项）", "完成率"),
                  (("1", "区发改委", "2", "103.7%"), ("2", "区金融局", "A&B<1>", "—")), widths=(10, 60, 20, 20))
    html = renderer.render(make_document(attachments=(Attachment("附件", "表", (table,)),)))
    assert '<th scope="col">超额完成指标<br/>（项）</th>' in html
    # No element per figure: the line-breaking rules keep "103.7%" whole (see cell_html).
    assert '<td class="align-center">103.7%</td>' in html
    assert "A&amp;B&lt;1&gt;" in html


def test_a_space_never_parts_from_the_closing_mark_after_it():
    from supervision_bulletin.render.html import cell_html

    assert cell_html("完成 %，好") == '完成<span class="nobr"> %，</span>好'
    assert cell_html("{% raw %}<b>") == '{% raw<span class="nobr"> %}</span>&lt;b&gt;'
    assert cell_html("80.5%") == "80.5%"


def test_figure_svg_is_inline_and_caption_escaped(renderer):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5"/></svg>'
    figure = Figure(svg=svg, png=b"", caption="图1 <完成>情况", width_mm=100)
    html = renderer.render(replace(make_document(), body=(Paragraph("正文。"), figure)))
    assert "<svg " in html and "<rect " in html
    assert "图1 &lt;完成&gt;情况" in html
    assert 'font-family="gw-hei, 黑体' in html


def test_svg_default_font_keeps_an_existing_face():
    own = '<svg font-family="KaiTi" viewBox="0 0 1 1"></svg>'
    assert svg_with_default_font(own) == own
    assert svg_with_default_font("<svg>x</svg>").startswith('<svg font-family="')


def test_heading_levels_and_lead(renderer):
    document = replace(
        make_document(),
        body=(Heading(1, "一、甲"), Heading(2, "（一）乙"), Heading(3, "1.丙"), Paragraph("正文", lead="1.丁。")),
    )
    html = renderer.render(document)
    assert '<h2 class="heading heading--1">一、甲</h2>' in html
    assert '<h3 class="heading heading--2">（一）乙</h3>' in html
    assert '<h4 class="heading heading--3">1.丙</h4>' in html
    assert '<strong class="lead">1.丁。</strong>正文' in html


def test_render_html_shortcut(document):
    assert render_html(document) == HtmlRenderer().render(document)


def test_colophon_wording():
    lines = colophon_lines(make_document().colophon)
    assert lines.cc == "抄送：区委办公室，区人大常委会办公室。"
    assert lines.print_date == "2023年10月9日印发"


def test_issuer_mark_stays_inside_the_text_block():
    mm = 72 / 25.4
    for mark in ("老城区人民政府督查室", "老城区人民政府督查室文件", "区政府"):
        size = issuer_mark_size(mark)
        assert len(mark) * size <= 156 * mm
        assert size <= 20 * mm


def test_title_snaps_to_the_body_grid(document):
    geometry = print_geometry(document)
    mm = 72 / 25.4
    rule_bottom = (
        geometry["mark-top"] + geometry["mark-size"] + geometry["number-gap"] + 28.95 + geometry["rule-gap"] + 1.0
    )
    title_top = rule_bottom + geometry["title-gap"]
    assert title_top / 28.95 == pytest.approx(round(title_top / 28.95), abs=1e-6)
    assert geometry["mark-top"] == pytest.approx(35 * mm)
