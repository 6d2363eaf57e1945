"""Tables as a PDF shows them: rows between the horizontal rules, cells between the
column rules, and the text lines of each cell.

Read from the drawn rules and glyphs only (supervision_bulletin.verify.pdf_layout), so it
works on a PDF made by any program: ours, or LibreOffice's of our Word file
(scripts/e2e.py). Three things are checked (rules.TABLE):

* a header cell breaks only between words (supervision_bulletin.document.table_words), or,
  when a table is too wide for anything else, inside a word of four or more
  characters with at least two on each side: never "序/号", "目标/值" or
  "序时进/度";
* a figure stays on one line with its sign and "%": never "106.7" / "%";
* the text keeps off the column rules (at least 0.5 mm).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from supervision_bulletin.document import table_words
from supervision_bulletin.verify.pdf_layout import MM, Page, is_black
from supervision_bulletin.verify.pdf_marks import Glyph

LEVEL_TOLERANCE = 1.0  # pt: rules this close in height are one horizontal rule
EDGE_TOLERANCE = 1.5  # pt: a column rule reaches a horizontal rule within this
MIN_ROW_HEIGHT = 2.0  # pt: closer horizontal rules are a double rule, not a row
MIN_RULE_LENGTH = 2 * MM  # shorter: a chart's tick mark, not a table rule
MIN_CLEARANCE = 0.5 * MM  # between the text of a cell and its column rules
FIGURE_END = set("0123456789.")
FIGURE_CONTINUATION = set("0123456789.%‰")


@dataclass(frozen=True)
class Cell:
    page: int
    row: int  # 0 for the table's first row on the page (its header)
    left: float
    right: float
    top: float
    bottom: float
    lines: tuple[tuple[Glyph, ...], ...]  # top to bottom, each left to right, spaces left out

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple("".join(glyph.text for glyph in line) for line in self.lines)

    @property
    def text(self) -> str:
        return "".join(self.texts)


@dataclass(frozen=True)
class TableOnPage:
    page: int
    rows: tuple[tuple[Cell, ...], ...]  # the first is the header row (repeated on each page)

    @property
    def header(self) -> tuple[Cell, ...]:
        return self.rows[0]


@dataclass
class Level:
    """A horizontal rule at one height, as the spans of its segments."""

    y: float
    spans: list[list[float]]

    def add(self, x0: float, x1: float) -> None:
        self.spans.append([x0, x1])
        self.spans.sort()
        merged = [self.spans[0]]
        for low, high in self.spans[1:]:
            if low <= merged[-1][1] + EDGE_TOLERANCE:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self.spans = merged

    def covers(self, left: float, right: float) -> bool:
        return any(low <= left + EDGE_TOLERANCE and high >= right - EDGE_TOLERANCE for low, high in self.spans)


def _levels(page: Page) -> list[Level]:
    """The black horizontal rules, by height (a chart's coloured lines and short
    tick marks left out)."""
    levels: list[Level] = []
    for band in sorted(page.bands, key=lambda b: (b.top + b.bottom) / 2):
        if not is_black(band.color) or band.width < MIN_RULE_LENGTH:
            continue
        y = (band.top + band.bottom) / 2
        if levels and y - levels[-1].y <= LEVEL_TOLERANCE:
            levels[-1].add(band.x0, band.x1)
        else:
            levels.append(Level(y, [[band.x0, band.x1]]))
    return levels


def _edges(page: Page, top: float, bottom: float) -> list[float]:
    """The black column rules crossing the whole band between two horizontal rules."""
    xs = sorted(
        upright.x for upright in page.uprights
        if is_black(upright.color) and upright.top <= top + EDGE_TOLERANCE and upright.bottom >= bottom - EDGE_TOLERANCE
    )
    edges: list[float] = []
    for x in xs:
        if not edges or x - edges[-1] > LEVEL_TOLERANCE:
            edges.append(x)
    return edges


def _cell_lines(glyphs: list[Glyph]) -> tuple[tuple[Glyph, ...], ...]:
    lines: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.baseline, g.x0)):
        if lines and abs(glyph.baseline - lines[-1][0].baseline) <= LEVEL_TOLERANCE:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return tuple(tuple(sorted(line, key=lambda g: g.x0)) for line in lines)


def tables_on(page: Page) -> list[TableOnPage]:
    """The tables drawn on ``page``, each as rows of cells."""
    glyphs = [glyph for line in page.lines for glyph in line.glyphs if glyph.text.strip()]
    levels = _levels(page)
    tables: list[list[list[Cell]]] = []
    previous_bottom = None
    for upper, lower in zip(levels, levels[1:]):
        top, bottom = upper.y, lower.y
        if bottom - top < MIN_ROW_HEIGHT:
            continue
        edges = _edges(page, top, bottom)
        # A row of a table: column rules from top to bottom, rules across its whole width.
        if len(edges) < 2 or not (upper.covers(edges[0], edges[-1]) and lower.covers(edges[0], edges[-1])):
            previous_bottom = None
            continue
        if previous_bottom is None or abs(previous_bottom - top) > LEVEL_TOLERANCE:
            tables.append([])  # no row ends where this one starts: a new table
        row_index = len(tables[-1])
        cells = []
        in_row = [glyph for glyph in glyphs if top < (glyph.top + glyph.bottom) / 2 < bottom]
        for left, right in zip(edges, edges[1:]):
            inside = [glyph for glyph in in_row if left < (glyph.x0 + glyph.x1) / 2 < right]
            cells.append(Cell(page.number, row_index, left, right, top, bottom, _cell_lines(inside)))
        tables[-1].append(cells)
        previous_bottom = bottom
    return [TableOnPage(page.number, tuple(tuple(row) for row in rows)) for rows in tables if rows]


# --- What may not happen in a cell ---------------------------------------------------------------


def split_word(lines: tuple[str, ...]) -> tuple[str, str] | None:
    """(word, "序/号") when the lines of a header cell break a word badly: inside a
    word shorter than four characters, or leaving one character of it alone."""
    text = "".join(lines)
    breaks = set()
    position = 0
    for line in lines[:-1]:
        position += len(line)
        breaks.add(position)
    start = 0
    for word in table_words(text):
        start = text.index(word, start)
        end = start + len(word)
        for cut in sorted(b for b in breaks if start < b < end):
            head, tail = cut - start, end - cut
            if len(word) < 4 or head < 2 or tail < 2:
                return word, f"{text[start:cut]}/{text[cut:end]}"
        start = end
    return None


def split_figure(cell: Cell) -> str | None:
    """"106.7/%" when a figure runs from the end of one line of the cell to the next."""
    for upper, lower in zip(cell.lines, cell.lines[1:]):
        if upper and lower and upper[-1].text in FIGURE_END and lower[0].text in FIGURE_CONTINUATION:
            head = "".join(glyph.text for glyph in upper)
            tail = "".join(glyph.text for glyph in lower)
            start = len(head)
            while start and head[start - 1] in FIGURE_CONTINUATION | set("+-−↑↓"):
                start -= 1
            end = 0
            while end < len(tail) and tail[end] in FIGURE_CONTINUATION:
                end += 1
            return f"{head[start:]}/{tail[:end]}"
    return None


def clearance(cell: Cell) -> float:
    """The least distance between the cell's text and its column rules."""
    glyphs = [glyph for line in cell.lines for glyph in line]
    if not glyphs:
        return float("inf")
    return min(min(glyph.x0 for glyph in glyphs) - cell.left, cell.right - max(glyph.x1 for glyph in glyphs))


