"""Typed records of a campaign: its settings, its plan and the units' reports.

These are what the validate stage produces from raw tables and what every later
stage reads. They carry the place they came from, so that a judgement can
always be traced back to a row a user can open.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from supervision_bulletin.intake import Ledger

Comparison = Literal[">=", "<="]
IndicatorType = Literal["累计", "水平", "定性"]
QUALITATIVE_VALUES = ("已完成", "推进中", "滞后")
LOCAL_TYPES = ("街道", "乡镇")


@dataclass(frozen=True)
class Location:
    """A place in the inputs: file, and where it applies sheet, row and column."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # the column's header, e.g. 目标值
    column_letter: str | None = None  # e.g. E

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            letter = f"{self.column_letter}列" if self.column_letter else ""
            parts.append(f"{letter}“{self.column}”")
        return "，".join(parts)


@dataclass(frozen=True)
class Rules:
    """Evaluation thresholds (supervision.md); campaign.yaml `rules` overrides them."""

    ahead_margin: float = 0.10  # 超序时: value ≥ benchmark × (1 + margin)
    severe_gap: float = 0.10  # 严重滞后: behind by ≥ this share of the annual target
    exceed_margin: float = 0.10  # year end: +1 point when the target is beaten by this much
    points_exceeded: float = 1.0
    points_unmet: float = -1.0
    points_commended: float = 0.5
    points_criticised: float = -0.5
    points_unanswered: float = -0.5  # each notice still unanswered past its deadline at the year end
    answer_working_days: int = 10  # a notice must be answered within this many working days
    # 对账销号: a notice reported fixed closes only once its indicators are no longer
    # behind; False closes it on the unit's word (整改到位) alone.
    close_on_figures: bool = True


@dataclass(frozen=True)
class Contact:
    """Who a unit calls about a notice: printed at the end of every notice."""

    name: str
    phone: str


ReportEvery = Literal["month", "quarter"]

# 公开方式 (政府信息公开): only 主动公开 documents go on the website.
DISCLOSURES = ("主动公开", "依申请公开", "不公开")
PUBLIC = "主动公开"


@dataclass(frozen=True)
class SiteSettings:
    """campaign.yaml `site`: how the year's documents appear on the government website."""

    index_prefix: str = ""  # 索引号 prefix; "" → derived from the code (supervision_bulletin.site)
    docx: bool = False  # offer the Word file beside the PDF
    # 公开方式 by document kind, overriding the defaults: the bulletins 主动公开,
    # a notice (sent to one unit) 不公开.
    public: tuple[tuple[str, str], ...] = ()

    def disclosure(self, kind: str) -> str:
        return dict(self.public).get(kind) or ("不公开" if kind == "notice" else PUBLIC)


@dataclass(frozen=True)
class Campaign:
    name: str
    year: int
    issuer: str
    code: str
    recipients: str
    cc: tuple[str, ...] = ()
    printer: str = ""
    report_due_day: int = 5
    rules: Rules = field(default_factory=Rules)
    report_every: ReportEvery = "month"
    plan_document: str = ""  # the plan supervised, quoted in every opening
    contact: Contact | None = None
    # campaign.yaml `calendar`: dates on top of the national calendar.
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()
    site: SiteSettings = field(default_factory=SiteSettings)


@dataclass(frozen=True)
class Unit:
    name: str
    aliases: tuple[str, ...] = ()
    type: str = ""
    # 督查对象: a unit this supervision does not direct (a court, a Party organ) is
    # reported with its figures but never commended, criticised or sent a notice.
    supervised: bool = True

    @property
    def is_local(self) -> bool:
        """A street or town: ranked, praised and criticised apart from the departments."""
        return self.type in LOCAL_TYPES


@dataclass(frozen=True)
class Task:
    id: str
    domain: str
    text: str
    leads: tuple[str, ...]
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    id: str
    task_id: str
    name: str
    measure: str  # 计量单位; "" for 定性
    target: float | None  # None for 定性
    comparison: Comparison
    type: IndicatorType
    units: tuple[str, ...]
    checkpoints: tuple[float, float, float, float] | None = None
    location: Location | None = None
    report_every: ReportEvery = "month"  # 报送频次, else the campaign's report_every
    # Set on the indicator as one unit's share of it (plan sheet 分解): the unit, and
    # target and checkpoints are that unit's own.
    share_unit: str | None = None

    @property
    def is_ceiling(self) -> bool:
        return self.comparison == "<="

    @property
    def is_share(self) -> bool:
        return self.share_unit is not None


