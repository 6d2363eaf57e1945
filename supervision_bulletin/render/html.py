"""OfficialDocument → HTML, for the government website and as the PDF's source.

One set of templates gives both flavours, so the web page and the PDF carry the
same words:

* ``web``: a responsive page (lang="zh-CN", <title>) styled by ``web.css``;
* ``print``: the same markup laid out by ``print.css`` on the GB/T 9704 page grid,
  plus a few per-document measurements (issuer mark size, header offsets) as CSS
  custom properties. The PDF renderer feeds it to WeasyPrint.

Report text is data. It reaches the templates only as variables, with
autoescaping on, so "A&B<公司>{{ 7*7 }}" prints literally and is never evaluated.
The stylesheets are read from files and inserted unescaped (autoescaping a
<style> block breaks its quotes and with them every @font-face rule).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from supervision_bulletin.document import Colophon, OfficialDocument, Table
from supervision_bulletin.kinsoku import NO_LINE_START
from supervision_bulletin.render.table_layout import TableLayout, layout_table
from supervision_bulletin.resources import TEMPLATES

Flavour = Literal["web", "print"]

DEFAULT_TEMPLATES = TEMPLATES / "html"
LAYOUT_TEMPLATES = {"standard": "standard.html", "letter": "letter.html"}
STYLESHEETS: dict[Flavour, str] = {"web": "web.css", "print": "print.css"}

# --- The GB/T 9704 page grid, in points -------------------------------------

MM = 72 / 25.4
LINE_PITCH = 28.95  # 22 lines fill the 225 mm text block
BODY_SIZE = 16.0  # 3号
HALF_LEADING = (LINE_PITCH - BODY_SIZE) / 2
TEXT_BLOCK_TOP = 37 * MM  # from the top edge of the page
TEXT_BLOCK_WIDTH = 156 * MM

# Issuer mark: as large as looks balanced, never wider than the text block.
ISSUER_MARK_MAX_SIZE = 20 * MM
ISSUER_MARK_MAX_WIDTH = 148 * MM

# Standard layout: the mark's top 35 mm below the text block's top.
STANDARD_MARK_TOP = 35 * MM
RED_RULE_WIDTH = 1.0  # the standard gives no thickness; about 1pt is usual
RULE_BELOW_NUMBER = 4 * MM

# Letter layout: the mark's top 30 mm below the page's top, a red double rule
# (thick over thin) 4 mm under it, the number 7/8 of a 3号 character below that.
LETTER_MARK_TOP = 30 * MM - TEXT_BLOCK_TOP
LETTER_RULE_HEIGHT = 1.5 + 1.0 + 0.5  # thick, gap, thin (matches print.css)
LETTER_RULE_BELOW_MARK = 4 * MM
LETTER_NUMBER_BELOW_RULE = BODY_SIZE * 7 / 8


def text_width_in_characters(text: str) -> float:
    """Width in em: full-width characters count 1, Latin letters and digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def issuer_mark_size(mark: str) -> float:
    """Font size (pt) of the red issuer mark: prominent, but inside the text block."""
    width = max(text_width_in_characters(mark), 1.0)
    return min(ISSUER_MARK_MAX_SIZE, ISSUER_MARK_MAX_WIDTH / width)


def snap_to_grid(offset: float, tolerance: float = 0.25 * LINE_PITCH) -> float:
    """The body grid line nearest to ``offset`` (pt below the text block's top).

    Snapping the title keeps everything after it on the 22-line grid, so page 1's
    body lines sit where Word would put them. The standard's own distances win
    when the nearest grid line is more than ``tolerance`` away.
    """
    nearest = round(offset / LINE_PITCH) * LINE_PITCH
    return nearest if abs(nearest - offset) <= tolerance else offset


