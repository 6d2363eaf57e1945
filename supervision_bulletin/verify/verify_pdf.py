"""Measure a PDF against GB/T 9704-2012: page, text block, grid, header, page numbers.

Everything is read back from the file (supervision_bulletin.verify.pdf_layout), nothing is
taken from the renderer: the same checks hold for a PDF made by any program.
Tolerances are the standard's own where it gives one (±1 mm for the margins)
and the issue's for justification (0.5 mm); others are stated beside them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from supervision_bulletin.verify import rules
from supervision_bulletin.verify.pdf_layout import (
    A4,
    BLOCK_BOTTOM,
    BLOCK_LEFT,
    BLOCK_TOP,
    BLOCK_WIDTH,
    BODY_SIZE,
    BODY_SIZES,
    LINE_PITCH,
    MM,
    PAGE_NUMBER_TEXT,
    Band,
    Page,
    PdfLayout,
    TextLine,
    is_black,
    is_red,
    read_pdf,
)
from supervision_bulletin.verify.pdf_tables import table_problems
from supervision_bulletin.verify.rules import Finding, Rule
from supervision_bulletin.verify.text import (
    CLOSING_PUNCTUATION,
    NUMBER_LIKE,
    date_problems,
    is_wide,
    mention_problems,
    number_problems,
    style_name,
)

MARGIN_TOLERANCE = 1 * MM  # GB/T 9704 5.2.1: ±1 mm
POSITION_TOLERANCE = 1 * MM  # positions the standard gives without a tolerance
FLUSH_TOLERANCE = 0.5 * MM  # justification, as the issue asks
TITLE_SIZE = 22.0
SMALL_SIZE = 14.0  # 4号: page numbers, colophon
ONE_CHARACTER = BODY_SIZE - 0.22  # body characters are set 0.22pt tight (28 a line)
PAGE_NUMBER_DROP = 7 * MM  # the dashes below the text block
LETTER_MARK_TOP = 30 * MM
LETTER_RULE_LENGTH = 170 * MM
LETTER_LOWER_RULE_BOTTOM = A4[1] - 20 * MM
LETTER_NUMBER_GAP = BODY_SIZE * 7 / 8  # 7/8 of a 3号 character under the upper rule (4.9 mm)
IDEOGRAPHIC_ASCENT = 0.88  # em above the baseline of a CJK character's box
THICK_RULE = (0.30 * MM, 0.40 * MM)  # 0.35 mm ± 0.05
THIN_RULE = (0.20 * MM, 0.30 * MM)  # 0.25 mm ± 0.05

HEADING_NUMERALS = (
    (re.compile(r"^[一二三四五六七八九十]+、"), "hei", "一级标题"),
    (re.compile(r"^（[一二三四五六七八九十]+）"), "kai", "二级标题"),
    (re.compile(r"^\d+[.．]"), "fang", "三级标题"),
    (re.compile(r"^（\d+）"), "fang", "四级标题"),
)
ATTACHMENT_LABEL = re.compile(r"^附件[0-9一二三四五六七八九十]*$")
SIGNED_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
OPENING = set("（《「『【〔〈“‘([{<—…")


@dataclass(frozen=True)
class Geometry:
    """Layout kind and text block as found in this PDF."""

    layout: str  # "standard" or "letter"
    left: float  # the text block's left edge as measured (pt from the page's left)

    @property
    def right(self) -> float:
        return self.left + BLOCK_WIDTH

    @property
    def centre(self) -> float:
        return self.left + BLOCK_WIDTH / 2


class Checker:
    """The checks of one PDF; each check method yields findings."""

    def __init__(self, doc: PdfLayout):
        self.doc = doc
        self.geometry = Geometry(detect_layout(doc), measured_left(doc))
        self.flow = body_flow(doc)

    def finding(self, place: str, rule: Rule, detail: str) -> Finding:
        return Finding(self.doc.path, place, rule, detail)

    def run(self) -> list[Finding]:
        if not self.doc.pages:
            return [self.finding("", rules.READABLE, "PDF 没有页面")]
        checks = (
            self.page_size, self.fonts, self.body_size, self.text_block, self.line_pitch,
            self.full_pages, self.characters_per_line, self.justified, self.kinsoku,
            self.headings, self.title, self.header, self.colour, self.tables, self.page_numbers,
            self.colophon, self.dates, self.archive,
        )
        return [finding for check in checks for finding in check()]

    # --- Page and faces ---------------------------------------------------------

    def page_size(self) -> Iterator[Finding]:
        for page in self.doc.pages:
            if abs(page.width - A4[0]) > 1 or abs(page.height - A4[1]) > 1:
                yield self.finding(
                    f"第{page.number}页", rules.PAGE_SIZE,
                    f"页面 {page.width / MM:.1f} mm × {page.height / MM:.1f} mm（应为 A4 210 mm × 297 mm）",
                )

    def fonts(self) -> Iterator[Finding]:
        for font in self.doc.fonts.values():
            if not font.embedded:
                yield self.finding("", rules.FONTS, f"字体 {font.label} 未嵌入")
            elif font.style is None:
                yield self.finding("", rules.FONTS, f"嵌入了非公文风格的字体 {font.label}（可能是字体替换）")
        styles = Counter(
            self.doc.style_of(glyph) for line in self.flow for glyph in line.ink
            if not _heading_level(line, self.geometry)
        )
        if styles:
            style, _ = styles.most_common(1)[0]
            if style != "fang":
                yield self.finding("", rules.BODY_FONT, f"正文字体为{style_name(style)}（应为仿宋）")

    def body_size(self) -> Iterator[Finding]:
        for _page, lines in _by_page(self.flow):
            wrong = [line for line in lines if abs(line.size - BODY_SIZE) > 0.2]
            if wrong:
                yield self.finding(
                    wrong[0].place, rules.BODY_FONT,
                    f"正文字号 {wrong[0].size:g} pt（应为 3 号，16 pt），本页共 {len(wrong)} 行",
                )

    # --- Text block and grid ----------------------------------------------------------

    def text_block(self) -> Iterator[Finding]:
        left = self.geometry.left
        if abs(left - BLOCK_LEFT) > MARGIN_TOLERANCE:
            yield self.finding(
                "", rules.TEXT_BLOCK, f"正文左边缘距纸张左边 {left / MM:.1f} mm（订口应为 28 mm ± 1 mm）"
            )
        # Only a page that opens with body text shows where the text block starts.
        tops = [
            (line, line_box_top(line)) for line in _first_lines(self.flow)
            if line.page > 1 and self._opens_page(line)
        ]
        off = [(line, top) for line, top in tops if abs(top - BLOCK_TOP) > MARGIN_TOLERANCE]
        if off:
            line, top = off[0]
            yield self.finding(
                line.place, rules.TEXT_BLOCK,
                f"首行上边缘距纸张上边 {top / MM:.1f} mm（天头应为 37 mm ± 1 mm），共 {len(off)} 页",
            )
        yield from self._overflow()

    def _opens_page(self, line: TextLine) -> bool:
        page = self.doc.pages[line.page - 1]
        return page.text_lines[0] is line and page.graphics_top > line.top

    def _overflow(self) -> Iterator[Finding]:
        header_bottom = header_limit(self.doc.pages[0], self.geometry.layout)
        for page in self.doc.pages:
            for line in page.text_lines:
                if page.number == 1 and self.geometry.layout == "letter" and line.bottom <= header_bottom:
                    continue  # the letter's issuer mark sits above the text block
                out = max(
                    BLOCK_LEFT - MARGIN_TOLERANCE - line.x0,
                    line.x1 - (BLOCK_LEFT + BLOCK_WIDTH + MARGIN_TOLERANCE),
                    line.bottom - (BLOCK_BOTTOM + MARGIN_TOLERANCE),
                    BLOCK_TOP - MARGIN_TOLERANCE - line.top,
                )
                if out > 0:
                    yield self.finding(
                        line.place, rules.TEXT_BLOCK,
                        f"“{line.snippet}”超出版心 {out / MM + 1:.1f} mm",
                    )
                    break  # one a page is enough to find the fault

    def line_pitch(self) -> Iterator[Finding]:
        pitches = Counter(
            round(b.baseline - a.baseline, 1)
            for a, b in zip(self.flow, self.flow[1:])
            if a.page == b.page and 0 < b.baseline - a.baseline < 1.5 * LINE_PITCH
        )
        if not pitches:
            return
        pitch, count = pitches.most_common(1)[0]
        if abs(pitch - LINE_PITCH) > 0.3:
            yield self.finding(
                "", rules.GRID, f"正文行距 {pitch:g} pt（应为 28.95 pt，每面 22 行），共 {count} 处"
            )

    def full_pages(self) -> Iterator[Finding]:
        """A page the text runs on from holds all 22 lines (widow/orphan control off)."""
        pages = self.doc.pages
        for page, following in zip(pages[1:], pages[2:]):
            if not self._text_only(page) or not self._flow_continues(following):
                continue
            count = sum(1 for line in self.flow if line.page == page.number)
            if count != 22:
                yield self.finding(
                    f"第{page.number}页", rules.GRID,
                    f"正文在下页接续，本页 {count} 行（应排满 22 行）",
                )

    def _text_only(self, page: Page) -> bool:
        lines = list(page.text_lines)
        return page.graphics == 0 and bool(lines) and all(line in self._flow_set for line in lines)

    @property
    def _flow_set(self) -> set[TextLine]:
        return set(self.flow)

    def _flow_continues(self, page: Page) -> bool:
        lines = [line for line in self.flow if line.page == page.number]
        if not lines or lines[0] is not page.text_lines[0]:
            return False
        first = lines[0]
        if ATTACHMENT_LABEL.match(first.text.strip()) or _heading_level(first, self.geometry):
            return False  # a new part, or a heading kept with its text
        # The signature block never opens a page alone: the engine carries the last
        # lines along, so the page before the one that ends the text may be short.
        return not any(self._ends_text(line) for line in lines)

    def _ends_text(self, line: TextLine) -> bool:
        text = line.text.strip()
        return text.startswith("附件：") or (SIGNED_DATE.match(text) is not None and line.x0 > self.geometry.centre)

    def characters_per_line(self) -> Iterator[Finding]:
        for _page, pairs in _by_page_pairs(self._full_lines()):
            wrong = []
            for line, following in pairs:
                ink = line.ink
                if not all(is_wide(glyph.text) for glyph in ink):
                    continue
                expected = 28 if abs(line.x0 - self.geometry.left) <= 1.0 else (
                    26 if abs(line.x0 - self.geometry.left - 2 * ONE_CHARACTER) <= 3.0 else None
                )
                if expected is None or len(ink) == expected:
                    continue
                if _kinsoku_adjusted(line, following, len(ink) - expected):
                    continue
                wrong.append((line, len(ink), expected))
            if wrong:
                line, count, expected = wrong[0]
                yield self.finding(
                    line.place, rules.GRID,
                    f"整行 {count} 字（应为 {expected} 字，每行 28 字），本页共 {len(wrong)} 行",
                )

    def _full_lines(self) -> list[tuple[TextLine, TextLine | None]]:
        """Lines that reach the right edge or are followed by their paragraph's next line."""
        full = []
        for line, following in zip(self.flow, [*self.flow[1:], None]):
            continued = following is not None and self._continues(line, following)
            if continued or abs(line.x1 - self.geometry.right) <= FLUSH_TOLERANCE:
                full.append((line, following if continued else None))
        return full

    def _continues(self, line: TextLine, following: TextLine) -> bool:
        """``following`` carries on the paragraph of ``line`` (so ``line`` is not its last)."""
        left = self.geometry.left
        if abs(following.x0 - left) > 1.0 or ATTACHMENT_LABEL.match(following.text.strip()):
            return False
        if line.x0 > left + 2 * ONE_CHARACTER + 3.0:
            return False  # right-aligned or centred: signature, date
        if following.page == line.page:
            return abs(following.baseline - line.baseline - LINE_PITCH) <= 1.5
        page_lines = [item for item in self.flow if item.page == line.page]
        next_lines = [item for item in self.flow if item.page == following.page]
        return following.page == line.page + 1 and page_lines[-1] is line and next_lines[0] is following

    def justified(self) -> Iterator[Finding]:
        right = self.geometry.right
        for _page, pairs in _by_page_pairs(
            [(line, following) for line, following in self._full_lines() if following is not None]
        ):
            ragged = [(line, right - line.x1) for line, _ in pairs if abs(right - line.x1) > FLUSH_TOLERANCE]
            if ragged:
                line, gap = max(ragged, key=lambda item: abs(item[1]))
                where = "短于" if gap > 0 else "超出"
                numbers = "、".join(str(item.number) for item, _ in ragged)
                yield self.finding(
                    line.place, rules.JUSTIFY,
                    f"段落非末行右端{where}版心右边缘 {abs(gap) / MM:.1f} mm（应不超过 0.5 mm），"
                    f"本页第 {numbers} 行",
                )

    def kinsoku(self) -> Iterator[Finding]:
        for page in self.doc.pages:
            for line in page.text_lines:
                for fragment in line.fragments():
                    ink = [glyph for glyph in fragment if glyph.text.strip()]
                    if ink and ink[0].text in CLOSING_PUNCTUATION:
                        text = "".join(glyph.text for glyph in fragment).strip()
                        yield self.finding(line.place, rules.KINSOKU, f"行首为“{ink[0].text}”：“{text[:12]}”")

    # --- Headings and titles ----------------------------------------------------------------

    def headings(self) -> Iterator[Finding]:
        for line in self.flow:
            level = _heading_level(line, self.geometry)
            if level is None:
                continue
            expected, label, numeral_length = level
            styles = {self.doc.style_of(glyph) for glyph in line.ink[:numeral_length]}
            if styles != {expected}:
                found = "、".join(sorted(style_name(style) for style in styles))
                yield self.finding(
                    line.place, rules.HEADINGS,
                    f"{label}“{line.snippet}”用{found}（应为{style_name(expected)}）",
                )

    def title(self) -> Iterator[Finding]:
        first = self.doc.pages[0]
        lines = title_lines(first)
        if not lines:
            yield self.finding("第1页", rules.TITLE, "首页版头之下没有居中的标题")
        for line in lines:
            yield from self._title_line(line, rules.TITLE)
        for page in self.doc.pages:
            yield from self._attachment_title(page)

    def _title_line(self, line: TextLine, rule: Rule) -> Iterator[Finding]:
        if abs(line.size - TITLE_SIZE) > 0.3:
            yield self.finding(line.place, rule, f"标题“{line.snippet}”字号 {line.size:g} pt（应为 2 号，22 pt）")
        style = self.doc.line_style(line)
        if style != "xbs":
            yield self.finding(line.place, rule, f"标题“{line.snippet}”用{style_name(style)}（应为小标宋）")

    def _attachment_title(self, page: Page) -> Iterator[Finding]:
        lines = page.text_lines
        for index, line in enumerate(lines):
            if not ATTACHMENT_LABEL.match(line.text.strip()) or abs(line.x0 - self.geometry.left) > 2.0:
                continue
            if self.doc.line_style(line) != "hei" or abs(line.size - BODY_SIZE) > 0.3:
                yield self.finding(
                    line.place, rules.ATTACHMENT,
                    f"“{line.text.strip()}”用{style_name(self.doc.line_style(line))} {line.size:g} pt（应为 3 号黑体）",
                )
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is not None and abs(following.centre - self.geometry.centre) <= 3 * MM:
                yield from self._title_line(following, rules.ATTACHMENT)

    # --- Header (版头) ---------------------------------------------------------------------------

    def header(self) -> Iterator[Finding]:
        page = self.doc.pages[0]
        marks = page.red_lines
        rule = rules.LETTER if self.geometry.layout == "letter" else rules.ISSUER_MARK
        if not marks:
            yield self.finding("第1页", rules.ISSUER_MARK, "首页没有红色的发文机关标志")
        else:
            yield from self._issuer_mark(marks[0], rule)
        if self.geometry.layout == "letter":
            yield from self._letter_rules(page, marks[0] if marks else None)
        else:
            yield from self._red_rule(page, marks[0] if marks else None)
        yield from self._document_numbers(page, marks)

    def _document_numbers(self, page: Page, marks: Sequence[TextLine]) -> Iterator[Finding]:
        """The header's number in full; numbers cited in the text from the year on."""
        titles = title_lines(page)
        first_title = titles[0].top if titles else header_limit(page, self.geometry.layout) + 3 * LINE_PITCH
        header = [
            line for line in page.text_lines
            if line.top < first_title and line not in marks
            and (NUMBER_LIKE.search(line.text) or "〔" in line.text)
        ]
        for line in header:
            text = re.sub(r"\s+", "", line.text)
            for problem in number_problems(text):
                yield self.finding(line.place, rules.DOC_NUMBER, f"发文字号“{text}”：{problem}")
        for each in self.doc.pages:
            for line in each.text_lines:
                if line not in header:
                    for problem in mention_problems(re.sub(r"\s+", "", line.text)):
                        yield self.finding(line.place, rules.DOC_NUMBER, problem)

    def _issuer_mark(self, mark: TextLine, rule: Rule) -> Iterator[Finding]:
        style = self.doc.line_style(mark)
        if style != "xbs":
            yield self.finding(mark.place, rules.ISSUER_MARK, f"发文机关标志用{style_name(style)}（应为小标宋）")
        if self.geometry.layout == "letter":
            expected_top, centre = LETTER_MARK_TOP, A4[0] / 2
            where = "上页边"
        else:
            expected_top, centre = BLOCK_TOP + 35 * MM, self.geometry.centre
            where = "版心上边缘"
        offset = BLOCK_TOP if where == "版心上边缘" else 0.0
        if abs(mark.top - expected_top) > POSITION_TOLERANCE:
            yield self.finding(
                mark.place, rule,
                f"发文机关标志上边缘距{where} {(mark.top - offset) / MM:.1f} mm"
                f"（应为 {(expected_top - offset) / MM:.0f} mm）",
            )
        if abs(mark.centre - centre) > 1.5 * MM:
            yield self.finding(mark.place, rule, f"发文机关标志偏离居中 {(mark.centre - centre) / MM:+.1f} mm")

    def _red_rule(self, page: Page, mark: TextLine | None) -> Iterator[Finding]:
        below = mark.bottom if mark else 0.0
        bands = [band for band in page.bands if is_red(band.color) and band.width > 100 and band.top > below]
        if not bands:
            yield self.finding("第1页", rules.RED_RULE, "版头没有红色分隔线")
            return
        rule = bands[0]
        if abs(rule.width - BLOCK_WIDTH) > POSITION_TOLERANCE or abs(rule.x0 - self.geometry.left) > POSITION_TOLERANCE:
            yield self.finding(
                "第1页", rules.RED_RULE,
                f"红色分隔线长 {rule.width / MM:.1f} mm、左端距纸边 {rule.x0 / MM:.1f} mm"
                "（应与版心等宽：156 mm，自 28 mm 起）",
            )
        numbers = [
            line for line in page.text_lines
            if below < line.top < rule.top and (NUMBER_LIKE.search(line.text) or "〔" in line.text)
        ]
        if numbers:
            gap = rule.top - numbers[-1].bottom
            if abs(gap - 4 * MM) > POSITION_TOLERANCE:
                yield self.finding(
                    numbers[-1].place, rules.RED_RULE, f"红色分隔线距发文字号 {gap / MM:.1f} mm（应为 4 mm）"
                )

    def _letter_rules(self, page: Page, mark: TextLine | None) -> Iterator[Finding]:
        pairs = double_rules([band for band in page.bands if is_red(band.color) and band.width > 100])
        if len(pairs) < 2:
            yield self.finding("第1页", rules.LETTER, f"首页应有上下两条红色双线，只找到 {len(pairs)} 条")
            return
        upper, lower = pairs[0], pairs[-1]
        for pair, name in ((upper, "上方"), (lower, "下方")):
            length = max(band.x1 for band in pair) - min(band.x0 for band in pair)
            centre = (max(band.x1 for band in pair) + min(band.x0 for band in pair)) / 2
            if abs(length - LETTER_RULE_LENGTH) > POSITION_TOLERANCE or abs(centre - A4[0] / 2) > POSITION_TOLERANCE:
                yield self.finding(
                    "第1页", rules.LETTER,
                    f"{name}红色双线长 {length / MM:.1f} mm、偏离居中 {(centre - A4[0] / 2) / MM:+.1f} mm"
                    "（应为 170 mm，居中）",
                )
        if not upper[0].thickness > upper[1].thickness:
            yield self.finding("第1页", rules.LETTER, "上方红色双线应上粗下细")
        if not lower[0].thickness < lower[1].thickness:
            yield self.finding("第1页", rules.LETTER, "下方红色双线应上细下粗")
        if mark is not None and abs(upper[0].top - mark.bottom - 4 * MM) > 1.5 * MM:
            yield self.finding(
                "第1页", rules.LETTER,
                f"上方红色双线距发文机关标志 {(upper[0].top - mark.bottom) / MM:.1f} mm（应为 4 mm）",
            )
        if abs(lower[-1].bottom - LETTER_LOWER_RULE_BOTTOM) > POSITION_TOLERANCE:
            yield self.finding(
                "第1页", rules.LETTER,
                f"下方红色双线距下页边 {(A4[1] - lower[-1].bottom) / MM:.1f} mm（应为 20 mm）",
            )
        yield from self._letter_number(page, max(band.bottom for band in upper))

    def letter_number(self) -> Iterator[Finding]:
        """The letter's number under its upper double rule (nothing for the standard layout)."""
        page = self.doc.pages[0]
        pairs = double_rules([band for band in page.bands if is_red(band.color) and band.width > 100])
        if self.geometry.layout == "letter" and pairs:
            yield from self._letter_number(page, max(band.bottom for band in pairs[0]))

    def _letter_number(self, page: Page, rule_bottom: float) -> Iterator[Finding]:
        """The number (a draft: 征求意见稿) flush with the text block's right edge, its
        characters' top 7/8 of a 3号 character under the upper double rule."""
        below = [line for line in page.text_lines if line.top > rule_bottom - 1.0]
        if not below:
            return
        first = below[0]
        text = re.sub(r"\s+", "", first.text)
        if not (NUMBER_LIKE.search(text) or "〔" in text or text == "征求意见稿"):
            return  # no number (nor marking): the title comes first
        # The characters' top from the baseline, the ideographic em box standing 0.12 em
        # below it: programs write different descents into a PDF (LibreOffice 0), so
        # the glyph boxes of the same line can lie 2 pt apart.
        gap = first.baseline - IDEOGRAPHIC_ASCENT * first.size - rule_bottom
        if abs(gap - LETTER_NUMBER_GAP) > POSITION_TOLERANCE:
            yield self.finding(
                first.place, rules.LETTER,
                f"发文字号距上方红色双线 {gap / MM:.1f} mm（应为 3 号字高的 7/8，{LETTER_NUMBER_GAP / MM:.1f} mm）",
            )
        inset = self.geometry.right - first.x1
        if abs(inset) > POSITION_TOLERANCE:
            yield self.finding(
                first.place, rules.LETTER, f"发文字号右端距版心右边缘 {inset / MM:+.1f} mm（应顶格居版心右边缘）"
            )

    def colour(self) -> Iterator[Finding]:
        limit = header_limit(self.doc.pages[0], self.geometry.layout)
        for page in self.doc.pages:
            wrong = [
                (line, glyph) for line in page.lines for glyph in line.ink
                if glyph.size >= 13 and not is_black(glyph.color)
                and not (page.number == 1 and is_red(glyph.color) and glyph.bottom <= limit)
            ]
            if wrong:
                line, glyph = wrong[0]
                kind = "红色" if is_red(glyph.color) else "非黑色"
                yield self.finding(
                    line.place, rules.COLOUR, f"“{line.snippet}”等 {len(wrong)} 个字为{kind}（正文应为黑色）"
                )

    # --- Tables ----------------------------------------------------------------------------------

    def tables(self) -> Iterator[Finding]:
        for page in self.doc.pages:
            for problem in table_problems(page):
                yield self.finding(problem.place, rules.TABLE, problem.detail)

    # --- Page numbers and colophon ------------------------------------------------------------

    def page_numbers(self) -> Iterator[Finding]:
        for page in self.doc.pages:
            line = page.page_number_line
            if page.number == 1 and self.geometry.layout == "letter":
                if line is not None:
                    yield self.finding("第1页", rules.LETTER, "信函格式首页不显示页码")
                continue
            if not page.text_lines:
                continue  # a blank page carries no number
            if line is None:
                yield self.finding(f"第{page.number}页", rules.PAGE_NUMBER, "缺少页码")
                continue
            yield from self._page_number(page, line)

    def _page_number(self, page: Page, line: TextLine) -> Iterator[Finding]:
        text = re.sub(r"\s+", "", line.text)
        place = f"第{page.number}页页码"
        match = PAGE_NUMBER_TEXT.match(text)
        assert match is not None  # page_number_line is the line that matches
        number = int(match.group(1))
        if number != page.number:
            yield self.finding(place, rules.PAGE_NUMBER, f"页码为 {number}（应为 {page.number}）")
        if not (text.startswith("—") and text.endswith("—")):
            yield self.finding(place, rules.PAGE_NUMBER, f"页码“{text}”两侧应为一字线“—”")
        if abs(line.size - SMALL_SIZE) > 0.3:
            yield self.finding(place, rules.PAGE_NUMBER, f"页码字号 {line.size:g} pt（应为 4 号，14 pt）")
        digits = {self.doc.style_of(glyph) for glyph in line.ink if glyph.text.isdigit()}
        if digits != {"song"}:
            found = "、".join(sorted(style_name(style) for style in digits))
            yield self.finding(place, rules.PAGE_NUMBER, f"页码用{found}（应为宋体）")
        dashes = [glyph for glyph in line.ink if not glyph.text.isdigit()] or list(line.ink)
        middle = sum((glyph.top + glyph.bottom) / 2 for glyph in dashes) / len(dashes)
        drop = middle - BLOCK_BOTTOM
        if abs(drop - PAGE_NUMBER_DROP) > POSITION_TOLERANCE:
            yield self.finding(place, rules.PAGE_NUMBER, f"一字线距版心下边缘 {drop / MM:.1f} mm（应为 7 mm）")
        if page.number % 2:
            inset, side = self.geometry.right - line.x1, "单页页码应居右空一字"
        else:
            inset, side = line.x0 - self.geometry.left, "双页页码应居左空一字"
        if abs(inset - SMALL_SIZE) > POSITION_TOLERANCE:
            yield self.finding(place, rules.PAGE_NUMBER, f"{side}，实际距版心边缘 {inset / MM:.1f} mm（应为 4.9 mm）")

    def colophon(self) -> Iterator[Finding]:
        last = self.doc.pages[-1]
        lines = colophon_lines(last)
        if not lines:
            return
        for line in lines:
            if abs(line.size - SMALL_SIZE) > 0.3:
                yield self.finding(
                    line.place, rules.COLOPHON_TEXT, f"“{line.snippet}”字号 {line.size:g} pt（应为 14 pt）"
                )
        top = lines[0].top - LINE_PITCH
        bottom = lines[-1].bottom + LINE_PITCH / 2
        bands = [
            band for band in last.bands
            if band.width > 100 and top <= band.top <= bottom and not is_red(band.color)
        ]
        if self.geometry.layout == "letter":
            if bands:
                yield self.finding(lines[0].place, rules.LETTER, "信函格式的版记不加分隔线")
            return
        yield from self._colophon_rules(lines, bands)

    def _colophon_rules(self, lines: list[TextLine], bands: list[Band]) -> Iterator[Finding]:
        place = lines[0].place
        if len(bands) < 2:
            yield self.finding(
                place, rules.COLOPHON_RULES, f"版记只有 {len(bands)} 条分隔线（首末两条粗线之间各行以细线分隔）"
            )
            return
        for index, band in enumerate(bands):
            outer = index in (0, len(bands) - 1)
            low, high = THICK_RULE if outer else THIN_RULE
            if not low <= band.thickness <= high:
                expected = "0.35" if outer else "0.25"
                yield self.finding(
                    place, rules.COLOPHON_RULES,
                    f"第 {index + 1} 条分隔线粗 {band.thickness / MM:.2f} mm（应为 {expected} mm）",
                )
            if abs(band.width - BLOCK_WIDTH) > POSITION_TOLERANCE:
                yield self.finding(
                    place, rules.COLOPHON_RULES,
                    f"第 {index + 1} 条分隔线长 {band.width / MM:.1f} mm（应与版心等宽，156 mm）",
                )
        if abs(bands[-1].bottom - BLOCK_BOTTOM) > 1.5 * MM:
            yield self.finding(
                place, rules.COLOPHON_RULES,
                f"版记末条分隔线距版心下边缘 {(BLOCK_BOTTOM - bands[-1].bottom) / MM:.1f} mm（版记应位于末页最后一行）",
            )

    # --- Words and archive ----------------------------------------------------------------------

    def dates(self) -> Iterator[Finding]:
        for page in self.doc.pages:
            for line in page.text_lines:
                for problem in date_problems(re.sub(r"\s+", "", line.text)):
                    yield self.finding(line.place, rules.DATE, problem)

    def archive(self) -> Iterator[Finding]:
        xmp = self.doc.xmp
        part = re.search(r"pdfaid:part\s*(?:=\s*[\"']|>)\s*(\d)", xmp)
        conformance = re.search(r"pdfaid:conformance\s*(?:=\s*[\"']|>)\s*([ABUabu])", xmp)
        if not part:
            yield self.finding("", rules.ARCHIVE, "XMP 元数据未标明 PDF/A（pdfaid:part）")
        elif part.group(1) not in "23" or not conformance:
            found = f"{part.group(1)}{conformance.group(1) if conformance else ''}"
            yield self.finding("", rules.ARCHIVE, f"标明为 PDF/A-{found}（应为 PDF/A-2b）")
        if not self.doc.title or "dc:title" not in xmp:
            yield self.finding("", rules.ARCHIVE, "缺少文档标题（/Title 与 XMP dc:title）")
        if not self.doc.lang:
            yield self.finding("", rules.ARCHIVE, "缺少文档语言（/Lang）")


