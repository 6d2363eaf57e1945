"""Measure a Word file against GB/T 9704-2012: page set-up, styles, grid, header, footers.

A DOCX has no pages yet, so this checks what Word lays the pages out from: the
section's size, margins and document grid, the effective fonts and sizes of the
paragraph styles (and any direct formatting that overrides them), the red header,
the page-number footers and the colophon's rules, plus the words that have a
fixed form (document number, dates).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from supervision_bulletin.verify import rules
from supervision_bulletin.verify.docx_styles import (
    StyleBook,
    attr,
    child,
    paragraph_style_id,
    paragraph_text,
    run_style_id,
    text_runs,
)
from supervision_bulletin.verify.rules import Finding, Rule
from supervision_bulletin.verify.text import (
    date_problems,
    face_style,
    mention_problems,
    number_problems,
    style_name,
)

TWIPS_PER_MM = 1440 / 25.4
A4_TWIPS = (11906, 16838)
MARGINS_MM = {"top": 37, "left": 28, "right": 26, "bottom": 35}
MARGIN_TOLERANCE = 1 * TWIPS_PER_MM
SMALL_CHARACTER = 280  # one 4号 (14pt) character, in twips
LETTER_RULE_MM = 170


@dataclass(frozen=True)
class Expectation:
    style: str | None  # face style; None: not fixed
    size: int | None  # half-points; None: not fixed
    rule: Rule
    role: str  # how a clerk calls it


EXPECTED = {
    "Normal": Expectation("fang", 32, rules.BODY_FONT, "正文（默认样式）"),
    "GwBody": Expectation("fang", 32, rules.BODY_FONT, "正文"),
    "GwRecipients": Expectation("fang", 32, rules.BODY_FONT, "主送机关"),
    "GwAttachmentNote": Expectation("fang", 32, rules.BODY_FONT, "附件说明"),
    "GwAttachmentNoteMore": Expectation("fang", 32, rules.BODY_FONT, "附件说明"),
    "GwSignature": Expectation("fang", 32, rules.BODY_FONT, "发文机关署名"),
    "GwDate": Expectation("fang", 32, rules.BODY_FONT, "成文日期"),
    "GwDocNumber": Expectation("fang", 32, rules.DOC_NUMBER, "发文字号"),
    "GwLetterDocNumber": Expectation("fang", 32, rules.DOC_NUMBER, "发文字号"),
    "GwTitle": Expectation("xbs", 44, rules.TITLE, "标题"),
    "GwAttachmentTitle": Expectation("xbs", 44, rules.ATTACHMENT, "附件标题"),
    "GwAttachmentLabel": Expectation("hei", 32, rules.ATTACHMENT, "附件标识"),
    "GwHeading1": Expectation("hei", 32, rules.HEADINGS, "一级标题"),
    "GwHeading2": Expectation("kai", 32, rules.HEADINGS, "二级标题"),
    "GwHeading3": Expectation("fang", 32, rules.HEADINGS, "三级标题"),
    "GwIssuerMark": Expectation("xbs", None, rules.ISSUER_MARK, "发文机关标志"),
    "GwLetterIssuerMark": Expectation("xbs", None, rules.ISSUER_MARK, "发文机关标志"),
    "GwColophon": Expectation("fang", 28, rules.COLOPHON_TEXT, "版记"),
    "GwPageNumberOdd": Expectation("song", 28, rules.PAGE_NUMBER, "单页页码"),
    "GwPageNumberEven": Expectation("song", 28, rules.PAGE_NUMBER, "双页页码"),
}
JUSTIFIED_STYLES = ("GwBody", "GwHeading1", "GwHeading2", "GwHeading3")
MARK_STYLES = ("GwIssuerMark", "GwLetterIssuerMark")
NUMBER_STYLES = ("GwDocNumber", "GwLetterDocNumber")
DATE_STYLE = "GwDate"
SIGNED_DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")
PAGE_FIELD = re.compile(r"^\s*PAGE\b")


@dataclass(frozen=True)
class Para:
    """A paragraph with where it is, for the finding's place."""

    element: object
    place: str
    part: str  # "body", or the header/footer kind: "default-footer", "first-header", …

    # Read once: every check asks each paragraph its style, some its text.
    @functools.cached_property
    def style(self) -> str | None:
        return paragraph_style_id(self.element)

    @functools.cached_property
    def text(self) -> str:
        return paragraph_text(self.element)


