"""Following notices up (督办 → 整改反馈 → 销号): each notice's state at a cut-off.

A notice issued at an earlier cut-off is, at a later document's date:
- 未到期: no answer yet, the deadline not passed;
- 按期反馈 / 逾期反馈: answered in writing by / after its deadline, not yet fixed;
- 逾期未反馈: no answer and the deadline passed;
- 已销号: an answer reported the problem fixed (整改到位) and the figures agree:
  none of the notice's indicators is 滞后, 严重滞后 or 未报送 for the unit at the
  cut-off (对账销号). The notice is closed and stops counting. Until the figures
  agree, an answer that reports the problem fixed counts as answered (按期 or
  逾期反馈) and the documents say which indicators are still behind: a bureau
  does not close a notice that its own document lists as lagging.
Only answers that had arrived by the document's date count (the as-of rule).
At a bulletin a unit with a notice 逾期未反馈 is criticised for it and its next
notice is escalated; the monthly report reminds (催办) without criticising.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from supervision_bulletin import calendar
from supervision_bulletin.evaluate import LAG_STATUSES, NOT_REPORTED, CycleResult, evaluate
from supervision_bulletin.model import Answer, Inputs
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.record import PUBLISHED, RecordedDocument

NOT_DUE, ON_TIME, LATE, OVERDUE, CLOSED = "未到期", "按期反馈", "逾期反馈", "逾期未反馈", "已销号"
STATES = (ON_TIME, LATE, OVERDUE, CLOSED, NOT_DUE)


@dataclass(frozen=True)
class NoticeStatus:
    notice: RecordedDocument
    state: str
    answers: tuple[Answer, ...]  # arrived by the date judged, earliest first
    # Reported fixed, but these of its indicators are still behind: ("1-1 实施重大项目", "滞后") …
    unconfirmed: tuple[tuple[str, str], ...] = ()

    @property
    def unit(self) -> str:
        return self.notice.unit or ""

    @property
    def number(self) -> str:
        return self.notice.number

    @property
    def deadline(self) -> dt.date:
        """The answer deadline: every notice is published with one."""
        assert self.notice.deadline is not None
        return self.notice.deadline

    @property
    def closing(self) -> Answer | None:
        """The answer that reported the problem fixed."""
        return next((a for a in self.answers if a.rectified), None)


@dataclass(frozen=True)
class FollowUp:
    """Every notice issued before ``as_of``, with its state then."""

    as_of: dt.date
    notices: tuple[NoticeStatus, ...]

    def counts(self) -> dict[str, int]:
        return {state: sum(1 for n in self.notices if n.state == state) for state in STATES}

    def in_state(self, state: str) -> tuple[NoticeStatus, ...]:
        return tuple(n for n in self.notices if n.state == state)

    @cached_property
    def overdue_by_unit(self) -> dict[str, tuple[NoticeStatus, ...]]:
        found: dict[str, list[NoticeStatus]] = {}
        for status in self.in_state(OVERDUE):
            found.setdefault(status.unit, []).append(status)
        return {unit: tuple(items) for unit, items in found.items()}


def check_answers(answers: tuple[Answer, ...], documents: list[RecordedDocument], as_of: dt.date) -> None:
    """Every answer that had arrived by ``as_of`` must name a notice the record holds,
    sent to the unit that answers, before the answer came; raises InputError naming
    each row that does not. Later answers wait for the document they arrive before."""
    log = ProblemLog()
    notices = {d.number: d for d in documents if d.kind == "notice" and d.state == PUBLISHED}
    for answer in answers:
        if answer.arrived > as_of:
            continue
        where = answer.location
        assert where is not None
        notice = notices.get(answer.number)
        if notice is None:
            log.add(where, unknown_number_message(answer.number, notices, as_of))
        elif notice.unit != answer.unit:
            log.add(where, f"{answer.number} 是发给{notice.unit}的督办通知，不是发给{answer.unit}的：请核对文号或反馈单位")
        elif notice.issued and answer.arrived < notice.issued:
            log.add(
                where,
                f"本行反馈日期 {answer.arrived.isoformat()} 早于督办通知 {answer.number} 的成文日期 "
                f"{notice.issued.isoformat()}：请核对反馈日期或文号",
            )
    log.raise_if_any()


def unknown_number_message(number: str, notices: dict[str, RecordedDocument], as_of: dt.date) -> str:
    close = difflib.get_close_matches(number, list(notices), n=2, cutoff=0.8)
    hint = f"，是否应为：{'、'.join(close)}？" if close else "。"
    year = re.search(r"〔(\d{4})〕", number)
    return (
        f"文号登记簿中没有 {number} 这份已发布的督办通知{hint}本期截止日（{as_of.isoformat()}）前收到的反馈"
        "必须对应此前已发布的督办通知；如那份通知所在的通报尚未生成，请先按时间顺序生成此前各期"
        f"（bulletin build {year.group(1) if year else '年度'} --all）"
    )


Behind = Mapping[str, Mapping[str, str]]  # unit → indicator id → status, for those behind at a cut-off


def behind_by_unit(result: CycleResult) -> dict[str, dict[str, str]]:
    """The indicators each unit has 滞后, 严重滞后 or 未报送 at ``result``'s cut-off,
    its shares included, with their status: what a notice reported fixed is checked against."""
    found: dict[str, dict[str, str]] = {}
    for judgement in result.judgements + result.share_judgements:
        if judgement.status in LAG_STATUSES or judgement.status == NOT_REPORTED:
            for unit in judgement.indicator.units:
                found.setdefault(unit, {})[judgement.indicator.id] = judgement.status
    return found


def behind_at(inputs: Inputs, day: dt.date) -> Behind | None:
    """The figures of the latest cut-off judged by ``day`` (on its default date), for
    following notices up between documents (the web page, the answer forms) exactly as
    the documents do: a reported fix closes a notice once the figures agree."""
    campaign = inputs.campaign
    if not campaign.rules.close_on_figures:
        return None
    as_of = calendar.default_as_of(campaign)
    judged = [month for month in calendar.cutoff_months(campaign) if as_of(month) <= day]
    if not judged:
        return {}
    return behind_by_unit(evaluate(inputs, calendar.document_period(campaign, judged[-1]), as_of))


def still_behind(notice: RecordedDocument, behind: Behind | None) -> tuple[tuple[str, str], ...]:
    """(subject, status) of the notice's indicators its unit still has behind; none
    when nothing is known of the figures."""
    if behind is None:
        return ()
    own = behind.get(notice.unit or "", {})
    ids = ((subject, subject.split(" ")[0]) for subject in notice.subjects)  # "22-2 建成棚改安置房"
    return tuple((subject, own[id_]) for subject, id_ in ids if id_ in own)


def notice_state(
    notice: RecordedDocument, answers: tuple[Answer, ...], as_of: dt.date, unconfirmed: tuple[tuple[str, str], ...] = ()
) -> str:
    if any(a.rectified for a in answers) and not unconfirmed:
        return CLOSED
    if answers:
        assert notice.deadline is not None
        return ON_TIME if answers[0].arrived <= notice.deadline else LATE
    if notice.deadline is not None and as_of > notice.deadline:
        return OVERDUE
    return NOT_DUE


def follow_up(
    documents: list[RecordedDocument], answers: tuple[Answer, ...], as_of: dt.date, behind: Behind | None = None
) -> FollowUp:
    """The state at ``as_of`` of every published notice issued before it; ``behind``
    (behind_by_unit) the figures a reported fix is checked against."""
    statuses = []
    for notice in documents:
        if notice.kind != "notice" or notice.state != PUBLISHED or not notice.issued or notice.issued >= as_of:
            continue
        own = tuple(sorted((a for a in answers if a.number == notice.number and a.arrived <= as_of),
                           key=lambda a: a.arrived))
        unconfirmed = still_behind(notice, behind) if any(a.rectified for a in own) else ()
        statuses.append(NoticeStatus(notice, notice_state(notice, own, as_of, unconfirmed), own, unconfirmed))
    return FollowUp(as_of, tuple(sorted(statuses, key=lambda s: s.notice.serial)))


def with_overdue_criticised(result: CycleResult, follow: FollowUp) -> CycleResult:
    """At a bulletin, a unit that left a notice unanswered past its deadline is
    criticised for it (and so never commended), like a shortfall in its figures."""
    if result.period.kind == "month" or not follow.overdue_by_unit:
        return result
    supervised = {u.name for u in result.plan.units if u.supervised}
    units = []
    for unit in result.units:
        overdue = follow.overdue_by_unit.get(unit.unit, ())
        if overdue and unit.unit in supervised:
            evidence = unit.evidence if unit.verdict == "criticised" else ()
            unit = dataclasses.replace(
                unit, verdict="criticised", evidence=evidence, overdue=tuple(s.number for s in overdue)
            )
        units.append(unit)
    return dataclasses.replace(result, units=tuple(units))


def points_for_unanswered(follow: FollowUp) -> dict[str, int]:
    """Notices still unanswered past their deadline at the year end, per unit."""
    return {unit: len(items) for unit, items in follow.overdue_by_unit.items()}
