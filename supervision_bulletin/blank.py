"""`bulletin init --empty`: a new campaign's inputs, ready to be filled in.

A commented campaign.yaml (every key of the input contract, the optional ones
commented out) and a plan.xlsx with the sheets 单位, 任务, 指标 and 分解: the
headers the loader reads, an instruction line above each, dropdowns where a
column takes one of a few words, and no data. `bulletin check` on the blank
workspace then names what is still to be filled in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from supervision_bulletin.sheet_cells import first_sheet, put

CAMPAIGN_TEMPLATE = """\
# 活动设置（YAML：每行“键: 值”，冒号用半角并后接空格；# 开头的是说明，可以删去）
name: {year}年××活动                 # 活动名称，出现在公文标题中
year: {year}                         # 活动年度
issuer: ××区委区政府督查局            # 发文机关：红头、落款
code: ××督查                         # 机关代字：文号为 ××督查〔{year}〕1号
recipients: 各街道办事处，区政府有关部门，各有关单位   # 主送机关
cc:                                  # 抄送机关（可删去）
  - 区委办公室
  - 区政府办公室
# printer: ××区委区政府督查局         # 印发机关，默认同发文机关
report_due_day: 5                    # 各单位每月几日前报送上月进展
# report_every: quarter              # 按季度报送时写 quarter（只在3、6、9、12月报送），默认每月
# plan_document: 《{year}年××活动方案》（××政办〔{year}〕×号）   # 被督查的方案，写入每份公文的开头
# contact: {{name: 张三, phone: 0000-0000000}}                   # 督办通知末尾的联系人和电话
# calendar: {{holidays: [{next_year}-10-08], workdays: []}}       # 国家日历尚未收录的年份的放假和调休
# rules:                             # 评判阈值和加减分，可按本地考核办法调整
#   ahead_margin: 0.10               # 超序时：超出序时进度的比例
#   severe_gap: 0.10                 # 严重滞后：落后年度目标的比例
#   answer_working_days: 10          # 督办通知的整改期限（工作日）
#   close_on_figures: true           # 对账销号：反馈整改到位且所列指标不再滞后才销号；false 为反馈整改到位即销号
"""

# sheet → (columns, instruction, {column: allowed words})
SHEETS = {
    "单位": (
        ("单位名称", "别名", "类型", "督查对象"),
        "每行一个单位。单位名称为公文中使用的规范简称；别名用“、”隔开（各单位填报时可用）；类型为部门、街道、乡镇或其他；"
        "督查对象为“否”的单位（如法院、党委部门）只报告数据，不表扬、不批评。",
        {"类型": ("部门", "街道", "乡镇", "其他"), "督查对象": ("是", "否")},
    ),
    "任务": (
        ("任务编号", "领域", "任务内容", "牵头单位", "配合单位"),
        "每行一项任务。领域为任务所属的方面（公文按领域分节）；牵头单位、配合单位写单位表中的名称，多个用“、”隔开。",
        {},
    ),
    "指标": (
        ("指标编号", "任务编号", "指标名称", "计量单位", "目标值", "比较", "类型", "责任单位", "季度目标", "报送频次"),
        "每行一项指标。累计类按时间进度评判，水平类直接与目标比较，定性类报送已完成、推进中或滞后（不填目标值）；"
        "季度目标写四个累计值，用分号隔开，如 20;45;70;100；报送频次为月或季，不填按活动设置。",
        {"比较": ("≥", "≤"), "类型": ("累计", "水平", "定性"), "报送频次": ("月", "季")},
    ),
    "分解": (
        ("指标编号", "单位", "目标值", "季度目标"),
        "可选：把指标的年度目标分解到街道、乡镇或共同牵头单位，每行一个单位的分解目标；分解单位按月报送本单位的完成值。",
        {},
    ),
}
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def write_blank_campaign(target: Path, year: int | None = None) -> list[Path]:
    """campaign.yaml and plan.xlsx in ``target`` (an empty or new folder), and reports/."""
    year = year or dt.date.today().year
    target.mkdir(parents=True, exist_ok=True)
    (target / "reports").mkdir(exist_ok=True)
    campaign = target / "campaign.yaml"
    campaign.write_text(CAMPAIGN_TEMPLATE.format(year=year, next_year=year + 1), encoding="utf-8")
    plan = target / "plan.xlsx"
    blank_plan().save(plan)
    return [campaign, plan]


def blank_plan() -> Workbook:
    workbook = Workbook()
    workbook.remove(first_sheet(workbook))
    for name, (columns, instruction, choices) in SHEETS.items():
        sheet = workbook.create_sheet(name)
        put(sheet["A1"], instruction).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet.row_dimensions[1].height = 48
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(2, index, column)
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            sheet.column_dimensions[get_column_letter(index)].width = 40 if column == "任务内容" else 14
            if column in choices:
                rule = DataValidation(type="list", formula1='"' + ",".join(choices[column]) + '"', allow_blank=True)
                rule.add(f"{get_column_letter(index)}3:{get_column_letter(index)}1000")
                sheet.add_data_validation(rule)
            if column in ("指标编号", "任务编号"):
                for row in range(3, 1001):  # 1-1 must stay text, not become a date
                    sheet.cell(row, index).number_format = "@"
        sheet.freeze_panes = "A3"
    return workbook
