"""How figures and dates are written in official documents."""

from __future__ import annotations

import datetime as dt
import math
import re

from supervision_bulletin.evaluate import (
    AHEAD,
    COMPLETED,
    LAGGING,
    ON_SCHEDULE,
    SEVERELY_LAGGING,
    Judgement,
    Submission,
    UnitResult,
)
from supervision_bulletin.kinsoku import NO_LINE_END, NO_LINE_START
from supervision_bulletin.model import Indicator

CN_NUMERALS = "一二三四五六七八九十"
# Characters a title line may not start with (GB/T 9704: no punctuation at line
# ends except book-title marks; nor at line starts, as in any Chinese text).
# After these a title reads naturally broken: particles and common word ends.
_GOOD_BREAK_AFTER = set("的于和及与在年度动况作务展区县市局府室案划革设查题")


def chinese_date(day: dt.date) -> str:
    """2023年9月27日: Arabic numerals, year in full, no zero padding."""
    return f"{day.year}年{day.month}月{day.day}日"


def heading_numeral(index: int) -> str:
    """1 → 一, 12 → 十二 (headings up to 99)."""
    if index <= 10:
        return CN_NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def number(value: float | None) -> str:
    """126 → "126"; 80.456 → "80.46"; None → "—"."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(share: float | None) -> str:
    """0.805 → "80.5%"."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}%"


def points(share: float) -> str:
    """A gap in shares of the target as percentage points: 0.055 → "5.5"."""
    return f"{abs(share) * 100:.1f}"


def quantity(indicator: Indicator, value: float | None) -> str:
    """A value with its unit of measure: "80.5亿元", "60%"."""
    return f"{number(value)}{indicator.measure}"


def target_text(indicator: Indicator) -> str:
    if indicator.type == "定性":
        return "定性"
    sign = "≤" if indicator.is_ceiling else ""
    return f"{sign}{number(indicator.target)}"


def value_text(judgement: Judgement) -> str:
    report = judgement.report
    if report is None:
        return "未报送"
    if report.status_word is not None:
        return report.status_word
    return number(report.value)


def indicator_label(indicator: Indicator) -> str:
    """The indicator's name with its unit: 完成重大项目投资（亿元）."""
    return f"{indicator.name}（{indicator.measure}）" if indicator.measure and indicator.measure != "%" else indicator.name


# What a unit reported of a 定性 indicator ("报送进度滞后" read as "reported late").
QUALITATIVE_PHRASES = {"已完成": "已完成", "推进中": "正在按计划推进", "滞后": "推进滞后"}


def evidence(judgement: Judgement) -> str:
    """One clause with the figures behind a status, for the body text."""
    indicator = judgement.indicator
    name = quoted(indicator.name) + ("分解任务" if indicator.is_share else "")
    if judgement.report is None:
        return f"{name}未报送{judgement.month}月进展情况"
    if indicator.type == "定性":
        return f"{name}{QUALITATIVE_PHRASES[judgement.report.status_word or '']}"
    value = quantity(indicator, judgement.value)
    if indicator.type == "水平":
        return f"{name}为{value}，目标为{target_text(indicator)}{indicator.measure}，{level_relation(judgement)}"
    goal = "分解目标" if indicator.is_share else "年度目标"  # a unit's share is its own target
    if judgement.status == COMPLETED and not indicator.is_ceiling:
        return f"{name}完成{value}，为{goal}的{percent(judgement.completion)}，已完成全年{goal.removeprefix('年度')}"
    if indicator.is_ceiling:
        text = f"{name}累计{value}，{'分解' if indicator.is_share else '年度'}上限{number(indicator.target)}{indicator.measure}"
    elif not judgement.value:
        # "完成0家，为年度目标的0.0%" reads as a sum done; nothing is done yet.
        text = f"{name}尚未完成（{goal}{number(indicator.target)}{indicator.measure}）"
    else:
        text = f"{name}完成{value}，为{goal}的{percent(judgement.completion)}"
    gap = judgement.gap
    if gap is None:
        return text
    if indicator.is_ceiling:
        if gap >= 0:
            return f"{text}，控制在序时进度以内"
        return f"{text}，超出序时控制进度{points(gap)}个百分点"
    if gap >= 0:
        return f"{text}，超出序时进度{points(gap)}个百分点"
    return f"{text}，低于序时进度{points(gap)}个百分点"


LEVEL_WORDS = {AHEAD: "优于目标", ON_SCHEDULE: "达到目标", LAGGING: "低于目标", SEVERELY_LAGGING: "明显低于目标"}


