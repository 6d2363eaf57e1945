"""The year-end account (年底交账): every target settled, and the points per unit.

Contents (supervision.md): every indicator with its target, final value and
verdict (完成 / 未完成) and who is accountable; the chart of completion by
domain; the commendations and criticisms of the year; the bonus/penalty points
per unit with the ranking. Which documents count for points, and how double
counting is avoided, is decided in supervision_bulletin/assessment.py and stated in the
document itself.

The account judges the December reports. It is the fourth quarter's bulletin
too (supervision.md, The calendar): it commends and criticises on December's
figures as every bulletin does, sends a 督办通知 to each unit it criticises, and
its manifest entry lists those units; the points go to the manifest's
``assessment`` list.
"""

from __future__ import annotations

import datetime as dt

from supervision_bulletin import calendar
from supervision_bulletin import wording as w
from supervision_bulletin.assessment import Checkpoint, FinalAccount, UnitPoints, YearAssessment
from supervision_bulletin.compose import (
    Issue,
    attachments_labelled,
    numbered_sections,
    standard_document,
    supervision_basis,
    supervision_method,
)
from supervision_bulletin.compose.bulletin import commendations, criticisms, notices, with_follow_up
from supervision_bulletin.compose.follow_up import follow_up_section
from supervision_bulletin.compose.half_year import completion_figure, plain_percent
from supervision_bulletin.compose.notice import Escalations
from supervision_bulletin.document import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from supervision_bulletin.evaluate import CycleResult
from supervision_bulletin.follow_up import FollowUp
from supervision_bulletin.model import Plan, Rules
from supervision_bulletin.periods import Period

ACCOUNT_COLUMNS = ("序号", "指标", "目标值", "完成值", "完成率", "结果", "加减分", "责任单位")
ACCOUNT_WIDTHS = (8, 46, 14, 15, 15, 14, 14, 30)
SHARE_COLUMNS = ("序号", "指标", "分解目标", "完成值", "完成率", "结果", "加减分", "分解单位")
SHARE_WIDTHS = (8, 56, 16, 15, 15, 14, 14, 22)  # one unit a row: the name column gives way
POINTS_COLUMNS = (
    "名次", "单位", "超额完成指标（项）", "未完成指标（项）", "受表扬（次）", "被通报批评（次）", "督办逾期未反馈（份）", "合计得分",
)
POINTS_WIDTHS = (10, 32, 19, 19, 17, 19, 22, 18)
NOTICE_COLUMNS = ("序号", "文号", "主送单位", "成文日期", "整改期限", "反馈情况", "状态")
NOTICE_WIDTHS = (10, 36, 26, 20, 20, 24, 20)
TOP_AND_BOTTOM = 3  # units named in the body at each end of the ranking


def compose_year_end_account(
    result: CycleResult,
    issue: Issue,
    assessment: YearAssessment,
    escalated: Escalations | None = None,
    follow: FollowUp | None = None,
) -> OfficialDocument:
    campaign = result.campaign
    title = f"关于{campaign.name}目标任务完成情况和考核加减分结果的通报"
    account_name = f"{campaign.year}年重点指标完成情况表"
    points_name = f"{campaign.year}年各单位考核加减分及排名表"
    notices_name = f"{campaign.year}年督办通知落实情况表"
    shares_name = f"{campaign.year}年分解任务完成情况表"
    # Each unit's share (分解) scores too: its table lets a reader trace those points.
    parts = [
        (account_name, (account_table(result, assessment),)),
        *([(shares_name, (shares_table(result, assessment),))] if assessment.share_accounts else []),
        (points_name, points_attachment(assessment)),
        *([(notices_name, (notices_table(follow),))] if follow and follow.notices else []),
    ]
    attachments = attachments_labelled(*parts)
    label = {title: attachment.label for title, attachment in zip((name for name, _ in parts), attachments)}
    sections = with_follow_up((
        ("年度目标完成情况", targets(result, assessment, label.get(shares_name, ""), shares_name)),
        ("第四季度表扬和通报批评情况", fourth_quarter(result, escalated or {}, issue)),
        ("全年表扬和通报批评情况", year_record(assessment)),
        ("考核加减分及排名", points(assessment, f"{label[points_name]}《{points_name}》", result.plan)),
        ("工作要求", requirements(result, assessment, issue.date)),
    ), year_follow_up(follow, f"{label.get(notices_name, '')}《{notices_name}》"))
    return standard_document(
        campaign,
        issue,
        kind="year_end_account",
        title=title,
        body=numbered_sections(opening(result), sections),
        attachments=attachments,
        commended=tuple(u.unit for u in result.commended),
        criticised=tuple(u.unit for u in result.criticised),
        slug=f"{campaign.year}-年底交账通报",
    )


