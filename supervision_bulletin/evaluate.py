"""Evaluate stage: judge every indicator at a period's end and every unit.

The rules are those of supervision.md, with the thresholds of campaign.yaml
`rules`. Each judgement keeps the figures it was made from (value, target,
benchmark, gap), so documents can print the evidence next to the verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Literal

from supervision_bulletin import calendar
from supervision_bulletin.model import Campaign, Indicator, Inputs, Plan, Report, Rules
from supervision_bulletin.periods import Period

COMPLETED, AHEAD, ON_SCHEDULE, LAGGING, SEVERELY_LAGGING, NOT_REPORTED = (
    "已完成", "超序时", "达序时", "滞后", "严重滞后", "未报送",
)
STATUSES = (COMPLETED, AHEAD, ON_SCHEDULE, LAGGING, SEVERELY_LAGGING, NOT_REPORTED)
GOOD_STATUSES = frozenset({COMPLETED, AHEAD, ON_SCHEDULE})
LAG_STATUSES = frozenset({LAGGING, SEVERELY_LAGGING})

Verdict = Literal["commended", "criticised"]
# The as-of date of each cut-off month: what had arrived by then is what it judges.
AsOf = Callable[[int], dt.date]


@dataclass(frozen=True)
class Judgement:
    """One indicator's status at the end of a month, with its evidence."""

    indicator: Indicator
    month: int
    status: str
    report: Report | None
    benchmark: float | None  # the value due by now (累计) or the target (水平)
    previous_status: str | None = None  # at the end of the previous period of the same kind
    # How many cut-offs of its class in a row, this one the last, found it 滞后 or
    # 严重滞后, and how many months apart the months they judged lie (1, or 3 for a
    # bulletin or an indicator reported quarterly): "连续三个月滞后".
    lag_run: int = 0
    months_apart: int = 1

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
    """When one unit's report for one month arrived, if it had by the document's cut-off."""

    unit: str
    indicator_id: str
    month: int
    submitted: dt.date | None
    due: dt.date
    missing: bool
    days_late: int = 0  # working days after the due date
    # Missing at the cut-off although it came later: 未报送 here, 补报 in the next document.
    arrived_later: dt.date | None = None

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
    overdue: tuple[str, ...] = ()  # notices left unanswered past their deadline (a criticism too)
    # How many bulletins in a row just before this one criticised the unit, as published
    # (the record's, set by the build): 连续三个季度被通报批评.
    criticised_before: int = 0

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
    submissions: tuple[Submission, ...]  # every report owed in the period's months
    reports: tuple[Report, ...]  # the period's reports that had arrived by the cut-off
    as_of: dt.date  # the last day of data judged
    # Reports of earlier months that missed the previous cut-off and came since (补报).
    made_good: tuple[Submission, ...] = ()
    # Units judged on their share of an indicator (plan sheet 分解), apart from the indicators.
    share_judgements: tuple[Judgement, ...] = ()
    # Reports of the months before this document's that have still not arrived by its
    # cut-off: each document after the one that first found them missing names them again.
    still_missing: tuple[Submission, ...] = ()

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


def judge(indicator: Indicator, month: int, step: int, known: KnownReports, rules: Rules) -> Judgement | None:
    """Judge at the end of ``month`` on what had arrived by then; ``step`` months back is
    the previous cut-off of the same class, judged on what had arrived by its own date.
    None when the indicator owes no report yet (reported quarterly, before March)."""
    judgement = None
    for cutoff, at in judged_months(indicator, month, step):
        previous = judgement.status if judgement else None
        report = known.report(indicator, at, known.as_of(cutoff))
        status = status_of(indicator, report, at, previous, rules)
        run = (judgement.lag_run if judgement else 0) + 1 if status in LAG_STATUSES else 0
        apart = at - judgement.month if judgement else step
        judgement = Judgement(indicator, at, status, report, benchmark(indicator, at), previous, run, apart)
    return judgement


def judged_months(indicator: Indicator, month: int, step: int) -> list[tuple[int, int]]:
    """(cut-off, month judged) for this cut-off and the earlier ones of its class,
    earliest first: a quarterly indicator is judged at its last quarter end."""
    chain: list[tuple[int, int]] = []
    for cutoff in range(month, 0, -step):
        due = calendar.last_due_month(indicator, cutoff)
        if due is not None and (not chain or due < chain[0][1]):
            chain.insert(0, (cutoff, due))
    return chain


@dataclass(frozen=True)
class KnownReports:
    """The reports as each cut-off knew them: one that arrived after a cut-off's
    as-of date is not there yet (an undated report counts as arrived, late)."""

    by_month: dict[tuple[str, str, int], Report]  # (indicator, share holder or "", month)
    as_of: AsOf

    @classmethod
    def of(cls, reports: tuple[Report, ...], as_of: AsOf) -> KnownReports:
        return cls({(r.indicator_id, r.unit if r.share else "", r.month): r for r in reports}, as_of)

    def get(self, indicator: Indicator, month: int) -> Report | None:
        return self.by_month.get((indicator.id, indicator.share_unit or "", month))

    def report(self, indicator: Indicator, month: int, as_of: dt.date) -> Report | None:
        report = self.get(indicator, month)
        if report is None or not arrived(report, as_of):
            return None
        return report


