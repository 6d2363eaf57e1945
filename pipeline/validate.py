"""Validate stage: raw tables → typed records, with every problem collected.

Each check names the file, sheet, row and column it is about, in Chinese, and
says how to fix it; nothing is skipped silently, and the build stops before
anything is written if a single problem was found.
"""

from __future__ import annotations

import difflib
from dataclasses import fields
from typing import Any, Callable, TypeVar

from pipeline.load import RawInputs, RawReportFile, RawRow, RawTable
from pipeline.model import (
    QUALITATIVE_VALUES,
    Campaign,
    Indicator,
    Inputs,
    Location,
    Plan,
    Report,
    Rules,
    Task,
    Unit,
)
from pipeline.problems import ProblemLog
from pipeline.values import ValueProblem, normalise_cjk_text, normalise_text, parse_date, parse_number, split_names

T = TypeVar("T")

REQUIRED_CAMPAIGN_KEYS = ("name", "year", "issuer", "code", "recipients")
COMPARISONS = {
    "≥": ">=", ">=": ">=", "以上": ">=", "不低于": ">=", "不少于": ">=",
    "≤": "<=", "<=": "<=", "以内": "<=", "不高于": "<=", "不超过": "<=",
}
INDICATOR_TYPES = ("累计", "水平", "定性")
UNIT_TYPES = ("部门", "街道", "其他")

UNIT_COLUMNS = ("单位名称",)
TASK_COLUMNS = ("任务编号", "领域", "任务内容", "牵头单位")
INDICATOR_COLUMNS = ("指标编号", "任务编号", "指标名称", "目标值", "责任单位")
REPORT_COLUMNS = ("指标编号", "填报单位", "完成值")


def validate(raw: RawInputs, log: ProblemLog) -> Inputs:
    """Build the typed inputs; raises InputError listing every problem."""
    campaign = validate_campaign(raw.campaign, log)
    plan = validate_plan(raw.plan, log)
    declared = declared_indicator_ids(raw.plan.get("指标"))
    reports = validate_reports(raw.reports, plan, campaign, declared, log)
    log.raise_if_any()
    months = tuple(sorted({report.month for report in reports}))
    return Inputs(campaign, plan, reports, months)


# campaign.yaml ---------------------------------------------------------------


def validate_campaign(data: dict[str, Any], log: ProblemLog) -> Campaign:
    where = Location("campaign.yaml")
    if not data:
        return Campaign("", 0, "", "", "")
    for key in REQUIRED_CAMPAIGN_KEYS:
        if data.get(key) in (None, ""):
            log.add(where, f"缺少必填项“{key}”")
    year = data.get("year")
    if year not in (None, "") and not (isinstance(year, int) and 2000 <= year <= 2100):
        log.add(where, f"year 应为四位年份，如 2023，而不是“{year}”")
        year = 0
    due_day = data.get("report_due_day", 5)
    if not (isinstance(due_day, int) and 1 <= due_day <= 28):
        log.add(where, f"report_due_day 应为 1 至 28 之间的整数，而不是“{due_day}”")
        due_day = 5
    cc = data.get("cc") or ()
    if isinstance(cc, str):
        cc = split_names(cc)
    issuer = str(data.get("issuer") or "")
    return Campaign(
        name=str(data.get("name") or ""),
        year=int(year or 0),
        issuer=issuer,
        code=str(data.get("code") or ""),
        recipients=normalise_cjk_text(str(data.get("recipients") or "")),
        cc=tuple(str(item) for item in cc),
        printer=str(data.get("printer") or issuer),
        report_due_day=due_day,
        rules=validate_rules(data.get("rules") or {}, log),
    )


def validate_rules(overrides: Any, log: ProblemLog) -> Rules:
    where = Location("campaign.yaml")
    if not isinstance(overrides, dict):
        log.add(where, "rules 应为“名称: 数值”形式的设置")
        return Rules()
    known = {field.name: field.type for field in fields(Rules)}
    accepted = {}
    for key, value in overrides.items():
        if key not in known:
            log.add(where, f"rules 中的“{key}”不是可设置的规则，可用的有：{'、'.join(known)}")
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            log.add(where, f"rules.{key} 应为数值，而不是“{value}”")
            continue
        accepted[key] = int(value) if known[key] == "int" else float(value)
    return Rules(**accepted)


# plan ------------------------------------------------------------------------


