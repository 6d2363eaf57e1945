"""Parsing of the values people type into cells: numbers, dates, ids, unit lists.

Each ``read_*`` function returns the value together with the normalisations it
applied, in Chinese, so that the intake ledger can show a unit exactly how its
"１,２００户" became 1200. The ``parse_*`` functions are the same without the
notes, for places that need only the value (the plan).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_EXCEL_LAST_SERIAL = 2958465  # 9999-12-31
_FULL_DATE = (
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # 20231005, as typed into many government forms
)
_MONTH_DAY = (
    re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{1,2})[-/.](\d{1,2})$"),
)
_LIST_SEPARATORS = re.compile(r"[、,，;；/]+")
YES_NO = {"是": True, "否": False, "Y": True, "N": False, "y": True, "n": False}
# A number as typed: digits with optional thousands separators in groups of
# three, a decimal part, and whatever follows (a % sign or a unit of measure).
_NUMBER = re.compile(r"^([-+]?)(\d{1,3}(?:[, ]\d{3})+|\d+)(\.\d+)?\s*(.*)$")
# Units of measure a value may be typed with, to tell "3500万元" (wrong unit)
# from "1000左右" (not a number).
_MEASURE_WORD = re.compile(
    r"^[万亿千百十]?(元|个|家|户|人|人次|次|件|天|日|亩|公顷|平方米|平方公里|米|公里|千米|吨|项|所|座|套|台|辆|栋|间|"
    r"小时|千瓦|兆瓦|千瓦时|标准箱|床|张|篇|场|批|条|处|宗|笔|株|只|头|斤|公斤|千克|立方米)$"
)
_DASHES = re.compile(r"[‐‑‒–—―－﹣−]")


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


@dataclass(frozen=True)
class Reading(Generic[T]):
    """A value read from a cell, with the normalisations that were needed."""

    value: T
    notes: tuple[str, ...] = ()


# Text as it can be printed. Units never type these characters; they arrive with
# text pasted from other programs (Word, web pages, chat apps, exported systems),
# cannot be seen, and each format treats them differently: openpyxl refuses to
# write them, Word drops them, a browser keeps them and the PDF prints some as
# boxes. One rule for every cell of every input, so that the three formats and
# the ledger say the same thing: line breaks and tabs become a space, and the
# invisible ones are dropped, each change noted for the intake ledger.
_LINE_BREAKS = "\n\r\t\v\f\x85\u2028\u2029"
_BREAK_RUN = re.compile(rf"[ {_LINE_BREAKS}]*[{_LINE_BREAKS}][ {_LINE_BREAKS}]*")


def is_invisible(character: str) -> bool:
    """Controls, format characters (zero-width spaces, direction marks, BOM),
    surrogates and noncharacters (U+FFFE …): nothing a document can show."""
    code = ord(character)
    return unicodedata.category(character) in ("Cc", "Cf", "Cs") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def read_text(value: str) -> Reading[str]:
    """Text as printed: line breaks and tabs as one space, invisible characters dropped."""
    text = _BREAK_RUN.sub(" ", value)
    notes = []
    if text != value:
        notes.append("换行符或制表符按空格读取")
    invisible = sorted({character for character in text if is_invisible(character)})
    if invisible:
        text = "".join(character for character in text if not is_invisible(character))
        codes = "、".join(f"U+{ord(character):04X}" for character in invisible[:5])
        more = f"等 {len(invisible)} 种" if len(invisible) > 5 else ""
        notes.append(f"去掉不可见的控制字符（{codes}{more}）")
    return Reading(text, tuple(notes))


def printable(value: Any) -> str:
    """Any text shown to the user or written to a file (a file or sheet name), by the same rule."""
    return read_text(str(value)).value


def normalise_text(value: Any) -> str:
    """Full-width digits and letters to half-width, spaces trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def shown(value: Any) -> str:
    """A cell's value as the user typed it, for messages: 3.0 is shown as 3."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# numbers ---------------------------------------------------------------------


def read_number(value: Any, measure: str | None = None) -> Reading[float]:
    """A number as typed: 1,234.5 / １２３ / 85% / 1200户.

    ``measure`` is the indicator's unit of measure when it is known: a trailing
    unit is accepted only if it is that one, and a % sign only for a % measure,
    since "85%" typed against 亿元 is a completion rate, not the value asked for.
    """
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}”不是数字")
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):  # NaN or ±inf
            raise ValueProblem(f"“{value}”不是数字")
        return Reading(number)
    typed = str(value).strip()
    refuse_formula(typed)
    text = normalise_text(typed)
    notes = []
    if text != typed:
        notes.append(f"全角字符“{typed}”按“{text}”读取")
    match = _NUMBER.match(text)
    if not match:
        raise ValueProblem(not_a_number(typed, measure))
    sign, whole, fraction, suffix = match.groups()
    if whole != whole.replace(",", "").replace(" ", ""):
        notes.append(f"去掉千位分隔符（“{text}”）")
    number = float(sign + whole.replace(",", "").replace(" ", "") + (fraction or ""))
    notes.extend(read_suffix(typed, suffix.strip(), number, measure))
    return Reading(number, tuple(notes))


def refuse_formula(typed: str) -> None:
    """A formula reaches us only when it was saved without its result."""
    if typed.startswith("="):
        raise ValueProblem(f"是公式“{typed}”，但文件中没有它的计算结果：请在 Excel 或 WPS 中打开并保存后再报送，或直接填写数值")


def read_suffix(typed: str, suffix: str, number: float, measure: str | None) -> list[str]:
    """What may follow the digits: nothing, a % sign or the indicator's own unit."""
    if not suffix:
        return []
    measure = normalise_text(measure) if measure else measure
    if suffix == "%":
        if measure in (None, "%"):
            return [f"百分数“{typed}”按 {shown(number)} 读取"]
        raise ValueProblem(
            f"“{typed}”是百分数，而本指标的计量单位是“{measure}”：请填写以{measure}计的数值，不要填完成比例"
        )
    if measure and suffix == measure:
        return [f"去掉计量单位：“{typed}”按 {shown(number)} 读取"]
    if measure and _MEASURE_WORD.match(suffix):
        raise ValueProblem(f"“{typed}”的计量单位“{suffix}”与本指标的“{measure}”不符：请换算为{measure}后只填数字")
    raise ValueProblem(not_a_number(typed, measure))


