import dataclasses
import datetime as dt

import pytest

from supervision_bulletin import wording as w
from supervision_bulletin.evaluate import (
    AHEAD,
    COMPLETED,
    LAGGING,
    NOT_REPORTED,
    ON_SCHEDULE,
    SEVERELY_LAGGING,
    Judgement,
    KnownReports,
    Submission,
    benchmark,
    judge,
    status_of,
    unit_verdict,
)
from supervision_bulletin.model import Indicator, Report, Rules

RULES = Rules()


def indicator(target=120.0, comparison=">=", kind="累计", checkpoints=None, units=("甲局",)):
    return Indicator("1-1", "1", "测试指标", "个", target if kind != "定性" else None, comparison, kind, units, checkpoints)


def report(value=None, word=None, month=6, submitted=dt.date(2023, 7, 3)):
    return Report("1-1", "甲局", month, value, word, submitted=submitted)


class TestBenchmark:
    def test_even_schedule_is_months_over_twelve(self):
        assert benchmark(indicator(), 6) == pytest.approx(60)
        assert benchmark(indicator(), 12) == pytest.approx(120)

    def test_checkpoints_at_quarter_ends(self):
        item = indicator(checkpoints=(10, 40, 70, 120))
        assert [benchmark(item, m) for m in (3, 6, 9, 12)] == pytest.approx([10, 40, 70, 120])

    def test_checkpoints_interpolate_from_zero(self):
        item = indicator(checkpoints=(30, 60, 90, 120))
        assert benchmark(item, 1) == pytest.approx(10)
        assert benchmark(item, 5) == pytest.approx(50)

    def test_level_indicator_is_judged_against_the_target(self):
        assert benchmark(indicator(kind="水平", target=60), 2) == 60


class TestCumulativeFloor:
    # Target 120 at month 6: benchmark 60; 10 % of the target is 12.
    @pytest.mark.parametrize(
        "value, expected",
        [
            (120, COMPLETED),
            (66, AHEAD),  # exactly benchmark × 1.10
            (65.9, ON_SCHEDULE),
            (60, ON_SCHEDULE),  # exactly on the benchmark
            (59.9, LAGGING),
            (48.1, LAGGING),  # 11.9 below: less than 10 points of the target
            (48, SEVERELY_LAGGING),  # exactly 10 points below
        ],
    )
    def test_boundaries(self, value, expected):
        assert status_of(indicator(), report(value), 6, None, RULES) == expected

    def test_missing_report(self):
        assert status_of(indicator(), None, 6, None, RULES) == NOT_REPORTED

    def test_thresholds_follow_campaign_rules(self):
        strict = Rules(ahead_margin=0.5, severe_gap=0.05)
        assert status_of(indicator(), report(66), 6, None, strict) == ON_SCHEDULE
        assert status_of(indicator(), report(53), 6, None, strict) == SEVERELY_LAGGING


class TestCeilings:
    def test_cumulative_ceiling_flips_the_comparison(self):
        # ceiling 120 a year: 60 allowed by month 6
        ceiling = indicator(comparison="<=")
        assert status_of(ceiling, report(54), 6, None, RULES) == AHEAD
        assert status_of(ceiling, report(60), 6, None, RULES) == ON_SCHEDULE
        assert status_of(ceiling, report(71), 6, None, RULES) == LAGGING
        assert status_of(ceiling, report(72), 6, None, RULES) == SEVERELY_LAGGING

    def test_cumulative_ceiling_is_completed_only_at_year_end(self):
        ceiling = indicator(comparison="<=")
        assert status_of(ceiling, report(10), 6, None, RULES) == AHEAD
        assert status_of(ceiling, report(110, month=12), 12, None, RULES) == COMPLETED

    def test_level_ceiling(self):
        level = indicator(kind="水平", comparison="<=", target=2)
        assert status_of(level, report(1.8), 6, None, RULES) == AHEAD  # ≤ target × 0.90
        assert status_of(level, report(1.9), 6, None, RULES) == ON_SCHEDULE
        assert status_of(level, report(2.1), 6, None, RULES) == LAGGING
        assert status_of(level, report(2.2), 6, None, RULES) == SEVERELY_LAGGING


class TestLevel:
    @pytest.mark.parametrize(
        "value, expected",
        [(66, AHEAD), (65.9, ON_SCHEDULE), (60, ON_SCHEDULE), (54.1, LAGGING), (54, SEVERELY_LAGGING)],
    )
    def test_boundaries(self, value, expected):
        assert status_of(indicator(kind="水平", target=60), report(value), 6, None, RULES) == expected

    def test_level_is_never_completed_early(self):
        assert status_of(indicator(kind="水平", target=60), report(200), 6, None, RULES) == AHEAD


