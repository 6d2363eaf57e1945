#!/usr/bin/env python3
"""Write the sample campaign (示例数据) into inputs/.

    .venv/bin/python scripts/make_sample.py [--out supervision_bulletin/sample]

The plan content (domains, 39 tasks, lead units, indicators) comes from the
real plan 老城政办〔2023〕22号 and is kept in scripts/sample/plan.yaml; the
monthly figures, reporting irregularities and report texts are invented and
kept in scripts/sample/progress.yaml and scripts/sample/narratives.yaml.

Output follows the input contract of the pipeline:
    campaign.yaml, plan.xlsx (单位, 任务, 指标),
    reports/2023-01.xlsx … 2023-12.xlsx, except 2023-11 which is a folder of
    per-unit workbooks (reports/2023-11/<单位>.xlsx).

The run is deterministic: random choices use generators seeded from SEED and
a per-item key, and workbooks get fixed timestamps so that files are
byte-identical between runs. After writing, the script reads the files back,
re-evaluates them with the supervision rules and asserts the designed
scenario (see check_scenario), so an edit that breaks it fails loudly.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar
import openpyxl
import pandas as pd
import yaml
from openpyxl.styles import Alignment, Font

from supervision_bulletin.resources import SAMPLE_CAMPAIGN

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"

SEED = 2023
YEAR = 2023
DUE_DAY = 5
MONTHS = range(1, 13)

# Fixed timestamps: openpyxl stamps "now" into docProps/core.xml and zipfile
# stamps "now" into every member, which would make each run differ.
FIXED_TIME = dt.datetime(2023, 9, 28, 9, 0, 0)
ZIP_TIME = (2023, 9, 28, 9, 0, 0)

SOURCE = "《2023年老城区高质量发展赶超活动方案》（老城政办〔2023〕22号）"

CAMPAIGN = {
    "name": "2023年老城区高质量发展赶超活动",
    "year": YEAR,
    # The seed's 保障措施（三）: supervision by the 区委区政府督查局, the assessment by the 区委组织部,
    # coordination by the 区发改委.
    "issuer": "老城区委区政府督查局",
    "code": "老城督查",
    "recipients": "各街道办事处，区政府有关部门，各有关单位",
    "cc": ["区委组织部", "区发改委", "区委办公室", "区政府办公室"],
    "printer": "老城区委区政府督查局",
    "report_due_day": DUE_DAY,
    "plan_document": SOURCE,
    "contact": {"name": "王磊", "phone": "0379-6xxxxxxx（示例）"},
}

UNIT_COLUMNS = ["单位名称", "别名", "类型", "督查对象"]
SHARE_COLUMNS = ["指标编号", "单位", "目标值", "季度目标"]
TASK_COLUMNS = ["任务编号", "领域", "任务内容", "牵头单位", "配合单位"]
INDICATOR_COLUMNS = ["指标编号", "任务编号", "指标名称", "计量单位", "目标值",
                     "比较", "类型", "责任单位", "季度目标"]
REPORT_COLUMNS = ["指标编号", "填报单位", "完成值", "进展情况", "存在问题",
                  "下步措施", "报送日期"]
ANSWER_COLUMNS = ["文号", "反馈单位", "反馈日期", "整改情况", "整改到位"]

# Statuses of supervision.md.
DONE, AHEAD, ON_TRACK, BEHIND, FAR_BEHIND, MISSING = (
    "已完成", "超序时", "达序时", "滞后", "严重滞后", "未报送")
STATUS_ORDER = [DONE, AHEAD, ON_TRACK, BEHIND, FAR_BEHIND, MISSING]
GOOD = {DONE, AHEAD, ON_TRACK}
LAGGING = {BEHIND, FAR_BEHIND}

# 定性 indicators report one of these words as 完成值.
Q_DONE, Q_GOING, Q_LAGGING = "已完成", "推进中", "滞后"

CHINESE_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}



@dataclass(frozen=True)
class Indicator:
    id: str
    task: int
    name: str
    kind: str                      # 累计 / 水平 / 定性
    owner: str
    unit: str | None = None
    target: float | None = None
    quarterly: tuple[float, ...] | None = None

    @property
    def qualitative(self) -> bool:
        return self.kind == "定性"


def month_key(month: int) -> str:
    return f"{YEAR}-{month:02d}"


def next_working_day(day: dt.date) -> dt.date:
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def due_date(month: int) -> dt.date:
    """A month's report is due on DUE_DAY of the following month, or the first
    working day after it on the national calendar (public holidays, 调休)."""
    year, following = (YEAR + 1, 1) if month == 12 else (YEAR, month + 1)
    return next_working_day(dt.date(year, following, DUE_DAY))


def cutoff(month: int) -> dt.date:
    """The month's document is issued the working day after the due date and judges
    what had arrived by then: a later report is missing there."""
    return next_working_day(due_date(month) + dt.timedelta(days=1))


# ---------------------------------------------------------------- source data

def load_yaml(name: str) -> dict:
    with open(SAMPLE_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def parse_quarterly(text: str | None) -> tuple[float, ...] | None:
    if not text:
        return None
    points = tuple(float(p) for p in str(text).split(";"))
    assert len(points) == 4, f"季度目标 needs four values: {text}"
    return points


def plan_indicators(plan: dict) -> list[Indicator]:
    indicators = []
    for domain in plan["domains"]:
        for task in domain["tasks"]:
            for spec in task["indicators"]:
                indicators.append(Indicator(
                    id=spec["id"], task=task["number"], name=spec["name"],
                    kind=spec["kind"], owner=spec["owner"], unit=spec.get("unit"),
                    target=spec.get("target"),
                    quarterly=parse_quarterly(spec.get("quarterly"))))
    return indicators


def validate_plan(plan: dict, indicators: list[Indicator]) -> None:
    """Catch typos in plan.yaml: every named unit must be declared, and the
    unit list holds exactly the units the tasks and indicators use."""
    declared = [u["name"] for u in plan["units"]]
    assert len(declared) == len(set(declared)), "duplicate unit in plan.yaml"
    used = set(plan["support_units"])
    tasks = [t for d in plan["domains"] for t in d["tasks"]]
    assert [t["number"] for t in tasks] == list(range(1, 40)), "tasks must be 1..39"
    for task in tasks:
        used.update(task["leads"])
    used.update(ind.owner for ind in indicators)
    assert used == set(declared), f"units used vs declared differ: {used ^ set(declared)}"
    ids = [ind.id for ind in indicators]
    assert len(ids) == len(set(ids)), "duplicate indicator id"
    for task in tasks:
        for spec in task["indicators"]:
            if spec["kind"] == "定性":
                assert spec["owner"] == task["leads"][0], f"{spec['id']}: owner is the first lead unit"


def monthly_values(indicators: list[Indicator], progress: dict) -> dict[str, list]:
    """完成值 for every indicator and month (None = not reported)."""
    values: dict[str, list] = {}
    for ind in indicators:
        if ind.qualitative:
            spec = progress["qualitative"][ind.id]
            done_from = spec.get("done", 13)
            lagging = set(spec.get("lagging", []))
            values[ind.id] = [Q_DONE if m >= done_from else Q_LAGGING if m in lagging else Q_GOING
                              for m in MONTHS]
        else:
            series = progress["values"][ind.id]
            assert len(series) == 12, f"{ind.id}: twelve monthly values expected"
            if ind.kind == "累计":
                reported = [v for v in series if v is not None]
                assert reported == sorted(reported), f"{ind.id}: cumulative values must not decrease"
            values[ind.id] = list(series)
    return values


def validate_progress(indicators: list[Indicator], values: dict[str, list],
                      reporting: dict) -> None:
    quantitative = [ind for ind in indicators if not ind.qualitative]
    assert set(values) == {ind.id for ind in indicators}
    for ind in quantitative:
        for month, value in zip(MONTHS, values[ind.id]):
            if value is None:
                assert ind.owner in reporting["missing"].get(month_key(month), []), \
                    f"{ind.id} {month_key(month)}: a gap in values means the unit did not report"


# ---------------------------------------------------------------- evaluation

def benchmark(ind: Indicator, month: int) -> float:
    """序时进度 of a 累计 indicator at the end of month (supervision.md)."""
    if ind.quarterly:
        points = (0.0, *ind.quarterly)          # at months 0, 3, 6, 9, 12
        quarter, rest = divmod(month, 3)
        if rest == 0:
            return points[quarter]
        return points[quarter] + (points[quarter + 1] - points[quarter]) * rest / 3
    return ind.target * month / 12


def evaluate(ind: Indicator, value, month: int, previous: str | None = None) -> str:
    """Status of one indicator at the end of month. previous is its status at
    the end of the previous period of the same cycle (a 定性 滞后 twice running
    becomes 严重滞后). All sample indicators compare with ≥."""
    if value is None:
        return MISSING
    if ind.qualitative:
        if value == Q_DONE:
            return DONE
        if value == Q_GOING:
            return ON_TRACK
        return FAR_BEHIND if previous in LAGGING else BEHIND
    if ind.kind == "累计":
        if value >= ind.target:
            return DONE
        reference = benchmark(ind, month)
        if reference == 0:
            return ON_TRACK                     # nothing is due yet (18-1 in Q1)
    else:
        reference = ind.target
    if value >= reference * 1.10:
        return AHEAD
    if value >= reference:
        return ON_TRACK
    return BEHIND if (reference - value) / ind.target < 0.10 else FAR_BEHIND


def near_threshold(ind: Indicator, value, month: int) -> bool:
    """True if value sits on the ×1.10 or the 10-point line, where float
    rounding in another implementation could flip the status."""
    if ind.qualitative or value is None:
        return False
    reference = ind.target if ind.kind == "水平" else benchmark(ind, month)
    if reference == 0:
        return False
    lines = [reference * 1.10, reference - 0.10 * ind.target]
    return any(abs(value - line) < 1e-6 * ind.target for line in lines)


# ---------------------------------------------------------------- report texts

def fmt(number) -> str:
    text = f"{round(float(number), 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


class Narrator:
    """Chooses 进展情况 / 存在问题 / 下步措施 for one indicator and month."""

    def __init__(self, narratives: dict):
        self.texts = narratives["indicators"]
        self.done_measures = narratives["common"]["done_measures"]
        self.overrides = narratives.get("overrides", {})
        self.last_progress: dict[str, str] = {}

    def write(self, ind: Indicator, month: int, value, previous_value, status: str):
        rng = random.Random(f"{SEED}:text:{ind.id}:{month}")
        texts = self.texts[ind.id]
        context = self._context(ind, month, value, previous_value)
        lagging = status in LAGGING

        if ind.qualitative and status == DONE:
            progress = rng.choice(texts["done"])
        else:
            options = self._usable(texts["progress"], month, context, lagging)
            fresh = [o for o in options if o != self.last_progress.get(ind.id)]
            progress = rng.choice(fresh or options)
        self.last_progress[ind.id] = progress

        # A lagging unit always names a problem; one on schedule only now and then.
        problem = ""
        if lagging or (status != DONE and rng.random() < 0.25):
            pool = self._usable(texts["problems"], month, context, lagging, prefer_lagging=True)
            problem = rng.choice(pool) if pool else ""

        if ind.qualitative and status == DONE:
            measures = [rng.choice(self.done_measures)]
        else:
            pool = self._usable(texts["measures"], month, context, lagging)
            measures = rng.sample(pool, k=2 if len(pool) > 1 and (lagging or rng.random() < 0.3) else 1)

        override = self.overrides.get(month_key(month), {}).get(ind.id, {})
        progress = override.get("progress", progress)
        return (progress.format(**context), problem.format(**context),
                "".join(m.format(**context) for m in measures))

    @staticmethod
    def _context(ind: Indicator, month: int, value, previous_value) -> dict:
        context = {"quarter": CHINESE_QUARTER[(month + 2) // 3]}
        if not ind.qualitative and value is not None:
            context["value"] = fmt(value)
            context["pct"] = f"{fmt(value / ind.target * 100)}%"
            if ind.kind == "累计":
                context["delta"] = fmt(value - (previous_value or 0))
        return context

    @staticmethod
    def _usable(entries, month, context, lagging, prefer_lagging=False) -> list[str]:
        """Entries that fit the month and the figures (a sentence quoting a
        value only once there is one, a monthly increase only if there is)."""
        usable, lagging_only = [], []
        for entry in entries:
            if isinstance(entry, str):
                entry = {"text": entry}
            text = entry["text"]
            if entry.get("months") and month not in entry["months"]:
                continue
            if entry.get("lagging") and not lagging:
                continue
            if "{value}" in text or "{pct}" in text:
                if float(context.get("value", 0)) <= 0:
                    continue
            if "{delta}" in text and float(context.get("delta", 0)) <= 0:
                continue
            (lagging_only if entry.get("lagging") else usable).append(text)
        if prefer_lagging and lagging_only:
            return lagging_only
        return usable + lagging_only


# ---------------------------------------------------------------- reports

def submission_date(unit: str, month: int, reporting: dict) -> dt.date | None:
    """When the unit sent its report for month (None: no date filled in).
    On-time reports arrive on a working day between the 1st and DUE_DAY."""
    key = month_key(month)
    late = reporting["late"].get(key, {})
    if unit in late:
        return late[unit]
    if unit in reporting["undated"].get(key, []):
        return None
    due = due_date(month)
    days = [due.replace(day=d) for d in range(1, due.day + 1)]
    workdays = [d for d in days if chinese_calendar.is_workday(d)]
    return random.Random(f"{SEED}:date:{key}:{unit}").choice(workdays)


def share_rows(plan: dict, progress: dict, indicators: list[Indicator], month: int, reporting: dict) -> list[dict]:
    """Each share holder's own cumulative figure for its share (plan sheet 分解)."""
    names = {ind.id: ind.name for ind in indicators}
    measures = {ind.id: ind.unit or "" for ind in indicators}  # "累计完成29个", as a unit writes it
    rows = []
    for indicator_id, holders in plan["shares"].items():
        for unit, target in holders.items():
            pace = progress["share_pace"][unit]
            value = round(target * month / 12 * pace)
            problem = progress["share_problems"].get(unit)
            rows.append({
                "_unit": unit,
                "指标编号": indicator_id,
                "填报单位": unit,
                "完成值": value,
                "进展情况": f"{unit}推进{names[indicator_id]}分解任务，累计完成{value}{measures[indicator_id]}。",
                "存在问题": problem if problem and pace < 1 else None,
                "下步措施": f"加强调度，确保完成{names[indicator_id]}分解目标。",
                "报送日期": submission_date(unit, month, reporting),
            })
    return rows