def _standard_geometry(document: OfficialDocument) -> dict[str, float]:
    mark_size = issuer_mark_size(document.issuer_mark)
    mark_bottom = STANDARD_MARK_TOP + mark_size
    # The number's line starts two empty lines under the mark; the red rule sits
    # 4 mm under the number's characters (not under its line box).
    number_line_top = mark_bottom + 2 * LINE_PITCH
    number_glyph_bottom = number_line_top + LINE_PITCH - HALF_LEADING
    rule_top = number_glyph_bottom + RULE_BELOW_NUMBER
    rule_bottom = rule_top + RED_RULE_WIDTH
    title_top = snap_to_grid(rule_bottom + 2 * LINE_PITCH)
    rule_gap = RULE_BELOW_NUMBER - HALF_LEADING
    if not document.number:
        # No number line (a draft): keep the rule where it would be.
        rule_gap = rule_top - mark_bottom
    return {
        "mark-top": STANDARD_MARK_TOP,
        "mark-size": mark_size,
        "number-gap": 2 * LINE_PITCH,
        "rule-gap": rule_gap,
        "title-gap": title_top - rule_bottom,
    }


def _letter_geometry(document: OfficialDocument) -> dict[str, float]:
    mark_size = issuer_mark_size(document.issuer_mark)
    rule_bottom = LETTER_MARK_TOP + mark_size + LETTER_RULE_BELOW_MARK + LETTER_RULE_HEIGHT
    number_line_top = rule_bottom + LETTER_NUMBER_BELOW_RULE - HALF_LEADING
    if document.number:
        last_element_bottom = number_line_top + LINE_PITCH
        title_top = snap_to_grid(last_element_bottom + 2 * LINE_PITCH)
        title_gap = title_top - last_element_bottom
    else:
        title_top = snap_to_grid(rule_bottom + 2 * LINE_PITCH)
        title_gap = title_top - max(number_line_top, 0.0)
    return {
        "mark-top": LETTER_MARK_TOP,
        "mark-size": mark_size,
        # The number is the first element in the flow (the header is positioned).
        "number-top": max(number_line_top, 0.0),
        "title-gap": title_gap,
    }


def print_geometry(document: OfficialDocument) -> dict[str, float]:
    """Per-document layout measurements (pt) that print.css reads as var(--name)."""
    if document.layout == "letter":
        return _letter_geometry(document)
    return _standard_geometry(document)


def geometry_style(geometry: dict[str, float]) -> str:
    return "; ".join(f"--{name}: {value:.2f}pt" for name, value in geometry.items())


# --- Small layout helpers the templates call --------------------------------


# The type size of a table (table_layout.TABLE_SIZES_PT) as a class of print.css / web.css.
TABLE_SIZE_CLASSES = {12.0: "", 10.5: "data-table--small", 9.0: "data-table--smaller"}


def table_layout(table: Table) -> TableLayout:
    """The table's size, widths, header lines and alignments (shared with Word)."""
    return layout_table(table)


def table_size_class(layout: TableLayout) -> str:
    return TABLE_SIZE_CLASSES.get(layout.size_pt, "")


# A space before a mark that must not open a line ("完成 %"): the one place where
# the Unicode rules allow a break that the kinsoku rules forbid.
_SPACE_THEN_CLOSING = re.compile("\\s+[" + re.escape("".join(sorted(NO_LINE_START))) + "]+")


