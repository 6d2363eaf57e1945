"""The `bulletin` command: one command per supervision cycle."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from supervision_bulletin.cli_zh import use_chinese
from supervision_bulletin.imports import keep_numpy_from_openpyxl
from supervision_bulletin.periods import PeriodError, parse_period
from supervision_bulletin.problems import InputError
from supervision_bulletin.resources import SAMPLE_CAMPAIGN

# The pipeline's modules (openpyxl, pydantic, the renderers' …) are imported by the
# commands that use them: `bulletin build` starts its render server first, so the
# server sets up the renderers while these imports and the checks run here.
if TYPE_CHECKING:
    from supervision_bulletin.build import BuildOptions, BuildResult
    from supervision_bulletin.model import Campaign

use_chinese()  # click's own words (Usage, Options, Error …) in Chinese, whatever the locale

EXIT_BAD_INPUT = 1
EXIT_FAILED = 3  # not the inputs' fault: disk, fonts, a damaged template

inputs_option = click.option(
    "--inputs",
    "inputs_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("inputs"),
    show_default=True,
    help="存放 campaign.yaml、plan.xlsx 和 reports/ 的文件夹",
)


def out_option(help_text: str):
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("outputs"),
        show_default=True,
        help=help_text,
    )


@contextlib.contextmanager
def exit_cleanly(on_bad_input: str, on_failure: str):
    """Bad input exits 1 with every problem listed; any other failure exits 3 with
    one sentence; neither shows a traceback to a user who cannot act on it."""
    try:
        yield
    except InputError as error:
        report_problems(error)
        click.echo(on_bad_input, err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (OSError, RuntimeError) as error:
        click.secho(f"生成失败：{error}", fg="red", err=True)
        click.echo(on_failure, err=True)
        sys.exit(EXIT_FAILED)


def report_problems(error: InputError) -> None:
    """Every problem on its own line, so a user can work down the list."""
    click.secho(f"发现 {len(error.problems)} 处问题，请修改后重试：", fg="red", err=True)
    for problem in error.problems:
        click.echo(f"  - {problem}", err=True)


def parse_period_argument(ctx: click.Context, param: click.Parameter, value: str):
    try:
        period = parse_period(value)
    except PeriodError as error:
        raise click.BadParameter(str(error)) from None
    if period.kind == "half" and period.index == 2:
        # The year-end account reviews the second half; there is no separate summary.
        raise click.BadParameter(f"下半年不单独总结，请生成年底交账：bulletin build {period.year}")
    return period


def parse_date_option(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期“{value}”应写作 2023-10-09") from None


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[选项]", subcommand_metavar="命令 [参数]…"
)
@click.version_option(package_name="supervision-bulletin")
def main() -> None:
    """督查通报流水线：读取任务方案与月报，评判进度，生成公文（Word、PDF、HTML）。"""
    keep_numpy_from_openpyxl()  # before any command imports the pipeline


@main.command(options_metavar="[选项]")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), metavar="文件夹")
@click.option("--empty", is_flag=True, help="新活动：空白的 plan.xlsx（带表头、下拉选项和填写说明）和带注释的 campaign.yaml")
def init(directory: Path, empty: bool) -> None:
    """在文件夹中新建工作区，放入示例活动（inputs/）；加 --empty 则为新活动建立空白输入。"""
    from supervision_bulletin.record import BACKUP_SUFFIX, LOCK_FILE, RECORD_FILE

    target = directory / "inputs"
    if target.exists() and any(target.iterdir()):
        if not empty and holds_the_sample(target):  # running init again changes nothing
            click.echo(f"{target} 已是示例活动的输入，未作改动")
            return
        raise click.UsageError(f"{target} 已存在且不为空，为避免覆盖已有数据，请换一个文件夹")
    if empty:
        from supervision_bulletin.blank import write_blank_campaign

        written = write_blank_campaign(target)
        click.echo(f"已在 {directory} 建立空白工作区：{'、'.join(str(p) for p in written)}")
        click.echo(f"下一步：填写 {target / 'campaign.yaml'} 和 {target / 'plan.xlsx'}，再运行 bulletin check")
        return
    # Another workspace's numbers must never come along: a new workspace starts its own record.
    ignore = shutil.ignore_patterns(RECORD_FILE, RECORD_FILE + BACKUP_SUFFIX, LOCK_FILE)
    shutil.copytree(SAMPLE_CAMPAIGN, target, dirs_exist_ok=True, ignore=ignore)
    click.echo(f"已在 {directory} 建立工作区，示例数据位于 {target}")
    go_there = "" if directory == Path(".") else f"cd {directory} && "
    click.echo(f"下一步：{go_there}bulletin check && bulletin build 2023 --all（按时间顺序生成全年公文）")


def holds_the_sample(folder: Path) -> bool:
    """Whether ``folder`` holds the sample campaign's files unchanged (its record aside)."""
    from supervision_bulletin.record import BACKUP_SUFFIX, LOCK_FILE, RECORD_FILE

    record_files = {RECORD_FILE, RECORD_FILE + BACKUP_SUFFIX, LOCK_FILE}

    def files_of(root: Path) -> dict[Path, bytes]:
        return {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*"))
                if path.is_file() and path.name not in record_files}

    return files_of(folder) == files_of(SAMPLE_CAMPAIGN)


