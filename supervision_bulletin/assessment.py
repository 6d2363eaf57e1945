"""The year-end account's judgements: every target settled, points per unit, ranking.

evaluate.py judges one cut-off. The year-end account (年底交账, supervision.md)
gives each unit bonus/penalty points for its indicators' final results and for
the commendations and criticisms the year's bulletins gave it.

Which documents count for points: the four bulletin cut-offs — the first and
third quarterly bulletins, the half-year summary (it is the second quarter's
bulletin) and the year-end account itself (the fourth quarter's). The monthly
reports neither commend nor criticise, and a notice carries out a criticism
rather than adding one, so neither counts. Each cut-off has one document, so
nothing can be counted twice; build.py reads the verdicts from the record of
what was published.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

from supervision_bulletin.evaluate import CycleResult, Judgement, not_below
from supervision_bulletin.model import Indicator, Inputs, Plan, Report, Rules
from supervision_bulletin.periods import Period

DONE, NOT_DONE = "完成", "未完成"


@dataclass(frozen=True)
class Checkpoint:
    """One bulletin cut-off and whom its document commended and criticised."""

    month: int
    period: Period
    commended: tuple[str, ...]
    criticised: tuple[str, ...]
    number: str | None = None  # the published document's number, when the record has it


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
    rank: int = 0  # among its group: departments and streets (towns) are ranked apart
    unanswered: int = 0  # notices still unanswered past their deadline at the year end
    group: str = ""  # "部门", "街道" …; "" when the plan has no street or town to set apart


@dataclass(frozen=True)
class YearAssessment:
    accounts: tuple[FinalAccount, ...]
    record: tuple[Checkpoint, ...]
    units: tuple[UnitPoints, ...]  # group by group (departments first), best first; ties share a rank
    rules: Rules
    share_accounts: tuple[FinalAccount, ...] = ()  # each unit's own share (分解) at the year end

    @cached_property
    def done(self) -> tuple[FinalAccount, ...]:
        return tuple(a for a in self.accounts if a.done)

    @cached_property
    def unmet(self) -> tuple[FinalAccount, ...]:
        return tuple(a for a in self.accounts if not a.done)

    @cached_property
    def exceeded(self) -> tuple[FinalAccount, ...]:
        return tuple(a for a in self.accounts if a.exceeded)

    def by_group(self) -> list[tuple[str, tuple[UnitPoints, ...]]]:
        """(group, its units ranked) in the order ranked; one ("", all) when the plan
        sets no street or town apart."""
        groups = dict.fromkeys(u.group for u in self.units)
        return [(group, tuple(u for u in self.units if u.group == group)) for group in groups]

    def counted_periods(self) -> tuple[Period, ...]:
        return tuple(checkpoint.period for checkpoint in self.record)


def unit_points(
    unit: str, accounts: tuple[FinalAccount, ...], record: tuple[Checkpoint, ...], rules: Rules, unanswered: int = 0
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
        + unanswered * rules.points_unanswered
    )
    # Rounded so that overridden fractional points (0.3 + 0.3 …) still tie exactly.
    return UnitPoints(unit, exceeded, unmet, commended, criticised, round(total, 6), unanswered=unanswered)


def competition_ranks(totals: list[float]) -> list[int]:
    """Ranks of totals sorted best first: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ranks: list[int] = []
    for index, total in enumerate(totals):
        if index and total == totals[index - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(index + 1)
    return ranks


def rank_units(points: list[UnitPoints], plan: Plan) -> tuple[UnitPoints, ...]:
    """Group by group (departments, then streets and towns), best total first; equal
    totals keep the plan's order and share a rank within their group."""
    ranked: list[UnitPoints] = []
    for group, names in plan.unit_groups([p.unit for p in points]):
        own = sorted((p for p in points if p.unit in names), key=lambda p: -p.total)  # sorted() is stable
        ranks = competition_ranks([p.total for p in own])
        ranked += [dataclasses.replace(p, rank=rank, group=group) for p, rank in zip(own, ranks)]
    return tuple(ranked)


def assess_year(
    inputs: Inputs, result: CycleResult, record: tuple[Checkpoint, ...], unanswered: dict[str, int] | None = None
) -> YearAssessment:
    """The year-end account of ``result`` (December's cut-off), with the verdicts of
    the year's bulletins in ``record`` and the notices each unit left unanswered."""
    unanswered = unanswered or {}
    rules = inputs.campaign.rules
    accounts = tuple(final_account(j, rules) for j in result.judgements)
    # A unit with a share of an indicator is accountable for that share (plan sheet 分解).
    share_accounts = tuple(final_account(j, rules) for j in result.share_judgements)
    everything = accounts + share_accounts
    # A unit this supervision does not direct (督查对象 否) is reported, never scored.
    outside = inputs.plan.outside_supervision
    judged = [u.name for u in inputs.plan.units
              if u.name not in outside and any(u.name in a.indicator.units for a in everything)]
    points = [unit_points(unit, everything, record, rules, unanswered.get(unit, 0)) for unit in judged]
    return YearAssessment(accounts, record, rank_units(points, inputs.plan), rules, share_accounts)


def assessment_entries(assessment: YearAssessment) -> list[dict]:
    """The ranking as plain data, for the manifest: rank is within group (部门, 街道 …;
    null when the plan sets no street or town apart), as the account's table has it."""
    return [
        {
            "rank": u.rank,
            "group": u.group or None,
            "unit": u.unit,
            "points": u.total,
            "exceeded": [a.indicator.id for a in u.exceeded],
            "unmet": [a.indicator.id for a in u.unmet],
            "commended": [c.month for c in u.commended],
            "criticised": [c.month for c in u.criticised],
            "unanswered_notices": u.unanswered,
        }
        for u in assessment.units
    ]
