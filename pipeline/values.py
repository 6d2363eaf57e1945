"""Parsing of the values people type into cells: numbers, dates, unit lists."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
)
_LIST_SEPARATORS = re.compile(r"[、,，;；/]+")


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


def normalise_text(value: Any) -> str:
    """Full-width digits and letters to half-width, spaces trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_number(value: Any) -> float:
    """A number as typed: 1,234.5 / １２３ / 85% (kept as 85)."""
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}”不是数字")
    if isinstance(value, (int, float)):
        return float(value)
    text = normalise_text(value).replace(",", "").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(f"“{value}”不是数字") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueProblem(f"“{value}”不是数字")
    return number


def parse_date(value: Any) -> dt.date:
    """A date cell, an Excel serial number, or text such as 2023年10月5日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's valid serial range
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueProblem(f"“{value}”不是有效日期")
    text = normalise_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise ValueProblem(f"“{value}”不是有效日期，请写作 2023-10-05 或 2023年10月5日")


def split_names(value: Any) -> tuple[str, ...]:
    """Unit lists are written 区发改委、区商务局 (or with commas)."""
    if value is None:
        return ()
    parts = _LIST_SEPARATORS.split(normalise_cjk_text(str(value)))
    return tuple(part.strip() for part in parts if part.strip())


def normalise_cjk_text(text: str) -> str:
    """Half-width punctuation typed between Chinese characters becomes full-width.

    Official documents take full-width punctuation in Chinese text; plans and
    reports typed in a hurry mix in half-width commas, colons and parentheses.
    Numbers such as 1,234 or 3.5 keep theirs.
    """
    text = text.strip()
    text = re.sub(r"(?<![0-9]),|,(?![0-9])", "，", text)
    text = re.sub(r"(?<![0-9]):|:(?![0-9])", "：", text)
    text = re.sub(r";", "；", text)
    text = re.sub(r"\((?=[^()]*[\u4e00-\u9fff])", "（", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff）])\)", "）", text)
    text = re.sub(r"\?(?=$|[\u4e00-\u9fff])", "？", text)
    text = re.sub(r"!(?=$|[\u4e00-\u9fff])", "！", text)
    return text