@main.command(name="check", options_metavar="[选项]")
@inputs_option
def check_command(inputs_dir: Path) -> None:
    """校验输入文件；有问题时逐条列出（文件、工作表、行、列）并以状态 1 退出。"""
    from supervision_bulletin.build import check
    from supervision_bulletin.intake import summary_lines

    try:
        inputs = check(inputs_dir)
    except InputError as error:
        report_problems(error)
        sys.exit(EXIT_BAD_INPUT)
    months = "、".join(f"{m}月" for m in inputs.months_with_data) or "无"
    click.secho("校验通过。", fg="green")
    warn_about_calendar(inputs.campaign)
    click.echo(
        f"{inputs.campaign.name}：{len(inputs.plan.units)} 个单位，{len(inputs.plan.tasks)} 项任务，"
        f"{len(inputs.plan.indicators)} 项指标，{len(inputs.reports)} 条月报数据（{months}）。"
    )
    if inputs.ledger is not None:
        for line in summary_lines(inputs.ledger):
            click.echo(line)


def warn_about_calendar(campaign: Campaign) -> None:
    from supervision_bulletin.calendar import calendar_warnings

    for warning in calendar_warnings(campaign):
        click.secho(f"注意：{warning}", fg="yellow", err=True)


def tell_waiting() -> None:
    click.echo("同一工作区的另一次生成正在进行，等待其完成后开始……", err=True)


ANSWER_FORMS = ("answers", "反馈", "整改反馈")


def parse_month_argument(ctx: click.Context, param: click.Parameter, value: str):
    from supervision_bulletin.forms import parse_month

    if value.strip() in ANSWER_FORMS:
        return "answers"
    month = parse_month(value)
    if month is None:
        raise click.BadParameter(f"月份“{value}”应写作 年-月，如 2023-10；整改反馈表写作 answers")
    return month


