"""A small campaign for a whole year whose results are worked out by hand.

Four units with indicators (and one without), twelve monthly reports. The
comments give each unit's status at every quarter end, so the expected
commendations, criticisms, points and ranking below follow from the rules of
supervision.md by hand, not from the code under test.

Rules: 超序时 ≥ benchmark × 1.10; 严重滞后 ≥ 10 points of the target behind;
year end: +1 per target beaten by ≥ 10 %, −1 per unmet target, ±0.5 per
commendation / criticism at the four bulletin cut-offs (Q1, the half-year
summary, Q3 and the year-end account, which is the fourth quarter's bulletin).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests import campaign_factory as cf

YEAR = 2024
CAMPAIGN = {
    "name": "2024年东湖区民生实事推进行动",
    "year": YEAR,
    "issuer": "东湖区人民政府督查室",
    "code": "东湖督",
    "recipients": "区直各部门，各街道办事处",
    "cc": ["区委办公室"],
    "report_due_day": 5,
}
UNITS = [
    ("甲局", "", "部门"),
    ("乙局", "", "部门"),
    ("丙街道", "", "街道"),
    ("丁局", "", "部门"),
    ("戊中心", "", "其他"),  # accountable for nothing: not judged, not ranked
]
TASKS = [
    ("T1", "办好民生实事", "推进民生项目建设。", "甲局", "乙局"),
    ("T2", "改善城市环境", "提升城市环境质量。", "丙街道", "丁局"),
]
INDICATORS = [
    ("I1", "T1", "新建养老床位", "张", 100, "≥", "累计", "甲局", None),
    ("I2", "T1", "改造老旧管网", "公里", 50, "≥", "累计", "乙局", None),
    ("I3", "T1", "平均办结时限", "天", 10, "≤", "水平", "甲局、乙局", None),
    ("I4", "T2", "背街小巷整治方案", None, None, None, "定性", "丙街道", None),
    ("I5", "T2", "新增绿地面积", "亩", 200, "≥", "累计", "丙街道", None),
    ("I6", "T2", "新建口袋公园", "个", 10, "≥", "累计", "丁局", None),
]
OWNER = {"I1": "甲局", "I2": "乙局", "I3": "甲局", "I4": "丙街道", "I5": "丙街道", "I6": "丁局"}

# Month → value. Benchmarks at quarter ends: I1 25/50/75/100, I2 12.5/25/37.5/50,
# I5 50/100/150/200, I6 2.5/5/7.5/10; I3 is a level (≤ 10, 超序时 only at ≤ 9).
VALUES = {
    # 甲局: Mar 超序时 (30 ≥ 27.5), Jun 超序时 (55), Sep 滞后 (70, 5 points), Dec 115 完成, beaten by 15 %.
    "I1": [10, 20, 30, 38, 45, 55, 60, 65, 70, 85, 100, 115],
    # 乙局: Mar 严重滞后 (7.5 of 50 behind = 15 %), Jun 滞后 (22, 6 %) right after 严重滞后,
    # Sep 达序时 (40), Dec 45: 严重滞后 (5 of 50 = 10 %) and unmet.
    "I2": [2, 3, 5, 10, 15, 22, 28, 34, 40, 42, 44, 45],
    # 甲局 and 乙局: 9.5 days all year: 达序时 (not ≤ 9), met, not beaten by 10 %.
    "I3": [9.5] * 12,
    # 丙街道: 推进中 (达序时) until November, 已完成 in December.
    "I4": ["推进中"] * 11 + ["已完成"],
    # 丙街道: exactly on the benchmark all year, 220 in December: beaten by 10 %.
    "I5": [200 * m / 12 for m in range(1, 12)] + [220],
    # 丁局: exactly on the benchmark, 11 in December: beaten by 10 %.
    "I6": [10 * m / 12 for m in range(1, 12)] + [11],
}
# Late reports (month → indicator): both keep 丙街道 and 丁局 from the Q4 commendation
# their completed indicators would otherwise earn.
LATE = {11: "I5", 10: "I6"}

# Worked out by hand from the comments above.
EXPECTED_RECORD = {
    3: (("甲局",), ("乙局",)),  # Q1: 甲 超序时; 乙 严重滞后
    6: (("甲局",), ("乙局",)),  # H1: 甲 超序时; 乙 滞后 right after Q1's 严重滞后
    9: ((), ()),  # Q3: 甲 滞后 once; 乙 达序时
    12: (("甲局",), ("乙局",)),  # Q4: 甲 完成; 乙 严重滞后; 丙 and 丁 reported late
}
EXPECTED_POINTS = {
    "甲局": 1 + 3 * 0.5,  # I1 beaten; I3 met (0); commended Mar, Jun, Dec
    "乙局": -1 - 3 * 0.5,  # I2 unmet; I3 met (0); criticised Mar, Jun, Dec
    "丙街道": 1.0,  # I5 beaten; I4 done (0)
    "丁局": 1.0,  # I6 beaten
}
# Departments and streets are ranked apart: 丙街道 leads its own group of one.
EXPECTED_RANKING = [("甲局", 1), ("丁局", 2), ("乙局", 3), ("丙街道", 1)]
EXPECTED_GROUPS = {"甲局": "部门", "丁局": "部门", "乙局": "部门", "丙街道": "街道"}


def submitted(month: int, indicator: str) -> dt.date:
    if LATE.get(month) == indicator:
        return cf.on_time(YEAR, month) + dt.timedelta(days=10)
    return cf.on_time(YEAR, month)


def write_hand_campaign(root: Path, months: range = range(1, 13), overrides: dict | None = None) -> Path:
    """``overrides``: {(indicator, month): value} replacing the figures above."""
    overrides = overrides or {}
    cf.write_campaign(root, **CAMPAIGN)
    cf.write_plan(root, units=UNITS, tasks=TASKS, indicators=INDICATORS)
    for month in months:
        rows = [
            (
                indicator,
                OWNER[indicator],
                overrides.get((indicator, month), values[month - 1]),
                f"{OWNER[indicator]}推进{indicator}工作。本月召开调度会。",
                "资金到位偏慢。" if indicator == "I2" else "",
                f"加快推进{indicator}。",
                submitted(month, indicator),
            )
            for indicator, values in VALUES.items()
        ]
        cf.write_report(root, f"{YEAR}-{month:02d}", rows)
    return root
