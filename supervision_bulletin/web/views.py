"""What the pages show, gathered from the pipeline's own functions.

Nothing here decides anything about the campaign: the calendar, the receipts,
the notices' states and the record are the pipeline's (calendar, intake,
follow_up, record); this module only puts them side by side for a page.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from supervision_bulletin import calendar
from supervision_bulletin.build import DRAFT_SUFFIX, kind_name
from supervision_bulletin.calendar import calendar_warnings
from supervision_bulletin.follow_up import FollowUp, behind_at, follow_up
from supervision_bulletin.intake import Receipt, receipts
from supervision_bulletin.model import Inputs
from supervision_bulletin.periods import Period
from supervision_bulletin.record import PUBLISHED, RecordedDocument, RecordError
from supervision_bulletin.web.workspace import Workspace

KIND_NAMES = {
    "monthly_report": "月度督查通报", "quarterly_bulletin": "季度通报", "half_year_summary": "半年工作通报",
    "year_end_account": "年底交账通报", "notice": "督办通知",
}
# Page colours of states (CSS classes).
STATE_CLASSES = {
    "按时": "ok", "逾期": "late", "未报送": "missing", "未到期": "pending", "无需报送": "none",
    "按期反馈": "ok", "逾期反馈": "late", "逾期未反馈": "missing", "已销号": "closed",
    "已发布": "ok", "已作废": "none", "可生成": "ready", "等待月报": "pending", "缺少月报": "missing",
    "已完成": "ok", "未完成": "missing", "等待中": "late", "正在生成": "ready", "排队中": "pending",
}


@dataclass(frozen=True)
class Cutoff:
    month: int
    period: Period
    kind: str  # 月度督查通报 …
    due: dt.date  # the month's reports are due
    issue: dt.date  # default 成文日期
    has_data: bool
    state: str  # 已发布, 可生成, 等待月报, 缺少月报
    main: RecordedDocument | None  # the main document in force
    notices: tuple[RecordedDocument, ...]
    folder: str | None  # outputs/<folder>/ when built
    draft_folder: str | None


@dataclass
class Overview:
    inputs: Inputs | None
    problems: tuple
    warnings: list[str] = field(default_factory=list)
    cutoffs: list[Cutoff] = field(default_factory=list)
    receipts: dict[str, tuple[Receipt, ...]] = field(default_factory=dict)
    follow: FollowUp | None = None
    record_error: str = ""
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def campaign(self):
        return self.inputs.campaign if self.inputs else None

    def receipt_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for months in self.receipts.values():
            for receipt in months:
                counts[receipt.state] = counts.get(receipt.state, 0) + 1
        return counts

    def open_notices(self) -> list:
        return [n for n in self.follow.notices if n.state != "已销号"] if self.follow else []


def recorded_documents(workspace: Workspace, inputs: Inputs) -> tuple[list[RecordedDocument], str]:
    try:
        return workspace.record.documents(inputs.campaign.code, inputs.campaign.year), ""
    except RecordError as error:
        return [], str(error)


def overview(workspace: Workspace, today: dt.date | None = None) -> Overview:
    today = today or dt.date.today()
    checked = workspace.checked()
    found = Overview(checked.inputs, checked.problems, today=today)
    inputs = checked.inputs
    if inputs is None:
        return found
    found.warnings = calendar_warnings(inputs.campaign)
    documents, found.record_error = recorded_documents(workspace, inputs)
    found.cutoffs = cutoffs(workspace, inputs, documents, today)
    found.receipts = receipts(inputs, today)
    # Notices issued up to today, and the answers that have come (follow_up takes
    # notices issued before its date).
    found.follow = follow_up(documents, inputs.answers, today + dt.timedelta(days=1), behind_at(inputs, today))
    return found


def cutoffs(workspace: Workspace, inputs: Inputs, documents: list[RecordedDocument], today: dt.date) -> list[Cutoff]:
    campaign = inputs.campaign
    found = []
    for month in calendar.cutoff_months(campaign):
        period = calendar.document_period(campaign, month)
        in_force = [d for d in documents if d.period == period.label and d.state == PUBLISHED]
        main = next((d for d in in_force if d.kind != "notice"), None)
        notices = tuple(d for d in in_force if d.kind == "notice")
        due = calendar.report_due(campaign, month)
        has_data = month in inputs.months_with_data
        if main is not None:
            state = "已发布"
        elif has_data:
            state = "可生成"
        else:
            state = "缺少月报" if today > due else "等待月报"
        found.append(Cutoff(
            month, period, kind_name(period), due, calendar.default_issue_date(campaign, month), has_data, state,
            main, notices, built_folder(workspace.out_dir, period.label),
            built_folder(workspace.out_dir, period.label + DRAFT_SUFFIX),
        ))
    return found


def built_folder(out_dir: Path, label: str) -> str | None:
    return label if (out_dir / label / "manifest.json").is_file() else None


def next_report_month(inputs: Inputs | None, today: dt.date) -> str:
    """The month a new upload most likely belongs to: the one after the last with data."""
    if inputs is None:
        return f"{today.year}-{today.month:02d}"
    year = inputs.campaign.year
    month = min(max(inputs.months_with_data, default=0) + 1, 12)
    return f"{year}-{month:02d}"


def campaign_months(inputs: Inputs | None, today: dt.date) -> list[str]:
    year = inputs.campaign.year if inputs else today.year
    return [f"{year}-{month:02d}" for month in range(1, 13)]


# outputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltDocument:
    kind: str
    title: str
    number: str | None
    unit: str | None
    date: str
    draft: bool
    files: dict[str, str]  # format → file name
    deadline: str | None = None
    answer: str = ""


@dataclass(frozen=True)
class BuiltFolder:
    name: str
    period: str
    generated_at: str
    documents: tuple[BuiltDocument, ...]
    intake: bool  # intake.xlsx beside the documents
    summary: dict

    @property
    def draft(self) -> bool:
        return self.name.endswith(DRAFT_SUFFIX)

    def file_names(self) -> set[str]:
        names = {name for document in self.documents for name in document.files.values()}
        names.add("manifest.json")
        if self.intake:
            names.add("intake.xlsx")
        return names


def read_folder(out_dir: Path, name: str) -> BuiltFolder | None:
    """outputs/<name>/ as its manifest.json describes it; None unless it is a build's folder."""
    if not name or name.startswith(".") or "/" in name or "\\" in name or name in ("forms",):
        return None
    folder = (out_dir / name).resolve()
    if folder.parent != out_dir.resolve() or not (folder / "manifest.json").is_file():
        return None
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    documents = []
    for entry in data.get("documents", []):
        if not isinstance(entry, dict):
            continue
        files = {str(fmt): str(path) for fmt, path in (entry.get("files") or {}).items() if "/" not in str(path)}
        documents.append(BuiltDocument(
            str(entry.get("kind", "")), str(entry.get("title", "")), entry.get("number"), entry.get("unit"),
            str(entry.get("date", "")), bool(entry.get("draft")), files, entry.get("deadline"),
            str(entry.get("answer") or ""),
        ))
    return BuiltFolder(
        name, str(data.get("period", name)), str(data.get("generated_at", ""))[:19].replace("T", " "),
        tuple(documents), (folder / "intake.xlsx").is_file(), data.get("summary") or {},
    )


