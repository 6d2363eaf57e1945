"""The pipeline, top to bottom: load → validate → evaluate → compose → render → write.

``build`` makes the documents of one cut-off; ``build_all`` walks the year's
cut-offs in date order, so that each document is numbered and recorded before
the next one reads the record (a whole-year build numbers January before
October, and the Q3 bulletin sees the notices the half-year summary sent).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator

from supervision_bulletin import calendar, heap, memo
from supervision_bulletin.assessment import Checkpoint, YearAssessment, assess_year, assessment_entries
from supervision_bulletin.compose import Issue
from supervision_bulletin.compose.bulletin import compose_quarterly_bulletin
from supervision_bulletin.compose.half_year import compose_half_year_summary
from supervision_bulletin.compose.monthly import compose_monthly_report
from supervision_bulletin.compose.notice import Escalations, compose_notices
from supervision_bulletin.compose.year_end import compose_year_end_account
from supervision_bulletin.document import OfficialDocument
from supervision_bulletin.evaluate import AsOf, CycleResult, evaluate
from supervision_bulletin.filenames import unique_slugs
from supervision_bulletin.follow_up import (
    FollowUp,
    behind_by_unit,
    check_answers,
    follow_up,
    points_for_unanswered,
    with_overdue_criticised,
)
from supervision_bulletin.intake import LedgerWriter, ledger_summary, write_ledger
from supervision_bulletin.load import load_inputs
from supervision_bulletin.model import Campaign, Inputs, Location
from supervision_bulletin.periods import Period, PeriodError
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.record import (
    PUBLISHED,
    RECORD_FILE,
    CampaignRecord,
    Publication,
    RecordedDocument,
    build_lock,
    document_key,
    document_number,
)
from supervision_bulletin.render import Renderers
from supervision_bulletin.render.cache import RenderCache
from supervision_bulletin.render.produce import Job, Produced, Producer
from supervision_bulletin.render.workers import start_render_server
from supervision_bulletin.resources import TEMPLATES
from supervision_bulletin.validate import validate
from supervision_bulletin.verify import Finding, VerifyFailed
from supervision_bulletin.write import WrittenDocument, manifest, publish, staging_folder, write_manifest

DRAFT_SUFFIX = "-征求意见稿"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    draft: bool = False
    issue_date: dt.date | None = None
    # GB/T 9704 check of every file written: strict stops the build on a finding.
    verify_strict: bool = True
    # Reuse the files of a document already made from the same content (render/cache.py).
    cache: bool = True


@dataclass(frozen=True)
class BuildResult:
    folder: Path
    documents: tuple[WrittenDocument, ...]
    fonts: tuple[str, ...]
    result: CycleResult
    findings: tuple[Finding, ...] = ()  # GB/T 9704 findings let through by a non-strict build
    # What a rebuild changed in a cut-off already published (verdicts, voided notices).
    changes: tuple[str, ...] = ()
    reused: int = 0  # documents whose files were taken from the cache (content unchanged)


def check(inputs_dir: Path) -> Inputs:
    """Load and validate; raises InputError with every problem found."""
    log = ProblemLog()
    inputs = validate(load_inputs(inputs_dir, log), log)
    # Workbooks read afresh (not recalled from the memo) leave tens of megabytes
    # free but held (43 MB of the sample's 119): handed back, not carried to the end.
    heap.trim()
    return inputs


def resolve_period(inputs: Inputs, period: Period, inputs_dir: Path) -> Period:
    """The document the typed period names, once its cut-off has data."""
    log = ProblemLog()
    try:
        resolved = calendar.resolve(inputs.campaign, period)
    except PeriodError as error:
        log.add(Location("campaign.yaml"), str(error))
        log.raise_if_any()
        raise
    month = resolved.end_month
    if month not in inputs.months_with_data:
        log.add(
            Location("reports"),
            f"{resolved.chinese}的{kind_name(resolved)}需要截至{month}月底的月报，"
            f"{inputs_dir / 'reports'} 下应有 {resolved.year}-{month:02d} 的月报",
        )
    log.raise_if_any()
    return resolved


def kind_name(period: Period) -> str:
    return {"month": "月度督查通报", "quarter": "季度通报", "half": "半年工作通报", "year": "年底交账通报"}[period.kind]


def cutoffs_with_data(inputs: Inputs) -> tuple[Period, ...]:
    """Every cut-off of the campaign year whose month has reports, in date order."""
    campaign = inputs.campaign
    return tuple(
        calendar.document_period(campaign, month)
        for month in calendar.cutoff_months(campaign)
        if month in inputs.months_with_data
    )


# what earlier cut-offs knew --------------------------------------------------------


def as_of_dates(inputs: Inputs, record: CampaignRecord, period: Period, issue_date: dt.date) -> AsOf:
    """Each cut-off judges what had arrived by its issue date: this one by ``issue_date``,
    earlier ones by the date their published document carries (else the calendar's)."""
    campaign = inputs.campaign
    recorded = {
        d.period: d.cutoff
        for d in record.documents(campaign.code, campaign.year)
        if d.kind != "notice" and d.state == "已发布" and d.cutoff
    }

    def as_of(month: int) -> dt.date:
        if month == period.end_month:
            return issue_date
        label = calendar.document_period(campaign, month).label
        return recorded.get(label) or calendar.default_issue_date(campaign, month)

    return as_of


def previous_notices(inputs: Inputs, record: CampaignRecord, period: Period) -> dict[str, RecordedDocument]:
    """The notices actually issued at the previous bulletin cut-off, by addressee."""
    previous = calendar.previous_cutoff(inputs.campaign, period)
    if previous is None or calendar.cycle_class(period) != "bulletin":
        return {}
    documents = record.published(inputs.campaign.code, inputs.campaign.year, previous.label)
    return {d.unit: d for d in documents if d.kind == "notice" and d.unit}


def escalations(result: CycleResult, earlier: dict[str, RecordedDocument]) -> Escalations:
    """Criticised now and sent a notice at the previous bulletin, or leaving a notice
    unanswered past its deadline: 升级督办, citing that notice."""
    found = {}
    for unit in result.criticised:
        if unit.overdue:
            found[unit.unit] = unit.overdue[0]
        elif unit.unit in earlier:
            found[unit.unit] = earlier[unit.unit].number
    return found


def previous_result(inputs: Inputs, period: Period, as_of: AsOf) -> CycleResult | None:
    """The previous cut-off of the same class, judged on what it knew, if it has data."""
    previous = calendar.previous_cutoff(inputs.campaign, period)
    if previous is None or previous.end_month not in inputs.months_with_data:
        return None
    return evaluate(inputs, previous, as_of)


def year_checkpoints(inputs: Inputs, record: CampaignRecord, result: CycleResult, as_of: AsOf) -> tuple[Checkpoint, ...]:
    """The verdicts of the year's bulletins: as published where the record has them,
    else as the data at that cut-off gives them; December's from this build."""
    campaign = inputs.campaign
    checkpoints = []
    for period in calendar.bulletin_periods(campaign):
        if period == result.period:
            checkpoints.append(Checkpoint(period.end_month, period, verdict_names(result, "commended"),
                                          verdict_names(result, "criticised")))
            continue
        published = [d for d in record.published(campaign.code, campaign.year, period.label) if d.kind != "notice"]
        if published:
            main = published[0]
            checkpoints.append(Checkpoint(period.end_month, period, main.commended, main.criticised, main.number))
        elif period.end_month in inputs.months_with_data:
            earlier = evaluate(inputs, period, as_of)
            checkpoints.append(Checkpoint(period.end_month, period, verdict_names(earlier, "commended"),
                                          verdict_names(earlier, "criticised")))
    return tuple(checkpoints)


def verdict_names(result: CycleResult, verdict: str) -> tuple[str, ...]:
    return tuple(u.unit for u in result.units if u.verdict == verdict)


# compose ----------------------------------------------------------------------------


IssueFor = Callable[[str, str | None, str], Issue]


@dataclass(frozen=True)
class Context:
    """What a cut-off's documents need beyond its own judgements."""

    previous: CycleResult | None = None
    escalated: Escalations | None = None
    assessment: YearAssessment | None = None
    follow_up: FollowUp | None = None  # the notices issued before this cut-off and their answers


def judged_with_follow_up(inputs: Inputs, record: CampaignRecord, period: Period, as_of: AsOf):
    """The cut-off's judgements, with the notices issued before it followed up: at a
    bulletin a notice left unanswered past its deadline is a criticism too."""
    result = evaluate(inputs, period, as_of)
    campaign = inputs.campaign
    documents = record.documents(campaign.code, campaign.year)
    check_answers(inputs.answers, documents, result.as_of)
    behind = behind_by_unit(result) if campaign.rules.close_on_figures else None
    follow = follow_up(documents, inputs.answers, result.as_of, behind)
    return with_criticisms_before(with_overdue_criticised(result, follow), documents, campaign), follow


def with_criticisms_before(result: CycleResult, documents: list[RecordedDocument], campaign: Campaign) -> CycleResult:
    """Each criticised unit with the run of bulletins just before this one that criticised
    it too, as published (an escalated notice says 连续三个季度被通报批评, not always 两个)."""
    runs = criticised_runs(campaign, documents, result.period)
    if not runs:
        return result
    units = tuple(
        dataclasses.replace(unit, criticised_before=runs.get(unit.unit, 0)) if unit.verdict == "criticised" else unit
        for unit in result.units
    )
    return dataclasses.replace(result, units=units)


def criticised_runs(campaign: Campaign, documents: list[RecordedDocument], period: Period) -> dict[str, int]:
    """unit → how many published bulletins in a row, back from the one before ``period``,
    criticised it (``documents``: the record's, read once by the caller)."""
    if calendar.cycle_class(period) != "bulletin":
        return {}
    criticised_at = {d.period: set(d.criticised) for d in documents if d.kind != "notice" and d.state == PUBLISHED}
    runs: dict[str, int] = {}
    still: set[str] | None = None
    previous = calendar.previous_cutoff(campaign, period)
    while previous is not None:
        criticised = criticised_at.get(previous.label, set())
        still = criticised if still is None else still & criticised
        if not still:
            break
        for unit in still:
            runs[unit] = runs.get(unit, 0) + 1
        previous = calendar.previous_cutoff(campaign, previous)
    return runs


def context_for(
    inputs: Inputs, record: CampaignRecord, result: CycleResult, as_of: AsOf, follow: FollowUp | None = None
) -> Context:
    period = result.period
    assessment = None
    if period.kind == "year":
        unanswered = points_for_unanswered(follow) if follow else {}
        assessment = assess_year(inputs, result, year_checkpoints(inputs, record, result, as_of), unanswered)
    return Context(
        previous=previous_result(inputs, period, as_of),
        escalated=escalations(result, previous_notices(inputs, record, period)),
        assessment=assessment,
        follow_up=follow,
    )


def compose_documents(inputs: Inputs, result: CycleResult, issue: IssueFor, context: Context = Context()):
    """The cut-off's documents: the main document first, then a 督办通知 to each unit a
    bulletin criticises (the monthly report sends none)."""
    period = result.period
    escalated = context.escalated or {}
    follow = context.follow_up
    if period.kind == "month":
        return [compose_monthly_report(result, issue("monthly_report", None, "月度督查通报"), context.previous, follow)]
    if period.kind == "quarter":
        main = compose_quarterly_bulletin(
            result, issue("quarterly_bulletin", None, "季度通报"), escalated, follow, context.previous
        )
    elif period.kind == "half":
        main = compose_half_year_summary(
            result, issue("half_year_summary", None, "半年工作通报"), escalated, follow, context.previous
        )
    else:
        assert context.assessment is not None, "the year-end account needs the year's assessment"
        main = compose_year_end_account(
            result, issue("year_end_account", None, "年底交账通报"), context.assessment, escalated, follow
        )
    return [main, *compose_notices(result, main, escalated, issue)]


# build --------------------------------------------------------------------------------


def build(
    inputs_dir: Path,
    out_dir: Path,
    period: Period,
    options: BuildOptions = BuildOptions(),
    progress: Progress = lambda message: None,
    renderers: Renderers | None = None,
    inputs: Inputs | None = None,
    waiting: Callable[[], None] = lambda: None,
) -> BuildResult:
    """One cut-off's documents, published whole or not at all. ``inputs``: already
    checked inputs (the year loop reads them once); ``waiting`` hears that another
    build of this workspace holds the lock."""
    with build_lock(inputs_dir, waiting):
        return build_unlocked(inputs_dir, out_dir, period, options, progress, renderers, inputs)


def build_unlocked(
    inputs_dir: Path,
    out_dir: Path,
    period: Period,
    options: BuildOptions,
    progress: Progress,
    renderers: Renderers | None,
    inputs: Inputs | None,
) -> BuildResult:
    renderers = started_renderers(renderers)
    progress("读取并校验输入文件……")
    inputs = inputs or check(inputs_dir)
    period = resolve_period(inputs, period, inputs_dir)
    record = intact_record(inputs_dir, out_dir, inputs)
    plan = plan_cutoff(inputs, record, period, options, progress)
    with staging_folder(out_dir, plan.label) as folder:
        producer = producer_for(renderers, options)
        produced = list(produced_with_progress(producer, [Job(d, folder) for d in plan.documents], progress))
        built = finish_cutoff(inputs, record, plan, produced, folder, out_dir, options, progress)
    tidy_caches(producer)
    return built


@dataclass(frozen=True)
class CutoffPlan:
    """A cut-off composed and numbered, ready to render: everything its publication
    needs except the files."""

    period: Period
    label: str  # its folder: the period, or the period's draft
    result: CycleResult
    follow: FollowUp
    assessment: YearAssessment | None
    documents: tuple[OfficialDocument, ...]
    serials: dict[str, int]
    draft: bool

    def entries(self) -> list[Publication]:
        return [publication(self.period, document, self.serials) for document in self.documents]


def plan_cutoff(inputs: Inputs, record: CampaignRecord, period: Period, options: BuildOptions,
                progress: Progress = lambda message: None) -> CutoffPlan:
    """Judge and compose one cut-off against ``record``; numbers are planned here
    (a key the record knows keeps its number) and taken only when it is published."""
    campaign = inputs.campaign
    issue_date = options.issue_date or calendar.default_issue_date(campaign, period.end_month)
    as_of = as_of_dates(inputs, record, period, issue_date)
    progress(f"{period.label}：评判 {len(inputs.plan.indicators)} 项指标并成文……")
    result, follow = judged_with_follow_up(inputs, record, period, as_of)
    numbers = record.plan_numbers(campaign.code, campaign.year)

    def issue(kind: str, unit: str | None, title: str) -> Issue:
        if options.draft:
            return Issue(None, issue_date, draft=True, cutoff=result.as_of)
        serial = numbers.serial(document_key(period.label, kind, unit))
        return Issue(document_number(campaign.code, campaign.year, serial), issue_date, cutoff=result.as_of)

    context = context_for(inputs, record, result, as_of, follow)
    # Unique, Windows-safe file names: units may differ only in case or in characters a file name cannot hold.
    documents = unique_slugs(compose_documents(inputs, result, issue, context))
    label = period.label + (DRAFT_SUFFIX if options.draft else "")
    return CutoffPlan(period, label, result, follow, context.assessment, tuple(documents), numbers.known,
                      options.draft)


def started_renderers(renderers: Renderers | None) -> Renderers:
    """The build's renderers: the caller's, else the render server's, started now
    so that it sets them up while the inputs are checked."""
    renderers = renderers or Renderers.from_server(TEMPLATES)
    if renderers.served:
        start_render_server()
    return renderers


def producer_for(renderers: Renderers, options: BuildOptions) -> Producer:
    cache = RenderCache.for_user(renderers.fingerprint()) if options.cache else None
    return Producer(renderers, cache)


def intact_record(inputs_dir: Path, out_dir: Path, inputs: Inputs) -> CampaignRecord:
    """The campaign's record, once it agrees with what the outputs folder holds."""
    record = CampaignRecord(inputs_dir / RECORD_FILE)
    record.ensure_intact(out_dir, inputs.campaign.code, inputs.campaign.year)
    return record


def tidy_caches(producer: Producer) -> None:
    """The user's caches back within their limits: a build may have added to both."""
    if producer.cache:
        producer.cache.prune()
    memo.prune()


def produced_with_progress(producer: Producer, jobs: Iterable[Job], progress: Progress) -> Generator[Produced, None, None]:
    for produced in producer.produce(jobs):
        progress(f"《{produced.document.title}》{'未变，沿用上次生成的文件' if produced.cached else '已生成并核验'}")
        yield produced


def finish_cutoff(
    inputs: Inputs,
    record: CampaignRecord,
    plan: CutoffPlan,
    produced: list[Produced],
    folder: Path,
    out_dir: Path,
    options: BuildOptions,
    progress: Progress,
    ledgers: LedgerWriter | None = None,
) -> BuildResult:
    """The ledger and the manifest beside the files, then the publication: the folder
    swapped in and the numbers taken in one transaction."""
    findings = tuple(finding for item in produced for finding in item.findings)
    if findings and options.verify_strict:
        raise VerifyFailed(list(findings), folder)
    written = [WrittenDocument(item.document, dict(item.files)) for item in produced]
    fonts = tuple(sorted({face for item in produced for face in item.faces}))
    result, campaign = plan.result, inputs.campaign
    extra = {"fonts": list(fonts), "summary": summary(result), "follow_up": follow_up_entries(plan.follow)}
    if inputs.ledger is not None:  # every report row read, and what became of it
        write_ledger(folder, inputs.ledger, result.submissions, plan.period.label, result.as_of, ledgers)
        extra["intake"] = ledger_summary(inputs.ledger, result.submissions)
    if plan.assessment is not None:
        # The points, for the annual assessment to take without reading the document.
        extra["assessment"] = assessment_entries(plan.assessment)
    write_manifest(folder, manifest(folder, plan.label, campaign.name, written, extra))
    final = out_dir / plan.label
    changes: tuple[str, ...] = ()
    progress(f"发布 {plan.label}……")
    if plan.draft:
        publish(folder, final)
    else:
        before = record.published(campaign.code, campaign.year, plan.period.label)
        voided = record.publish(campaign.code, campaign.year, plan.period.label, plan.entries(),
                                lambda: publish(folder, final))
        changes = rebuild_changes(plan.period, before, list(plan.documents), voided)
    return BuildResult(final, tuple(written), fonts, result, findings, changes, sum(item.cached for item in produced))


def publication(period: Period, document: OfficialDocument, serials: dict[str, int]) -> Publication:
    key = document_key(period.label, document.kind, document.unit)
    assert document.issued is not None and document.cutoff is not None
    return Publication(
        key, serials[key], document.kind, document.unit, document.title, document.issued, document.cutoff,
        document.deadline, document.escalated, document.commended, document.criticised, document.subjects,
    )


def rebuild_changes(
    period: Period, before: list[RecordedDocument], documents: list[OfficialDocument], voided: list[RecordedDocument]
) -> tuple[str, ...]:
    """What a rebuild says about a cut-off already published: verdicts that changed,
    notices withdrawn. A user must know before the new documents go out."""
    main_before = next((d for d in before if d.kind != "notice"), None)
    if main_before is None:
        return ()
    main = documents[0]
    changes = []
    for label, old, new in (
        ("表扬", main_before.commended, main.commended),
        ("通报批评", main_before.criticised, main.criticised),
    ):
        dropped = [unit for unit in old if unit not in new]
        added = [unit for unit in new if unit not in old]
        if dropped:
            changes.append(
                f"{period.label}：重新生成后不再{label}{'、'.join(dropped)}（已发布的{main_before.number}中曾{label}）。"
            )
        if added:
            changes.append(f"{period.label}：重新生成后新增{label}{'、'.join(added)}（已发布的{main_before.number}中没有）。")
    for document in voided:
        changes.append(f"{period.label}：{document.number}《{document.title}》已作废（重新生成后不再发出），该文号不再使用。")
    return tuple(changes)


def build_all(
    inputs_dir: Path,
    out_dir: Path,
    year: int,
    options: BuildOptions = BuildOptions(),
    started: Callable[[tuple[Period, ...]], None] = lambda periods: None,
    built: Callable[[BuildResult], None] = lambda result: None,
    renderers: Renderers | None = None,
    waiting: Callable[[], None] = lambda: None,
    progress: Progress = lambda message: None,
) -> tuple[BuildResult, ...]:
    """Every cut-off of ``year`` with data, in date order, reading the inputs and
    setting up the renderers once. ``started`` hears the cut-offs before the first
    build (for a progress bar), ``built`` each finished one, ``progress`` each step.

    Each cut-off reads what the ones before it published (numbers, notices,
    answers), so they are composed in order against a rehearsal copy of the
    record; each one's documents go to the worker processes as soon as it is
    composed, while the next is composed. The cut-offs are then published in order
    into the real record, which thereby takes exactly the numbers the rehearsal
    planned. A failure stops at its cut-off: the ones before it are published, it
    and the later ones are not."""
    with build_lock(inputs_dir, waiting):
        renderers = started_renderers(renderers)
        progress("读取并校验输入文件……")
        inputs = check(inputs_dir)
        if year != inputs.campaign.year:
            resolve_period(inputs, Period("year", year, 1), inputs_dir)  # raises: not the campaign's year
        periods = cutoffs_with_data(inputs)
        started(periods)
        record = intact_record(inputs_dir, out_dir, inputs)
        producer = producer_for(renderers, options)
        results: list[BuildResult] = []
        ledgers = LedgerWriter()  # the year's ledgers share their sheets of report rows
        plans: list[CutoffPlan] = []
        folders: list[Path] = []
        with contextlib.ExitStack() as stack:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bulletin-rehearsal-")))
            staging = stack.enter_context(contextlib.ExitStack())

            def jobs() -> Iterator[Job]:
                for plan in rehearsed_plans(inputs, record.copy_to(scratch / RECORD_FILE), periods, options, progress):
                    folders.append(staging.enter_context(staging_folder(out_dir, plan.label, clean=not plans)))
                    plans.append(plan)
                    yield from (Job(document, folders[-1]) for document in plan.documents)

            made = produced_with_progress(producer, jobs(), progress)
            stack.callback(made.close)  # the workers stop before their folders are removed
            done: list[Produced] = []
            for produced in made:  # every cut-off is composed before the first document comes back
                done.append(produced)
                plan, folder = plans[len(results)], folders[len(results)]
                if len(done) == len(plan.documents):
                    results.append(finish_cutoff(inputs, record, plan, done, folder, out_dir, options, progress,
                                                 ledgers))
                    built(results[-1])
                    done = []
        tidy_caches(producer)
        return tuple(results)


def rehearsed_plans(inputs: Inputs, rehearsal: CampaignRecord, periods: tuple[Period, ...], options: BuildOptions,
                    progress: Progress) -> Iterator[CutoffPlan]:
    """Each cut-off composed after the ones before it were published in ``rehearsal``,
    a copy of the record that is thrown away afterwards."""
    campaign = inputs.campaign
    for period in periods:
        plan = plan_cutoff(inputs, rehearsal, period, options, progress)
        if not plan.draft:
            rehearsal.publish(campaign.code, campaign.year, period.label, plan.entries(), lambda: None)
        yield plan


def follow_up_entries(follow: FollowUp) -> list[dict]:
    """The notices issued before this cut-off and their answers, for other systems."""
    return [
        {"number": s.number, "unit": s.unit, "issued": s.notice.issued.isoformat() if s.notice.issued else None,
         "deadline": s.notice.deadline.isoformat() if s.notice.deadline else None, "answer": s.state,
         "answered": [a.arrived.isoformat() for a in s.answers]}
        for s in follow.notices
    ]


def summary(result: CycleResult) -> dict:
    return {
        "indicators": len(result.judgements),
        "status_counts": result.status_counts(),
        "commended": [u.unit for u in result.commended],
        "criticised": [u.unit for u in result.criticised],
    }
