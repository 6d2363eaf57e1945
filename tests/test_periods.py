import pytest

from supervision_bulletin.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    "text, kind, months, chinese",
    [
        ("2023-09", "month", (9,), "2023年9月"),
        ("2023-Q3", "quarter", (7, 8, 9), "2023年第三季度"),
        ("2023-h1", "half", (1, 2, 3, 4, 5, 6), "2023年上半年"),
        ("2023", "year", tuple(range(1, 13)), "2023年"),
    ],
)
def test_periods(text, kind, months, chinese):
    period = parse_period(text)
    assert (period.kind, period.months, period.chinese) == (kind, months, chinese)


def test_previous_period_of_the_same_kind():
    assert parse_period("2023-Q3").previous == parse_period("2023-Q2")
    assert parse_period("2023-Q1").previous is None
    assert parse_period("2023-01").previous is None


@pytest.mark.parametrize("text", ["2023-13", "2023-Q5", "23-Q1", "2023Q7", "下半年", "2023年13月"])
def test_bad_periods(text):
    with pytest.raises(PeriodError, match="2023-Q3"):
        parse_period(text)