class TestQualitative:
    @pytest.mark.parametrize("word, expected", [("已完成", COMPLETED), ("推进中", ON_SCHEDULE), ("滞后", LAGGING)])
    def test_words(self, word, expected):
        assert status_of(indicator(kind="定性"), report(word=word), 6, ON_SCHEDULE, RULES) == expected

    def test_lagging_two_periods_running_is_severe(self):
        assert status_of(indicator(kind="定性"), report(word="滞后"), 6, LAGGING, RULES) == SEVERELY_LAGGING


def judgement(status, previous=None):
    return Judgement(indicator(), 9, status, report(1), 90.0, previous)


def submission(late=False, missing=False):
    submitted = None if missing else dt.date(2023, 10, 6 if late else 5)
    return Submission("甲局", "1-1", 9, submitted, dt.date(2023, 10, 5), missing)


class TestUnitVerdict:
    def test_commended_needs_one_standout_and_all_on_time(self):
        verdict, evidence = unit_verdict((judgement(AHEAD), judgement(ON_SCHEDULE)), (submission(),))
        assert verdict == "commended"
        assert [j.status for j in evidence] == [AHEAD]

    def test_not_commended_when_merely_on_schedule(self):
        assert unit_verdict((judgement(ON_SCHEDULE),), (submission(),))[0] is None

    def test_a_late_report_blocks_commendation(self):
        assert unit_verdict((judgement(COMPLETED),), (submission(late=True),))[0] is None

    def test_a_report_due_on_the_day_is_on_time(self):
        assert not submission().late
        assert submission(late=True).late

    @pytest.mark.parametrize("status", [SEVERELY_LAGGING, NOT_REPORTED])
    def test_criticised_for_severe_lag_or_no_report(self, status):
        verdict, evidence = unit_verdict((judgement(AHEAD), judgement(status)), (submission(),))
        assert verdict == "criticised"
        assert [j.status for j in evidence] == [status]

    def test_criticised_for_lagging_two_periods_running(self):
        assert unit_verdict((judgement(LAGGING, previous=LAGGING),), (submission(),))[0] == "criticised"

    def test_lagging_once_is_neither(self):
        assert unit_verdict((judgement(LAGGING, previous=ON_SCHEDULE),), (submission(),))[0] is None



class TestLagRun:
    """How long an indicator has been behind, for 连续三个月滞后 and the like."""

    @staticmethod
    def judged(values: dict[int, float], month: int, step: int, **kinds) -> Judgement:
        item = dataclasses.replace(indicator(), **kinds)
        reports = tuple(report(value, month=m, submitted=None) for m, value in values.items())
        judgement = judge(item, month, step, KnownReports.of(reports, lambda m: dt.date(2024, 1, 31)), RULES)
        assert judgement is not None
        return judgement

    # 120 a year: 10 a month is on schedule, 5 below it 滞后 (under 10 % of the target).
    BEHIND = 5

    def values(self, behind: set[int]) -> dict[int, float]:
        return {m: 10 * m - (self.BEHIND if m in behind else 0) for m in range(1, 13)}

    def test_months_in_a_row_for_a_monthly_report(self):
        judgement = self.judged(self.values({6, 7, 8, 9}), 9, 1)
        assert (judgement.status, judgement.lag_run, judgement.months_apart) == (LAGGING, 4, 1)
        assert w.lagging_run(judgement) == "连续四个月滞后"

    def test_a_month_on_schedule_ends_the_run(self):
        judgement = self.judged(self.values({6, 8, 9}), 9, 1)
        assert (judgement.lag_run, w.lagging_run(judgement)) == (2, "连续两个月滞后")

    def test_quarters_for_a_bulletin(self):
        judgement = self.judged(self.values({3, 6, 9}), 9, 3)
        assert (judgement.lag_run, w.lagging_run(judgement)) == (3, "连续三个季度滞后")

    def test_quarters_for_an_indicator_reported_quarterly_in_a_monthly_report(self):
        judgement = self.judged(self.values({6, 9}), 11, 1, report_every="quarter")
        assert (judgement.month, judgement.lag_run) == (9, 2)
        assert w.lagging_run(judgement) == "连续两个季度滞后"  # not 两个月: June and September

    def test_a_qualitative_indicator_reported_behind_again_is_severe_and_says_why(self):
        item = indicator(kind="定性")
        reports = tuple(report(word=word, month=m, submitted=None) for m, word in ((6, "推进中"), (9, "滞后"), (12, "滞后")))
        judgement = judge(item, 12, 3, KnownReports.of(reports, lambda m: dt.date(2024, 1, 31)), RULES)
        assert (judgement.status, judgement.lag_run) == (SEVERELY_LAGGING, 2)
        assert w.evidence(judgement) + w.lag_note(judgement) == "“测试指标”推进滞后，已连续两个季度，属严重滞后"