def build_reports(indicators, values, reporting, narrator) -> dict[int, list[dict]]:
    """Rows of every month's 填报 sheet, in plan order, plus the unit each row
    belongs to (key "_unit") for the per-unit form."""
    reports: dict[int, list[dict]] = {}
    previous_status: dict[str, str | None] = {}
    for month in MONTHS:
        missing = set(reporting["missing"].get(month_key(month), []))
        rows = []
        for ind in indicators:
            series = values[ind.id]
            value = None if ind.owner in missing else series[month - 1]
            status = evaluate(ind, value, month, previous_status.get(ind.id))
            previous_status[ind.id] = status
            if value is None:
                continue
            earlier = [v for v in series[:month - 1] if v is not None]
            progress, problem, measures = narrator.write(
                ind, month, value, earlier[-1] if earlier else None, status)
            rows.append({
                "_unit": ind.owner,
                "指标编号": ind.id,
                "填报单位": reporting["signed_as"].get(ind.owner, ind.owner),
                "完成值": value,
                "进展情况": progress,
                "存在问题": problem or None,
                "下步措施": measures,
                "报送日期": submission_date(ind.owner, month, reporting),
            })
        reports[month] = rows
    return reports


# ---------------------------------------------------------------- workbooks

def new_workbook(title: str, creator: str) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.title = title
    props.subject = "示例数据"
    props.keywords = "示例数据"
    props.description = f"示例数据，任务与目标取自{SOURCE}。"
    props.creator = creator
    props.lastModifiedBy = creator
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def add_table(wb, name: str, columns: list[str], rows: list[dict], widths: dict[str, int]) -> None:
    ws = wb.create_sheet(name)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(c) for c in columns])
    for idx, column in enumerate(columns, start=1):
        letter = openpyxl.utils.get_column_letter(idx)
        ws.column_dimensions[letter].width = widths.get(column, 12)
        if widths.get(column, 12) >= 30:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column in ("报送日期", "反馈日期"):
            for cell in ws[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"


def add_note(wb, lines: list[str]) -> None:
    ws = wb.create_sheet("说明")
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14, color="C00000")
    ws.column_dimensions["A"].width = 100


