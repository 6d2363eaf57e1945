"""`bulletin forms MONTH`: the collection forms the bureau sends out each month.

One workbook per unit, sheet 填报, with the unit's indicators pre-filled (id,
name, unit of measure, annual target, the month's benchmark, the last figure it
reported) and empty cells for what the unit types. The pre-filled columns are
locked and the input cells carry dropdowns, number checks and input messages,
so that most mistakes are caught in Excel or WPS before the form comes back.

A returned form dropped into inputs/reports/MONTH/ is read as it is: its header
carries the report columns of inputs.md under a title and instructions, which
the loader skips, and the pre-filled columns are extra columns, which it
ignores. The sheet is protected without a password, so the bureau can lift the
protection (审阅 → 撤销工作表保护) when a form needs mending by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from supervision_bulletin import calendar
from supervision_bulletin.evaluate import benchmark
from supervision_bulletin.filenames import unique_stems
from supervision_bulletin.load import REPORT_SHEET
from supervision_bulletin.model import QUALITATIVE_VALUES, Campaign, Indicator, Inputs, Location, Report
from supervision_bulletin.periods import PeriodError, parse_period
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.sheet_cells import first_sheet, put
from supervision_bulletin.write import publish, staging_folder

FORMS_FOLDER = "forms"
TITLE_ROW, UNIT_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    prefilled: bool  # locked: written by the bureau, not by the unit


# The unit's columns keep the names of inputs.md, so a returned form is a report.
COLUMNS = (
    Column("指标编号", 9, True),
    Column("指标名称", 24, True),
    Column("填报单位", 14, True),
    Column("类型", 6, True),
    Column("计量单位", 8, True),
    Column("比较", 5, True),
    Column("年度目标", 10, True),
    Column("本月序时目标", 12, True),
    Column("上次报送值", 10, True),
    Column("上次报送月份", 10, True),
    Column("完成值", 10, False),
    Column("进展情况", 36, False),
    Column("存在问题", 24, False),
    Column("下步措施", 24, False),
    Column("报送日期", 12, False),
)
LETTER = {column.header: get_column_letter(index + 1) for index, column in enumerate(COLUMNS)}

_PREFILLED_FILL = PatternFill("solid", fgColor="E7E6E6")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="BFBFBF")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")


@dataclass(frozen=True)
class FormRow:
    """One indicator on one unit's form."""

    indicator: Indicator
    benchmark: float | None
    last: Report | None  # the latest figure reported before the month


@dataclass(frozen=True)
class UnitForm:
    unit: str
    rows: tuple[FormRow, ...]


@dataclass(frozen=True)
class FormsResult:
    folder: Path
    files: tuple[Path, ...]
    due: dt.date


def parse_month(label: str) -> tuple[int, int] | None:
    """"2023-10", "2023-9", "2023年10月" → (2023, 10); anything else → None."""
    try:
        period = parse_period(label)
    except PeriodError:
        return None
    return (period.year, period.index) if period.kind == "month" else None


def check_month(inputs: Inputs, year: int) -> None:
    log = ProblemLog()
    if year != inputs.campaign.year:
        log.add(Location("campaign.yaml"), f"{year} 年不在活动年度 {inputs.campaign.year} 内，无法生成填报表")
    log.raise_if_any()


def make_forms(inputs: Inputs, out_dir: Path, year: int, month: int, due: dt.date | None = None) -> FormsResult:
    """Write out_dir/forms/YYYY-MM/<unit>.xlsx for every unit with indicators; all or nothing."""
    check_month(inputs, year)
    due = due or calendar.report_due(inputs.campaign, month)
    label = f"{year}-{month:02d}"
    root = out_dir / FORMS_FOLDER
    files = []
    forms = unit_forms(inputs, month)
    with staging_folder(root, label) as folder:
        for form, stem in zip(forms, unique_stems([form.unit for form in forms])):
            workbook = form_workbook(inputs.campaign, form, year, month, due)
            name = f"{stem}.xlsx"
            workbook.save(folder / name)
            files.append(root / label / name)
        publish(folder, root / label)
    return FormsResult(root / label, tuple(files), due)


def unit_forms(inputs: Inputs, month: int) -> list[UnitForm]:
    """Units in the plan's order; a unit owing nothing that month gets no form."""
    forms = []
    for unit in inputs.plan.units:
        rows = tuple(
            FormRow(indicator, benchmark(indicator, month), last_report(inputs.reports, indicator, month))
            # The unit's own indicators, then its shares of others' (plan sheet 分解).
            for indicator in inputs.plan.indicators + inputs.plan.share_indicators
            if unit.name in indicator.units and calendar.is_due(indicator, month)
        )
        if rows:
            forms.append(UnitForm(unit.name, rows))
    return forms


def last_report(reports: tuple[Report, ...], indicator: Indicator, month: int) -> Report | None:
    earlier = [
        r for r in reports
        if r.indicator_id == indicator.id and r.month < month and (r.unit if r.share else None) == indicator.share_unit
    ]
    return max(earlier, key=lambda r: r.month, default=None)


# the workbook --------------------------------------------------------------------


