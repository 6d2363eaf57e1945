"""The pipeline, top to bottom: load → validate → evaluate → compose → render → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pipeline.assessment import (
    YearAssessment,
    assess_year,
    assessment_entries,
    period_is_over,
    previous_result,
    repeat_criticised,
)
from pipeline.compose import Issue
from pipeline.compose.bulletin import compose_quarterly_bulletin
from pipeline.compose.half_year import compose_half_year_summary
from pipeline.compose.monthly import compose_monthly_report
from pipeline.compose.notice import compose_notices
from pipeline.compose.year_end import compose_year_end_account
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
from pipeline.verify import Finding, verify_staged
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
    # GB/T 9704 check of every file written: strict stops the build on a finding.
    verify_strict: bool = True


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    documents: tuple[WrittenDocument, ...]
    fonts: tuple[str, ...]
    result: CycleResult
    findings: tuple[Finding, ...] = ()  # GB/T 9704 findings let through by a non-strict build


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
    elif period.kind == "year" and not period_is_over(inputs, period):
        # The account settles every target on the December figures.
        log.add(Location("reports"), f"年底交账需要12月的月报（{inputs_dir / 'reports'} 下应有 {period.year}-12 的月报）")
    log.raise_if_any()


def default_issue_date(inputs: Inputs, period: Period) -> dt.date:
    """The first working day after the period's last reports were due."""
    due = report_due_date(period.year, period.end_month, inputs.campaign.report_due_day)
    return next_working_day(due + dt.timedelta(days=1))


IssueFor = Callable[[str, str | None, str], Issue]


def compose_documents(
    inputs: Inputs, result: CycleResult, issue: IssueFor, assessment: YearAssessment | None = None
) -> list[OfficialDocument]:
    """The documents of the period's cycle, each with its number and date: the main
    document first, then a 督办通知 to each unit it criticises. ``assessment``: the
    year's points when the caller has them already."""
    period = result.period
    if period.kind == "year":
        assessment = assessment or assess_year(inputs, result)
        return [compose_year_end_account(result, issue("year_end_account", None, "年底交账通报"), assessment)]
    previous = previous_result(inputs, period)
    repeated = repeat_criticised(result, previous)
    if period.kind == "month":
        main = compose_monthly_report(result, issue("monthly_report", None, "月度督查通报"), repeated, previous)
    elif period.kind == "quarter":
        main = compose_quarterly_bulletin(result, issue("quarterly_bulletin", None, "季度通报"), repeated)
    elif period.index == 1:
        main = compose_half_year_summary(result, issue("half_year_summary", None, "半年工作通报"), repeated)
    else:
        raise ValueError(f"{period.label}：下半年不单独总结，请生成年底交账（bulletin build {period.year}）")
    return [main, *compose_notices(result, main, repeated, issue)]


def periods_of_year(inputs: Inputs, year: int) -> tuple[Period, ...]:
    """Every cycle of the year whose last month has its reports, in the order they fall due."""
    candidates = [Period("month", year, m) for m in range(1, 13)]
    candidates += [Period("quarter", year, q) for q in range(1, 5)]
    candidates += [Period("half", year, 1), Period("year", year, 1)]
    order = {"month": 0, "quarter": 1, "half": 2, "year": 3}
    chosen = [p for p in candidates if period_is_over(inputs, p)]
    return tuple(sorted(chosen, key=lambda p: (p.end_month, order[p.kind])))


def build(
    inputs_dir: Path,
    out_dir: Path,
    period: Period,
    options: BuildOptions = BuildOptions(),
    progress: Progress = lambda message: None,
    renderers: Renderers | None = None,
    inputs: Inputs | None = None,
) -> BuildResult:
    """``inputs``: already checked inputs (the --all loop reads them once)."""
    progress("读取并校验输入文件……")
    inputs = inputs or check(inputs_dir)
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

    # The year's points are worked out once: the account prints them, the manifest lists them.
    assessment = assess_year(inputs, result) if period.kind == "year" else None
    documents = compose_documents(inputs, result, issue, assessment)
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
        if assessment is not None:
            # The points, for the annual assessment to take without reading the document.
            extra["assessment"] = assessment_entries(assessment)
        write_manifest(folder, manifest(folder, period.label, campaign.name, written, extra))
        findings = verify_staged(folder, options.verify_strict, progress)
    return BuildResult(out_dir / period.label, tuple(written), tuple(renderers.fonts_used()), result, findings)


def build_all(
    inputs_dir: Path,
    out_dir: Path,
    year: int,
    options: BuildOptions = BuildOptions(),
    started: Callable[[tuple[Period, ...]], None] = lambda periods: None,
    built: Callable[[BuildResult], None] = lambda result: None,
    renderers: Renderers | None = None,
) -> tuple[BuildResult, ...]:
    """Every period of ``year`` whose data exists, in date order, reading the inputs
    and setting up the renderers once. ``started`` hears the periods before the
    first build (for a progress bar), ``built`` each finished one."""
    inputs = check(inputs_dir)
    if year != inputs.campaign.year:
        check_period(inputs, Period("year", year, 1), inputs_dir)  # raises: not the campaign's year
    periods = periods_of_year(inputs, year)
    started(periods)
    renderers = renderers or Renderers.load(TEMPLATES)
    results = []
    for period in periods:
        results.append(build(inputs_dir, out_dir, period, options, renderers=renderers, inputs=inputs))
        built(results[-1])
    return tuple(results)


def summary(result: CycleResult) -> dict:
    return {
        "indicators": len(result.judgements),
        "status_counts": result.status_counts(),
        "commended": [u.unit for u in result.commended],
        "criticised": [u.unit for u in result.criticised],
    }