def save_stable(wb, path: Path) -> None:
    """Save with fixed zip-member dates and a fixed modified time, so that the
    same content always gives the same bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), data,
                         compress_type=zipfile.ZIP_DEFLATED)


def write_campaign(out: Path) -> None:
    header = (
        "# 示例数据：本督查活动的任务和目标取自真实方案"
        f"{SOURCE}，\n"
        "# 各单位填报数据为虚构，仅用于演示和测试。由 scripts/make_sample.py 生成。\n")
    body = yaml.safe_dump(CAMPAIGN, allow_unicode=True, sort_keys=False)
    (out / "campaign.yaml").write_text(header + body, encoding="utf-8")


def write_plan(out: Path, plan: dict, indicators: list[Indicator]) -> None:
    wb = new_workbook("2023年老城区高质量发展赶超活动任务分解（示例数据）", CAMPAIGN["issuer"])
    units = [{"单位名称": u["name"], "别名": "、".join(u["aliases"]) or None, "类型": u["type"],
              "督查对象": u.get("supervised", "是")}
             for u in plan["units"]]
    tasks = [{"任务编号": t["number"], "领域": d["name"], "任务内容": t["text"],
              "牵头单位": "、".join(t["leads"]), "配合单位": "、".join(plan["support_units"])}
             for d in plan["domains"] for t in d["tasks"]]
    rows = [{"指标编号": i.id, "任务编号": i.task, "指标名称": i.name, "计量单位": i.unit,
             "目标值": i.target, "比较": None if i.qualitative else "≥", "类型": i.kind,
             "责任单位": i.owner,
             "季度目标": ";".join(fmt(p) for p in i.quarterly) if i.quarterly else None}
            for i in indicators]
    add_table(wb, "单位", UNIT_COLUMNS, units, {"单位名称": 26, "别名": 40, "类型": 8})
    add_table(wb, "任务", TASK_COLUMNS, tasks,
              {"任务编号": 9, "领域": 18, "任务内容": 80, "牵头单位": 40, "配合单位": 14})
    add_table(wb, "指标", INDICATOR_COLUMNS, rows,
              {"指标编号": 9, "任务编号": 9, "指标名称": 36, "计量单位": 9, "目标值": 9,
               "比较": 6, "类型": 6, "责任单位": 14, "季度目标": 16})
    shares = [{"指标编号": indicator_id, "单位": unit, "目标值": target}
              for indicator_id, units_targets in plan["shares"].items() for unit, target in units_targets.items()]
    add_table(wb, "分解", SHARE_COLUMNS, shares, {"指标编号": 9, "单位": 20, "目标值": 10, "季度目标": 16})
    add_note(wb, [
        "示例数据",
        "本工作簿为示例数据，供督查流水线演示和测试使用。",
        f"任务、牵头单位和量化目标取自{SOURCE}第二部分“重点任务”；"
        "定性指标名称和单位别名为整理所加。",
        "方案明确各项任务均需街道办事处落实，故配合单位为各街道办事处；街道名称为示例。",
        "工作表：单位（责任单位及别名）、任务（39项重点任务）、指标（考核指标及年度目标）、"
        "分解（部分指标分解到各街道和共同牵头单位的目标）。",
        "本文件由 scripts/make_sample.py 生成，修改请改 scripts/sample/ 下的源数据后重新生成。",
    ])
    save_stable(wb, out / "plan.xlsx")


REPORT_WIDTHS = {"指标编号": 9, "填报单位": 16, "完成值": 10, "进展情况": 50,
                 "存在问题": 36, "下步措施": 40, "报送日期": 12}


def report_workbook(month: int, rows: list[dict], creator: str):
    wb = new_workbook(f"{YEAR}年{month}月高质量发展赶超活动进展填报（示例数据）", creator)
    add_table(wb, "填报", REPORT_COLUMNS, rows, REPORT_WIDTHS)
    add_note(wb, [
        "示例数据",
        f"{YEAR}年{month}月各单位高质量发展赶超活动进展情况填报表（示例数据）。",
        f"完成值和文字材料均为虚构，仅用于演示和测试；任务和目标取自{SOURCE}。",
        f"报送要求：每月{DUE_DAY}日前（含{DUE_DAY}日）报送上月进展，累计指标填年初至当月累计数，"
        "水平指标填当前水平，定性指标填已完成、推进中或滞后。",
        "本文件由 scripts/make_sample.py 生成。",
    ])
    return wb


def clear_reports(reports_dir: Path) -> None:
    """Remove report files of the campaign year left by an earlier run, so a
    month never appears both as a workbook and as a folder."""
    if not reports_dir.exists():
        return
    for path in sorted(reports_dir.glob(f"{YEAR}-[01][0-9].xlsx")):
        path.unlink()
    for folder in sorted(reports_dir.glob(f"{YEAR}-[01][0-9]")):
        if folder.is_dir():
            for path in sorted(folder.glob("*.xlsx")):
                path.unlink()
            if not any(folder.iterdir()):
                folder.rmdir()


def write_reports(out: Path, reports: dict[int, list[dict]], per_unit_months: set[str]) -> list[Path]:
    reports_dir = out / "reports"
    clear_reports(reports_dir)
    written = []
    for month, rows in reports.items():
        key = month_key(month)
        if key in per_unit_months:
            by_unit: dict[str, list[dict]] = defaultdict(list)
            for row in rows:
                by_unit[row["_unit"]].append(row)
            for unit, unit_rows in by_unit.items():
                path = reports_dir / key / f"{unit}.xlsx"
                save_stable(report_workbook(month, unit_rows, unit), path)
                written.append(path)
        else:
            path = reports_dir / f"{key}.xlsx"
            save_stable(report_workbook(month, rows, CAMPAIGN["issuer"]), path)
            written.append(path)
    return written


def write_answers(out: Path, answers: list[dict]) -> list[Path]:
    """One workbook per answer, as units send them: inputs/answers/<单位>-<文号序号>.xlsx."""
    folder = out / "answers"
    if folder.is_dir():
        for path in folder.glob("*.xlsx"):
            path.unlink()
    written = []
    for answer in answers:
        serial = re.search(r"〕(\d+)号", answer["number"]).group(1)
        wb = new_workbook(f"{answer['unit']}整改情况反馈（示例数据）", answer["unit"])
        row = {"文号": answer["number"], "反馈单位": answer["unit"], "反馈日期": answer["date"],
               "整改情况": answer["text"], "整改到位": answer["fixed"]}
        add_table(wb, "反馈", ANSWER_COLUMNS, [row], {"文号": 24, "反馈单位": 16, "反馈日期": 14, "整改情况": 60})
        add_note(wb, ["示例数据（虚构）", f"{answer['unit']}对{answer['number']}督办通知的书面反馈。"])
        path = folder / f"{answer['unit']}-{serial}号反馈.xlsx"
        save_stable(wb, path)
        written.append(path)
    return written


# ---------------------------------------------------------------- read back and check

@dataclass
class Sample:
    """The generated campaign as read back from the files."""
    indicators: list[Indicator]
    alias: dict[str, str]                      # any spelling → canonical unit
    reports: dict[int, pd.DataFrame]


def read_back(out: Path) -> Sample:
    sheets = pd.read_excel(out / "plan.xlsx", sheet_name=None)
    assert list(sheets)[:3] == ["单位", "任务", "指标"], list(sheets)
    assert list(sheets["单位"].columns) == UNIT_COLUMNS
    assert list(sheets["任务"].columns) == TASK_COLUMNS
    assert list(sheets["指标"].columns) == INDICATOR_COLUMNS
    assert len(sheets["任务"]) == 39
    alias = {}
    for row in sheets["单位"].itertuples():
        alias[row.单位名称] = row.单位名称
        if isinstance(row.别名, str):
            for name in re.split(r"[、,，]", row.别名):
                alias[name.strip()] = row.单位名称
    indicators = []
    for row in sheets["指标"].itertuples():
        indicators.append(Indicator(
            id=str(row.指标编号), task=int(row.任务编号), name=row.指标名称, kind=row.类型,
            owner=row.责任单位, unit=row.计量单位 if isinstance(row.计量单位, str) else None,
            target=None if pd.isna(row.目标值) else float(row.目标值),
            quarterly=parse_quarterly(row.季度目标 if isinstance(row.季度目标, str) else None)))
    reports = {}
    for month in MONTHS:
        key = month_key(month)
        single, folder = out / "reports" / f"{key}.xlsx", out / "reports" / key
        assert single.exists() != folder.is_dir(), f"{key}: exactly one form expected"
        paths = [single] if single.exists() else sorted(folder.glob("*.xlsx"))
        frames = []
        for path in paths:
            book = pd.read_excel(path, sheet_name=None)
            assert list(book) == ["填报", "说明"], f"{path}: sheets {list(book)}"
            assert list(book["填报"].columns) == REPORT_COLUMNS, f"{path}: columns"
            frames.append(book["填报"])
        frame = pd.concat(frames, ignore_index=True)
        frame["单位"] = frame["填报单位"].map(alias)
        assert frame["单位"].notna().all(), f"{key}: unknown 填报单位"
        # The scenario below is the indicators' own: share holders' rows are set aside.
        owners = {ind.id: ind.owner for ind in indicators}
        frame = frame[frame["单位"] == frame["指标编号"].astype(str).map(owners)].reset_index(drop=True)
        reports[month] = frame
    return Sample(indicators, alias, reports)


def arrived(sample: Sample, month: int) -> pd.DataFrame:
    """The month's rows that had arrived by its cut-off (undated rows count as arrived, late)."""
    frame = sample.reports[month]
    dates = frame["报送日期"].dt.date
    return frame[frame["报送日期"].isna() | (dates <= cutoff(month))]


