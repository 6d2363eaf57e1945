"""Benchmark: the speed goals, each measured as a ratio in one run, then the memory
`bulletin check` takes on each hostile input.

    .venv/bin/python scripts/bench.py [--runs N] [--skip-tenfold]   (or: nox -s bench)
    .venv/bin/python scripts/bench.py --figures      # per-format timings of single documents
    .venv/bin/python scripts/bench.py --memory-only  # the hostile inputs alone

Every goal sets two measurements side by side, taken in alternation in this run
(medians of --runs pairs), so a busy or a fast machine moves both alike:

1. `bulletin build 2023 --all` (new process, cache off) against LibreOffice
   converting the same DOCX set to PDF in one call: at most 1×.
2. A rerun with nothing changed, against the full build that filled the cache:
   at most 15 %.
3. One new month of reports: only its cut-off's documents are made again, the
   earlier ones are taken from the cache (the documents made elsewhere are
   counted: none; the time is set against a full build).
4. `bulletin build 2023-Q3` from a cold start (new process, cache off) against
   LibreOffice on its DOCX: at most 1.5×.
5. The same cut-off from the warm `bulletin serve` process (its build function,
   cache off) against LibreOffice on its DOCX: at most 0.5×.
6. A campaign ten times the sample (scripts/tenfold.py: 300 units, 440 indicators,
   5,280 report rows): its year within 10× the sample's year, with the peak memory
   of the build's processes (PSS, summed over the main process and its workers)
   at most 500 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supervision_bulletin.build import BuildOptions, build, build_all  # noqa: E402
from supervision_bulletin.memo import CACHE_VARIABLE  # noqa: E402
from supervision_bulletin.periods import parse_period  # noqa: E402
from supervision_bulletin.render import Renderers  # noqa: E402
from supervision_bulletin.resources import SAMPLE_CAMPAIGN, TEMPLATES  # noqa: E402

RECORD_FILES = shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock")
QUARTER = "2023-Q3"


@dataclass
class Goal:
    name: str
    measured: float
    limit: float
    detail: str

    def line(self) -> str:
        verdict = "met" if self.measured <= self.limit else "NOT met"
        return f"  {self.name:<58} {self.measured:6.2f} (goal ≤ {self.limit:g})  {verdict}   {self.detail}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def seconds_of(action, *arguments, **options) -> float:
    start = time.perf_counter()
    action(*arguments, **options)
    return time.perf_counter() - start


def bulletin(workspace: Path, *arguments: str, cache: Path | None = None) -> None:
    """The command as a user runs it, in a new process."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), CACHE_VARIABLE: str(cache or workspace / "cache")}
    command = [sys.executable, "-m", "supervision_bulletin", *arguments, "--quiet",
               "--inputs", str(workspace / "inputs"), "--out", str(workspace / "outputs")]
    subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL)


def sample_workspace(parent: Path, name: str) -> Path:
    workspace = parent / name
    shutil.copytree(SAMPLE_CAMPAIGN, workspace / "inputs", ignore=RECORD_FILES)
    return workspace