def cell_html(text: str) -> Markup:
    """A cell's text, escaped.

    A figure ("103.7%", "↑3.2", "23-1") needs no markup to stay on one line: the
    Unicode line-breaking rules that WeasyPrint (Pango) and browsers follow give
    no break inside it, and the columns are as wide as their figures
    (table_layout). Only a space followed by closing punctuation is held together
    in a span. (An element per figure would cost a long table a third of its boxes.)"""
    parts = []
    position = 0
    for match in _SPACE_THEN_CLOSING.finditer(text):
        parts.append(escape(text[position:match.start()]))
        parts.append(Markup('<span class="nobr">{}</span>').format(match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@dataclass(frozen=True)
class ColophonLines:
    cc: str  # "抄送：甲，乙。" or ""
    printer: str
    print_date: str  # "2023年10月9日印发"


def colophon_lines(colophon: Colophon) -> ColophonLines:
    """The 版记 wording fixed by GB/T 9704: organs joined by "，", ending with "。"."""
    return ColophonLines(cc=colophon.cc_line, printer=colophon.printer, print_date=colophon.printed_on)


# Chart labels that name no face get Hei: "gw-hei" is the PDF's @font-face face,
# the other names serve browsers and any program reading the SVG on its own.
# (WeasyPrint's SVG text takes its face from SVG attributes only, not from CSS.)
SVG_DEFAULT_FONT = "gw-hei, 黑体, SimHei, FandolHei, Noto Sans CJK SC, sans-serif"
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)


def svg_with_default_font(svg: str, families: str = SVG_DEFAULT_FONT) -> str:
    """``svg`` with a font-family on its root element unless it has one already."""
    root = _SVG_ROOT.search(svg)
    if root is None or "font-family" in root.group(0):
        return svg
    position = root.start() + len("<svg")
    return f'{svg[:position]} font-family="{families}"{svg[position:]}'


# --- Rendering ----------------------------------------------------------------


def make_environment(templates: Path) -> SandboxedEnvironment:
    """A sandboxed Jinja environment that escapes everything it prints."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        table_layout=table_layout, table_size_class=table_size_class, colophon_lines=colophon_lines
    )
    environment.filters["cell"] = cell_html
    environment.filters["svg_default_font"] = svg_with_default_font
    return environment


class HtmlRenderer:
    """Builds the Jinja environment once; renders any number of documents."""

    def __init__(self, templates: Path | str = DEFAULT_TEMPLATES):
        self.templates = Path(templates)
        self.environment = make_environment(self.templates)
        self._stylesheets: dict[str, str] = {}

    def stylesheet(self, flavour: Flavour) -> str:
        """The plain CSS text of a flavour (never passed through Jinja)."""
        if flavour not in self._stylesheets:
            self._stylesheets[flavour] = self.stylesheet_path(flavour).read_text(encoding="utf-8")
        return self._stylesheets[flavour]

    def stylesheet_path(self, flavour: Flavour) -> Path:
        return self.templates / STYLESHEETS[flavour]

    def render(
        self,
        document: OfficialDocument,
        *,
        flavour: Flavour = "web",
        embed_stylesheet: bool = True,
        extra_css: str = "",
        composer: object | None = None,
        template: str | None = None,
        window: object | None = None,
    ) -> str:
        """The HTML of ``document``, through the template of its layout unless told.

        ``embed_stylesheet=False`` leaves the <style> out, for a caller that
        supplies the (pre-parsed) stylesheet itself, as the PDF renderer does.
        ``extra_css`` (e.g. @font-face rules) is prepended to the embedded one.
        ``composer`` (print only) breaks body text into lines of its own, each
        spread to both edges; see supervision_bulletin.render.pdf.LineComposer.
        ``window`` (print only) prints a window of an attachment's long table; see
        supervision_bulletin.render.long.TableWindow.
        """
        page = self.environment.get_template(template or LAYOUT_TEMPLATES[document.layout])
        stylesheet = ""
        if embed_stylesheet:
            stylesheet = extra_css + self.stylesheet(flavour)
        geometry = geometry_style(print_geometry(document)) if flavour == "print" else ""
        return page.render(
            document=document,
            flavour=flavour,
            stylesheet=stylesheet,
            geometry=geometry,
            composer=composer if flavour == "print" else None,
            window=window if flavour == "print" else None,
        )


@functools.cache
def _default_renderer(templates: Path) -> HtmlRenderer:
    return HtmlRenderer(templates)


def render_html(
    document: OfficialDocument,
    *,
    flavour: Flavour = "web",
    templates: Path | str = DEFAULT_TEMPLATES,
) -> str:
    """Render one document with a shared renderer (see HtmlRenderer.render)."""
    return _default_renderer(Path(templates)).render(document, flavour=flavour)
