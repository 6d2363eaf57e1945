import dataclasses
import datetime as dt

import pytest

from supervision_bulletin import wording as w
from supervision_bulletin.evaluate import UnitResult
from supervision_bulletin.wording import break_title, chinese_date, heading_numeral, number, percent


def test_dates_have_no_zero_padding():
    assert chinese_date(dt.date(2023, 9, 7)) == "2023年9月7日"


@pytest.mark.parametrize("index, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_heading_numerals(index, text):
    assert heading_numeral(index) == text


def test_numbers():
    assert number(126.0) == "126"
    assert number(80.456) == "80.46"
    assert number(None) == "—"
    assert percent(0.8049) == "80.5%"


def test_a_short_title_stays_on_one_line():
    assert break_title("关于表扬先进单位的通报") == ("关于表扬先进单位的通报",)


@pytest.mark.parametrize(
    "title",
    [
        "关于2023年老城区高质量发展赶超活动第三季度推进情况的通报",
        "关于2024年河东区营商环境提升行动上半年推进情况的通报",
        "关于《河东区营商环境提升行动方案》执行情况第二次督查结果的通报",
    ],
)
def test_long_titles_break_into_balanced_lines_without_losing_text(title):
    lines = break_title(title)
    assert "".join(lines) == title
    assert len(lines) >= 2 and all(len(line) <= 20 for line in lines)
    assert max(map(len, lines)) - min(map(len, lines)) <= 8
    for left, right in zip(lines, lines[1:]):
        assert not (left[-1].isdigit() and right[0].isdigit())
        assert right[0] not in "，。、）》"
        assert left.count("《") == left.count("》")


def test_an_escalation_says_why():
    unit = UnitResult("乙局", (), (), "criticised", ())
    assert w.escalation_reason(unit) == "连续两个季度被通报批评"  # escalated for the notice sent last time
    assert w.escalation_reason(dataclasses.replace(unit, criticised_before=3), "并下发督办通知") == (
        "连续四个季度被通报批评并下发督办通知"
    )
    overdue = dataclasses.replace(unit, overdue=("某督〔2024〕2号", "某督〔2024〕5号"))
    assert w.escalation_reason(overdue) == "督办通知（某督〔2024〕2号、某督〔2024〕5号）逾期未反馈"
