"""Load stage: read campaign.yaml, the plan and the monthly reports as raw tables.

Units type their reports by hand, in Excel or WPS, and the files come back
messy: a title and instructions above the header, merged cells, blank rows and
columns, hidden sheets, .xls or CSV in GBK. This stage finds the table in all of
that and nothing more: every cell keeps its sheet row and column so that the
validate stage can name the place of any problem, and every liberty taken with
the layout (a skipped title row, a filled-in merged cell) is written down as a
note for the intake ledger. Values are interpreted by the validate stage.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import openpyxl
import xlrd
import yaml
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import MERGE_TAG, ROW_TAG, WorkSheetParser

from supervision_bulletin import guard, memo
from supervision_bulletin.model import Location
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.values import name_key, printable, read_text, shown

PLAN_SHEETS = ("单位", "任务", "指标")
SHARES_SHEET = "分解"  # optional: targets broken down to the units that carry them
REPORT_SHEET = "填报"
ANSWER_SHEET = "反馈"
ANSWER_REQUIRED = ("文号", "反馈单位", "反馈日期")
# Every column a sheet may have (inputs.md): the header row is the row that
# names most of them, wherever it sits.
SHEET_COLUMNS = {
    "单位": ("单位名称", "别名", "类型", "督查对象"),
    "任务": ("任务编号", "领域", "任务内容", "牵头单位", "配合单位"),
    "指标": ("指标编号", "任务编号", "指标名称", "计量单位", "目标值", "比较", "类型", "责任单位", "季度目标", "报送频次"),
    SHARES_SHEET: ("指标编号", "单位", "目标值", "季度目标"),
    REPORT_SHEET: ("指标编号", "填报单位", "完成值", "进展情况", "存在问题", "下步措施", "报送日期"),
    ANSWER_SHEET: ("文号", "反馈单位", "反馈日期", "整改情况", "整改到位"),
}
ANSWER_SYNONYMS = {"发文字号": "文号", "通知文号": "文号", "单位": "反馈单位", "报送日期": "反馈日期", "反馈时间": "反馈日期"}
REPORT_REQUIRED = ("指标编号", "填报单位", "完成值")
# Other headers units put on their own report forms for the same column.
# Deliberately few: 本月完成值 could be the month's increment, not the total.
REPORT_SYNONYMS = {
    "报送时间": "报送日期",
    "填报日期": "报送日期",
    "填报时间": "报送日期",
    "报送单位": "填报单位",
    "累计完成值": "完成值",
}
HEADER_SEARCH_ROWS = 30  # a header is near the top; instructions take a few rows at most
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")
SYSTEM_FILES = ("thumbs.db", "desktop.ini")  # left in folders by Windows, never reports
_MONTH_NAME = re.compile(r"^(\d{4})-(\d{2})$")
# Signature lines under a form (填表人：张三  联系电话：…) and footnotes (注：…).
_FOOTER_LABEL = re.compile(
    r"^(填表人|填报人|审核人|审核|联系人|联系电话|电话|负责人|单位负责人|分管领导|签发人|制表人|制表|"
    r"填表日期|制表日期|单位[（(]?盖章[）)]?|盖章|注|备注|说明|填表说明)\s*[:：]"
)
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]$")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class RawRow:
    number: int  # the row as the user sees it: 1-based sheet row or CSV line
    cells: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # liberties taken with this row's layout


@dataclass
class RawTable:
    file: str  # as shown to the user, relative to the inputs folder
    sheet: str | None  # None for CSV
    columns: dict[str, int]  # header → 0-based column index
    rows: list[RawRow] = field(default_factory=list)
    header_row: int | None = None
    notes: list[str] = field(default_factory=list)  # liberties taken with the file's layout
    title: str = ""  # the text above the header: a collection form names its month there

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        letter = None
        if column is not None and column in self.columns:
            letter = get_column_letter(self.columns[column] + 1)
        return Location(self.file, self.sheet, row, column, letter)


@dataclass
class RawReportFile:
    month_label: str  # "2023-09", from the file or folder name
    table: RawTable


@dataclass
class RawInputs:
    root: Path
    campaign: dict[str, Any]
    plan: dict[str, RawTable]  # by sheet name
    reports: list[RawReportFile]
    answers: list[RawTable] = field(default_factory=list)  # inputs/answers/*, sheet 反馈


@dataclass
class Grid:
    """One sheet as the user sees it: ``cells[r][c]`` is sheet row r+1, column c+1."""

    name: str | None  # None for CSV
    hidden: bool
    cells: list[list[Any]]
    cell_notes: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Book:
    """A file's sheets, and what was needed to read it (format, encoding)."""

    shown: str
    grids: list[Grid]
    notes: list[str] = field(default_factory=list)


def load_inputs(root: Path, log: ProblemLog) -> RawInputs:
    """Read every input file under ``root``; unreadable files go to ``log``."""
    campaign = load_campaign_yaml(root, log)
    plan = load_plan(root, log)
    reports = load_reports(root, log)
    answers = load_answers(root, log)
    return RawInputs(root, campaign, plan, reports, answers)