def statuses_at(sample: Sample, month: int, previous: dict[str, str] | None = None) -> dict[str, str]:
    frame = arrived(sample, month).set_index("指标编号")
    result = {}
    for ind in sample.indicators:
        value = frame.at[ind.id, "完成值"] if ind.id in frame.index else None
        result[ind.id] = evaluate(ind, value, month, (previous or {}).get(ind.id))
    return result


def punctuality(sample: Sample, month: int) -> dict[str, str]:
    """Per accountable unit: 按时 / 逾期 / 未填日期 / 未报送 for one month."""
    owners = {ind.owner for ind in sample.indicators}
    frame = arrived(sample, month)
    result = {}
    for unit in sorted(owners):
        dates = frame.loc[frame["单位"] == unit, "报送日期"]
        if dates.empty:
            result[unit] = "未报送"
        elif dates.isna().any():
            result[unit] = "未填日期"
        elif (dates.dt.date > due_date(month)).any():
            result[unit] = "逾期"
        else:
            result[unit] = "按时"
    return result


def judge_units(sample: Sample, months: list[int], now: dict[str, str],
                before: dict[str, str] | None) -> tuple[dict, dict]:
    """Commended and criticised units of a period ending with months[-1],
    each with the reasons (supervision.md, section Units)."""
    by_unit: dict[str, list[Indicator]] = defaultdict(list)
    for ind in sample.indicators:
        by_unit[ind.owner].append(ind)
    timely = {m: punctuality(sample, m) for m in months}
    commended, criticised = {}, {}
    for unit, inds in sorted(by_unit.items()):
        reasons = [f"{i.id} {now[i.id]}" for i in inds if now[i.id] in (FAR_BEHIND, MISSING)]
        if before:
            reasons += [f"{i.id} 连续两期滞后" for i in inds
                        if now[i.id] == BEHIND and before[i.id] == BEHIND]
        if reasons:
            criticised[unit] = reasons
            continue
        on_time = all(timely[m][unit] == "按时" for m in months)
        if all(now[i.id] in GOOD for i in inds) and on_time:
            best = [f"{i.id} {now[i.id]}" for i in inds if now[i.id] in (DONE, AHEAD)]
            if best:
                commended[unit] = best
    return commended, criticised