@main.command(name="forms", options_metavar="[选项]", short_help="生成各责任单位某月的填报表（预填指标、目标和序时进度），或督办通知的反馈表。")
@click.argument("month", callback=parse_month_argument, metavar="月份")
@inputs_option
@out_option("输出文件夹，填报表写入其下的 forms/月份/")
@click.option("--due", callback=parse_date_option, metavar="日期", help="报送截止日期，如 2023-11-05（默认为次月 report_due_day 日）")
@click.option("--date", "as_of", callback=parse_date_option, metavar="日期", help="整改反馈表：按此日期判断哪些督办通知尚未销号（默认今天）")
def forms_command(month, inputs_dir: Path, out_dir: Path, due, as_of) -> None:
    """为每个责任单位生成某月的填报表（如 2023-10），预填其指标、目标和序时进度；
    月份写作 answers 时，为每个有未销号督办通知的单位生成整改反馈表。"""
    from supervision_bulletin.build import check
    from supervision_bulletin.forms import make_forms

    if month == "answers":
        answer_forms_command(inputs_dir, out_dir, as_of or dt.date.today())
        return
    year, number = month
    with exit_cleanly(on_bad_input="未生成任何文件。", on_failure="未生成任何文件。"):
        made = make_forms(check(inputs_dir), out_dir, year, number, due)
    click.secho(f"已生成 {len(made.files)} 份填报表（报送截止 {made.due.isoformat()}），位于 {made.folder}：", fg="green")
    for path in made.files:
        click.echo(f"  {path.name}")
    click.echo(f"各单位填好后，把表格原样放入 {inputs_dir / 'reports' / made.folder.name}/，再运行 bulletin check。")


def answer_forms_command(inputs_dir: Path, out_dir: Path, as_of: dt.date) -> None:
    from supervision_bulletin.answer_forms import make_answer_forms
    from supervision_bulletin.build import check
    from supervision_bulletin.record import RECORD_FILE, CampaignRecord

    with exit_cleanly(on_bad_input="未生成任何文件。", on_failure="未生成任何文件。"):
        made = make_answer_forms(check(inputs_dir), CampaignRecord(inputs_dir / RECORD_FILE), out_dir, as_of)
    if not made.files:
        click.echo(f"截至{as_of.isoformat()}没有未销号的督办通知，未生成整改反馈表。")
        return
    click.secho(f"已生成 {len(made.files)} 份整改反馈表，位于 {made.folder}：", fg="green")
    for path in made.files:
        click.echo(f"  {path.name}")
    click.echo(f"各单位填好后，把表格原样放入 {inputs_dir / 'answers'}/，再运行 bulletin check。")


@main.command(name="build", options_metavar="[选项]")
@click.argument("period", callback=parse_period_argument, metavar="周期")
@inputs_option
@out_option("输出文件夹，每个周期写入其下的同名文件夹")
@click.option("--draft", is_flag=True, help="生成征求意见稿：加“征求意见稿”标识，不占用文号")
@click.option("--date", "issue_date", callback=parse_date_option, metavar="日期", help="成文日期，如 2023-10-09（默认为报送截止后的第一个工作日）")
@click.option("--quiet", "-q", is_flag=True, help="只报告结果和问题，不显示进度和文件清单")
@click.option("--all", "whole_year", is_flag=True, help="与年度一起使用（如 2023 --all）：生成该年已有数据的每个周期的全部公文")
@click.option(
    "--verify", "verify_mode", type=click.Choice(["strict", "warn"]), default="strict", show_default=True,
    help="按 GB/T 9704 核验生成的 Word 和 PDF：strict 发现问题即不发布（已有输出不变），warn 照常发布并列出问题",
)
@click.option("--no-cache", "no_cache", is_flag=True,
              help="不沿用上次生成的文件：每份公文都重新排版和核验（默认只重做内容有变化的公文）")