def load_campaign_yaml(root: Path, log: ProblemLog) -> dict[str, Any]:
    path = root / "campaign.yaml"
    if not path.exists() and not path.is_symlink():
        log.add(Location("campaign.yaml"), f"找不到活动设置文件（应在 {root} 下）")
        return {}
    try:
        guard.check_file(path, root, guard.MAX_YAML_BYTES)
        text, _encoding = decode_text(path.read_bytes())  # Notepad on Chinese Windows saves GBK
        data, rows = guard.load_yaml_with_rows(text)
    except guard.Refused as refused:
        log.add(Location("campaign.yaml", row=refused.row), refused.message)
        return {}
    except guard.AliasRefused as error:
        log.add(Location("campaign.yaml", row=error.problem_mark.line + 1), error.problem)
        return {}
    except ValueError as error:  # neither UTF-8 nor GBK
        log.add(Location("campaign.yaml"), str(error))
        return {}
    except RecursionError:  # thousands of nested brackets: no settings file looks like that
        log.add(Location("campaign.yaml"), "嵌套层次过深，无法读取：活动设置只需两三层，请检查括号是否成对")
        return {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        row, message = yaml_problem(text, error, row)
        log.add(Location("campaign.yaml", row=row), message)
        return {}
    if not isinstance(data, dict):
        row = full_width_colon_row(text)
        if row is not None:  # a lone "name：…" reads as one line of text
            log.add(Location("campaign.yaml", row=row), FULL_WIDTH_COLON)
        else:
            log.add(Location("campaign.yaml"), "内容应为“键: 值”形式的设置")
        return {}
    return CampaignYaml(data, rows)


class CampaignYaml(dict):
    """campaign.yaml's settings, with the row of each key (by key path) in ``lines``
    for the schema's messages (supervision_bulletin.settings)."""

    def __init__(self, data: dict[str, Any], lines: dict[tuple, int]):
        super().__init__(data)
        self.lines = lines


FULL_WIDTH_KEY = re.compile(r"^\s*-?\s*[A-Za-z_]+\s*：")
FULL_WIDTH_COLON = "键名后用了全角冒号“：”，应为半角冒号加空格“: ”（如 name: 2023年……）"
YAML_PROBLEMS = (
    ("mapping values are not allowed", "值中含有半角冒号“:”：请给整个值加上引号，如 name: \"…\""),
    ("found character '\\t'", "用了制表符（Tab）缩进：请改用空格"),
    ("could not find expected ':'", "缺少“键: 值”中的冒号，或上一行的引号没有配对"),
    ("found undefined alias", "含有“*”开头的别名引用：请删去或给值加上引号"),
    ("expected <block end>", "缩进不一致：同一层的设置应左对齐"),
)


def full_width_colon_row(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if FULL_WIDTH_KEY.match(line):
            return number
    return None


def yaml_problem(text: str, error: yaml.YAMLError, row: int | None) -> tuple[int | None, str]:
    """The row and PyYAML's complaint, said in words a clerk can act on."""
    full_width = full_width_colon_row(text)
    if full_width is not None:
        return full_width, FULL_WIDTH_COLON
    detail = str(getattr(error, "problem", "") or error)
    for english, chinese in YAML_PROBLEMS:
        if english in detail:
            return row, f"不是有效的设置文件：{chinese}"
    return row, "不是有效的设置文件：请检查这一行的格式（每行写作“键: 值”，列表项以“- ”开头，缩进用空格）"


# plan ------------------------------------------------------------------------


def load_plan(root: Path, log: ProblemLog) -> dict[str, RawTable]:
    """plan.xlsx with sheets 单位/任务/指标, or plan/单位.csv etc."""
    workbook = root / "plan.xlsx"
    csv_folder = root / "plan"
    if workbook.is_file():
        book = open_book(workbook, root, log)
        if book is None:
            return {}
        tables = {}
        present = {name_key(grid.name) for grid in book.grids if grid.name is not None}
        for name in PLAN_SHEETS + ((SHARES_SHEET,) if SHARES_SHEET in present else ()):
            grid = named_grid(book, name, log)
            if grid is not None:
                tables[name] = grid_to_table(grid, book, SHEET_COLUMNS[name], {}, log)
        return tables
    if csv_folder.is_dir():
        tables = {}
        for name in PLAN_SHEETS:
            path = csv_folder / f"{name}.csv"
            if not path.is_file():
                log.add(Location(display_path(path, root)), "缺少此文件")
                continue
            book = open_book(path, root, log)
            if book is not None:
                tables[name] = grid_to_table(book.grids[0], book, SHEET_COLUMNS[name], {}, log)
        shares = csv_folder / f"{SHARES_SHEET}.csv"
        if shares.is_file():
            book = open_book(shares, root, log)
            if book is not None:
                tables[SHARES_SHEET] = grid_to_table(book.grids[0], book, SHEET_COLUMNS[SHARES_SHEET], {}, log)
        return tables
    log.add(Location("plan.xlsx"), f"找不到任务方案（应为 {root}/plan.xlsx 或 plan/ 下的 CSV 文件）")
    return {}


def named_grid(book: Book, name: str, log: ProblemLog) -> Grid | None:
    """The visible sheet of that name; spaces typed into a tab's name do not count."""
    matching = [grid for grid in book.grids if grid.name is not None and name_key(grid.name) == name]
    visible = [grid for grid in matching if not grid.hidden]
    if visible:
        if visible[0].name != name:
            book.notes.append(f"工作表“{visible[0].name}”按“{name}”读取")
        return visible[0]
    if matching:
        log.add(
            Location(book.shown, matching[0].name),
            f"工作表“{name}”被隐藏，隐藏的工作表不读取：请在 Excel 或 WPS 中右键工作表标签，选择“取消隐藏”后保存",
        )
        return None
    sheets = "、".join(grid.name or "" for grid in book.grids)
    log.add(Location(book.shown), f"缺少工作表“{name}”（现有工作表：{sheets}）")
    return None


# reports ---------------------------------------------------------------------


def load_reports(root: Path, log: ProblemLog) -> list[RawReportFile]:
    """reports/YYYY-MM.xlsx|xls|csv, or a folder reports/YYYY-MM/ of per-unit files."""
    folder = root / "reports"
    if not folder.is_dir():
        return []
    if not guard.is_inside(folder, root):
        log.add(Location("reports"), "是指向输入文件夹以外的链接（快捷方式），不予读取：请把月报本身放入 reports 文件夹")
        return []
    found: list[RawReportFile] = []
    for entry in sorted(folder.iterdir()):
        if is_not_a_report(entry):
            continue
        if entry.is_dir() and not guard.is_inside(entry, root):
            log.add(Location(display_path(entry, root)), "是指向输入文件夹以外的链接（快捷方式），不予读取：请把月报本身放入此文件夹")
            continue
        month = month_of_name(entry.name if entry.is_dir() else bare_stem(entry.name))
        if month is None:
            log.add(
                Location(display_path(entry, root)),
                "无法从名称判断月份：月报文件或文件夹应命名为 年-月，如 2023-09.xlsx 或 2023-09/"
                "（也可写作 2023年9月月报.xlsx）",
            )
            continue
        files = report_files_in(entry) if entry.is_dir() else [entry]
        for path in files:
            table = read_report_file(path, root, log)
            if table is not None and not form_of_another_month(table, month, log):
                if month != (entry.name if entry.is_dir() else entry.stem):
                    table.notes.append(f"按名称“{entry.name}”读作 {month} 的月报")
                found.append(RawReportFile(month, table))
    return found


_FORM_MONTH = re.compile(r"(?:(\d{4})年)?(\d{1,2})月进展情况填报表")


def form_of_another_month(table: RawTable, month: str, log: ProblemLog) -> bool:
    """A collection form (bulletin forms) names its month in its title: one dropped into
    another month's folder or file name is refused with both months named."""
    match = _FORM_MONTH.search(table.title)
    if match is None:
        return False
    year, number = int(month[:4]), int(month[5:])
    if int(match.group(2)) == number and (match.group(1) is None or int(match.group(1)) == year):
        return False
    said = f"{match.group(1) or year}年{int(match.group(2))}月"
    log.add(
        Location(table.file, table.sheet, 1),
        f"这是{said}的填报表，却作为{year}年{number}月的月报放置：请放回对应月份的文件夹（或改正文件名），"
        "或用 bulletin forms 重新生成本月的填报表",
    )
    return True


_NAMED_MONTH = re.compile(r"(?<!\d)(\d{4})\s*[-_.年/]\s*(\d{1,2})(?!\d)\s*(?:月|$|[^\d])")


def month_of_name(name: str) -> str | None:
    """"2023-09", or the month in a name as users write it (2023年9月月报, 2023.9): "2023-09"."""
    if _MONTH_NAME.match(name):
        return name
    match = _NAMED_MONTH.search(unicodedata.normalize("NFKC", name))
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def bare_stem(name: str) -> str:
    """The name without its extensions: Windows hides them, so 2023-09.xlsx.xlsx is common."""
    stem = name
    while Path(stem).suffix.lower() in (*WORKBOOK_SUFFIXES, ".csv"):
        stem = Path(stem).stem
    return stem


def is_not_a_report(path: Path) -> bool:
    """Lock files (~$x.xlsx, .~x.xlsx of WPS), hidden files and Windows' own files."""
    return path.name.startswith((".", "~$", ".~")) or path.name.lower() in SYSTEM_FILES


def report_files_in(folder: Path) -> list[Path]:
    """Every entry but sub-folders: a link or a special file is refused by name, not skipped."""
    return sorted(p for p in folder.iterdir() if not p.is_dir() and not is_not_a_report(p))


def read_report_file(path: Path, root: Path, log: ProblemLog) -> RawTable | None:
    book = open_book(path, root, log)
    if book is None:
        return None
    grid = report_grid(book, log)
    if grid is None:
        return None
    return grid_to_table(grid, book, SHEET_COLUMNS[REPORT_SHEET], REPORT_SYNONYMS, log)


def report_grid(book: Book, log: ProblemLog) -> Grid | None:
    """Sheet 填报; failing that, the one visible sheet that holds a report table,
    since units rename the sheet or paste the table into Sheet1."""
    if len(book.grids) == 1 and book.grids[0].name is None:
        return book.grids[0]  # CSV
    named = [g for g in book.grids if name_key(g.name) == REPORT_SHEET]
    if named:
        return named_grid(book, REPORT_SHEET, log)
    holding = [g for g in book.grids if not g.hidden and holds_report_table(g)]
    if len(holding) == 1:
        book.notes.append(f"没有名为“{REPORT_SHEET}”的工作表，读取了含月报表头的工作表“{holding[0].name}”")
        return holding[0]
    return named_grid(book, REPORT_SHEET, log)  # names the missing sheet


def holds_report_table(grid: Grid) -> bool:
    header = find_header(grid.cells, SHEET_COLUMNS[REPORT_SHEET], REPORT_SYNONYMS)
    return header is not None and all(name in header[1] for name in REPORT_REQUIRED)


# answers -----------------------------------------------------------------------


def load_answers(root: Path, log: ProblemLog) -> list[RawTable]:
    """inputs/answers/*: the units' written answers to their notices, any number of files."""
    folder = root / "answers"
    if not folder.is_dir():
        return []
    tables = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not is_not_a_report(p)):
        book = open_book(path, root, log)
        if book is None:
            continue
        grid = sheet_holding(book, ANSWER_SHEET, ANSWER_REQUIRED, ANSWER_SYNONYMS, log)
        if grid is not None:
            tables.append(grid_to_table(grid, book, SHEET_COLUMNS[ANSWER_SHEET], ANSWER_SYNONYMS, log))
    return tables


def sheet_holding(
    book: Book, name: str, required: tuple[str, ...], synonyms: dict[str, str], log: ProblemLog
) -> Grid | None:
    """Sheet ``name``; failing that, the one visible sheet whose header names the required columns."""
    if len(book.grids) == 1 and book.grids[0].name is None:
        return book.grids[0]  # CSV
    if any(name_key(g.name) == name for g in book.grids):
        return named_grid(book, name, log)
    holding = []
    for grid in book.grids:
        header = None if grid.hidden else find_header(grid.cells, SHEET_COLUMNS[name], synonyms)
        if header is not None and all(column in header[1] for column in required):
            holding.append(grid)
    if len(holding) == 1:
        book.notes.append(f"没有名为“{name}”的工作表，读取了含相应表头的工作表“{holding[0].name}”")
        return holding[0]
    return named_grid(book, name, log)  # names the missing sheet


# opening files -----------------------------------------------------------------


def open_book(path: Path, root: Path, log: ProblemLog) -> Book | None:
    """Any spreadsheet a unit may send, judged by its content rather than its name:
    renamed files (.xls that is really .xlsx) are common."""
    shown_path = display_path(path, root)
    suffix = path.suffix.lower()
    if suffix not in (*WORKBOOK_SUFFIXES, ".csv"):
        log.add(Location(shown_path), f"不支持的文件类型“{path.suffix}”：请另存为 Excel 工作簿（.xlsx）或 CSV")
        return None
    try:
        guard.check_file(path, root)
    except guard.Refused as refused:
        log.add(Location(shown_path), refused.message)
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except PermissionError:
        # On Windows shares a workbook open in Excel or WPS cannot be read.
        log.add(Location(shown_path), "文件正被其他程序占用或没有读取权限，无法读取：请关闭 Excel/WPS 后重试")
        return None
    except OSError as error:
        log.add(Location(shown_path), f"无法读取文件（{error.strerror or error}）：请检查文件是否完整、可以打开")
        return None
    kind = content_kind(head)
    problem = unreadable_reason(head, kind, suffix)
    if problem:
        log.add(Location(shown_path), problem)
        return None
    try:
        book = {"xlsx": read_xlsx, "xls": read_xls, "csv": read_csv}[kind](path, shown_path)
    except guard.Refused as refused:
        log.add(Location(shown_path, refused.sheet and printable(refused.sheet), refused.row), refused.message)
        return None
    except MemoryError:
        log.add(Location(shown_path), "文件内容过多，无法读取：请检查是否放错了文件，或把数据分成几个文件")
        return None
    except Exception as error:  # the libraries raise many kinds for a damaged file
        log.add(Location(shown_path), unopened_message(kind, suffix, error))
        return None
    if kind != {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".et": "xls", ".csv": "csv"}[suffix]:
        book.notes.insert(0, f"扩展名为 {path.suffix}，实际为 {kind} 格式，已按实际格式读取")
    return book


def unopened_message(kind: str, suffix: str, error: Exception) -> str:
    if suffix == ".et":  # newer WPS formats are not the .xls one xlrd reads
        return "无法读取此 WPS 表格（.et）文件：请在 WPS 中“另存为”Excel 工作簿（.xlsx）后再报送"
    if kind == "csv":
        return f"无法读取 CSV 文件（{error}）：请以 UTF-8 或 GBK 编码另存"
    return f"无法作为 Excel 工作簿打开（{type(error).__name__}）：文件可能已损坏，请用 Excel 或 WPS 打开后另存为 .xlsx"


def content_kind(head: bytes) -> str:
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    return "csv"


def unreadable_reason(head: bytes, kind: str, suffix: str) -> str | None:
    """Files that look like workbooks but cannot be read, and how to fix each."""
    if kind == "xls" and "EncryptedPackage".encode("utf-16-le") in head:
        return "工作簿设有打开密码，无法读取：请在 Excel 或 WPS 中取消密码后再报送"
    if kind == "csv" and suffix != ".csv":
        if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<table")):
            return "文件实际为网页（HTML）格式，并非 Excel 工作簿：请用 Excel 或 WPS 打开后另存为 Excel 工作簿（.xlsx）"
        if suffix == ".et":
            return "无法读取 WPS 表格（.et）文件：请在 WPS 中“另存为”Excel 工作簿（.xlsx）"
        return "无法作为 Excel 工作簿打开：文件已损坏或并非 Excel 格式，请用 Excel 或 WPS 打开后另存为 .xlsx"
    return None


def read_xlsx(path: Path, shown_path: str) -> Book:
    """.xlsx as saved by Excel or WPS (which may leave out docProps and styles).

    Read in openpyxl's read-only mode, one row at a time, keeping only the cells
    that hold something: a sheet's declared range (and a styled cell at
    XFD1048576) says nothing about how much it holds, and walking it would
    build millions of empty cells. A workbook read before, byte for byte, is
    taken from the memo: each cycle brings a few new files among many old ones.
    """
    # Opened from bytes: openpyxl refuses a path that does not end in .xlsx, and
    # renamed files are read by their content.
    raw = path.read_bytes()
    parts = [hashlib.sha256(raw).hexdigest(), memo.made_by("openpyxl")]
    stored = memo.recalled("workbooks", parts)
    if stored is not None:
        return Book(shown_path, decoded_grids(stored))
    guard.check_archive(raw)
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        formulas = uncomputed_formulas(raw)
        grids = [read_sheet(sheet, formulas.get(sheet.title, {})) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    encoded = encoded_grids(grids)
    if encoded is not None:
        memo.keep("workbooks", parts, encoded)
    return Book(shown_path, grids)


# A cell read from a workbook is text, a number, a truth value or a moment; JSON
# holds the first three, the moments go tagged.
_MOMENTS: dict[str, Any] = {"datetime": dt.datetime, "date": dt.date, "time": dt.time}


def encoded_grids(grids: list[Grid]) -> bytes | None:
    """The grids as JSON, or None when a cell holds something JSON cannot say."""

    def cell(value: Any) -> Any:
        if value is None or isinstance(value, str | bool | int | float):
            return value
        if isinstance(value, dt.timedelta):
            return {"timedelta": value.total_seconds()}
        for name, kind in _MOMENTS.items():
            if type(value) is kind:
                return {name: value.isoformat()}
        raise TypeError(type(value).__name__)

    try:
        return json.dumps([
            {"name": grid.name, "hidden": grid.hidden, "cells": [[cell(value) for value in row] for row in grid.cells],
             "notes": [[r, c, note] for (r, c), note in grid.cell_notes.items()]}
            for grid in grids
        ], ensure_ascii=False).encode()
    except (TypeError, UnicodeEncodeError):  # an unknown type; a lone surrogate from a damaged file
        return None


def decoded_grids(data: bytes) -> list[Grid]:
    def cell(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        (name, text), = value.items()
        return dt.timedelta(seconds=text) if name == "timedelta" else _MOMENTS[name].fromisoformat(text)

    return [
        Grid(grid["name"], grid["hidden"], [[cell(value) for value in row] for row in grid["cells"]],
             {(r, c): note for r, c, note in grid["notes"]})
        for grid in json.loads(data)
    ]


def read_sheet(sheet, formulas: dict[tuple[int, int], str]) -> Grid:
    cells: list[list[Any]] = []
    notes: dict[tuple[int, int], str] = {}
    rows, merges = sheet_rows(sheet)
    for number, row in rows:
        values = {}
        for cell in row:
            value = cell["value"]
            r, c = number - 1, cell["column"] - 1
            if value is None:
                # A formula saved without its result (by a program, not by Excel
                # or WPS) reads as empty: keep the formula so it is refused, not
                # taken for a row the unit left blank.
                value = formulas.get((r, c))
            if value is None:
                continue
            refuse_beyond_limits(sheet.title, number, c + 1)
            if isinstance(value, str):
                value = excel_unescape(value)
            if is_number(value) and "%" in (cell_number_format(sheet, cell) or ""):
                value, notes[(r, c)] = percent_text(value)
            values[c] = value
        if values:
            cells.extend([] for _ in range(len(cells), number - 1))
            cells.append([values.get(c) for c in range(max(values) + 1)])
    fill_merged_down(cells, merge_spans(sheet.title, merges()), notes)
    return Grid(printable(sheet.title), sheet.sheet_state != "visible", cells, notes)


def excel_unescape(text: str) -> str:
    """Excel stores a character XML cannot hold (a control character pasted from
    Word, say) as _x000B_; openpyxl leaves that as it is. Read back, it is the
    character again, which the text rule then drops or turns into a space."""
    return _EXCEL_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text) if "_x" in text else text


def refuse_beyond_limits(sheet: str | None, row: int, column: int) -> None:
    reason = guard.too_far(row, column)
    if reason:
        raise guard.Refused(reason, sheet)


def sheet_rows(sheet, data_only: bool = True):
    """(row number, cells) of a read-only sheet as they stand in its XML, and then its merges.

    openpyxl's own parser reads each row; the loop is ours so that a row is
    dropped once read and the parts of a sheet not needed here (styles of rows,
    validations, conditional formats) are not built at all.
    """
    workbook = sheet.parent
    parser = WorkSheetParser(
        # No source (the stubs want one): rows are fed to parse_row below, parse() never runs.
        None, sheet._shared_strings, data_only=data_only, epoch=workbook.epoch,  # type: ignore[arg-type]
        date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
    )
    merges: list[str] = []

    def rows():
        from xml.etree.ElementTree import iterparse

        depth, table = 0, None
        with sheet._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 2 and element.tag.endswith("}sheetData"):
                        table = element
                    continue
                depth -= 1
                if element.tag == ROW_TAG:
                    row = parser.parse_row(element)
                    parser.row_dimensions.clear()  # row heights and styles: not needed, and one per row
                    if table is not None:
                        table.remove(element)
                    yield row
                elif element.tag == MERGE_TAG:
                    merges.extend(child.get("ref", "") for child in list(element)[: guard.MAX_MERGES + 1])
                    element.clear()
                elif depth <= 1:
                    element.clear()

    return rows(), lambda: merges


def cell_number_format(sheet, cell: dict) -> str | None:
    style = cell.get("style_id") or 0
    return ReadOnlyCell(sheet, cell["row"], cell["column"], cell["value"], cell["data_type"], style).number_format


def merge_spans(sheet: str, refs: list[str]) -> list[tuple[int, int, int, str]]:
    """(top, bottom, column, "A1:A3") of each merged range, 0-based, from the sheet's own XML."""
    from openpyxl.utils.cell import range_boundaries

    if len(refs) > guard.MAX_MERGES:
        raise guard.Refused(f"合并单元格超过 {guard.MAX_MERGES} 处，无法读取：请取消合并后再报送", sheet)
    spans = []
    for ref in refs:
        try:
            min_col, min_row, _, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue  # a damaged merge: the cells are read as they are
        if min_col is None or min_row is None or max_row is None:
            continue  # whole rows or columns ("A:B"): damaged too
        spans.append((min_row - 1, max_row - 1, min_col - 1, ref))
    return spans


def uncomputed_formulas(raw: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Formulas by sheet and (row, column); only read when the workbook has any."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
        if not any(b"<f" in archive.read(name) for name in sheets):
            return {}
    workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        found: dict[str, dict[tuple[int, int], str]] = {}
        for sheet in workbook.worksheets:
            rows, _ = sheet_rows(sheet, data_only=False)
            found[sheet.title] = {
                (number - 1, cell["column"] - 1): cell["value"]
                for number, row in rows
                for cell in row
                if cell["data_type"] == "f" and isinstance(cell["value"], str)
                and number <= guard.MAX_ROWS and cell["column"] <= guard.MAX_COLUMNS
            }
        return found
    finally:
        workbook.close()


def read_xls(path: Path, shown_path: str) -> Book:
    """.xls (Excel 97–2003) and WPS's .et, which shares its format."""
    # Ragged rows: each row as long as its own cells, not padded to the widest.
    book = xlrd.open_workbook(str(path), formatting_info=True, ragged_rows=True)
    grids = []
    for sheet in book.sheets():
        cells, notes = [], {}
        for r in range(sheet.nrows):
            values = []
            for c in range(sheet.row_len(r)):
                value = xls_value(book, sheet, r, c)
                if value is not None:
                    refuse_beyond_limits(sheet.name, r + 1, c + 1)
                if is_number(value) and "%" in xls_format(book, sheet, r, c):
                    value, notes[(r, c)] = percent_text(value)
                values.append(value)
            cells.append(values)
        merges = [
            (rlo, rhi - 1, clo, f"{get_column_letter(clo + 1)}{rlo + 1}:{get_column_letter(chi)}{rhi}")
            for rlo, rhi, clo, chi in sheet.merged_cells
        ]
        fill_merged_down(cells, merges, notes)
        grids.append(Grid(printable(sheet.name), sheet.visibility != 0, cells, notes))
    return Book(shown_path, grids)


def xls_value(book: xlrd.Book, sheet: xlrd.sheet.Sheet, r: int, c: int) -> Any:
    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cast(float, cell.value), book.datemode)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cast(int, cell.value), "#错误")  # an error cell holds its code
    return cell.value


def xls_format(book: xlrd.Book, sheet: xlrd.sheet.Sheet, r: int, c: int) -> str:
    xf = book.xf_list[sheet.cell_xf_index(r, c)]
    number_format = book.format_map.get(xf.format_key)
    return number_format.format_str if number_format else ""


def read_csv(path: Path, shown_path: str) -> Book:
    """CSV in UTF-8 (with or without BOM), GB18030/GBK, or Excel's UTF-16 text."""
    text, encoding = decode_text(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    cells: list[list[str | None]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            filled = [c for c, value in enumerate(row) if value != ""]
            if filled:
                refuse_beyond_limits(None, len(cells) + 1, filled[-1] + 1)
            cells.append([value if value != "" else None for value in row])
    except csv.Error:
        raise guard.Refused(
            f"第{len(cells) + 1}行无法按 CSV 读取（单元格过长或引号不成对）：请用 Excel 或 WPS 打开后另存为 .xlsx", row=len(cells) + 1
        ) from None
    return Book(shown_path, [Grid(None, False, cells)], [f"按 {encoding} 编码读取"])


def decode_text(raw: bytes) -> tuple[str, str]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig"), "UTF-8（带 BOM）"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030（GBK）"
    except UnicodeDecodeError:
        raise ValueError("无法识别文件编码：请以 UTF-8 或 GBK 编码保存") from None


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def percent_text(value: float) -> tuple[str, str]:
    """A cell formatted as a percentage shows 8.5% and stores 0.085; the unit meant what it saw."""
    text = f"{shown(round(value * 100, 10))}%"
    return text, f"单元格为百分比格式（存储值 {shown(value)}），按显示的“{text}”读取"


def fill_merged_down(cells: list[list[Any]], merges: list[tuple[int, int, int, str]], notes: dict) -> None:
    """A merged cell (填报单位 over a unit's rows) holds its value in its top cell
    only; it means that value on every row it spans. Across columns it means
    nothing more: a progress note merged over three columns is still one note."""
    for top, bottom, column, coord in merges:
        if top >= len(cells) or column >= len(cells[top]):
            continue
        value = cells[top][column]
        for r in range(top + 1, min(bottom, len(cells) - 1) + 1):
            while len(cells[r]) <= column:
                cells[r].append(None)
            cells[r][column] = value
            if value is not None:
                notes[(r, column)] = f"合并单元格 {coord}，按其中的“{shown(value)}”读取"


# finding the table -------------------------------------------------------------


def grid_to_table(grid: Grid, book: Book, known: tuple[str, ...], synonyms: dict[str, str], log: ProblemLog) -> RawTable:
    """The header where it is; data rows below it keep their sheet row numbers."""
    cells, changes = clean_grid(grid.cells)
    table = RawTable(book.shown, grid.name, {}, notes=list(book.notes))
    table.notes.extend(f"隐藏的工作表“{g.name}”未读取" for g in book.grids if g.hidden and g is not grid)
    header = find_header(cells, known, synonyms) or first_nonblank_row(cells, known)
    if header is None:
        return table
    header_index, columns, header_notes = header
    table.header_row = header_index + 1
    table.columns = columns
    table.notes.extend(header_notes)
    report_duplicate_headers(cells[header_index], known, synonyms, table, log)
    above = [r + 1 for r in range(header_index) if any(v is not None for v in cells[r])]
    table.title = "".join(str(v) for r in above for v in cells[r - 1] if v is not None)
    if above:
        table.notes.append(f"表头在第{table.header_row}行，其上的第{rows_text(above)}行为标题或说明，未作为数据读取")
    add_rows(table, grid, cells, changes, header_index)
    return table


def clean_grid(cells: list[list[Any]]) -> tuple[list[list[Any]], dict[tuple[int, int], list[str]]]:
    """Text as it can be printed (values.read_text) and trimmed, empty text as
    None; what was done to each cell, for the ledger."""
    cleaned, changes = [], {}
    for r, row in enumerate(cells):
        values = []
        for c, value in enumerate(row):
            if isinstance(value, str):
                reading = read_text(value)
                trimmed = reading.value.strip()
                notes = list(reading.notes)
                if trimmed and trimmed != reading.value:
                    notes.append("去掉首尾空格")
                if trimmed and notes:
                    changes[(r, c)] = notes
                value = trimmed or None
            values.append(value)
        cleaned.append(values)
    return cleaned, changes


def header_key(value: Any) -> str:
    """A header as typed, without the spaces, line breaks and * marks forms add."""
    return name_key(value).strip("*＊※")


def find_header(cells: list[list[Any]], known: tuple[str, ...], synonyms: dict[str, str]):
    """The row among the first few that names most known columns, with its columns."""
    best = None
    for r, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        columns, notes = header_columns(row, known, synonyms)
        matched = sum(1 for name in columns if name in known)
        if matched and (best is None or matched > best[0]):
            best = (matched, r, columns, notes)
    return None if best is None else best[1:]


def known_name(key: str, known: tuple[str, ...]) -> str | None:
    """完成值, and 完成值（万元）: forms put the unit of measure in the header."""
    if key in known:
        return key
    base = _BRACKETED.sub("", key)
    return base if base in known else None


def header_columns(row: list[Any], known: tuple[str, ...], synonyms: dict[str, str]):
    """Known names first (exact, then with a bracketed remark, then by synonym);
    other headers are kept as extra columns."""
    columns: dict[str, int] = {}
    notes = []
    keys = [(c, header_key(value), value) for c, value in enumerate(row) if value is not None]
    for exact in (True, False):
        for c, key, value in keys:
            name = known_name(key, known)
            if name and (name == key) == exact and name not in columns:
                columns[name] = c
                if str(value) != name:
                    notes.append(f"表头“{value}”按“{name}”读取")
    for c, key, value in keys:
        name = synonyms.get(key)
        if name and name not in columns:
            columns[name] = c
            notes.append(f"表头“{value}”按“{name}”读取")
    for c, key, _value in keys:
        if c not in columns.values():
            columns.setdefault(key, c)
    return columns, notes


def first_nonblank_row(cells: list[list[Any]], known: tuple[str, ...]):
    """No header names a known column: take the first row, so that the missing
    columns are reported by name."""
    for r, row in enumerate(cells):
        if any(v is not None for v in row):
            return r, {header_key(v): c for c, v in reversed(list(enumerate(row))) if v is not None}, []
    return None


def report_duplicate_headers(row: list[Any], known: tuple[str, ...], synonyms: dict[str, str], table: RawTable, log: ProblemLog) -> None:
    """Two columns both headed 完成值 leave no way to tell which one is meant."""
    seen: dict[str, int] = {}
    for c, value in enumerate(row):
        key = known_name(header_key(value), known) if value is not None else None
        if key is None:
            continue
        if key in seen:
            letters = f"{get_column_letter(seen[key] + 1)}列和{get_column_letter(c + 1)}列"
            log.add(
                table.location(table.header_row, key),
                f"表头“{key}”出现了两次（{letters}），无法判断以哪一列为准：请删去多余的一列或改用其他列名",
            )
        seen.setdefault(key, c)


def add_rows(table: RawTable, grid: Grid, cells: list[list[Any]], changes: dict, header_index: int) -> None:
    blank, footer, unlabeled = [], [], set[int]()
    labeled = set(table.columns.values())
    for r in range(header_index + 1, len(cells)):
        record = cells[r]
        filled = [c for c, v in enumerate(record) if v is not None]
        if not filled:
            blank.append(r + 1)
            continue
        if is_footer(record):
            footer.append(r + 1)
            continue
        unlabeled.update(c for c in filled if c not in labeled)
        cells_by_name = {name: record[c] if c < len(record) else None for name, c in table.columns.items()}
        table.rows.append(RawRow(r + 1, cells_by_name, row_notes(table, grid, changes, r)))
    last = table.rows[-1].number if table.rows else 0
    inner_blank = [n for n in blank if n < last]  # trailing blank rows are just the sheet's end
    if inner_blank:
        table.notes.append(f"跳过空行：第{rows_text(inner_blank)}行")
    if footer:
        table.notes.append(f"第{rows_text(footer)}行为签注或备注（填表人、联系电话、注等），不是数据行，未读取")
    if unlabeled:
        letters = "、".join(get_column_letter(c + 1) for c in sorted(unlabeled))
        table.notes.append(f"{letters}列没有表头，其中的内容未读取")


def is_footer(record: list[Any]) -> bool:
    texts = [v for v in record if v is not None]
    return all(isinstance(v, str) and _FOOTER_LABEL.match(v) for v in texts)


def row_notes(table: RawTable, grid: Grid, changes: dict, r: int) -> list[str]:
    notes = []
    for name, c in table.columns.items():
        where = f"{get_column_letter(c + 1)}列“{name}”"
        if (r, c) in grid.cell_notes:
            notes.append(f"{where}{grid.cell_notes[(r, c)]}")
        notes.extend(f"{where}{change}" for change in changes.get((r, c), ()))
    return notes


def rows_text(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → 1–3、7."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def display_path(path: Path, root: Path) -> str:
    try:
        return printable(path.relative_to(root))
    except ValueError:
        return printable(path)