def year_follow_up(follow: FollowUp | None, notices_name: str) -> tuple[str, list[Block]] | None:
    """``notices_name``: the attachment as cited, 附件3《…》."""
    section = follow_up_section(follow, bulletin=True)
    if section is None:
        return None
    heading, blocks = section
    return heading, [*blocks, Paragraph(f"全年督办通知及其落实情况详见{notices_name}。")]


def fourth_quarter(result: CycleResult, escalated: Escalations, issue: Issue) -> list[Block]:
    """December's verdicts, as the fourth quarter's bulletin would give them."""
    return [
        Heading(2, "（一）表扬单位"),
        *commendations(result),
        Heading(2, "（二）通报批评单位"),
        *criticisms(result),
        *notices(result, escalated, issue),
    ]


def opening(result: CycleResult) -> Paragraph:
    campaign = result.campaign
    return Paragraph(
        f"{supervision_basis(campaign)}，{supervision_method(campaign, result.as_of)}，"
        f"对{len(result.plan.tasks)}项重点任务、{len(result.judgements)}项指标的全年完成情况逐项进行了核实交账，"
        "并按照规则计算了各责任单位的考核加减分。现将有关情况通报如下。"
    )


# targets -----------------------------------------------------------------------------


def targets(result: CycleResult, assessment: YearAssessment, shares_label: str = "", shares_name: str = "") -> list[Block]:
    accounts = assessment.accounts
    rules = assessment.rules
    share = len(assessment.done) / len(accounts) if accounts else 0
    figure, note = completion_figure(result, "图1　各领域累计类指标全年平均完成率", "年度目标")
    blocks: list[Block] = [
        Paragraph(
            f"截至12月底，{len(accounts)}项指标中，完成{len(assessment.done)}项，占{w.percent(share)}，"
            f"其中超额完成{plain_percent(rules.exceed_margin)}以上的{len(assessment.exceeded)}项；"
            f"未完成{len(assessment.unmet)}项。{note}"
        ),
        figure,
    ]
    domain_of = {task.id: task.domain for task in result.plan.tasks}
    for index, domain in enumerate(result.plan.domains, start=1):
        items = [a for a in accounts if domain_of[a.indicator.task_id] == domain]
        if items:
            blocks.append(Heading(2, f"（{w.heading_numeral(index)}）{domain}"))
            blocks.append(Paragraph(domain_sentence(items, rules)))
    shares = assessment.share_accounts
    if shares:
        done = sum(1 for a in shares if a.done)
        missed = "、".join(dict.fromkeys(unit for a in shares if not a.done for unit in a.indicator.units))
        text = f"分解到各单位的{len(shares)}项分解任务中，完成{done}项，未完成{len(shares) - done}项"
        text += f"（{missed}）" if missed else ""
        blocks.append(Paragraph(text + f"，详见{shares_label}《{shares_name}》。"))
    return blocks


def shares_table(result: CycleResult, assessment: YearAssessment) -> Table:
    """Each unit's share at the year end: its own target, value, verdict and points."""
    outside = result.plan.outside_supervision
    rows = tuple(account_row(serial, account, assessment.rules, account.indicator.units[0] not in outside)
                 for serial, account in enumerate(assessment.share_accounts, start=1))
    return Table(SHARE_COLUMNS, rows, SHARE_WIDTHS)


def domain_sentence(items: list[FinalAccount], rules: Rules) -> str:
    done = [a for a in items if a.done]
    text = f"本领域{len(items)}项指标，完成{len(done)}项，未完成{len(items) - len(done)}项。"
    exceeded = [a for a in items if a.exceeded]
    if exceeded:
        named = "；".join(f"{final_evidence(a)}（{'、'.join(a.indicator.units)}）" for a in exceeded)
        text += f"超额完成{plain_percent(rules.exceed_margin)}以上的有：{named}。"
    unmet = [a for a in items if not a.done]
    if unmet:
        named = "；".join(f"{final_evidence(a)}（{'、'.join(a.indicator.units)}）" for a in unmet)
        text += f"未完成年度目标的有：{named}。"
    return text


