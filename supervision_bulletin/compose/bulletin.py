"""The quarterly bulletin (季度通报): progress by domain, commended and criticised units."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Sequence

from supervision_bulletin import wording as w
from supervision_bulletin.compose import (
    Issue,
    attachments_labelled,
    numbered_sections,
    overall_assessment,
    period_phrase,
    standard_document,
    supervision_basis,
    supervision_method,
)
from supervision_bulletin.compose.follow_up import follow_up_section
from supervision_bulletin.compose.notice import Escalations, notices_paragraph, problem_kinds
from supervision_bulletin.compose.units_table import marks_sentence, units_attachment
from supervision_bulletin.document import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from supervision_bulletin.evaluate import (
    AHEAD,
    COMPLETED,
    GOOD_STATUSES,
    LAGGING,
    NOT_REPORTED,
    SEVERELY_LAGGING,
    STATUSES,
    CycleResult,
    Judgement,
    Submission,
    UnitResult,
)
from supervision_bulletin.follow_up import FollowUp
from supervision_bulletin.model import Plan


def compose_quarterly_bulletin(
    result: CycleResult,
    issue: Issue,
    escalated: Escalations | None = None,
    follow: FollowUp | None = None,
    previous: CycleResult | None = None,
) -> OfficialDocument:
    """``escalated``: criticised units sent a notice at the previous bulletin too (升级督办);
    ``follow``: the notices issued before this cut-off and their answers; ``previous``:
    the previous bulletin's cut-off (the tables' 较上期)."""
    campaign = result.campaign
    period = result.period
    title = f"关于{campaign.name}{period_phrase(period)}推进情况的通报"
    table_name = f"{period.chinese}重点指标推进情况表"
    units_name = f"{period.chinese}各单位推进情况表"
    sections = with_follow_up((
        ("总体进展情况", overall_progress(result) + [Paragraph(marks_sentence(result, follow, units_name, "附件2"))]),
        ("表扬单位", commendations(result)),
        ("通报批评单位", criticisms(result) + notices(result, escalated or {}, issue)),
        ("下步工作要求", requirements(result, issue.date)),
    ), follow_up_section(follow, bulletin=True))
    return standard_document(
        campaign,
        issue,
        kind="quarterly_bulletin",
        title=title,
        body=numbered_sections(opening(result), sections),
        attachments=attachments_labelled(
            (table_name, indicator_attachment(result, previous)),
            (units_name, units_attachment(result, follow)),
            *filter(None, [shares_attachment(result)]),
        ),
        commended=tuple(u.unit for u in result.commended),
        criticised=tuple(u.unit for u in result.criticised),
        slug=f"{period.label}-季度通报",
    )


def with_follow_up(sections: tuple, section: tuple | None) -> tuple:
    """The follow-up of earlier notices goes just before the closing requirements."""
    if section is None:
        return sections
    return (*sections[:-1], section, sections[-1])


def opening(result: CycleResult) -> Paragraph:
    campaign = result.campaign
    period = result.period
    return Paragraph(
        f"{supervision_basis(campaign)}，{supervision_method(campaign, result.as_of)}，"
        f"对截至{period.end_month}月底{len(result.plan.tasks)}项重点任务、{len(result.judgements)}项指标的"
        f"推进情况进行了督查。现将有关情况通报如下。"
    )


def status_summary(result: CycleResult, judgements: tuple[Judgement, ...]) -> str:
    counts = result.status_counts(judgements)
    parts = [f"{status}{counts[status]}项" for status in STATUSES if counts[status]]
    return "，".join(parts)


def overall_progress(result: CycleResult) -> list[Block]:
    blocks: list[Block] = [Paragraph(overall_sentence(result) + assessment_sentence(result))]
    for index, (domain, items) in enumerate(result.by_domain().items(), start=1):
        if not items:
            continue
        blocks.append(Heading(2, f"（{w.heading_numeral(index)}）{domain}"))
        blocks.append(Paragraph(domain_paragraph(result, items)))
    return blocks


def overall_sentence(result: CycleResult) -> str:
    """The figures: indicators by status, and how many are on track."""
    judgements = result.judgements
    good = sum(1 for j in judgements if j.status in GOOD_STATUSES)
    share = good / len(judgements) if judgements else 0
    return (
        f"截至{result.period.end_month}月底，{len(judgements)}项指标中，{status_summary(result, judgements)}；"
        f"达到序时进度或目标要求的{good}项，占{w.percent(share)}。"
    )


def assessment_sentence(result: CycleResult) -> str:
    judgements = result.judgements
    good = sum(1 for j in judgements if j.status in GOOD_STATUSES)
    serious = sum(1 for j in judgements if j.status in (SEVERELY_LAGGING, NOT_REPORTED))
    return overall_assessment(good / len(judgements) if judgements else 0, serious)


def domain_paragraph(result: CycleResult, items: tuple[Judgement, ...]) -> str:
    sentences = [f"本领域{len(items)}项指标，{status_summary(result, items)}。"]
    highlights = [j for j in items if j.status in (COMPLETED, AHEAD) and j.indicator.type != "定性"]
    if highlights:
        sentences.append("；".join(w.evidence(j) for j in highlights) + "。")
    behind = [j for j in items if j.status in (LAGGING, SEVERELY_LAGGING, NOT_REPORTED)]
    if behind:
        named = "；".join(f"{w.evidence(j)}（{'、'.join(j.indicator.units)}{problem_quote(j)}）" for j in behind)
        sentences.append(f"需加快推进的有：{named}。")
    return "".join(sentences)


def problem_quote(judgement: Judgement) -> str:
    """The cause the unit itself reported, where the lag is named."""
    problem = w.reported_problem(judgement)
    return f"，单位反映：{w.quoted(problem)}" if problem else ""


def commendations(result: CycleResult) -> list[Block]:
    return units_with_evidence(
        result.commended,
        verdict="措施扎实、成效明显，所负责指标均达到序时进度或目标要求，且按时报送进展情况，予以通报表扬。",
        none="本期没有全部指标达到序时进度且按时报送、成效突出的单位。",
        practices=True,
        plan=result.plan,
    )


def criticisms(result: CycleResult) -> list[Block]:
    return units_with_evidence(
        result.criticised,
        verdict=criticism_verdict,
        none="本期没有指标严重滞后、未报送或连续滞后的单位。",
        plan=result.plan,
    )


def criticism_verdict(units: list[UnitResult]) -> str:
    """The grounds the named units were criticised on, those only: a unit criticised for
    one indicator 严重滞后 is not charged with reports it sent or notices it answered."""
    kinds = list(dict.fromkeys(kind for unit in units for kind in problem_kinds(unit)))
    return f"行动迟缓、推进不力，存在{'、'.join(kinds)}{'等' if len(kinds) > 1 else ''}问题，予以通报批评。"


def units_with_evidence(
    units: tuple[UnitResult, ...], verdict: str | Callable[[list[UnitResult]], str], none: str,
    practices: bool = False, plan: Plan | None = None,
) -> list[Block]:
    """The verdict on the units by name, then each unit with the figures behind it and,
    for a commendation, what it did (its own 进展情况, quoted as its 做法). Departments
    and streets (towns) each get their own verdict paragraph."""
    if not units:
        return [Paragraph(none)]
    by_name = {u.unit: u for u in units}
    groups = plan.unit_groups(list(by_name)) if plan is not None else [("", list(by_name))]
    blocks: list[Block] = []
    index = 0
    for label, names in groups:
        if not names:
            continue
        who = f"{'、'.join(names)}等{len(names)}个单位" if len(names) > 1 else names[0]
        said = verdict if isinstance(verdict, str) else verdict([by_name[name] for name in names])
        blocks.append(Paragraph(f"{label}中，{who}{said}" if label else f"{who}{said}"))
        for name in names:
            index += 1
            text = unit_evidence(by_name[name]) + "。"
            if practices:
                text += practice_sentence(by_name[name])
            blocks.append(Paragraph(text, lead=f"{index}.{name}。"))
    return blocks


def practice_sentence(unit: UnitResult, limit: int = 2) -> str:
    """The unit's 典型做法: the first sentences of what it reported doing for its standout indicators."""
    quotes = []
    for judgement in unit.evidence:
        report = judgement.report
        if report is None or not report.progress.strip():
            continue
        first = report.progress.strip().split("。")[0].rstrip("；;，, ")
        if first and first not in quotes:
            quotes.append(first)
    if not quotes:
        return ""
    return f"主要做法：{'；'.join(w.quoted(q) for q in quotes[:limit])}。"


