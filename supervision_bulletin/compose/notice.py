"""The critical notice (督办通知): a letter to one criticised unit.

supervision.md: each unit a bulletin criticises gets one notice with every
indicator behind the criticism, what it must do, and the date by which it must
answer in writing (rules.answer_working_days working days after issue, on the
national working calendar). A unit that was sent a notice at the previous
bulletin cut-off too — as the record shows, not as a recomputation would —
gets an escalated notice (升级督办) citing that notice: its head must explain
in person.

The notice carries out the criticism of the cycle's main document (it cites
it); it is not a second criticism, so its manifest entry names the unit as the
addressee (``unit``) and leaves ``criticised`` empty: an assessment reading the
manifests counts each criticism once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Sequence

from supervision_bulletin import calendar
from supervision_bulletin import wording as w
from supervision_bulletin.compose import Issue, attachments_labelled, period_phrase
from supervision_bulletin.document import Block, Heading, OfficialDocument, Paragraph, Table
from supervision_bulletin.evaluate import (
    LAG_STATUSES,
    NOT_REPORTED,
    SEVERELY_LAGGING,
    CycleResult,
    Judgement,
    Submission,
    UnitResult,
)
from supervision_bulletin.periods import Period

# Criticised units escalated this time, with the number of the notice they were
# sent at the previous bulletin cut-off.
Escalations = dict[str, str]
NOT_YET_DUE = "未到期"
OVERDUE_KIND = "督办事项逾期未反馈"
SEVERITY = {SEVERELY_LAGGING: 0, NOT_REPORTED: 1}  # worst first; plain 滞后 last
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')

IssueFor = Callable[[str, str | None, str], Issue]


def notices_paragraph(result: CycleResult, escalated: Escalations, issued: dt.date) -> Paragraph | None:
    """The main document's sentence announcing the notices, and any escalation."""
    units = [u.unit for u in result.criticised]
    if not units:
        return None
    campaign = result.campaign
    deadline = w.chinese_date(calendar.answer_deadline(campaign, issued))
    addressees = "分别" if len(units) > 1 else ""
    text = (
        f"{campaign.issuer}同时向{'、'.join(units)}{addressees}下发督办通知，"
        f"请{'上述单位' if len(units) > 1 else '该单位'}于{deadline}前将整改情况书面报送{campaign.issuer}。"
    )
    repeated = [unit for unit in result.criticised if unit.unit in escalated]
    if repeated:
        by_reason: dict[str, list[str]] = {}
        for unit in repeated:
            by_reason.setdefault(w.escalation_reason(unit, "并下发督办通知"), []).append(unit.unit)
        reasons = "，".join(f"{'、'.join(names)}{reason}" for reason, names in by_reason.items())
        text += (
            f"其中，{reasons}，实行升级督办，"
            f"其主要负责同志须于{deadline}前当面向{campaign.issuer}说明情况。"
        )
    return Paragraph(text)


def notice_title(unit: str, period: Period, escalated: bool) -> str:
    action = "升级督办" if escalated else "督办"
    return f"关于对{unit}{cutoff_phrase(period)}督查发现问题进行{action}的通知"


def cutoff_phrase(period: Period) -> str:
    """The cut-off a notice answers: the year-end account is the fourth quarter's bulletin."""
    return "第四季度" if period.kind == "year" else period_phrase(period)


def compose_notices(
    result: CycleResult, source: OfficialDocument, escalated: Escalations, issue: IssueFor
) -> list[OfficialDocument]:
    """One notice per criticised unit, in the order the main document names them."""
    notices = []
    for unit in result.criticised:
        earlier = escalated.get(unit.unit)
        title = notice_title(unit.unit, result.period, earlier is not None)
        notices.append(compose_notice(result, unit, issue("notice", unit.unit, title), earlier, source))
    return notices


