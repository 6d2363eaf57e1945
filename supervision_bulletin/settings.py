"""campaign.yaml's schema, and its problems said as the workbooks' are.

The models below are the whole of what campaign.yaml may hold (the input
contract's keys, with their defaults and ranges); a key they do not know is an
error. Each field's ``title`` is what the setting is and its ``description``
what a value must be ("为四位年份，如 2023"): every problem is made from them,
the key path and the value found, in Chinese, with the row the key is on when
the loader knows it. None of the validation library's own wording is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from supervision_bulletin.document import KIND_NAMES
from supervision_bulletin.load import FULL_WIDTH_KEY
from supervision_bulletin.model import DISCLOSURES, Campaign, Contact, Location, Rules, SiteSettings
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.values import (
    YES_NO,
    ValueProblem,
    normalise_cjk_text,
    normalise_text,
    printable,
    read_date,
    shown,
    split_names,
    suggestion,
)

FILE = "campaign.yaml"
# A custom error whose ctx["detail"] is the sentence after the key path.
SAID = "said"
# 索引号 prefix: letters, digits and the separators index numbers use (11410302MB1234567X/…, C001-0013-…).
INDEX_PREFIX = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z./_-]{0,38}[0-9A-Za-z])?$")
# A key typed with a full-width colon reads as text (contact: "name：张三").
FULL_WIDTH_HINT = "（键名后用了全角冒号“：”，应为半角冒号加空格“: ”）"
REPORT_EVERY = {"month": "month", "quarter": "quarter", "月": "month", "季": "quarter",
                "每月": "month", "每季": "quarter", "月度": "month", "季度": "quarter"}
KIND_KEYS = {**{key: key for key in KIND_NAMES}, **{name: key for key, name in KIND_NAMES.items()}}


def said(detail: str) -> PydanticCustomError:
    return PydanticCustomError(SAID, "{detail}", {"detail": detail})


# value types ------------------------------------------------------------------------------


def as_text(value: Any) -> str:
    """A setting as printed, by the same rule as every cell (values.read_text)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        raise PydanticCustomError("text_type", "")
    return printable(value).strip()


def as_names(value: Any) -> Any:
    """cc as a list (an empty item left out), or one line of names separated by 、 or commas."""
    if isinstance(value, str):
        return split_names(printable(value))
    return [item for item in value if not blank(item)] if isinstance(value, list) else value


def as_report_every(value: Any) -> Any:
    return REPORT_EVERY.get(str(value).strip(), value)


def as_list(value: Any) -> Any:
    """One date where a list of them is meant is that list."""
    return value if isinstance(value, (list, tuple)) else [value]


def as_day(value: Any) -> dt.date:
    """A date as YAML reads it (2027-10-08) or as typed (2027年10月8日, 20271008);
    a small number is not one here, as it is in a cell (an Excel serial)."""
    if isinstance(value, (bool, dict, list)) or value is None or (
        isinstance(value, (int, float)) and not 19000101 <= value <= 99991231
    ):
        raise said(f"中的日期“{found_text(value)}”不是有效日期，请写作 2027-10-08 或 2027年10月8日")
    try:
        return read_date(value).value
    except ValueProblem as problem:
        raise said(f"中的日期{problem}") from None


def as_index_prefix(value: Any) -> str:
    prefix = normalise_text(value)
    if not INDEX_PREFIX.match(prefix):
        raise PydanticCustomError("index_prefix", "")
    return prefix


def as_yes_no(value: Any) -> Any:
    return YES_NO.get(value.strip(), value) if isinstance(value, str) else value


def as_kind(value: Any) -> str:
    """A document kind by its key (notice) or its Chinese name (督办通知)."""
    kind = KIND_KEYS.get(normalise_text(value))
    if kind is None:
        hint = suggestion(str(value), list(KIND_KEYS)) or (
            f"，可用的有：{'、'.join(KIND_NAMES)}（或{'、'.join(KIND_NAMES.values())}）"
        )
        raise said(f"中的“{printable(value)}”不是公文种类{hint}")
    return kind


def as_disclosure(value: Any) -> str:
    way = normalise_text(value)
    if way not in DISCLOSURES:
        hint = suggestion(way, list(DISCLOSURES)) or f"，可用的有：{'、'.join(DISCLOSURES)}"
        typed = printable(way) if isinstance(value, str) else found_text(value)
        raise said(f"的公开方式“{typed}”无法识别{hint}")
    return way


