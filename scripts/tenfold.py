"""A campaign ten times the sample's size, for the benchmark: 300 units, 440 indicators,
a year of monthly reports (5,280 rows), written through the same workbook helpers
the tests use, so it is loaded exactly as a user's files are.

    .venv/bin/python scripts/tenfold.py OUT_FOLDER
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import campaign_factory as cf  # noqa: E402

DOMAINS = ("抓项目促投资", "强化科技创新", "优化营商环境", "保障改善民生", "推进城市更新", "加强生态保护")
UNITS, DEPARTMENTS = 300, 240  # the rest are streets
INDICATORS = 440
YEAR = 2024


def unit_names() -> list[tuple[str, str, str]]:
    departments = [(f"区第{index + 1}局", "", "部门") for index in range(DEPARTMENTS)]
    streets = [(f"第{index + 1}街道", "", "街道") for index in range(UNITS - DEPARTMENTS)]
    return departments + streets


def write_tenfold_campaign(root: Path, seed: int = 2024) -> Path:
    """The campaign in ``root`` (its campaign.yaml, plan.xlsx and reports/); returns ``root``."""
    rng = random.Random(seed)
    units = unit_names()
    tasks, indicators, pace = [], [], {}
    for index in range(INDICATORS):
        task = f"T{index // 4 + 1}"
        unit = units[index % UNITS][0]
        if index % 4 == 0:
            tasks.append((task, DOMAINS[(index // 4) % len(DOMAINS)], f"推进第{index // 4 + 1}项重点任务。", unit, ""))
        target = rng.choice((12, 24, 50, 100, 120, 365))
        indicators.append((f"I{index + 1}", task, f"完成第{index + 1}项工作量", "个", target, "≥", "累计", unit, None))
        # Most on pace, some ahead, a few behind or far behind: every verdict has someone.
        pace[f"I{index + 1}"] = rng.choices((1.0, 1.15, 0.85, 0.5), weights=(70, 15, 10, 5))[0]
    cf.write_campaign(root, year=YEAR, name=f"{YEAR}年河东区十倍规模测试活动")
    cf.write_plan(root, units=units, tasks=tasks, indicators=indicators)
    for month in range(1, 13):
        rows = []
        for code, _task, _name, _measure, target, _cmp, _kind, unit, _quarters in indicators:
            value = round(min(target * 1.3, target * month / 12 * pace[code]), 1)
            rows.append(cf.report_row(code, unit, value, cf.on_time(YEAR, month), "按计划推进。"))
        cf.write_report(root, f"{YEAR}-{month:02d}", rows)
    return root


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tenfold/inputs")
    write_tenfold_campaign(out)
    print(f"已写出十倍规模的测试活动：{out}")