def describe_month(sample: Sample, month: int, now: dict[str, str]) -> str:
    counts = Counter(now.values())
    lagging = [f"{i}({s})" for i, s in now.items() if s in LAGGING | {MISSING}]
    issues = {u: s for u, s in punctuality(sample, month).items() if s != "按时"}
    return (f"{month_key(month)}  " + " ".join(f"{s}{counts[s]}" for s in STATUS_ORDER)
            + f"\n    落后: {'、'.join(lagging) or '无'}"
            + f"\n    报送: {'；'.join(f'{u}{s}' for u, s in issues.items()) or '全部按时'}")


def check_scenario(out: Path) -> None:
    """Re-evaluate the files as written and assert the designed scenario."""
    sample = read_back(out)
    by_id = {ind.id: ind for ind in sample.indicators}

    monthly, previous = {}, None
    for month in MONTHS:
        monthly[month] = previous = statuses_at(sample, month, previous)
    for month in MONTHS:
        frame = sample.reports[month].set_index("指标编号")
        for ind_id in frame.index:
            assert not near_threshold(by_id[ind_id], frame.at[ind_id, "完成值"], month), \
                f"{ind_id} {month_key(month)} sits on a status threshold"

    print("月督查（每月状态与报送情况）")
    for month in MONTHS:
        print(describe_month(sample, month, monthly[month]))

    # The bulletin cut-offs (Q1, the half-year summary, Q3, the year-end account),
    # each judged with the previous one as "before".
    quarterly, previous = {}, None
    for q in range(1, 5):
        quarterly[q] = previous = statuses_at(sample, 3 * q, previous)

    q2, q3 = quarterly[2], quarterly[3]
    counts = Counter(q3.values())
    commended, criticised = judge_units(sample, [7, 8, 9], q3, q2)
    print(f"\n{YEAR}-Q3 状态: " + " ".join(f"{s}{counts[s]}" for s in STATUS_ORDER))
    for s in STATUS_ORDER:
        print(f"    {s}: {'、'.join(i for i, v in q3.items() if v == s)}")
    print("    表扬: " + "；".join(f"{u}（{'，'.join(r)}）" for u, r in commended.items()))
    print("    批评: " + "；".join(f"{u}（{'，'.join(r)}）" for u, r in criticised.items()))
    not_commended_late = [u for u in {i.owner for i in sample.indicators}
                          if u not in commended and u not in criticised
                          and all(q3[i.id] in GOOD for i in sample.indicators if i.owner == u)
                          and any(q3[i.id] in (DONE, AHEAD) for i in sample.indicators if i.owner == u)]
    print("    成绩好但7—9月有逾期报送、未获表扬: " + "、".join(sorted(not_commended_late)))

    for q in (1, 2, 4):
        c, k = judge_units(sample, [3 * q - 2, 3 * q - 1, 3 * q], quarterly[q], quarterly.get(q - 1))
        print(f"{YEAR}-Q{q} 表扬: {'、'.join(c) or '无'}；批评: {'、'.join(k) or '无'}")

    h1, year_end = monthly[6], monthly[12]
    print(f"\n{YEAR}-H1 状态: " + " ".join(f"{s}{Counter(h1.values())[s]}" for s in STATUS_ORDER))
    # Year-end verdict is against the annual target: a 水平 indicator that
    # meets it counts as 完成 although its status is 达序时/超序时.
    final = sample.reports[12].set_index("指标编号")["完成值"]
    unmet = [i for i, s in year_end.items()
             if not (s == DONE or (by_id[i].kind == "水平" and s in GOOD))]
    exceeded = [ind.id for ind in sample.indicators if not ind.qualitative
                and ind.id in final.index and final[ind.id] >= ind.target * 1.10]
    print(f"{YEAR} 年底: 完成{len(year_end) - len(unmet)}项，未完成{len(unmet)}项（{'、'.join(unmet)}）；"
          f"超目标10%以上: {'、'.join(exceeded)}")

    # The designed scenario.
    assert all(counts[s] >= 1 for s in STATUS_ORDER), f"Q3 lacks a status: {counts}"
    assert len(commended) >= 3 and len(criticised) >= 3, (commended, criticised)
    assert q3["4-1"] == FAR_BEHIND and "区金融局" in criticised
    assert sample.reports[9].query("单位 == '区旧改中心'").empty and "区旧改中心" in criticised
    # The as-of rule: 区应急管理局's September report came after the bulletin's cut-off.
    late_september = sample.reports[9].query("单位 == '区应急管理局'")["报送日期"].dt.date
    assert (late_september > cutoff(9)).all() and "区应急管理局" in criticised
    assert q2["31-2"] == q3["31-2"] == BEHIND and "区人社局" in criticised
    assert not_commended_late, "an otherwise good unit should miss commendation by a late report"
    assert not set(commended) & set(criticised)
    september_issues = [s for s in punctuality(sample, 9).values() if s != "按时"]
    assert set(monthly[9].values()) & LAGGING and september_issues
    assert DONE in h1.values() and set(h1.values()) & LAGGING
    assert unmet and exceeded
    assert sample.reports[9]["进展情况"].str.contains("A&B<科技>", regex=False).any()
    print("\n示例情景校验通过。")


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成示例督查活动数据（示例数据）")
    parser.add_argument("--out", type=Path, default=SAMPLE_CAMPAIGN,
                        help="output folder (default: inputs/ of the repository)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    plan, progress, narratives = (load_yaml(n) for n in ("plan.yaml", "progress.yaml", "narratives.yaml"))
    indicators = plan_indicators(plan)
    validate_plan(plan, indicators)
    values = monthly_values(indicators, progress)
    reporting = progress["reporting"]
    validate_progress(indicators, values, reporting)

    reports = build_reports(indicators, values, reporting, Narrator(narratives))
    for month in MONTHS:
        reports[month] += share_rows(plan, progress, indicators, month, reporting)
    write_campaign(out)
    write_plan(out, plan, indicators)
    written = write_reports(out, reports, set(progress["per_unit_months"]))
    answered = write_answers(out, progress["answers"])
    print(f"写入 {out}: campaign.yaml, plan.xlsx, {len(written)} 个填报工作簿, {len(answered)} 份整改反馈\n")

    check_scenario(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
