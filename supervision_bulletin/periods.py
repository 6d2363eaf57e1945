"""Supervision periods: a month, a quarter, a half year or the whole year."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["month", "quarter", "half", "year"]

_PATTERNS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    ("month", re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)),
    ("half", re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)),
    ("year", re.compile(r"^(\d{4})$")),
)

_MONTHS_PER_STEP = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_CN_QUARTER = "一二三四"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, or 1 for the year

    @property
    def months(self) -> tuple[int, ...]:
        step = _MONTHS_PER_STEP[self.kind]
        first = (self.index - 1) * step + 1
        return tuple(range(first, first + step))

    @property
    def end_month(self) -> int:
        return self.months[-1]

    @property
    def label(self) -> str:
        """The PERIOD string as typed on the command line."""
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "half":
            return f"{self.year}-H{self.index}"
        return str(self.year)

    @property
    def chinese(self) -> str:
        """How documents name the period: 2023年第三季度, 2023年上半年 …"""
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{_CN_QUARTER[self.index - 1]}季度"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年"

    @property
    def previous(self) -> Period | None:
        """The previous period of the same kind within the campaign year."""
        if self.index == 1:
            return None
        return Period(self.kind, self.year, self.index - 1)


class PeriodError(ValueError):
    pass


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# How people write a period besides the canonical form: 2023-9, 2023.09, 2023/9, 2023年9月,
# 2023Q3, 2023q3, 2023年三季度, 2023年第三季度, 2023H1, 2023年上半年, 2023年.
_SPELLINGS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    ("month", re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?(?:份)?$")),
    ("quarter", re.compile(r"^(\d{4})\s*[-年]?\s*(?:第)?\s*[Qq]?([1-4一二三四])\s*(?:季度?)?$")),
    ("half", re.compile(r"^(\d{4})\s*[-年]?\s*(?:[Hh]([12])|([上下])半年)$")),
    ("year", re.compile(r"^(\d{4})\s*年?(?:度|全年)?$")),
)


def parse_period(text: str) -> Period:
    """The canonical 2023-09, 2023-Q3, 2023-H1, 2023, or a common spelling of them."""
    typed = text.strip()
    normalised = unicodedata.normalize("NFKC", typed)
    for kind, pattern in _PATTERNS:
        match = pattern.match(normalised)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if kind != "year" else 1
            return Period(kind, year, index)
    period = read_spelling(normalised)
    if period is not None and (period.kind != "month" or 1 <= period.index <= 12):
        return period
    raise PeriodError(
        f"无法识别的周期“{typed}”：应为月份 2023-09、季度 2023-Q3、半年 2023-H1 或年度 2023"
        "（也可写作 2023年9月、2023年三季度、2023年上半年）"
    )


def read_spelling(text: str) -> Period | None:
    for kind, pattern in _SPELLINGS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        if kind == "month":
            return Period("month", year, int(match.group(2)))
        if kind == "quarter":
            if not re.search(r"[Qq]|季", text):
                continue  # 2023-3 is March, not a quarter
            return Period("quarter", year, _CN_DIGITS[match.group(2)])
        if kind == "half":
            index = int(match.group(2)) if match.group(2) else (1 if match.group(3) == "上" else 2)
            return Period("half", year, index)
        return Period("year", year, 1)
    return None
