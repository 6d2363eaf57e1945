"""The monthly supervision report (月度督查通报).

Contents (supervision.md): how many indicators are in each status, the lagging
ones (滞后 / 严重滞后 / 未报送) with their units and figures, and the reports that
were missing or late that month; the attachment lists every indicator as the
bulletin's does.

The monthly report states and urges (督促); it neither commends nor criticises
and sends no notice (supervision.md, The calendar): praise, criticism and
notices belong to the bulletins, so that the documents of one cut-off never
disagree and a shortfall is judged once, at the bulletin. "Twice running" here
means two months running. Reports that missed the previous cut-off and came
since are listed as 补报 (the as-of rule: they count from this document on).
"""

from __future__ import annotations

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
    indicator_attachment,
    shares_attachment,
    status_summary,
    with_follow_up,
)
from supervision_bulletin.compose.follow_up import follow_up_section
from supervision_bulletin.document import (
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from supervision_bulletin.evaluate import (
    GOOD_STATUSES,
    LAGGING,
    NOT_REPORTED,
    SEVERELY_LAGGING,
    CycleResult,
    Judgement,
    Submission,
)
from supervision_bulletin.follow_up import FollowUp

LAG_ORDER = (SEVERELY_LAGGING, NOT_REPORTED, LAGGING)
SUBMISSION_COLUMNS = ("序号", "责任单位", "指标", "报送日期", "情况")
SUBMISSION_WIDTHS = (8, 30, 56, 38, 24)


def compose_monthly_report(
    result: CycleResult, issue: Issue, previous: CycleResult | None = None, follow: FollowUp | None = None
) -> OfficialDocument:
    campaign = result.campaign
    period = result.period
    title = f"关于{campaign.name}{period_phrase(period)}督查情况的通报"
    table_name = f"截至{period.index}月底重点指标推进情况表"
    sections = with_follow_up((
        ("总体情况", overall(result, previous)),
        ("滞后指标情况", lagging_indicators(result)),
        (f"{period.index}月份进展情况报送情况", submissions(result)),
        ("督促事项", urgings(result)),
        ("下步工作要求", requirements(result)),
    ), follow_up_section(follow, bulletin=False, next_bulletin=next_bulletin_name(result)))
    return standard_document(
        campaign,
        issue,
        kind="monthly_report",
        title=title,
        body=numbered_sections(opening(result), sections),
        attachments=attachments_labelled(
            (table_name, indicator_attachment(result, previous)), *filter(None, [shares_attachment(result)])
        ),
        slug=f"{period.label}-月度督查通报",
    )


def opening(result: CycleResult) -> Paragraph:
    campaign = result.campaign
    month = result.period.index
    return Paragraph(
        f"{supervision_basis(campaign)}，{supervision_method(campaign, result.as_of)}，对截至{month}月底"
        f"{len(result.plan.tasks)}项重点任务、{len(result.judgements)}项指标的推进情况和{month}月份进展情况报送情况"
        "进行了督查。现将有关情况通报如下。"
    )


def good_count(result: CycleResult) -> int:
    return sum(1 for j in result.judgements if j.status in GOOD_STATUSES)


def overall(result: CycleResult, previous: CycleResult | None) -> list[Block]:
    judgements = result.judgements
    month = result.period.index
    good = good_count(result)
    share = good / len(judgements) if judgements else 0
    text = (
        f"截至{month}月底，{len(judgements)}项指标中，{status_summary(result, judgements)}；"
        f"达到序时进度或目标要求的{good}项，占{w.percent(share)}。"
    )
    if previous is not None:
        text += change_sentence(good, good_count(previous), previous.period.end_month)
    behind = [j for j in judgements if j.status in LAG_ORDER]
    if behind:
        units = units_of(behind)
        involved = f"{'、'.join(units)}{len(units)}个单位" if len(units) > 1 else units[0]
        text += f"滞后（含严重滞后、未报送）指标{len(behind)}项，涉及{involved}。"
    return [Paragraph(text + shares_sentence(result) + assessment_sentence(result))]


def shares_sentence(result: CycleResult) -> str:
    """The units' own shares (分解), counted apart so that the indicators' figures stay whole."""
    shares = result.share_judgements
    if not shares:
        return ""
    behind = [j for j in shares if j.status in LAG_ORDER]
    good = sum(1 for j in shares if j.status in GOOD_STATUSES)
    text = f"分解到各单位的{len(shares)}项分解任务中，达到序时进度的{good}项"
    if behind:
        units = units_of(behind)
        text += f"，滞后（含严重滞后、未报送）{len(behind)}项，涉及{'、'.join(units)}"
    return text + "。"


def change_sentence(now: int, before: int, before_month: int) -> str:
    if now == before:
        return f"与{before_month}月底持平。"
    direction = "增加" if now > before else "减少"
    return f"较{before_month}月底{direction}{abs(now - before)}项（{before_month}月底为{before}项）。"


def units_of(judgements: list[Judgement]) -> list[str]:
    """The units accountable, in order met (a share's unit is its holder)."""
    return list(dict.fromkeys(unit for j in judgements for unit in j.indicator.units))


def lagging_indicators(result: CycleResult) -> list[Block]:
    """Indicators behind schedule, worst first, then the units' own shares (分解) behind:
    apart, so that each count here is the one the overall figures give."""
    blocks: list[Block] = []
    groups = [(f"{status}指标", [j for j in result.judgements if j.status == status]) for status in LAG_ORDER]
    shares = [j for status in LAG_ORDER for j in result.share_judgements if j.status == status]
    groups = [(label, items) for label, items in groups + [("滞后的分解任务", shares)] if items]
    if not groups:
        return [Paragraph("本月没有滞后、严重滞后或未报送的指标。")]
    for index, (label, items) in enumerate(groups, start=1):
        blocks.append(Heading(2, f"（{w.heading_numeral(index)}）{label}（{len(items)}项）"))
        for number, judgement in enumerate(items, start=1):
            blocks.append(Paragraph(lag_item(judgement), lead=f"{number}."))
    return blocks


def lag_item(judgement: Judgement) -> str:
    text = w.evidence(judgement)
    if judgement.indicator.type == "累计" and judgement.report and judgement.benchmark_share is not None:
        text += f"（序时进度为{w.percent(judgement.benchmark_share)}）"
    if note := w.lag_note(judgement):
        text += note
    elif judgement.indicator.is_share and judgement.status != NOT_REPORTED:
        text += f"，属{judgement.status}"  # shares of every status share one list
    text += f"。责任单位：{'、'.join(judgement.indicator.units)}。"
    problem = w.reported_problem(judgement)
    return text + (f"单位反映的主要问题：{w.quoted(problem)}。" if problem else "")


def late_or_missing(result: CycleResult) -> list[Submission]:
    return [s for s in result.submissions if s.late or s.missing]


def submissions(result: CycleResult) -> list[Block]:
    owed = result.submissions
    late = [s for s in owed if s.late]
    missing = [s for s in owed if s.missing]
    on_time = len(owed) - len(late) - len(missing)
    month = result.period.index
    due = owed[0].due if owed else None
    shares = sum(1 for s in owed if s.unit in result.plan.share_holders(s.indicator_id))
    what = f"（其中指标{len(owed) - shares}项、分解任务{shares}项）" if shares else "指标"
    text = f"{month}月份应报送{len(owed)}项{what}进展情况"
    if due is not None:
        text += f"（报送截止日期为{w.chinese_date(due)}）"
    text += f"，按时报送{on_time}项，逾期报送{len(late)}项，未报送{len(missing)}项。"
    if not late and not missing:
        blocks: list[Block] = [Paragraph(text + "各单位均按时报送。")]
    else:
        blocks = [Paragraph(text + "逾期报送和未报送的情况如下："), submission_table(result)]
    if result.made_good:
        blocks.append(Paragraph(made_good_sentence(result)))
    if result.still_missing:
        blocks.append(Paragraph(still_missing_sentence(result)))
    return blocks


def still_missing_sentence(result: CycleResult) -> str:
    """Reports of earlier months that have never come: named again until they do."""
    names = {indicator.id: indicator.name for indicator in result.plan.indicators}
    clauses = [f"{s.unit}{s.month}月{w.quoted(names[s.indicator_id])}进展情况" for s in result.still_missing]
    return "此前月份至今仍未报送的：" + "；".join(clauses) + "。"


def made_good_sentence(result: CycleResult) -> str:
    """Reports missing at the previous cut-off that came since: late, and counted from now on."""
    names = {indicator.id: indicator.name for indicator in result.plan.indicators}
    clauses = [
        f"{s.unit}{s.month}月{w.quoted(names[s.indicator_id])}进展情况于{w.chinese_date(s.submitted)}补报，{w.days_late(s)}"
        for s in result.made_good
        if s.submitted is not None
    ]
    return "上期截止时尚未报送、此后补报的：" + "；".join(clauses) + "。补报数据自本期起纳入评判。"


def submission_table(result: CycleResult) -> Table:
    names = {indicator.id: w.indicator_label(indicator) for indicator in result.plan.indicators}
    rows = []
    for serial, s in enumerate(late_or_missing(result), start=1):
        if s.missing:
            date, state = "未报送", "未报送"
        elif s.submitted is None:
            date, state = "未填写", "按逾期处理"
        else:
            date, state = w.chinese_date(s.submitted), w.days_late(s)
        rows.append((str(serial), s.unit, f"{s.indicator_id} {names[s.indicator_id]}", date, state))
    return Table(SUBMISSION_COLUMNS, tuple(rows), SUBMISSION_WIDTHS)


def urgings(result: CycleResult) -> list[Block]:
    """督促: who must catch up and who must report, by name; no verdict (the bulletin judges)."""
    behind = [j for j in result.judgements + result.share_judgements if j.status in (SEVERELY_LAGGING, LAGGING)]
    missing = [s for s in result.submissions if s.missing and s.month == result.period.index]
    blocks: list[Block] = []
    if behind:
        units = units_of(behind)
        blocks.append(Paragraph(
            f"请{'、'.join(units)}对照序时进度，逐项分析{'所负责指标' if len(units) == 1 else '各自负责指标'}滞后的原因，"
            "加大推进力度，确保尽快赶上序时进度。"
        ))
    earlier = list(dict.fromkeys(s.unit for s in result.still_missing))
    if missing or earlier:
        units = list(dict.fromkeys(s.unit for s in missing))
        asked = [f"请{'、'.join(units)}立即补报{result.period.index}月份进展情况。"] if units else []
        if earlier:
            asked.append(f"请{'、'.join(earlier)}立即补报此前月份未报送的进展情况。")
        blocks.append(Paragraph("".join(asked) + "补报情况和滞后指标的追赶情况将在下一期督查中反映。"))
    if not blocks:
        blocks.append(Paragraph("本月各项指标均达到序时进度且按时报送，请各单位保持工作力度。"))
    if result.period.kind == "month":
        blocks.append(Paragraph(
            f"本月督查情况将在{next_bulletin_name(result)}中一并体现，届时对推进不力的单位予以通报批评。"
        ))
    return blocks


def next_bulletin_name(result: CycleResult) -> str:
    month = result.period.index
    if month < 6:
        return "第一季度通报" if month < 3 else "上半年工作通报"
    return "第三季度通报" if month < 9 else "年底交账通报"


def requirements(result: CycleResult) -> list[Block]:
    campaign = result.campaign
    return [
        Paragraph(
            "各责任单位要对照年度目标和序时进度，逐项查找滞后原因，制定针对性措施，确保滞后指标尽快赶上序时进度。"
        ),
        Paragraph(
            f"各单位要于每月{campaign.report_due_day}日前报送上月进展情况，做到数据真实、准确、完整，不得迟报、漏报。"
            f"{campaign.issuer}将持续跟踪督办。"
        ),
    ]
