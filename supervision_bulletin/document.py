"""The format-neutral model of one official document.

Every renderer (DOCX, HTML, PDF) reads only these records, so the three files of
a document cannot disagree: whatever text appears in one was decided here.
All strings are final display text (already formatted numbers, dates, full-width
punctuation); renderers add layout, never words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``text`` includes its numeral ("一、总体进展")."""

    level: int  # 1: "一、" 黑体; 2: "（一）" 楷体; 3: "1." 仿宋 bold
    text: str
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: first line indented two characters, justified.

    ``lead`` is an optional run-in heading printed before the text in the
    paragraph's own line (e.g. "1.区科工局。" in bold), as official documents
    often do for level-3 items.
    """

    text: str
    lead: str = ""
    kind: Literal["paragraph"] = "paragraph"


# Where the text of a table cell may break between words: after a space, a
# pause mark or a closing bracket, before an opening bracket. Elsewhere (inside
# "序号", "序时进度", "103.7%") a header never breaks; see supervision_bulletin.render.table_layout.
BREAK_AFTER = set("、，；：。！？）】》」』〕”’/")
BREAK_BEFORE = set("（【《「『〔“‘")


def table_words(text: str) -> tuple[str, ...]:
    """The pieces of a table cell's text that stay whole on a line.

    "超额完成指标（项）" → ("超额完成指标", "（项）"); "区发改委、区住建局" →
    ("区发改委、", "区住建局"); "序时进度" → ("序时进度",). Spaces are dropped."""
    words: list[str] = []
    current = ""
    for character in text:
        if character.isspace():
            if current:
                words.append(current)
            current = ""
            continue
        if character in BREAK_BEFORE and current:
            words.append(current)
            current = ""
        current += character
        if character in BREAK_AFTER:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return tuple(words)


@dataclass(frozen=True)
class Table:
    """A table of display strings.

    ``widths`` are the columns' widths in mm of the 156 mm text block (any
    relative weights will do: they are scaled to the block); the renderers widen a
    column that is narrower than its header's longest word or its figures (see
    supervision_bulletin.render.table_layout.minimum_width_mm) at the others' expense."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    # Rows whose first cell spans the whole width (e.g. a domain heading inside
    # the attachment table), by row index.
    group_rows: frozenset[int] = frozenset()
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class Figure:
    """A chart: the same picture as SVG (HTML/PDF) and PNG (DOCX)."""

    svg: str
    png: bytes
    caption: str
    width_mm: float = 150.0
    kind: Literal["figure"] = "figure"


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Attachment:
    """An attachment after the body: "附件1" top left, title centred."""

    label: str  # "附件" or "附件1"
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送 line (optional) and 印发机关 / 印发日期."""

    cc: tuple[str, ...]
    printer: str
    print_date: str  # "2023年10月9日"

    @property
    def cc_line(self) -> str:
        """GB/T 9704: "抄送：" then the organs joined by "，", ending with "。"."""
        return f"抄送：{'，'.join(self.cc)}。" if self.cc else ""

    @property
    def printed_on(self) -> str:
        """The right-hand part of the 印发 line: "2023年10月9日印发"."""
        return f"{self.print_date}印发"


# The kinds of document, in the order of the supervision calendar, by their Chinese names.
KIND_NAMES = {
    "monthly_report": "月度督查通报",
    "quarterly_bulletin": "季度通报",
    "half_year_summary": "半年工作通报",
    "year_end_account": "年底交账通报",
    "notice": "督办通知",
}


@dataclass(frozen=True)
class OfficialDocument:
    kind: str  # monthly_report, quarterly_bulletin, half_year_summary, year_end_account, notice
    layout: Literal["standard", "letter"]
    issuer: str  # 发文机关 as signed
    issuer_mark: str  # the red 发文机关标志 text
    number: str | None  # "老城督查〔2023〕3号"; None for a draft
    title: str
    title_lines: tuple[str, ...]  # the title broken for a trapezoid layout
    recipients: str  # 主送, without the final colon
    body: tuple[Block, ...]
    attachment_names: tuple[str, ...]  # for the 附件说明 line(s)
    signature: str
    date: str  # 成文日期 "2023年10月8日"
    attachments: tuple[Attachment, ...] = ()
    colophon: Colophon | None = None
    unit: str | None = None  # the addressee of a notice
    draft: bool = False  # 征求意见稿 marking
    # Units commended / criticised by this document, for the manifest.
    commended: tuple[str, ...] = ()
    criticised: tuple[str, ...] = ()
    # Base name of the files written for this document, without extension.
    slug: str = field(default="document")
    # For the record and the manifest: 成文日期, the last day of data judged, the
    # answer deadline of a notice, and whether the notice escalates (升级督办).
    issued: dt.date | None = None
    cutoff: dt.date | None = None
    deadline: dt.date | None = None
    escalated: bool = False
    answer_state: str = ""  # a notice's answer as known at the build (未到期, 按期反馈 …)
    subjects: tuple[str, ...] = ()  # a notice's indicators behind the criticism ("1-1 实施重大项目")

    @property
    def marking(self) -> str:
        """The marking printed top right of page 1 (征求意见稿 for a draft)."""
        return "征求意见稿" if self.draft else ""

    @property
    def attachment_note(self) -> tuple[str, ...]:
        """The 附件说明 lines: "附件：名称" or numbered when several."""
        names = self.attachment_names
        if not names:
            return ()
        if len(names) == 1:
            return (f"附件：{names[0]}",)
        first = f"附件：1.{names[0]}"
        rest = tuple(f"{i}.{name}" for i, name in enumerate(names[1:], start=2))
        return (first, *rest)
