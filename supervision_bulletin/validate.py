"""Validate stage: raw tables → typed records, with every problem collected.

Each check names the file, sheet, row and column it is about, in Chinese, and
says how to fix it; nothing is skipped silently, and the build stops before
anything is written if a single problem was found.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from supervision_bulletin.fonts import printable_characters
from supervision_bulletin.intake import REJECTED, SUPERSEDED, UNFILLED, USED, IntakeFile, IntakeRow, Ledger
from supervision_bulletin.load import PLAN_SHEETS, SHARES_SHEET, RawInputs, RawReportFile, RawRow, RawTable
from supervision_bulletin.model import (
    QUALITATIVE_VALUES,
    Campaign,
    Comparison,
    Indicator,
    Inputs,
    Location,
    Plan,
    Report,
    Share,
    Task,
    Unit,
)
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.settings import REPORT_EVERY, read_campaign
from supervision_bulletin.validate_answers import validate_answers
from supervision_bulletin.values import (
    YES_NO,
    ValueProblem,
    name_key,
    normalise_cjk_text,
    normalise_text,
    parse_number,
    printable,
    read_date,
    read_id,
    read_number,
    shown,
    split_names,
    suggestion,
)

T = TypeVar("T")

COMPARISONS: dict[str, Comparison] = {
    "≥": ">=", ">=": ">=", "以上": ">=", "不低于": ">=", "不少于": ">=",
    "≤": "<=", "<=": "<=", "以内": "<=", "不高于": "<=", "不超过": "<=",
}
INDICATOR_TYPES = ("累计", "水平", "定性")
UNIT_TYPES = ("部门", "街道", "乡镇", "其他")

UNIT_COLUMNS = ("单位名称",)
TASK_COLUMNS = ("任务编号", "领域", "任务内容", "牵头单位")
INDICATOR_COLUMNS = ("指标编号", "任务编号", "指标名称", "目标值", "责任单位")
REPORT_COLUMNS = ("指标编号", "填报单位", "完成值")


def validate(raw: RawInputs, log: ProblemLog) -> Inputs:
    """Build the typed inputs; raises InputError listing every problem."""
    refuse_unprintable(raw, log)
    campaign = validate_campaign(raw.campaign, log)
    if any(name not in raw.plan for name in PLAN_SHEETS):
        # A plan sheet that could not be read (misspelt, hidden, missing) would make every
        # unit and indicator elsewhere "unknown": report the sheet alone, not its echoes.
        log.raise_if_any()
    plan = validate_plan(raw.plan, log, campaign.report_every)
    declared = declared_indicator_ids(raw.plan.get("指标"))
    reports, ledger = validate_reports(raw.reports, plan, campaign, declared, log)
    answers = validate_answers(raw.answers, UnitResolver(list(plan.units)), ledger, log)
    log.raise_if_any()
    months = tuple(sorted({report.month for report in reports}))
    return Inputs(campaign, plan, reports, months, answers=answers, ledger=ledger)


# characters the documents cannot print -----------------------------------------


def refuse_unprintable(raw: RawInputs, log: ProblemLog) -> None:
    """Every cell and setting whose text holds a character no face of the
    documents has (an emoji, a rare character outside the fallback face): it
    would print as an empty box, so its place is named instead."""
    printable = printable_characters()
    if printable is None:
        return
    for key, value in campaign_texts(raw.campaign):
        problem = unprintable_problem(value, printable)
        if problem:
            log.add(Location("campaign.yaml"), f"{key}{problem}")
    for table in [*raw.plan.values(), *(report.table for report in raw.reports), *raw.answers]:
        for row in table.rows:
            for column, value in row.cells.items():
                problem = unprintable_problem(value, printable) if isinstance(value, str) else None
                if problem:
                    log.add(table.location(row.number, column), problem)


def campaign_texts(data: dict[str, Any]):
    for key, value in data.items():
        if isinstance(value, str):
            yield str(key), printable(value)
        elif isinstance(value, (list, tuple)):
            yield from ((str(key), printable(item)) for item in value if isinstance(item, str))


def unprintable_problem(text: str, printable: frozenset[int]) -> str | None:
    missing = [c for c in dict.fromkeys(text) if ord(c) not in printable and not c.isspace()]
    if not missing:
        return None
    shown_chars = "".join(missing[:5])
    codes = "、".join(f"U+{ord(c):04X}" for c in missing[:5])
    return (
        f"含有公文字体中没有的字符“{shown_chars}”（{codes}），印出来会是空白方框：请删去，"
        "或改用文字表述（表情符号请删去，生僻字可改用常用字并加注说明）"
    )


# campaign.yaml ---------------------------------------------------------------


def validate_campaign(data: dict[str, Any], log: ProblemLog) -> Campaign:
    """campaign.yaml by its schema (supervision_bulletin.settings); the loader's
    rows of the keys, when it has them, place each problem."""
    if not data:  # unreadable: the loader has said why
        return Campaign("", 0, "", "", "")
    return read_campaign(data, log, getattr(data, "lines", None))


# plan ------------------------------------------------------------------------


EMPTY_SHEET_HINTS = {"单位": "单位", "任务": "任务", "指标": "指标"}


def validate_plan(tables: dict[str, RawTable], log: ProblemLog, report_every: str = "month") -> Plan:
    for name, what in EMPTY_SHEET_HINTS.items():
        table = tables.get(name)
        if table is not None and table.columns and not table.rows:
            log.add(table.location(table.header_row), f"工作表“{name}”中还没有任何{what}：请在表头下逐行填写")
    units = validate_units(tables.get("单位"), log)
    resolver = UnitResolver(units)
    tasks = validate_tasks(tables.get("任务"), resolver, log)
    indicators = validate_indicators(tables.get("指标"), {task.id for task in tasks}, resolver, log, report_every)
    shares = validate_shares(tables.get(SHARES_SHEET), {i.id: i for i in indicators}, resolver, log)
    return Plan(tuple(units), tuple(tasks), tuple(indicators), tuple(shares))


def validate_shares(
    table: RawTable | None, indicators: dict[str, Indicator], resolver: UnitResolver, log: ProblemLog
) -> list[Share]:
    """Sheet 分解: each row one unit's own target for an indicator (a 目标分解计划)."""
    if table is None or not has_columns(table, ("指标编号", "单位"), log):
        return []
    shares: list[Share] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        at = lambda column, row=row: table.location(row.number, column)  # noqa: E731
        before = len(log.problems)
        indicator_id = id_cell(row, "指标编号")
        indicator = indicators.get(indicator_id)
        if not indicator_id:
            log.add(at("指标编号"), "“指标编号”为必填项")
        elif indicator is None:
            log.add(at("指标编号"), f"指标编号“{indicator_id}”在工作表“指标”中不存在{suggestion(indicator_id, list(indicators))}")
        unit = resolver.resolve(row.cells["单位"], at("单位"), log) if row.cells.get("单位") is not None else None
        if row.cells.get("单位") is None:
            log.add(at("单位"), "“单位”为必填项：填写承担分解任务的单位")
        target = None
        if indicator is not None and indicator.type != "定性":
            target = parsed(row, "目标值", parse_number, at, log, required=True)
            if target is not None and target <= 0:
                log.add(at("目标值"), f"分解目标值应大于 0，而不是“{row.cells['目标值']}”")
        elif indicator is not None and row.cells.get("目标值") is not None:
            log.add(at("目标值"), f"指标 {indicator_id} 为定性指标，分解时不填目标值（各单位报送已完成、推进中或滞后）")
        checkpoints = validate_checkpoints(row, indicator.type if indicator else "累计", at, log)
        if indicator is not None and unit is not None and unit in indicator.units:
            log.add(at("单位"), f"{unit}是指标 {indicator_id} 的责任单位，报送的是全区总数，不能同时列为分解单位")
        key = (indicator_id, unit or "")
        if unit is not None and key in seen:
            log.add(at("单位"), f"{unit}的指标 {indicator_id} 分解目标重复，已在第{seen[key]}行列出")
        if len(log.problems) > before:
            continue
        assert unit is not None
        seen[key] = row.number
        shares.append(Share(indicator_id, unit, target, checkpoints, at("指标编号")))
    return shares


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
        supervised = text_cell(row, "督查对象") or "是"
        if supervised not in YES_NO:
            log.add(table.location(row.number, "督查对象"), f"督查对象应填“是”或“否”，而不是“{supervised}”")
        units.append(Unit(name, aliases, kind, YES_NO.get(supervised, True)))
    check_alias_clashes(units, table, log)
    return units