# --- What the checks share -----------------------------------------------------------------------


def detect_layout(doc: PdfLayout) -> str:
    """"letter" when page 1 has the 170 mm red rules or a mark above the text block."""
    page = doc.pages[0] if doc.pages else None
    if page is None:
        return "standard"
    red_bands = [band for band in page.bands if is_red(band.color)]
    if any(band.width > 163 * MM for band in red_bands):
        return "letter"
    marks = page.red_lines
    if marks and marks[0].top < BLOCK_TOP - 2 * MM:
        return "letter"
    return "standard"


def header_limit(page: Page, layout: str) -> float:
    """The bottom of page 1's header: its red rule (the upper double rule of a letter)."""
    red = [band for band in page.bands if is_red(band.color) and band.width > 100]
    upper = [band for band in red if band.top < page.height / 2]
    if layout == "letter" and double_rules(upper):
        upper = list(double_rules(upper)[0])
    if upper:
        return max(band.bottom for band in upper)
    marks = page.red_lines
    return max((line.bottom for line in marks), default=0.0)


def double_rules(bands: list[Band]) -> list[tuple[Band, ...]]:
    """Red bands grouped into pairs lying less than 3pt apart, top to bottom."""
    groups: list[list[Band]] = []
    for band in sorted(bands, key=lambda b: b.top):
        if groups and band.top - groups[-1][-1].bottom < 3.0:
            if all(abs(band.top - other.top) > 0.01 or abs(band.bottom - other.bottom) > 0.01 for other in groups[-1]):
                groups[-1].append(band)
        else:
            groups.append([band])
    return [tuple(group) for group in groups if len(group) >= 2]


