"""Compose stage: turn a cycle's judgements into the words of its documents.

Every sentence of every document is decided here, once, as an
OfficialDocument; the renderers only lay it out. Nothing here is specific to
one campaign: names, units and figures all come from the inputs. One module
per document kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from supervision_bulletin import wording as w
from supervision_bulletin.document import Attachment, Block, Colophon, Heading, OfficialDocument
from supervision_bulletin.model import Campaign
from supervision_bulletin.periods import Period


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


def supervision_basis(campaign: Campaign) -> str:
    """The opening's first words: the plan supervised and the rhythm it sets."""
    plan = campaign.plan_document or campaign.name
    return f"按照{plan}“月督查、季通报、半年总结、年底交账”工作要求"


def supervision_method(campaign: Campaign, cutoff: dt.date) -> str:
    """How the figures were gathered and judged, as the opening says it."""
    return (
        f"{campaign.issuer}根据各责任单位截至{w.chinese_date(cutoff)}报送的进展情况和佐证材料，"
        "对照年度目标和序时进度逐项核对"
    )


def overall_assessment(good_share: float, severe_or_missing: int) -> str:
    """总体评价: one sentence after the figures, from the share of indicators on track."""
    if good_share >= 0.9 and not severe_or_missing:
        return "总体看，各项工作推进有力，绝大多数指标达到序时进度或目标要求。"
    if good_share >= 0.75:
        return "总体看，各项工作推进平稳，但仍有部分指标进度滞后，相关责任单位需加大工作力度。"
    return "总体看，工作推进偏慢，滞后指标较多，各责任单位必须采取有力措施，加快追赶进度。"


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
