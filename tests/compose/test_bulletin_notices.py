"""The quarterly bulletin announces its notices and says which are escalated."""

from __future__ import annotations

import datetime as dt

from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.bulletin import compose_quarterly_bulletin
from tests.judged import judged
from tests.render.test_cross_format import assert_same_words


def bulletin(inputs, label, date, escalated=None):
    return compose_quarterly_bulletin(judged(inputs, label), Issue("东湖督〔2024〕2号", date), escalated)


def text(document) -> str:
    return "".join(getattr(b, "lead", "") + getattr(b, "text", "") for b in document.body)


def test_first_criticism_announces_a_notice_and_its_deadline(hand):
    body = text(bulletin(hand, "2024-Q1", dt.date(2024, 4, 8)))
    assert "同时向乙局下发督办通知，请该单位于2024年4月22日前将整改情况书面报送" in body
    assert "升级督办" not in body


def test_a_unit_sent_a_notice_at_the_previous_bulletin_is_escalated(hand, renderers, tmp_path):
    document = bulletin(hand, "2024-Q1", dt.date(2024, 4, 8), {"乙局": "东湖督〔2023〕9号"})
    assert "乙局连续两个季度被通报批评并下发督办通知，实行升级督办" in text(document)
    assert_same_words(document, tmp_path, renderers)


def test_a_quarter_without_criticism_sends_no_notice(hand):
    assert "督办通知" not in text(bulletin(hand, "2024-Q3", dt.date(2024, 10, 8)))