def measured_left(doc: PdfLayout) -> float:
    """The text block's left edge: where the leftmost body lines start."""
    starts = [line.x0 for line in body_flow(doc)]
    return min(starts) if starts else BLOCK_LEFT


def body_flow(doc: PdfLayout) -> list[TextLine]:
    """Body-size lines in reading order: no page numbers, header, titles or tables."""
    flow = []
    for page in doc.pages:
        skip = set(title_lines(page)) if page.number == 1 else set()
        red = set(page.red_lines)
        for line in page.text_lines:
            if line in skip or not BODY_SIZES[0] <= line.size <= BODY_SIZES[1]:
                continue
            if page.number == 1 and page.red_lines and line.top < page.red_lines[0].bottom:
                continue  # 征求意见稿 and the like above the issuer mark
            if line in red:
                continue
            flow.append(line)
    return flow


def title_lines(page: Page) -> list[TextLine]:
    """The centred lines right under page 1's header (the document number skipped)."""
    limit = header_limit(page, detect_layout_of_page(page))
    lines: list[TextLine] = []
    for line in page.text_lines:
        if line.top < limit or line in page.red_lines:
            continue
        text = re.sub(r"\s+", "", line.text)
        if not lines and (NUMBER_LIKE.search(text) or "〔" in text or text == "征求意见稿"):
            continue
        centred = abs(line.centre - (BLOCK_LEFT + BLOCK_WIDTH / 2)) <= 3 * MM and line.x0 > BLOCK_LEFT + 8
        if centred and (not lines or line.baseline - lines[-1].baseline < 2 * LINE_PITCH):
            lines.append(line)
        elif lines or (line.size <= BODY_SIZES[1] and not centred):
            break
    return lines