def level_relation(judgement: Judgement) -> str:
    """A 水平 indicator is a level, not progress: never 序时 (supervision.md)."""
    return LEVEL_WORDS.get(judgement.status, "达到目标") + "要求"


def status_text(judgement: Judgement) -> str:
    """The status as a table prints it: levels in their own words."""
    if judgement.indicator.type == "水平":
        return LEVEL_WORDS.get(judgement.status, judgement.status)
    return judgement.status


def reported_problem(judgement: Judgement, limit: int = 60) -> str:
    """The unit's own account of the lag (存在问题), its first sentence, for quoting."""
    report = judgement.report
    if report is None or not report.problems.strip():
        return ""
    first = re.split(r"(?<=[。！？；;])", report.problems.strip())[0].rstrip("。！？；;，, ")
    if len(first) > limit:
        first = first[: limit - 1] + "…"
    return first


def lagging_run(judgement: Judgement) -> str:
    """连续两个月滞后, 连续三个季度滞后 …: how long the indicator has been behind, counted
    in the cut-offs of its class (months for monthly reports, quarters for bulletins and
    for an indicator reported quarterly)."""
    return run_span(judgement) + "滞后"


def run_span(judgement: Judgement) -> str:
    unit = "个月" if judgement.months_apart == 1 else "个季度"
    return f"连续{count_word(judgement.lag_run)}{unit}"


def count_word(count: int) -> str:
    """A count before a measure word: 两个月, 三个季度 (2 is 两, never 二)."""
    return "两" if count == 2 else heading_numeral(count)


def escalation_reason(unit: UnitResult, noticed: str = "") -> str:
    """Why a criticised unit's notice is escalated: criticised at the bulletins before
    this one too (as many in a row as there were; ``noticed`` follows: 并下发督办通知),
    or a notice left unanswered."""
    if unit.overdue and not unit.criticised_before:
        return f"督办通知（{'、'.join(unit.overdue)}）逾期未反馈"
    # Escalated for a notice sent at the previous bulletin: criticised then, at least.
    in_a_row = max(unit.criticised_before, 1) + 1
    return f"连续{count_word(in_a_row)}个季度被通报批评{noticed}"


def lag_note(judgement: Judgement) -> str:
    """The clause after the evidence that says how long an indicator has been behind,
    or "" when it is behind for the first time: 滞后 again is 连续…滞后, and a 定性
    indicator reported 滞后 again is 严重滞后 for that very reason (supervision.md)."""
    if judgement.lagging_twice:
        return f"，{lagging_run(judgement)}"
    if judgement.indicator.type == "定性" and judgement.status == SEVERELY_LAGGING and judgement.lag_run > 1:
        return f"，已{run_span(judgement)}，属严重滞后"
    return ""


def days_late(submission: Submission) -> str:
    """逾期3个工作日: lateness counted on the working calendar, as deadlines are."""
    return f"逾期{submission.days_late}个工作日" if submission.days_late else "逾期报送"


def quoted(text: str) -> str:
    """“text”, with quotes inside it turned to single quotes as Chinese nesting requires."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def break_title(title: str, max_chars: int = 20) -> tuple[str, ...]:
    """Break a long title into balanced lines, at natural places, longest last.

    GB/T 9704 asks for a trapezoid or diamond and no punctuation at line ends;
    a title that fits on one line with room either side stays whole (one that
    would fill the line edge to edge reads as body text, not a centred title).
    """
    if len(title) <= max_chars - 2:
        return (title,)
    count = max(2, math.ceil(len(title) / max_chars))
    lines: list[str] = []
    rest = title
    while count > 1:
        ideal = len(rest) // count  # earlier lines a little shorter: a trapezoid
        cut = best_break(rest, ideal, max_chars)
        lines.append(rest[:cut])
        rest = rest[cut:]
        count -= 1
    lines.append(rest)
    return tuple(lines)


def best_break(text: str, ideal: int, max_chars: int) -> int:
    def cost(cut: int) -> float:
        penalty = abs(cut - ideal)
        if text[cut - 1] not in _GOOD_BREAK_AFTER:
            penalty += 2
        if text[cut - 1].isdigit() and text[cut].isdigit():
            penalty += 100  # never split a number
        if text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END:
            penalty += 100
        if inside_book_title(text, cut):
            penalty += 50
        return penalty

    candidates = range(max(1, ideal - 5), min(len(text) - 1, max_chars) + 1)
    return min(candidates, key=lambda cut: (cost(cut), -cut))


def inside_book_title(text: str, cut: int) -> bool:
    return text[:cut].count("《") > text[:cut].count("》")
