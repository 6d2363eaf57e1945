"""The quarterly bulletin announces its notices and says which are escalated."""

from __future__ import annotations

import datetime as dt

from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.bulletin import compose_quarterly_bulletin, criticism_verdict
from supervision_bulletin.evaluate import NOT_REPORTED, SEVERELY_LAGGING, Judgement, UnitResult
from supervision_bulletin.model import Indicator
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


def test_the_criticism_names_only_the_grounds_of_the_units_it_names(hand):
    # 乙局 at Q1: one indicator 严重滞后, its reports sent, no notice yet to answer.
    body = text(bulletin(hand, "2024-Q1", dt.date(2024, 4, 8)))
    assert "乙局行动迟缓、推进不力，存在进度严重滞后问题，予以通报批评。" in body


def test_several_grounds_are_listed_in_order():
    item = Indicator("1-1", "1", "测试指标", "个", 120.0, ">=", "累计", ("甲局",))
    behind = Judgement(item, 6, SEVERELY_LAGGING, None, 60.0)
    unreported = Judgement(item, 6, NOT_REPORTED, None, 60.0)
    units = [UnitResult("甲局", (behind,), (), "criticised", (behind,)),
             UnitResult("乙局", (unreported,), (), "criticised", (unreported,), ("东湖督〔2024〕2号",))]
    assert criticism_verdict(units) == (
        "行动迟缓、推进不力，存在进度严重滞后、未报送进展情况、督办事项逾期未反馈等问题，予以通报批评。"
    )
