"""The quarterly bulletin (季度通报): progress by domain, commended and criticised units."""

from __future__ import annotations

import datetime as dt

from pipeline import wording as w
from pipeline.compose import (
    Issue,
    attachments_labelled,
    numbered_sections,
    period_phrase,
    standard_document,
)
from pipeline.compose.notice import Escalations, notices_paragraph
from pipeline.document import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from pipeline.evaluate import (
    AHEAD,
    COMPLETED,
    GOOD_STATUSES,
    LAGGING,
    NOT_REPORTED,
    SEVERELY_LAGGING,
    STATUSES,
    CycleResult,
    Judgement,
    UnitResult,
)
from pipeline.periods import Period


def compose_quarterly_bulletin(result: CycleResult, issue: Issue, escalated: Escalations | None = None) -> OfficialDocument:
    """``escalated``: criticised units sent a notice at the previous bulletin too (升级督办)."""
    campaign = result.campaign
    period = result.period
    title = f"关于{campaign.name}{period_phrase(period)}推进情况的通报"
    table_name = f"{period.chinese}重点指标推进情况表"
    sections = (
        ("总体进展情况", overall_progress(result)),
        ("表扬单位", commendations(result)),
        ("通报批评单位", criticisms(result) + notices(result, escalated or {}, issue)),
        ("下步工作要求", requirements(result, issue.date)),
    )
    return standard_document(
        campaign,
        issue,
        kind="quarterly_bulletin",
        title=title,
        body=numbered_sections(opening(result), sections),
        attachments=attachments_labelled((table_name, (indicator_table(result),))),
        commended=tuple(u.unit for u in result.commended),
        criticised=tuple(u.unit for u in result.criticised),
        slug=f"{period.label}-季度通报",
    )


def opening(result: CycleResult) -> Paragraph:
    campaign = result.campaign
    period = result.period
    return Paragraph(
        f"按照{campaign.name}“月督查、季通报、半年总结、年底交账”工作要求，{campaign.issuer}"
        f"对截至{period.end_month}月底{len(result.plan.tasks)}项重点任务、{len(result.judgements)}项指标的"
        f"推进情况进行了督查。现将有关情况通报如下。"
    )


def status_summary(result: CycleResult, judgements: tuple[Judgement, ...]) -> str:
    counts = result.status_counts(judgements)
    parts = [f"{status}{counts[status]}项" for status in STATUSES if counts[status]]
    return "，".join(parts)


def overall_progress(result: CycleResult) -> list[Block]:
    judgements = result.judgements
    good = sum(1 for j in judgements if j.status in GOOD_STATUSES)
    share = good / len(judgements) if judgements else 0
    blocks: list[Block] = [
        Paragraph(
            f"截至{result.period.end_month}月底，{len(judgements)}项指标中，{status_summary(result, judgements)}；"
            f"达到序时进度及以上的{good}项，占{w.percent(share)}。"
        )
    ]
    for index, (domain, items) in enumerate(result.by_domain().items(), start=1):
        if not items:
            continue
        blocks.append(Heading(2, f"（{w.heading_numeral(index)}）{domain}"))
        blocks.append(Paragraph(domain_paragraph(result, items)))
    return blocks


def domain_paragraph(result: CycleResult, items: tuple[Judgement, ...]) -> str:
    sentences = [f"本领域{len(items)}项指标，{status_summary(result, items)}。"]
    highlights = [j for j in items if j.status in (COMPLETED, AHEAD) and j.indicator.type != "定性"]
    if highlights:
        sentences.append("；".join(w.evidence(j) for j in highlights) + "。")
    behind = [j for j in items if j.status in (LAGGING, SEVERELY_LAGGING, NOT_REPORTED)]
    if behind:
        named = "；".join(f"{w.evidence(j)}（{'、'.join(j.indicator.units)}）" for j in behind)
        sentences.append(f"需加快推进的有：{named}。")
    return "".join(sentences)


def commendations(result: CycleResult) -> list[Block]:
    return units_with_evidence(
        result.commended,
        result.period,
        verdict="措施扎实、成效明显，所负责指标均达到序时进度以上，且按时报送进展情况，予以通报表扬。",
        none="本期没有全部指标达到序时进度且按时报送、成效突出的单位。",
    )


