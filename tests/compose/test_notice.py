"""The 督办通知: addressed to one unit, its shortfalls, what to do, and by when."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from supervision_bulletin import calendar
from supervision_bulletin.build import Context, compose_documents
from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.notice import first_requirement, notice_title, problem_kinds, submission_item
from supervision_bulletin.evaluate import NOT_REPORTED, SEVERELY_LAGGING, Judgement, Submission, UnitResult
from supervision_bulletin.model import Indicator, Rules
from tests.judged import judged
from tests.render.test_cross_format import assert_same_words


def issue_for(date: dt.date, numbers: list[str] | None = None):
    numbers = numbers if numbers is not None else []

    def issue(kind, unit, title):
        numbers.append(f"{kind}/{unit or ''}")
        return Issue(f"东湖督〔2024〕{len(numbers)}号", date)

    return issue


def documents(inputs, label: str, date: dt.date | None = None, escalated=None):
    result = judged(inputs, label)
    date = date or calendar.default_issue_date(inputs.campaign, result.period.end_month)
    return compose_documents(inputs, result, issue_for(date), Context(escalated=escalated))


def text_of(document) -> str:
    return "".join(getattr(b, "lead", "") + getattr(b, "text", "") for b in document.body)


class TestDeadline:
    @pytest.mark.parametrize(
        "issued, due",
        [
            # National Day 2023: 9月29日—10月6日 off, Saturday 7 and Sunday 8 October worked.
            # 28 September, then 7, 8, 9 … 13, 16, 17 October: the holiday does not count.
            (dt.date(2023, 9, 27), dt.date(2023, 10, 17)),
            (dt.date(2023, 10, 8), dt.date(2023, 10, 20)),  # Sunday 8 October is a working day
            (dt.date(2023, 10, 9), dt.date(2023, 10, 23)),  # Monday: two whole weeks
            (dt.date(2023, 12, 22), dt.date(2024, 1, 8)),  # New Year's Day 2024 is off
            # Spring Festival 2024: 10–17 February off; Sunday 4 and Sunday 18 February worked.
            (dt.date(2024, 2, 1), dt.date(2024, 2, 20)),
        ],
    )
    def test_ten_working_days_on_the_national_calendar(self, sample, issued, due):
        assert calendar.answer_deadline(sample.campaign, issued) == due

    def test_the_campaign_can_shorten_it(self, sample):
        campaign = dataclasses.replace(sample.campaign, rules=Rules(answer_working_days=3))
        # Thursday 28 December → Friday 29, (New Year's Day off) Tuesday 2, Wednesday 3 January.
        assert calendar.answer_deadline(campaign, dt.date(2023, 12, 28)) == dt.date(2024, 1, 3)


class TestNotices:
    def test_one_notice_per_criticised_unit_after_the_main_document(self, hand):
        main, *notices = documents(hand, "2024-Q1")
        assert [n.unit for n in notices] == [u.unit for u in judged(hand, "2024-Q1").criticised] == ["乙局"]
        notice = notices[0]
        assert notice.kind == "notice" and notice.layout == "letter"
        assert notice.recipients == "乙局"
        assert notice.criticised == () and notice.commended == ()  # the criticism is the main document's
        assert main.criticised == ("乙局",)
        assert notice.deadline == dt.date(2024, 4, 22) and notice.issued == dt.date(2024, 4, 8)

    def test_the_notice_cites_the_main_document_and_gives_figures_and_the_deadline(self, hand):
        main, notice = documents(hand, "2024-Q1", dt.date(2024, 4, 8))
        text = text_of(notice)
        assert f"《{main.title}》（{main.number}）" in text
        # I2 at the end of March: 5 of 50 公里 = 10.0 %, benchmark 25.0 %, 15 points behind.
        assert "“改造老旧管网”完成5公里，为年度目标的10.0%，低于序时进度15.0个百分点（序时进度为25.0%），属严重滞后。" in text
        assert "请于2024年4月22日前将整改情况" in text
        assert "主要负责同志" not in text

    def test_a_unit_sent_a_notice_at_the_previous_bulletin_gets_an_escalated_one(self, hand):
        main, notice = documents(hand, "2024-H1", dt.date(2024, 7, 8), escalated={"乙局": "东湖督〔2024〕2号"})
        assert "升级督办" in notice.title and notice.escalated
        text = text_of(notice)
        assert "你单位在2024年第一季度督查中已被通报批评，东湖区人民政府督查室已下发督办通知（东湖督〔2024〕2号），" \
               "本期督查又被通报批评，现实行升级督办。" in text
        assert "请你单位主要负责同志于2024年7月22日前当面向东湖区人民政府督查室说明情况" in text
        # … and the summary says so.
        assert "其中，乙局连续两个季度被通报批评并下发督办通知，实行升级督办，其主要负责同志须于2024年7月22日前当面" in text_of(main)

    def test_the_monthly_report_sends_no_notice(self, hand):
        (report,) = documents(hand, "2024-02")
        assert report.kind == "monthly_report" and report.criticised == ()
        assert notice_title("乙局", judged(hand, "2024-Q1").period, escalated=True).endswith("升级督办的通知")

    def test_late_and_missing_reports_are_listed_with_their_dates(self, hand):
        result = judged(hand, "2024-Q1")
        due = dt.date(2024, 2, 5)
        late = [
            Submission("乙局", "I2", 1, dt.date(2024, 2, 9), due, False, days_late=4),
            Submission("乙局", "I3", 1, None, due, True),
        ]
        assert submission_item(late, result) == (
            "报送不及时：1月“改造老旧管网”进展情况于2024年2月9日报送，逾期4个工作日（应于2024年2月5日前报送）；"
            "1月“平均办结时限”进展情况未报送（应于2024年2月5日前报送）。"
        )

    def test_the_same_words_in_word_pdf_and_html(self, sample, renderers, tmp_path):
        _, *notices = documents(sample, "2023-Q3", escalated={"区金融局": "老城督查〔2023〕13号"})
        escalated = next(n for n in notices if "升级督办" in n.title)
        assert_same_words(escalated, tmp_path, renderers)

    def test_a_draft_notice_has_no_number(self, hand):
        result = judged(hand, "2024-Q1")
        docs = compose_documents(hand, result, lambda kind, unit, title: Issue(None, dt.date(2024, 4, 8), draft=True))
        assert all(d.number is None and d.draft for d in docs)


class TestFirstRequirement:
    """What the notice asks first fits what the criticism rests on."""

    @staticmethod
    def unit(*statuses, overdue=()):
        item = Indicator("1-1", "1", "测试指标", "个", 120.0, ">=", "累计", ("甲局",))
        evidence = tuple(Judgement(item, 6, status, None, 60.0) for status in statuses)
        return UnitResult("甲局", evidence, (), "criticised", evidence, overdue)

    def test_behind_schedule_is_asked_to_catch_up(self):
        assert "赶上序时进度" in first_requirement(self.unit(SEVERELY_LAGGING, NOT_REPORTED))

    def test_reports_not_sent_are_asked_for(self):
        text = first_requirement(self.unit(NOT_REPORTED))
        assert "立即补报" in text and "序时进度" not in text

    def test_an_unanswered_notice_alone_is_asked_to_be_put_right(self):
        text = first_requirement(self.unit(overdue=("东湖督〔2024〕2号",)))
        assert "确保整改到位" in text and "序时进度" not in text and "补报" not in text


def test_an_unanswered_notice_alone_is_the_only_problem_named():
    item = Indicator("1-1", "1", "测试指标", "个", 120.0, ">=", "累计", ("甲局",))
    unit = UnitResult("甲局", (Judgement(item, 6, "达序时", None, 60.0),), (), "criticised", (), ("某督〔2024〕2号",))
    assert problem_kinds(unit) == ["督办事项逾期未反馈"]
    assert first_requirement(unit).endswith("确保整改到位。")
