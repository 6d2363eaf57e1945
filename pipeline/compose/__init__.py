"""Compose stage: turn a cycle's judgements into the words of its documents.

Every sentence of every document is decided here, once, as an
OfficialDocument; the renderers only lay it out. Nothing here is specific to
one campaign: names, units and figures all come from the inputs. One module
per document kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline import wording as w
from pipeline.periods import Period


@dataclass(frozen=True)
class Issue:
    """What the registry and the calendar give a document: its number and date."""

    number: str | None
    date: dt.date
    draft: bool = False


def period_phrase(period: Period) -> str:
    """How the period reads inside a campaign name that already has the year."""
    return {
        "month": f"{period.index}月份",
        "quarter": f"第{w.heading_numeral(period.index)}季度",
        "half": "上半年" if period.index == 1 else "下半年",
        "year": "全年",
    }[period.kind]