def compose_notice(
    result: CycleResult, unit: UnitResult, issue: Issue, earlier: str | None, source: OfficialDocument
) -> OfficialDocument:
    """``earlier``: the number of the notice sent at the previous bulletin, when escalating."""
    campaign = result.campaign
    period = result.period
    escalated = earlier is not None
    title = notice_title(unit.unit, period, escalated)
    body: list[Block] = [opening(result, unit, earlier, source)]
    body.append(Heading(1, "一、存在的主要问题"))
    body.extend(problem_items(unit, result))
    body.append(Heading(1, "二、整改要求"))
    body.extend(requirements(result, unit, issue.date, escalated))
    if campaign.contact is not None:
        body.append(Paragraph(f"联系人：{campaign.contact.name}，联系电话：{campaign.contact.phone}。"))
    body.append(Paragraph("特此通知。"))
    deadline = calendar.answer_deadline(campaign, issue.date)
    attachments = attachments_labelled((RECEIPT_TITLE, (receipt_table(issue, unit.unit, deadline),)))
    return OfficialDocument(
        kind="notice",
        layout="letter",
        issuer=campaign.issuer,
        issuer_mark=campaign.issuer,
        number=None if issue.draft else issue.number,
        title=title,
        title_lines=w.break_title(title),
        recipients=unit.unit,
        body=tuple(body),
        attachment_names=tuple(a.title for a in attachments),
        signature=campaign.issuer,
        date=w.chinese_date(issue.date),
        attachments=attachments,
        unit=unit.unit,
        draft=issue.draft,
        slug=f"{period.label}-督办通知-{file_safe(unit.unit)}",
        issued=issue.date,
        cutoff=issue.cutoff or issue.date,
        deadline=deadline,
        escalated=escalated,
        answer_state=NOT_YET_DUE,
        subjects=tuple(f"{j.indicator.id} {j.indicator.name}" for j in lagging(unit)),
    )


RECEIPT_TITLE = "整改情况回执"
RECEIPT_COLUMNS = ("项目", "填写内容")
RECEIPT_WIDTHS = (48, 108)


def receipt_table(issue: Issue, unit: str, deadline: dt.date) -> Table:
    """The form the unit fills in and returns with its written answer: the same fields
    the answers workbook (sheet 反馈) reads, so the bureau can type it in as it is."""
    rows = (
        ("督办通知文号", issue.number or "（征求意见稿，发文时填写）"),
        ("反馈单位", unit),
        ("反馈期限", f"{w.chinese_date(deadline)}前"),
        ("整改情况（问题原因、整改措施、完成情况）", ""),
        ("是否整改到位", "□是　　□否"),
        ("反馈日期", "　　年　　月　　日"),
        ("联系人及联系电话", ""),
        ("单位主要负责人（签字）", "（单位盖章）"),
    )
    return Table(RECEIPT_COLUMNS, rows, RECEIPT_WIDTHS)


def file_safe(name: str) -> str:
    from supervision_bulletin.filenames import safe_stem  # the one naming rule of every output file

    return safe_stem(name, room=48)  # room for "2023-Q3-督办通知-" and the extension


def cited(source: OfficialDocument) -> str:
    """《title》（number）: the main document as a notice cites it."""
    title = source.title.replace("《", "〈").replace("》", "〉")  # nested book-title marks
    return f"《{title}》" + (f"（{source.number}）" if source.number else "")


def opening(result: CycleResult, unit: UnitResult, earlier: str | None, source: OfficialDocument) -> Paragraph:
    campaign = result.campaign
    # An indicator cannot leave a notice unanswered: that problem is the unit's own.
    kinds = [kind for kind in problem_kinds(unit) if kind != OVERDUE_KIND]
    found = [f"你单位负责的重点指标存在{'、'.join(kinds)}{'等' if len(kinds) > 1 else ''}问题"] if kinds else []
    if unit.overdue:
        found.append(f"{'' if kinds else '你单位'}{OVERDUE_KIND}")
    text = (
        f"{campaign.issuer}在{campaign.name}{cutoff_phrase(result.period)}督查中发现，{'，'.join(found)}，"
        f"已在{cited(source)}中予以通报批评。"
    )
    if earlier is not None and earlier in unit.overdue:
        text += f"你单位未按督办通知（{'、'.join(unit.overdue)}）要求按期书面反馈整改情况，现实行升级督办。"
    elif earlier is not None:
        previous = calendar.previous_cutoff(campaign, result.period)
        assert previous is not None  # escalation needs a previous bulletin
        text += (
            f"你单位在{previous.chinese}督查中已被通报批评，{campaign.issuer}已下发督办通知（{earlier}），"
            "本期督查又被通报批评，现实行升级督办。"
        )
    return Paragraph(text + "现将有关事项通知如下。")


def problem_kinds(unit: UnitResult) -> list[str]:
    kinds = []
    if any(j.status == SEVERELY_LAGGING for j in unit.evidence):
        kinds.append("进度严重滞后")
    if any(j.lagging_twice for j in unit.evidence):
        kinds.append("连续滞后")
    if any(j.status == NOT_REPORTED for j in unit.evidence):
        kinds.append("未报送进展情况")
    if unit.overdue:
        kinds.append(OVERDUE_KIND)
    return kinds or ["进度滞后"]


