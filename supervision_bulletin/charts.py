"""Charts for the documents: completion against the time benchmark, by domain.

One chart is drawn once and saved twice, as SVG for the HTML and the PDF and as
PNG for Word, so the three files show the same picture. Chart text is set in
the Hei face of the machine's font set (supervision_bulletin.fonts), as GB/T 9704 documents
use Hei for figure labels.

The SVG keeps its labels as text (searchable, crisp at any size) and names no
face on them: the HTML renderer gives the <svg> root the Hei font stack, which
in the PDF is the very face embedded for the headings. Nothing here touches
matplotlib's global state: the figure is a plain Figure (no pyplot), fonts are
passed as FontProperties and settings as a local rc_context.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from supervision_bulletin.evaluate import Judgement
from supervision_bulletin.fonts import default_font_set
from supervision_bulletin.memo import file_stamp, made_by, remembered
from supervision_bulletin.render.workers import run_apart

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.typing import RcKeyType

MM_PER_INCH = 25.4
COMPLETION_COLOUR = "#1f4e79"
BENCHMARK_COLOUR = "#a6a6a6"
TEXT_COLOUR = "#000000"
LABEL_SIZE = 10.0  # pt at the printed width
PNG_DPI = 200
# Deterministic output: the same data gives byte-identical files on every
# build, so the manifest's checksums only change when the chart does.
RC: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "supervision-chart", "axes.unicode_minus": False}

_XML_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_FONT_FAMILY = re.compile(r"\s*font-family:[^;\"]*;?")


@dataclass(frozen=True)
class DomainProgress:
    """A domain's mean completion and mean benchmark over its measurable indicators."""

    domain: str
    measured: int  # 累计 indicators with a share of the target (the others have none)
    completion: float | None  # mean of each indicator's completion, capped at 100%
    benchmark: float | None  # mean 序时进度 of the same indicators


@dataclass(frozen=True)
class Chart:
    svg: str  # an inline <svg> element, no XML prologue
    png: bytes
    width_mm: float


def measurable(judgement: Judgement) -> bool:
    """Only running totals with a floor have both a share done and a share due."""
    return (
        judgement.indicator.type == "累计"
        and judgement.completion is not None
        and judgement.benchmark_share is not None
    )


def domain_progress(by_domain: Mapping[str, Sequence[Judgement]]) -> tuple[DomainProgress, ...]:
    """Per domain, in plan order. A completion above 100% counts as 100%, so one
    indicator far beyond its target cannot hide another one behind."""
    rows = []
    for domain, judgements in by_domain.items():
        chosen = [j for j in judgements if measurable(j)]
        if not chosen:
            rows.append(DomainProgress(domain, 0, None, None))
            continue
        # Neither share is None (measurable); the conditions only narrow their type.
        completion = sum(min(j.completion, 1.0) for j in chosen if j.completion is not None) / len(chosen)
        benchmark = sum(min(j.benchmark_share, 1.0) for j in chosen if j.benchmark_share is not None) / len(chosen)
        rows.append(DomainProgress(domain, len(chosen), completion, benchmark))
    return tuple(rows)


def hei_font() -> Path:
    return default_font_set().face("hei").file


def completion_chart(
    rows: Sequence[DomainProgress],
    *,
    completion_label: str = "平均完成率",
    benchmark_label: str = "平均序时进度",
    empty_label: str = "无累计类指标",
    width_mm: float = 150.0,
    font_file: Path | None = None,
) -> Chart:
    """Horizontal bars, two per domain (completion, benchmark), domains top to bottom.

    Drawn once for given figures, labels and font, then kept between runs: a
    rebuild whose figures did not change reuses the picture (memo.py)."""
    font_path = Path(font_file or hei_font())
    labels = (completion_label, benchmark_label, empty_label)
    parts = ["completion", [dataclasses.asdict(row) for row in rows], labels, width_mm,
             file_stamp(font_path), made_by("matplotlib"), repr(sorted(RC.items()))]

    def drawn() -> bytes:
        # Apart: matplotlib and numpy would stay in the build's process to the end of its build.
        chart = run_apart(draw_completion_chart, tuple(rows), labels, width_mm, font_path)
        return json.dumps({"svg": chart.svg, "png": base64.b64encode(chart.png).decode(), "width_mm": width_mm}).encode()

    stored = json.loads(remembered("charts", parts, drawn))
    return Chart(stored["svg"], base64.b64decode(stored["png"]), stored["width_mm"])


def draw_completion_chart(rows: Sequence[DomainProgress], labels: tuple[str, str, str], width_mm: float,
                          font_path: Path) -> Chart:
    # matplotlib (and numpy) load here, only when a chart is really drawn.
    import matplotlib
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.font_manager import FontProperties

    completion_label, benchmark_label, empty_label = labels
    font_file = font_path
    font = FontProperties(fname=str(font_file), size=LABEL_SIZE)
    small = FontProperties(fname=str(font_file), size=LABEL_SIZE - 1)
    height_mm = 24 + 13 * max(len(rows), 1)
    with matplotlib.rc_context(RC):
        figure = MplFigure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        axes = figure.add_subplot()
        draw_bars(axes, rows, font, small, completion_label, benchmark_label, empty_label)
        figure.tight_layout(pad=0.6)
        return Chart(svg=svg_text(figure), png=png_bytes(figure), width_mm=width_mm)


def draw_bars(axes, rows, font, small, completion_label, benchmark_label, empty_label) -> None:
    positions = list(range(len(rows)))
    bar = 0.36
    completions = [row.completion or 0.0 for row in rows]
    benchmarks = [row.benchmark or 0.0 for row in rows]
    done = axes.barh([p - bar / 2 for p in positions], completions, height=bar, color=COMPLETION_COLOUR,
                     label=completion_label)
    due = axes.barh([p + bar / 2 for p in positions], benchmarks, height=bar, color=BENCHMARK_COLOUR,
                    label=benchmark_label)
    for row, position, done_bar, due_bar in zip(rows, positions, done, due):
        if row.completion is None:
            axes.text(0.01, position, empty_label, va="center", ha="left", fontproperties=small, color=TEXT_COLOUR)
            continue
        for patch, value in ((done_bar, row.completion), (due_bar, row.benchmark)):
            axes.text(value + 0.01, patch.get_y() + patch.get_height() / 2, f"{value * 100:.1f}%",
                      va="center", ha="left", fontproperties=small, color=TEXT_COLOUR)
    axes.set_yticks(positions)
    axes.set_yticklabels([row.domain for row in rows], fontproperties=font)
    axes.invert_yaxis()  # the plan's first domain on top, as in the text
    axes.set_xlim(0, 1.18)
    axes.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    from matplotlib.ticker import PercentFormatter

    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for label in axes.get_xticklabels():
        label.set_fontproperties(small)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(prop=small, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)


def svg_text(figure: MplFigure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return inline_svg(buffer.getvalue())


def inline_svg(document: str) -> str:
    """The bare <svg> element: no XML declaration or doctype (it sits inside
    HTML), no metadata, and no face on the labels (the renderer supplies Hei)."""
    svg = _XML_PROLOGUE.sub("", document, count=1)
    svg = _METADATA.sub("", svg)
    return _FONT_FAMILY.sub("", svg).strip()


def png_bytes(figure: MplFigure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()