def not_a_number(typed: str, measure: str | None) -> str:
    """Words, ranges and estimates (约1000, 1000左右) are not figures the bureau can judge."""
    unit = f"以{measure}计，" if measure else ""
    return f"“{typed}”不是数字：请只填一个数（{unit}不带文字），说明写在“进展情况”中"


def parse_number(value: Any) -> float:
    """A number as typed: 1,234.5 / １２３ / 85% (kept as 85)."""
    return read_number(value).value


# dates -----------------------------------------------------------------------


def read_date(value: Any, near: dt.date | None = None) -> Reading[dt.date]:
    """A date cell, an Excel serial number, or text such as 2023年10月5日.

    ``near`` is the date the value is expected to be close to (a report's due
    date): it supplies the year of a date typed without one, such as 10月5日.
    """
    if isinstance(value, dt.datetime):
        return Reading(value.date())
    if isinstance(value, dt.date):
        return Reading(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return read_date_number(value)
    typed = str(value).strip()
    refuse_formula(typed)
    text = normalise_text(typed)
    full = match_full_date(text)
    if full is not None:
        return Reading(full, () if text == full.isoformat() else (f"日期“{typed}”按 {full.isoformat()} 读取",))
    partial = match_month_day(text, near)
    if partial is not None:
        return Reading(partial, (f"日期“{typed}”未写年份，按 {partial.isoformat()} 读取",))
    raise ValueProblem(f"“{typed}”不是有效日期，请写作 2023-10-05 或 2023年10月5日")


def read_date_number(value: float) -> Reading[dt.date]:
    """A number in a date column: an Excel serial (45204) or 20231005."""
    if float(value).is_integer() and 19000101 <= value <= 99991231:
        day = match_full_date(str(int(value)))
        if day is not None:
            return Reading(day, (f"日期“{int(value)}”按 {day.isoformat()} 读取",))
    if 1 <= value <= _EXCEL_LAST_SERIAL:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return Reading(day, (f"Excel 日期序号 {shown(value)} 按 {day.isoformat()} 读取",))
    raise ValueProblem(f"“{shown(value)}”不是有效日期")


def match_full_date(text: str) -> dt.date | None:
    for pattern in _FULL_DATE:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return valid_date(year, month, day)
    return None


def match_month_day(text: str, near: dt.date | None) -> dt.date | None:
    """10月5日 with the year that puts it closest to ``near``."""
    if near is None:
        return None
    for pattern in _MONTH_DAY:
        match = pattern.match(text)
        if match:
            month, day = (int(part) for part in match.groups())
            candidates = [valid_date(year, month, day) for year in (near.year - 1, near.year, near.year + 1)]
            found = [c for c in candidates if c is not None]
            return min(found, key=lambda c: abs((c - near).days)) if found else None
    return None


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any) -> dt.date:
    """A date cell, an Excel serial number, or text such as 2023年10月5日."""
    return read_date(value).value


# ids and names ---------------------------------------------------------------


def read_id(value: Any) -> Reading[str]:
    """An id such as 1-1 or A2-3 as typed: 3.0 means "3", and the dashes of a
    Chinese input method (—, －) mean "-"."""
    if value is None:
        return Reading("")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    typed = str(value).strip()
    text = _DASHES.sub("-", normalise_text(typed))
    text = re.sub(r"\s+", "", text)
    notes = (f"编号“{typed}”按“{text}”读取",) if text != typed and not isinstance(value, int) else ()
    return Reading(text, notes)


def name_key(value: Any) -> str:
    """What two spellings of one unit name share: no spaces, half-width letters."""
    return re.sub(r"\s+", "", normalise_text(value))


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


def suggestion(value: str, candidates: list[str]) -> str:
    """The closest of ``candidates`` to a misspelt value, as a question for the message."""
    close = difflib.get_close_matches(value, candidates, n=3, cutoff=0.5)
    return f"，是否应为：{'、'.join(close)}？" if close else ""