def arrived(report: Report, as_of: dt.date) -> bool:
    return report.submitted is None or report.submitted <= as_of


# units -----------------------------------------------------------------------


def submissions_for(
    inputs: Inputs, months: tuple[int, ...], known: KnownReports, as_of: dt.date
) -> tuple[Submission, ...]:
    """Every (unit, indicator, month) owed a report in ``months``, as known at ``as_of``."""
    campaign = inputs.campaign
    work = calendar.WorkCalendar.of(campaign)
    found = []
    for month in months:
        due = calendar.report_due(campaign, month)
        for indicator in inputs.plan.indicators + inputs.plan.share_indicators:
            if not calendar.is_due(indicator, month):
                continue  # a month not due is neither missing nor late
            report = known.get(indicator, month)
            if report is not None and arrived(report, as_of):
                late = work.working_days_late(due, report.submitted) if report.submitted else 0
                found.append(Submission(report.unit, indicator.id, month, report.submitted, due, False, late))
                continue
            later = report.submitted if report is not None else None
            for unit in (report.unit,) if report is not None else indicator.units:
                found.append(Submission(unit, indicator.id, month, None, due, True, arrived_later=later))
    return tuple(found)


def made_good_since(inputs: Inputs, period: Period, known: KnownReports, as_of: dt.date) -> tuple[Submission, ...]:
    """Reports of the months before this document's period that were missing at the
    previous cut-off and have arrived since: the late reports this document lists."""
    previous = calendar.previous_cutoff(inputs.campaign, period)
    if previous is None:
        return ()
    before = known.as_of(previous.end_month)
    earlier = tuple(range(1, calendar.window(period)[0]))
    owed = submissions_for(inputs, earlier, known, as_of)
    return tuple(s for s in owed if not s.missing and s.submitted is not None and s.submitted > before)


def still_missing_before(inputs: Inputs, period: Period, known: KnownReports, as_of: dt.date) -> tuple[Submission, ...]:
    """Reports owed for the months before this document's period, not arrived by ``as_of``."""
    earlier = tuple(range(1, period.months[0]))
    return tuple(s for s in submissions_for(inputs, earlier, known, as_of) if s.missing)


def unit_verdict(judgements: tuple[Judgement, ...], submissions: tuple[Submission, ...]):
    """supervision.md, Units: criticism first, since a unit is never both."""
    failing = tuple(j for j in judgements if j.status in (SEVERELY_LAGGING, NOT_REPORTED) or j.lagging_twice)
    if failing:
        return "criticised", failing
    all_good = all(j.status in GOOD_STATUSES for j in judgements)
    standout = tuple(j for j in judgements if is_standout(j))
    on_time = not any(s.late or s.missing for s in submissions)
    if judgements and all_good and standout and on_time:
        return "commended", standout
    return None, ()


def is_standout(judgement: Judgement) -> bool:
    """超序时 or 已完成; a milestone reported 已完成 earns praise only with what was done
    (its 进展情况), which the document quotes as the evidence."""
    if judgement.status not in (AHEAD, COMPLETED):
        return False
    if judgement.indicator.type == "定性":
        return judgement.report is not None and bool(judgement.report.progress.strip())
    return True


def evaluate(inputs: Inputs, period: Period, as_of: AsOf) -> CycleResult:
    """Judge the cut-off of ``period`` (a document period, see calendar.resolve) on what
    had arrived by ``as_of(period.end_month)``; earlier cut-offs on their own dates."""
    campaign = inputs.campaign
    known = KnownReports.of(inputs.reports, as_of)
    today = as_of(period.end_month)
    step = calendar.step_months(period)
    judged = (judge(indicator, period.end_month, step, known, campaign.rules) for indicator in inputs.plan.indicators)
    judgements = tuple(j for j in judged if j is not None)
    shared = (judge(share, period.end_month, step, known, campaign.rules) for share in inputs.plan.share_indicators)
    share_judgements = tuple(j for j in shared if j is not None)
    submissions = submissions_for(inputs, period.months, known, today)
    window = set(calendar.window(period))
    bulletin = calendar.cycle_class(period) == "bulletin"
    units = []
    # Departments first, then streets and towns, each in the plan's order: documents name them so.
    for unit in sorted(inputs.plan.units, key=lambda u: u.is_local):
        own = tuple(j for j in judgements + share_judgements if unit.name in j.indicator.units)
        if not own:
            continue  # units with no indicator of their own are not judged
        own_submissions = tuple(s for s in submissions if s.unit == unit.name and s.month in window)
        verdict, evidence = unit_verdict(own, own_submissions) if bulletin and unit.supervised else (None, ())
        units.append(UnitResult(unit.name, own, own_submissions, verdict, evidence))
    period_reports = tuple(
        r for r in inputs.reports if r.month in period.months and arrived(r, today) and not r.share
    )
    return CycleResult(
        period, campaign, inputs.plan, judgements, tuple(units), submissions, period_reports, today,
        made_good_since(inputs, period, known, today), share_judgements, still_missing_before(inputs, period, known, today),
    )
