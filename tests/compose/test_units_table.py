"""The per-unit table's lights and its 月报逾期 column, on units made in the test."""

from __future__ import annotations

import datetime as dt
import types

from supervision_bulletin.compose.units_table import GREEN, RED, UNMARKED, YELLOW, unit_lines
from supervision_bulletin.evaluate import ON_SCHEDULE, Judgement, Submission, UnitResult
from supervision_bulletin.model import Indicator, Plan, Unit

DUE = dt.date(2023, 5, 5)
ITEM = Indicator("1-1", "1", "测试指标", "个", 120.0, ">=", "累计", ("甲局",))


def sent(days_late: int = 0) -> Submission:
    return Submission("甲局", "1-1", 4, DUE + dt.timedelta(days=days_late), DUE, missing=False)


NEVER_SENT = Submission("甲局", "1-1", 4, None, DUE, missing=True)


def line(*submissions: Submission, verdict=None, supervised=True):
    unit = UnitResult("甲局", (Judgement(ITEM, 6, ON_SCHEDULE, None, 60.0),), submissions, verdict, ())
    plan = Plan((Unit("甲局", supervised=supervised),), (), ())
    (only,) = unit_lines(types.SimpleNamespace(units=(unit,), plan=plan), None)
    return only


def test_on_time_and_on_schedule_is_green():
    assert (line(sent()).mark, line(sent()).late_reports) == (GREEN, 0)


def test_a_late_report_is_yellow():
    assert (line(sent(3)).mark, line(sent(3)).late_reports) == (YELLOW, 1)


def test_a_report_never_sent_counts_as_overdue_and_is_red():
    # It counts for more than a late one, not for less (it used to be green, 0).
    assert (line(NEVER_SENT, sent()).mark, line(NEVER_SENT, sent()).late_reports) == (RED, 1)


def test_a_unit_criticised_in_the_bulletin_is_red():
    assert line(sent(), verdict="criticised").mark == RED


def test_a_unit_outside_the_supervision_gets_its_figures_and_no_light():
    outside = line(NEVER_SENT, supervised=False)
    assert (outside.mark, outside.late_reports) == (UNMARKED, 1)
