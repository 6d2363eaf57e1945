"""intake.receipts: each unit's report month by month, as received by a date (the overview of `bulletin serve`)."""

import datetime as dt

import pytest

from supervision_bulletin.build import check
from supervision_bulletin.intake import LATE, MISSING, NOT_DUE, ON_TIME, receipts
from supervision_bulletin.resources import SAMPLE_CAMPAIGN


@pytest.fixture(scope="module")
def sample():
    return check(SAMPLE_CAMPAIGN)


def test_a_report_after_the_due_date_is_late_and_one_not_come_is_missing(sample):
    at_issue = receipts(sample, dt.date(2023, 10, 9))
    emergency = {r.month: r for r in at_issue["区应急管理局"]}
    assert emergency[8].state == ON_TIME
    assert emergency[9].state == MISSING  # it came on 10 October
    assert emergency[10].state == NOT_DUE and emergency[10].due == dt.date(2023, 11, 6)
    later = {r.month: r for r in receipts(sample, dt.date(2023, 10, 10))["区应急管理局"]}
    assert later[9].state == LATE and later[9].days_late == 3 and later[9].submitted == dt.date(2023, 10, 10)


def test_every_unit_with_indicators_has_twelve_months(sample):
    found = receipts(sample, dt.date(2024, 2, 1))
    assert "区发改委" in found and all(len(months) == 12 for months in found.values())
    finance = {r.month: r for r in found["区金融局"]}
    assert finance[12].state == LATE  # December's report came on 9 January, after the 5th
    assert finance[1].state == ON_TIME and finance[1].received == finance[1].owed > 0
