"""The intake ledger: what became of every row the units sent.

A dropped row is a unit wrongly criticised, so every data row of every report
file is accounted for. A data row is a non-blank row below the header that is
not a signature line or footnote (填表人：…, 注：…); title and instruction
rows above the header, blank rows and signature lines are not data, and each
file's entry says which rows they were. Each data row has one of four outcomes:

* 采用 (used): the row is the unit's figure for that indicator and month.
* 被替代 (superseded): another row of the same indicator and month stands
  for it. Rows of one indicator and month are settled in two steps:
  1. Each unit's last word. Rows of one unit (by canonical name, so an alias
     is the same unit) with one figure are identical repeats: the first-dated
     copy stands (undated copies last, then the order read), so re-sending a
     figure never makes it late. Rows with different figures are corrections:
     the figure with the strictly latest 报送日期 stands, from its first copy
     dated after every other figure. "Later" is the 报送日期 the unit typed,
     never the file's name, order or modification time, which copying and
     e-mail change. If that cannot decide (a differing row without a date,
     or two figures on the latest date) every row is rejected, both named.
  2. Units sharing an indicator must agree: one figure a month. The same
     figure from two units is a repeat (first-dated copy stands); different
     figures are rejected, both places named, whatever their dates, since
     one unit cannot correct another.
  The standing row's 报送日期 is the one judged for lateness: a correction
  sent after the due date makes that month's report late.
* 未填报 (unfilled): a pre-filled form row the unit left empty (no 完成值 and
  nothing else typed); the indicator counts as not reported by that row.
* 退回 (rejected): the row cannot be used; the reason says how to fix it. Any
  rejected row stops the build, so a published ledger holds none.

The validate stage fills the ledger; the build writes it next to the documents
(intake.xlsx) with a summary in manifest.json. Rows read must equal rows
accounted for: ``Ledger.reconciles`` checks it, per file and in total.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from supervision_bulletin import heap, memo
from supervision_bulletin.model import Location
from supervision_bulletin.sheet_cells import styled
from supervision_bulletin.write import ZIP_EPOCH, reproducible_zip

if TYPE_CHECKING:
    from supervision_bulletin.evaluate import Submission
    from supervision_bulletin.model import Inputs

USED, SUPERSEDED, UNFILLED, REJECTED = "采用", "被替代", "未填报", "退回"
OUTCOMES = (USED, SUPERSEDED, UNFILLED, REJECTED)
OUTCOME_KEYS = {USED: "used", SUPERSEDED: "superseded", UNFILLED: "unfilled", REJECTED: "rejected"}
LEDGER_FILE = "intake.xlsx"


@dataclass
class IntakeRow:
    """One data row of a report file and what became of it."""

    location: Location  # file, sheet and row
    month: str  # "2023-09"
    indicator_id: str  # as read, or as typed when it could not be read
    unit: str  # canonical name, or as typed when it could not be resolved
    typed: str  # 完成值 as typed
    value: str = ""  # 完成值 as read
    submitted: dt.date | None = None
    outcome: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)  # normalisations applied

    def settle(self, outcome: str, reason: str = "") -> None:
        self.outcome = outcome
        self.reason = reason


@dataclass
class IntakeFile:
    """One report file as read: where its table was and what was needed to find it."""

    file: str
    sheet: str | None
    month: str
    header_row: int | None
    rows: int  # data rows read
    notes: list[str] = field(default_factory=list)


@dataclass
class Ledger:
    files: list[IntakeFile] = field(default_factory=list)
    rows: list[IntakeRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = Counter(row.outcome for row in self.rows)
        return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def rows_in(self) -> int:
        return sum(file.rows for file in self.files)

    def reconciles(self) -> bool:
        """Every row read has exactly one outcome, file by file."""
        per_file = Counter((row.location.file, row.location.sheet) for row in self.rows)
        return (
            all(row.outcome in OUTCOMES for row in self.rows)
            and self.rows_in == len(self.rows) == sum(self.counts().values())
            and all(per_file.get((f.file, f.sheet), 0) == f.rows for f in self.files)
        )

    def rejected(self) -> list[IntakeRow]:
        return [row for row in self.rows if row.outcome == REJECTED]


# summary -----------------------------------------------------------------------


def late_and_missing(submissions: Iterable[Submission]) -> dict[str, dict[str, list[str]]]:
    """Per unit, the reports that came late or not at all, as "2023-09 1-5"."""
    found: dict[str, dict[str, list[str]]] = {}
    for s in sorted(submissions, key=lambda s: (s.unit, s.month, s.indicator_id)):
        if not (s.late or s.missing):
            continue
        entry = found.setdefault(s.unit, {"late": [], "missing": []})
        entry["missing" if s.missing else "late"].append(f"{report_year(s)}-{s.month:02d} {s.indicator_id}")
    return found


def report_year(submission: Submission) -> int:
    """December's report is due in January of the next year."""
    return submission.due.year - (1 if submission.month == 12 else 0)


