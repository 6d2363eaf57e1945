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
from pipeline.document import Attachment, Block, Colophon, Heading, OfficialDocument
from pipeline.model import Campaign
from pipeline.periods import Period


@dataclass(frozen=True)
class Issue:
    """What the record and the calendar give a document: its number, date and cut-off."""

    number: str | None
    date: dt.date
    draft: bool = False
    cutoff: dt.date | None = None  # the last day of data judged; the issue date unless given


def period_phrase(period: Period) -> str:
    """How the period reads inside a campaign name that already has the year."""
    return {
        "month": f"{period.index}月份",
        "quarter": f"第{w.heading_numeral(period.index)}季度",
        "half": "上半年" if period.index == 1 else "下半年",
        "year": "全年",
    }[period.kind]


def attachments_labelled(*parts: tuple[str, tuple[Block, ...]]) -> tuple[Attachment, ...]:
    """(title, blocks) pairs → Attachments labelled 附件, or 附件1, 附件2 … when several."""
    if len(parts) == 1:
        title, blocks = parts[0]
        return (Attachment("附件", title, blocks),)
    return tuple(Attachment(f"附件{i}", title, blocks) for i, (title, blocks) in enumerate(parts, start=1))


def numbered_sections(opening: Block, sections) -> tuple[Block, ...]:
    """The opening paragraph, then each (heading, blocks) under "一、" "二、" …"""
    body = [opening]
    for index, (heading, blocks) in enumerate(sections, start=1):
        body.append(Heading(1, f"{w.heading_numeral(index)}、{heading}"))
        body.extend(blocks)
    return tuple(body)


def standard_document(
    campaign: Campaign,
    issue: Issue,
    *,
    kind: str,
    title: str,
    body: tuple[Block, ...],
    attachments: tuple[Attachment, ...] = (),
    slug: str,
    commended: tuple[str, ...] = (),
    criticised: tuple[str, ...] = (),
) -> OfficialDocument:
    """A document in the standard layout, addressed to the campaign's recipients,
    signed by the issuer, with the campaign's colophon: what every cycle's main
    document shares."""
    date = w.chinese_date(issue.date)
    return OfficialDocument(
        kind=kind,
        layout="standard",
        issuer=campaign.issuer,
        issuer_mark=campaign.issuer,
        number=None if issue.draft else issue.number,
        title=title,
        title_lines=w.break_title(title),
        recipients=campaign.recipients,
        body=body,
        attachment_names=tuple(attachment.title for attachment in attachments),
        signature=campaign.issuer,
        date=date,
        attachments=attachments,
        colophon=Colophon(campaign.cc, campaign.printer or campaign.issuer, date),
        draft=issue.draft,
        commended=commended,
        criticised=criticised,
        slug=slug,
        issued=issue.date,
        cutoff=issue.cutoff or issue.date,
    )