def one_way_per_kind(value: Any, handler) -> dict[str, str]:
    """site.public may name a kind twice (notice and 督办通知), but not with two ways."""
    chosen = handler(value)
    ways: dict[str, set[str]] = {}
    for key, way in value.items():
        ways.setdefault(KIND_KEYS[normalise_text(key)], set()).add(normalise_text(way))
    for kind, both in ways.items():
        if len(both) > 1:
            raise said(f"对{KIND_NAMES[kind]}写了两种公开方式（{'、'.join(sorted(both))}），请只保留一种")
    return chosen


Text = Annotated[str, BeforeValidator(as_text)]
Number = Annotated[float, Field(strict=True)]
WholeNumber = Annotated[int, Field(strict=True)]
Day = Annotated[dt.date, BeforeValidator(as_day)]
Days = Annotated[tuple[Day, ...], BeforeValidator(as_list)]
Kind = Annotated[str, BeforeValidator(as_kind)]
Disclosure = Annotated[str, BeforeValidator(as_disclosure)]


# the schema -------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Section(BaseModel):
    """A mapping of campaign.yaml: only its own keys, a key left empty is not set."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _empty_is_unset(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and info.field_name is None:  # not one field's assignment (read_campaign)
            return {key: value for key, value in data.items() if not (key in cls.model_fields and blank(value))}
        return data


class RulesSection(Section):
    """rules: the evaluation thresholds and points (supervision.md), defaults in model.Rules."""

    ahead_margin: Number = Field(Rules.ahead_margin, description="为数值（超序时：超出序时进度的比例，如 0.10）")
    severe_gap: Number = Field(Rules.severe_gap, description="为数值（严重滞后：落后年度目标的比例，如 0.10）")
    exceed_margin: Number = Field(Rules.exceed_margin, description="为数值（年底超额完成目标的比例，如 0.10）")
    points_exceeded: Number = Field(Rules.points_exceeded, description="为数值（超额完成目标的加分，如 1）")
    points_unmet: Number = Field(Rules.points_unmet, description="为数值（未完成目标的扣分，如 -1）")
    points_commended: Number = Field(Rules.points_commended, description="为数值（通报表扬的加分，如 0.5）")
    points_criticised: Number = Field(Rules.points_criticised, description="为数值（通报批评的扣分，如 -0.5）")
    points_unanswered: Number = Field(
        Rules.points_unanswered, description="为数值（督办通知年底仍逾期未反馈的扣分，如 -0.5）"
    )
    answer_working_days: WholeNumber = Field(
        Rules.answer_working_days, description="为整数（督办通知的整改期限，工作日数，如 10）"
    )
    close_on_figures: Annotated[bool, Field(strict=True), BeforeValidator(as_yes_no)] = Field(
        Rules.close_on_figures,
        description="为 true（单位反馈整改到位、且通知所列指标不再滞后才销号）或 false（单位反馈整改到位即销号）",
    )


class ContactSection(Section):
    name: Text = Field(title="联系人姓名", description="为联系人姓名")
    phone: Text = Field(title="联系电话", description="为联系电话（固定电话写区号）")


class CalendarSection(Section):
    holidays: Days = Field((), description="为日期的列表，如 [2027-10-08]")
    workdays: Days = Field((), description="为日期的列表，如 [2027-10-09]")

    @model_validator(mode="after")
    def _a_day_is_one_or_the_other(self) -> CalendarSection:
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            days = "、".join(day.isoformat() for day in both)
            raise said(f"中 {days} 同时列在 holidays 和 workdays 中，请只保留一处")
        return self


class SiteSection(Section):
    index_prefix: Annotated[str, BeforeValidator(as_index_prefix)] = Field(
        "", description="为由字母、数字和 - / . _ 组成的索引号前缀（如 C001-0013，不超过 40 个字符）"
    )
    docx: Annotated[bool, Field(strict=True), BeforeValidator(as_yes_no)] = Field(
        False, description="为 true（网站同时提供 Word 文件）或 false（只提供 PDF）"
    )
    public: Annotated[dict[Kind, Disclosure], WrapValidator(one_way_per_kind)] = Field(
        default_factory=dict, description="写作 {notice: 不公开, monthly_report: 主动公开}"
    )


class CampaignSettings(Section):
    """The whole of campaign.yaml (input contract, campaign.yaml)."""

    name: Text = Field(title="活动名称", description="为活动名称，如 2023年老城区高质量发展赶超活动")
    year: Annotated[int, Field(strict=True, ge=2000, le=2100)] = Field(title="活动年度", description="为四位年份，如 2023")
    issuer: Text = Field(title="发文机关", description="为发文机关名称，如 老城区委区政府督查局")
    code: Text = Field(title="机关代字", description="为机关代字，如 老城督查")
    recipients: Text = Field(title="主送机关", description="为主送机关，如 各街道办事处，区政府有关部门")
    cc: Annotated[tuple[Text, ...], BeforeValidator(as_names)] = Field(
        (), title="抄送机关", description="为抄送机关的列表，如 [区委办公室, 区政府办公室]"
    )
    printer: Text = Field("", title="印发机关", description="为印发机关名称（不写时同发文机关）")
    report_due_day: Annotated[int, Field(strict=True, ge=1, le=28)] = Field(
        5, title="月报截止日", description="为 1 至 28 之间的整数"
    )
    rules: RulesSection = Field(
        default_factory=RulesSection, title="评判阈值",
        description="为“名称: 数值”形式的设置，如 {ahead_margin: 0.10, answer_working_days: 10}",
    )
    report_every: Annotated[Literal["month", "quarter"], BeforeValidator(as_report_every)] = Field(
        "month", title="报送频次", description="为 month（每月报送）或 quarter（每季度报送）"
    )
    plan_document: Text = Field("", title="方案名称", description="为被督查的方案名称，如 《2023年××活动方案》")
    contact: ContactSection | None = Field(
        None, title="联系人", description="写作 {name: 联系人姓名, phone: 联系电话}"
    )
    calendar: CalendarSection = Field(
        default_factory=CalendarSection, title="补充日历",
        description="写作 {holidays: [2027-10-08], workdays: [2027-10-09]}",
    )
    site: SiteSection = Field(
        default_factory=SiteSection, title="网站设置",
        description="写作 {index_prefix: C001-0013, docx: false, public: {notice: 不公开}}",
    )

    @field_validator("cc")
    @classmethod
    def _no_empty_names(cls, cc: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in cc if name)

    def to_campaign(self) -> Campaign:
        site = self.site
        return Campaign(
            name=self.name,
            year=self.year,
            issuer=self.issuer,
            code=self.code,
            recipients=normalise_cjk_text(self.recipients),
            cc=self.cc,
            printer=self.printer or self.issuer,
            report_due_day=self.report_due_day,
            rules=Rules(**self.rules.model_dump()),
            report_every=self.report_every,
            plan_document=normalise_cjk_text(self.plan_document),
            contact=Contact(self.contact.name, self.contact.phone) if self.contact else None,
            extra_holidays=tuple(sorted(set(self.calendar.holidays))),
            extra_workdays=tuple(sorted(set(self.calendar.workdays))),
            site=SiteSettings(
                index_prefix=site.index_prefix,
                docx=site.docx,
                public=tuple((kind, site.public[kind]) for kind in KIND_NAMES if kind in site.public),
            ),
        )


# What a required setting with a problem reads as, so that the other checks can go on.
UNKNOWN: dict[str, Any] = {"name": "", "year": 0, "issuer": "", "code": "", "recipients": ""}


# reading --------------------------------------------------------------------------------


def read_campaign(data: dict[str, Any], log: ProblemLog, lines: dict[tuple, int] | None = None) -> Campaign:
    """campaign.yaml's parsed settings as a Campaign; each problem goes to ``log``
    with its key path (and row, from ``lines``: key path → row, when known).

    With problems, the settings that are right are still used and the others
    read as unset, so that the rest of the inputs is checked against them."""
    data = string_keys(data)
    try:
        return CampaignSettings.model_validate(data).to_campaign()
    except ValidationError as error:
        errors = error.errors(include_url=False)
    problems = [problem(detail, lines or {}) for detail in errors]
    for location, message in sorted(problems, key=lambda p: p[0].row or 10**9):
        log.add(location, message)
    wrong = {str(detail["loc"][0]) for detail in errors if detail["loc"]}
    settings = CampaignSettings.model_construct(**UNKNOWN)
    for key, value in data.items():
        if key in CampaignSettings.model_fields and key not in wrong and not blank(value):
            try:
                CampaignSettings.__pydantic_validator__.validate_assignment(settings, key, value)
            except ValidationError:
                pass  # said above
    return settings.to_campaign()


def string_keys(value: Any) -> Any:
    """YAML keys may be numbers or dates (2023: …); the schema names keys as text."""
    if isinstance(value, dict):
        return {printable(key) if not isinstance(key, str) else key: string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [string_keys(item) for item in value]
    return value


def problem(detail: Mapping[str, Any], lines: dict[tuple, int]) -> tuple[Location, str]:
    """One validation error as the place and the sentence a clerk reads."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    where = Location(FILE, row=row_of(tuple(part for part in loc if part != "[key]"), lines))
    if loc[-1:] == ("[key]",):  # a key of a mapping (site.public), not its value
        loc = loc[:-2]
    keys = [part for part in loc if isinstance(part, str)]
    path = ".".join(keys)
    found = detail.get("input")
    if kind == "extra_forbidden":
        return where, unknown_key(keys[:-1], keys[-1])
    if kind == "missing":
        section, key = ".".join(keys[:-1]), keys[-1]
        info = field_at(loc)
        title = info.title if info is not None and info.title else ""
        what = f"（{title}）" if title else ""
        return where, f"{section} 中缺少必填项“{key}”{what}" if section else f"缺少必填项“{key}”{what}"
    if kind == SAID:
        return where, f"{path} {detail['ctx']['detail']}"
    item = isinstance(loc[-1], int)
    field = None if item else field_at(loc)
    expected = field.description if field is not None and field.description else TYPE_EXPECTATIONS.get(kind, "为有效的设置值")
    hint = FULL_WIDTH_HINT if isinstance(found, str) and FULL_WIDTH_KEY.match(found) else ""
    which = f"{path} 的第{loc[-1] + 1}项" if item else f"{path} "
    return where, f"{which}应{expected}，而不是“{found_text(found)}”{hint}"


