"""The monthly supervision report: counts, lagging indicators, late reports, criticism."""

from __future__ import annotations

import datetime as dt

from pipeline.assessment import previous_result, repeat_criticised
from pipeline.compose import Issue
from pipeline.compose.monthly import compose_monthly_report
from pipeline.document import Table
from pipeline.evaluate import LAGGING, NOT_REPORTED, SEVERELY_LAGGING, evaluate
from pipeline.periods import parse_period
from tests.render.test_cross_format import assert_same_words

ISSUE = Issue("老城督查〔2023〕9号", dt.date(2023, 10, 9))


def report(inputs, label, issue=ISSUE):
    result = evaluate(inputs, parse_period(label))
    previous = previous_result(inputs, result.period)
    return result, compose_monthly_report(result, issue, repeat_criticised(result, previous), previous)


def body_text(document) -> str:
    return "".join(getattr(b, "lead", "") + getattr(b, "text", "") for b in document.body)


def tables(document) -> list[Table]:
    return [b for b in document.body if isinstance(b, Table)]


def test_sample_month_in_word_pdf_and_html(sample, renderers, tmp_path):
    _, document = report(sample, "2023-09")
    assert_same_words(document, tmp_path, renderers)


def test_counts_by_status_and_change_since_last_month(sample):
    result, document = report(sample, "2023-09")
    counts = result.status_counts()
    text = body_text(document)
    assert f"截至9月底，44项指标中，已完成{counts['已完成']}项" in text
    good = counts["已完成"] + counts["超序时"] + counts["达序时"]
    previous = evaluate(sample, parse_period("2023-08")).status_counts()
    before = previous["已完成"] + previous["超序时"] + previous["达序时"]
    assert f"（8月底为{before}项）" in text and f"达到序时进度及以上的{good}项" in text


def test_every_lagging_indicator_is_named_with_its_units(sample):
    result, document = report(sample, "2023-09")
    text = body_text(document)
    behind = [j for j in result.judgements if j.status in (LAGGING, SEVERELY_LAGGING, NOT_REPORTED)]
    assert behind
    for judgement in behind:
        assert f"“{judgement.indicator.name}”" in text
        assert f"责任单位：{'、'.join(judgement.indicator.units)}。" in text


def test_late_and_missing_reports_with_dates(sample):
    result, document = report(sample, "2023-09")
    (table,) = tables(document)
    late = [s for s in result.submissions if s.late or s.missing]
    assert [row[1] for row in table.rows] == [s.unit for s in late]
    for row, s in zip(table.rows, late):
        if s.missing:
            assert row[3] == "未报送"
        elif s.submitted:
            assert row[3] == f"{s.submitted.year}年{s.submitted.month}月{s.submitted.day}日"
            assert row[4] == f"逾期{(s.submitted - s.due).days}天"


def test_criticises_but_does_not_commend(sample):
    result, document = report(sample, "2023-09")
    assert result.commended  # the rules would commend someone …
    assert document.commended == ()  # … but the monthly report does not
    assert document.criticised == tuple(u.unit for u in result.criticised)
    assert "表扬" not in body_text(document)


def test_repeat_criticism_is_escalated_in_the_report(hand):
    _, february = report(hand, "2024-02")
    _, march = report(hand, "2024-03")
    assert "升级督办" not in body_text(february)
    assert "乙局连续两个月被通报批评，实行升级督办" in body_text(march)


def test_a_month_with_everything_on_time(hand):
    _, document = report(hand, "2024-08")
    text = body_text(document)
    assert "各单位均按时报送。" in text
    assert not tables(document)
    assert "本月没有指标严重滞后、未报送或连续两个月滞后的单位。" in text


def test_hand_month_in_word_pdf_and_html(hand, renderers, tmp_path):
    _, document = report(hand, "2024-10", Issue(None, dt.date(2024, 11, 6), draft=True))
    assert_same_words(document, tmp_path, renderers)
