"""Benchmark: the sample campaign's builds, each document's rendering, a whole year,
and the memory `bulletin check` takes on each hostile input.

Prints figures (median and range over several runs); it judges nothing. Run
with `nox -s bench` or `.venv/bin/python scripts/bench.py [--runs N] [--year-runs N] [PERIOD …]`
(`--memory-only` for the hostile inputs alone, `--app-only` for the web application alone).
The web application (`bulletin serve`) keeps fonts, templates and checked inputs
warm: a quarter built through the application's build function (its worker
thread, as a click on the page starts it) is timed twice, the second warm, and
set against the cold command (`python -m supervision_bulletin.cli build 2023-Q3` in a new process).
The whole year is `bulletin build 2023 --all`: every period with data, one
reading of the inputs and one set-up of the renderers. The hostile inputs are
tests/hostile/corpus.py's, plus a real 2 MB zip bomb; each check runs in a
process of its own, whose peak resident memory is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supervision_bulletin.build import BuildOptions, build, build_all  # noqa: E402
from supervision_bulletin.periods import parse_period  # noqa: E402
from supervision_bulletin.render import Renderers  # noqa: E402
from supervision_bulletin.resources import SAMPLE_CAMPAIGN, TEMPLATES  # noqa: E402


def timed(action, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def row(label: str, seconds: list[float]) -> str:
    return f"{label:<44} median {statistics.median(seconds):7.3f} s   min {min(seconds):7.3f}   max {max(seconds):7.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    # One period of each kind of cycle of the sample campaign.
    parser.add_argument("periods", nargs="*", default=["2023-08", "2023-Q3", "2023-H1", "2023"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year-runs", type=int, default=2, help="runs of the whole year (0: skip it)")
    parser.add_argument("--memory-only", action="store_true", help="only the memory of checks on hostile inputs")
    parser.add_argument("--app-only", action="store_true", help="only the web application's warm build against the cold command")
    parser.add_argument("--app-period", default="2023-Q3", help="the cut-off the web application builds")
    args = parser.parse_args()
    if args.memory_only:
        measure_hostile_inputs()
        return
    if args.app_only:
        time_warm_app(args.app_period)
        return
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    inputs = work / "inputs"
    shutil.copytree(SAMPLE_CAMPAIGN, inputs, ignore=shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock"))
    try:
        start = time.perf_counter()
        renderers = Renderers.load(TEMPLATES)
        print(row("set-up of the renderers (fonts, templates)", [time.perf_counter() - start]))
        # The year once, in date order: the answers to notices name numbers the record must hold.
        build_all(inputs, work / "outputs", int(args.periods[-1][:4]), BuildOptions(draft=False), renderers=renderers)
        for label in args.periods:
            period = parse_period(label)
            options = BuildOptions(draft=False)
            built = None

            def whole_build():
                nonlocal built
                built = build(inputs, work / "outputs", period, options, renderers=renderers)  # noqa: B023 - timed at once

            print(row(f"build {label} (load → write, warm)", timed(whole_build, args.runs)))
            for item in built.documents[:2]:  # the main document and one notice: the others are alike
                document = item.document
                for fmt in ("docx", "pdf", "html"):
                    target = work / f"bench.{fmt}"
                    writer = getattr(renderers, f"_write_{fmt}")
                    print(row(f"  {document.kind} {fmt}", timed(lambda: writer(document, target), args.runs)))  # noqa: B023
        if args.year_runs:
            time_whole_year(inputs, work / "year", args.year_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    time_warm_app(args.app_period)
    measure_hostile_inputs()


def time_whole_year(inputs: Path, out: Path, runs: int) -> None:
    """`build YEAR --all` from a cold start (renderers set up inside, as the command does)."""
    year = int(yaml.safe_load((inputs / "campaign.yaml").read_text(encoding="utf-8"))["year"])
    built = ()

    def whole_year():
        nonlocal built
        built = build_all(inputs, out, year, BuildOptions(draft=False))

    seconds = timed(whole_year, runs)
    documents = sum(len(result.documents) for result in built)
    print(row(f"build {year} --all ({len(built)} periods, {documents} documents)", seconds))
    print(row("  per document", [s / max(documents, 1) for s in seconds]))


def time_warm_app(label: str, runs: int = 2) -> None:
    """A quarter from the warm web application against the cold command: figures and
    their ratio, judged by no one. The year is built once first, in date order, as
    the sample's answers name numbers the record must hold."""
    from supervision_bulletin.web.jobs import DONE, Builds
    from supervision_bulletin.web.workspace import Workspace

    work = Path(tempfile.mkdtemp(prefix="bench-app-"))
    inputs, out = work / "inputs", work / "outputs"
    shutil.copytree(SAMPLE_CAMPAIGN, inputs, ignore=shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock"))
    try:
        year = int(yaml.safe_load((inputs / "campaign.yaml").read_text(encoding="utf-8"))["year"])
        build_all(inputs, out, year, BuildOptions(verify_strict=False))
        builds = Builds(Workspace(inputs, out))
        period, options = parse_period(label), BuildOptions(verify_strict=False)

        def through_the_app():
            job = builds.start(period, options)
            while not job.over:
                time.sleep(0.01)
            assert job.state == DONE, job.error

        first = timed(through_the_app, 1)
        warm = timed(through_the_app, runs)
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "supervision_bulletin.cli", "build", label, "--inputs", str(inputs), "--out", str(out),
                   "--verify", "warn"]

        def cold_command():
            subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        cold = timed(cold_command, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"bulletin serve: {label} built through the application's build function, against the command")
    print(row("  app, first build (check, renderers set up)", first))
    print(row("  app, warm", warm))
    print(row(f"  cold command (python -m supervision_bulletin.cli build {label})", cold))
    print(f"  cold / warm: {statistics.median(cold) / statistics.median(warm):.2f} ×   "
          f"(first / warm: {first[0] / statistics.median(warm):.2f} ×)")


def peak_memory(command: list[str]) -> tuple[int, float, float]:
    """Exit code, peak resident memory (MB) and seconds of one command in a process of its own."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, time.perf_counter() - start


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
    print("bulletin check on hostile inputs: exit code, peak resident memory, time")
    try:
        for case in cases:
            root = make_case(case, work / case.name)
            size = sum(p.stat().st_size for p in (root / "reports").rglob("*") if p.is_file() and not p.is_symlink())
            command = [sys.executable, "-c", "from supervision_bulletin.cli import main; main()", "check", "--inputs", str(root)]
            code, megabytes, seconds = peak_memory(command)
            print(f"  {case.name:32} exit {code}  peak {megabytes:7.1f} MB  {seconds:6.2f} s   (reports {size / 1024:,.0f} KB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