def detect_layout_of_page(page: Page) -> str:
    return "letter" if any(is_red(b.color) and b.width > 163 * MM for b in page.bands) else "standard"


def colophon_lines(page: Page) -> list[TextLine]:
    """The 版记 lines of the last page: from 抄送 (or the 印发 line) down."""
    lines = list(page.text_lines)
    for index, line in enumerate(lines):
        text = re.sub(r"\s+", "", line.text)
        if text.startswith("抄送") or text.endswith("印发"):
            return lines[index:]
    return []


def line_box_top(line: TextLine) -> float:
    """Top of the grid line a body line sits on (its glyphs centred in the pitch)."""
    return line.top - (LINE_PITCH - (line.bottom - line.top)) / 2


def _first_lines(flow: list[TextLine]) -> list[TextLine]:
    firsts: dict[int, TextLine] = {}
    for line in flow:
        firsts.setdefault(line.page, line)
    return list(firsts.values())


def _by_page(lines: list[TextLine]) -> list[tuple[int, list[TextLine]]]:
    pages: dict[int, list[TextLine]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    return list(pages.items())


def _by_page_pairs(pairs: list[tuple[TextLine, TextLine | None]]):
    pages: dict[int, list] = {}
    for pair in pairs:
        pages.setdefault(pair[0].page, []).append(pair)
    return list(pages.items())


def _heading_level(line: TextLine, geometry: Geometry) -> tuple[str, str, int] | None:
    """(expected style, label, numeral length) for a heading line, else None."""
    if abs(line.x0 - geometry.left - 2 * ONE_CHARACTER) > 4.0:
        return None
    text = line.text.strip()
    for pattern, style, label in HEADING_NUMERALS:
        match = pattern.match(text)
        if match:
            return style, label, len(match.group(0).rstrip("、.．"))
    return None


def _kinsoku_adjusted(line: TextLine, following: TextLine | None, surplus: int) -> bool:
    """More or fewer characters than the grid where the line could not end on it.

    More: the extra characters are closing punctuation squeezed in, which may not
    open the next line. Fewer: the next ``-surplus`` characters could not have
    ended this line, because a break after them is not allowed (closing
    punctuation follows them, or they end with opening punctuation) or because
    they are Latin letters or digits, whose word is carried over whole and is
    narrower than the grid's characters. Either way the line is spread to the
    edge, which the justification check measures.
    """
    if surplus > 0:
        tail = [glyph.text for glyph in line.ink][-surplus:]
        return all(text in CLOSING_PUNCTUATION for text in tail)
    if following is None:
        return False
    deficit = -surplus
    head = [glyph.text for glyph in following.ink][: deficit + 1]
    if len(head) <= deficit or not all(is_wide(text) for text in head[:deficit]):
        return True
    return head[deficit] in CLOSING_PUNCTUATION or head[deficit - 1] in OPENING


def verify_layout_of_tables_and_letter(path: Path) -> list[Finding]:
    """The checks that hold for a PDF of our Word file however a program lays it
    out (scripts/e2e.py runs them on LibreOffice's): the tables, and a letter's
    number under its upper double rule."""
    doc = read_pdf(path)
    if not doc.pages:
        return [Finding(Path(path), "", rules.READABLE, "PDF 没有页面")]
    checker = Checker(doc)
    return [*checker.tables(), *checker.letter_number()]


def verify_pdf(path: Path) -> list[Finding]:
    try:
        doc = read_pdf(path)
    except Exception as error:  # a damaged file is a finding, not a crash
        return [Finding(Path(path), "", rules.READABLE, f"无法读取 PDF：{error}")]
    return Checker(doc).run()
