"""Judgements across cycles: repeated criticism and the year-end account.

evaluate.py judges one period. Some rules look further: a unit criticised in
two consecutive periods of the same kind gets an escalated notice, and the
year-end account (年底交账, supervision.md) gives each unit bonus/penalty points
for its indicators' final results and for the commendations and criticisms it
received during the year. Both are decided here, from the same inputs and the
same rules, so every figure traces back to the reports.

Which documents count for points: the quarterly bulletins (Q1–Q4) and the
half-year summary, i.e. the cycles that commend and criticise by name in a
通报. The monthly supervision reports do not count (their criticism leads to a
督办通知, and the same shortfall reaches the quarter's bulletin anyway). The
second quarter's bulletin and the half-year summary judge the same day (the
end of June): a unit named by both counts once for that day, per verdict, so
nothing is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pipeline.evaluate import CycleResult, Judgement, evaluate, not_below
from pipeline.model import Indicator, Inputs, Report, Rules
from pipeline.periods import Period

DONE, NOT_DONE = "完成", "未完成"


# periods ---------------------------------------------------------------------


def period_is_over(inputs: Inputs, period: Period) -> bool:
    """A period can be judged once its last month's reports are in."""
    return period.year == inputs.campaign.year and period.end_month in inputs.months_with_data


def previous_result(inputs: Inputs, period: Period) -> CycleResult | None:
    """The previous period of the same kind, judged, if it has its reports."""
    previous = period.previous
    if previous is None or not period_is_over(inputs, previous):
        return None
    return evaluate(inputs, previous)


def repeat_criticised(result: CycleResult, previous: CycleResult | None) -> frozenset[str]:
    """Criticised now and in the previous period of the same kind: escalation."""
    if previous is None:
        return frozenset()
    before = {unit.unit for unit in previous.criticised}
    return frozenset(unit.unit for unit in result.criticised if unit.unit in before)


def counted_periods(inputs: Inputs) -> tuple[Period, ...]:
    """The periods whose commendations and criticisms count for points, in date order."""
    year = inputs.campaign.year
    candidates = [Period("quarter", year, q) for q in range(1, 5)] + [Period("half", year, 1)]
    chosen = [p for p in candidates if period_is_over(inputs, p)]
    return tuple(sorted(chosen, key=lambda p: (p.end_month, p.kind != "quarter")))


# the year's commendations and criticisms ---------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """One judging day (a quarter's end) and what the documents of that day said."""

    month: int
    periods: tuple[Period, ...]  # e.g. Q2 and H1 both judge the end of June
    commended: tuple[str, ...]
    criticised: tuple[str, ...]


def year_record(inputs: Inputs) -> tuple[Checkpoint, ...]:
    """Each judging day once, with the union of the units its documents named."""
    by_month: dict[int, list[CycleResult]] = {}
    for period in counted_periods(inputs):
        by_month.setdefault(period.end_month, []).append(evaluate(inputs, period))
    checkpoints = []
    for month, results in sorted(by_month.items()):
        commended = union_in_order(inputs, [u.unit for r in results for u in r.commended])
        criticised = union_in_order(inputs, [u.unit for r in results for u in r.criticised])
        checkpoints.append(Checkpoint(month, tuple(r.period for r in results), commended, criticised))
    return tuple(checkpoints)


def union_in_order(inputs: Inputs, names: list[str]) -> tuple[str, ...]:
    """Each name once, in the plan's unit order (as the documents list them)."""
    order = {unit.name: index for index, unit in enumerate(inputs.plan.units)}
    return tuple(sorted(set(names), key=lambda name: order.get(name, len(order))))


# final results -----------------------------------------------------------------


@dataclass(frozen=True)
class FinalAccount:
    """One indicator at the year's end: 完成 or 未完成, and whether it beat its target."""

    judgement: Judgement
    done: bool
    exceeded: bool  # beaten by rules.exceed_margin or more

    @property
    def indicator(self) -> Indicator:
        return self.judgement.indicator

    @property
    def verdict(self) -> str:
        return DONE if self.done else NOT_DONE

    def points(self, rules: Rules) -> float:
        """What each accountable unit gets for this indicator."""
        if self.exceeded:
            return rules.points_exceeded
        return 0.0 if self.done else rules.points_unmet


def is_done(indicator: Indicator, report: Report | None) -> bool:
    if report is None:
        return False  # an unreported result cannot be accepted as met
    if indicator.type == "定性":
        return report.status_word == "已完成"
    assert report.value is not None and indicator.target is not None
    if indicator.is_ceiling:
        return not_below(indicator.target, report.value)
    return not_below(report.value, indicator.target)