def ledger_summary(ledger: Ledger, submissions: Iterable[Submission]) -> dict:
    """For manifest.json: the counts, whether they reconcile, and late/missing by unit."""
    return {
        "files": len(ledger.files),
        "rows": ledger.rows_in,
        **{OUTCOME_KEYS[outcome]: count for outcome, count in ledger.counts().items()},
        "reconciled": ledger.reconciles(),
        "late_or_missing": late_and_missing(submissions),
    }


def summary_lines(ledger: Ledger) -> list[str]:
    """The ledger in two sentences, for the command line."""
    counts = ledger.counts()
    outcome_text = "，".join(f"{outcome} {count} 行" for outcome, count in counts.items() if count)
    check = "核对相符" if ledger.reconciles() else "核对不符，请检查"
    normalised = sum(1 for row in ledger.rows if row.notes)
    return [
        f"读入 {len(ledger.files)} 个月报文件、{ledger.rows_in} 行数据：{outcome_text or '无'}（{check}）。",
        f"其中 {normalised} 行做了格式规范化（全角、百分号、日期、别名等），生成公文时逐行写入 {LEDGER_FILE}。",
    ]


# receipts: what each unit has sent, month by month -------------------------------

ON_TIME, LATE, MISSING, NOT_DUE, NOT_OWED = "按时", "逾期", "未报送", "未到期", "无需报送"
RECEIPT_STATES = (ON_TIME, LATE, MISSING, NOT_DUE, NOT_OWED)


@dataclass(frozen=True)
class Receipt:
    """One unit's report for one month, as received by ``as_of``."""

    unit: str
    month: int
    state: str  # one of RECEIPT_STATES
    due: dt.date | None  # None when nothing is owed that month
    owed: int = 0  # indicators the unit owes a figure for
    received: int = 0  # of which arrived by as_of
    late: int = 0  # of which arrived after the due date (or undated)
    submitted: dt.date | None = None  # the latest 报送日期 among those received
    days_late: int = 0  # working days after the due date, the most of any indicator


def receipts(inputs: Inputs, as_of: dt.date) -> dict[str, tuple[Receipt, ...]]:
    """Per unit (plan order, units with indicators only), each month of the campaign
    year: on time, late, missing (due date passed, nothing arrived by ``as_of``), not
    yet due, or not owed (quarterly reporting). The rules are evaluate's
    (submissions_for): the same reports count, the same due dates and working days."""
    from supervision_bulletin import calendar
    from supervision_bulletin.evaluate import KnownReports, submissions_for

    known = KnownReports.of(inputs.reports, lambda month: as_of)
    owed: dict[tuple[str, int], list] = {}
    for month in range(1, 13):
        for submission in submissions_for(inputs, (month,), known, as_of):
            owed.setdefault((submission.unit, month), []).append(submission)
    found = {}
    for unit in inputs.plan.units:
        if not any(unit.name in indicator.units for indicator in inputs.plan.indicators):
            continue
        months = []
        for month in range(1, 13):
            items = owed.get((unit.name, month), [])
            months.append(receipt(unit.name, month, items, calendar.report_due(inputs.campaign, month), as_of))
        found[unit.name] = tuple(months)
    return found


def receipt(unit: str, month: int, items: list, due: dt.date, as_of: dt.date) -> Receipt:
    if not items:
        return Receipt(unit, month, NOT_OWED, None)
    arrived = [s for s in items if not s.missing]
    late = [s for s in arrived if s.late]
    dates = [s.submitted for s in arrived if s.submitted is not None]
    if len(arrived) < len(items):
        state = MISSING if as_of > due else NOT_DUE
    else:
        state = LATE if late else ON_TIME
    return Receipt(
        unit, month, state, due, len(items), len(arrived), len(late), max(dates, default=None),
        max((s.days_late for s in arrived), default=0),
    )


