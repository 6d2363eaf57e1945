"""Cells of the workbooks the pipeline writes (intake.xlsx, the collection forms).

Their text comes from units and plans: a unit name such as "=HYPERLINK(…)", a
progress note "+86 电话…" or a sheet named "=cmd|' /C calc'!A0". openpyxl
stores any string that starts with "=" as a formula, and Excel and WPS evaluate
text that starts with = + - @ once a user edits the cell, so staff opening the
ledger would run what a report file said. Every cell written here is set
through ``put``: text stays text, as typed, marked with Excel's quote prefix
(the hidden ' a user types before such text), never altered to defuse it.
The pipeline writes no formulas of its own into cells (the forms' checks are
data validations, not cells).

A write-only sheet (the ledger's) takes whole rows of cells: ``styled`` makes
each from a styled prototype, its text set through ``put`` all the same.
"""

from __future__ import annotations

from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from supervision_bulletin.values import printable

# What Excel, WPS and LibreOffice read as the start of a formula when a cell is edited.
FORMULA_LEADS = ("=", "+", "-", "@")
MAX_CELL_TEXT = 32_767  # Excel's limit: a longer text makes the file "need repair"


def put(cell: Cell | MergedCell, value: Any) -> Cell:
    """Write ``value``; a string is stored as a string cell whatever it starts with."""
    assert isinstance(cell, Cell), "a cell hidden by a merge takes no value"
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = printable(value)  # openpyxl refuses control characters outright
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    cell.value = text
    if cell.data_type == "f" or text.lstrip().startswith(FORMULA_LEADS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def styled(prototype: Cell, value: Any) -> Cell:
    """A new cell of ``prototype``'s sheet with its style (one copy of its style
    array, instead of a look-up per style attribute), holding ``value`` through ``put``."""
    style = prototype._style  # type: ignore[attr-defined]  # the style array: public in openpyxl, absent from its stubs
    return put(Cell(prototype.parent, row=1, column=1, style_array=style), value)


def put_row(sheet: Worksheet, row: int, values: Iterable[Any]) -> None:
    """Row ``row`` (1-based) from its first column on, each cell through ``put``."""
    for column, value in enumerate(values, start=1):
        put(sheet.cell(row, column), value)


def first_sheet(workbook: Workbook) -> Worksheet:
    """The worksheet a new workbook starts with (openpyxl's ``active`` may also be none or a chart sheet)."""
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet
