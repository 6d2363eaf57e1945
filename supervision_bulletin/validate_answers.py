"""Validate stage for the units' answers to their notices (整改反馈, inputs/answers).

Each row names a notice by its number, the unit that answers and the day the
answer arrived. A notice may be answered more than once (progress, then
整改到位), but two answers may not contradict each other: different verdicts on
one day, or "not yet fixed" after "fixed". Every row ends in the intake ledger
as used or rejected, like a report row, so nothing a unit sent is dropped
silently.

Whether the number is a notice the record holds, sent to that unit before the
answer came, is checked when a cut-off is built (follow_up.check_answers): the
record grows as the year's documents are published, and an answer counts from
the first document dated after it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from supervision_bulletin.intake import REJECTED, UNFILLED, USED, IntakeFile, IntakeRow, Ledger
from supervision_bulletin.load import ANSWER_REQUIRED, RawRow, RawTable
from supervision_bulletin.model import Answer
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.values import ValueProblem, normalise_cjk_text, normalise_text, read_date, shown

if TYPE_CHECKING:
    from supervision_bulletin.validate import UnitResolver

ANSWERS_LABEL = "整改反馈"  # the ledger's "month" column for answer rows
TYPED_BY_THE_UNIT = ("反馈日期", "整改情况", "整改到位")
RECTIFIED = {"是": True, "否": False, "已整改到位": True, "未整改到位": False, "Y": True, "N": False, "√": True}
# 老城督查〔2023〕7号, also typed with [] 【】 () （） or without 号.
_NUMBER = re.compile(r"^(?P<code>.+?)[〔\[【（(](?P<year>\d{4})[〕\]】）)](?P<serial>\d+)号?$")


def validate_answers(tables: list[RawTable], resolver: UnitResolver, ledger: Ledger, log: ProblemLog) -> tuple[Answer, ...]:
    accepted: list[tuple[Answer, IntakeRow]] = []
    for table in tables:
        ledger.files.append(
            IntakeFile(table.file, table.sheet, ANSWERS_LABEL, table.header_row, len(table.rows), list(table.notes))
        )
        missing = [column for column in ANSWER_REQUIRED if column not in table.columns]
        if missing:
            log.add(
                table.location(table.header_row),
                f"整改反馈表的表头缺少列：{'、'.join(missing)}（现有列：{'、'.join(table.columns) or '无'}）",
            )
        for row in table.rows:
            entry = answer_entry(table, row)
            ledger.rows.append(entry)
            if missing:
                entry.settle(REJECTED, "表头不全")
                continue
            answer = validate_answer_row(table, row, resolver, entry, log)
            if answer is not None:
                accepted.append((answer, entry))
    return tuple(answer for answer, entry in settle_contradictions(accepted, log))


def answer_entry(table: RawTable, row: RawRow) -> IntakeRow:
    typed = row.cells.get("整改到位")
    return IntakeRow(
        location=table.location(row.number),
        month=ANSWERS_LABEL,
        indicator_id=shown(row.cells.get("文号") or ""),
        unit=shown(row.cells.get("反馈单位") or ""),
        typed="" if typed is None else shown(typed),
        notes=list(row.notes),
    )


def validate_answer_row(
    table: RawTable, row: RawRow, resolver: UnitResolver, entry: IntakeRow, log: ProblemLog
) -> Answer | None:
    at = lambda column: table.location(row.number, column)  # noqa: E731
    if all(row.cells.get(column) is None for column in TYPED_BY_THE_UNIT):
        # A prefilled row of an answer form (bulletin forms answers) the unit left empty.
        entry.settle(UNFILLED, "未填写反馈日期、整改情况和整改到位，本行不作为反馈")
        return None
    before = len(log.problems)
    for column in ANSWER_REQUIRED:
        if row.cells.get(column) is None:
            log.add(at(column), f"“{column}”为必填项")
    number = notice_number(row.cells.get("文号"), at, entry, log)
    unit = resolver.resolve(row.cells["反馈单位"], at("反馈单位"), log, entry.notes) if row.cells.get("反馈单位") else None
    arrived = None
    if row.cells.get("反馈日期") is not None:
        try:
            reading = read_date(row.cells["反馈日期"])
            arrived = reading.value
            entry.notes.extend(reading.notes)
        except ValueProblem as problem:
            log.add(at("反馈日期"), f"反馈日期{problem}")
    rectified = rectified_cell(row, at, log)
    if len(log.problems) > before:
        entry.settle(REJECTED, "；".join(p.message for p in log.problems[before:]))
        return None
    assert number and unit and arrived
    entry.unit, entry.indicator_id, entry.submitted = unit, number, arrived
    entry.value = "整改到位" if rectified else "已反馈"
    entry.settle(USED)
    text = normalise_cjk_text(shown(row.cells.get("整改情况") or "")).strip()
    return Answer(number, unit, arrived, text, rectified, at("文号"))


def notice_number(value, at, entry: IntakeRow, log: ProblemLog) -> str | None:
    """The number as the record writes it: 老城督查〔2023〕7号, whatever brackets were typed."""
    if value is None:
        return None
    typed = shown(value).strip()
    match = _NUMBER.match(normalise_text(typed).replace(" ", ""))
    if match is None:
        log.add(at("文号"), f"文号“{typed}”无法识别：应写作 机关代字〔年份〕序号号，如 老城督查〔2023〕7号")
        return None
    number = f"{match['code']}〔{match['year']}〕{int(match['serial'])}号"
    if number != typed:
        entry.notes.append(f"文号“{typed}”按“{number}”读取")
    return number


def rectified_cell(row: RawRow, at, log: ProblemLog) -> bool:
    value = row.cells.get("整改到位")
    if value is None:
        return False
    typed = normalise_text(shown(value)).strip()
    if typed not in RECTIFIED:
        log.add(at("整改到位"), f"整改到位应填“是”或“否”（未整改到位可不填），而不是“{typed}”")
        return False
    return RECTIFIED[typed]


def settle_contradictions(accepted: list[tuple[Answer, IntakeRow]], log: ProblemLog):
    """Answers to one notice in date order: a verdict reversed after 整改到位, or two
    verdicts on one day, are rejected with both places named."""
    kept = []
    by_notice: dict[str, list[tuple[Answer, IntakeRow]]] = {}
    for item in accepted:
        by_notice.setdefault(item[0].number, []).append(item)
    for number, items in by_notice.items():
        items.sort(key=lambda item: item[0].arrived)
        closed: tuple[Answer, IntakeRow] | None = None
        for answer, entry in items:
            same_day = [a for a, _ in items if a.arrived == answer.arrived and a.rectified != answer.rectified]
            if same_day:
                other = same_day[0]
                reject(entry, log, answer, f"与{other.location}同日反馈、结论不同（一份整改到位，一份未到位），请只保留一份")
                continue
            if closed is not None and not answer.rectified:
                reject(entry, log, answer, f"{number} 已于{closed[0].arrived.isoformat()}反馈整改到位（{closed[0].location}），"
                       "其后又反馈未整改到位，两者矛盾：请核对后只保留正确的一份")
                continue
            if answer.rectified and closed is None:
                closed = (answer, entry)
            kept.append((answer, entry))
    return kept


def reject(entry: IntakeRow, log: ProblemLog, answer: Answer, message: str) -> None:
    assert answer.location is not None
    log.add(answer.location, message)
    entry.settle(REJECTED, message)