def _snippet(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 12 else text[:11] + "…"


class DocxChecker:
    def __init__(self, path: Path):
        from docx import Document

        self.path = Path(path)
        self.document = Document(str(path))
        self.book = StyleBook(self.document.styles.element)
        self.body = self.document.element.body
        self.sections = list(self.body.iter(qn("w:sectPr")))
        self.paragraphs = list(self._body_paragraphs()) + list(self._part_paragraphs())
        self.layout = self._layout()

    def finding(self, place: str, rule: Rule, detail: str) -> Finding:
        return Finding(self.path, place, rule, detail)

    def run(self) -> list[Finding]:
        checks = (
            self.page_setup, self.grid, self.styles, self.direct_formatting, self.justified,
            self.issuer_mark, self.red_rule, self.document_number, self.dates, self.footers,
            self.colophon,
        )
        return [finding for check in checks for finding in check()]

    # --- Where the paragraphs are ----------------------------------------------------------

    def _body_paragraphs(self) -> Iterator[Para]:
        for index, element in enumerate(self.body.iter(qn("w:p")), start=1):
            yield Para(element, f"正文第{index}段", "body")

    def parts(self) -> Iterator[tuple[BaseOxmlElement, str, BaseOxmlElement]]:
        """(sectPr, "header"/"footer", type) → the part's root element, per section."""
        related = self.document.part.related_parts
        for sect in self.sections:
            for kind in ("header", "footer"):
                for reference in sect.findall(qn(f"w:{kind}Reference")):
                    part = related.get(reference.get(qn("r:id")))
                    if part is not None:
                        yield sect, f"{reference.get(qn('w:type'))}-{kind}", part.element

    def _part_paragraphs(self) -> Iterator[Para]:
        names = {"default": "", "even": "偶数页", "first": "首页"}
        for _, part, root in self.parts():
            kind, where = part.split("-")
            label = f"{names.get(kind, kind)}{'页眉' if where == 'header' else '页脚'}"
            for index, element in enumerate(root.iter(qn("w:p")), start=1):
                yield Para(element, f"{label}第{index}段", part)

    def _layout(self) -> str:
        if any(para.style == "GwLetterIssuerMark" for para in self.paragraphs):
            return "letter"
        for para in self.paragraphs:
            for side in self._borders(para).values():
                double = (attr(side, "w:val") or "").startswith(("thickThin", "thinThick"))
                if double and _is_red(attr(side, "w:color")):
                    return "letter"
        return "standard"

    def _borders(self, para: Para) -> dict[str, object]:
        pbdr = self.book.paragraph_value(para.style, child(para.element, "w:pPr"), lambda ppr: child(ppr, "w:pBdr"))
        if pbdr is None:
            return {}
        return {side: child(pbdr, f"w:{side}") for side in ("top", "bottom") if child(pbdr, f"w:{side}") is not None}

    def used_styles(self) -> set[str]:
        return {para.style for para in self.paragraphs if para.style} | {"Normal"}

    # --- Page set-up and grid --------------------------------------------------------------

    def page_setup(self) -> Iterator[Finding]:
        for number, sect in enumerate(self.sections, start=1):
            place = f"第{number}节" if len(self.sections) > 1 else ""
            size = child(sect, "w:pgSz")
            width, height = _int(attr(size, "w:w")), _int(attr(size, "w:h"))
            if (
                width is None or height is None
                or abs(width - A4_TWIPS[0]) > TWIPS_PER_MM or abs(height - A4_TWIPS[1]) > TWIPS_PER_MM
                or attr(size, "w:orient") == "landscape"
            ):
                shown = f"{(width or 0) / TWIPS_PER_MM:.0f} mm × {(height or 0) / TWIPS_PER_MM:.0f} mm"
                yield self.finding(place, rules.PAGE_SIZE, f"页面 {shown}（应为 A4 纵向 210 mm × 297 mm）")
            margins = child(sect, "w:pgMar")
            for side, expected in MARGINS_MM.items():
                value = _int(attr(margins, f"w:{side}")) or 0
                if abs(value - expected * TWIPS_PER_MM) > MARGIN_TOLERANCE:
                    yield self.finding(
                        place, rules.TEXT_BLOCK,
                        f"{_SIDES[side]}边距 {value / TWIPS_PER_MM:.1f} mm（应为 {expected} mm，版心 156 mm × 225 mm）",
                    )
            gutter = _int(attr(margins, "w:gutter")) or 0
            if gutter > MARGIN_TOLERANCE:
                yield self.finding(
                    place, rules.TEXT_BLOCK, f"装订线 {gutter / TWIPS_PER_MM:.1f} mm（应为 0，订口已含在左边距中）"
                )

    def _text_box(self, sect) -> tuple[float, float]:
        """Width (pt) and height (twips) of the text block of a section."""
        size, margins = child(sect, "w:pgSz"), child(sect, "w:pgMar")
        def value(element, name: str) -> int:
            return _int(attr(element, f"w:{name}")) or 0

        width = value(size, "w") - value(margins, "left") - value(margins, "right")
        height = value(size, "h") - value(margins, "top") - value(margins, "bottom")
        return width / 20, height

    def grid(self) -> Iterator[Finding]:
        body_style = "GwBody" if self.book.has("GwBody") else None
        body = self.book.run_format(body_style)
        size_pt = (body.size or 32) / 2
        ppr_value = self.book.paragraph_value
        def line_spacing(ppr):
            spacing = child(ppr, "w:spacing")
            return spacing if attr(spacing, "w:line") else None

        spacing = ppr_value(body_style, None, line_spacing)
        for sect in self.sections[-1:]:
            width_pt, height = self._text_box(sect)
            grid = child(sect, "w:docGrid")
            grid_type = attr(grid, "w:type")
            pitch = _int(attr(grid, "w:linePitch"))
            rule = attr(spacing, "w:lineRule") or "auto"
            line = _int(attr(spacing, "w:line"))
            if rule == "exact" and line:
                lines = int(height / line + 1e-6)
                source = f"正文固定行距 {line / 20:g} 磅"
            elif grid_type in ("lines", "linesAndChars", "snapToChars") and pitch:
                lines = int(height / pitch + 1e-6)
                source = f"文档网格行距 {pitch / 20:g} 磅"
            else:
                lines, source = 0, "既无文档网格也无固定行距"
            if lines != 22:
                yield self.finding("", rules.GRID, f"{source}，每面 {lines} 行（应为 22 行：行距 28.95 磅）")
            if grid_type == "linesAndChars":
                char_space = _int(attr(grid, "w:charSpace")) or 0
                character = size_pt + char_space / 4096
                source = f"文档网格字距 {character:.2f} 磅"
            else:
                character = size_pt + body.spacing / 20
                source = f"正文字符间距 {body.spacing / 20:+g} 磅"
            characters = int(width_pt / character + 1e-6) if character > 0 else 0
            if characters != 28:
                yield self.finding(
                    "", rules.GRID, f"{source}，每行 {characters} 字（应为 28 字：3 号字加 −0.22 至 −0.75 磅间距）"
                )

    # --- Styles and runs -----------------------------------------------------------------------------

    def styles(self) -> Iterator[Finding]:
        used = self.used_styles()
        for style_id, expected in EXPECTED.items():
            if style_id not in used or not self.book.has(style_id):
                continue
            found = self.book.run_format(style_id)
            place = f"样式“{self.book.name(style_id)}”"
            yield from self._format_findings(place, found, expected)

    def _format_findings(self, place: str, found, expected: Expectation) -> Iterator[Finding]:
        style = face_style(found.east_asia)
        if expected.style and style != expected.style:
            themed = (found.east_asia or "").startswith("theme:")
            shown = "主题字体（等线）" if themed else (found.east_asia or "未设置")
            yield self.finding(
                place, expected.rule, f"{expected.role}中文字体为 {shown}（应为{style_name(expected.style)}）"
            )
        if expected.size and found.size != expected.size:
            yield self.finding(
                place, expected.rule,
                f"{expected.role}字号 {(found.size or 0) / 2:g} pt（应为 {expected.size / 2:g} pt）",
            )

    def direct_formatting(self) -> Iterator[Finding]:
        """Runs whose own font or size overrides the style with a wrong one."""
        for para in self.paragraphs:
            expected = EXPECTED.get(para.style or "")
            if expected is None:
                continue
            for run in text_runs(para.element):
                rpr = child(run, "w:rPr")
                overrides = rpr is not None and any(
                    child(rpr, name) is not None for name in ("w:rFonts", "w:sz", "w:rStyle")
                )
                if not overrides:
                    continue
                found = self.book.run_format(para.style, run_style_id(run), rpr)
                styled = self.book.run_format(para.style)
                if (found.east_asia, found.size) == (styled.east_asia, styled.size):
                    continue  # the style itself is reported by styles()
                problems = list(self._format_findings(f"{para.place}（“{_snippet(para.text)}”）", found, expected))
                if expected.size is None:  # the issuer mark may be shrunk to fit
                    problems = [p for p in problems if "字号" not in p.detail]
                if problems:
                    yield from problems
                    break

    def justified(self) -> Iterator[Finding]:
        used = self.used_styles()
        for style_id in JUSTIFIED_STYLES:
            if style_id not in used:
                continue
            jc = self.book.paragraph_value(style_id, None, lambda ppr: attr(child(ppr, "w:jc"), "w:val"))
            if jc not in ("both", "distribute"):
                yield self.finding(
                    f"样式“{self.book.name(style_id)}”", rules.JUSTIFY,
                    f"对齐方式为 {jc or 'left'}（应为两端对齐 both）",
                )

    # --- Header ---------------------------------------------------------------------------------

    def issuer_mark(self) -> Iterator[Finding]:
        marks = [para for para in self.paragraphs if para.style in MARK_STYLES and para.text.strip()]
        if not marks:
            yield self.finding("", rules.ISSUER_MARK, "没有发文机关标志（样式“发文机关标志”的段落）")
            return
        for para in marks:
            for run in text_runs(para.element):
                found = self.book.run_format(para.style, run_style_id(run), child(run, "w:rPr"))
                if not _is_red(found.color):
                    yield self.finding(
                        para.place, rules.ISSUER_MARK,
                        f"发文机关标志“{_snippet(para.text)}”颜色为 {found.color or '自动（黑色）'}（应为红色）",
                    )
                    break

    def red_rule(self) -> Iterator[Finding]:
        if self.layout == "letter":
            yield from self._letter_rules()
            return
        header: list[Para] = []
        for para in self.paragraphs:
            if para.part != "body":
                continue
            if para.style in ("GwTitle",) or (header and para.style == "GwRecipients"):
                break
            header.append(para)
        ruled = [
            (para, side) for para in header for name, side in self._borders(para).items()
            if _is_red(attr(side, "w:color")) and attr(side, "w:val") not in (None, "nil", "none")
        ]
        if not ruled:
            yield self.finding("", rules.RED_RULE, "版头没有红色分隔线（发文字号段落的红色下框线）")
            return
        para, _side = ruled[0]
        left, right = self._indents(para)
        if abs(left) > 20 or abs(right) > 20:
            yield self.finding(
                para.place, rules.RED_RULE,
                f"红色分隔线所在段落左右缩进 {left / TWIPS_PER_MM:.1f} / {right / TWIPS_PER_MM:.1f} mm"
                "（应与版心等宽，不缩进）",
            )

    def _indents(self, para: Para) -> tuple[int, int]:
        ind = self.book.paragraph_value(para.style, child(para.element, "w:pPr"), lambda ppr: child(ppr, "w:ind"))
        return _int(attr(ind, "w:left")) or 0, _int(attr(ind, "w:right")) or 0

    def _letter_rules(self) -> Iterator[Finding]:
        kinds = {"thickThin": "上方红色双线（上粗下细）", "thinThick": "下方红色双线（上细下粗）"}
        sect = self.sections[-1]
        width_pt, _ = self._text_box(sect)
        for prefix, name in kinds.items():
            found = [
                para for para in self.paragraphs
                for side in self._borders(para).values()
                if (attr(side, "w:val") or "").startswith(prefix) and _is_red(attr(side, "w:color"))
            ]
            if not found:
                yield self.finding("", rules.LETTER, f"没有{name}")
                continue
            left, right = self._indents(found[0])
            length = (width_pt * 20 - left - right) / TWIPS_PER_MM
            if abs(length - LETTER_RULE_MM) > 1:
                yield self.finding(found[0].place, rules.LETTER, f"{name}长 {length:.1f} mm（应为 170 mm）")
        if not any(para.style == "GwLetterIssuerMark" and para.part == "first-header" for para in self.paragraphs):
            yield self.finding("", rules.LETTER, "发文机关标志应在首页页眉中（上边缘距上页边 30 mm）")

    def document_number(self) -> Iterator[Finding]:
        for para in self.paragraphs:
            text = re.sub(r"\s+", "", para.text)
            if not text:
                continue
            if para.style in NUMBER_STYLES:
                for problem in number_problems(text):
                    yield self.finding(para.place, rules.DOC_NUMBER, f"发文字号“{text}”：{problem}")
            else:
                for problem in mention_problems(text):
                    yield self.finding(para.place, rules.DOC_NUMBER, problem)

    def dates(self) -> Iterator[Finding]:
        for para in self.paragraphs:
            text = re.sub(r"\s+", "", para.text)
            problems = date_problems(text)
            for problem in problems:
                yield self.finding(para.place, rules.DATE, problem)
            if para.style == DATE_STYLE and text and not problems and not SIGNED_DATE.match(text):
                yield self.finding(para.place, rules.DATE, f"成文日期“{text}”应写作“2023年9月27日”的形式")

    # --- Footers and colophon ------------------------------------------------------------------

    def footers(self) -> Iterator[Finding]:
        settings = self.document.settings.element
        even_and_odd = child(settings, "w:evenAndOddHeaders")
        if even_and_odd is None or attr(even_and_odd, "w:val") in ("0", "false"):
            yield self.finding("", rules.PAGE_NUMBER, "未设置奇偶页不同的页脚（单页居右、双页居左）")
        by_section: dict[int, dict[str, object]] = {}
        for sect, part, root in self.parts():
            if part.endswith("-footer"):
                by_section.setdefault(id(sect), {})[part.split("-")[0]] = root
        for number, sect in enumerate(self.sections, start=1):
            footers = by_section.get(id(sect), {})
            place = f"第{number}节" if len(self.sections) > 1 else ""
            for kind, label, align in (("default", "单页（奇数页）", "right"), ("even", "双页（偶数页）", "left")):
                if kind not in footers:
                    yield self.finding(place, rules.PAGE_NUMBER, f"没有{label}页脚")
                    continue
                yield from self._page_number_footer(footers[kind], f"{label}页脚", align)
            yield from self._first_page_footer(sect, footers.get("first"), place)

    def _page_number_footer(self, root, label: str, align: str) -> Iterator[Finding]:
        paragraphs = [para for para in root.iter(qn("w:p")) if _has_page_field(para)]
        if not paragraphs:
            yield self.finding(label, rules.PAGE_NUMBER, "缺少页码（PAGE 域）")
            return
        para = paragraphs[0]
        style = paragraph_style_id(para)
        text = re.sub(r"\s+", "", paragraph_text(para))
        if not (text.startswith("—") and text.endswith("—")):
            yield self.finding(label, rules.PAGE_NUMBER, f"页码“{text}”两侧应为一字线“—”")
        ppr = child(para, "w:pPr")
        jc = self.book.paragraph_value(style, ppr, lambda p: attr(child(p, "w:jc"), "w:val"))
        if jc != align:
            side = "居右" if align == "right" else "居左"
            yield self.finding(label, rules.PAGE_NUMBER, f"页码对齐为 {jc or 'left'}（应{side}）")
        inset = self._indent_twips(style, ppr, align)
        if abs(inset - SMALL_CHARACTER) > 60:
            yield self.finding(label, rules.PAGE_NUMBER, f"页码距版心边缘 {inset / 20:g} 磅（应空一字，14 磅）")
        for run in text_runs(para):
            found = self.book.run_format(style, run_style_id(run), child(run, "w:rPr"))
            if face_style(found.east_asia) != "song" or found.size != 28:
                yield self.finding(
                    label, rules.PAGE_NUMBER,
                    f"页码字体 {found.east_asia or '未设置'} {(found.size or 0) / 2:g} pt（应为 4 号宋体，14 pt）",
                )
                break

    def _indent_twips(self, style: str | None, ppr, align: str) -> float:
        side = "right" if align == "right" else "left"
        ind = self.book.paragraph_value(style, ppr, lambda p: child(p, "w:ind"))
        chars = _int(attr(ind, f"w:{side}Chars"))
        if chars:
            size = self.book.run_format(style).size or 28
            return chars / 100 * size * 10
        return _int(attr(ind, f"w:{side}")) or 0

    def _first_page_footer(self, sect, footer, place: str) -> Iterator[Finding]:
        title_pg = child(sect, "w:titlePg")
        title_page = title_pg is not None and attr(title_pg, "w:val") not in ("0", "false")
        has_number = footer is not None and any(_has_page_field(p) for p in footer.iter(qn("w:p")))
        if self.layout == "letter":
            if not title_page or has_number:
                yield self.finding(place, rules.LETTER, "信函格式首页不显示页码（首页页脚应不同且无页码）")
        elif title_page and not has_number:
            yield self.finding(place, rules.PAGE_NUMBER, "首页页脚没有页码")

    def colophon(self) -> Iterator[Finding]:
        tables = [
            table for table in self.body.iter(qn("w:tbl"))
            if any(paragraph_style_id(p) == "GwColophon" for p in table.iter(qn("w:p")))
        ]
        for table in tables:
            borders = child(table, "w:tblPr/w:tblBorders")
            rows = len(table.findall(qn("w:tr")))
            sides = {name: child(borders, f"w:{name}") for name in ("top", "bottom", "insideH")}
            if self.layout == "letter":
                if any(_drawn(side) for side in sides.values()):
                    yield self.finding("版记", rules.LETTER, "信函格式的版记不加分隔线")
                continue
            for name, label, (low, high), expected in (
                ("top", "首条", (7, 9), "0.35"),
                ("bottom", "末条", (7, 9), "0.35"),
                ("insideH", "中间", (5, 6), "0.25"),
            ):
                if name == "insideH" and rows < 2:
                    continue
                side = sides[name]
                size = _int(attr(side, "w:sz")) or 0
                if not _drawn(side) or not low <= size <= high:
                    shown = f"{size / 8 * 25.4 / 72:.2f} mm" if _drawn(side) else "无"
                    yield self.finding("版记", rules.COLOPHON_RULES, f"{label}分隔线 {shown}（应为 {expected} mm）")
            width = _int(attr(child(table, "w:tblPr/w:tblW"), "w:w")) or 0
            if abs(width - 156 * TWIPS_PER_MM) > TWIPS_PER_MM:
                yield self.finding(
                    "版记", rules.COLOPHON_RULES, f"版记宽 {width / TWIPS_PER_MM:.1f} mm（应与版心等宽，156 mm）"
                )


_SIDES = {"top": "上", "left": "左", "right": "右", "bottom": "下"}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _is_red(color: str | None) -> bool:
    if not color or len(color) != 6 or color.lower() == "auto":
        return False
    try:
        r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0xC0 and g <= 0x60 and b <= 0x60


def _drawn(side) -> bool:
    return side is not None and attr(side, "w:val") not in (None, "nil", "none")


def _has_page_field(paragraph) -> bool:
    for instr in paragraph.iter(qn("w:instrText")):
        if PAGE_FIELD.match(instr.text or ""):
            return True
    return any(PAGE_FIELD.match(attr(simple, "w:instr") or "") for simple in paragraph.iter(qn("w:fldSimple")))


def verify_docx(path: Path) -> list[Finding]:
    try:
        checker = DocxChecker(path)
    except Exception as error:  # a damaged file is a finding, not a crash
        return [Finding(Path(path), "", rules.READABLE, f"无法读取 Word 文件：{error}")]
    return checker.run()