def criticisms(result: CycleResult) -> list[Block]:
    return units_with_evidence(
        result.criticised,
        result.period,
        verdict="行动迟缓、推进不力，存在指标严重滞后、未按要求报送或连续滞后等问题，予以通报批评。",
        none="本期没有指标严重滞后、未报送或连续滞后的单位。",
    )


def units_with_evidence(units: tuple[UnitResult, ...], period: Period, verdict: str, none: str) -> list[Block]:
    """The verdict on the units by name, then each unit with the figures behind it."""
    if not units:
        return [Paragraph(none)]
    names = "、".join(u.unit for u in units)
    who = f"{names}等{len(units)}个单位" if len(units) > 1 else names
    blocks: list[Block] = [Paragraph(f"{who}{verdict}")]
    for index, unit in enumerate(units, start=1):
        blocks.append(Paragraph(unit_evidence(unit, period) + "。", lead=f"{index}.{unit.unit}。"))
    return blocks


def notices(result: CycleResult, escalated: Escalations, issue: Issue) -> list[Block]:
    """The 督办通知 sent with the bulletin, and which of them are escalated."""
    paragraph = notices_paragraph(result, escalated, issue.date)
    return [paragraph] if paragraph else []


def unit_evidence(unit: UnitResult, period: Period) -> str:
    """The figures behind a unit's commendation or criticism, one clause each."""
    clauses = []
    for judgement in unit.evidence:
        clause = w.evidence(judgement)
        if judgement.lagging_twice:
            clause += f"，{w.lagging_twice(period.kind)}"
        elif judgement.status == SEVERELY_LAGGING and judgement.indicator.type != "定性":
            clause += f"，{judgement.status}"
        clauses.append(clause)
    return "；".join(clauses)


def requirements(result: CycleResult, issued: dt.date) -> list[Block]:
    campaign = result.campaign
    return [
        Heading(2, "（一）对标对表，加快进度"),
        Paragraph(
            "各责任单位要对照年度目标和序时进度，逐项梳理所负责指标的完成情况。被通报批评的单位要认真分析原因，"
            "制定针对性措施，明确时间节点和责任人，确保滞后指标尽快赶上序时进度。"
        ),
        Heading(2, "（二）按时报送，确保质量"),
        Paragraph(
            f"各单位要于每月{campaign.report_due_day}日前报送上月进展情况，做到数据真实、准确、完整，"
            "进展情况、存在问题和下步措施要具体明确，不得迟报、漏报。"
        ),
        Heading(2, "（三）强化督查，压实责任"),
        Paragraph(
            f"{campaign.issuer}将持续跟踪督办，督查结果纳入年度综合考核加减分事项，"
            "对措施扎实、成效明显的单位予以表扬，对行动迟缓、推进不力的单位予以通报批评。"
        ),
    ]


TABLE_COLUMNS = ("序号", "指标", "目标值", "完成值", "完成率", "序时进度", "状态", "责任单位")
TABLE_WIDTHS = (8, 42, 13, 15, 15, 15, 20, 28)  # mm of the 156 mm block


def indicator_table(result: CycleResult) -> Table:
    """The attachment: every indicator with the figures behind its status."""
    rows: list[tuple[str, ...]] = []
    group_rows = set()
    serial = 0
    for index, (domain, items) in enumerate(result.by_domain().items(), start=1):
        if not items:
            continue
        group_rows.add(len(rows))
        rows.append((f"{w.heading_numeral(index)}、{domain}",) + ("",) * (len(TABLE_COLUMNS) - 1))
        for judgement in items:
            serial += 1
            rows.append(indicator_row(serial, judgement))
    return Table(TABLE_COLUMNS, tuple(rows), TABLE_WIDTHS, frozenset(group_rows))


def indicator_row(serial: int, judgement: Judgement) -> tuple[str, ...]:
    indicator = judgement.indicator
    return (
        str(serial),
        f"{indicator.id} {w.indicator_label(indicator)}",
        w.target_text(indicator),
        w.value_text(judgement),
        w.percent(judgement.completion),
        w.percent(judgement.benchmark_share) if indicator.type == "累计" else "—",
        judgement.status,
        "、".join(indicator.units),
    )
