"""Evaluate stage: judge every indicator at a period's end and every unit.

The rules are those of supervision.md, with the thresholds of campaign.yaml
`rules`. Each judgement keeps the figures it was made from (value, target,
benchmark, gap), so documents can print the evidence next to the verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pipeline.model import Campaign, Indicator, Inputs, Plan, Report, Rules
from pipeline.periods import Period

COMPLETED, AHEAD, ON_SCHEDULE, LAGGING, SEVERELY_LAGGING, NOT_REPORTED = (
    "已完成", "超序时", "达序时", "滞后", "严重滞后", "未报送",
)
STATUSES = (COMPLETED, AHEAD, ON_SCHEDULE, LAGGING, SEVERELY_LAGGING, NOT_REPORTED)
GOOD_STATUSES = frozenset({COMPLETED, AHEAD, ON_SCHEDULE})
LAG_STATUSES = frozenset({LAGGING, SEVERELY_LAGGING})

Verdict = Literal["commended", "criticised"]


@dataclass(frozen=True)
class Judgement:
    """One indicator's status at the end of a month, with its evidence."""

    indicator: Indicator
    month: int
    status: str
    report: Report | None
    benchmark: float | None  # the value due by now (累计) or the target (水平)
    previous_status: str | None = None  # at the end of the previous period of the same kind

    @property
    def value(self) -> float | None:
        return self.report.value if self.report else None

    @property
    def completion(self) -> float | None:
        """Reported value as a share of the annual target."""
        target = self.indicator.target
        if self.value is None or not target or self.indicator.is_ceiling:
            return None  # a ceiling has no "share done"
        return self.value / target

    @property
    def benchmark_share(self) -> float | None:
        """序时进度: the benchmark as a share of the annual target."""
        target = self.indicator.target
        if self.benchmark is None or not target:
            return None
        return self.benchmark / target

    @property
    def gap(self) -> float | None:
        """How far ahead (+) or behind (−) the benchmark, in shares of the target."""
        if self.value is None or self.benchmark is None or not self.indicator.target:
            return None
        ahead = self.value - self.benchmark
        if self.indicator.is_ceiling:
            ahead = -ahead
        return ahead / self.indicator.target

    @property
    def lagging_twice(self) -> bool:
        """滞后 now and in the previous period of the same kind."""
        return self.status == LAGGING and self.previous_status in LAG_STATUSES


@dataclass(frozen=True)
class Submission:
    """When one unit's report for one month arrived, if it did."""

    unit: str
    indicator_id: str
    month: int
    submitted: dt.date | None
    due: dt.date
    missing: bool

    @property
    def late(self) -> bool:
        return not self.missing and (self.submitted is None or self.submitted > self.due)


@dataclass(frozen=True)
class UnitResult:
    unit: str
    judgements: tuple[Judgement, ...]
    submissions: tuple[Submission, ...]
    verdict: Verdict | None
    evidence: tuple[Judgement, ...]  # what the verdict rests on

    @property
    def late_or_missing(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.submissions if s.late or s.missing)


@dataclass(frozen=True)
class CycleResult:
    """Everything the documents of one period say, decided once."""

    period: Period
    campaign: Campaign
    plan: Plan
    judgements: tuple[Judgement, ...]
    units: tuple[UnitResult, ...]
    submissions: tuple[Submission, ...]
    reports: tuple[Report, ...]

    @cached_property
    def commended(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.verdict == "commended")

    @cached_property
    def criticised(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.verdict == "criticised")

    def status_counts(self, judgements: tuple[Judgement, ...] | None = None) -> dict[str, int]:
        chosen = self.judgements if judgements is None else judgements
        return {status: sum(1 for j in chosen if j.status == status) for status in STATUSES}

    def by_domain(self) -> dict[str, tuple[Judgement, ...]]:
        domain_of = {task.id: task.domain for task in self.plan.tasks}
        grouped: dict[str, list[Judgement]] = {domain: [] for domain in self.plan.domains}
        for judgement in self.judgements:
            grouped[domain_of[judgement.indicator.task_id]].append(judgement)
        return {domain: tuple(items) for domain, items in grouped.items()}


# indicators ------------------------------------------------------------------


def benchmark(indicator: Indicator, month: int) -> float | None:
    """序时进度 of a 累计 indicator at the end of ``month``; the target for 水平."""
    if indicator.target is None:
        return None
    if indicator.type == "水平":
        return indicator.target
    if indicator.checkpoints is None:
        return indicator.target * month / 12
    quarter_ends = (0, 3, 6, 9, 12)
    values = (0.0, *indicator.checkpoints)
    for i in range(1, 5):
        if month <= quarter_ends[i]:
            start, end = values[i - 1], values[i]
            return start + (end - start) * (month - quarter_ends[i - 1]) / 3
    raise ValueError(f"month {month} outside 1–12")


