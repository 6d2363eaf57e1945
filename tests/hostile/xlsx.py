"""A bare .xlsx writer for hostile test files: every byte of the XML is ours.

openpyxl will not write what a hostile file holds (control characters, a
styled cell at XFD1048576 with a dimension to match, entity declarations), and
fixes up names it dislikes, so the corpus writes the parts itself: shared
strings escaped the way Excel escapes them (_x0001_), rows and cells exactly
where asked, anything else spliced in verbatim.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def excel_escape(text: str) -> str:
    """Text as Excel stores it in sharedStrings.xml: characters XML cannot hold as _xHHHH_."""
    return escape(_CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text))


class Sheet:
    """One worksheet: rows of values from A1, plus raw cells anywhere and raw XML after the data."""

    def __init__(self, name: str, rows: Sequence[Sequence[Any]] = (), hidden: bool = False):
        self.name = name
        self.rows = [list(row) for row in rows]
        self.hidden = hidden
        self.far_cells: list[tuple[int, int, Any, str]] = []  # (row, column, value, extra attributes)
        self.dimension: str | None = None
        self.after_data = ""  # e.g. <mergeCells>…</mergeCells>

    def cell_at(self, row: int, column: int, value: Any = None, attributes: str = "") -> Sheet:
        self.far_cells.append((row, column, value, attributes))
        return self


def cell_xml(ref: str, value: Any, strings: list[str], attributes: str = "") -> str:
    if value is None:
        return f'<c r="{ref}"{attributes}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{attributes}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{attributes}><v>{value}</v></c>'
    strings.append(str(value))
    return f'<c r="{ref}" t="s"{attributes}><v>{len(strings) - 1}</v></c>'


def sheet_xml(sheet: Sheet, strings: list[str]) -> str:
    rows: dict[int, list[str]] = {}
    for r, values in enumerate(sheet.rows, start=1):
        rows[r] = [cell_xml(f"{get_column_letter(c)}{r}", v, strings) for c, v in enumerate(values, start=1) if v is not None]
    for r, c, value, attributes in sheet.far_cells:
        rows.setdefault(r, []).append(cell_xml(f"{get_column_letter(c)}{r}", value, strings, attributes))
    data = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    dimension = f'<dimension ref="{sheet.dimension}"/>' if sheet.dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension}<sheetData>{data}</sheetData>{sheet.after_data}</worksheet>'


def write_xlsx(path: Path, sheets: Sequence[Sheet], extra_parts: dict[str, bytes] | None = None,
               shared_strings_prefix: str = "") -> Path:
    """The workbook at ``path``; ``extra_parts`` are added (or replace ours) as they are."""
    strings: list[str] = []
    parts: dict[str, str | bytes] = {}
    for index, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{index}.xml"] = sheet_xml(sheet, strings)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        f"{overrides}</Types>"
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    entries = "".join(
        f'<sheet name={quoteattr(sheet.name)} sheetId="{i}" r:id="rId{i}"'
        + (' state="hidden"' if sheet.hidden else "") + "/>"
        for i, sheet in enumerate(sheets, start=1)
    )
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        f"<sheets>{entries}</sheets></workbook>"
    )
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">{relations}'
        f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    items = "".join(f'<si><t xml:space="preserve">{excel_escape(s)}</t></si>' for s in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>{shared_strings_prefix}'
        f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    parts.update(extra_parts or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