def is_exceeded(indicator: Indicator, report: Report | None, margin: float) -> bool:
    """≥ target × (1 + margin), or for a ceiling ≤ target × (1 − margin); never for 定性."""
    if report is None or report.value is None or not indicator.target or indicator.target < 0:
        return False
    if indicator.is_ceiling:
        return not_below(indicator.target * (1 - margin), report.value)
    return not_below(report.value, indicator.target * (1 + margin))


def final_account(judgement: Judgement, rules: Rules) -> FinalAccount:
    indicator, report = judgement.indicator, judgement.report
    done = is_done(indicator, report)
    return FinalAccount(judgement, done, done and is_exceeded(indicator, report, rules.exceed_margin))


# points and ranking ---------------------------------------------------------------


@dataclass(frozen=True)
class UnitPoints:
    unit: str
    exceeded: tuple[FinalAccount, ...]
    unmet: tuple[FinalAccount, ...]
    commended: tuple[Checkpoint, ...]
    criticised: tuple[Checkpoint, ...]
    total: float
    rank: int = 0


@dataclass(frozen=True)
class YearAssessment:
    accounts: tuple[FinalAccount, ...]
    record: tuple[Checkpoint, ...]
    units: tuple[UnitPoints, ...]  # ranked, best first; ties share a rank
    rules: Rules

    @cached_property
    def done(self) -> tuple[FinalAccount, ...]:
        return tuple(a for a in self.accounts if a.done)

    @cached_property
    def unmet(self) -> tuple[FinalAccount, ...]:
        return tuple(a for a in self.accounts if not a.done)

    @cached_property
    def exceeded(self) -> tuple[FinalAccount, ...]:
        return tuple(a for a in self.accounts if a.exceeded)

    def counted_periods(self) -> tuple[Period, ...]:
        return tuple(p for checkpoint in self.record for p in checkpoint.periods)


def unit_points(
    unit: str, accounts: tuple[FinalAccount, ...], record: tuple[Checkpoint, ...], rules: Rules
) -> UnitPoints:
    own = tuple(a for a in accounts if unit in a.indicator.units)
    exceeded = tuple(a for a in own if a.exceeded)
    unmet = tuple(a for a in own if not a.done)
    commended = tuple(c for c in record if unit in c.commended)
    criticised = tuple(c for c in record if unit in c.criticised)
    total = (
        len(exceeded) * rules.points_exceeded
        + len(unmet) * rules.points_unmet
        + len(commended) * rules.points_commended
        + len(criticised) * rules.points_criticised
    )
    # Rounded so that overridden fractional points (0.3 + 0.3 …) still tie exactly.
    return UnitPoints(unit, exceeded, unmet, commended, criticised, round(total, 6))


def competition_ranks(totals: list[float]) -> list[int]:
    """Ranks of totals sorted best first: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ranks = []
    for index, total in enumerate(totals):
        if index and total == totals[index - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(index + 1)
    return ranks


def rank_units(points: list[UnitPoints]) -> tuple[UnitPoints, ...]:
    """Best total first; equal totals keep the plan's order and share a rank."""
    ordered = sorted(points, key=lambda p: -p.total)  # sorted() is stable
    ranks = competition_ranks([p.total for p in ordered])
    return tuple(
        UnitPoints(p.unit, p.exceeded, p.unmet, p.commended, p.criticised, p.total, rank)
        for p, rank in zip(ordered, ranks)
    )


def assess_year(inputs: Inputs, result: CycleResult) -> YearAssessment:
    """The year-end account of ``result`` (the whole year's evaluation)."""
    rules = inputs.campaign.rules
    accounts = tuple(final_account(j, rules) for j in result.judgements)
    record = year_record(inputs)
    judged = [u.name for u in inputs.plan.units if any(u.name in a.indicator.units for a in accounts)]
    points = [unit_points(unit, accounts, record, rules) for unit in judged]
    return YearAssessment(accounts, record, rank_units(points), rules)


def assessment_entries(assessment: YearAssessment) -> list[dict]:
    """The ranking as plain data, for the manifest."""
    return [
        {
            "rank": u.rank,
            "unit": u.unit,
            "points": u.total,
            "exceeded": [a.indicator.id for a in u.exceeded],
            "unmet": [a.indicator.id for a in u.unmet],
            "commended": [c.month for c in u.commended],
            "criticised": [c.month for c in u.criticised],
        }
        for u in assessment.units
    ]