def validate_plan(tables: dict[str, RawTable], log: ProblemLog) -> Plan:
    units = validate_units(tables.get("单位"), log)
    resolver = UnitResolver(units)
    tasks = validate_tasks(tables.get("任务"), resolver, log)
    indicators = validate_indicators(tables.get("指标"), {task.id for task in tasks}, resolver, log)
    return Plan(tuple(units), tuple(tasks), tuple(indicators))


def validate_units(table: RawTable | None, log: ProblemLog) -> list[Unit]:
    if table is None or not has_columns(table, UNIT_COLUMNS, log):
        return []
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        name = text_cell(row, "单位名称")
        if not name:
            log.add(table.location(row.number, "单位名称"), "单位名称为空")
            continue
        if name in seen:
            log.add(table.location(row.number, "单位名称"), f"单位“{name}”重复，已在第{seen[name]}行列出")
            continue
        seen[name] = row.number
        kind = text_cell(row, "类型")
        if kind and kind not in UNIT_TYPES:
            log.add(table.location(row.number, "类型"), f"类型应为{'、'.join(UNIT_TYPES)}之一，而不是“{kind}”")
        aliases = tuple(alias for alias in split_names(row.cells.get("别名")) if alias != name)
        units.append(Unit(name, aliases, kind))
    check_alias_clashes(units, table, log)
    return units


def check_alias_clashes(units: list[Unit], table: RawTable, log: ProblemLog) -> None:
    owner: dict[str, str] = {unit.name: unit.name for unit in units}
    for unit in units:
        for alias in unit.aliases:
            if alias in owner and owner[alias] != unit.name:
                log.add(table.location(None, "别名"), f"别名“{alias}”同时指向“{owner[alias]}”和“{unit.name}”")
            owner.setdefault(alias, unit.name)


def validate_tasks(table: RawTable | None, resolver: "UnitResolver", log: ProblemLog) -> list[Task]:
    if table is None or not has_columns(table, TASK_COLUMNS, log):
        return []
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        task_id = id_cell(row, "任务编号")
        missing = [column for column in TASK_COLUMNS if row.cells.get(column) is None]
        for column in missing:
            log.add(table.location(row.number, column), f"“{column}”为必填项")
        if missing:
            continue
        if task_id in seen:
            log.add(table.location(row.number, "任务编号"), f"任务编号“{task_id}”重复，已在第{seen[task_id]}行使用")
            continue
        seen[task_id] = row.number
        leads = resolver.resolve_all(row.cells.get("牵头单位"), table.location(row.number, "牵头单位"), log)
        partners = resolver.resolve_all(row.cells.get("配合单位"), table.location(row.number, "配合单位"), log)
        tasks.append(
            Task(
                id=task_id,
                domain=normalise_cjk_text(str(row.cells["领域"])),
                text=normalise_cjk_text(str(row.cells["任务内容"])),
                leads=leads,
                partners=partners,
            )
        )
    return tasks


def declared_indicator_ids(table: RawTable | None) -> set[str]:
    """Ids on the 指标 sheet, valid or not: a report on a rejected indicator is
    not reported a second time as naming an unknown one."""
    if table is None:
        return set()
    return {id_cell(row, "指标编号") for row in table.rows}


def validate_indicators(
    table: RawTable | None, task_ids: set[str], resolver: "UnitResolver", log: ProblemLog
) -> list[Indicator]:
    if table is None or not has_columns(table, tuple(c for c in INDICATOR_COLUMNS if c != "目标值"), log):
        return []
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        indicator = validate_indicator_row(table, row, task_ids, resolver, log)
        if indicator is None:
            continue
        if indicator.id in seen:
            log.add(table.location(row.number, "指标编号"), f"指标编号“{indicator.id}”重复，已在第{seen[indicator.id]}行使用")
            continue
        seen[indicator.id] = row.number
        indicators.append(indicator)
    return indicators