def check_alias_clashes(units: list[Unit], table: RawTable, log: ProblemLog) -> None:
    owner: dict[str, str] = {unit.name: unit.name for unit in units}
    for unit in units:
        for alias in unit.aliases:
            if alias in owner and owner[alias] != unit.name:
                log.add(table.location(None, "别名"), f"别名“{alias}”同时指向“{owner[alias]}”和“{unit.name}”")
            owner.setdefault(alias, unit.name)


def validate_tasks(table: RawTable | None, resolver: UnitResolver, log: ProblemLog) -> list[Task]:
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
    table: RawTable | None, task_ids: set[str], resolver: UnitResolver, log: ProblemLog, report_every: str = "month"
) -> list[Indicator]:
    if table is None or not has_columns(table, tuple(c for c in INDICATOR_COLUMNS if c != "目标值"), log):
        return []
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        indicator = validate_indicator_row(table, row, task_ids, resolver, log, report_every)
        if indicator is None:
            continue
        if indicator.id in seen:
            log.add(table.location(row.number, "指标编号"), f"指标编号“{indicator.id}”重复，已在第{seen[indicator.id]}行使用")
            continue
        seen[indicator.id] = row.number
        indicators.append(indicator)
    return indicators


def validate_indicator_row(
    table: RawTable, row: RawRow, task_ids: set[str], resolver: UnitResolver, log: ProblemLog,
    report_every: str = "month",
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
    every = text_cell(row, "报送频次")
    if every:
        if every not in REPORT_EVERY:
            log.add(at("报送频次"), f"报送频次应为“月”或“季”，而不是“{every}”")
        report_every = REPORT_EVERY.get(every, report_every)
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
        report_every=report_every,  # type: ignore[arg-type]
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
    return numbers


# reports ---------------------------------------------------------------------

# What a unit types; a row with none of these filled is a form row left empty.
REPORT_INPUT_COLUMNS = ("完成值", "进展情况", "存在问题", "下步措施", "报送日期")
REQUIRED_HINTS = {
    "指标编号": "：请填写任务方案中的指标编号，如 1-1",
    "填报单位": "：请填写单位名称",
    "完成值": "：请填写完成值；若本行不需报送，请整行删除",
}


@dataclass(frozen=True)
class ReportContext:
    """What every report row is checked against."""

    indicators: dict[str, Indicator]
    declared: set[str]  # ids on the 指标 sheet, valid or not
    resolver: UnitResolver
    campaign: Campaign
    share_holders: dict[str, tuple[str, ...]] = field(default_factory=dict)  # indicator → units with a share


@dataclass
class Candidate:
    """A row that passed every check, before repeats are settled."""

    entry: IntakeRow
    report: Report


def validate_reports(
    files: list[RawReportFile], plan: Plan, campaign: Campaign, declared: set[str], log: ProblemLog
) -> tuple[tuple[Report, ...], Ledger]:
    """Every row read ends in the ledger as used, superseded, unfilled or rejected."""
    holders = {i.id: plan.share_holders(i.id) for i in plan.indicators if plan.share_holders(i.id)}
    context = ReportContext(
        {i.id: i for i in plan.indicators}, declared, UnitResolver(list(plan.units)), campaign, holders
    )
    ledger = Ledger()
    candidates: list[Candidate] = []
    for report_file in files:
        table = report_file.table
        ledger.files.append(
            IntakeFile(table.file, table.sheet, report_file.month_label, table.header_row, len(table.rows), list(table.notes))
        )
        file_problem = report_file_problem(report_file, campaign, log)
        for row in table.rows:
            entry = intake_row(table, row, report_file.month_label)
            ledger.rows.append(entry)
            if file_problem:
                entry.settle(REJECTED, file_problem)
                continue
            report = validate_report_row(table, row, report_file.month_label, context, entry, log)
            if report is not None:
                candidates.append(Candidate(entry, report))
    reports = settle_repeats(candidates, log)
    note_shares_that_do_not_add_up(reports, plan, {id(c.report): c.entry for c in candidates})
    return tuple(sorted(reports, key=lambda r: (r.month, r.indicator_id, r.share))), ledger


def note_shares_that_do_not_add_up(reports: list[Report], plan: Plan, entries: dict[int, IntakeRow]) -> None:
    """A 累计 total against its shares, month by month: a mismatch is noted on the
    total's ledger row (the shares may be counted differently), never refused."""
    shares: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        if report.share and report.value is not None:
            shares.setdefault((report.indicator_id, report.month), []).append(report)
    kinds = {indicator.id: indicator for indicator in plan.indicators}
    for report in reports:
        parts = shares.get((report.indicator_id, report.month))
        indicator = kinds.get(report.indicator_id)
        if report.share or not parts or report.value is None or indicator is None or indicator.type != "累计":
            continue
        holders = plan.share_holders(report.indicator_id)
        total = sum(part.value for part in parts if part.value is not None)
        if len(parts) < len(holders) or abs(total - report.value) > 1e-6 * max(1.0, abs(report.value)):
            reported = "、".join(f"{p.unit}{shown(p.value)}" for p in parts)
            entries[id(report)].notes.append(
                f"分解单位报送值合计 {shown(round(total, 6))}（{reported}，共{len(holders)}个分解单位），"
                f"与本行全区完成值 {shown(report.value)} 不一致：仅作提示，评判仍以本行为准"
            )


def report_file_problem(report_file: RawReportFile, campaign: Campaign, log: ProblemLog) -> str | None:
    """A whole file that cannot be read: every one of its rows is rejected with this reason."""
    year, month = (int(part) for part in report_file.month_label.split("-"))
    table = report_file.table
    before = len(log.problems)
    if campaign.year and year != campaign.year:
        log.add(table.location(), f"月报年份 {year} 与活动年度 {campaign.year} 不符：请检查文件或文件夹名称中的年份")
    elif not 1 <= month <= 12:
        log.add(table.location(), f"月份“{report_file.month_label}”无效：月报应命名为 年-月，如 {year}-09")
    else:
        has_columns(table, REPORT_COLUMNS, log)
    new = log.problems[before:]
    return "；".join(problem.message for problem in new) if new else None


def intake_row(table: RawTable, row: RawRow, month_label: str) -> IntakeRow:
    typed = row.cells.get("完成值")
    return IntakeRow(
        location=table.location(row.number),
        month=month_label,
        indicator_id=shown(row.cells.get("指标编号") or ""),
        unit=shown(row.cells.get("填报单位") or ""),
        typed="" if typed is None else shown(typed),
        notes=list(row.notes),
    )


def validate_report_row(
    table: RawTable, row: RawRow, month_label: str, context: ReportContext, entry: IntakeRow, log: ProblemLog
) -> Report | None:
    """One row → a Report, or None with the row settled as unfilled or rejected."""
    at = lambda column: table.location(row.number, column)  # noqa: E731
    before = len(log.problems)
    indicator_id = report_indicator_id(row, context, at, entry, log)
    entry.indicator_id = indicator_id or entry.indicator_id
    if indicator_id in context.declared - context.indicators.keys():
        entry.settle(REJECTED, f"指标 {indicator_id} 在任务方案中有误（见任务方案的问题），改正后本行方可读取")
        return None
    indicator = context.indicators.get(indicator_id)
    unit = None
    if row.cells.get("填报单位") is not None:
        unit = context.resolver.resolve(row.cells["填报单位"], at("填报单位"), log, entry.notes)
        entry.unit = unit or entry.unit
    if indicator_id and all(row.cells.get(column) is None for column in REPORT_INPUT_COLUMNS):
        settle_unfilled(entry, log, before)
        return None
    for column in REPORT_COLUMNS:
        if row.cells.get(column) is None:
            log.add(at(column), f"“{column}”为必填项{REQUIRED_HINTS[column]}")
    share = False
    if indicator is not None and unit is not None and unit not in indicator.units:
        holders = context.share_holders.get(indicator.id, ())
        share = unit in holders
        if not share:
            also = f"，分解单位{'、'.join(holders)}报送各自的分解任务" if holders else ""
            log.add(
                at("填报单位"),
                f"“{unit}”不是指标 {indicator_id}（{indicator.name}）的责任单位，也没有该指标的分解任务，"
                f"该指标由{'、'.join(indicator.units)}填报{also}：请删去本行，或核对指标编号",
            )
    value, status_word = report_value(row, indicator, at, entry, log)
    submitted = report_date(row, month_label, context.campaign, at, entry, log)
    if len(log.problems) > before:
        entry.settle(REJECTED, "；".join(problem.message for problem in log.problems[before:]))
        return None
    return Report(
        indicator_id=indicator_id,
        unit=unit,  # type: ignore[arg-type]
        month=int(month_label[5:]),
        value=value,
        status_word=status_word,
        progress=normalise_cjk_text(text_cell(row, "进展情况")),
        problems=normalise_cjk_text(text_cell(row, "存在问题")),
        next_steps=normalise_cjk_text(text_cell(row, "下步措施")),
        submitted=submitted,
        location=at("完成值"),
        share=share,
    )


def settle_unfilled(entry: IntakeRow, log: ProblemLog, before: int) -> None:
    """A pre-filled form row the unit left empty: not an error, and not a figure.
    Its id and unit must still be right, or the form was not ours."""
    if len(log.problems) > before:
        entry.settle(REJECTED, "；".join(problem.message for problem in log.problems[before:]))
    else:
        entry.settle(UNFILLED, "完成值等各项均未填写，本行不作为报送")
    return None


def report_indicator_id(
    row: RawRow, context: ReportContext, at: Callable[[str], Location], entry: IntakeRow, log: ProblemLog
) -> str:
    """The id as typed; an id such as 1-1 that Excel turned into 1月1日 is read back."""
    value = row.cells.get("指标编号")
    if isinstance(value, (dt.datetime, dt.date)):
        guess = f"{value.month}-{value.day}"
        if guess in context.indicators:
            entry.notes.append(f"指标编号被 Excel 识别为日期（{value.month}月{value.day}日），按“{guess}”读取")
            return guess
        log.add(
            at("指标编号"),
            f"指标编号被 Excel 识别成了日期“{value:%Y-%m-%d}”，且不对应任何指标：请把该列设为“文本”格式后重新输入编号",
        )
        return ""
    reading = read_id(value)
    entry.notes.extend(reading.notes)
    if reading.value and reading.value not in context.declared:
        hint = suggestion(reading.value, list(context.indicators))
        log.add(at("指标编号"), f"指标编号“{reading.value}”在任务方案中不存在{hint or '：请核对任务方案中的指标编号'}")
    return reading.value


def report_value(
    row: RawRow, indicator: Indicator | None, at: Callable[[str], Location], entry: IntakeRow, log: ProblemLog
) -> tuple[float | None, str | None]:
    """完成值: a number for 累计 and 水平, one of three words for 定性."""
    typed = row.cells.get("完成值")
    if typed is None or indicator is None:
        return None, None
    if indicator.type == "定性":
        word = name_key(typed)
        if word not in QUALITATIVE_VALUES:
            hint = suggestion(word, list(QUALITATIVE_VALUES))
            log.add(
                at("完成值"),
                f"定性指标的完成值应为{'、'.join(QUALITATIVE_VALUES)}之一，而不是“{shown(typed)}”{hint or '：请从下拉列表中选择'}",
            )
            return None, None
        if word != typed:
            entry.notes.append(f"完成值“{typed}”按“{word}”读取")
        entry.value = word
        return None, word
    try:
        reading = read_number(typed, indicator.measure or None)
    except ValueProblem as problem:
        log.add(at("完成值"), f"完成值{problem}")
        return None, None
    if reading.value < 0:
        log.add(at("完成值"), f"完成值不能为负数：“{shown(typed)}”，请填写截至本月的累计数或本月末的水平值")
        return None, None
    if looks_like_a_fraction(indicator, typed, reading.value):
        log.add(
            at("完成值"),
            f"完成值“{shown(typed)}”像是写成小数的百分比（目标为 {shown(indicator.target)}%）："
            f"如指 {shown(round(reading.value * 100, 10))}%，请填 {shown(round(reading.value * 100, 10))}；如确为 {shown(typed)}%，请填“{shown(typed)}%”",
        )
        return None, None
    entry.notes.extend(reading.notes)
    entry.value = shown(reading.value)
    return reading.value, None


def looks_like_a_fraction(indicator: Indicator, typed: Any, value: float) -> bool:
    """0.85 against a target of 80% is almost always 85% typed as a fraction; a
    unit that means 0.85% writes the % sign and is believed."""
    return (
        indicator.measure == "%"
        and (indicator.target or 0) >= 10
        and 0 < value < 1
        and "%" not in normalise_text(typed)
    )


def report_date(
    row: RawRow, month_label: str, campaign: Campaign, at: Callable[[str], Location], entry: IntakeRow, log: ProblemLog
) -> dt.date | None:
    """报送日期, read near the month's due date; a date before the month began is a typo."""
    typed = row.cells.get("报送日期")
    if typed is None:
        return None
    year, month = (int(part) for part in month_label.split("-"))
    # Near the due day of the next month: a date typed without its year is read there.
    due = (dt.date(year, month, 1) + dt.timedelta(days=32)).replace(day=campaign.report_due_day)
    try:
        reading = read_date(typed, near=due)
    except ValueProblem as problem:
        log.add(at("报送日期"), f"报送日期{problem}")
        return None
    if reading.value < dt.date(year, month, 1):
        log.add(
            at("报送日期"),
            f"报送日期 {reading.value.isoformat()} 早于所报的{year}年{month}月，年份或月份是否写错？请改正后再报送",
        )
        return None
    entry.notes.extend(reading.notes)
    entry.submitted = reading.value
    return reading.value


# repeats: one figure per indicator and month -----------------------------------------


def figure(report: Report) -> float | str | None:
    return report.status_word if report.status_word is not None else report.value


def shown_figure(report: Report) -> str:
    return report.status_word or shown(report.value)


def earliest(candidates: list[Candidate]) -> Candidate:
    """The first-dated row (undated last); on a tie the first read."""
    return min(candidates, key=lambda c: (c.report.submitted is None, c.report.submitted or dt.date.max))


def settle_repeats(candidates: list[Candidate], log: ProblemLog) -> list[Report]:
    """Rows of one indicator and month: one is used, the rest superseded; two
    different figures that cannot be told apart reject the lot, both places named."""
    # A share holder's figure is its own, apart from the indicator's total.
    groups: dict[tuple[str, int, str], list[Candidate]] = {}
    for candidate in candidates:
        report = candidate.report
        groups.setdefault((report.indicator_id, report.month, report.unit if report.share else ""), []).append(candidate)
    used = []
    for group in groups.values():
        standing = standing_row(group, log)
        if standing is None:
            reason = log.problems[-1].message
            for candidate in group:
                candidate.entry.settle(REJECTED, reason)
            continue
        used.append(standing.report)
        for candidate in group:
            candidate.entry.settle(*outcome_beside(candidate, standing))
    return used


def outcome_beside(candidate: Candidate, standing: Candidate) -> tuple[str, str]:
    if candidate is standing:
        return USED, ""
    where = standing.report.location
    if figure(candidate.report) == figure(standing.report):
        return SUPERSEDED, f"与 {where} 的完成值相同（重复报送），以该行为准"
    return SUPERSEDED, f"已被 {where} 更正（报送日期 {standing.report.submitted} 较晚）"


def standing_row(group: list[Candidate], log: ProblemLog) -> Candidate | None:
    """Each unit's last word; units sharing an indicator must agree on it."""
    by_unit: dict[str, list[Candidate]] = {}
    for candidate in group:
        by_unit.setdefault(candidate.report.unit, []).append(candidate)
    finals = []
    for rows in by_unit.values():
        final = unit_last_word(rows, log)
        if final is None:
            return None
        finals.append(final)
    first = finals[0]
    other = next((f for f in finals if figure(f.report) != figure(first.report)), None)
    if other is not None:
        a, b = first.report, other.report
        assert b.location is not None  # a report read from a row has its place
        log.add(
            b.location,
            f"指标 {b.indicator_id} 在 {b.month} 月有两个不同的完成值：{b.unit}在本行报“{shown_figure(b)}”，"
            f"{a.unit}在 {a.location} 报“{shown_figure(a)}”；同一指标每月只能采用一个数，请两单位核对后只保留正确的一行",
        )
        return None
    return earliest(finals)


def unit_last_word(rows: list[Candidate], log: ProblemLog) -> Candidate | None:
    """A unit's figure: the one it sent last (a strictly later 报送日期). Copies of
    one figure count from the first copy sent after any other figure."""
    if len({figure(c.report) for c in rows}) == 1:
        return earliest(rows)
    undated = next((c for c in rows if c.report.submitted is None), None)
    if undated is not None:
        other = next(c for c in rows if figure(c.report) != figure(undated.report))
        report_same_unit_conflict(undated, other, "且未填报送日期", log)
        return None
    latest = max(c.report.submitted for c in rows)  # type: ignore[type-var]
    top = [c for c in rows if c.report.submitted == latest]
    clash = next((c for c in top if figure(c.report) != figure(top[0].report)), None)
    if clash is not None:
        report_same_unit_conflict(clash, top[0], f"且报送日期相同（{latest}）", log)
        return None
    winner = figure(top[0].report)
    last_other = max(c.report.submitted for c in rows if figure(c.report) != winner)  # type: ignore[type-var]
    return earliest([c for c in rows if figure(c.report) == winner and c.report.submitted > last_other])  # type: ignore[operator]


def report_same_unit_conflict(here: Candidate, there: Candidate, why: str, log: ProblemLog) -> None:
    a, b = here.report, there.report
    assert a.location is not None  # a report read from a row has its place
    log.add(
        a.location,
        f"指标 {a.indicator_id} 在 {a.month} 月有两个不同的完成值：本行为“{shown_figure(a)}”，{b.location} 为“{shown_figure(b)}”，"
        f"{why}，无法判断哪一行是更正：请删去错误的一行，或在更正的一行填写较晚的报送日期",
    )


# helpers ---------------------------------------------------------------------


class UnitResolver:
    """Maps a unit's name or alias, however spaced or full-width, to its canonical name."""

    def __init__(self, units: list[Unit]):
        self.names: dict[str, str] = {}  # name_key → canonical name
        for unit in units:
            self.names[name_key(unit.name)] = unit.name
            for alias in unit.aliases:
                self.names.setdefault(name_key(alias), unit.name)

    def resolve(self, value: Any, where: Location, log: ProblemLog, notes: list[str] | None = None) -> str | None:
        typed = shown(value).strip()
        name = self.names.get(name_key(typed))
        if name is None:
            log.add(where, f"单位“{typed}”不在工作表“单位”中{self.suggest(typed)}")
            return None
        if notes is not None and typed != name:
            notes.append(f"填报单位“{typed}”按“{name}”读取")
        return name

    def suggest(self, typed: str) -> str:
        """Close names or aliases, given as the canonical names they stand for."""
        close = difflib.get_close_matches(name_key(typed), list(self.names), n=5, cutoff=0.5)
        names = list(dict.fromkeys(self.names[key] for key in close))[:3]
        return f"，是否应为：{'、'.join(names)}？" if names else "：请填写工作表“单位”中的单位名称或别名"

    def resolve_all(self, value: Any, where: Location, log: ProblemLog) -> tuple[str, ...]:
        resolved = (self.resolve(name, where, log) for name in split_names(value))
        return tuple(dict.fromkeys(name for name in resolved if name))


def has_columns(table: RawTable, required: tuple[str, ...], log: ProblemLog) -> bool:
    missing = [column for column in required if column not in table.columns]
    if missing:
        log.add(
            table.location(table.header_row),
            f"表头缺少列：{'、'.join(missing)}（现有列：{'、'.join(table.columns) or '无'}）："
            "请在表头行写上这些列名，表头上方可以有标题或说明",
        )
    return not missing


def text_cell(row: RawRow, column: str) -> str:
    value = row.cells.get(column)
    return "" if value is None else str(value).strip()


def id_cell(row: RawRow, column: str) -> str:
    """Ids typed as numbers come back from Excel as 3.0; they mean "3"."""
    return read_id(row.cells.get(column)).value


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
