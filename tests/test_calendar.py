"""The supervision calendar: working days, cut-offs and the document each one gets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from supervision_bulletin import calendar
from supervision_bulletin.build import build, build_all, check, cutoffs_with_data
from supervision_bulletin.cli import main
from supervision_bulletin.model import Campaign
from supervision_bulletin.periods import Period, PeriodError, parse_period
from tests import campaign_factory as cf

CAMPAIGN_2023 = Campaign("示例活动", 2023, "某区督查室", "某督", "各单位")
WORK = calendar.WorkCalendar.of(CAMPAIGN_2023)


class TestNationalCalendar:
    @pytest.mark.parametrize(
        "day, working",
        [
            ("2023-10-06", False),  # National Day holiday, a Friday
            ("2023-10-07", True),  # 调休: Saturday worked
            ("2023-10-08", True),  # 调休: Sunday worked
            ("2023-09-29", False),  # Mid-Autumn Festival
            ("2023-05-04", True),
            ("2023-05-03", False),  # Labour Day holiday, a Wednesday
            ("2023-04-23", True),  # 调休 Sunday before Labour Day
            ("2024-01-01", False),
            ("2024-02-04", True),  # 调休 Sunday before the Spring Festival
            ("2024-02-16", False),  # Spring Festival, a Friday
            ("2024-02-18", True),  # 调休 Sunday after it
            ("2024-04-07", True),  # 调休 Sunday after Qingming
            ("2024-10-12", True),  # 调休 Saturday after National Day
            ("2024-10-05", False),
            ("2024-06-10", False),  # Dragon Boat Festival, a Monday
            ("2024-06-08", False),  # an ordinary Saturday
        ],
    )
    def test_holidays_and_adjusted_working_days(self, day, working):
        assert WORK.is_working_day(dt.date.fromisoformat(day)) is working

    def test_a_report_due_on_a_holiday_is_due_on_the_next_working_day(self):
        # September's report: 5 October is a holiday, Saturday 7 October a working day.
        assert calendar.report_due(CAMPAIGN_2023, 9) == dt.date(2023, 10, 7)
        assert calendar.report_due(CAMPAIGN_2023, 10) == dt.date(2023, 11, 6)  # 5 November is a Sunday
        assert calendar.report_due(CAMPAIGN_2023, 12) == dt.date(2024, 1, 5)

    def test_the_issue_date_is_the_first_working_day_after_the_due_date(self):
        assert calendar.default_issue_date(CAMPAIGN_2023, 9) == dt.date(2023, 10, 8)  # a 调休 Sunday
        assert calendar.default_issue_date(CAMPAIGN_2023, 4) == dt.date(2023, 5, 6)  # 调休 Saturday after Labour Day
        assert calendar.default_issue_date(CAMPAIGN_2023, 12) == dt.date(2024, 1, 8)

    def test_every_default_issue_date_of_a_year_is_a_working_day(self):
        for month in range(1, 13):
            assert WORK.is_working_day(calendar.default_issue_date(CAMPAIGN_2023, month))

    def test_days_late_count_working_days(self):
        due = dt.date(2023, 9, 28)
        assert WORK.working_days_late(due, dt.date(2023, 9, 28)) == 0
        assert WORK.working_days_late(due, dt.date(2023, 10, 7)) == 1  # the holiday does not count
        assert WORK.working_days_late(due, dt.date(2023, 10, 10)) == 4

    def test_the_campaign_adds_its_own_dates(self):
        campaign = dataclasses.replace(
            CAMPAIGN_2023, extra_holidays=(dt.date(2023, 10, 9),), extra_workdays=(dt.date(2023, 10, 14),)
        )
        work = calendar.WorkCalendar.of(campaign)
        assert not work.is_working_day(dt.date(2023, 10, 9))
        assert work.is_working_day(dt.date(2023, 10, 14))

    def test_a_year_the_library_does_not_know_is_warned_and_uses_the_campaigns_dates(self):
        far = dataclasses.replace(CAMPAIGN_2023, year=2099, extra_holidays=(dt.date(2099, 10, 5),))
        (warning, _) = calendar.calendar_warnings(far)
        assert "2099年" in warning and "campaign.yaml calendar" in warning
        work = calendar.WorkCalendar.of(far)
        assert not work.is_working_day(dt.date(2099, 10, 5))  # the campaign's holiday
        assert work.is_working_day(dt.date(2099, 10, 6))  # a Tuesday: weekdays otherwise
        assert not calendar.calendar_warnings(CAMPAIGN_2023)


class TestCutoffs:
    def test_one_main_document_per_month_end(self):
        kinds = [calendar.document_period(CAMPAIGN_2023, m).kind for m in range(1, 13)]
        assert kinds == ["month", "month", "quarter", "month", "month", "half",
                         "month", "month", "quarter", "month", "month", "year"]

    @pytest.mark.parametrize(
        "typed, resolved",
        [
            ("2023-06", "2023-H1"), ("2023-Q2", "2023-H1"), ("2023-H1", "2023-H1"),
            ("2023-12", "2023"), ("2023-Q4", "2023"), ("2023", "2023"),
            ("2023-03", "2023-Q1"), ("2023-Q1", "2023-Q1"), ("2023-09", "2023-Q3"), ("2023-08", "2023-08"),
        ],
    )
    def test_the_names_of_one_cutoff_resolve_to_its_document(self, typed, resolved):
        assert calendar.resolve(CAMPAIGN_2023, parse_period(typed)).label == resolved

    def test_the_previous_bulletin_runs_q1_h1_q3_year(self):
        chain = [calendar.previous_cutoff(CAMPAIGN_2023, p) for p in calendar.bulletin_periods(CAMPAIGN_2023)]
        assert [p.label if p else None for p in chain] == [None, "2023-Q1", "2023-H1", "2023-Q3"]
        assert calendar.previous_cutoff(CAMPAIGN_2023, Period("month", 2023, 4)).label == "2023-Q1"

    def test_a_quarterly_campaign_has_no_monthly_document(self):
        quarterly = dataclasses.replace(CAMPAIGN_2023, report_every="quarter")
        assert calendar.cutoff_months(quarterly) == (3, 6, 9, 12)
        with pytest.raises(PeriodError, match="2023-Q3"):
            calendar.resolve(quarterly, parse_period("2023-08"))


# a campaign whose units report quarterly ----------------------------------------------------


QUARTER_ENDS = {
    3: {"A1-1": 230, "A1-2": 1.8, "A2-1": 28, "B1-1": "推进中", "A2-2": 82},
    6: {"A1-1": 560, "A1-2": 1.8, "A2-1": 58, "B1-1": "推进中", "A2-2": 82},
    9: {"A1-1": 1000, "A1-2": 1.8, "A2-1": 95, "B1-1": "推进中", "A2-2": 85},
}


@pytest.fixture
def quarterly(tmp_path):
    root = tmp_path / "inputs"
    cf.write_campaign(root, report_every="quarter")
    cf.write_plan(root)
    owner = {row[0]: row[7].split("、")[0] for row in cf.INDICATORS}
    for month, values in QUARTER_ENDS.items():
        rows = [cf.report_row(i, owner[i], v, cf.on_time(2024, month), f"{i}按计划推进。") for i, v in values.items()]
        cf.write_report(root, f"2024-{month:02d}", rows)
    return root


def test_a_quarterly_campaign_builds_its_bulletins_only(quarterly, tmp_path, renderers):
    inputs = check(quarterly)
    assert [p.label for p in cutoffs_with_data(inputs)] == ["2024-Q1", "2024-H1", "2024-Q3"]
    results = build_all(quarterly, tmp_path / "out", 2024, renderers=renderers)
    q3 = results[-1].result
    # July and August are not due: nobody is late or missing for them.
    assert {s.month for s in q3.submissions} == {9}
    assert not any(s.missing or s.late for s in q3.submissions)
    # 区行政审批局: 1000 against the 900 checkpoint (超序时) and 1.8 days against ≤ 2 (超序时), on time.
    assert [u.unit for u in q3.commended] == ["区行政审批局"]
    # 区环保局: 95 complaints against a ceiling of 90 by September: 滞后 once, neither praised nor criticised.
    assert [u.unit for u in q3.criticised] == []
    manifest = json.loads((tmp_path / "out" / "2024-Q3" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["commended"] == ["区行政审批局"]


def test_a_quarterly_campaign_refuses_a_monthly_period_with_the_right_one(quarterly, tmp_path):
    result = CliRunner().invoke(main, ["build", "2024-08", "--inputs", str(quarterly), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "按季度报送" in result.output and "2024-Q3" in result.output


def test_an_indicator_reported_quarterly_in_a_monthly_campaign_owes_only_quarter_ends(tmp_path, renderers):
    root = tmp_path / "inputs"
    cf.write_campaign(root)
    indicators = [row + ("季",) if row[0] == "A2-1" else row + (None,) for row in cf.INDICATORS]
    cf.write_plan(root, indicators=indicators, indicator_header=cf.INDICATOR_HEADER + ("报送频次",))
    owner = {row[0]: row[7].split("、")[0] for row in cf.INDICATORS}
    for month in (6, 7, 8):
        values = {k: v for k, v in cf.DEFAULT_MONTHS[month].items() if k != "A2-1" or month == 6}
        cf.write_report(root, f"2024-{month:02d}", [cf.report_row(i, owner[i], v, cf.on_time(2024, month))
                                                     for i, v in values.items()])
    inputs = check(root)
    assert next(i for i in inputs.plan.indicators if i.id == "A2-1").report_every == "quarter"
    august = build(root, tmp_path / "out", parse_period("2024-08"), renderers=renderers).result
    assert not [s for s in august.submissions if s.indicator_id == "A2-1"]  # not due in August
    (complaints,) = [j for j in august.judgements if j.indicator.id == "A2-1"]
    assert complaints.month == 6 and complaints.value == 50  # judged on its last quarter end