# the workbook --------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_ledger(folder: Path, ledger: Ledger, submissions: Iterable[Submission], period_label: str,
                 as_of: dt.date | None = None, writer: LedgerWriter | None = None) -> Path:
    """intake.xlsx: summary, every row, every file, and late or missing reports by unit.
    ``as_of``: the cut-off the file is dated with (never the clock); ``writer``: the
    run's writer, which writes what its ledgers share only once."""
    path = folder / LEDGER_FILE
    path.write_bytes((writer or LedgerWriter()).workbook(ledger, submissions, period_label, as_of))
    return path


_STYLES_PART = "xl/styles.xml"


class LedgerWriter:
    """The ledgers of one run. A year's build writes the ledger at each of its cut-offs
    from the same reports: the row and file sheets, nearly all of the workbook, come
    out the same each time and are written once. Later ledgers are written with those
    two sheets empty and take the first one's, when the content and the style table match."""

    def __init__(self) -> None:
        self._shared: tuple[bytes, dict[str, bytes]] | None = None  # (content key, parts)

    def workbook(self, ledger: Ledger, submissions: Iterable[Submission], period_label: str,
                 as_of: dt.date | None = None) -> bytes:
        """The bytes of intake.xlsx, the same for the same content. A ledger of the
        same content written before (by an earlier build) is taken from the memo:
        a build writes one at every cut-off, nearly all of it the reports' rows."""
        rows, files = ledger_rows(ledger), ledger_files(ledger)
        submission_rows = late_or_missing_rows(submissions)
        when = dt.datetime.combine(as_of, dt.time()) if as_of else ZIP_EPOCH
        content = [memo.made_by("openpyxl"), summary_rows(ledger, period_label), rows, files, submission_rows,
                   when.isoformat()]
        stored = memo.recalled("ledgers", content)
        if stored is not None:
            return stored
        data = self._written(ledger, period_label, rows, files, submission_rows, when)
        memo.keep("ledgers", content, data)
        heap.trim()  # what writing it left free is handed back, not held to the end of the build
        return data

    def _written(self, ledger: Ledger, period_label: str, rows: list[list], files: list[list],
                 submission_rows: list[list], when: dt.datetime) -> bytes:
        key = hashlib.sha256(repr((rows, files)).encode("utf-8")).digest()
        if self._shared is not None and self._shared[0] == key:
            data, _ = workbook_bytes(ledger, period_label, [], [], submission_rows, when)
            spliced = with_parts(data, self._shared[1])
            if spliced is not None:
                return reproducible_zip(spliced, when, dated_core(spliced, when))
        data, shared_paths = workbook_bytes(ledger, period_label, rows, files, submission_rows, when)
        with ZipFile(io.BytesIO(data)) as archive:
            self._shared = (key, {name: archive.read(name) for name in (*shared_paths, _STYLES_PART)})
        return reproducible_zip(data, when, dated_core(data, when))


CORE_PART = "docProps/core.xml"


def dated_core(data: bytes, when: dt.datetime) -> dict[str, bytes]:
    """The core properties with their modified time set to ``when``: openpyxl stamps
    the clock into it on saving, whatever the workbook's properties say."""
    with ZipFile(io.BytesIO(data)) as archive:
        core = archive.read(CORE_PART)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return {CORE_PART: re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, core)}


def workbook_bytes(ledger: Ledger, period_label: str, rows: list[list], files: list[list],
                   submission_rows: list[list], when: dt.datetime = ZIP_EPOCH) -> tuple[bytes, tuple[str, ...]]:
    """The workbook, and the parts holding its row and file sheets.

    Written in openpyxl's write-only mode: each row goes straight to the file, its
    cells styled from one prototype per column."""
    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = when  # the cut-off's, not the clock's
    sheets = [workbook.create_sheet(title) for title in ("汇总", "逐行明细", "文件", "逾期与未报送")]
    summary_sheet(sheets[0], ledger, period_label)
    rows_sheet(sheets[1], rows)
    files_sheet(sheets[2], files)
    submissions_sheet(sheets[3], submission_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), (sheets[1].path.lstrip("/"), sheets[2].path.lstrip("/"))


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes | None:
    """The workbook with ``parts`` in place of its own, or None when its style table
    differs from theirs (their cells' style numbers would then point elsewhere)."""
    out = io.BytesIO()
    with ZipFile(io.BytesIO(data)) as source:
        if source.read(_STYLES_PART) != parts[_STYLES_PART]:
            return None
        with ZipFile(out, "w", ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, parts.get(info.filename) or source.read(info))
    return out.getvalue()