def final_evidence(account: FinalAccount) -> str:
    """The final figure against the target, in words."""
    indicator = account.indicator
    report = account.judgement.report
    name = w.quoted(indicator.name)
    if report is None:
        return f"{name}未报送全年完成情况"
    if indicator.type == "定性":
        return f"{name}年底{'已完成' if account.done else '报送的进展为' + w.quoted(report.status_word or '')}"
    value = w.quantity(indicator, report.value)
    target = f"{w.target_text(indicator)}{indicator.measure}"
    if indicator.is_ceiling:
        return f"{name}为{value}，目标为不高于{w.number(indicator.target)}{indicator.measure}"
    completion = account.judgement.completion
    rate = f"，完成率{w.percent(completion)}" if completion is not None else ""
    return f"{name}完成{value}，目标{target}{rate}"


def signed(points: float) -> str:
    """+1, -1, +0.5, 0: the sign always shown, as assessment tables print it."""
    if points == 0:
        return "0"
    return ("+" if points > 0 else "-") + w.number(abs(points))


def account_table(result: CycleResult, assessment: YearAssessment) -> Table:
    rows: list[tuple[str, ...]] = []
    group_rows = set()
    serial = 0
    domain_of = {task.id: task.domain for task in result.plan.tasks}
    outside = result.plan.outside_supervision
    for index, domain in enumerate(result.plan.domains, start=1):
        items = [a for a in assessment.accounts if domain_of[a.indicator.task_id] == domain]
        if not items:
            continue
        group_rows.add(len(rows))
        rows.append((f"{w.heading_numeral(index)}、{domain}",) + ("",) * (len(ACCOUNT_COLUMNS) - 1))
        for account in items:
            serial += 1
            scored = not set(account.indicator.units) <= outside
            rows.append(account_row(serial, account, assessment.rules, scored))
    return Table(ACCOUNT_COLUMNS, tuple(rows), ACCOUNT_WIDTHS, frozenset(group_rows))


def account_row(serial: int, account: FinalAccount, rules: Rules, scored: bool = True) -> tuple[str, ...]:
    """``scored``: some unit accountable for it is scored (not all outside the supervision)."""
    indicator = account.indicator
    judgement = account.judgement
    return (
        str(serial),
        f"{indicator.id} {w.indicator_label(indicator)}",
        w.target_text(indicator),
        w.value_text(judgement),
        w.percent(judgement.completion),
        account.verdict,
        signed(account.points(rules)) if scored else "—",  # the rules paragraph says why
        "、".join(indicator.units),
    )


# the year's commendations and criticisms ---------------------------------------------


def document_name(period: Period) -> str:
    """How the year-end account names a counted document."""
    if period.kind == "quarter":
        return f"第{w.heading_numeral(period.index)}季度通报"
    if period.kind == "half":
        return "上半年工作通报"
    return "本通报（第四季度）"


def checkpoint_name(checkpoint: Checkpoint) -> str:
    name = document_name(checkpoint.period)
    return f"{name}（{checkpoint.number}）" if checkpoint.number else name


def year_record(assessment: YearAssessment) -> list[Block]:
    record = assessment.record
    if not record:
        return [Paragraph("本年度没有计入考核的通报。")]
    blocks: list[Block] = []
    for index, checkpoint in enumerate(record, start=1):
        commended = "、".join(checkpoint.commended) or "无"
        criticised = "、".join(checkpoint.criticised) or "无"
        blocks.append(Paragraph(f"表扬：{commended}；通报批评：{criticised}。", lead=f"{index}.{checkpoint_name(checkpoint)}。"))
    praised = sum(len(c.commended) for c in record)
    blamed = sum(len(c.criticised) for c in record)
    blocks.append(Paragraph(f"全年计入考核的表扬共{praised}个单位次，通报批评共{blamed}个单位次。"))
    return blocks


# points -----------------------------------------------------------------------------------


def rules_paragraph(assessment: YearAssessment, outside: list[str]) -> Paragraph:
    """``outside``: units with indicators that are not 督查对象, left out of the ranking."""
    rules = assessment.rules
    documents = "、".join(document_name(p) for p in assessment.counted_periods()) or "无"
    text = (
        f"按照年度综合考核加减分规则，超额完成年度目标{plain_percent(rules.exceed_margin)}以上的指标每项加"
        f"{w.number(rules.points_exceeded)}分，未完成年度目标的指标每项减{w.number(-rules.points_unmet)}分；"
        f"全年每受表扬一次加{w.number(rules.points_commended)}分，每被通报批评一次减"
        f"{w.number(-rules.points_criticised)}分；督办通知截至年底仍逾期未反馈的，每份减{w.number(-rules.points_unanswered)}分。"
        f"计入的表扬和通报批评以{documents}为准"
    )
    text += (
        "；月度督查通报和督办通知不另计分。多个单位共同负责的指标，各责任单位分别计分。"
        "得分相同的单位名次并列。"
    )
    if outside:
        text += f"{'、'.join(outside)}不是本活动的督查对象，其指标完成情况照列，不计分、不排名。"
    return Paragraph(text)


