"""The pipeline, top to bottom: load → validate → evaluate → compose → render → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pipeline.compose import Issue
from pipeline.compose.bulletin import compose_quarterly_bulletin
from pipeline.document import OfficialDocument
from pipeline.evaluate import CycleResult, evaluate, report_due_date
from pipeline.intake import ledger_summary, write_ledger
from pipeline.load import load_inputs
from pipeline.model import Inputs, Location
from pipeline.periods import Period
from pipeline.problems import ProblemLog
from pipeline.registry import NumberRegistry, document_number
from pipeline.render import Renderers
from pipeline.validate import validate
from pipeline.workdays import next_working_day
from pipeline.write import WrittenDocument, manifest, staging_folder, write_manifest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
REGISTRY_FILE = "registry.sqlite"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    draft: bool = False
    issue_date: dt.date | None = None


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    documents: tuple[WrittenDocument, ...]
    fonts: tuple[str, ...]
    result: CycleResult


def check(inputs_dir: Path) -> Inputs:
    """Load and validate; raises InputError with every problem found."""
    log = ProblemLog()
    raw = load_inputs(inputs_dir, log)
    return validate(raw, log)


def check_period(inputs: Inputs, period: Period, inputs_dir: Path) -> None:
    log = ProblemLog()
    where = Location("campaign.yaml")
    if period.year != inputs.campaign.year:
        log.add(where, f"周期 {period.label} 不在活动年度 {inputs.campaign.year} 内")
    elif not set(period.months) & set(inputs.months_with_data):
        log.add(
            Location("reports"),
            f"{period.chinese}没有任何月报（{inputs_dir / 'reports'} 下应有 "
            f"{'、'.join(f'{period.year}-{m:02d}' for m in period.months)} 的月报）",
        )
    log.raise_if_any()


def default_issue_date(inputs: Inputs, period: Period) -> dt.date:
    """The first working day after the period's last reports were due."""
    due = report_due_date(period.year, period.end_month, inputs.campaign.report_due_day)
    return next_working_day(due + dt.timedelta(days=1))


def compose_documents(result: CycleResult, issue: Callable[[str, str | None, str], Issue]) -> list[OfficialDocument]:
    """The documents of the period's cycle, each with its number and date."""
    period = result.period
    if period.kind == "quarter":
        return [compose_quarterly_bulletin(result, issue("quarterly_bulletin", None, "季度通报"))]
    raise NotImplementedError(f"{period.label}：目前只支持季度通报（如 2023-Q3）")


def build(
    inputs_dir: Path,
    out_dir: Path,
    period: Period,
    options: BuildOptions = BuildOptions(),
    progress: Progress = lambda message: None,
    renderers: Renderers | None = None,
) -> BuildResult:
    progress("读取并校验输入文件……")
    inputs = check(inputs_dir)
    check_period(inputs, period, inputs_dir)
    progress(f"评判 {len(inputs.plan.indicators)} 项指标……")
    result = evaluate(inputs, period)
    issue_date = options.issue_date or default_issue_date(inputs, period)
    registry = NumberRegistry(inputs_dir / REGISTRY_FILE)
    campaign = inputs.campaign

    def issue(kind: str, unit: str | None, title: str) -> Issue:
        if options.draft:
            return Issue(None, issue_date, draft=True)
        key = f"{period.label}/{kind}/{unit or ''}"
        serial = registry.allocate(campaign.code, campaign.year, key, title)
        return Issue(document_number(campaign.code, campaign.year, serial), issue_date)

    documents = compose_documents(result, issue)
    renderers = renderers or Renderers.load(TEMPLATES)
    written: list[WrittenDocument] = []
    with staging_folder(out_dir, period.label) as folder:
        for document in documents:
            progress(f"生成《{document.title}》……")
            written.append(renderers.write_all(document, folder))
        extra = {"fonts": list(renderers.fonts_used()), "summary": summary(result)}
        if inputs.ledger is not None:  # every report row read, and what became of it
            write_ledger(folder, inputs.ledger, result.submissions, period.label)
            extra["intake"] = ledger_summary(inputs.ledger, result.submissions)
        write_manifest(folder, manifest(folder, period.label, campaign.name, written, extra))
    return BuildResult(out_dir / period.label, tuple(written), tuple(renderers.fonts_used()), result)


def summary(result: CycleResult) -> dict:
    return {
        "indicators": len(result.judgements),
        "status_counts": result.status_counts(),
        "commended": [u.unit for u in result.commended],
        "criticised": [u.unit for u in result.criticised],
    }