def status_of(indicator: Indicator, report: Report | None, month: int, previous: str | None, rules: Rules) -> str:
    if report is None:
        return NOT_REPORTED
    if indicator.type == "定性":
        return qualitative_status(report.status_word, previous)
    assert report.value is not None and indicator.target is not None
    due = benchmark(indicator, month)
    assert due is not None
    if indicator.type == "累计" and is_completed(indicator, report.value, month):
        return COMPLETED
    # Both kinds reduce to "how far past the line": positive is good.
    if indicator.is_ceiling:
        margin = due - report.value
    else:
        margin = report.value - due
    if not_below(margin, 0):
        return AHEAD if due > 0 and not_below(margin, due * rules.ahead_margin) else ON_SCHEDULE
    return SEVERELY_LAGGING if not_below(-margin, indicator.target * rules.severe_gap) else LAGGING


def not_below(value: float, threshold: float) -> bool:
    """value ≥ threshold, forgiving binary rounding: 2 − 1.8 is 0.19999999999999996."""
    return value >= threshold - 1e-9 * max(1.0, abs(threshold))


def is_completed(indicator: Indicator, value: float, month: int) -> bool:
    """A running total that reaches a floor stays reached; a ceiling holds only at the year's end."""
    assert indicator.target is not None
    if indicator.is_ceiling:
        return month == 12 and not_below(indicator.target, value)
    return not_below(value, indicator.target)


def qualitative_status(word: str | None, previous: str | None) -> str:
    if word == "已完成":
        return COMPLETED
    if word == "推进中":
        return ON_SCHEDULE
    return SEVERELY_LAGGING if previous in LAG_STATUSES else LAGGING


def judge(
    indicator: Indicator, month: int, step: int, reports: dict[tuple[str, int], Report], rules: Rules
) -> Judgement:
    """Judge at the end of ``month``; ``step`` months back is the previous period."""
    previous = None
    if month - step >= 1:
        previous = judge(indicator, month - step, step, reports, rules).status
    report = reports.get((indicator.id, month))
    status = status_of(indicator, report, month, previous, rules)
    return Judgement(indicator, month, status, report, benchmark(indicator, month), previous)


# units -----------------------------------------------------------------------


def report_due_date(year: int, month: int, due_day: int) -> dt.date:
    """A month's report is due on ``due_day`` of the next month."""
    if month == 12:
        return dt.date(year + 1, 1, due_day)
    return dt.date(year, month + 1, due_day)


def submissions_for(
    inputs: Inputs, months: tuple[int, ...], reports: dict[tuple[str, int], Report]
) -> tuple[Submission, ...]:
    """Every (unit, indicator, month) that was owed a report in the period."""
    campaign = inputs.campaign
    found = []
    for month in months:
        due = report_due_date(campaign.year, month, campaign.report_due_day)
        for indicator in inputs.plan.indicators:
            report = reports.get((indicator.id, month))
            if report is not None:
                found.append(Submission(report.unit, indicator.id, month, report.submitted, due, False))
                continue
            for unit in indicator.units:
                found.append(Submission(unit, indicator.id, month, None, due, True))
    return tuple(found)


def unit_verdict(judgements: tuple[Judgement, ...], submissions: tuple[Submission, ...]):
    """supervision.md, Units: criticism first, since a unit is never both."""
    failing = tuple(j for j in judgements if j.status in (SEVERELY_LAGGING, NOT_REPORTED) or j.lagging_twice)
    if failing:
        return "criticised", failing
    all_good = all(j.status in GOOD_STATUSES for j in judgements)
    standout = tuple(j for j in judgements if j.status in (AHEAD, COMPLETED))
    on_time = not any(s.late or s.missing for s in submissions)
    if judgements and all_good and standout and on_time:
        return "commended", standout
    return None, ()


def evaluate(inputs: Inputs, period: Period) -> CycleResult:
    reports = {(report.indicator_id, report.month): report for report in inputs.reports}
    step = len(period.months)
    rules = inputs.campaign.rules
    judgements = tuple(
        judge(indicator, period.end_month, step, reports, rules) for indicator in inputs.plan.indicators
    )
    submissions = submissions_for(inputs, period.months, reports)
    units = []
    for unit in inputs.plan.units:
        own = tuple(j for j in judgements if unit.name in j.indicator.units)
        if not own:
            continue  # units with no indicator of their own are not judged
        own_submissions = tuple(s for s in submissions if s.unit == unit.name)
        verdict, evidence = unit_verdict(own, own_submissions)
        units.append(UnitResult(unit.name, own, own_submissions, verdict, evidence))
    period_reports = tuple(r for r in inputs.reports if r.month in period.months)
    return CycleResult(period, inputs.campaign, inputs.plan, judgements, tuple(units), submissions, period_reports)
