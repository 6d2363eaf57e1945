"""The completion chart: its figures, and the same picture as SVG and PNG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from supervision_bulletin.charts import DomainProgress, completion_chart, domain_progress, inline_svg
from supervision_bulletin.evaluate import Judgement
from supervision_bulletin.fonts import FontNotFoundError, default_font_set
from supervision_bulletin.model import Indicator, Report

SVG = "{http://www.w3.org/2000/svg}"


def judgement(id, target, value, benchmark, kind="累计", comparison=">="):
    indicator = Indicator(id, "T", id, "个", target, comparison, kind, ("甲局",))
    report = Report(id, "甲局", 6, value, None) if value is not None else None
    return Judgement(indicator, 6, "达序时", report, benchmark)


@pytest.fixture(scope="module")
def hei():
    try:
        return default_font_set().face("hei").file
    except FontNotFoundError as error:
        pytest.skip(f"fonts not installed: {error}")


def test_domain_means_cap_each_completion_at_a_hundred_percent():
    rows = domain_progress({
        "甲领域": (judgement("a", 100, 150, 50), judgement("b", 100, 30, 50)),
        "乙领域": (judgement("c", None, None, None, kind="定性"),),
    })
    first, second = rows
    assert first.measured == 2
    assert first.completion == pytest.approx((1.0 + 0.3) / 2)
    assert first.benchmark == pytest.approx(0.5)
    assert second == DomainProgress("乙领域", 0, None, None)


def test_levels_ceilings_and_unreported_indicators_are_not_averaged():
    rows = domain_progress({
        "甲领域": (
            judgement("level", 100, 90, 100, kind="水平"),
            judgement("ceiling", 100, 40, 50, comparison="<="),
            judgement("missing", 100, None, 50),
        ),
    })
    assert rows[0].measured == 0


def test_svg_and_png_show_the_same_chart(hei):
    rows = (DomainProgress("抓项目促投资", 3, 0.423, 0.5), DomainProgress("推动绿色低碳发展", 0, None, None))
    chart = completion_chart(rows, font_file=hei)
    root = ET.fromstring(chart.svg)
    assert root.tag == f"{SVG}svg"
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for words in ("抓项目促投资", "推动绿色低碳发展", "42.3%", "50.0%", "无累计类指标", "平均完成率", "平均序时进度"):
        assert words in texts
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG"
    assert image.width / image.height == pytest.approx(root_ratio(root), rel=0.02)


def root_ratio(root) -> float:
    return float(root.get("width").removesuffix("pt")) / float(root.get("height").removesuffix("pt"))


def test_svg_fits_inside_html_and_names_no_face(hei):
    chart = completion_chart((DomainProgress("甲", 1, 0.5, 0.5),), font_file=hei)
    assert chart.svg.startswith("<svg")  # no XML declaration or doctype inside the HTML
    assert "font-family" not in chart.svg  # the renderer gives the root the Hei stack
    assert "<metadata" not in chart.svg


def test_the_same_data_gives_the_same_bytes(hei):
    rows = (DomainProgress("甲", 1, 0.5, 0.4),)
    first, second = completion_chart(rows, font_file=hei), completion_chart(rows, font_file=hei)
    assert first.svg == second.svg and first.png == second.png


def test_inline_svg_strips_the_prologue():
    document = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg><metadata>x</metadata><text style="font-size: 9px; font-family: \'A\'">t</text></svg>'
    assert inline_svg(document) == '<svg><text style="font-size: 9px;">t</text></svg>'


# A build that started the render server draws its chart in a child of it, so that
# matplotlib and numpy do not stay in the build's process; the picture is the same.
DRAWN_APART = """
import os, sys
os.environ["BULLETIN_CACHE_DIR"] = sys.argv[1]  # an empty memo: the chart is really drawn
from supervision_bulletin.charts import DomainProgress, completion_chart, draw_completion_chart, hei_font
from supervision_bulletin.render.workers import start_render_server
if __name__ == "__main__":
    assert start_render_server()
    rows = (DomainProgress("甲", 1, 0.5, 0.4),)
    chart = completion_chart(rows)
    print("matplotlib" in sys.modules)
    here = draw_completion_chart(rows, ("平均完成率", "平均序时进度", "无累计类指标"), 150.0, hei_font())
    print(here.svg == chart.svg and here.png == chart.png)
"""


def test_a_build_draws_its_chart_apart_and_the_same(hei, tmp_path):
    import subprocess
    import sys

    from supervision_bulletin.render.workers import worker_count

    if worker_count() < 2:
        pytest.skip("one core: no render server")
    script = tmp_path / "drawn_apart.py"
    script.write_text(DRAWN_APART, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "memo")], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert done.stdout.split() == ["False", "True"]
