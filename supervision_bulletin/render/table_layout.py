"""How a table of the model is set on the 156 mm text block, the same in every format.

Word, LibreOffice and WeasyPrint each break the lines of a table cell their own
way, and all of them break Chinese between any two characters: given a column
narrower than its header, "序号" comes out as 序/号 and "103.7%" as 103.7/%.
So the layout is decided here, once, from the text itself, and the DOCX and the
HTML/PDF renderers only carry it out:

* the type size: 小四 (12 pt) when the table fits, else 五号 (10.5 pt), else
  小五 (9 pt). GB/T 9704 sets the elements of a document in 3号 only
  "一般" (as a rule); attachment tables are customarily set smaller;
* the column widths: the table's own widths (mm of the 156 mm block, or any
  relative weights) where they leave room, widened to each column's minimum:
  its header's longest word, the figures in it (a number and its "%" never
  part) and short labels such as a status or a unit's name, plus the cell
  padding (the same in the Word table and print.css);
* the header lines: each header is broken at its word boundaries only
  (``supervision_bulletin.document.table_words``), explicitly, so no program re-breaks it;
* the alignment: figures and short labels centred, running text flush left.

Widths are estimated in em from the characters (CJK 1, figures and Latin about
½, "%" ⅚): the official faces and their Fandol stand-ins agree on these within
the slack allowed here, so the estimate holds in Word on a clerk's machine as
well as in LibreOffice and WeasyPrint here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from supervision_bulletin.document import Table, table_words

TEXT_BLOCK_MM = 156.0
MM_PER_PT = 25.4 / 72

# 小四, 五号, 小五, largest first.
TABLE_SIZES_PT = (12.0, 10.5, 9.0)
# Between the text and the rules: the Word table's w:tblCellMar and print.css.
CELL_PADDING_X_MM = 1.0
CELL_PADDING_Y_MM = 0.8
# A label or word up to this wide stays on one line (a status, a unit's name).
SHORT_TEXT_EM = 6.0
# A column of running text (an indicator's name) keeps room for this many
# characters a line; narrower, a table of short names reads as a column of stubs.
TEXT_COLUMN_EM = 6.0
# Slack over the estimate: faces differ a little, LibreOffice spaces CJK from digits.
SLACK_EM = 0.25

# Figures stay whole with their signs and units: "103.7%", "↑3.2", "-1", "+0.5".
FIGURE = re.compile(r"[0-9A-Za-z.,:%‰°+\-−±↑↓~/]+")
WIDE_PUNCTUATION = set("—…“”‘’·")


@functools.cache  # a table's layout measures every character of every cell, several times
def character_em(character: str) -> float:
    """The advance of one character in em, on the generous side."""
    if unicodedata.east_asian_width(character) in "WFA" or character in WIDE_PUNCTUATION:
        return 1.0
    if character in "%‰":
        return 0.85
    if character.isspace():
        return 0.35
    if character.isupper() or character in "+=<>~#&@mwMW":
        return 0.75
    return 0.5


def text_em(text: str) -> float:
    return sum(map(character_em, text))


def column_minimum_em(header: str, cells: list[str]) -> float:
    """The widest piece of a column that must not break: a header word, a figure,
    a short label or word of a cell."""
    pieces = list(table_words(header))
    for cell in cells:
        pieces += FIGURE.findall(cell)
        if text_em(cell) <= SHORT_TEXT_EM:
            pieces.append(cell.strip())
        else:
            pieces += [word for word in table_words(cell) if text_em(word) <= SHORT_TEXT_EM]
    return max((text_em(piece) for piece in pieces), default=1.0)


def is_running_text(cells: list[str]) -> bool:
    return any(text_em(cell) > SHORT_TEXT_EM for cell in cells)


def em_to_mm(em: float, size_pt: float) -> float:
    return em * size_pt * MM_PER_PT


def minimum_width_mm(header: str, cells: Sequence[str] = (), size_pt: float = TABLE_SIZES_PT[0]) -> float:
    """The narrowest column (mm, padding included) that keeps ``header``'s words,
    the figures and the short labels of ``cells`` unbroken at ``size_pt``."""
    em = column_minimum_em(header, list(cells))
    if is_running_text(list(cells)):
        em = max(em, TEXT_COLUMN_EM)
    return em_to_mm(em + SLACK_EM, size_pt) + 2 * CELL_PADDING_X_MM


def minimum_widths_mm(table: Table, size_pt: float = TABLE_SIZES_PT[0]) -> tuple[float, ...]:
    """Each column's minimum width (mm) at ``size_pt``; see minimum_width_mm."""
    return tuple(minimum_width_mm(header, cells, size_pt) for header, cells in zip(table.columns, data_columns(table)))