TYPE_EXPECTATIONS = {
    "text_type": "为文字",
    "int_type": "为整数",
    "float_type": "为数值",
    "bool_type": "为 true 或 false",
    "tuple_type": "为列表",
    "list_type": "为列表",
    "dict_type": "为“键: 值”形式的设置",
    "model_type": "为“键: 值”形式的设置",
}


def unknown_key(section: list[str], key: str) -> str:
    """The key not in the schema, with the closest known one or all of them."""
    known = list(section_model(section).model_fields)
    typed = key.split("：")[0].strip() if "：" in key else key
    hint = suggestion(typed, known) or f"，可用的有：{'、'.join(known)}"
    if typed != key:
        hint = FULL_WIDTH_HINT + hint
    if section:
        return f"{'.'.join(section)} 中的“{printable(key)}”不是可设置的项目{hint}"
    return f"“{printable(key)}”不是可设置的项目{hint}"


def section_model(section: list[str]) -> type[BaseModel]:
    model: type[BaseModel] = CampaignSettings
    for key in section:
        inner = field_model(model.model_fields[key])
        if inner is None:
            break
        model = inner
    return model


def field_model(field: FieldInfo) -> type[BaseModel] | None:
    annotation = field.annotation
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def field_at(loc: tuple) -> FieldInfo | None:
    """The schema's field a location names (None inside a list or mapping)."""
    model: type[BaseModel] | None = CampaignSettings
    field = None
    for part in loc:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return None
        field = model.model_fields[part]
        model = field_model(field)
    return field


def row_of(loc: tuple, lines: dict[tuple, int]) -> int | None:
    """The row of the deepest key of ``loc`` the loader saw."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def found_text(value: Any, limit: int = 40) -> str:
    """What was written, as YAML shows it."""
    text = yaml_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def yaml_text(value: Any, depth: int = 0) -> str:
    if depth > 3:
        return "…"
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{printable(key)}: {yaml_text(item, depth + 1)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(item, depth + 1) for item in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return printable(shown(value))
