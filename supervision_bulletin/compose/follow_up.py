"""督办事项落实情况: the section every document gives the notices issued before it.

Counts by state, then by name: the notices closed (销号) with what the unit did,
those answered but not yet fixed, those still within their deadline, and the
units that let the deadline pass without a word (逾期未反馈). A bulletin
criticises the last and escalates them (their names are in its criticism too);
the monthly report chases them (催办) and says the next bulletin will judge.
"""

from __future__ import annotations

from supervision_bulletin import wording as w
from supervision_bulletin.document import Block, Paragraph
from supervision_bulletin.follow_up import CLOSED, LATE, NOT_DUE, ON_TIME, OVERDUE, STATES, FollowUp, NoticeStatus

SECTION_TITLE = "督办事项落实情况"


def follow_up_section(follow: FollowUp | None, bulletin: bool, next_bulletin: str = "") -> tuple[str, list[Block]] | None:
    """(heading, blocks), or None when no notice was issued before this document."""
    if follow is None or not follow.notices:
        return None
    counts = follow.counts()
    parts = [f"{state}{counts[state]}份" for state in STATES if counts[state]]
    blocks: list[Block] = [
        Paragraph(f"截至{w.chinese_date(follow.as_of)}，此前下发的督办通知共{len(follow.notices)}份，其中{'，'.join(parts)}。")
    ]
    closed = follow.in_state(CLOSED)
    if closed:
        blocks.append(Paragraph("；".join(closed_clause(s) for s in closed) + "。", lead="已整改到位、予以销号的："))
    answered = follow.in_state(ON_TIME) + follow.in_state(LATE)
    if answered:
        blocks.append(Paragraph(
            "；".join(answered_clause(s) for s in answered) + "。请上述单位继续抓好整改，整改到位后及时书面报告。",
            lead="已书面反馈、尚未整改到位的：",
        ))
    pending = follow.in_state(NOT_DUE)
    if pending:
        blocks.append(Paragraph(
            "；".join(f"{s.unit}（{s.number}，应于{w.chinese_date(s.deadline)}前反馈）" for s in pending) + "。",
            lead="尚在整改期限内的：",
        ))
    overdue = follow.in_state(OVERDUE)
    if overdue:
        names = "、".join(dict.fromkeys(s.unit for s in overdue))
        clauses = "；".join(overdue_clause(s) for s in overdue)
        if bulletin:
            action = f"对{names}予以通报批评，并实行升级督办。"
        else:
            action = f"请{names}立即书面报送整改情况（催办）；仍不反馈的，将在{next_bulletin}中予以通报批评。"
        blocks.append(Paragraph(f"{clauses}。{action}", lead="逾期未反馈的："))
    return SECTION_TITLE, blocks


def closed_clause(status: NoticeStatus) -> str:
    closing = status.closing
    assert closing is not None
    text = f"{status.unit}（{status.number}，{w.chinese_date(closing.arrived)}反馈"
    if closing.text:
        text += f"：{w.quoted(closing.text.rstrip('。；;'))}"
    return text + "）"


def answered_clause(status: NoticeStatus) -> str:
    first = status.answers[0]
    timing = "按期" if status.state == ON_TIME else "逾期"
    text = f"{status.unit}（{status.number}，{w.chinese_date(first.arrived)}{timing}反馈"
    if status.unconfirmed:
        still = "、".join(f"{w.quoted(subject.split(' ', 1)[-1])}仍{state}" for subject, state in status.unconfirmed)
        text += f"，报告已整改到位，但截至本期{still}，暂不销号"
    return text + "）"


def overdue_clause(status: NoticeStatus) -> str:
    return f"{status.unit}（{status.number}，应于{w.chinese_date(status.deadline)}前反馈，至今未反馈）"
