"""Targets broken down to towns (plan sheet 分解): each town judged on its own share,
ranked, praised and criticised apart from the departments."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from supervision_bulletin.build import build, check
from supervision_bulletin.cli import main
from supervision_bulletin.compose import Issue
from supervision_bulletin.periods import parse_period
from supervision_bulletin.problems import InputError
from tests import campaign_factory as cf
from tests.compose.test_year_end import account as year_end_account
from tests.render.test_cross_format import html_text

UNITS = [
    ("区人社局", "", "部门"),
    ("区住建局", "", "部门"),
    ("东镇", "", "乡镇"),
    ("西镇", "", "乡镇"),
    ("南镇", "", "乡镇"),
]
TASKS = [("T1", "稳就业", "新增城镇就业。", "区人社局", "东镇、西镇、南镇"),
         ("T2", "改善居住", "改造老旧小区。", "区住建局", "")]
INDICATORS = [
    ("J1", "T1", "新增城镇就业", "人", 1200, "≥", "累计", "区人社局", None),
    ("H1", "T2", "改造老旧小区", "户", 400, "≥", "累计", "区住建局", None),
    ("Q1", "T1", "就业服务站建设", None, None, None, "定性", "区人社局", None),
]
# 1200 jobs split over the towns: 400 each. At the end of June the benchmark is 200.
SHARES = [("J1", "东镇", 400, None), ("J1", "西镇", 400, None), ("J1", "南镇", 400, None),
          ("Q1", "东镇", None, None)]
SHARE_HEADER = ("指标编号", "单位", "目标值", "季度目标")


def write_plan(root, shares=SHARES):
    workbook = Workbook()
    for name, header, rows in (("单位", cf.UNIT_HEADER, UNITS), ("任务", cf.TASK_HEADER, TASKS),
                               ("指标", cf.INDICATOR_HEADER, INDICATORS), ("分解", SHARE_HEADER, shares)):
        sheet = workbook.create_sheet(name)
        cf.write_rows(sheet, header, rows)
    workbook.remove(workbook["Sheet"])
    workbook.save(root / "plan.xlsx")


def on_time(month):
    return cf.on_time(2024, month)


def rows(month, jobs_total, towns, housing, q1="推进中", extra=()):
    out = [
        cf.report_row("J1", "区人社局", jobs_total, on_time(month), "组织专场招聘会。"),
        cf.report_row("H1", "区住建局", housing, on_time(month), "推进小区改造。"),
        cf.report_row("Q1", "区人社局", q1, on_time(month), "建设就业服务站。"),
        cf.report_row("Q1", "东镇", "已完成", on_time(month), "东镇就业服务站已投用。"),
    ]
    for town, value in towns.items():
        out.append(cf.report_row("J1", town, value, on_time(month), f"{town}开展就业帮扶。"))
    return out + list(extra)


@pytest.fixture
def towns(tmp_path):
    root = tmp_path / "inputs"
    cf.write_campaign(root)
    write_plan(root)
    for month in (4, 5):
        cf.write_report(root, f"2024-{month:02d}", rows(month, 100 * month, {"东镇": 35 * month, "西镇": 33 * month,
                                                                          "南镇": 32 * month}, 33 * month))
    # June: 东镇 260 (超序时: ≥ 200 × 1.1), 西镇 205 (达序时), 南镇 120 (严重滞后: 80 behind = 20 % of 400).
    # 区住建局: 230 of 400 against 200 due (超序时).
    cf.write_report(root, "2024-06", rows(6, 585, {"东镇": 260, "西镇": 205, "南镇": 120}, 230))
    return root


def test_each_town_is_judged_on_its_share_and_ranked_apart(towns, tmp_path, renderers):
    built = build(towns, tmp_path / "out", parse_period("2024-H1"), renderers=renderers)
    result = built.result
    status = {j.indicator.share_unit: j.status for j in result.share_judgements if j.indicator.id == "J1"}
    assert status == {"东镇": "超序时", "西镇": "达序时", "南镇": "严重滞后"}
    assert [u.unit for u in result.commended] == ["区住建局", "东镇"]  # 东镇: 超序时 and Q1 done with evidence
    assert [u.unit for u in result.criticised] == ["南镇"]
    # The departments as before: 区人社局 585 of 600 due, 滞后 once (neither); 区住建局 超序时 (praised).
    assert "区人社局" not in {u.unit for u in result.commended + result.criticised}
    manifest = json.loads((built.folder / "manifest.json").read_text(encoding="utf-8"))
    kinds = [(d["kind"], d["unit"]) for d in manifest["documents"]]
    assert kinds == [("half_year_summary", None), ("notice", "南镇")]
    text = html_text(built.folder / manifest["documents"][0]["files"]["html"])
    assert "部门中，区住建局" in text and "乡镇中，东镇" in text
    assert "“新增城镇就业”分解任务完成120人，为分解目标的30.0%" in text
    # The towns' own ranking table: 东镇 green, 西镇 green, 南镇 red, after the departments' table.
    units_table = text[text.rindex("各单位推进情况表"):]
    assert units_table.index("（一）部门") < units_table.index("（二）乡镇") < units_table.index("3南镇1001000红")


def test_a_town_gets_its_share_on_its_collection_form(towns, tmp_path):
    result = CliRunner().invoke(main, ["forms", "2024-07", "--inputs", str(towns), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "forms" / "2024-07" / "南镇.xlsx")["填报"]
    values = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert values[0][0] == "J1" and "分解任务" in values[0][1] and 400 in values[0]


def test_shares_that_do_not_add_up_are_noted_not_refused(towns):
    inputs = check(towns)
    notes = [note for row in inputs.ledger.rows if row.month == "2024-06" and row.indicator_id == "J1"
             and row.unit == "区人社局" for note in row.notes]
    # 260 + 205 + 120 = 585: they add up in June …
    assert not notes
    cf.write_report(towns, "2024-06", rows(6, 600, {"东镇": 260, "西镇": 205, "南镇": 120}, 230))
    inputs = check(towns)
    (row,) = [row for row in inputs.ledger.rows if row.month == "2024-06" and row.indicator_id == "J1"
              and row.unit == "区人社局"]
    # … but not against a total of 600: noted on the total's row, and the build goes on.
    assert any("合计 585" in note and "600" in note for note in row.notes)


def test_a_share_for_a_unit_not_on_the_units_sheet_is_refused(tmp_path):
    root = tmp_path / "inputs"
    cf.write_campaign(root)
    write_plan(root, SHARES + [("J1", "北镇", 100, None)])
    with pytest.raises(InputError) as error:
        check(root)
    (problem,) = error.value.problems
    assert problem.location.sheet == "分解" and problem.location.row == 6 and "北镇" in problem.message


def test_a_share_of_a_qualitative_indicator_takes_no_target(tmp_path):
    root = tmp_path / "inputs"
    cf.write_campaign(root)
    write_plan(root, [("Q1", "东镇", 5, None)])
    with pytest.raises(InputError) as error:
        check(root)
    assert "定性指标，分解时不填目标值" in str(error.value)
    write_plan(root, [("Q1", "东镇", None, None)])
    assert check(root).plan.share_indicators[0].type == "定性"


def test_a_town_reporting_an_indicator_it_has_no_share_of_is_refused(towns):
    cf.write_report(towns, "2024-06", rows(6, 585, {"东镇": 260, "西镇": 205, "南镇": 120}, 230,
                                            extra=[cf.report_row("H1", "西镇", 30, dt.date(2024, 7, 3))]))
    with pytest.raises(InputError) as error:
        check(towns)
    (problem,) = error.value.problems
    assert problem.location.column == "填报单位" and "也没有该指标的分解任务" in problem.message


def test_the_year_end_account_lists_each_share_and_cites_its_attachments_by_their_labels(towns):
    # December: 东镇 and 西镇 beat their 400, 南镇 does not.
    cf.write_report(towns, "2024-12", rows(12, 1200, {"东镇": 450, "西镇": 410, "南镇": 300}, 420))
    _, assessment, document = year_end_account(check(towns), Issue("东湖督〔2024〕30号", dt.date(2025, 1, 6)))
    titles = [(a.label, a.title) for a in document.attachments]
    assert titles[:3] == [("附件1", "2024年重点指标完成情况表"), ("附件2", "2024年分解任务完成情况表"),
                          ("附件3", "2024年各单位考核加减分及排名表")]
    (table,) = document.attachments[1].blocks
    assert [(row[7], row[5]) for row in table.rows] == [
        (a.indicator.units[0], a.verdict) for a in assessment.share_accounts
    ]
    assert ("南镇", "未完成") in [(row[7], row[5]) for row in table.rows]
    body = "".join(getattr(b, "text", "") for b in document.body)
    assert "详见附件2《2024年分解任务完成情况表》" in body and "各单位得分及名次详见附件3《2024年各单位考核加减分及排名表》" in body