def build_command(period, inputs_dir: Path, out_dir: Path, draft: bool, issue_date, quiet: bool, whole_year: bool,
                  verify_mode: str, no_cache: bool) -> None:
    """生成一个截止月的主文及督办通知。

    周期：2023-08（月度督查通报）、2023-09 或 2023-Q3（季度通报）、2023-06 或 2023-H1
    （上半年工作通报）、2023 或 2023-12（年底交账）；2023 --all 按时间顺序生成全年。
    """
    from supervision_bulletin.render.workers import start_render_server

    start_render_server()  # first: it sets the renderers up while the rest is imported and checked
    from supervision_bulletin.build import BuildOptions, build

    options = BuildOptions(draft=draft, issue_date=issue_date, verify_strict=verify_mode == "strict", cache=not no_cache)
    if whole_year:
        if period.kind != "year":
            raise click.UsageError(f"--all 只能与年度一起使用，如 bulletin build {period.year} --all")
        build_year(period.year, inputs_dir, out_dir, options, quiet)
        return
    with exit_cleanly(on_bad_input="未生成任何文件，已有的输出保持不变。", on_failure="已有的输出保持不变。"):
        built = build(
            inputs_dir, out_dir, period, options,
            progress=(lambda message: None) if quiet else (lambda message: click.echo(message, err=True)),
            waiting=tell_waiting,
        )
    warn_about_calendar(built.result.campaign)
    click.secho(f"已生成 {len(built.documents)} 份公文{reused_note(built.reused)}，位于 {built.folder}"
                f"{'。' if quiet else '：'}", fg="green")
    for item in () if quiet else built.documents:
        number = item.document.number or "（征求意见稿，无文号）"
        click.echo(f"  {number}  {item.document.title}")
        for fmt, path in item.files.items():
            click.echo(f"      {fmt.upper():5} {built.folder / path}")
    if not quiet:
        click.echo("使用字体：" + "；".join(built.fonts))
    warn_about_changes(built)
    warn_about_findings(built)


def reused_note(reused: int) -> str:
    return f"（其中 {reused} 份内容未变，沿用上次生成的文件）" if reused else ""