def notices(result: CycleResult, escalated: Escalations, issue: Issue) -> list[Block]:
    """The 督办通知 sent with the bulletin, and which of them are escalated."""
    paragraph = notices_paragraph(result, escalated, issue.date)
    return [paragraph] if paragraph else []


def unit_evidence(unit: UnitResult) -> str:
    """The figures behind a unit's commendation or criticism, one clause each."""
    clauses = []
    for judgement in unit.evidence:
        clause = w.evidence(judgement)
        if note := w.lag_note(judgement):
            clause += note
        elif judgement.status == SEVERELY_LAGGING and judgement.indicator.type != "定性":
            clause += f"，{judgement.status}"
        clauses.append(clause)
    clauses += [f"督办通知（{number}）逾期未反馈整改情况" for number in unit.overdue]
    return "；".join(clauses)


def reports_owed_sentence(result: CycleResult, span: str) -> str:
    """Who sent reports late or not at all in the document's months (项次, most first),
    and who still owes reports of earlier months: the 补报 the monthly reports asked for."""
    text = ""
    counts = late_counts(result.submissions)
    if counts:
        text += f"{span}逾期或未报送进展情况的有：{counted(counts)}。"
    if result.still_missing:
        text += f"此前月份的进展情况至今仍未报送的有：{counted(late_counts(result.still_missing))}，请立即补报。"
    return text


