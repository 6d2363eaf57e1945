"""The supervision calendar: cut-offs, the document each one gets, and working days.

Every date rule lives here (supervision.md, The calendar):
- each month end is a cut-off, and each cut-off gets exactly one main
  document, the highest cycle due: the year-end account in December (it is
  the fourth quarter's bulletin too), the half-year summary in June (the
  second quarter's bulletin too), the quarterly bulletin in March and
  September, the monthly supervision report otherwise. A campaign whose units
  report quarterly has bulletin cut-offs only;
- the period names a user may type for one cut-off (2023-06, 2023-Q2,
  2023-H1) all resolve to that cut-off's document;
- report due dates, issue dates, answer deadlines and days late follow the
  national calendar of public holidays and 调休 working days.

The national calendar comes from chinese-calendar, which carries the State
Council's yearly schedule (not a rule-based guess) and refuses a year it has
no schedule for, so a campaign in such a year is warned instead of silently
getting weekends-only working days. campaign.yaml `calendar` adds dates on top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import chinese_calendar

from supervision_bulletin.model import Campaign, Indicator
from supervision_bulletin.periods import Period, PeriodError

BULLETIN_MONTHS = (3, 6, 9, 12)
KIND_OF_DOCUMENT = {
    "month": "monthly_report",
    "quarter": "quarterly_bulletin",
    "half": "half_year_summary",
    "year": "year_end_account",
}


# working days ------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    """The national working calendar with a campaign's own additions."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    @classmethod
    def of(cls, campaign: Campaign) -> WorkCalendar:
        return cls(frozenset(campaign.extra_holidays), frozenset(campaign.extra_workdays))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        if not national_calendar_covers(day.year):
            return day.weekday() < 5
        return chinese_calendar.is_workday(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first one after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The date ``count`` working days after ``day``."""
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_late(self, due: dt.date, arrived: dt.date) -> int:
        """Working days from the day after ``due`` up to ``arrived``: 0 when on time."""
        late, day = 0, due
        while day < arrived:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                late += 1
        return late


def national_calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def calendar_warnings(campaign: Campaign) -> list[str]:
    """Years the campaign's dates fall in (its own, and January of the next for
    December's report) that the national calendar does not know yet."""
    warnings = []
    for year in (campaign.year, campaign.year + 1):
        if year and not national_calendar_covers(year):
            own = [d for d in (*campaign.extra_holidays, *campaign.extra_workdays) if d.year == year]
            warnings.append(
                f"国家法定节假日日历尚无{year}年的安排：{year}年的工作日按周一至周五计算，"
                f"并采用 campaign.yaml calendar 中该年的{len(own)}个日期；"
                "请在 calendar 的 holidays 和 workdays 中补齐该年的节假日和调休上班日。"
            )
    return warnings


# report cadence ------------------------------------------------------------------


def is_due(indicator: Indicator, month: int) -> bool:
    """Whether a report for ``month`` is owed: quarterly reporting owes quarter ends only."""
    return indicator.report_every == "month" or month in BULLETIN_MONTHS


def last_due_month(indicator: Indicator, month: int) -> int | None:
    """The latest month up to ``month`` whose report the indicator owes."""
    for candidate in range(month, 0, -1):
        if is_due(indicator, candidate):
            return candidate
    return None


def report_due(campaign: Campaign, month: int) -> dt.date:
    """A month's report is due on report_due_day of the next month, or the first
    working day after it when that day is a holiday."""
    if month == 12:
        day = dt.date(campaign.year + 1, 1, campaign.report_due_day)
    else:
        day = dt.date(campaign.year, month + 1, campaign.report_due_day)
    return WorkCalendar.of(campaign).next_working_day(day)


def default_issue_date(campaign: Campaign, month: int) -> dt.date:
    """The first working day after the cut-off month's reports were due."""
    due = report_due(campaign, month)
    return WorkCalendar.of(campaign).next_working_day(due + dt.timedelta(days=1))


def default_as_of(campaign: Campaign) -> Callable[[int], dt.date]:
    """Each cut-off month judged on what had arrived by its default issue date."""
    return lambda month: default_issue_date(campaign, month)


def answer_deadline(campaign: Campaign, issued: dt.date) -> dt.date:
    """The day a written answer to a notice is due: so many working days after issue."""
    return WorkCalendar.of(campaign).add_working_days(issued, campaign.rules.answer_working_days)


# cut-offs -------------------------------------------------------------------------


def cutoff_months(campaign: Campaign) -> tuple[int, ...]:
    """The months whose end is a cut-off with a document."""
    return BULLETIN_MONTHS if campaign.report_every == "quarter" else tuple(range(1, 13))


def document_period(campaign: Campaign, month: int) -> Period:
    """The main document of the cut-off at the end of ``month``."""
    year = campaign.year
    if month == 12:
        return Period("year", year, 1)
    if month == 6:
        return Period("half", year, 1)
    if month in BULLETIN_MONTHS:
        return Period("quarter", year, month // 3)
    return Period("month", year, month)


def resolve(campaign: Campaign, period: Period) -> Period:
    """The document a typed period names: 2023-06, 2023-Q2 and 2023-H1 are one cut-off."""
    if period.year != campaign.year:
        raise PeriodError(f"周期 {period.label} 不在活动年度 {campaign.year} 内")
    if period.kind == "half" and period.index == 2:
        raise PeriodError(f"下半年不单独总结，由年底交账总结全年：请生成 {period.year}")
    month = period.end_month
    if month not in cutoff_months(campaign):
        raise PeriodError(
            f"本活动各单位按季度报送（report_every: quarter），没有月度督查通报；"
            f"{month}月的情况在{document_period(campaign, (month + 2) // 3 * 3).chinese}的通报中体现，"
            f"请生成 {document_period(campaign, (month + 2) // 3 * 3).label}"
        )
    return document_period(campaign, month)


def cycle_class(period: Period) -> str:
    """Bulletins (which commend, criticise and send notices) or monthly reports."""
    return "monthly" if period.kind == "month" else "bulletin"


def step_months(period: Period) -> int:
    """Months back to the previous cut-off of the same class: 连续滞后 compares with it."""
    return 1 if cycle_class(period) == "monthly" else 3


def previous_cutoff(campaign: Campaign, period: Period) -> Period | None:
    """The previous cut-off of the same class (Q1 → H1 → Q3 → year for bulletins;
    the month before for monthly reports, whatever document that month got)."""
    month = period.end_month - step_months(period)
    if month < 1:
        return None
    return document_period(campaign, month)


def window(period: Period) -> tuple[int, ...]:
    """The months a document's verdicts look at since the previous cut-off of its class."""
    end = period.end_month
    return tuple(range(end - step_months(period) + 1, end + 1))


def bulletin_periods(campaign: Campaign) -> tuple[Period, ...]:
    """The bulletin cut-offs of the year, in date order: their verdicts count for points."""
    return tuple(document_period(campaign, month) for month in BULLETIN_MONTHS)
