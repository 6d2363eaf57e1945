"""The half-year summary (半年总结): the first half by domain, in the units' own words.

Contents (supervision.md): progress by domain with the units' narrative
(进展情况 / 存在问题 / 下步措施) condensed per domain, a chart of completion
against benchmark by domain, the commended and criticised units, and the focus
of the second half.

Condensing: for each indicator the latest report of the half year speaks for
it (a later report supersedes an earlier one); its sentences are pooled per
domain, duplicates dropped, and a few per heading are quoted, the indicators
that matter most for that heading first (the best results for 进展, the worst
shortfalls for 问题 and 措施). Nothing is dropped silently: attachment 2 prints
every indicator's latest narrative in full, and the body says so.

The second half (2023-H2) has no summary of its own: the year-end account
(年底交账) reviews the whole year, so only the first half is a cycle here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from supervision_bulletin import wording as w
from supervision_bulletin.compose import (
    Issue,
    attachments_labelled,
    numbered_sections,
    period_phrase,
    standard_document,
    supervision_basis,
    supervision_method,
)
from supervision_bulletin.compose.bulletin import (
    assessment_sentence,
    commendations,
    criticisms,
    domain_paragraph,
    indicator_attachment,
    late_counts,
    notices,
    reports_owed_sentence,
    shares_attachment,
    status_summary,
    with_follow_up,
)
from supervision_bulletin.compose.follow_up import follow_up_section
from supervision_bulletin.compose.notice import Escalations
from supervision_bulletin.compose.units_table import marks_sentence, units_attachment
from supervision_bulletin.document import (
    Block,
    Figure,
    Heading,
    OfficialDocument,
    Paragraph,
)
from supervision_bulletin.evaluate import (
    AHEAD,
    COMPLETED,
    GOOD_STATUSES,
    LAGGING,
    NOT_REPORTED,
    SEVERELY_LAGGING,
    CycleResult,
    Judgement,
)
from supervision_bulletin.follow_up import FollowUp
from supervision_bulletin.model import Report

QUOTES_PER_HEADING = 3  # sentences quoted per domain and heading in the body
NARRATIVE_FIELDS = (("progress", "主要进展"), ("problems", "存在问题"), ("next_steps", "下步措施"))
# Which indicators speak first under each heading.
PROGRESS_ORDER = {COMPLETED: 0, AHEAD: 1}
SHORTFALL_ORDER = {SEVERELY_LAGGING: 0, NOT_REPORTED: 1, LAGGING: 2}
_SENTENCE_END = re.compile(r"(?<=[。！？])")
_TRAILING_PUNCTUATION = "。！？；，、 "


def compose_half_year_summary(
    result: CycleResult,
    issue: Issue,
    escalated: Escalations | None = None,
    follow: FollowUp | None = None,
    previous: CycleResult | None = None,
) -> OfficialDocument:
    campaign = result.campaign
    period = result.period
    if period.kind != "half" or period.index != 1:
        raise ValueError(f"{period.label}：半年总结只针对上半年，下半年由年底交账总结")
    title = f"关于{campaign.name}{period_phrase(period)}工作情况的通报"
    table_name = f"{period.chinese}重点指标推进情况表"
    narrative_name = f"{period.chinese}各指标进展情况汇总"
    units_name = f"{period.chinese}各单位推进情况表"
    latest = latest_reports(result)
    sections = with_follow_up((
        ("总体进展情况", overall(result) + [Paragraph(marks_sentence(result, follow, units_name, "附件3"))]),
        ("各领域推进情况", domains(result, latest)),
        ("表扬单位", commendations(result)),
        ("通报批评单位", criticisms(result) + notices(result, escalated or {}, issue)),
        ("下半年工作重点", second_half_focus(result)),
    ), follow_up_section(follow, bulletin=True))
    return standard_document(
        campaign,
        issue,
        kind="half_year_summary",
        title=title,
        body=numbered_sections(opening(result), sections),
        attachments=attachments_labelled(
            (table_name, indicator_attachment(result, previous)),
            (narrative_name, narrative_attachment(result, latest)),
            (units_name, units_attachment(result, follow)),
            *filter(None, [shares_attachment(result)]),
        ),
        commended=tuple(u.unit for u in result.commended),
        criticised=tuple(u.unit for u in result.criticised),
        slug=f"{period.label}-半年工作通报",
    )


def plain_percent(share: float) -> str:
    """A rule's threshold as people say it: 0.1 → "10%", 0.125 → "12.5%"."""
    return f"{share * 100:.4g}%"


def opening(result: CycleResult) -> Paragraph:
    campaign = result.campaign
    return Paragraph(
        f"{supervision_basis(campaign)}，{supervision_method(campaign, result.as_of)}，对{result.period.chinese}"
        f"{len(result.plan.tasks)}项重点任务、{len(result.judgements)}项指标的推进情况进行了总结，"
        "并对各单位报送的进展情况、存在问题和下步措施进行了梳理。现将有关情况通报如下。"
    )