def validate_indicator_row(
    table: RawTable, row: RawRow, task_ids: set[str], resolver: "UnitResolver", log: ProblemLog
) -> Indicator | None:
    at = lambda column: table.location(row.number, column)  # noqa: E731
    before = len(log.problems)
    indicator_id = id_cell(row, "指标编号")
    for column in ("指标编号", "任务编号", "指标名称", "责任单位"):
        if row.cells.get(column) is None:
            log.add(at(column), f"“{column}”为必填项")
    task_id = id_cell(row, "任务编号")
    if task_id and task_id not in task_ids:
        log.add(at("任务编号"), f"任务编号“{task_id}”在工作表“任务”中不存在")
    kind = text_cell(row, "类型") or "累计"
    if kind not in INDICATOR_TYPES:
        log.add(at("类型"), f"类型应为{'、'.join(INDICATOR_TYPES)}之一，而不是“{kind}”")
    comparison_text = text_cell(row, "比较") or "≥"
    comparison = COMPARISONS.get(comparison_text)
    if comparison is None:
        log.add(at("比较"), f"比较应为 ≥ 或 ≤（也可写 以上、不低于、以内、不高于），而不是“{comparison_text}”")
    target = None
    if kind != "定性":
        target = parsed(row, "目标值", parse_number, at, log, required=True)
        if target is not None and target <= 0:
            log.add(at("目标值"), f"目标值应大于 0，而不是“{row.cells['目标值']}”")
    checkpoints = validate_checkpoints(row, kind, at, log)
    units = resolver.resolve_all(row.cells.get("责任单位"), at("责任单位"), log)
    if len(log.problems) > before:
        return None
    return Indicator(
        id=indicator_id,
        task_id=task_id,
        name=normalise_cjk_text(str(row.cells["指标名称"])),
        measure=text_cell(row, "计量单位"),
        target=target,
        comparison=comparison or ">=",
        type=kind,  # type: ignore[arg-type]
        units=units,
        checkpoints=checkpoints,
        location=at("指标编号"),
    )


def validate_checkpoints(row: RawRow, kind: str, at: Callable[[str], Location], log: ProblemLog):
    value = row.cells.get("季度目标")
    if value is None:
        return None
    if kind != "累计":
        log.add(at("季度目标"), f"只有“累计”类指标可以设季度目标，本指标类型为“{kind}”")
        return None
    parts = [part for part in normalise_text(value).replace("；", ";").split(";") if part.strip()]
    try:
        numbers = tuple(parse_number(part) for part in parts)
    except ValueProblem as problem:
        log.add(at("季度目标"), f"季度目标中{problem}")
        return None
    if len(numbers) != 4:
        log.add(at("季度目标"), f"季度目标应为用分号隔开的 4 个累计值，如“20;45;70;100”，这里有 {len(numbers)} 个")
        return None
    return numbers  # type: ignore[return-value]


# reports ---------------------------------------------------------------------


def validate_reports(
    files: list[RawReportFile], plan: Plan, campaign: Campaign, declared: set[str], log: ProblemLog
) -> tuple[Report, ...]:
    indicators = {indicator.id: indicator for indicator in plan.indicators}
    resolver = UnitResolver(list(plan.units))
    accepted: dict[tuple[str, int], Report] = {}
    for report_file in files:
        year, month = (int(part) for part in report_file.month_label.split("-"))
        table = report_file.table
        if campaign.year and year != campaign.year:
            log.add(table.location(), f"月报年份 {year} 与活动年度 {campaign.year} 不符")
            continue
        if not 1 <= month <= 12:
            log.add(table.location(), f"月份“{report_file.month_label}”无效")
            continue
        if not has_columns(table, REPORT_COLUMNS, log):
            continue
        for row in table.rows:
            if id_cell(row, "指标编号") in declared - indicators.keys():
                continue  # its indicator's own problem is already listed; the build stops
            report = validate_report_row(table, row, month, indicators, resolver, log)
            if report is not None:
                keep_one_report_per_month(accepted, report, log)
    return tuple(sorted(accepted.values(), key=lambda r: (r.month, r.indicator_id)))