def form_workbook(campaign: Campaign, form: UnitForm, year: int, month: int, due: dt.date) -> Workbook:
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = REPORT_SHEET
    write_heading(sheet, campaign, form.unit, year, month, due)
    for offset, row in enumerate(form.rows):
        write_row(sheet, FIRST_DATA_ROW + offset, form.unit, row, month)
    add_validations(sheet, form.rows, year, month, due)
    protect(sheet, len(form.rows))
    layout(sheet, len(form.rows))
    return workbook


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def write_heading(sheet: Worksheet, campaign: Campaign, unit: str, year: int, month: int, due: dt.date) -> None:
    last = get_column_letter(len(COLUMNS))
    when = f"{month}月" if campaign.name.startswith(f"{year}年") else f"{year}年{month}月"
    put(sheet["A1"], f"{campaign.name}{when}进展情况填报表").font = Font(bold=True, size=14)
    put(sheet["A2"], f"填报单位：{unit}　　　报送截止：{chinese_date(due)}　　　报送至：{campaign.issuer}").font = Font(bold=True)
    put(sheet["A3"], instruction(month))
    for row in (TITLE_ROW, UNIT_ROW, NOTE_ROW):
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.header)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEADER_FILL, _BORDER, _WRAP


def instruction(month: int) -> str:
    return (
        "填表说明：灰色各列为督查室预填，已锁定；请只填黄色各列，不要增删行列或修改表头。"
        f"完成值：累计类填年初至{month}月底的累计数，水平类填{month}月底的数值，只填数字、不带单位"
        "（计量单位为%的填百分数的数值，如 85 或 85%）；定性类从下拉列表选择已完成、推进中或滞后。"
        "报送日期填实际报送的日期。同一指标如需更正，请重新报送整表并填写更正当天的报送日期。"
    )


def write_row(sheet: Worksheet, number: int, unit: str, row: FormRow, month: int) -> None:
    indicator = row.indicator
    last = row.last
    values = {
        "指标编号": indicator.id,
        "指标名称": indicator.name + ("（本单位分解任务）" if indicator.is_share else ""),
        "填报单位": unit,
        "类型": indicator.type,
        "计量单位": indicator.measure,
        "比较": "" if indicator.type == "定性" else ("≤" if indicator.is_ceiling else "≥"),
        "年度目标": indicator.target,
        "本月序时目标": None if row.benchmark is None else round(row.benchmark, 2),
        "上次报送值": None if last is None else (last.status_word or last.value),
        "上次报送月份": None if last is None else f"{last.month}月",
    }
    for index, column in enumerate(COLUMNS, start=1):
        cell = put(sheet.cell(number, index), values.get(column.header))  # plan text stays text
        cell.border, cell.alignment = _BORDER, _WRAP
        cell.fill = _PREFILLED_FILL if column.prefilled else _INPUT_FILL
    sheet[f"{LETTER['指标编号']}{number}"].number_format = "@"  # 1-1 must stay text, not become 1月1日
    sheet[f"{LETTER['报送日期']}{number}"].number_format = "yyyy-mm-dd"


def value_prompt(indicator: Indicator, month: int) -> str:
    """The input message of a numeric 完成值 cell."""
    measure = f"（单位：{indicator.measure}）" if indicator.measure else ""
    what = f"年初至{month}月底的累计数" if indicator.type == "累计" else f"{month}月底的数值"
    percent = "；百分数填数值，如 85 或 85%" if indicator.measure == "%" else ""
    return f"请填写{what}{measure}，只填数字、不带单位{percent}。"


def add_validations(sheet: Worksheet, rows: tuple[FormRow, ...], year: int, month: int, due: dt.date) -> None:
    """Dropdowns for 定性, a number check with an input message on 完成值, a date check on 报送日期."""
    words = DataValidation(
        type="list", formula1=f'"{",".join(QUALITATIVE_VALUES)}"', allow_blank=True,
        showErrorMessage=True, errorTitle="完成值", error=f"请从下拉列表中选择：{'、'.join(QUALITATIVE_VALUES)}",
        showInputMessage=True, promptTitle="完成值", prompt=f"请从下拉列表选择：{'、'.join(QUALITATIVE_VALUES)}。",
    )
    sheet.add_data_validation(words)
    for offset, row in enumerate(rows):
        cell = f"{LETTER['完成值']}{FIRST_DATA_ROW + offset}"
        if row.indicator.type == "定性":
            words.add(cell)
            continue
        number = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
            showErrorMessage=True, errorTitle="完成值", error="完成值应为不小于 0 的数字，不带单位。",
            showInputMessage=True, promptTitle="完成值", prompt=value_prompt(row.indicator, month),
        )
        sheet.add_data_validation(number)
        number.add(cell)
    last_row = FIRST_DATA_ROW + len(rows) - 1
    dates = DataValidation(
        type="date", operator="greaterThanOrEqual", formula1=f"DATE({year},{month},1)", allow_blank=True,
        showErrorMessage=True, errorTitle="报送日期", error=f"请填写 {year}年{month}月1日以后的日期，如 {due.isoformat()}",
        showInputMessage=True, promptTitle="报送日期", prompt=f"实际报送的日期，如 {due.isoformat()}；截止 {chinese_date(due)}。",
    )
    sheet.add_data_validation(dates)
    dates.add(f"{LETTER['报送日期']}{FIRST_DATA_ROW}:{LETTER['报送日期']}{last_row}")


def protect(sheet: Worksheet, count: int) -> None:
    """Everything locked but the unit's cells; columns and rows may still be resized."""
    for offset in range(count):
        for index, column in enumerate(COLUMNS, start=1):
            if not column.prefilled:
                sheet.cell(FIRST_DATA_ROW + offset, index).protection = Protection(locked=False)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def layout(sheet: Worksheet, count: int) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[NOTE_ROW].height = 62
    sheet.row_dimensions[HEADER_ROW].height = 30
    for offset in range(count):
        sheet.row_dimensions[FIRST_DATA_ROW + offset].height = 40  # room for a line or two of progress
    sheet.freeze_panes = f"{LETTER['完成值']}{FIRST_DATA_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    assert sheet.sheet_properties.pageSetUpPr is not None  # a new sheet has its page setup
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