def overall(result: CycleResult) -> list[Block]:
    judgements = result.judgements
    good = sum(1 for j in judgements if j.status in GOOD_STATUSES)
    share = good / len(judgements) if judgements else 0
    month = result.period.end_month
    figure, note = completion_figure(result, f"图1　截至{month}月底各领域累计类指标平均完成率与序时进度", "平均序时进度")
    return [
        Paragraph(
            f"截至{month}月底，{len(judgements)}项指标中，{status_summary(result, judgements)}；"
            f"达到序时进度或目标要求的{good}项，占{w.percent(share)}。{note}{assessment_sentence(result)}"
        ),
        figure,
    ]


def completion_figure(result: CycleResult, caption: str, benchmark_label: str) -> tuple[Figure, str]:
    """The chart of completion against benchmark by domain, and the sentence that explains it."""
    # matplotlib (and numpy) load here, only for the documents that draw the chart.
    from supervision_bulletin.charts import completion_chart, domain_progress

    by_domain = result.by_domain()
    rows = domain_progress(by_domain)
    chart = completion_chart(rows, benchmark_label=benchmark_label)
    without = [row.domain for row in rows if row.measured == 0]
    # An unreported indicator has no share done: left out of its domain's bar, and said
    # so, or the bar would read as the whole domain (100% beside a domain 未完成1项).
    unreported: dict[str, int] = {}
    for domain, judgements in by_domain.items():
        for j in judgements:
            if j.indicator.type == "累计" and not j.indicator.is_ceiling and j.report is None:
                unreported[domain] = unreported.get(domain, 0) + 1
    note = (
        f"各领域累计类指标的平均完成率与{benchmark_label.removeprefix('平均')}对比见图1"
        "（单项完成率超过100%的按100%计"
    )
    if unreported:
        note += "；未报送的指标未计入：" + "、".join(f"{domain}领域{count}项" for domain, count in unreported.items())
    note += f"；{'、'.join(without)}领域无累计类指标）。" if without else "）。"
    return Figure(chart.svg, chart.png, caption, chart.width_mm), note


# the units' narrative ------------------------------------------------------------


def latest_reports(result: CycleResult) -> dict[str, Report]:
    """Each indicator's most recent report within the period."""
    latest: dict[str, Report] = {}
    for report in sorted(result.reports, key=lambda r: r.month):
        latest[report.indicator_id] = report
    return latest


def sentences(text: str) -> list[str]:
    """The sentences of a narrative, without their final punctuation."""
    parts = (part.strip().rstrip(_TRAILING_PUNCTUATION) for part in _SENTENCE_END.split(text))
    return [part for part in parts if part]


@dataclass(frozen=True)
class Quote:
    sentence: str
    unit: str


def pooled_quotes(
    judgements: Sequence[Judgement], latest: dict[str, Report], field: str
) -> list[Quote]:
    """Every distinct sentence of the domain under one heading, in the order they are quoted:
    the first sentence of each indicator, then the second ones, and so on."""
    order = PROGRESS_ORDER if field == "progress" else SHORTFALL_ORDER
    ranked = sorted(judgements, key=lambda j: order.get(j.status, len(order)))
    per_indicator = []
    for judgement in ranked:
        report = latest.get(judgement.indicator.id)
        if report is not None:
            per_indicator.append([Quote(s, report.unit) for s in sentences(getattr(report, field))])
    quotes, seen = [], set()
    for depth in range(max((len(items) for items in per_indicator), default=0)):
        for items in per_indicator:
            if depth < len(items) and items[depth].sentence not in seen:
                seen.add(items[depth].sentence)
                quotes.append(items[depth])
    return quotes


def narrative_paragraphs(judgements: Sequence[Judgement], latest: dict[str, Report]) -> list[Block]:
    blocks: list[Block] = []
    for field, label in NARRATIVE_FIELDS:
        quotes = pooled_quotes(judgements, latest, field)
        if not quotes:
            continue
        chosen = quotes[:QUOTES_PER_HEADING]
        text = "；".join(f"{q.sentence}（{q.unit}）" for q in chosen)
        more = len(quotes) - len(chosen)
        text += f"；另有{more}条，详见附件2。" if more else "。"
        blocks.append(Paragraph(text, lead=f"{label}："))
    return blocks


def domains(result: CycleResult, latest: dict[str, Report]) -> list[Block]:
    blocks: list[Block] = [
        Paragraph("各领域推进情况如下，其中“主要进展”“存在问题”“下步措施”摘自各单位报送的月报，全文见附件2。")
    ]
    for index, (domain, items) in enumerate(result.by_domain().items(), start=1):
        if not items:
            continue
        blocks.append(Heading(2, f"（{w.heading_numeral(index)}）{domain}"))
        blocks.append(Paragraph(domain_paragraph(result, items)))
        blocks.extend(narrative_paragraphs(items, latest))
    return blocks


