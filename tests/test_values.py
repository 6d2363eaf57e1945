import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision_bulletin.values import (
    Reading,
    ValueProblem,
    is_invisible,
    name_key,
    normalise_cjk_text,
    parse_date,
    parse_number,
    read_date,
    read_id,
    read_number,
    read_text,
    split_names,
)


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


# normalisations recorded -------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789.,-%", "０１２３４５６７８９．，－％")


def test_each_normalisation_is_recorded():
    assert read_number("１２３").notes == ("全角字符“１２３”按“123”读取",)
    assert read_number("1,200").notes == ("去掉千位分隔符（“1,200”）",)
    assert read_number("8.5%", "%") == Reading(8.5, ("百分数“8.5%”按 8.5 读取",))
    assert read_number("1200户", "户") == Reading(1200.0, ("去掉计量单位：“1200户”按 1200 读取",))
    assert read_number(1200, "户") == Reading(1200.0)


@pytest.mark.parametrize(
    "typed, measure, words",
    [("85%", "户", "是百分数"), ("3500万元", "亿元", "计量单位“万元”与本指标的“亿元”不符"), ("约1000", "户", "不是数字"), ("1000左右", "户", "不是数字")],
)
def test_numbers_that_do_not_fit_the_indicator(typed, measure, words):
    with pytest.raises(ValueProblem, match=words):
        read_number(typed, measure)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), st.booleans(), st.booleans())
def test_any_number_typed_with_separators_full_width_or_percent_reads_back(value, full_width, percent):
    typed = f"{value:,.2f}" + ("%" if percent else "")
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    reading = read_number(f"  {typed} ", "%")
    assert reading.value == pytest.approx(float(value))
    assert bool(reading.notes) == ("," in f"{value:,.2f}" or full_width or percent)


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["户", "亿元", "个", "%"]))
def test_a_number_followed_by_its_own_measure_reads_back(value, measure):
    assert read_number(f"{value}{measure}", measure).value == value


@given(st.from_regex(r"\A[1-9][0-9]{0,2}(,[0-9]{1,2}|,[0-9]{4,5})\Z"))
def test_commas_that_are_not_thousands_separators_are_refused(typed):
    with pytest.raises(ValueProblem):
        read_number(typed)


@given(st.text(alphabet="一二三四五六七八九十百千万约左右多余个", min_size=1, max_size=6))
def test_numbers_written_in_words_are_refused_not_guessed(typed):
    with pytest.raises(ValueProblem):
        read_number(typed, "个")


# dates -----------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DAYS)
def test_every_form_a_unit_types_a_date_in_reads_back(day):
    forms = (
        f"{day.year}年{day.month}月{day.day}号",
        f"{day.year} 年 {day.month:02d} 月 {day.day:02d} 日",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}{day.month:02d}{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日".translate(FULL_WIDTH),
        f"{day.isoformat()} 09:30",
    )
    for text in forms:
        reading = read_date(text)
        assert reading.value == day
        assert reading.notes  # each was rewritten to a date, and says so
    assert read_date(day.isoformat()) == Reading(day)
    assert read_date(int(f"{day.year}{day.month:02d}{day.day:02d}")).value == day


@given(DAYS, st.integers(min_value=-150, max_value=150))
def test_a_date_without_its_year_takes_the_year_nearest_the_due_date(day, offset):
    near = day + dt.timedelta(days=offset)
    for text in (f"{day.month}月{day.day}日", f"{day.month}/{day.day}"):
        reading = read_date(text, near=near)
        assert reading.value == day
        assert "未写年份" in reading.notes[0]


def test_a_date_without_its_year_needs_a_due_date():
    with pytest.raises(ValueProblem):
        read_date("10月5日")


@given(DAYS)
def test_excel_serials_read_back_and_say_so(day):
    serial = (day - dt.date(1899, 12, 30)).days
    reading = read_date(float(serial))
    assert reading.value == day and "Excel 日期序号" in reading.notes[0]


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=29, max_value=35), st.integers(min_value=2001, max_value=2099))
def test_days_past_the_end_of_the_month_are_refused(month, day, year):
    try:
        dt.date(year, month, day)
    except ValueError:
        with pytest.raises(ValueProblem):
            read_date(f"{year}年{month}月{day}日")


# ids ---------------------------------------------------------------------------------


@given(
    st.from_regex(r"\A[A-Z]?[1-9][0-9]?\Z"),
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["-", "－", "—", "–", "﹣", " - "]),
    st.booleans(),
)
def test_an_id_typed_with_any_dash_or_full_width_reads_as_itself(head, tail, dash, full_width):
    typed = f"{head}{dash}{tail}"
    if full_width:
        typed = unicodedata.normalize("NFKC", typed).translate(str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"))
    reading = read_id(typed)
    assert reading.value == f"{head}-{tail}"
    assert bool(reading.notes) == (typed != reading.value)


def test_ids_typed_as_numbers():
    assert read_id(3.0) == Reading("3")
    assert read_id(None) == Reading("")


def test_unit_names_compare_without_spaces_or_full_width():
    assert name_key(" 区 发改委 ") == name_key("区发改委")
    assert name_key("区委组织部（人才办）") == name_key("区委组织部(人才办)")


# text as printed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, text, note",
    [
        ("区统\x1c计局", "区统计局", "U+001C"),
        ("区\x00局\ufffe", "区局", "U+0000、U+FFFE"),
        ("完成\u200b任务\u202e", "完成任务", "U+200B、U+202E"),
        ("\ud800x", "x", "U+D800"),
        ("一、完成A\r\n二、完成B", "一、完成A 二、完成B", "换行"),
        ("\t=1+1", " =1+1", "制表符"),
    ],
)
def test_invisible_characters_are_dropped_and_line_breaks_become_a_space(typed, text, note):
    reading = read_text(typed)
    assert reading.value == text
    assert any(note in n for n in reading.notes)


def test_ordinary_text_is_left_alone():
    assert read_text("全区　完成 126 个项目（𠀋）") == Reading("全区　完成 126 个项目（𠀋）")


@given(st.text())
def test_text_read_has_nothing_invisible_and_reading_again_changes_nothing(typed):
    text = read_text(typed).value
    assert not any(is_invisible(c) or c in "\n\r\t\v\f\x85\u2028\u2029" for c in text)
    assert read_text(text) == Reading(text)