@dataclass(frozen=True)
class TableProblem:
    page: int
    place: str  # "第6页表格第1行第2列"
    detail: str


def table_problems(page: Page) -> Iterator[TableProblem]:
    """What is wrong with the tables on ``page``; at most one problem of each kind a table."""
    for table in tables_on(page):
        seen: set[str] = set()

        def once(kind: str, cell: Cell, column: int, detail: str) -> Iterator[TableProblem]:
            if kind not in seen:  # noqa: B023 - each table's once() runs within its own iteration
                seen.add(kind)  # noqa: B023
                yield TableProblem(page.number, f"第{page.number}页表格第{cell.row + 1}行第{column + 1}列", detail)

        for column, cell in enumerate(table.header):
            broken = split_word(cell.texts) if len(cell.lines) > 1 else None
            if broken:
                word, shown = broken
                yield from once(f"header{column}", cell, column, f"表头“{cell.text}”在词中换行：“{shown}”（“{word}”应在一行）")
        for row in table.rows:
            for column, cell in enumerate(row):
                figure = split_figure(cell)
                if figure:
                    yield from once("figure", cell, column, f"单元格中的数字拆在两行：“{figure}”")
                gap = clearance(cell)
                if gap < MIN_CLEARANCE and len(row) > 1:
                    yield from once(
                        "clearance", cell, column,
                        f"单元格文字“{cell.text[:10]}”距表格线 {max(gap, 0) / MM:.1f} mm（应不少于 0.5 mm）",
                    )
