"""Checks on words and names that DOCX and PDF share: document numbers, dates, faces."""

from __future__ import annotations

import re
import unicodedata

# --- Document number (发文字号) ------------------------------------------------

NUMBER = re.compile(r"^(?P<code>[^〔〕\s]+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
# Anything that looks like a document number, right or wrong, so that a wrong
# one is found at all: any bracket, a short year, 第, leading zeros.
NUMBER_LIKE = re.compile(r"[〔\[［(（【]\s*\d{2,4}\s*[〕\]］)）】]\s*第?\s*\d+\s*号")


MENTION = re.compile(r"^〔\d{4}〕[1-9]\d*号$")


def mention_problems(text: str) -> list[str]:
    """Problems of the documents numbers cited in running text ("…通报》（老城督查〔2023〕1号）")."""
    problems = []
    for match in NUMBER_LIKE.finditer(text):
        cited = re.sub(r"\s+", "", match.group(0))
        if not MENTION.match(cited):
            problems += [f"引用的发文字号“{cited}”：{problem}" for problem in number_problems(cited, cited=True)]
    return problems


def number_problems(text: str, cited: bool = False) -> list[str]:
    """What is wrong with a document number, in Chinese; empty when it is right.

    ``cited``: only the part from the year on is at hand (a number quoted in text).
    """
    text = text.strip()
    if NUMBER.match(text) or (cited and MENTION.match(text)):
        return []
    problems = []
    if "〔" not in text or "〕" not in text:
        problems.append("年份应用六角括号〔〕括入")
    year = re.search(r"[〔\[［(（【]\s*(\d+)\s*[〕\]］)）】]", text)
    if year and len(year.group(1)) != 4:
        problems.append("年份应标全称（4 位）")
    if "第" in text:
        problems.append("序号前不加“第”字")
    serial = re.search(r"[〕\]］)）】]\s*第?\s*(\d+)", text)
    if serial and serial.group(1).startswith("0"):
        problems.append(f"序号不编虚位（{serial.group(1)} 应为 {int(serial.group(1))}）")
    if not text.endswith("号"):
        problems.append("序号后应加“号”字")
    if re.search(r"\s", text):
        problems.append("字号中不应有空格")
    return problems or ["格式应为“机关代字〔年份〕序号号”"]


# --- Dates ----------------------------------------------------------------------

_CN_DIGITS = "〇零一二三四五六七八九十"
DATE_LIKE = re.compile(
    rf"(?P<year>\d{{2,4}}|[{_CN_DIGITS}]{{2,4}})年"
    rf"(?P<month>\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})月"
    rf"(?:(?P<day>\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})日)?"
)


def date_problems(text: str) -> list[str]:
    """Each written date of ``text`` that breaks the rules, with what is wrong."""
    problems = []
    for match in DATE_LIKE.finditer(text):
        date = match.group(0)
        year, month, day = match.group("year"), match.group("month"), match.group("day")
        if any(part and not part.isdigit() for part in (year, month, day)):
            problems.append(f"“{date}”应使用阿拉伯数字")
            continue
        if len(year) != 4:
            problems.append(f"“{date}”年份应标全称")
        padded = [part for part in (month, day) if part and part.startswith("0")]
        if padded:
            fixed = f"{year}年{int(month)}月" + (f"{int(day)}日" if day else "")
            problems.append(f"“{date}”月、日不编虚位，应为“{fixed}”")
    return problems


# --- Punctuation ------------------------------------------------------------------

# Closing punctuation (点号 and the closing halves of 标号) that must not open a
# line. Dashes and ellipses may (they only must not be split), so they are not here.
CLOSING_PUNCTUATION = set("，。、；：？！）》」』】〕〉”’·%‰℃,.;:?!)]}>")


def is_wide(text: str) -> bool:
    """Whether a glyph's text is set one character wide (CJK, full-width forms, emoji).

    A glyph's text may be several characters (a ligature "ﬁ" reads as "fi") or
    none a reader could pair up (a lone surrogate): it is wide if all of it is.
    """
    return bool(text) and all(unicodedata.east_asian_width(character) in "WF" for character in text)


# --- Faces -----------------------------------------------------------------------

# Style of a face from any of its names (Word font name, PostScript name, CSS
# family of the PDF renderer). Order matters: 小标宋 before 宋.
_STYLE_MARKERS = (
    ("xbs", ("小标宋", "xiaobiaosong", "fzxbs", "fandolsong-bold", "fandolsong bold", "gw-xbs")),
    ("fang", ("仿宋", "fangsong", "fandolfang", "fzfs", "gw-fang")),
    ("kai", ("楷", "kaiti", "fandolkai", "fzkt", "gw-kai")),
    ("hei", ("黑体", "simhei", "heiti", "fandolhei", "fzht", "notosanscjk", "noto sans cjk",
             "sourcehansans", "source han sans", "gw-hei")),
    ("song", ("宋体", "simsun", "songti", "fandolsong", "fzss", "notoserifcjk", "noto serif cjk",
              "sourcehanserif", "source han serif", "gw-song")),
)
# CJK faces drawn with the glyph forms of another region (Japanese, Korean,
# traditional Chinese) are no stand-in for a simplified Chinese official face.
_OTHER_REGION = re.compile(r"cjk\s*-?(jp|kr|tc|hk)\b|cjkjp|cjkkr|cjktc|cjkhk", re.IGNORECASE)

STYLE_NAMES = {"xbs": "小标宋", "fang": "仿宋", "kai": "楷体", "hei": "黑体", "song": "宋体"}


def face_style(name: str | None) -> str | None:
    """"fang", "kai", "hei", "song", "xbs", or None for a face of no official style."""
    if not name:
        return None
    lowered = name.split("+", 1)[-1].lower()
    if _OTHER_REGION.search(lowered):
        return None
    for style, markers in _STYLE_MARKERS:
        if any(marker in lowered for marker in markers):
            return style
    return None


def style_name(style: str | None) -> str:
    return STYLE_NAMES.get(style or "", "非公文字体")