class LibreOffice:
    """`soffice --convert-to pdf` of a set of DOCX in one call, with a profile of its own
    made once beforehand (a first start's profile creation is not conversion)."""

    def __init__(self, scratch: Path):
        self.program = shutil.which("soffice")
        self.profile = (scratch / "lo-profile").as_uri()
        self.scratch = scratch

    def convert(self, files: list[Path]) -> float:
        assert self.program
        out = self.scratch / "lo-out"
        shutil.rmtree(out, ignore_errors=True)
        command = [self.program, f"-env:UserInstallation={self.profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(out), *map(str, files)]
        seconds = seconds_of(lambda: subprocess.run(command, check=True, capture_output=True))
        if len(list(out.glob("*.pdf"))) != len(files):
            raise RuntimeError("LibreOffice did not convert every file")
        return seconds


def docx_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.docx"))


def measure_goals(runs: int, tenfold: bool) -> list[Goal]:
    scratch = Path(tempfile.mkdtemp(prefix="bench-goals-"))
    office = LibreOffice(scratch)
    goals = []
    try:
        if office.program is None:
            print("LibreOffice (soffice) is not installed: the goals against it are skipped"
                  " (apt-get install --no-install-recommends libreoffice-writer-nogui)")
        # The year cold, against LibreOffice on the year's DOCX.
        year, office_year, quarter, office_quarter = [], [], [], []
        for run in range(runs):
            workspace = sample_workspace(scratch, f"year-{run}")
            year.append(seconds_of(bulletin, workspace, "build", "2023", "--all", "--no-cache"))
            if office.program:
                if run == 0:
                    office.convert(docx_files(workspace / "outputs" / QUARTER))  # the profile, once
                office_year.append(office.convert(docx_files(workspace / "outputs")))
            quarter.append(seconds_of(bulletin, workspace, "build", QUARTER, "--no-cache"))
            if office.program:
                office_quarter.append(office.convert(docx_files(workspace / "outputs" / QUARTER)))
        documents = len(docx_files(workspace / "outputs"))
        quarter_documents = len(docx_files(workspace / "outputs" / QUARTER))
        print(f"sample year: {documents} documents; {QUARTER}: {quarter_documents}")
        print(f"  build 2023 --all           median {median(year):6.2f} s   (runs: {fmt(year)})")
        print(f"  build {QUARTER} (cold)       median {median(quarter):6.2f} s   (runs: {fmt(quarter)})")
        if office.program:
            print(f"  LibreOffice, year's DOCX   median {median(office_year):6.2f} s   (runs: {fmt(office_year)})")
            print(f"  LibreOffice, quarter's DOCX median {median(office_quarter):6.2f} s   (runs: {fmt(office_quarter)})")
            goals.append(Goal("build 2023 --all / LibreOffice on the same DOCX", median(year) / median(office_year),
                              1.0, f"{median(year):.2f} s vs {median(office_year):.2f} s"))
            goals.append(Goal(f"build {QUARTER} cold / LibreOffice on its DOCX",
                              median(quarter) / median(office_quarter), 1.5,
                              f"{median(quarter):.2f} s vs {median(office_quarter):.2f} s"))
        goals.append(rerun_goal(scratch, runs))
        goals.append(new_month_goal(scratch))
        if office.program:
            warm = warm_serve_seconds(scratch, runs)
            goals.append(Goal(f"build {QUARTER} from the warm serve process / LibreOffice",
                              median(warm) / median(office_quarter), 0.5,
                              f"{median(warm):.2f} s vs {median(office_quarter):.2f} s"))
        if tenfold:
            goals.extend(tenfold_goals(scratch, median(year)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return goals


def fmt(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def rerun_goal(scratch: Path, runs: int) -> Goal:
    full, again = [], []
    for run in range(runs):
        workspace = sample_workspace(scratch, f"rerun-{run}")
        cache = workspace / "cache"  # empty: the first build fills it
        full.append(seconds_of(bulletin, workspace, "build", "2023", "--all", cache=cache))
        again.append(seconds_of(bulletin, workspace, "build", "2023", "--all", cache=cache))
    return Goal("rerun with nothing changed / the full build", median(again) / median(full), 0.15,
                f"{median(again):.2f} s vs {median(full):.2f} s")


def new_month_goal(scratch: Path) -> Goal:
    """December's reports arrive after November's build: what is made again."""
    workspace = sample_workspace(scratch, "new-month")
    december = workspace / "inputs" / "reports" / "2023-12.xlsx"
    held_back = scratch / "2023-12.xlsx"
    shutil.move(december, held_back)
    cache = workspace / "cache"
    os.environ[CACHE_VARIABLE] = str(cache)
    try:
        renderers = Renderers.load(TEMPLATES)
        inputs, out = workspace / "inputs", workspace / "outputs"
        full = seconds_of(lambda: build_all(inputs, out, 2023, renderers=renderers))
        shutil.move(held_back, december)
        said: list[str] = []
        seconds = seconds_of(lambda: build_all(inputs, out, 2023, renderers=renderers, progress=said.append))
    finally:
        os.environ.pop(CACHE_VARIABLE, None)
    made = [line for line in said if line.endswith("已生成并核验")]
    reused = [line for line in said if line.endswith("沿用上次生成的文件")]
    # December's documents: the year-end account and its notices (第四季度).
    elsewhere = [line for line in made if not ("第四季度" in line or "目标任务完成情况" in line)]
    print(f"one new month (December): {len(made)} documents made, {len(reused)} taken from the cache")
    return Goal("one new month: documents made outside its cut-off", len(elsewhere), 0,
                f"made {len(made)}, reused {len(reused)}; {seconds:.2f} s vs a full build's {full:.2f} s"
                f" ({seconds / full:.2f})")


def warm_serve_seconds(scratch: Path, runs: int) -> list[float]:
    """A cut-off built through the web application's build function, as a click on
    the page starts it, in this process once it is warm (cache off)."""
    from supervision_bulletin.web.jobs import DONE, Builds
    from supervision_bulletin.web.workspace import Workspace, warm_renderers

    workspace = sample_workspace(scratch, "serve")
    inputs, out = workspace / "inputs", workspace / "outputs"
    build_all(inputs, out, 2023, BuildOptions(cache=False))
    builds = Builds(Workspace(inputs, out))
    options = BuildOptions(cache=False)

    def through_the_app():
        job = builds.start(parse_period(QUARTER), options)
        while not job.over:
            time.sleep(0.005)
        assert job.state == DONE, job.error

    warm_renderers()  # as `bulletin serve` does when it starts
    through_the_app()  # warm: inputs checked, fonts and templates loaded
    return [seconds_of(through_the_app) for _ in range(runs)]


class PeakMemory:
    """The highest sum of PSS over a process and its descendants, sampled every 50 ms
    (PSS shares the pages forked workers have in common, so nothing counts twice)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _family(self) -> list[int]:
        family, parents = [self.pid], {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        for pid in family:
            family.extend(child for child, parent in parents.items() if parent == pid)
        return family

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            total = 0
            for pid in self._family():
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            total += int(line.split()[1]) * 1024
                except OSError:
                    continue
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def tenfold_goals(scratch: Path, sample_year: float) -> list[Goal]:
    from scripts.tenfold import write_tenfold_campaign

    workspace = scratch / "tenfold"
    write_tenfold_campaign(workspace / "inputs")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), CACHE_VARIABLE: str(workspace / "cache")}
    command = [sys.executable, "-m", "supervision_bulletin", "build", "2024", "--all", "--no-cache", "--quiet",
               "--inputs", str(workspace / "inputs"), "--out", str(workspace / "outputs")]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    memory = PeakMemory(process.pid)
    if process.wait() != 0:
        raise RuntimeError("the tenfold campaign did not build")
    seconds = time.perf_counter() - start
    peak = memory.stop() / 2**20
    documents = len(docx_files(workspace / "outputs"))
    print(f"tenfold campaign: {documents} documents in {seconds:.1f} s, peak {peak:.0f} MB")
    return [
        Goal("tenfold campaign's year / the sample's year", seconds / sample_year, 10.0,
             f"{seconds:.1f} s vs {sample_year:.1f} s ({documents} documents)"),
        Goal("tenfold campaign's peak memory (MB, PSS of all processes)", peak, 500.0, ""),
    ]


# figures of single documents and hostile inputs -----------------------------------------


def per_format_figures(runs: int) -> None:
    """Each format of the quarter's main document and of one notice, rendered alone."""
    work = Path(tempfile.mkdtemp(prefix="bench-figures-"))
    try:
        inputs = work / "inputs"
        shutil.copytree(SAMPLE_CAMPAIGN, inputs, ignore=RECORD_FILES)
        renderers = Renderers.load(TEMPLATES)
        build_all(inputs, work / "outputs", 2023, BuildOptions(cache=False), renderers=renderers)
        built = build(inputs, work / "outputs", parse_period(QUARTER), BuildOptions(cache=False), renderers=renderers)
        writers = {"docx": renderers.docx.render, "pdf": renderers.pdf.render,
                   "html": lambda d, p: p.write_text(renderers.html.render(d), encoding="utf-8")}
        for item in built.documents[:2]:
            for name, write in writers.items():
                target = work / f"bench.{name}"
                seconds = [seconds_of(write, item.document, target) for _ in range(runs)]
                print(f"  {item.document.kind:20} {name:5} median {median(seconds):6.3f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def peak_memory(command: list[str]) -> tuple[int, float, float]:
    """Exit code, peak memory (MB, PSS sampled as for the tenfold campaign) and seconds
    of one command in a process of its own. (Not the child's ru_maxrss: Linux carries
    the high-water mark of the forking process, this one, across exec.)"""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    memory = PeakMemory(process.pid)
    code = process.wait()
    return code, memory.stop() / 2**20, time.perf_counter() - start


def real_zip_bomb(root: Path, unpacked: int = 2 * 2**30) -> None:
    """A September report of about 2 MB that unpacks to 2 GB (a sheet of blanks)."""
    from tests.hostile.corpus import september_sheet, write_workspace
    from tests.hostile.xlsx import write_xlsx

    write_workspace(root, months=(6, 7, 8))
    path = root / "reports" / "2024-09.xlsx"
    write_xlsx(path, [september_sheet()])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/blank.bin", "w", force_zip64=True) as member:
            chunk = b" " * 2**24
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)


def measure_hostile_inputs() -> None:
    """Peak memory of `bulletin check` on every hostile input of the test corpus (printed, not judged)."""
    from tests.hostile.corpus import CASES, Case, make_case

    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    cases = [case for case in CASES if case.command == ("check",)]
    cases.append(Case("zip-bomb-2-mb", "exhaustion", real_zip_bomb, ("check",), 1))
    print("bulletin check on hostile inputs: exit code, peak memory (PSS), time")
    try:
        for case in cases:
            root = make_case(case, work / case.name)
            size = sum(p.stat().st_size for p in (root / "reports").rglob("*") if p.is_file() and not p.is_symlink())
            command = [sys.executable, "-c", "from supervision_bulletin.cli import main; main()", "check", "--inputs", str(root)]
            code, megabytes, seconds = peak_memory(command)
            print(f"  {case.name:32} exit {code}  peak {megabytes:7.1f} MB  {seconds:6.2f} s   (reports {size / 1024:,.0f} KB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="pairs of measurements per goal (medians)")
    parser.add_argument("--skip-tenfold", action="store_true", help="leave out the tenfold campaign (minutes)")
    parser.add_argument("--figures", action="store_true", help="per-format timings of single documents only")
    parser.add_argument("--memory-only", action="store_true", help="only the memory of checks on hostile inputs")
    args = parser.parse_args()
    if args.figures:
        per_format_figures(args.runs)
        return
    if not args.memory_only:
        print(f"machine: {os.cpu_count()} cores; worker processes: {os.environ.get('BULLETIN_JOBS', 'all cores')}")
        goals = measure_goals(args.runs, not args.skip_tenfold)
        print("goals (ratio, goal, met or not):")
        for goal in goals:
            print(goal.line())
    measure_hostile_inputs()


if __name__ == "__main__":
    main()