def counted(counts: dict[str, int]) -> str:
    return "、".join(f"{unit}{count}项次" for unit, count in sorted(counts.items(), key=lambda kv: -kv[1]))


def late_counts(submissions: Sequence[Submission]) -> dict[str, int]:
    """Late or missing reports per unit, in the order first met."""
    counts: dict[str, int] = {}
    for s in submissions:
        if s.late or s.missing:
            counts[s.unit] = counts.get(s.unit, 0) + 1
    return counts


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
            reports_owed_sentence(result, "本季度")
            + f"各单位要于每月{campaign.report_due_day}日前报送上月进展情况，做到数据真实、准确、完整，"
            "进展情况、存在问题和下步措施要具体明确，不得迟报、漏报。"
        ),
        Heading(2, "（三）强化督查，压实责任"),
        Paragraph(
            f"{campaign.issuer}将持续跟踪督办，督查结果纳入年度综合考核加减分事项，"
            "对措施扎实、成效明显的单位予以表扬，对行动迟缓、推进不力的单位予以通报批评。"
        ),
    ]


TABLE_COLUMNS = ("序号", "指标", "目标值", "完成值", "完成率", "序时进度", "状态", "较上期", "责任单位")
TABLE_WIDTHS = (8, 38, 12, 14, 14, 14, 16, 14, 26)  # mm of the 156 mm block


def indicator_attachment(result: CycleResult, previous: CycleResult | None) -> tuple[Block, ...]:
    """The indicator table, and what its 较上期 column measures."""
    note = "注：“较上期”为完成率较上一期"
    note += f"（截至{previous.period.end_month}月底）" if previous is not None else ""
    note += "的变化，单位为百分点；“—”表示无可比数据。水平类指标的状态按与目标的比较表述。"
    return (indicator_table(result, previous), Paragraph(note))


def indicator_table(result: CycleResult, previous: CycleResult | None = None) -> Table:
    """Every indicator with the figures behind its status and the change since the previous document."""
    before = {j.indicator.id: j for j in previous.judgements} if previous is not None else {}
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
            rows.append(indicator_row(serial, judgement, before.get(judgement.indicator.id)))
    return Table(TABLE_COLUMNS, tuple(rows), TABLE_WIDTHS, frozenset(group_rows))


SHARE_COLUMNS = ("序号", "单位", "指标", "分解目标", "完成值", "完成率", "序时进度", "状态")
SHARE_WIDTHS = (8, 28, 44, 15, 15, 15, 15, 16)


def shares_attachment(result: CycleResult) -> tuple[str, tuple[Block, ...]] | None:
    """Each unit's own share of an indicator (plan sheet 分解), by unit."""
    if not result.share_judgements:
        return None
    rows = []
    order = {unit.unit: index for index, unit in enumerate(result.units)}
    ordered = sorted(result.share_judgements, key=lambda j: order.get(j.indicator.share_unit or "", len(order)))
    for serial, judgement in enumerate(ordered, start=1):
        indicator = judgement.indicator
        rows.append((
            str(serial), indicator.share_unit or "", f"{indicator.id} {w.indicator_label(indicator)}",
            w.target_text(indicator), w.value_text(judgement), w.percent(judgement.completion),
            w.percent(judgement.benchmark_share) if indicator.type == "累计" else "—", w.status_text(judgement),
        ))
    title = f"{result.period.chinese}分解任务推进情况表"
    return title, (Table(SHARE_COLUMNS, tuple(rows), SHARE_WIDTHS),)


def change_text(now: Judgement, before: Judgement | None) -> str:
    """Completion now minus completion at the previous document, in percentage points."""
    if before is None or now.completion is None or before.completion is None:
        return "—"
    delta = (now.completion - before.completion) * 100
    if abs(delta) < 0.05:
        return "0"
    return f"{'+' if delta > 0 else '-'}{abs(delta):.1f}"


def indicator_row(serial: int, judgement: Judgement, before: Judgement | None = None) -> tuple[str, ...]:
    indicator = judgement.indicator
    return (
        str(serial),
        f"{indicator.id} {w.indicator_label(indicator)}",
        w.target_text(indicator),
        w.value_text(judgement),
        w.percent(judgement.completion),
        w.percent(judgement.benchmark_share) if indicator.type == "累计" else "—",
        w.status_text(judgement),
        change_text(judgement, before),
        "、".join(indicator.units),
    )