def points(assessment: YearAssessment, points_name: str, plan: Plan) -> list[Block]:
    """``points_name``: the ranking's attachment as cited, 附件2《…》."""
    units = assessment.units
    accountable = {unit for a in assessment.accounts + assessment.share_accounts for unit in a.indicator.units}
    outside = [u.name for u in plan.units if u.name in plan.outside_supervision and u.name in accountable]
    blocks: list[Block] = [rules_paragraph(assessment, outside)]
    if not units:
        return blocks
    groups = assessment.by_group()
    if len(groups) == 1:
        text = f"经计算，{len(units)}个责任单位中，{ranking_sentence(list(units), '单位', '；')}。"
    else:
        # Ranked apart, so each group is told apart: a department's rank is never
        # read against a street's.
        parts = [f"{len(own)}个{group}中，{ranking_sentence(list(own), group, '，')}" for group, own in groups]
        text = "经计算，" + "；".join(parts) + "。"
    blocks.append(Paragraph(text + f"各单位得分及名次详见{points_name}。"))
    return blocks


def ranking_sentence(units: list[UnitPoints], noun: str, separator: str) -> str:
    """Who leads and who scores below zero, with their ranks, among ``units`` (one group)."""
    top = [u for u in units if u.rank <= TOP_AND_BOTTOM and u.total > 0]
    negative = [u for u in units if u.total < 0]
    parts = [f"得分居前的是{named_scores(top)}"] if top else []
    parts.append(f"得分为负的{len(negative)}个{noun}是{named_scores(negative)}" if negative else f"没有得分为负的{noun}")
    return separator.join(parts)


def named_scores(units: list[UnitPoints]) -> str:
    return "、".join(f"{u.unit}（第{u.rank}名，{signed(u.total)}分）" for u in units)


def points_attachment(assessment: YearAssessment) -> tuple[Block, ...]:
    """The ranking; departments and streets (towns) each ranked among their own."""
    groups = assessment.by_group()
    if len(groups) <= 1:
        return (points_table(list(assessment.units)),)
    blocks: list[Block] = []
    for index, (group, own) in enumerate(groups, start=1):
        blocks += [Heading(2, f"（{w.heading_numeral(index)}）{group}"), points_table(list(own))]
    return tuple(blocks)


def points_table(units: list[UnitPoints]) -> Table:
    rows = tuple(
        (
            str(u.rank),
            u.unit,
            str(len(u.exceeded)),
            str(len(u.unmet)),
            str(len(u.commended)),
            str(len(u.criticised)),
            str(u.unanswered),
            signed(u.total),
        )
        for u in units
    )
    return Table(POINTS_COLUMNS, rows, POINTS_WIDTHS)


def notices_table(follow: FollowUp) -> Table:
    """Every notice issued before the account, with its answer and its state at the year end."""
    rows = []
    for index, status in enumerate(follow.notices, start=1):
        notice = status.notice
        first = status.answers[0] if status.answers else None
        answered = f"{w.chinese_date(first.arrived)}反馈" if first else "未反馈"
        rows.append((
            str(index), status.number, status.unit, w.chinese_date(notice.issued) if notice.issued else "",
            w.chinese_date(notice.deadline) if notice.deadline else "", answered, status.state,
        ))
    return Table(NOTICE_COLUMNS, tuple(rows), NOTICE_WIDTHS)


# requirements -------------------------------------------------------------------------------


def requirements(result: CycleResult, assessment: YearAssessment, issued: dt.date) -> list[Block]:
    campaign = result.campaign
    deadline = w.chinese_date(calendar.answer_deadline(campaign, issued))
    # Whoever lost points for a missed target explains it: a share (分解) missed too.
    missed = assessment.unmet + tuple(a for a in assessment.share_accounts if not a.done)
    unmet_units = list(dict.fromkeys(unit for a in missed for unit in a.indicator.units))
    blocks: list[Block] = []
    if unmet_units:
        blocks.append(
            Paragraph(
                f"{'、'.join(unmet_units)}要认真分析未完成年度目标的原因，于{deadline}前向{campaign.issuer}书面说明，"
                "并提出下一年度的改进措施。"
            )
        )
    blocks.append(
        Paragraph(
            f"各单位对本通报所列完成值和加减分如有异议，请于{deadline}前向{campaign.issuer}书面反馈并附佐证材料；"
            "逾期未反馈的，视为无异议。考核加减分结果纳入年度综合考核，作为领导班子和领导干部综合考核评价的重要依据。"
        )
    )
    return blocks
