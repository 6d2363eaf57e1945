"""Closing the loop: answers to notices, their states, 催办, criticism and escalation
when ignored, 销号 when fixed — against a campaign worked out by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from supervision_bulletin import calendar
from supervision_bulletin.build import build, build_all, check
from supervision_bulletin.cli import main
from supervision_bulletin.compose.follow_up import answered_clause
from supervision_bulletin.follow_up import (
    CLOSED,
    LATE,
    NOT_DUE,
    ON_TIME,
    OVERDUE,
    behind_at,
    behind_by_unit,
    follow_up,
    notice_state,
)
from supervision_bulletin.model import Answer, Campaign
from supervision_bulletin.periods import parse_period
from supervision_bulletin.record import RecordedDocument
from tests import campaign_factory as cf
from tests.compose import hand_campaign as hc
from tests.judged import judged
from tests.render.test_cross_format import html_text

CAMPAIGN_2024 = Campaign("活动", 2024, "某督查室", "某督", "各单位")


def notice(issued: dt.date, deadline: dt.date, number: int = 1) -> RecordedDocument:
    return RecordedDocument("某督", 2024, number, f"k{number}", "2024-Q3", "notice", "乙局", "通知", issued, issued,
                            deadline, False, (), (), "已发布")


def answer(day: str, rectified: bool = False) -> Answer:
    return Answer("某督〔2024〕1号", "乙局", dt.date.fromisoformat(day), "已整改。", rectified)


class TestStates:
    """A notice of 24 September 2024: ten working days run across National Day to
    Saturday 12 October, a 调休 working day."""

    ISSUED = dt.date(2024, 9, 24)

    def test_the_deadline_counts_working_days_across_the_holiday(self):
        assert calendar.answer_deadline(CAMPAIGN_2024, self.ISSUED) == dt.date(2024, 10, 12)

    @pytest.mark.parametrize(
        "answers, as_of, state",
        [
            ((), "2024-10-12", NOT_DUE),  # the deadline day itself is still in time
            ((), "2024-10-14", OVERDUE),
            (("2024-10-12",), "2024-10-14", ON_TIME),
            (("2024-10-13",), "2024-10-14", LATE),  # a Sunday after the deadline
            (("2024-10-01",), "2024-10-14", ON_TIME),  # sent during the holiday, before the deadline
        ],
    )
    def test_each_state(self, answers, as_of, state):
        found = tuple(answer(day) for day in answers)
        assert notice_state(notice(self.ISSUED, dt.date(2024, 10, 12)), found, dt.date.fromisoformat(as_of)) == state

    def test_a_fixed_problem_closes_the_notice_whenever_it_came(self):
        late_but_fixed = (answer("2024-10-20", rectified=True),)
        assert notice_state(notice(self.ISSUED, dt.date(2024, 10, 12)), late_but_fixed, dt.date(2024, 10, 21)) == CLOSED


class TestClosingAgainstTheFigures:
    """对账销号: a notice reported fixed closes once none of its indicators is behind."""

    NOTICE = dataclasses.replace(notice(dt.date(2024, 9, 24), dt.date(2024, 10, 12)), subjects=("I2 改造老旧管网",))
    FIXED = (answer("2024-10-10", rectified=True),)

    def followed(self, behind):
        (status,) = follow_up([self.NOTICE], self.FIXED, dt.date(2024, 10, 21), behind).notices
        return status

    def test_still_behind_it_stays_open_as_answered_and_says_which(self):
        status = self.followed({"乙局": {"I2": "严重滞后"}})
        assert (status.state, status.unconfirmed) == (ON_TIME, (("I2 改造老旧管网", "严重滞后"),))
        assert answered_clause(status) == (
            "乙局（某督〔2024〕1号，2024年10月10日按期反馈，报告已整改到位，但截至本期“改造老旧管网”仍严重滞后，暂不销号）"
        )

    def test_caught_up_it_closes(self):
        assert self.followed({"乙局": {"I5": "滞后"}, "甲局": {"I2": "滞后"}}).state == CLOSED

    def test_with_no_figures_the_answer_alone_closes_it(self):
        assert self.followed(None).state == CLOSED

    def test_a_campaign_may_close_on_the_units_word_alone(self, tmp_path):
        inputs = check(hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4)))
        rules = dataclasses.replace(inputs.campaign.rules, close_on_figures=False)
        trusting = dataclasses.replace(inputs, campaign=dataclasses.replace(inputs.campaign, rules=rules))
        assert behind_at(inputs, dt.date(2024, 4, 30)) == {"乙局": {"I2": "严重滞后"}}
        assert behind_at(trusting, dt.date(2024, 4, 30)) is None  # follow_up then closes on the answer

    def test_the_figures_behind_are_each_units_own(self, tmp_path):
        result = judged(check(hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))), "2024-Q1")
        behind = behind_by_unit(result)
        assert behind["乙局"] == {"I2": "严重滞后"}
        assert all(status in ("滞后", "严重滞后", "未报送") for own in behind.values() for status in own.values())


# the hand campaign with answers -------------------------------------------------------------
#
# Numbers of a whole-year build from an empty record: January 1, February 2, Q1 3 and its
# notice to 乙局 4 (issued 8 April, due 22 April), April 5, May 6, the half-year summary 7 and
# its notice to 乙局 8 (issued 8 July, due 22 July), July 9, August 10, Q3 11 and — 乙局 having
# left notice 8 unanswered — a notice to 乙局 12 (issued 9 October, due 22 October).
# 乙局 answers notice 4 on time without fixing it, never answers notice 8, and answers
# notice 12 late with the problem fixed.
ANSWERS = [
    ("东湖督〔2024〕4号", "乙局", dt.date(2024, 4, 19), "已组织管网施工单位倒排工期。", "否"),
    ("东湖督〔2024〕12号", "乙局", dt.date(2024, 10, 25), "管网改造已全面复工，新增施工班组2个。", "是"),
]


@pytest.fixture(scope="module")
def year(tmp_path_factory, renderers):
    root = hc.write_hand_campaign(tmp_path_factory.mktemp("loop") / "inputs")
    cf.write_answers(root, "乙局反馈", ANSWERS)
    out = root.parent / "outputs"
    build_all(root, out, 2024, renderers=renderers)
    return root, out


def documents(out, label):
    manifest = json.loads((out / label / "manifest.json").read_text(encoding="utf-8"))
    for document in manifest["documents"]:
        document["text"] = html_text(out / label / document["files"]["html"])
    return manifest


def test_the_numbers_and_dates_worked_out_by_hand(year):
    _, out = year
    q1_notice = documents(out, "2024-Q1")["documents"][1]
    assert (q1_notice["number"], q1_notice["issued"], q1_notice["deadline"]) == ("东湖督〔2024〕4号", "2024-04-08", "2024-04-22")
    h1_notice = documents(out, "2024-H1")["documents"][1]
    assert (h1_notice["number"], h1_notice["deadline"]) == ("东湖督〔2024〕8号", "2024-07-22")


def test_the_monthly_report_chases_an_overdue_notice_without_criticising(year):
    _, out = year
    (august,) = documents(out, "2024-08")["documents"]
    assert august["criticised"] == []
    assert "逾期未反馈的：乙局（东湖督〔2024〕8号，应于2024年7月22日前反馈，至今未反馈）" in august["text"]
    assert "请乙局立即书面报送整改情况（催办）；仍不反馈的，将在第三季度通报中予以通报批评。" in august["text"]
    assert "已书面反馈、尚未整改到位的：乙局（东湖督〔2024〕4号，2024年4月19日按期反馈）" in august["text"]


def test_the_next_bulletin_criticises_the_unit_that_ignored_its_notice_and_escalates(year):
    _, out = year
    manifest = documents(out, "2024-Q3")
    bulletin, notice_doc = manifest["documents"]
    # 乙局's figures are on schedule at the end of September (hand_campaign): the criticism is for notice 8.
    assert bulletin["criticised"] == ["乙局"] and bulletin["commended"] == []
    assert "1.乙局。督办通知（东湖督〔2024〕8号）逾期未反馈整改情况。" in bulletin["text"]
    assert "对乙局予以通报批评，并实行升级督办。" in bulletin["text"]
    assert notice_doc["number"] == "东湖督〔2024〕12号" and notice_doc["escalated"]
    assert "你单位未按督办通知（东湖督〔2024〕8号）要求按期书面反馈整改情况，现实行升级督办。" in notice_doc["text"]
    assert notice_doc["deadline"] == "2024-10-22"
    states = {entry["number"]: entry["answer"] for entry in manifest["follow_up"]}
    assert states == {"东湖督〔2024〕4号": ON_TIME, "东湖督〔2024〕8号": OVERDUE}


def test_the_year_end_closes_a_fixed_notice_and_takes_points_for_the_ignored_one(year):
    _, out = year
    manifest = documents(out, "2024")
    account = manifest["documents"][0]
    assert "已整改到位、予以销号的：乙局（东湖督〔2024〕12号，2024年10月25日反馈：“管网改造已全面复工，新增施工班组2个”）" in account["text"]
    assert "督办通知截至年底仍逾期未反馈的，每份减0.5分" in account["text"]
    points = {entry["unit"]: (entry["points"], entry["unanswered_notices"]) for entry in manifest["assessment"]}
    # I2 unmet (−1), criticised in Q1, H1, Q3 and December (−2), notice 8 unanswered (−0.5).
    assert points["乙局"] == (-3.5, 1)
    assert points["甲局"] == (hc.EXPECTED_POINTS["甲局"], 0)
    states = {entry["number"]: entry["answer"] for entry in manifest["follow_up"]}
    assert states == {"东湖督〔2024〕4号": ON_TIME, "东湖督〔2024〕8号": OVERDUE, "东湖督〔2024〕12号": CLOSED}
    assert "2024年督办通知落实情况表" in account["text"]


def test_the_notice_ends_with_a_receipt_the_unit_can_return(year):
    _, out = year
    notice_doc = documents(out, "2024-Q1")["documents"][1]
    assert "整改情况回执" in notice_doc["text"] and "是否整改到位" in notice_doc["text"]


def test_every_answer_row_is_in_the_ledger(year):
    _, out = year
    ledger = load_workbook(out / "2024" / "intake.xlsx")["逐行明细"]
    rows = [row for row in ledger.iter_rows(min_row=2, values_only=True) if "整改反馈" in row]
    assert len(rows) == len(ANSWERS)


def test_answer_forms_list_each_units_open_notices(year, tmp_path):
    root, _ = year
    result = CliRunner().invoke(
        main, ["forms", "answers", "--inputs", str(root), "--out", str(tmp_path), "--date", "2024-10-10"]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "forms" / "整改反馈" / "乙局.xlsx")["反馈"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in rows] == ["东湖督〔2024〕4号", "东湖督〔2024〕8号", "东湖督〔2024〕12号"]
    assert rows[0][8].startswith("I2 ")  # the indicator behind the notice
    assert not rows[2][8]  # notice 12 was for the unanswered notice alone


def test_a_returned_answer_form_is_read_back(year, tmp_path, renderers):
    root, _ = year
    CliRunner().invoke(main, ["forms", "answers", "--inputs", str(root), "--out", str(tmp_path), "--date", "2024-10-10"])
    form = tmp_path / "forms" / "整改反馈" / "乙局.xlsx"
    workbook = load_workbook(form)
    sheet = workbook["反馈"]
    sheet["C6"], sheet["D6"], sheet["E6"] = dt.date(2024, 10, 11), "已补报并说明情况。", "是"  # notice 8 answered
    workbook.save(root / "answers" / "乙局-表格反馈.xlsx")
    try:
        result = CliRunner().invoke(main, ["check", "--inputs", str(root)])
        assert result.exit_code == 0, result.output
    finally:
        (root / "answers" / "乙局-表格反馈.xlsx").unlink()


# rejected answers ----------------------------------------------------------------------------


@pytest.fixture
def after_q1(tmp_path, renderers):
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 5))
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024-Q1"), renderers=renderers)
    return root, out


@pytest.mark.parametrize(
    "row, words",
    [
        (("东湖督〔2024〕9号", "乙局", dt.date(2024, 4, 19), "", ""), ("没有 东湖督〔2024〕9号", "第2行", "“文号”")),
        # Q1 alone in a new workspace: the bulletin is 1号, its notice to 乙局 2号.
        (("东湖督〔2024〕2号", "甲局", dt.date(2024, 4, 19), "", ""), ("是发给乙局的督办通知，不是发给甲局的",)),
        (("东湖督〔2024〕2号", "乙局", dt.date(2024, 4, 1), "", ""), ("早于督办通知 东湖督〔2024〕2号 的成文日期 2024-04-08",)),
        (("东湖督2024第4号", "乙局", dt.date(2024, 4, 19), "", ""), ("文号“东湖督2024第4号”无法识别",)),
        (("东湖督〔2024〕4号", "庚局", dt.date(2024, 4, 19), "", ""), ("单位“庚局”不在工作表“单位”中",)),
        (("东湖督〔2024〕4号", "乙局", "四月中旬", "", ""), ("反馈日期", "不是有效日期")),
        (("东湖督〔2024〕4号", "乙局", dt.date(2024, 4, 19), "", "差不多"), ("整改到位应填“是”或“否”",)),
    ],
)
def test_a_bad_answer_row_stops_the_build_naming_its_place(after_q1, row, words):
    root, out = after_q1
    cf.write_answers(root, "反馈", [row])
    result = CliRunner().invoke(main, ["build", "2024-04", "--inputs", str(root), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "answers/反馈.xlsx" in result.output and "工作表“反馈”" in result.output
    for word in words:
        assert word in result.output
    assert not (out / "2024-04").exists()


def test_a_second_answer_that_contradicts_the_first_is_refused(after_q1):
    root, out = after_q1
    cf.write_answers(root, "反馈", [
        ("东湖督〔2024〕2号", "乙局", dt.date(2024, 4, 19), "已整改到位。", "是"),
        ("东湖督〔2024〕2号", "乙局", dt.date(2024, 4, 26), "仍在整改。", "否"),
    ])
    result = CliRunner().invoke(main, ["build", "2024-04", "--inputs", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "第3行" in result.output and "已于2024-04-19反馈整改到位" in result.output


def test_an_answer_after_the_cutoff_waits_for_the_next_document(after_q1, renderers):
    root, out = after_q1
    # Dated after the April report's cut-off: not judged yet, so not refused either.
    cf.write_answers(root, "反馈", [("东湖督〔2024〕99号", "乙局", dt.date(2024, 5, 30), "", "")])
    built = build(root, out, parse_period("2024-04"), renderers=renderers)
    assert built.result.as_of < dt.date(2024, 5, 30)


def test_a_unit_that_is_not_supervised_is_reported_but_never_judged(tmp_path, renderers):
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
    units = [unit + (("否",) if unit[0] == "乙局" else ("是",)) for unit in hc.UNITS]
    cf.write_plan(root, units=units, tasks=hc.TASKS, indicators=hc.INDICATORS,
                  unit_header=cf.UNIT_HEADER + ("督查对象",))
    built = build(root, tmp_path / "out", parse_period("2024-Q1"), renderers=renderers)
    # 乙局's I2 is 严重滞后 at the end of March: reported with its figures, never criticised.
    assert [u.unit for u in built.result.criticised] == []
    assert [d.document.kind for d in built.documents] == ["quarterly_bulletin"]
    text = html_text(built.folder / built.documents[0].files["html"])
    assert "乙局" in text and "改造老旧管网" in text
