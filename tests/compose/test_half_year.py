"""The half-year summary: domains in the units' own words, the chart, the second half."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.half_year import (
    QUOTES_PER_HEADING,
    compose_half_year_summary,
    latest_reports,
    pooled_quotes,
    sentences,
)
from supervision_bulletin.document import Figure, Paragraph
from tests.judged import judged
from tests.render.test_cross_format import assert_same_words

ISSUE = Issue("老城督查〔2023〕5号", dt.date(2023, 7, 6))


def summary(inputs, label="2023-H1", issue=ISSUE):
    result = judged(inputs, label)
    return result, compose_half_year_summary(result, issue)


def text(blocks) -> str:
    return "".join(getattr(b, "lead", "") + getattr(b, "text", "") for b in blocks)


def test_sample_half_year_in_word_pdf_and_html(sample, renderers, tmp_path):
    _, document = summary(sample)
    assert_same_words(document, tmp_path, renderers)


def test_has_the_chart_and_says_how_it_is_computed(sample):
    _, document = summary(sample)
    (figure,) = [b for b in document.body if isinstance(b, Figure)]
    assert figure.svg.startswith("<svg") and figure.png.startswith(b"\x89PNG")
    assert "抓项目促投资" in figure.svg
    # 4-1 (抓项目促投资) was not reported for June: left out of its bar, and said so.
    assert "单项完成率超过100%的按100%计；未报送的指标未计入：抓项目促投资领域1项；推动绿色低碳发展领域无累计类指标" in (
        text(document.body)
    )


def test_every_indicator_narrative_is_in_attachment_two_verbatim(sample):
    result, document = summary(sample)
    appendix = text(document.attachments[1].blocks)
    latest = latest_reports(result)
    assert len(latest) == len(result.plan.indicators)
    for report in latest.values():
        for words in (report.progress, report.problems, report.next_steps):
            assert words.rstrip("。") in appendix


def test_body_quotes_a_few_sentences_per_domain_and_points_to_the_rest(sample):
    _result, document = summary(sample)
    leads = [b for b in document.body if isinstance(b, Paragraph) and b.lead in ("主要进展：", "存在问题：", "下步措施：")]
    assert leads
    for paragraph in leads:
        quoted = paragraph.text.split("；另有")[0]
        assert quoted.count("（") <= QUOTES_PER_HEADING
    assert "详见附件2" in text(document.body)


def test_quotes_come_from_the_latest_report_deduplicated(hand):
    result, _document = summary(hand, "2024-H1", Issue(None, dt.date(2024, 7, 8), draft=True))
    latest = latest_reports(result)
    assert {r.month for r in latest.values()} == {6}
    domain = result.by_domain()["办好民生实事"]
    quotes = pooled_quotes(domain, latest, "progress")
    # Every report says "本月召开调度会": quoted once.
    assert [q.sentence for q in quotes].count("本月召开调度会") == 1
    # 乙局's shortfall speaks first under 存在问题.
    assert pooled_quotes(domain, latest, "problems")[0].unit == "乙局"


def test_sentences_split_after_full_stops():
    assert sentences("甲。乙，丙；丁。 ") == ["甲", "乙，丙；丁"]
    assert sentences("") == []


def test_second_half_focus_names_shortfalls_and_what_is_left(hand):
    _, document = summary(hand, "2024-H1", Issue(None, dt.date(2024, 7, 8), draft=True))
    body = text(document.body)
    assert "“改造老旧管网”滞后（乙局）" in body
    assert "“新建养老床位”尚需完成45张（甲局）" in body  # 100 − 55
    assert "超额完成年度目标10%以上的指标每项加1分" in body


def test_commended_and_criticised_units_for_the_manifest(sample):
    result, document = summary(sample)
    assert document.commended == tuple(u.unit for u in result.commended)
    assert document.criticised == tuple(u.unit for u in result.criticised)


def test_only_the_first_half_is_summarised(sample):
    with pytest.raises(ValueError, match="年底交账"):
        summary(sample, "2023-H2")
