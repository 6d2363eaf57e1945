"""`bulletin forms answers`: a 反馈 workbook for each unit with notices still open.

Each row is one open notice (not yet 已销号): its number and the unit are filled
in and locked, with the notice's title, issue date, deadline, the indicators
behind it and its state as reference columns; the unit types the date, what it
did and whether the problem is fixed. A returned workbook dropped into
inputs/answers/ is read as it is (the reference columns are extra columns,
which the intake ignores).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from supervision_bulletin.filenames import unique_stems
from supervision_bulletin.follow_up import CLOSED, NoticeStatus, behind_at, follow_up
from supervision_bulletin.load import ANSWER_SHEET
from supervision_bulletin.model import Inputs
from supervision_bulletin.record import CampaignRecord
from supervision_bulletin.sheet_cells import first_sheet, put
from supervision_bulletin.write import publish, staging_folder

FOLDER = "整改反馈"
HEADER_ROW, FIRST_ROW = 4, 5
# (header, width, typed by the unit)
COLUMNS = (
    ("文号", 24, False), ("反馈单位", 16, False), ("反馈日期", 14, True), ("整改情况", 48, True),
    ("整改到位", 10, True), ("通知标题", 40, False), ("成文日期", 12, False), ("反馈期限", 12, False),
    ("涉及指标", 36, False), ("当前状态", 12, False),
)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_PREFILLED = PatternFill("solid", fgColor="E7E6E6")
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class AnswerForms:
    folder: Path
    files: tuple[Path, ...]


def open_notices(inputs: Inputs, record: CampaignRecord, as_of: dt.date) -> dict[str, list[NoticeStatus]]:
    """Notices not yet closed at ``as_of``, by addressee, in the plan's unit order."""
    campaign = inputs.campaign
    follow = follow_up(record.documents(campaign.code, campaign.year), inputs.answers, as_of + dt.timedelta(days=1),
                       behind_at(inputs, as_of))
    by_unit: dict[str, list[NoticeStatus]] = {}
    for status in follow.notices:
        if status.state != CLOSED:
            by_unit.setdefault(status.unit, []).append(status)
    order = {unit.name: index for index, unit in enumerate(inputs.plan.units)}
    return dict(sorted(by_unit.items(), key=lambda item: order.get(item[0], len(order))))


def make_answer_forms(inputs: Inputs, record: CampaignRecord, out_dir: Path, as_of: dt.date) -> AnswerForms:
    """outputs/forms/整改反馈/<unit>.xlsx for every unit with an open notice; all or nothing."""
    by_unit = open_notices(inputs, record, as_of)
    root = out_dir / "forms"
    files = []
    with staging_folder(root, FOLDER) as folder:
        for (unit, statuses), stem in zip(by_unit.items(), unique_stems(list(by_unit))):
            name = f"{stem}.xlsx"
            answer_workbook(inputs, unit, statuses, as_of).save(folder / name)
            files.append(root / FOLDER / name)
        publish(folder, root / FOLDER)
    return AnswerForms(root / FOLDER, tuple(files))


def answer_workbook(inputs: Inputs, unit: str, statuses: list[NoticeStatus], as_of: dt.date) -> Workbook:
    campaign = inputs.campaign
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = ANSWER_SHEET
    last = get_column_letter(len(COLUMNS))
    put(sheet["A1"], f"{campaign.name}督办通知整改情况反馈表").font = Font(bold=True, size=14)
    put(sheet["A2"], f"反馈单位：{unit}　　　报送至：{campaign.issuer}　　　制表日期：{as_of.isoformat()}").font = Font(bold=True)
    put(sheet["A3"], (
        "填表说明：灰色各列已预填并锁定，请只填黄色各列。反馈日期填书面反馈送达的日期；整改情况写明问题原因、"
        "整改措施和完成情况；问题已解决的，整改到位选“是”，予以销号，尚未解决的选“否”，整改到位后再次反馈。"
    ))
    for row in (1, 2, 3):
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[3].height = 45
    for index, (header, width, _typed) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, header)
        cell.font, cell.border, cell.alignment = Font(bold=True), _BORDER, _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    for offset, status in enumerate(statuses):
        write_row(sheet, FIRST_ROW + offset, status)
    add_validations(sheet, len(statuses))
    sheet.protection.sheet = True  # no password: the bureau can lift it (审阅 → 撤销工作表保护)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    return workbook


def write_row(sheet, number: int, status: NoticeStatus) -> None:
    notice = status.notice
    values = {
        "文号": status.number,
        "反馈单位": status.unit,
        "通知标题": notice.title,
        "成文日期": notice.issued.isoformat() if notice.issued else "",
        "反馈期限": notice.deadline.isoformat() if notice.deadline else "",
        "涉及指标": "；".join(notice.subjects),
        "当前状态": status.state,
    }
    for index, (header, _width, typed) in enumerate(COLUMNS, start=1):
        cell = put(sheet.cell(number, index), values.get(header))
        cell.border, cell.alignment = _BORDER, _WRAP
        cell.fill = _INPUT if typed else _PREFILLED
        if typed:
            cell.protection = Protection(locked=False)
    sheet.cell(number, 3).number_format = "yyyy-mm-dd"


def add_validations(sheet, rows: int) -> None:
    if not rows:
        return
    end = FIRST_ROW + rows - 1
    fixed = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    fixed.prompt, fixed.promptTitle = "问题已解决的选“是”，尚未解决的选“否”", "整改到位"
    fixed.add(f"E{FIRST_ROW}:E{end}")
    date = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)
    date.error, date.errorTitle = "请填写日期，如 2023-10-19", "反馈日期"
    date.add(f"C{FIRST_ROW}:C{end}")
    sheet.add_data_validation(fixed)
    sheet.add_data_validation(date)