def year_progress(quiet: bool):
    """One line on the terminal, whatever its width: rich measures a Chinese character
    as two columns, so the line is cut with an ellipsis rather than wrapped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Column

    fixed = Column(no_wrap=True)
    return Progress(
        TextColumn("{task.description}", table_column=fixed),
        BarColumn(bar_width=12, table_column=Column(no_wrap=True, width=12)),
        MofNCompleteColumn(table_column=fixed),
        TextColumn("剩余", table_column=fixed),
        TimeRemainingColumn(compact=True, table_column=fixed),
        TextColumn("{task.fields[current]}", table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1)),
        console=Console(stderr=True),
        disable=quiet,
        transient=True,
        expand=True,
    )


def build_year(year: int, inputs_dir: Path, out_dir: Path, options: BuildOptions, quiet: bool = False) -> None:
    """`build 2023 --all`: every cut-off with data, under one progress line."""
    from supervision_bulletin.build import build_all, kind_name

    failure = exit_cleanly(
        on_bad_input="未生成任何文件，已有的输出保持不变。",
        on_failure="此前已完成的周期已写出；失败周期的原有输出保持不变。",
    )
    with failure, year_progress(quiet) as bar:
        task = bar.add_task(f"生成{year}年公文", total=None, current="读取并校验输入文件……")

        def started(periods) -> None:
            # The total is known once the inputs are read.
            bar.update(task, total=len(periods))

        def step(message: str) -> None:
            bar.update(task, current=message)

        def built(result: BuildResult) -> None:
            bar.update(task, advance=1, current=f"{result.folder.name} 完成")

        results = build_all(
            inputs_dir, out_dir, year, options, started=started, built=built, waiting=tell_waiting, progress=step
        )
    if results:
        warn_about_calendar(results[0].result.campaign)
    documents = sum(len(r.documents) for r in results)
    reused = reused_note(sum(r.reused for r in results))
    click.secho(f"已生成 {len(results)} 个周期的 {documents} 份公文{reused}，位于 {out_dir}{'。' if quiet else '：'}",
                fg="green")
    for result in () if quiet else results:
        notices = sum(1 for item in result.documents if item.document.kind == "notice")
        main = result.documents[0].document
        extra = f"，督办通知{notices}份" if notices else ""
        # The kind, not the title: one line a cut-off at 80 columns.
        click.echo(f"  {result.folder.name:8} {main.number or '（征求意见稿）'}  {kind_name(result.result.period)}{extra}")
    for result in results:
        warn_about_changes(result)
        warn_about_findings(result)


def warn_about_changes(result: BuildResult) -> None:
    """A rebuild that changes what was already published must be seen before anything is sent."""
    if result.changes:
        click.secho("注意：本次重新生成改变了已发布的结论，请核对后再分发：", fg="yellow", err=True)
        for change in result.changes:
            click.echo(f"  {change}", err=True)


def warn_about_findings(result: BuildResult) -> None:
    """A --verify warn build publishes despite findings: list them."""
    if result.findings:
        count = len(result.findings)
        click.secho(f"注意：{result.folder} 中有 {count} 处不符合 GB/T 9704-2012：", fg="yellow", err=True)
        for finding in result.findings:  # found in the staging folder: name the file only
            click.echo(f"  {finding.line(relative_to=finding.path.parent)}", err=True)


@main.command(name="numbers", options_metavar="[选项]")
@inputs_option
def numbers_command(inputs_dir: Path) -> None:
    """列出文号登记簿：文号、成文日期、标题、主送单位和状态。"""
    from supervision_bulletin.record import RECORD_FILE, CampaignRecord, RecordError

    record = CampaignRecord(inputs_dir / RECORD_FILE)
    try:
        documents = record.documents()
    except RecordError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(EXIT_FAILED)
    if not documents:
        click.echo(f"{record.path} 中还没有登记任何文号。")
        return
    for document in documents:
        issued = document.issued.isoformat() if document.issued else "（未记录）"
        unit = document.unit or "—"
        click.echo(f"{document.number}\t{issued}\t{document.title}\t{unit}\t{document.state}")
    voided = sum(1 for d in documents if d.state != "已发布")
    click.echo(f"共 {len(documents)} 个文号，其中已作废 {voided} 个（作废的文号不再使用）。", err=True)


@main.command(name="site", options_metavar="[选项]", short_help="把该年已发布（未作废）的公文生成可放到政府网站的静态网站 site/。")
@click.argument("year", type=click.IntRange(2000, 2100), metavar="年度")
@inputs_option
@out_option("存放各周期公文的输出文件夹，网站写入其下的 site/")
def site_command(year: int, inputs_dir: Path, out_dir: Path) -> None:
    """把该年已发布（未作废）的公文生成静态网站 site/：政府信息公开目录（按类别筛选）、每份公文一页（附 PDF）和 SHA256SUMS。

    只放入公开方式为“主动公开”的公文（督办通知默认不公开），整个 site/ 文件夹可直接复制到政府网站。
    """
    from supervision_bulletin.site import build_site

    with exit_cleanly(on_bad_input="未生成网站。", on_failure="未生成网站，原有的 site/ 保持不变。"):
        built = build_site(inputs_dir, out_dir, year, waiting=tell_waiting)
    click.secho(f"已生成网站 {built.folder}：{len(built.documents)} 份公文，{built.files} 个文件。", fg="green")
    for page in built.pages:
        click.echo(f"  {built.folder / page}")
    click.echo("  " + "，".join(f"{name} {count} 份" for name, count in count_by(built.documents).items()))
    if built.withheld:
        click.echo("未放入网站：" + "，".join(f"{name} {count} 份" for name, count in count_by(built.withheld, True).items()))
    click.echo(f"校验值：{built.folder / 'SHA256SUMS'}（sha256sum -c SHA256SUMS 可核对）")


def count_by(documents, with_disclosure: bool = False) -> dict[str, int]:
    """Documents counted by kind, in the order of the calendar (and by 公开方式)."""
    from supervision_bulletin.document import KIND_NAMES

    counts: dict[str, int] = {}
    for document in sorted(documents, key=lambda d: list(KIND_NAMES).index(d.kind) if d.kind in KIND_NAMES else 99):
        name = f"{document.kind_name}（{document.disclosure}）" if with_disclosure else document.kind_name
        counts[name] = counts.get(name, 0) + 1
    return counts


@main.command(name="verify", options_metavar="[选项]")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True), metavar="路径…")
def verify_command(paths: tuple[Path, ...]) -> None:
    """按 GB/T 9704-2012 核验 Word 和 PDF 文件（可给文件夹）。

    每处问题一行：文件、位置（页、行或段）、问题及所违反的条款；有问题时以状态 1 退出。
    """
    from supervision_bulletin.verify import documents_in, legend, verify_file

    files = documents_in(paths)
    if not files:
        raise click.UsageError("没有找到 .docx 或 .pdf 文件")
    findings = []
    for path in files:
        try:
            found = verify_file(path)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        findings += found
        for finding in found:
            click.echo(finding.line())
    if findings:
        click.secho(f"{len(files)} 个文件中发现 {len(findings)} 处不符合 GB/T 9704-2012 的问题。", fg="red", err=True)
        for line in legend(findings):
            click.echo(f"  {line}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.secho(f"已核验 {len(files)} 个文件，未发现问题。", fg="green")


@main.command(name="serve", options_metavar="[选项]")
@inputs_option
@out_option("输出文件夹（与 bulletin build 相同）")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只有本机能打开。其他地址（如 0.0.0.0）必须同时给出 --password-file")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口")
@click.option("--password-file", type=click.Path(path_type=Path, dir_okay=False),
              help="密码文件（一行密码）：设置后须先登录；不在 127.0.0.1 上提供服务时必须设置")
def serve_command(inputs_dir: Path, out_dir: Path, host: str, port: int, password_file: Path | None) -> None:
    """在浏览器中使用本工具：上传月报和反馈、下载填报表、生成和预览公文、查看文号登记簿。"""
    from supervision_bulletin.web.server import ServeError, serve_forever, settings_for

    try:
        settings = settings_for(inputs_dir, out_dir, host, password_file)

        def announce(url: str, real_port: int) -> None:
            click.secho(f"督查通报工作台已启动：{url}", fg="green", bold=True)
            if host in ("0.0.0.0", "::"):
                click.echo(f"同一网络中的其他电脑请用本机的 IP 地址访问，如 http://本机IP:{real_port}/（需输入密码）")
            click.echo(f"工作区：{settings.inputs_dir.resolve()}；输出：{settings.out_dir.resolve()}")
            click.echo("在浏览器中打开上面的地址即可使用；按 Ctrl-C 停止。")

        serve_forever(settings, host, port, announce)
    except ServeError as error:
        click.secho(f"无法启动：{error}", fg="red", err=True)
        sys.exit(2)
    click.echo("工作台已停止。")


# Ctrl-C: click would print its English "Aborted!" and exit 1, the code of bad
# input. The wrapper sits around the group's invoke, which every command runs
# through (from the `bulletin` script and from CliRunner alike); the staging
# folder has already been dropped when the interrupt gets here. SIGTERM and
# SIGHUP arrive the same way, as workers.Stopped, from the entry points.
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report an interrupted command
_invoke_commands = main.invoke


def _invoke_interruptible(ctx: click.Context):
    try:
        return _invoke_commands(ctx)
    except KeyboardInterrupt as interrupt:
        _stop(ctx, interrupt)
    except Exception as error:
        # A library cleaning up after the interrupt may fail in its turn (openpyxl's
        # write-only sheet, stopped inside lxml's writer, raises LxmlSyntaxError on
        # the way out) and hide it: still an interrupt, not a crash.
        behind = _interrupt_behind(error)
        if behind is None:
            raise
        _stop(ctx, behind)


def _interrupt_behind(error: BaseException) -> KeyboardInterrupt | None:
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__context__
    return None


def _stop(ctx: click.Context, interrupt: KeyboardInterrupt) -> None:
    try:
        click.echo("\n已中断，已有的输出保持不变。", err=True)
    except OSError:  # SIGHUP: the terminal is gone
        pass
    number = getattr(interrupt, "number", None)
    ctx.exit(128 + number if number else EXIT_INTERRUPTED)


main.invoke = _invoke_interruptible  # type: ignore[method-assign]


if __name__ == "__main__":  # python -m supervision_bulletin.cli
    from supervision_bulletin.render.workers import stop_on_signals

    stop_on_signals()
    main()
