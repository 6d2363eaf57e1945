"""Benchmark: the sample campaign's builds and each document's rendering.

Prints figures (median and range over several runs); it judges nothing. Run
with `nox -s bench` or `.venv/bin/python scripts/bench.py [--runs N] [PERIOD …]`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.build import TEMPLATES, BuildOptions, build  # noqa: E402
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
    parser.add_argument("periods", nargs="*", default=["2023-Q3"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    inputs = work / "inputs"
    shutil.copytree(ROOT / "inputs", inputs, ignore=shutil.ignore_patterns("registry.sqlite"))
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
            for item in built.documents:
                document = item.document
                for fmt in ("docx", "pdf", "html"):
                    target = work / f"bench.{fmt}"
                    writer = getattr(renderers, f"_write_{fmt}")
                    print(row(f"  {document.kind} {fmt}", timed(lambda: writer(document, target), args.runs)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
