"""The per-unit table of a bulletin (各单位推进情况表), with a 红/黄/绿 mark.

Every unit with indicators, its indicators counted by status, its reports since
the previous bulletin (on time, late, missing) and its notices still open, then
a mark as 督查 systems show it (亮灯):
- 绿: every indicator on schedule or better and no report late or missing;
- 黄: something to catch up — an indicator 滞后, or a report late;
- 红: an indicator 严重滞后 or unreported at the cut-off, a month's report never
  sent, a notice left unanswered past its deadline, or criticised in this very
  bulletin (a criticised unit under a yellow light would read as two verdicts).
The 月报逾期 column counts the reports sent late and those never sent (项次),
as the bulletin's text names them.
Ranked green to red, and within a colour by the share of indicators on track.
"""

from __future__ import annotations

from dataclasses import dataclass

from supervision_bulletin.document import Block, Heading, Table
from supervision_bulletin.evaluate import (
    GOOD_STATUSES,
    LAGGING,
    NOT_REPORTED,
    SEVERELY_LAGGING,
    CycleResult,
    UnitResult,
)
from supervision_bulletin.follow_up import CLOSED, OVERDUE, FollowUp
from supervision_bulletin.wording import heading_numeral

GREEN, YELLOW, RED = "绿", "黄", "红"
UNMARKED = "—"  # a unit this supervision does not direct (督查对象 否): its figures, no light
COLUMNS = ("序号", "单位", "指标数", "达序时", "滞后", "严重滞后", "未报送", "月报逾期", "督办未结", "亮灯")
WIDTHS = (8, 32, 12, 14, 12, 16, 14, 16, 16, 16)


@dataclass(frozen=True)
class UnitLine:
    unit: UnitResult
    good: int
    lagging: int
    severe: int
    missing: int
    late_reports: int  # sent late or never sent
    open_notices: int
    overdue_notices: int
    reports_never_sent: int = 0
    supervised: bool = True

    @property
    def mark(self) -> str:
        if not self.supervised:
            return UNMARKED
        if self.severe or self.missing or self.reports_never_sent or self.overdue_notices \
                or self.unit.verdict == "criticised":
            return RED
        if self.lagging or self.late_reports:
            return YELLOW
        return GREEN

    @property
    def share_on_track(self) -> float:
        return self.good / len(self.unit.judgements) if self.unit.judgements else 0.0


def unit_lines(result: CycleResult, follow: FollowUp | None) -> list[UnitLine]:
    lines = []
    outside = result.plan.outside_supervision
    for unit in result.units:
        statuses = [j.status for j in unit.judgements]
        notices = [n for n in (follow.notices if follow else ()) if n.unit == unit.unit]
        lines.append(UnitLine(
            unit,
            good=sum(1 for s in statuses if s in GOOD_STATUSES),
            lagging=statuses.count(LAGGING),
            severe=statuses.count(SEVERELY_LAGGING),
            missing=statuses.count(NOT_REPORTED),
            late_reports=len(unit.late_or_missing),
            open_notices=sum(1 for n in notices if n.state != CLOSED),
            overdue_notices=sum(1 for n in notices if n.state == OVERDUE),
            reports_never_sent=sum(1 for s in unit.submissions if s.missing),
            supervised=unit.unit not in outside,
        ))
    order = {GREEN: 0, YELLOW: 1, RED: 2, UNMARKED: 3}
    return sorted(lines, key=lambda line: (order[line.mark], -line.share_on_track))  # stable: plan order on ties


def units_table(lines: list[UnitLine]) -> Table:
    rows = tuple(
        (
            str(index), line.unit.unit, str(len(line.unit.judgements)), str(line.good), str(line.lagging),
            str(line.severe), str(line.missing), str(line.late_reports), str(line.open_notices), line.mark,
        )
        for index, line in enumerate(lines, start=1)
    )
    return Table(COLUMNS, rows, WIDTHS)


def units_attachment(result: CycleResult, follow: FollowUp | None) -> tuple[Block, ...]:
    """One ranked table, or — when streets or towns are judged — departments and
    streets (towns) each in a table of their own, as real bulletins rank them."""
    lines = unit_lines(result, follow)
    groups = result.plan.unit_groups([line.unit.unit for line in lines])
    if len(groups) == 1:
        return (units_table(lines),)
    blocks: list[Block] = []
    for index, (label, names) in enumerate(groups, start=1):
        own = [line for line in lines if line.unit.unit in names]
        if own:
            blocks += [Heading(2, f"（{heading_numeral(index)}）{label}"), units_table(own)]
    return tuple(blocks)


def marks_sentence(result: CycleResult, follow: FollowUp | None, table_name: str, label: str) -> str:
    """How many units got each mark, and where the table is."""
    lines = unit_lines(result, follow)
    counts = {mark: sum(1 for line in lines if line.mark == mark) for mark in (GREEN, YELLOW, RED)}
    reds = [line.unit.unit for line in lines if line.mark == RED]
    text = (
        f"按各单位指标进度、月报报送和督办落实情况亮灯：绿灯{counts[GREEN]}个、黄灯{counts[YELLOW]}个、"
        f"红灯{counts[RED]}个单位"
    )
    if reds:
        text += f"，亮红灯的是{'、'.join(reds)}"
    unmarked = [line.unit.unit for line in lines if line.mark == UNMARKED]
    if unmarked:
        text += f"（{'、'.join(unmarked)}不是督查对象，只列数据、不亮灯）"
    return text + f"，详见{label}《{table_name}》。"
