"""Year-end verdicts, points and ranking, against a campaign worked out by hand."""

from __future__ import annotations

import dataclasses

import pytest

from supervision_bulletin.assessment import (
    assess_year,
    competition_ranks,
    final_account,
    is_done,
    is_exceeded,
)
from supervision_bulletin.build import check, year_checkpoints
from supervision_bulletin.calendar import default_as_of
from supervision_bulletin.evaluate import Judgement, evaluate
from supervision_bulletin.model import Indicator, Report, Rules
from supervision_bulletin.periods import Period, parse_period
from supervision_bulletin.record import CampaignRecord
from tests.compose import hand_campaign as hc


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return check(hc.write_hand_campaign(tmp_path_factory.mktemp("hand") / "inputs"))


def judged(inputs, label):
    return evaluate(inputs, parse_period(label), default_as_of(inputs.campaign))


def unrecorded_year(inputs, tmp_path_factory):
    """The year's checkpoints when nothing was published yet: each bulletin judged on its data."""
    result = judged(inputs, "2024")
    record = CampaignRecord(tmp_path_factory.mktemp("record") / "registry.sqlite")
    return result, year_checkpoints(inputs, record, result, default_as_of(inputs.campaign))


@pytest.fixture(scope="module")
def assessment(inputs, tmp_path_factory):
    result, checkpoints = unrecorded_year(inputs, tmp_path_factory)
    return assess_year(inputs, result, checkpoints)


def test_counted_documents_are_the_four_bulletin_cutoffs(assessment):
    labels = [p.label for p in assessment.counted_periods()]
    assert labels == ["2024-Q1", "2024-H1", "2024-Q3", "2024"]


def test_the_year_record_matches_the_hand_worked_one(assessment):
    record = {c.month: (c.commended, c.criticised) for c in assessment.record}
    assert record == hc.EXPECTED_RECORD


def test_points_per_unit(assessment):
    assert {u.unit: u.total for u in assessment.units} == pytest.approx(hc.EXPECTED_POINTS)


def test_departments_and_streets_are_ranked_apart(assessment):
    assert [(u.unit, u.rank) for u in assessment.units] == hc.EXPECTED_RANKING
    assert {u.unit: u.group for u in assessment.units} == hc.EXPECTED_GROUPS


def as_departments(inputs):
    """The hand campaign with 丙街道 made a department: one group, no street to set apart."""
    units = tuple(dataclasses.replace(u, type="部门") if u.name == "丙街道" else u for u in inputs.plan.units)
    return dataclasses.replace(inputs, plan=dataclasses.replace(inputs.plan, units=units))


def test_one_group_when_no_street_is_judged(inputs, tmp_path_factory):
    changed = as_departments(inputs)
    units = assess_year(changed, *unrecorded_year(changed, tmp_path_factory)).units
    # 丙街道 and 丁局 tie on 1.0 and share a rank; the next rank skips.
    assert [(u.unit, u.rank, u.group) for u in units] == [
        ("甲局", 1, ""), ("丙街道", 2, ""), ("丁局", 2, ""), ("乙局", 4, "")
    ]


def test_a_unit_without_indicators_is_not_ranked(assessment):
    assert "戊中心" not in {u.unit for u in assessment.units}


def test_verdicts_of_every_indicator(assessment):
    verdicts = {a.indicator.id: (a.verdict, a.exceeded) for a in assessment.accounts}
    assert verdicts == {
        "I1": ("完成", True),
        "I2": ("未完成", False),
        "I3": ("完成", False),
        "I4": ("完成", False),
        "I5": ("完成", True),
        "I6": ("完成", True),
    }


def test_monthly_reports_criticise_no_one(inputs, assessment):
    # 乙局 lags in most months, yet monthly reports only urge: three criticisms, all from bulletins.
    as_of = default_as_of(inputs.campaign)
    lagging = [m for m in (1, 2, 4, 5) if any(
        j.status in ("滞后", "严重滞后") for j in evaluate(inputs, Period("month", 2024, m), as_of).judgements
    )]
    assert lagging
    assert all(not evaluate(inputs, Period("month", 2024, m), as_of).criticised for m in lagging)
    (b,) = [u for u in assessment.units if u.unit == "乙局"]
    assert [c.month for c in b.criticised] == [3, 6, 12]


class TestRanks:
    def test_ties_share_a_rank_and_the_next_rank_skips(self):
        assert competition_ranks([3, 2, 2, 1]) == [1, 2, 2, 4]

    def test_all_tied(self):
        assert competition_ranks([0, 0, 0]) == [1, 1, 1]

    def test_fractional_points_that_add_up_the_same_tie(self, inputs, tmp_path_factory):
        rules = dataclasses.replace(Rules(), points_commended=0.1, points_exceeded=0.3)
        changed = as_departments(inputs)
        changed = dataclasses.replace(changed, campaign=dataclasses.replace(changed.campaign, rules=rules))
        units = assess_year(changed, *unrecorded_year(changed, tmp_path_factory)).units
        # 丙街道 and 丁局: 0.3 each, still tied.
        assert [(u.unit, u.rank) for u in units][1:3] == [("丙街道", 2), ("丁局", 2)]


class TestFinalVerdict:
    RULES = Rules()

    @staticmethod
    def indicator(comparison=">=", kind="累计", target=100.0):
        return Indicator("X", "T", "测试", "个", target if kind != "定性" else None, comparison, kind, ("甲局",))

    @staticmethod
    def report(value=None, word=None):
        return Report("X", "甲局", 12, value, word)

    @pytest.mark.parametrize(
        "value, done, exceeded",
        [(99.9, False, False), (100, True, False), (109.9, True, False), (110, True, True)],
    )
    def test_floor(self, value, done, exceeded):
        item, report = self.indicator(), self.report(value)
        assert is_done(item, report) is done
        assert is_exceeded(item, report, 0.10) is exceeded

    @pytest.mark.parametrize(
        "value, done, exceeded",
        [(100.1, False, False), (100, True, False), (90.1, True, False), (90, True, True)],
    )
    def test_ceiling(self, value, done, exceeded):
        item, report = self.indicator("<="), self.report(value)
        assert is_done(item, report) is done
        assert is_exceeded(item, report, 0.10) is exceeded

    def test_qualitative_is_done_only_when_completed_and_never_exceeded(self):
        item = self.indicator(kind="定性")
        assert is_done(item, self.report(word="已完成"))
        assert not is_done(item, self.report(word="推进中"))
        assert not is_exceeded(item, self.report(word="已完成"), 0.10)

    def test_no_december_report_is_unmet(self):
        account = final_account(Judgement(self.indicator(), 12, "未报送", None, 100.0), self.RULES)
        assert account.verdict == "未完成" and account.points(self.RULES) == -1
