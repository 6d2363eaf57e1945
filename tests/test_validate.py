"""Bad input: every problem names file, sheet, row and column; the build writes nothing."""

import datetime as dt

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from supervision_bulletin.build import check
from supervision_bulletin.cli import main
from supervision_bulletin.problems import InputError
from tests import campaign_factory as cf


def problems_of(root):
    with pytest.raises(InputError) as caught:
        check(root)
    return [str(problem) for problem in caught.value.problems]


def with_indicator(**changes):
    columns = cf.INDICATOR_HEADER
    rows = [list(row) for row in cf.INDICATORS]
    for column, value in changes.items():
        rows[1][columns.index(column)] = value
    return [tuple(row) for row in rows]


def test_the_factory_campaign_is_clean(tmp_path):
    inputs = check(cf.make_campaign(tmp_path / "inputs"))
    assert len(inputs.plan.indicators) == 5
    assert inputs.months_with_data == (6, 7, 8, 9)


def report(root, cells, submitted=dt.date(2024, 10, 3)):
    """September's report with one row: (id, unit, value)."""
    return cf.write_report(root, "2024-09", [(*cells, "", "", "", submitted)])


def workbook_file(path, sheets):
    """A workbook with the given sheets, each a list of rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def hidden_report_sheet(root):
    path = report(root, ("A1-1", "区行政审批局", 1000))
    workbook = load_workbook(path)
    workbook.create_sheet("封面")
    workbook["填报"].sheet_state = "hidden"
    workbook.save(path)


# Each case: how to break a clean campaign, and the words the message must hold.
BAD_INPUTS = {
    "target not a number": (
        lambda root: cf.write_plan(root, indicators=with_indicator(目标值="两天")),
        ["plan.xlsx", "工作表“指标”", "第3行", "E列“目标值”", "“两天”不是数字"],
    ),
    "unknown accountable unit, with a suggestion": (
        lambda root: cf.write_plan(root, indicators=with_indicator(责任单位="区行政审批")),
        ["工作表“指标”", "第3行", "“责任单位”", "“区行政审批”不在工作表“单位”中", "区行政审批局"],
    ),
    "indicator names a task that does not exist": (
        lambda root: cf.write_plan(root, indicators=with_indicator(任务编号="Z9")),
        ["第3行", "“任务编号”", "Z9"],
    ),
    "unknown comparison": (
        lambda root: cf.write_plan(root, indicators=with_indicator(比较="约等于")),
        ["第3行", "F列“比较”", "约等于"],
    ),
    "bad quarterly checkpoints": (
        lambda root: cf.write_plan(root, indicators=with_indicator(类型="累计", 季度目标="1;2;3")),
        ["第3行", "“季度目标”", "4 个"],
    ),
    "duplicate indicator id": (
        lambda root: cf.write_plan(root, indicators=cf.INDICATORS + [cf.INDICATORS[0]]),
        ["第7行", "“A1-1”重复", "第2行"],
    ),
    "missing required column in a plan sheet": (
        lambda root: cf.write_plan(
            root, tasks=[row[:3] + row[4:] for row in cf.TASKS], task_header=cf.TASK_HEADER[:3] + cf.TASK_HEADER[4:]
        ),
        ["工作表“任务”", "缺少列：牵头单位"],
    ),
    "report value not a number": (
        lambda root: cf.write_report(root, "2024-09", [cf.report_row("A1-1", "区行政审批局", "约一千", dt.date(2024, 10, 3))]),
        ["reports/2024-09.xlsx", "工作表“填报”", "第2行", "C列“完成值”", "“约一千”不是数字"],
    ),
    "report for an unknown indicator": (
        lambda root: cf.write_report(root, "2024-09", [cf.report_row("A1-9", "区行政审批局", 1, dt.date(2024, 10, 3))]),
        ["reports/2024-09.xlsx", "第2行", "A列“指标编号”", "“A1-9”在任务方案中不存在"],
    ),
    "report by a unit not accountable": (
        lambda root: cf.write_report(root, "2024-09", [cf.report_row("A1-1", "区统计局", 1, dt.date(2024, 10, 3))]),
        ["第2行", "B列“填报单位”", "不是指标 A1-1", "区行政审批局"],
    ),
    "qualitative value outside its words": (
        lambda root: cf.write_report(root, "2024-09", [cf.report_row("B1-1", "区统计局", "差不多", dt.date(2024, 10, 3))]),
        ["第2行", "“完成值”", "已完成、推进中、滞后"],
    ),
    "one unit, two different values on the same day": (
        lambda root: cf.write_report(
            root,
            "2024-09",
            [
                cf.report_row("A1-1", "区行政审批局", 1000, dt.date(2024, 10, 3)),
                cf.report_row("A1-1", "审批局", 1100, dt.date(2024, 10, 3)),
            ],
        ),
        ["第3行", "两个不同的完成值", "第2行", "报送日期相同", "较晚的报送日期"],
    ),
    "two units, two different values for a shared indicator": (
        lambda root: cf.write_report(
            root,
            "2024-09",
            [
                cf.report_row("A2-2", "区环保局", 85, dt.date(2024, 10, 3)),
                cf.report_row("A2-2", "东关镇", 80, dt.date(2024, 10, 4)),
            ],
        ),
        ["第3行", "两个不同的完成值", "东关镇在本行报“80”", "区环保局在", "第2行", "只保留正确的一行"],
    ),
    "date that is not a date": (
        lambda root: cf.write_report(root, "2024-09", [cf.report_row("A1-1", "区行政审批局", 5, "十月初")]),
        ["第2行", "G列“报送日期”", "不是有效日期"],
    ),
    "report month outside the campaign year": (
        lambda root: cf.write_report(root, "2023-12", [cf.report_row("A1-1", "区行政审批局", 5, dt.date(2024, 1, 3))]),
        ["reports/2023-12.xlsx", "2023", "2024"],
    ),
    "a file that is not a workbook": (
        lambda root: (root / "reports" / "2024-10.xlsx").write_text("这不是表格", encoding="utf-8"),
        ["reports/2024-10.xlsx", "无法作为 Excel 工作簿打开"],
    ),
    "report by a unit that does not exist, with a suggestion": (
        lambda root: report(root, ("A1-1", "区审批局", 1000)),
        ["reports/2024-09.xlsx", "第2行", "B列“填报单位”", "“区审批局”不在工作表“单位”中", "区行政审批局"],
    ),
    "a percentage for an indicator counted in 户": (
        lambda root: report(root, ("A1-1", "区行政审批局", "85%")),
        ["第2行", "C列“完成值”", "“85%”是百分数", "计量单位是“户”"],
    ),
    "a percentage typed as a fraction": (
        lambda root: report(root, ("A2-2", "区环保局", 0.85)),
        ["第2行", "C列“完成值”", "像是写成小数的百分比", "请填 85", "“0.85%”"],
    ),
    "a formula saved without its result": (
        lambda root: report(root, ("A1-1", "区行政审批局", "=900+100")),
        ["第2行", "C列“完成值”", "是公式“=900+100”", "没有它的计算结果"],
    ),
    "a unit of measure that is not the indicator's": (
        lambda root: report(root, ("A1-1", "区行政审批局", "1000家")),
        ["第2行", "C列“完成值”", "计量单位“家”与本指标的“户”不符"],
    ),
    "a thousands separator in the wrong place": (
        lambda root: report(root, ("A1-1", "区行政审批局", "1,00")),
        ["第2行", "C列“完成值”", "“1,00”不是数字"],
    ),
    "a negative value": (
        lambda root: report(root, ("A2-1", "区环保局", -5)),
        ["第2行", "C列“完成值”", "不能为负数"],
    ),
    "a row with progress written but no value": (
        lambda root: cf.write_report(root, "2024-09", [("A1-1", "区行政审批局", None, "已完成登记", "", "", dt.date(2024, 10, 3))]),
        ["第2行", "C列“完成值”", "为必填项"],
    ),
    "a date that does not exist": (
        lambda root: report(root, ("A1-1", "区行政审批局", 1000), submitted="2024年9月31日"),
        ["第2行", "G列“报送日期”", "“2024年9月31日”不是有效日期"],
    ),
    "a submission date before the month reported": (
        lambda root: report(root, ("A1-1", "区行政审批局", 1000), submitted=dt.date(2023, 10, 3)),
        ["第2行", "G列“报送日期”", "早于所报的2024年9月"],
    ),
    "an indicator id Excel turned into a date that matches nothing": (
        lambda root: report(root, (dt.datetime(2024, 3, 7), "区行政审批局", 1000)),
        ["第2行", "A列“指标编号”", "被 Excel 识别成了日期", "文本"],
    ),
    "the report sheet is hidden": (
        hidden_report_sheet,
        ["reports/2024-09.xlsx", "工作表“填报”被隐藏", "取消隐藏"],
    ),
    "a workbook with neither sheet 填报 nor a report table": (
        lambda root: workbook_file(root / "reports" / "2024-09.xlsx", {"Sheet1": [["说明"]], "Sheet2": [["备注"]]}),
        ["reports/2024-09.xlsx", "缺少工作表“填报”", "Sheet1"],
    ),
    "two columns with the same header": (
        lambda root: workbook_file(
            root / "reports" / "2024-09.xlsx",
            {"填报": [[*cf.REPORT_HEADER, "完成值"], ["A1-1", "区行政审批局", 1000, "", "", "", dt.date(2024, 10, 3), 900]]},
        ),
        ["reports/2024-09.xlsx", "第1行", "表头“完成值”出现了两次", "C列和H列"],
    ),
    "a report without the 完成值 column": (
        lambda root: workbook_file(root / "reports" / "2024-09.xlsx", {"填报": [["指标编号", "填报单位"], ["A1-1", "区行政审批局"]]}),
        ["reports/2024-09.xlsx", "工作表“填报”", "缺少列：完成值"],
    ),
    "a web page saved with an .xls name": (
        lambda root: (root / "reports" / "2024-10.xls").write_text("<html><table><tr><td>1</td></tr></table></html>"),
        ["reports/2024-10.xls", "网页（HTML）", "另存为"],
    ),
    "a Word document among the reports": (
        lambda root: (root / "reports" / "2024-10.docx").write_bytes(b"PK\x03\x04"),
        ["reports/2024-10.docx", "不支持的文件类型", ".xlsx"],
    ),
    "a password-protected workbook": (
        lambda root: (root / "reports" / "2024-10.xlsx").write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
        ),
        ["reports/2024-10.xlsx", "设有打开密码", "取消密码"],
    ),
    "a report folder not named by its month": (
        lambda root: cf.write_report(root, "九月", [cf.report_row("A1-1", "区行政审批局", 1000, dt.date(2024, 10, 3))], name="区行政审批局"),
        ["reports/九月", "无法从名称判断月份", "2023-09"],
    ),
    "campaign.yaml without its issuer": (
        lambda root: cf.write_campaign(root, issuer=""),
        ["campaign.yaml", "issuer"],
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_named_and_nothing_is_written(tmp_path, case):
    root = cf.make_campaign(tmp_path / "inputs")
    breaking, expected = BAD_INPUTS[case]
    breaking(root)
    out = tmp_path / "outputs"
    result = CliRunner().invoke(main, ["build", "2024-Q3", "--inputs", str(root), "--out", str(out)])
    assert result.exit_code == 1, result.output
    message = result.output
    for words in expected:
        assert words in message
    assert "Traceback" not in message
    assert not out.exists()
    assert not (root / "registry.sqlite").exists()


def test_every_problem_is_listed_at_once(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    cf.write_plan(root, indicators=with_indicator(目标值="两天", 比较="约等于"))
    cf.write_report(root, "2024-09", [cf.report_row("A1-1", "区行政审批局", "约一千", None)])
    problems = problems_of(root)
    assert len(problems) == 3


def test_check_command_exit_codes(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    runner = CliRunner()
    clean = runner.invoke(main, ["check", "--inputs", str(root)])
    assert clean.exit_code == 0 and "校验通过" in clean.output
    cf.write_plan(root, indicators=with_indicator(目标值="两天"))
    broken = runner.invoke(main, ["check", "--inputs", str(root)])
    assert broken.exit_code == 1 and "第3行" in broken.output


def test_usage_errors_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["build", "2023-Q5"])
    assert result.exit_code == 2
    assert "2023-Q3" in result.output


def test_aliases_resolve_to_canonical_names(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    cf.write_report(root, "2024-09", [cf.report_row("A2-1", "环保局", 95, dt.date(2024, 10, 3))])
    inputs = check(root)
    assert {r.unit for r in inputs.reports if r.month == 9} == {"区环保局"}


def test_per_unit_report_folder_and_csv_in_gbk(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs", monthly_values={6: {"A1-1": 520}})
    cf.write_report(root, "2024-07", [cf.report_row("A1-1", "区行政审批局", 650, dt.date(2024, 8, 2))], name="区行政审批局")
    csv = "指标编号,填报单位,完成值,报送日期\nA2-1,区环保局,40,2024年9月3日\n"
    (root / "reports" / "2024-08.csv").write_bytes(csv.encode("gbk"))
    inputs = check(root)
    assert [(r.indicator_id, r.month, r.value) for r in inputs.reports] == [
        ("A1-1", 6, 520.0), ("A1-1", 7, 650.0), ("A2-1", 8, 40.0),
    ]
    assert inputs.reports[-1].submitted == dt.date(2024, 9, 3)


def test_a_small_percentage_written_with_its_sign_is_believed(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    report(root, ("A2-2", "区环保局", "0.85%"))
    assert next(r for r in check(root).reports if r.month == 9 and r.indicator_id == "A2-2").value == 0.85


def test_an_id_excel_turned_into_a_date_is_read_back(tmp_path):
    """Typing 3-7 into a General cell gives 3月7日; the plan says which id was meant."""
    root = tmp_path / "inputs"
    cf.write_campaign(root)
    cf.write_plan(root, indicators=[("3-7", *cf.INDICATORS[0][1:])])
    cf.write_report(root, "2024-09", [cf.report_row(dt.datetime(2024, 3, 7), "区行政审批局", 1000, dt.date(2024, 10, 3))])
    inputs = check(root)
    assert [r.indicator_id for r in inputs.reports] == ["3-7"]
    assert "指标编号被 Excel 识别为日期（3月7日），按“3-7”读取" in inputs.ledger.rows[0].notes


def test_a_misspelt_plan_sheet_is_reported_once_without_its_echoes(tmp_path):
    from openpyxl import load_workbook

    from supervision_bulletin.build import check
    from supervision_bulletin.problems import InputError

    root = cf.make_campaign(tmp_path / "inputs")
    workbook = load_workbook(root / "plan.xlsx")
    workbook["单位"].title = "单位表"
    workbook.save(root / "plan.xlsx")
    with pytest.raises(InputError) as error:
        check(root)
    (problem,) = error.value.problems
    assert "缺少工作表“单位”" in problem.message and "单位表" in problem.message
