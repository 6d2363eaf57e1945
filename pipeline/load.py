"""Load stage: read campaign.yaml, the plan and the monthly reports as raw tables.

Nothing is interpreted here beyond finding the header row; every cell keeps its
sheet row number and column so that the validate stage can name the place of
any problem.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from openpyxl.utils import get_column_letter

from pipeline.model import Location
from pipeline.problems import ProblemLog

PLAN_SHEETS = ("单位", "任务", "指标")
REPORT_SHEET = "填报"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_MONTH_NAME = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class RawRow:
    number: int  # the row as the user sees it: 1-based sheet row or CSV line
    cells: dict[str, Any]


@dataclass
class RawTable:
    file: str  # as shown to the user, relative to the inputs folder
    sheet: str | None  # None for CSV
    columns: dict[str, int]  # header → 0-based column index
    rows: list[RawRow] = field(default_factory=list)

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


def load_inputs(root: Path, log: ProblemLog) -> RawInputs:
    """Read every input file under ``root``; unreadable files go to ``log``."""
    campaign = load_campaign_yaml(root, log)
    plan = load_plan(root, log)
    reports = load_reports(root, log)
    return RawInputs(root, campaign, plan, reports)


def load_campaign_yaml(root: Path, log: ProblemLog) -> dict[str, Any]:
    path = root / "campaign.yaml"
    if not path.is_file():
        log.add(Location("campaign.yaml"), f"找不到活动设置文件（应在 {root} 下）")
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        log.add(Location("campaign.yaml", row=row), f"不是有效的 YAML 文件：{error}")
        return {}
    if not isinstance(data, dict):
        log.add(Location("campaign.yaml"), "内容应为“键: 值”形式的设置")
        return {}
    return data


def load_plan(root: Path, log: ProblemLog) -> dict[str, RawTable]:
    """plan.xlsx with sheets 单位/任务/指标, or plan/单位.csv etc."""
    workbook = root / "plan.xlsx"
    csv_folder = root / "plan"
    if workbook.is_file():
        sheets = read_workbook(workbook, root, log)
        if sheets is None:
            return {}
        missing = [name for name in PLAN_SHEETS if name not in sheets]
        for name in missing:
            log.add(Location(display_path(workbook, root)), f"缺少工作表“{name}”")
        return {name: table for name, table in sheets.items() if name in PLAN_SHEETS}
    if csv_folder.is_dir():
        tables = {}
        for name in PLAN_SHEETS:
            path = csv_folder / f"{name}.csv"
            if not path.is_file():
                log.add(Location(display_path(path, root)), "缺少此文件")
                continue
            table = read_csv(path, root, log)
            if table is not None:
                tables[name] = table
        return tables
    log.add(Location("plan.xlsx"), f"找不到任务方案（应为 {root}/plan.xlsx 或 plan/ 下的 CSV 文件）")
    return {}


def load_reports(root: Path, log: ProblemLog) -> list[RawReportFile]:
    """reports/YYYY-MM.xlsx|csv, or a folder reports/YYYY-MM/ of per-unit files."""
    folder = root / "reports"
    if not folder.is_dir():
        return []
    found: list[RawReportFile] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "~$")):
            continue  # editor lock files and hidden files are not reports
        month = entry.stem if entry.is_file() else entry.name
        if not _MONTH_NAME.match(month):
            log.add(
                Location(display_path(entry, root)),
                "无法从名称判断月份：月报文件或文件夹应命名为 年-月，如 2023-09.xlsx 或 2023-09/",
            )
            continue
        files = report_files_in(entry) if entry.is_dir() else [entry]
        for path in files:
            table = read_report_file(path, root, log)
            if table is not None:
                found.append(RawReportFile(month, table))
    return found


def report_files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def read_report_file(path: Path, root: Path, log: ProblemLog) -> RawTable | None:
    if path.suffix.lower() == ".csv":
        return read_csv(path, root, log)
    sheets = read_workbook(path, root, log)
    if sheets is None:
        return None
    if REPORT_SHEET not in sheets:
        log.add(Location(display_path(path, root)), f"缺少工作表“{REPORT_SHEET}”")
        return None
    return sheets[REPORT_SHEET]


def read_workbook(path: Path, root: Path, log: ProblemLog) -> dict[str, RawTable] | None:
    shown = display_path(path, root)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        log.add(Location(shown), "不支持的文件类型：请另存为 Excel 工作簿（.xlsx）或 CSV")
        return None
    try:
        frames = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        log.add(Location(shown), f"无法作为 Excel 工作簿打开（{type(error).__name__}）：文件可能已损坏或并非 .xlsx 格式")
        return None
    return {name: frame_to_table(frame, shown, name) for name, frame in frames.items()}


def read_csv(path: Path, root: Path, log: ProblemLog) -> RawTable | None:
    shown = display_path(path, root)
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        log.add(Location(shown), "无法识别文件编码：请以 UTF-8 或 GBK 编码保存")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=object, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as error:
        log.add(Location(shown), f"CSV 格式错误：{error}")
        return None
    return frame_to_table(frame, shown, None)


def frame_to_table(frame: pd.DataFrame, file: str, sheet: str | None) -> RawTable:
    """Header on the first non-blank row; data rows keep their sheet row numbers."""
    records = [[clean_cell(value) for value in row] for row in frame.itertuples(index=False)]
    header_index = next((i for i, row in enumerate(records) if any(v is not None for v in row)), None)
    if header_index is None:
        return RawTable(file, sheet, {})
    columns: dict[str, int] = {}
    for position, value in enumerate(records[header_index]):
        if value is not None:
            columns.setdefault(str(value).strip(), position)
    rows = []
    for offset, record in enumerate(records[header_index + 1 :], start=header_index + 2):
        if all(value is None for value in record):
            continue  # a blank row holds nothing that could be dropped
        cells = {name: record[position] if position < len(record) else None for name, position in columns.items()}
        rows.append(RawRow(offset, cells))
    return RawTable(file, sheet, columns, rows)


def clean_cell(value: Any) -> Any:
    """Empty cells become None; text is stripped; pandas timestamps become dates."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    return value


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
