"""The monthly supervision report: counts, lagging indicators, late reports, urging (no verdicts)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from supervision_bulletin import calendar
from supervision_bulletin.build import previous_result
from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.monthly import compose_monthly_report
from supervision_bulletin.document import Table
from supervision_bulletin.evaluate import LAGGING, NOT_REPORTED, SEVERELY_LAGGING
from tests.judged import judged
from tests.render.test_cross_format import assert_same_words

ISSUE = Issue("老城督查〔2023〕9号", dt.date(2023, 9, 6))


def report(inputs, label, issue=ISSUE):
    result = judged(inputs, label)
    previous = previous_result(inputs, result.period, calendar.default_as_of(inputs.campaign))
    return result, compose_monthly_report(result, issue, previous)


def body_text(document) -> str:
    return "".join(getattr(b, "lead", "") + getattr(b, "text", "") for b in document.body)


def tables(document) -> list[Table]:
    return [b for b in document.body if isinstance(b, Table)]


def test_sample_month_in_word_pdf_and_html(sample, renderers, tmp_path):
    _, document = report(sample, "2023-08")
    assert_same_words(document, tmp_path, renderers)


def test_counts_by_status_and_change_since_last_month(sample):
    result, document = report(sample, "2023-08")
    counts = result.status_counts()
    text = body_text(document)
    assert f"截至8月底，44项指标中，已完成{counts['已完成']}项" in text
    good = counts["已完成"] + counts["超序时"] + counts["达序时"]
    previous = judged(sample, "2023-07").status_counts()
    before = previous["已完成"] + previous["超序时"] + previous["达序时"]
    assert f"（7月底为{before}项）" in text and f"达到序时进度或目标要求的{good}项" in text


def test_every_lagging_indicator_is_named_with_its_units(sample):
    result, document = report(sample, "2023-08")
    text = body_text(document)
    behind = [j for j in result.judgements if j.status in (LAGGING, SEVERELY_LAGGING, NOT_REPORTED)]
    assert behind
    for judgement in behind:
        assert f"“{judgement.indicator.name}”" in text
        assert f"责任单位：{'、'.join(judgement.indicator.units)}。" in text


def test_late_and_missing_reports_with_dates(sample):
    result, document = report(sample, "2023-08")
    (table,) = tables(document)
    late = [s for s in result.submissions if s.late or s.missing]
    assert [row[1] for row in table.rows] == [s.unit for s in late]
    for row, s in zip(table.rows, late):
        if s.missing:
            assert row[3] == "未报送"
        elif s.submitted:
            assert row[3] == f"{s.submitted.year}年{s.submitted.month}月{s.submitted.day}日"
            assert row[4] == f"逾期{s.days_late}个工作日"


def test_neither_commends_nor_criticises_but_urges_by_name(sample):
    result, document = report(sample, "2023-08")
    assert document.commended == () and document.criticised == ()
    assert not result.commended and not result.criticised  # verdicts belong to the bulletins
    text = body_text(document)
    assert "表扬" not in text and "督办通知" not in text
    # The only mention of criticism is what the next bulletin will do.
    assert text.count("通报批评") == 1 and "届时对推进不力的单位予以通报批评" in text
    behind = {unit for j in result.judgements if j.status in (LAGGING, SEVERELY_LAGGING) for unit in j.indicator.units}
    urging = text.split("督促事项")[1] if "督促事项" in text else text
    assert behind and all(unit in urging for unit in behind)
    assert "本月督查情况将在第三季度通报中一并体现" in text


def test_a_report_missing_at_the_cutoff_is_listed_as_made_good_next_month(sample):
    # 区应急管理局's September report arrived on 10 October, after the Q3 bulletin's cut-off.
    september = judged(sample, "2023-09")
    missing = [s for s in september.submissions if s.unit == "区应急管理局" and s.month == 9]
    assert missing and all(s.missing and s.arrived_later == dt.date(2023, 10, 10) for s in missing)
    result, october = report(sample, "2023-10", Issue("老城督查〔2023〕17号", dt.date(2023, 11, 7)))
    assert {s.unit for s in result.made_good} == {"区应急管理局"}
    assert "区应急管理局9月" in body_text(october) and "于2023年10月10日补报" in body_text(october)


def test_a_month_with_everything_on_time(hand):
    _, document = report(hand, "2024-08")
    text = body_text(document)
    assert "各单位均按时报送。" in text
    assert not tables(document)


def test_hand_month_in_word_pdf_and_html(hand, renderers, tmp_path):
    _, document = report(hand, "2024-10", Issue(None, dt.date(2024, 11, 6), draft=True))
    assert_same_words(document, tmp_path, renderers)


def test_shares_are_counted_apart_from_the_indicators(sample):
    # The overall figures count the 44 indicators; the units' shares have their own list and sentence.
    result, document = report(sample, "2023-10", Issue("老城督查〔2023〕21号", dt.date(2023, 11, 7)))
    text = body_text(document)
    severe = sum(1 for j in result.judgements if j.status == SEVERELY_LAGGING)
    assert f"（一）严重滞后指标（{severe}项）" in text or f"严重滞后指标（{severe}项）" in text
    assert "滞后的分解任务" in text and "分解到各单位的14项分解任务中" in text
    assert "（其中指标44项、分解任务14项）" in text


def test_a_report_never_sent_is_named_again_until_it_comes(hand):
    # 丁局 sends nothing for February: March's report names it, and asks for it.
    reports = tuple(r for r in hand.reports if not (r.unit == "丁局" and r.month == 2))
    inputs = dataclasses.replace(hand, reports=reports)
    result = judged(inputs, "2024-04")
    assert [(s.unit, s.month) for s in result.still_missing] == [("丁局", 2)]
    body = "".join(getattr(b, "text", "") for b in compose_monthly_report(result, Issue(None, dt.date(2024, 5, 7))).body)
    assert "此前月份至今仍未报送的：丁局2月“新建口袋公园”进展情况。" in body
    assert "请丁局立即补报此前月份未报送的进展情况。" in body
    assert judged(hand, "2024-04").still_missing == ()
