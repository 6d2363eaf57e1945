"""Benchmark: the sample campaign's builds, each document's rendering, a whole year.

Prints figures (median and range over several runs); it judges nothing. Run
with `nox -s bench` or `.venv/bin/python scripts/bench.py [--runs N] [--year-runs N] [PERIOD …]`.
The whole year is `bulletin build 2023 --all`: every period with data, one
reading of the inputs and one set-up of the renderers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.build import TEMPLATES, BuildOptions, build, build_all  # noqa: E402
from pipeline.periods import parse_period  # noqa: E402
from pipeline.render import Renderers  # noqa: E402


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
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    inputs = work / "inputs"
    shutil.copytree(ROOT / "inputs", inputs, ignore=shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock"))
    try:
        start = time.perf_counter()
        renderers = Renderers.load(TEMPLATES)
        print(row("set-up of the renderers (fonts, templates)", [time.perf_counter() - start]))
        for label in args.periods:
            period = parse_period(label)
            options = BuildOptions(draft=False)
            built = None

            def whole_build():
                nonlocal built
                built = build(inputs, work / "outputs", period, options, renderers=renderers)

            print(row(f"build {label} (load → write, warm)", timed(whole_build, args.runs)))
            for item in built.documents[:2]:  # the main document and one notice: the others are alike
                document = item.document
                for fmt in ("docx", "pdf", "html"):
                    target = work / f"bench.{fmt}"
                    writer = getattr(renderers, f"_write_{fmt}")
                    print(row(f"  {document.kind} {fmt}", timed(lambda: writer(document, target), args.runs)))
        if args.year_runs:
            time_whole_year(inputs, work / "year", args.year_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


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


if __name__ == "__main__":
    main()