@dataclass(frozen=True)
class Share:
    """One unit's part of an indicator's target (plan sheet 分解, a 目标分解计划)."""

    indicator_id: str
    unit: str
    target: float | None  # None for 定性
    checkpoints: tuple[float, float, float, float] | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Plan:
    units: tuple[Unit, ...]
    tasks: tuple[Task, ...]
    indicators: tuple[Indicator, ...]
    shares: tuple[Share, ...] = ()

    @property
    def share_indicators(self) -> tuple[Indicator, ...]:
        """Each share as the indicator its unit is judged on: same measure and rules,
        the unit's own target and checkpoints."""
        by_id = {indicator.id: indicator for indicator in self.indicators}
        return tuple(
            dataclasses.replace(
                by_id[share.indicator_id], target=share.target, checkpoints=share.checkpoints,
                units=(share.unit,), share_unit=share.unit, location=share.location,
            )
            for share in self.shares
            if share.indicator_id in by_id
        )

    def share_holders(self, indicator_id: str) -> tuple[str, ...]:
        return tuple(share.unit for share in self.shares if share.indicator_id == indicator_id)

    def unit_type(self, name: str) -> str:
        return next((unit.type for unit in self.units if unit.name == name), "")

    @property
    def outside_supervision(self) -> frozenset[str]:
        """Units this supervision does not direct (督查对象 否): reported, never judged,
        scored or lit."""
        return frozenset(unit.name for unit in self.units if not unit.supervised)

    @property
    def local_label(self) -> str:
        """How documents name the plan's streets and towns together."""
        kinds = [kind for kind in LOCAL_TYPES if any(unit.type == kind for unit in self.units)]
        return "（".join(kinds) + "）" if len(kinds) == 2 else (kinds[0] if kinds else "街道")

    def unit_groups(self, names: list[str]) -> list[tuple[str, list[str]]]:
        """Departments, then streets and towns, as real bulletins set them apart (and
        rank them apart); one unlabelled group when none of ``names`` is a street or town."""
        local = [name for name in names if self.unit_type(name) in LOCAL_TYPES]
        if not local:
            return [("", names)]
        others = [name for name in names if name not in local]
        # A company or a court among them is no 部门: 部门（单位）, as district documents say.
        label = "部门" if all(self.unit_type(name) == "部门" for name in others) else "部门（单位）"
        return [(label, others), (self.local_label, local)]

    @property
    def domains(self) -> tuple[str, ...]:
        """Domains in the order the plan first names them."""
        return tuple(dict.fromkeys(task.domain for task in self.tasks))

    def task(self, task_id: str) -> Task:
        return next(task for task in self.tasks if task.id == task_id)


@dataclass(frozen=True)
class Report:
    """One unit's figure for one indicator in one month."""

    indicator_id: str
    unit: str  # canonical name
    month: int
    value: float | None  # 累计 / 水平
    status_word: str | None  # 定性: 已完成 / 推进中 / 滞后
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    submitted: dt.date | None = None
    location: Location | None = None
    share: bool = False  # the unit's figure for its own share (分解), not the indicator's total


@dataclass(frozen=True)
class Answer:
    """A unit's written answer to a notice (整改反馈)."""

    number: str  # the notice answered: 老城督查〔2023〕7号
    unit: str  # canonical name
    arrived: dt.date  # 反馈日期
    text: str = ""  # 整改情况, quoted in documents
    rectified: bool = False  # 整改到位: the notice can be closed (销号)
    location: Location | None = None


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, validated."""

    campaign: Campaign
    plan: Plan
    reports: tuple[Report, ...]
    months_with_data: tuple[int, ...]
    answers: tuple[Answer, ...] = ()
    # What became of every report row read (supervision_bulletin.intake); not part of equality.
    ledger: Ledger | None = field(default=None, compare=False)
