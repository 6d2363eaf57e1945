"""The year-end account: every target settled, points and ranking, the year's record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from pathlib import Path

from supervision_bulletin import calendar
from supervision_bulletin.build import context_for
from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.year_end import compose_year_end_account, signed
from supervision_bulletin.document import Figure, Table
from supervision_bulletin.record import CampaignRecord
from tests.judged import judged
from tests.render.test_cross_format import assert_same_words


def account(inputs, issue, tmp_path_factory=None):
    """The account with nothing recorded yet: each bulletin's verdicts from its own data."""
    result = judged(inputs, str(inputs.campaign.year))
    record = CampaignRecord(Path(tempfile.mkdtemp()) / "registry.sqlite")
    assessment = context_for(inputs, record, result, calendar.default_as_of(inputs.campaign)).assessment
    return result, assessment, compose_year_end_account(result, issue, assessment)


def text(blocks) -> str:
    return "".join(getattr(b, "lead", "") + getattr(b, "text", "") for b in blocks)


def test_sample_year_in_word_pdf_and_html(sample, renderers, tmp_path):
    _, _, document = account(sample, Issue("老城督查〔2023〕60号", dt.date(2024, 1, 8)))
    assert_same_words(document, tmp_path, renderers)


def test_every_target_with_final_value_and_verdict(sample):
    result, assessment, document = account(sample, Issue(None, dt.date(2024, 1, 8), draft=True))
    table = document.attachments[0].blocks[0]
    rows = [row for i, row in enumerate(table.rows) if i not in table.group_rows]
    assert len(rows) == len(result.judgements)
    assert {row[5] for row in rows} <= {"完成", "未完成"}
    by_id = {a.indicator.id: a for a in assessment.accounts}
    for row in rows:
        item = by_id[row[1].split(" ")[0]]
        assert row[5] == item.verdict
        assert row[7] == "、".join(item.indicator.units)