def data_columns(table: Table) -> list[list[str]]:
    rows = [row for index, row in enumerate(table.rows) if index not in table.group_rows]
    return [[row[column] for row in rows if column < len(row) and row[column]] for column in range(len(table.columns))]


def fit_widths(preferred: tuple[float, ...], minimums: tuple[float, ...], total: float = TEXT_BLOCK_MM) -> tuple[float, ...] | None:
    """``preferred`` scaled to ``total``, each column widened to its minimum at the
    expense of the others in proportion; None when the minimums do not fit."""
    if sum(minimums) > total + 1e-6:
        return None
    fixed: dict[int, float] = {}
    while True:
        free = [index for index in range(len(preferred)) if index not in fixed]
        room = total - sum(fixed.values())
        weight = sum(preferred[index] for index in free) or 1.0
        widths = {index: room * preferred[index] / weight for index in free}
        short = [index for index in free if widths[index] < minimums[index] - 1e-9]
        if not short:
            widths.update(fixed)
            return tuple(widths[index] for index in range(len(preferred)))
        for index in short:
            fixed[index] = minimums[index]


def header_lines(header: str, width_mm: float, size_pt: float) -> tuple[str, ...]:
    """``header`` broken into lines at its word boundaries, as many words a line as
    the column holds (a lone word wider than the column keeps a line of its own)."""
    room = (width_mm - 2 * CELL_PADDING_X_MM) / (size_pt * MM_PER_PT) - SLACK_EM
    lines: list[str] = []
    for word in table_words(header):
        if lines and text_em(lines[-1] + word) <= room:
            lines[-1] += word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


_NUMBER = re.compile(r"^[-+−↑↓]?[\d,]*\.?\d+%?$")


def column_alignment(cells: list[str]) -> str:
    """Centred for figures and short labels; flush left for running text."""
    if all(_NUMBER.match(cell) or text_em(cell) <= SHORT_TEXT_EM for cell in cells):
        return "center"
    return "left"


@dataclass(frozen=True)
class TableLayout:
    size_pt: float
    widths_mm: tuple[float, ...]  # summing to the 156 mm text block
    header_lines: tuple[tuple[str, ...], ...]  # per column
    alignments: tuple[str, ...]  # "left" / "center" per column

    @property
    def widths_percent(self) -> tuple[float, ...]:
        return tuple(round(100 * width / TEXT_BLOCK_MM, 2) for width in self.widths_mm)


def halves(word: str) -> str:
    """A long header word with a space in its middle: "严重滞后" → "严重 滞后"."""
    middle = len(word) // 2
    return f"{word[:middle]} {word[middle:]}"


def split_widest_header(headers: list[str], cells: list[list[str]]) -> bool:
    """Open a break in the middle of the header word that widens its column most,
    among words of four characters or more (so each half keeps two); False when
    none is left."""
    best = None
    for column, header in enumerate(headers):
        data_em = column_minimum_em("", cells[column])
        for word in table_words(header):
            if len(word) >= 4 and text_em(word) > data_em and (best is None or text_em(word) > best[0]):
                best = (text_em(word), column, word)
    if best is None:
        return False
    _, column, word = best
    headers[column] = headers[column].replace(word, halves(word), 1)
    return True


def layout_table(table: Table) -> TableLayout:
    """The largest of TABLE_SIZES_PT at which every column gets its minimum width.

    When even the smallest does not fit, the longest header words are broken in
    their middle ("严重/滞后"), one at a time, and as a last resort the columns
    are shared in proportion to their minimums (a word or figure may then break)."""
    count = len(table.columns)
    preferred = tuple(table.widths) if len(table.widths) == count else (1.0,) * count
    preferred = tuple(max(width, 1e-3) for width in preferred)
    cells = data_columns(table)
    headers = list(table.columns)

    def minimums_at(size: float) -> tuple[float, ...]:
        return tuple(minimum_width_mm(header, column, size) for header, column in zip(headers, cells))

    widths = None
    for size in TABLE_SIZES_PT:
        widths = fit_widths(preferred, minimums_at(size))
        if widths is not None:
            break
    while widths is None and split_widest_header(headers, cells):
        widths = fit_widths(preferred, minimums_at(size))
    if widths is None:
        minimums = minimums_at(size)
        widths = tuple(TEXT_BLOCK_MM * minimum / sum(minimums) for minimum in minimums)
    return TableLayout(
        size_pt=size,
        widths_mm=widths,
        header_lines=tuple(header_lines(header, width, size) for header, width in zip(headers, widths)),
        alignments=tuple(column_alignment(column) for column in cells),
    )
