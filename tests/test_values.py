import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.values import ValueProblem, normalise_cjk_text, parse_date, parse_number, split_names


@pytest.mark.parametrize(
    "typed, expected",
    [(12, 12.0), (3.5, 3.5), ("1,234.5", 1234.5), ("１２３", 123.0), (" 85% ", 85.0), ("0", 0.0)],
)
def test_numbers_as_typed(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["一百", "abc", "12..3", "", "nan", "inf", True])
def test_not_numbers(typed):
    with pytest.raises(ValueProblem):
        parse_number(typed)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_any_number_written_with_separators_reads_back(value):
    assert parse_number(f"{value:,.4f}") == pytest.approx(float(f"{value:.4f}"))


@pytest.mark.parametrize(
    "typed",
    ["2023年10月5日", "2023-10-05", "2023/10/5", "2023.10.05", "２０２３年１０月５日", 45204, dt.datetime(2023, 10, 5, 9, 30)],
)
def test_dates_as_typed(typed):
    assert parse_date(typed) == dt.date(2023, 10, 5)


@pytest.mark.parametrize("typed", ["2023年13月5日", "十月五日", "2023-02-30", -3])
def test_not_dates(typed):
    with pytest.raises(ValueProblem):
        parse_date(typed)


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day):
    for text in (f"{day.year}年{day.month}月{day.day}日", day.isoformat(), f"{day.year}/{day.month}/{day.day}"):
        assert parse_date(text) == day
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == day


def test_unit_lists():
    assert split_names("区发改委、商务局, 区财政局，区科工局") == ("区发改委", "商务局", "区财政局", "区科工局")
    assert split_names(None) == ()


def test_half_width_punctuation_in_chinese_text_becomes_full_width():
    assert normalise_cjk_text("完成投资100亿元,同比增长3.5%(超额):好") == "完成投资100亿元，同比增长3.5%（超额）：好"
    assert normalise_cjk_text("合同额1,234万元") == "合同额1,234万元"