def table(sheet, header: list[str], rows: Iterable[list], widths: list[int], date_columns: Iterable[int] = ()) -> None:
    """One sheet: a bold shaded header row, frozen and repeated on each printed page,
    then the rows wrapped at the top of their cells; ``date_columns`` (1-based) shown
    as dates. A write-only sheet takes its layout before its first row."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"  # printed for the file: every column on the page width
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"

    heading, text, date = prototypes(sheet)
    dates = set(date_columns)
    columns = [date if column in dates else text for column in range(1, len(header) + 1)]
    sheet.append([styled(heading, title) for title in header])
    for row in rows:  # units' text stays text, never a formula
        sheet.append([styled(prototype, value) for prototype, value in zip_longest(columns, row)])


def prototypes(sheet) -> tuple:
    """The header, text and date cells every ledger cell is styled after.

    Every style a ledger can use, text marked with the quote prefix included
    (sheet_cells.put), is numbered here in one order before any cell is written,
    so that each ledger numbers its styles alike whatever its rows hold."""
    heading = WriteOnlyCell(sheet)
    heading.font, heading.fill = _HEADER_FONT, _HEADER_FILL
    text = WriteOnlyCell(sheet)
    text.alignment = _WRAP
    date = WriteOnlyCell(sheet)
    date.alignment, date.number_format = _WRAP, "yyyy-mm-dd"
    for prototype in (heading, text, date):
        quoted = styled(prototype, None)
        quoted.quotePrefix = True
        for cell in (prototype, quoted):
            _ = cell.style_id  # numbers the style in the workbook's table
    return heading, text, date


def summary_sheet(sheet, ledger: Ledger, period_label: str) -> None:
    table(sheet, ["项目", "数量"], summary_rows(ledger, period_label), [28, 14])


def summary_rows(ledger: Ledger, period_label: str) -> list[list[Any]]:
    rows: list[list[Any]] = [["生成周期", period_label], ["月报文件数", len(ledger.files)], ["读入数据行", ledger.rows_in]]
    rows += [[f"其中：{outcome}", count] for outcome, count in ledger.counts().items()]
    rows.append(["核对（读入 = 各项之和）", "相符" if ledger.reconciles() else "不符"])
    return rows


def ledger_rows(ledger: Ledger) -> list[list]:
    return [
        [
            r.location.file, r.location.sheet or "", r.location.row, r.month, r.indicator_id, r.unit,
            r.typed, r.value, r.submitted, r.outcome, r.reason, "；".join(r.notes),
        ]
        for r in ledger.rows
    ]


def ledger_files(ledger: Ledger) -> list[list]:
    return [[f.file, f.sheet or "", f.month, f.header_row, f.rows, "；".join(f.notes)] for f in ledger.files]


def late_or_missing_rows(submissions: Iterable[Submission]) -> list[list]:
    rows = []
    for s in sorted(submissions, key=lambda s: (s.unit, s.month, s.indicator_id)):
        if s.missing and s.arrived_later:
            rows.append([s.unit, f"{s.month}月", s.indicator_id, "截止时未报送，此后补报", s.due, s.arrived_later])
        elif s.missing:
            rows.append([s.unit, f"{s.month}月", s.indicator_id, "未报送", s.due, None])
        elif s.late:
            state = "未填报送日期，按逾期计" if s.submitted is None else f"逾期 {s.days_late} 个工作日"
            rows.append([s.unit, f"{s.month}月", s.indicator_id, state, s.due, s.submitted])
    return rows


def rows_sheet(sheet, rows: list[list]) -> None:
    header = ["文件", "工作表", "行", "月份", "指标编号", "填报单位", "完成值（原文）", "读取为", "报送日期", "处理结果", "原因", "规范化处理"]
    table(sheet, header, rows, [26, 8, 6, 9, 10, 16, 14, 10, 12, 9, 40, 50], date_columns=[9])


def files_sheet(sheet, rows: list[list]) -> None:
    header = ["文件", "工作表", "月份", "表头所在行", "数据行数", "说明"]
    table(sheet, header, rows, [30, 10, 9, 10, 9, 80])


def submissions_sheet(sheet, rows: list[list]) -> None:
    header = ["单位", "月份", "指标编号", "情况", "截止日期", "报送日期"]
    table(sheet, header, rows, [18, 8, 10, 22, 12, 12], date_columns=[5, 6])
