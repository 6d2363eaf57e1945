"""Collection forms: made by `bulletin forms`, filled as a unit would, read back as they are."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from supervision_bulletin.build import check
from supervision_bulletin.cli import main
from supervision_bulletin.forms import COLUMNS, FIRST_DATA_ROW, HEADER_ROW
from supervision_bulletin.intake import UNFILLED, USED
from tests import campaign_factory as cf


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def forms(tmp_path):
    """The factory campaign (June–September reported) and its October forms."""
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    result = run("forms", "2024-10", "--inputs", root, "--out", out)
    assert result.exit_code == 0, result.output
    return root, out / "forms" / "2024-10"


def rows_of(sheet):
    """Data rows as {header: value}."""
    header = [cell.value for cell in sheet[HEADER_ROW]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)]


def test_one_form_per_accountable_unit(forms):
    _, folder = forms
    assert sorted(p.name for p in folder.iterdir()) == sorted(["区行政审批局.xlsx", "区环保局.xlsx", "东关镇.xlsx", "区统计局.xlsx"])


def test_a_form_is_prefilled_with_the_units_indicators(forms):
    _, folder = forms
    sheet = load_workbook(folder / "区行政审批局.xlsx")["填报"]
    assert sheet["A1"].value == "2024年河东区营商环境提升行动10月进展情况填报表"
    assert "报送截止：2024年11月5日" in sheet["A2"].value
    assert "填表说明" in sheet["A3"].value
    rows = rows_of(sheet)
    assert [r["指标编号"] for r in rows] == ["A1-1", "A1-2"]
    first, second = rows
    assert (first["指标名称"], first["计量单位"], first["年度目标"]) == ("新增市场主体", "户", 1200)
    assert first["本月序时目标"] == 1000  # a third of the way from the Q3 checkpoint (900) to Q4 (1200)
    assert (first["上次报送值"], first["上次报送月份"]) == (1000, "9月")
    assert (second["比较"], second["本月序时目标"]) == ("≤", 2)
    assert all(r[h] is None for r in rows for h in ("完成值", "进展情况", "存在问题", "下步措施", "报送日期"))


def test_inputs_are_validated_and_the_prefilled_columns_locked(forms):
    _, folder = forms
    sheet = load_workbook(folder / "区统计局.xlsx")["填报"]
    assert sheet.protection.sheet
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    value_cell = f"K{FIRST_DATA_ROW}"
    assert validations[value_cell].type == "list" and "已完成,推进中,滞后" in validations[value_cell].formula1
    sheet = load_workbook(folder / "区行政审批局.xlsx")["填报"]
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    number = validations[value_cell]
    assert (number.type, number.operator, number.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert number.showInputMessage and "累计数" in number.prompt and "户" in number.prompt
    assert any(dv.type == "date" for dv in validations.values())
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(FIRST_DATA_ROW, index)
        assert cell.protection.locked == column.prefilled, column.header
    assert sheet.cell(FIRST_DATA_ROW, 1).number_format == "@"  # an id stays text


def fill(path, values, submitted=dt.datetime(2024, 11, 4)):
    """Type into the form as a unit does: only the yellow cells."""
    workbook = load_workbook(path)
    sheet = workbook["填报"]
    header = {cell.value: cell.column for cell in sheet[HEADER_ROW]}
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        indicator = sheet.cell(row, header["指标编号"]).value
        if indicator not in values:
            continue
        sheet.cell(row, header["完成值"], values[indicator])
        sheet.cell(row, header["进展情况"], f"{indicator}本月按计划推进。")
        sheet.cell(row, header["报送日期"], submitted)
    workbook.save(path)


def test_a_filled_form_dropped_back_in_builds(forms, tmp_path):
    root, folder = forms
    fill(folder / "区行政审批局.xlsx", {"A1-1": 1100, "A1-2": "1.5"})
    fill(folder / "区环保局.xlsx", {"A2-1": 103, "A2-2": "86%"})
    fill(folder / "区统计局.xlsx", {"B1-1": "已完成"})
    fill(folder / "东关镇.xlsx", {})  # A2-2 is the bureau's figure already: left empty
    returned = root / "reports" / "2024-10"
    folder.rename(returned)
    inputs = check(root)
    october = {r.indicator_id: r for r in inputs.reports if r.month == 10}
    assert {k: r.value if r.status_word is None else r.status_word for k, r in october.items()} == {
        "A1-1": 1100, "A1-2": 1.5, "A2-1": 103, "A2-2": 86, "B1-1": "已完成",
    }
    assert october["A1-1"].submitted == dt.date(2024, 11, 4)
    assert october["A1-1"].progress == "A1-1本月按计划推进。"
    rows = [r for r in inputs.ledger.rows if r.month == "2024-10"]
    assert [r.outcome for r in rows].count(USED) == 5 and [r.outcome for r in rows].count(UNFILLED) == 1
    assert all(f.header_row == HEADER_ROW for f in inputs.ledger.files if f.month == "2024-10")
    assert inputs.ledger.reconciles()
    out = tmp_path / "built"
    result = run("build", "2024-10", "--inputs", root, "--out", out, "--draft")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "2024-10-征求意见稿" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["intake"]["unfilled"] == 1 and manifest["intake"]["reconciled"]


def test_a_form_left_half_filled_names_the_row(forms):
    root, folder = forms
    workbook = load_workbook(folder / "区行政审批局.xlsx")
    sheet = workbook["填报"]
    sheet[f"L{FIRST_DATA_ROW}"] = "已完成登记，数据待统计"  # progress, but no value
    workbook.save(folder / "区行政审批局.xlsx")
    folder.rename(root / "reports" / "2024-10")
    result = run("check", "--inputs", root)
    assert result.exit_code == 1
    assert f"reports/2024-10/区行政审批局.xlsx，工作表“填报”，第{FIRST_DATA_ROW}行，K列“完成值”" in result.output


def test_forms_refuse_a_month_outside_the_campaign(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    assert run("forms", "2024-13", "--inputs", root, "--out", out).exit_code == 2
    result = run("forms", "2023-10", "--inputs", root, "--out", out)
    assert result.exit_code == 1 and "活动年度 2024" in result.output
    assert not out.exists() or not any((out / "forms").iterdir())


def test_forms_take_a_due_date(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    assert run("forms", "2024-10", "--inputs", root, "--out", out, "--due", "2024-11-08").exit_code == 0
    sheet = load_workbook(out / "forms" / "2024-10" / "区统计局.xlsx")["填报"]
    assert "报送截止：2024年11月8日" in sheet["A2"].value


def test_a_form_of_another_month_is_refused_with_both_months(forms):
    root, folder = forms
    fill(folder / "区统计局.xlsx", {"B1-1": "已完成"})
    wrong = root / "reports" / "2024-11"
    wrong.mkdir(parents=True)
    (folder / "区统计局.xlsx").rename(wrong / "区统计局.xlsx")
    result = run("check", "--inputs", root)
    assert result.exit_code == 1
    assert "这是2024年10月的填报表，却作为2024年11月的月报放置" in result.output
    assert "reports/2024-11/区统计局.xlsx" in result.output