def test_points_table_is_the_hand_worked_ranking(hand):
    _, _, document = account(hand, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    # The street is ranked apart from the departments: (一)部门, then (二)街道.
    heading, departments, heading2, streets = document.attachments[1].blocks
    assert (heading.text, heading2.text) == ("（一）部门", "（二）街道")
    assert [(row[1], int(row[0])) for row in departments.rows] == [("甲局", 1), ("丁局", 2), ("乙局", 3)]
    assert [(row[1], int(row[0])) for row in streets.rows] == [("丙街道", 1)]
    rows = departments.rows + streets.rows
    assert {row[1]: row[7] for row in rows} == {"甲局": "+2.5", "乙局": "-2.5", "丙街道": "+1", "丁局": "+1"}
    # exceeded, unmet, commended, criticised, notices unanswered (none followed up here)
    assert [row[2:7] for row in rows if row[1] == "乙局"] == [("0", "1", "0", "3", "0")]


def test_the_document_says_which_documents_count(hand):
    _, _, document = account(hand, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    body = text(document.body)
    assert "计入的表扬和通报批评以第一季度通报、上半年工作通报、第三季度通报、本通报（第四季度）为准" in body
    assert "月度督查通报和督办通知不另计分" in body
    assert "2.上半年工作通报。表扬：甲局；通报批评：乙局。" in body
    assert "得分相同的单位名次并列" in body


def test_names_the_best_and_the_negative_and_asks_for_explanations(hand):
    _, _, document = account(hand, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    body = text(document.body)
    assert (
        "经计算，3个部门中，得分居前的是甲局（第1名，+2.5分）、丁局（第2名，+1分），得分为负的1个部门是乙局"
        "（第3名，-2.5分）；1个街道中，得分居前的是丙街道（第1名，+1分），没有得分为负的街道。"
    ) in body
    # Monday 6 January 2025 + 10 working days.
    assert "乙局要认真分析未完成年度目标的原因，于2025年1月20日前" in body


def test_the_body_cites_the_ranks_of_the_table(hand):
    _, _, document = account(hand, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    cited = dict(re.findall(r"([甲乙丙丁]\w*?)（第(\d+)名", text(document.body)))
    tables = [b for b in document.attachments[1].blocks if isinstance(b, Table)]
    ranked = {row[1]: row[0] for table in tables for row in table.rows}
    assert cited and cited == {unit: ranked[unit] for unit in cited}


def test_one_ranking_when_no_street_is_judged(hand):
    units = tuple(dataclasses.replace(u, type="部门") if u.name == "丙街道" else u for u in hand.plan.units)
    departments = dataclasses.replace(hand, plan=dataclasses.replace(hand.plan, units=units))
    _, _, document = account(departments, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    body = text(document.body)
    assert "得分居前的是甲局（第1名，+2.5分）、丙街道（第2名，+1分）、丁局（第2名，+1分）" in body
    assert "得分为负的1个单位是乙局（第4名，-2.5分）" in body
    (table,) = document.attachments[1].blocks
    assert [(row[1], row[0]) for row in table.rows] == [("甲局", "1"), ("丙街道", "2"), ("丁局", "2"), ("乙局", "4")]


def test_chart_and_unmet_targets_by_domain(hand):
    _, _, document = account(hand, Issue(None, dt.date(2025, 1, 6), draft=True))
    assert any(isinstance(b, Figure) for b in document.body)
    assert "未完成年度目标的有：“改造老旧管网”完成45公里，目标50公里，完成率90.0%（乙局）" in text(document.body)


def test_is_the_fourth_quarters_bulletin_too(hand):
    # December's verdicts by name, in the body and for the manifest alike.
    _, _, document = account(hand, Issue(None, dt.date(2025, 1, 6), draft=True))
    assert document.commended == ("甲局",) and document.criticised == ("乙局",)
    body = text(document.body)
    assert "第四季度表扬和通报批评情况" in body and "同时向乙局下发督办通知" in body


def test_signed_points():
    assert [signed(p) for p in (1, -1, 0.5, 0, -2.5)] == ["+1", "-1", "+0.5", "0", "-2.5"]


def test_hand_year_in_word_pdf_and_html(hand, renderers, tmp_path):
    _, _, document = account(hand, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    assert_same_words(document, tmp_path, renderers)
    # The points: the departments' ranking and the street's, each a table of its own.
    assert len([b for b in document.attachments[1].blocks if isinstance(b, Table)]) == 2


def test_a_unit_outside_the_supervision_is_reported_not_scored(hand):
    units = tuple(dataclasses.replace(u, supervised=False) if u.name == "丁局" else u for u in hand.plan.units)
    outside = dataclasses.replace(hand, plan=dataclasses.replace(hand.plan, units=units))
    _, assessment, document = account(outside, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    assert "丁局" not in {u.unit for u in assessment.units}
    assert "丁局不是本活动的督查对象，其指标完成情况照列，不计分、不排名。" in text(document.body)
    (table,) = document.attachments[0].blocks
    assert [(row[5], row[6]) for row in table.rows if row[7] == "丁局"] == [("完成", "—")]  # listed, unscored


def test_a_missed_share_is_explained_too(hand):
    _, assessment, document = account(hand, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    missed = {unit for a in assessment.share_accounts if not a.done for unit in a.indicator.units}
    body = text(document.body)
    assert all(unit in body.split("要认真分析未完成年度目标的原因")[0][-40:] for unit in missed)


def test_a_company_among_the_departments_makes_them_departments_and_units(hand):
    units = tuple(dataclasses.replace(u, type="其他") if u.name == "丁局" else u for u in hand.plan.units)
    changed = dataclasses.replace(hand, plan=dataclasses.replace(hand.plan, units=units))
    _, _, document = account(changed, Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    headings = [b.text for b in document.attachments[1].blocks if not isinstance(b, Table)]
    assert headings == ["（一）部门（单位）", "（二）街道"]
    assert "经计算，3个部门（单位）中" in text(document.body)
