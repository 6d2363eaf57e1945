"""Write small campaigns for tests: plan.xlsx, campaign.yaml and reports.

Tests describe a campaign as Python rows and get real workbooks on disk, so
every test exercises the same loading code a user's files go through.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

UNIT_HEADER = ("单位名称", "别名", "类型")
TASK_HEADER = ("任务编号", "领域", "任务内容", "牵头单位", "配合单位")
INDICATOR_HEADER = ("指标编号", "任务编号", "指标名称", "计量单位", "目标值", "比较", "类型", "责任单位", "季度目标")
REPORT_HEADER = ("指标编号", "填报单位", "完成值", "进展情况", "存在问题", "下步措施", "报送日期")

CAMPAIGN = {
    "name": "2024年河东区营商环境提升行动",
    "year": 2024,
    "issuer": "河东区人民政府督查局",
    "code": "河东督",
    "recipients": "区直各部门，各乡镇人民政府",
    "cc": ["区委办公室"],
    "report_due_day": 5,
}
UNITS = [
    ("区行政审批局", "审批局", "部门"),
    ("区环保局", "环保局、区生态环境局", "部门"),
    ("东关镇", "", "街道"),
    ("区统计局", "", "部门"),
]
TASKS = [
    ("A1", "优化政务服务", "压缩企业开办时间，推行“一网通办”。", "区行政审批局", "东关镇"),
    ("A2", "改善生态环境", "降低重点区域扬尘污染。", "区环保局", ""),
    ("B1", "夯实统计基础", "按时报送统计数据。", "区统计局", ""),
]
INDICATORS = [
    # 累计 ≥ with quarterly checkpoints
    ("A1-1", "A1", "新增市场主体", "户", 1200, "≥", "累计", "区行政审批局", "200;500;900;1200"),
    # 水平 ≤: a ceiling on a level
    ("A1-2", "A1", "企业开办时间", "天", 2, "不高于", "水平", "区行政审批局", None),
    # 累计 ≤: a ceiling on a running total
    ("A2-1", "A2", "扬尘投诉件数", "件", 120, "≤", "累计", "区环保局", None),
    # 定性
    ("B1-1", "B1", "统计数据质量核查", None, None, None, "定性", "区统计局", None),
    # shared by two units
    ("A2-2", "A2", "空气优良天数比例", "%", 80, "≥", "水平", "区环保局、东关镇", None),
]


def write_rows(sheet, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))


def write_plan(
    root: Path, units=UNITS, tasks=TASKS, indicators=INDICATORS, task_header=TASK_HEADER,
    indicator_header=INDICATOR_HEADER, unit_header=UNIT_HEADER,
) -> Path:
    workbook = Workbook()
    write_rows(workbook.active, unit_header, units)
    workbook.active.title = "单位"
    write_rows(workbook.create_sheet("任务"), task_header, tasks)
    write_rows(workbook.create_sheet("指标"), indicator_header, indicators)
    path = root / "plan.xlsx"
    workbook.save(path)
    return path


def write_report(root: Path, month_label: str, rows: list[tuple[Any, ...]], name: str | None = None) -> Path:
    workbook = Workbook()
    workbook.active.title = "填报"
    write_rows(workbook.active, REPORT_HEADER, rows)
    folder = root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or month_label}.xlsx"
    if name:
        path = folder / month_label / f"{name}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_campaign(root: Path, **overrides) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "campaign.yaml"
    path.write_text(yaml.safe_dump({**CAMPAIGN, **overrides}, allow_unicode=True), encoding="utf-8")
    return path


def report_row(indicator: str, unit: str, value: Any, submitted: dt.date | None, progress: str = "") -> tuple:
    return (indicator, unit, value, progress, "", "", submitted)


def on_time(year: int, month: int) -> dt.date:
    """A submission date inside the due window of ``month``'s report."""
    return dt.date(year + (month == 12), month % 12 + 1, 3)


def make_campaign(root: Path, monthly_values: dict[int, dict[str, Any]] | None = None) -> Path:
    """A complete second campaign; ``monthly_values`` maps month → {indicator: value}."""
    write_campaign(root)
    write_plan(root)
    owner = {row[0]: row[7].split("、")[0] for row in INDICATORS}
    for month, values in (monthly_values or DEFAULT_MONTHS).items():
        rows = [report_row(i, owner[i], v, on_time(2024, month)) for i, v in values.items()]
        write_report(root, f"2024-{month:02d}", rows)
    return root


DEFAULT_MONTHS = {
    6: {"A1-1": 520, "A1-2": 2, "A2-1": 50, "B1-1": "推进中", "A2-2": 78},
    7: {"A1-1": 650, "A1-2": 1.5, "A2-1": 58, "B1-1": "推进中", "A2-2": 79},
    8: {"A1-1": 780, "A1-2": 1.5, "A2-1": 66, "B1-1": "滞后", "A2-2": 81},
    9: {"A1-1": 1000, "A1-2": 1.8, "A2-1": 95, "B1-1": "已完成", "A2-2": 85},
}


ANSWER_HEADER = ("文号", "反馈单位", "反馈日期", "整改情况", "整改到位")


def write_answers(root: Path, name: str, rows: list[tuple[Any, ...]], sheet: str = "反馈") -> Path:
    """inputs/answers/<name>.xlsx with the 反馈 sheet of inputs.md."""
    workbook = Workbook()
    workbook.active.title = sheet
    write_rows(workbook.active, ANSWER_HEADER, rows)
    folder = root / "answers"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.xlsx"
    workbook.save(path)
    return path