def built_folders(out_dir: Path) -> list[BuiltFolder]:
    if not out_dir.is_dir():
        return []
    found = [read_folder(out_dir, path.name) for path in sorted(out_dir.iterdir()) if path.is_dir()]
    return [folder for folder in found if folder is not None]


# forms ---------------------------------------------------------------------------------

FORMS_ROOT = "forms"


@dataclass(frozen=True)
class FormsFolder:
    name: str  # 2023-10 or 整改反馈
    files: tuple[str, ...]


def forms_folders(out_dir: Path) -> list[FormsFolder]:
    root = out_dir / FORMS_ROOT
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir(), reverse=True):
        if folder.is_dir() and not folder.name.startswith("."):
            files = tuple(sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix == ".xlsx"))
            found.append(FormsFolder(folder.name, files))
    return found


def forms_file(out_dir: Path, folder: str, name: str | None = None) -> Path | None:
    """A forms folder, or a file in it, only if it is really there under outputs/forms/."""
    root = (out_dir / FORMS_ROOT).resolve()
    if not folder or folder.startswith(".") or "/" in folder or "\\" in folder:
        return None
    path = (root / folder).resolve()
    if path.parent != root or not path.is_dir():
        return None
    if name is None:
        return path
    if name.startswith(".") or "/" in name or "\\" in name:
        return None
    file = (path / name).resolve()
    return file if file.parent == path and file.is_file() else None


# inputs --------------------------------------------------------------------------------


def input_files(workspace: Workspace, folder: str) -> list[tuple[str, int, str]]:
    """(path under inputs/, size, modified) of the report or answer files there now."""
    root = workspace.inputs_dir / folder
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith((".", "~$")):
            info = path.stat()
            found.append((path.relative_to(workspace.inputs_dir).as_posix(), info.st_size,
                          dt.datetime.fromtimestamp(info.st_mtime).strftime("%Y-%m-%d %H:%M")))
    return found