def first_requirement(unit: UnitResult) -> str:
    """What to put right first, fitted to what the criticism rests on: catching up
    means nothing to a unit criticised only for reports it did not send."""
    if any(j.status in LAG_STATUSES for j in unit.evidence):
        return ("认真分析问题原因，逐项制定切实可行的整改措施，明确责任领导、责任人和完成时限，"
                "倒排工期、挂图作战，确保滞后指标尽快赶上序时进度。")
    if any(j.status == NOT_REPORTED for j in unit.evidence):
        return "认真分析未按要求报送进展情况的原因，立即补报所缺进展情况和佐证材料，明确专人负责月报报送。"
    return "认真分析问题原因，逐项制定切实可行的整改措施，明确责任领导、责任人和完成时限，确保整改到位。"


def lagging(unit: UnitResult) -> list[Judgement]:
    """Every indicator of the unit behind schedule or unreported, worst first."""
    behind = [j for j in unit.judgements if j.status in LAG_STATUSES or j.status == NOT_REPORTED]
    return sorted(behind, key=lambda j: SEVERITY.get(j.status, 2))


def judgement_item(judgement: Judgement) -> str:
    text = w.evidence(judgement)
    if judgement.indicator.type == "累计" and judgement.benchmark_share is not None and judgement.report:
        text += f"（序时进度为{w.percent(judgement.benchmark_share)}）"
    if note := w.lag_note(judgement):
        text += note
    elif judgement.status != NOT_REPORTED:
        text += f"，属{judgement.status}"
    return text + "。"


def submission_item(submissions: Sequence[Submission], result: CycleResult) -> str:
    """Late and missing reports of the period, one clause per report."""
    names = {indicator.id: indicator.name for indicator in result.plan.indicators}
    clauses = []
    for s in submissions:
        due = f"应于{w.chinese_date(s.due)}前报送"
        if s.missing:
            clauses.append(f"{s.month}月{w.quoted(names[s.indicator_id])}进展情况未报送（{due}）")
        elif s.submitted is None:
            clauses.append(f"{s.month}月{w.quoted(names[s.indicator_id])}进展情况未填写报送日期，按逾期报送处理（{due}）")
        else:
            clauses.append(
                f"{s.month}月{w.quoted(names[s.indicator_id])}进展情况于{w.chinese_date(s.submitted)}报送，"
                f"{w.days_late(s)}（{due}）"
            )
    return "报送不及时：" + "；".join(clauses) + "。"


def problem_items(unit: UnitResult, result: CycleResult) -> list[Block]:
    items = [judgement_item(j) for j in lagging(unit)]
    late: Sequence[Submission] = unit.late_or_missing
    # A missing report already shows as 未报送 above; list it again only when
    # it belongs to an earlier month of the period (a quarter has three).
    late = [s for s in late if not (s.missing and s.month == result.period.end_month)]
    if late:
        items.append(submission_item(late, result))
    items += [f"督办通知（{number}）要求书面反馈整改情况，你单位逾期未反馈。" for number in unit.overdue]
    return [Paragraph(text, lead=f"{index}.") for index, text in enumerate(items, start=1)]


def requirements(result: CycleResult, unit: UnitResult, issued: dt.date, escalated: bool) -> list[Block]:
    campaign = result.campaign
    deadline = w.chinese_date(calendar.answer_deadline(campaign, issued))
    blocks: list[Block] = [
        Paragraph(first_requirement(unit), lead="1."),
        Paragraph(
            f"严格按照要求于每月{campaign.report_due_day}日前报送上月进展情况，做到数据真实、准确、完整，不得迟报、漏报。",
            lead="2.",
        ),
        Paragraph(
            f"请于{deadline}前将整改情况（问题原因、整改措施、时间节点和责任人）书面报送{campaign.issuer}，"
            f"并填写附件《{RECEIPT_TITLE}》一并报送；整改到位的予以销号。"
            "逾期未报送或整改不到位的，将继续通报批评，督查结果纳入年度综合考核加减分事项。",
            lead="3.",
        ),
    ]
    if escalated:
        blocks.append(
            Paragraph(
                f"鉴于你单位{w.escalation_reason(unit)}，请你单位主要负责同志于{deadline}前"
                f"当面向{campaign.issuer}说明情况，并同时报送书面整改报告。",
                lead="4.",
            )
        )
    return blocks