def narrative_attachment(result: CycleResult, latest: dict[str, Report]) -> tuple[Block, ...]:
    """Every indicator's latest narrative, verbatim, grouped by domain."""
    blocks: list[Block] = [
        Paragraph(f"以下按领域列出各指标{result.period.chinese}最近一次报送的进展情况、存在问题和下步措施，照录原文。")
    ]
    for index, (domain, items) in enumerate(result.by_domain().items(), start=1):
        if not items:
            continue
        blocks.append(Heading(2, f"（{w.heading_numeral(index)}）{domain}"))
        for judgement in items:
            blocks.append(narrative_item(judgement, latest.get(judgement.indicator.id)))
    return tuple(blocks)


def narrative_item(judgement: Judgement, report: Report | None) -> Paragraph:
    indicator = judgement.indicator
    units = "、".join(indicator.units)
    if report is None:
        return Paragraph("本期未报送进展情况。", lead=f"{indicator.id} {indicator.name}（{units}）。")
    parts = []
    for field, label in (("progress", "进展情况"), ("problems", "存在问题"), ("next_steps", "下步措施")):
        text = getattr(report, field).strip()
        if text:
            parts.append(f"{label}：{ensure_full_stop(text)}")
    text = "".join(parts) or "未填写进展情况、存在问题和下步措施。"
    return Paragraph(text, lead=f"{indicator.id} {indicator.name}（{report.unit}，{report.month}月）。")


def ensure_full_stop(text: str) -> str:
    return text if text[-1] in "。！？" else text + "。"


# the second half ----------------------------------------------------------------------


def second_half_focus(result: CycleResult) -> list[Block]:
    rules = result.campaign.rules
    items = [("补齐短板弱项", shortfall_sentence(result))]
    remaining = remaining_sentence(result)
    if remaining:
        items.append(("冲刺全年目标", remaining))
    items.append(("按时规范报送", reporting_sentence(result)))
    items.append((
        "做好年底交账准备",
        f"年底将对各项指标逐项交账，结果纳入年度综合考核加减分事项：超额完成年度目标{plain_percent(rules.exceed_margin)}"
        f"以上的指标每项加{w.number(rules.points_exceeded)}分，未完成的每项减{w.number(-rules.points_unmet)}分，"
        f"全年每受表扬一次加{w.number(rules.points_commended)}分，每被通报批评一次减"
        f"{w.number(-rules.points_criticised)}分。各单位要提前谋划，确保年度目标全面完成。",
    ))
    blocks: list[Block] = []
    for index, (heading, text) in enumerate(items, start=1):
        blocks += [Heading(2, f"（{w.heading_numeral(index)}）{heading}"), Paragraph(text)]
    return blocks


def shortfall_sentence(result: CycleResult) -> str:
    behind = [j for j in result.judgements if j.status in SHORTFALL_ORDER]
    if not behind:
        return "上半年各项指标均达到序时进度，各单位要巩固成果，防止出现新的滞后。"
    behind.sort(key=lambda j: SHORTFALL_ORDER[j.status])
    named = "；".join(f"{w.quoted(j.indicator.name)}{j.status}（{'、'.join(j.indicator.units)}）" for j in behind)
    return (
        f"目前仍有{len(behind)}项指标未达到序时进度：{named}。"
        "责任单位要逐项分析原因，制定追赶措施，确保第三季度末赶上序时进度。"
    )


def remaining_sentence(result: CycleResult) -> str:
    """What is left of each running total with a floor, for the second half."""
    clauses = []
    for j in result.judgements:
        indicator = j.indicator
        if indicator.type != "累计" or indicator.is_ceiling or j.value is None or j.status == COMPLETED:
            continue
        assert indicator.target is not None  # only 定性 indicators have none
        left = indicator.target - j.value
        clauses.append(f"{w.quoted(indicator.name)}尚需完成{w.number(left)}{indicator.measure}（{'、'.join(indicator.units)}）")
    if not clauses:
        return ""
    return "下半年" + "；".join(clauses) + "。各责任单位要倒排工期，确保全年目标如期完成。"


def reporting_sentence(result: CycleResult) -> str:
    due_day = result.campaign.report_due_day
    if not late_counts(result.submissions) and not result.still_missing:
        return f"上半年各单位均按时报送进展情况。各单位要继续于每月{due_day}日前报送上月进展情况。"
    return (
        reports_owed_sentence(result, "上半年")
        + f"各单位要于每月{due_day}日前报送上月进展情况，做到数据真实、准确、完整，不得迟报、漏报。"
    )