def validate_report_row(
    table: RawTable,
    row: RawRow,
    month: int,
    indicators: dict[str, Indicator],
    resolver: "UnitResolver",
    log: ProblemLog,
) -> Report | None:
    at = lambda column: table.location(row.number, column)  # noqa: E731
    before = len(log.problems)
    for column in REPORT_COLUMNS:
        if row.cells.get(column) is None:
            log.add(at(column), f"“{column}”为必填项")
    if len(log.problems) > before:
        return None
    indicator_id = id_cell(row, "指标编号")
    indicator = indicators.get(indicator_id)
    if indicator is None:
        hint = suggestion(indicator_id, list(indicators))
        log.add(at("指标编号"), f"指标编号“{indicator_id}”在任务方案中不存在{hint}")
    unit = resolver.resolve(row.cells["填报单位"], at("填报单位"), log)
    if indicator is not None and unit is not None and unit not in indicator.units:
        log.add(
            at("填报单位"),
            f"“{unit}”不是指标 {indicator_id}（{indicator.name}）的责任单位，该指标由{'、'.join(indicator.units)}填报",
        )
    value = status_word = None
    if indicator is not None:
        if indicator.type == "定性":
            status_word = normalise_text(row.cells["完成值"])
            if status_word not in QUALITATIVE_VALUES:
                log.add(at("完成值"), f"定性指标的完成值应为{'、'.join(QUALITATIVE_VALUES)}之一，而不是“{status_word}”")
        else:
            value = parsed(row, "完成值", parse_number, at, log, required=True)
            if value is not None and value < 0:
                log.add(at("完成值"), f"完成值不能为负数：“{row.cells['完成值']}”")
    submitted = parsed(row, "报送日期", parse_date, at, log, required=False)
    if len(log.problems) > before:
        return None
    return Report(
        indicator_id=indicator_id,
        unit=unit,  # type: ignore[arg-type]
        month=month,
        value=value,
        status_word=status_word,
        progress=normalise_cjk_text(text_cell(row, "进展情况")),
        problems=normalise_cjk_text(text_cell(row, "存在问题")),
        next_steps=normalise_cjk_text(text_cell(row, "下步措施")),
        submitted=submitted,
        location=at("完成值"),
    )


def keep_one_report_per_month(accepted: dict[tuple[str, int], Report], report: Report, log: ProblemLog) -> None:
    """Two rows for one indicator and month must agree; otherwise both are named."""
    key = (report.indicator_id, report.month)
    earlier = accepted.get(key)
    if earlier is None:
        accepted[key] = report
        return
    if (earlier.value, earlier.status_word) != (report.value, report.status_word):
        shown = lambda r: r.status_word or format(r.value, "g")  # noqa: E731
        log.add(
            report.location,
            f"指标 {report.indicator_id} 在 {report.month} 月有两个不同的完成值：本行为“{shown(report)}”，"
            f"{earlier.location} 为“{shown(earlier)}”，请只保留正确的一行",
        )
    # Identical figures: the first row stands and the repeat adds nothing.


# helpers ---------------------------------------------------------------------


class UnitResolver:
    """Maps a unit's name or alias to its canonical name."""

    def __init__(self, units: list[Unit]):
        self.names: dict[str, str] = {}
        for unit in units:
            self.names[unit.name] = unit.name
            for alias in unit.aliases:
                self.names.setdefault(alias, unit.name)

    def resolve(self, value: Any, where: Location, log: ProblemLog) -> str | None:
        name = normalise_text(value)
        if name in self.names:
            return self.names[name]
        log.add(where, f"单位“{name}”不在工作表“单位”中{suggestion(name, list(self.names))}")
        return None

    def resolve_all(self, value: Any, where: Location, log: ProblemLog) -> tuple[str, ...]:
        resolved = (self.resolve(name, where, log) for name in split_names(value))
        return tuple(dict.fromkeys(name for name in resolved if name))


def suggestion(value: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(value, candidates, n=3, cutoff=0.5)
    return f"，是否应为：{'、'.join(close)}？" if close else ""


def has_columns(table: RawTable, required: tuple[str, ...], log: ProblemLog) -> bool:
    missing = [column for column in required if column not in table.columns]
    if missing:
        log.add(
            table.location(1 if table.columns else None),
            f"表头缺少列：{'、'.join(missing)}（表头应在第一行，现有列：{'、'.join(table.columns) or '无'}）",
        )
    return not missing


def text_cell(row: RawRow, column: str) -> str:
    value = row.cells.get(column)
    return "" if value is None else str(value).strip()


def id_cell(row: RawRow, column: str) -> str:
    """Ids typed as numbers come back from Excel as 3.0; they mean "3"."""
    value = row.cells.get(column)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else normalise_text(value)


def parsed(
    row: RawRow,
    column: str,
    parse: Callable[[Any], T],
    at: Callable[[str], Location],
    log: ProblemLog,
    required: bool,
) -> T | None:
    value = row.cells.get(column)
    if value is None:
        if required:
            log.add(at(column), f"“{column}”为必填项")
        return None
    try:
        return parse(value)
    except ValueProblem as problem:
        log.add(at(column), f"{column}{problem}")
        return None
