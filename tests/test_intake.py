"""Every row accounted for: the intake ledger on messy files and on the sample campaign."""

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from supervision_bulletin.build import check
from supervision_bulletin.cli import main
from supervision_bulletin.intake import (
    REJECTED,
    SUPERSEDED,
    UNFILLED,
    USED,
    IntakeFile,
    IntakeRow,
    Ledger,
    late_and_missing,
    write_ledger,
)
from supervision_bulletin.load import load_inputs
from supervision_bulletin.model import Location
from supervision_bulletin.problems import InputError, ProblemLog
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from supervision_bulletin.validate import declared_indicator_ids, validate_campaign, validate_plan, validate_reports
from supervision_bulletin.values import printable
from tests import campaign_factory as cf
from tests.intake_fixtures import make_messy_campaign

SAMPLE = SAMPLE_CAMPAIGN


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy") / "inputs"
    return root, make_messy_campaign(root)


def ledger_of(root):
    """The ledger even when rows are rejected (check would raise before returning it)."""
    log = ProblemLog()
    raw = load_inputs(root, log)
    campaign = validate_campaign(raw.campaign, log)
    plan = validate_plan(raw.plan, log)
    reports, ledger = validate_reports(raw.reports, plan, campaign, declared_indicator_ids(raw.plan.get("指标")), log)
    return reports, ledger, log


# the messy folder ------------------------------------------------------------------


def test_messy_files_reconcile_row_for_row(messy):
    root, expected = messy
    inputs = check(root)
    ledger = inputs.ledger
    assert {f.file: f.rows for f in ledger.files} == expected.rows  # counted where they were written
    assert ledger.counts() == {USED: expected.used, SUPERSEDED: expected.superseded, UNFILLED: expected.unfilled, REJECTED: 0}
    assert ledger.rows_in == len(ledger.rows) == sum(expected.rows.values())
    assert ledger.reconciles()
    assert len(inputs.reports) == expected.used


def test_messy_values_are_read_as_the_units_meant_them(messy):
    root, _ = messy
    reports = {(r.indicator_id, r.month): r for r in check(root).reports}
    assert reports["A1-1", 6].value == 520  # full-width digits
    assert reports["A1-2", 6].unit == "区行政审批局"  # from the merged unit cell
    assert reports["A1-2", 6].submitted == dt.date(2024, 7, 3)  # an Excel serial
    assert reports["A2-1", 6].value == 50 and reports["A2-1", 6].unit == "区环保局"  # "50件", " 环保局 "
    assert reports["A2-2", 6].value == 78  # a cell formatted as 78%
    assert reports["B1-1", 6].status_word == "推进中" and reports["B1-1", 6].submitted == dt.date(2024, 7, 4)
    assert reports["A1-1", 7].value == 650 and reports["A1-1", 7].submitted == dt.date(2024, 8, 2)  # .xls date cell
    assert reports["A2-2", 7].unit == "区环保局"  # the first of two identical figures
    assert reports["A1-1", 8].value == 790  # the later correction
    assert reports["A2-2", 8].value == 81
    assert reports["A1-1", 9].value == 1000  # "1,000户"
    assert reports["B1-1", 9].submitted == dt.date(2024, 10, 3)  # "10月3日"


def test_the_normalisations_are_recorded(messy):
    root, _ = messy
    ledger = check(root).ledger
    notes = {(Path(r.location.file).name, r.location.row): " ".join(r.notes) for r in ledger.rows}
    assert "全角字符“５２０”按“520”读取" in notes["2024-06.xlsx", 6]
    assert "合并单元格 C6:C7" in notes["2024-06.xlsx", 7] and "Excel 日期序号 45476" in notes["2024-06.xlsx", 7]
    assert "填报单位“环保局”按“区环保局”读取" in notes["2024-06.xlsx", 9]
    assert "百分比格式" in notes["2024-06.xlsx", 10]
    assert "编号“Ｂ１－１”按“B1-1”读取" in notes["2024-06.xlsx", 11]
    assert "去掉千位分隔符" in notes["2024-09.xlsx", 2] and "去掉计量单位" in notes["2024-09.xlsx", 2]
    file_notes = {Path(f.file).name + str(Path(f.file).parent.name): " ".join(f.notes) for f in ledger.files}
    june = file_notes["2024-06.xlsxreports"]
    assert "表头在第5行" in june and "跳过空行：第8行" in june and "第13行为签注" in june
    assert "隐藏的工作表“填报（旧）”未读取" in june
    assert "GB18030" in file_notes["区环保局.csv2024-07"] and "UTF-16" in file_notes["区统计局.csv2024-08"]
    assert "实际为 xlsx 格式" in file_notes["区行政审批局.xls2024-08"]
    assert "J列没有表头" in file_notes["2024-09.xlsxreports"]


def test_the_messy_folder_builds_with_its_ledger(messy, tmp_path):
    root, expected = messy
    out = tmp_path / "outputs"
    result = CliRunner().invoke(main, ["build", "2024-Q3", "--inputs", str(root), "--out", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "2024-Q3-征求意见稿" / "manifest.json").read_text(encoding="utf-8"))
    intake = manifest["intake"]
    assert (intake["rows"], intake["used"], intake["superseded"], intake["unfilled"], intake["rejected"]) == (
        sum(expected.rows.values()), expected.used, expected.superseded, expected.unfilled, 0,
    )
    assert intake["reconciled"] is True
    workbook = load_workbook(out / "2024-Q3-征求意见稿" / "intake.xlsx")
    assert workbook.sheetnames == ["汇总", "逐行明细", "文件", "逾期与未报送"]
    assert workbook["逐行明细"].max_row - 1 == intake["rows"]
    assert workbook["文件"].max_row - 1 == len(expected.rows)
    outcomes = [row[9] for row in workbook["逐行明细"].iter_rows(min_row=2, values_only=True)]
    assert outcomes.count(SUPERSEDED) == expected.superseded


# the sample campaign -----------------------------------------------------------------


def data_rows_counted_independently(root: Path) -> int:
    """Non-blank rows under the header of every sample report and answer, read with openpyxl alone."""
    total = 0
    for folder, sheet_name in (("reports", "填报"), ("answers", "反馈")):
        for path in sorted((root / folder).rglob("*.xlsx")):
            sheet = load_workbook(path, read_only=True)[sheet_name]
            rows = list(sheet.iter_rows(values_only=True))
            total += sum(1 for row in rows[1:] if any(value not in (None, "") for value in row))
    return total


def test_the_sample_campaign_reconciles():
    inputs = check(SAMPLE)
    ledger = inputs.ledger
    assert ledger.rows_in == data_rows_counted_independently(SAMPLE)
    assert ledger.reconciles()
    assert ledger.counts()[USED] == len(inputs.reports) + len(inputs.answers)
    assert ledger.counts()[REJECTED] == 0


# what "superseded" means -----------------------------------------------------------------


def september(root, *rows):
    cf.make_campaign(root)
    cf.write_report(root, "2024-09", list(rows))
    return ledger_of(root)


def outcomes(ledger):
    return [(row.location.row, row.outcome) for row in ledger.rows if row.month == "2024-09"]


def test_a_later_submission_date_corrects_the_same_units_figure(tmp_path):
    reports, ledger, log = september(
        tmp_path,
        cf.report_row("A1-1", "区行政审批局", 1000, dt.date(2024, 10, 3)),
        cf.report_row("A1-1", "审批局", 1100, dt.date(2024, 10, 8)),  # the same unit by its alias
    )
    assert not log.problems
    assert outcomes(ledger) == [(2, SUPERSEDED), (3, USED)]
    assert "第3行" in ledger.rows[-2].reason and "较晚" in ledger.rows[-2].reason
    assert next(r for r in reports if r.month == 9 and r.indicator_id == "A1-1").submitted == dt.date(2024, 10, 8)


def test_the_last_word_counts_even_when_it_returns_to_an_earlier_figure(tmp_path):
    reports, ledger, log = september(
        tmp_path,
        cf.report_row("A1-1", "区行政审批局", 1000, dt.date(2024, 10, 3)),
        cf.report_row("A1-1", "区行政审批局", 1100, dt.date(2024, 10, 5)),
        cf.report_row("A1-1", "区行政审批局", 1000, dt.date(2024, 10, 7)),
    )
    assert not log.problems
    assert outcomes(ledger) == [(2, SUPERSEDED), (3, SUPERSEDED), (4, USED)]
    report = next(r for r in reports if r.month == 9 and r.indicator_id == "A1-1")
    assert (report.value, report.submitted) == (1000, dt.date(2024, 10, 7))


def test_identical_repeats_keep_the_first_dated_copy(tmp_path):
    """A figure sent on time and again later was on time: the copy does not make it late."""
    reports, ledger, log = september(
        tmp_path,
        cf.report_row("A2-2", "东关镇", 85, dt.date(2024, 10, 6)),
        cf.report_row("A2-2", "区环保局", 85, dt.date(2024, 10, 3)),
        cf.report_row("A2-2", "区环保局", 85, dt.date(2024, 10, 3)),
    )
    assert not log.problems
    assert outcomes(ledger) == [(2, SUPERSEDED), (3, USED), (4, SUPERSEDED)]
    assert "重复报送" in ledger.rows[-1].reason
    report = next(r for r in reports if r.month == 9 and r.indicator_id == "A2-2")
    assert (report.unit, report.submitted) == ("区环保局", dt.date(2024, 10, 3))


def test_different_figures_without_dates_are_rejected_both_named(tmp_path):
    _, ledger, log = september(
        tmp_path,
        cf.report_row("A1-1", "区行政审批局", 1000, None),
        cf.report_row("A1-1", "区行政审批局", 1100, dt.date(2024, 10, 8)),
    )
    assert outcomes(ledger) == [(2, REJECTED), (3, REJECTED)]
    (problem,) = [str(p) for p in log.problems]
    assert "第2行" in problem and "第3行" in problem and "未填报送日期" in problem


def test_an_empty_form_row_is_unfilled_not_an_error(tmp_path):
    reports, ledger, log = september(tmp_path, ("A1-1", "区行政审批局", None, None, None, None, None))
    assert not log.problems
    assert outcomes(ledger) == [(2, UNFILLED)]
    assert not [r for r in reports if r.month == 9]


def test_rows_of_a_file_that_cannot_be_used_are_all_rejected(tmp_path):
    cf.make_campaign(tmp_path)
    cf.write_report(tmp_path, "2023-12", [cf.report_row("A1-1", "区行政审批局", 5, None)] * 3)
    _, ledger, _log = ledger_of(tmp_path)
    rejected = [row for row in ledger.rows if row.month == "2023-12"]
    assert [row.outcome for row in rejected] == [REJECTED] * 3
    assert "2023" in rejected[0].reason
    assert ledger.reconciles()
    with pytest.raises(InputError):
        check(tmp_path)


# late and missing, per unit ---------------------------------------------------------------


def test_late_and_missing_reports_are_listed_per_unit(tmp_path):
    from tests.judged import judged

    months = {m: cf.DEFAULT_MONTHS[m] for m in (7, 8)}  # 2024-09 is the third quarter's bulletin
    root = cf.make_campaign(tmp_path, monthly_values={**months, 9: {"A1-1": 1000, "A2-1": 95, "B1-1": "已完成", "A2-2": 85}})
    cf.write_report(
        root,
        "2024-09",
        [
            cf.report_row("A1-1", "区行政审批局", 1000, dt.date(2024, 10, 9)),  # after the 5th
            cf.report_row("A2-1", "区环保局", 95, None),  # no date: counted late
            cf.report_row("B1-1", "区统计局", "已完成", dt.date(2024, 10, 3)),
            cf.report_row("A2-2", "东关镇", 85, dt.date(2024, 10, 3)),
        ],
    )
    result = judged(check(root), "2024-09")
    listed = late_and_missing(result.submissions)
    assert listed["区行政审批局"] == {"late": ["2024-09 A1-1"], "missing": ["2024-09 A1-2"]}
    assert listed["区环保局"] == {"late": ["2024-09 A2-1"], "missing": []}
    assert "区统计局" not in listed and "东关镇" not in listed


def test_check_prints_the_ledger_summary(messy):
    root, expected = messy
    result = CliRunner().invoke(main, ["check", "--inputs", str(root)])
    assert result.exit_code == 0, result.output
    assert f"读入 {len(expected.rows)} 个月报文件、{sum(expected.rows.values())} 行数据" in result.output
    assert f"采用 {expected.used} 行，被替代 {expected.superseded} 行，未填报 {expected.unfilled} 行（核对相符）" in result.output


# the ledger holds any text as text ---------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet=st.text(max_size=31), unit=st.text(max_size=40), typed=st.text(max_size=40), note=st.text(max_size=40))
def test_the_ledger_keeps_any_text_as_text(sheet, unit, typed, note, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ledger")
    ledger = Ledger(
        [IntakeFile("reports/2024-09.xlsx", sheet, "2024-09", 1, 1)],
        [IntakeRow(Location("reports/2024-09.xlsx", sheet, 2), "2024-09", "A1-1", unit, typed,
                   outcome=USED, notes=[note])],
    )
    path = write_ledger(folder, ledger, [], "2024-Q3")
    rows = load_workbook(path)["逐行明细"]
    cells = {cell.column_letter: cell for cell in rows[2]}
    for letter, text in (("B", sheet), ("F", unit), ("G", typed), ("L", note)):
        cell = cells[letter]
        assert cell.data_type != "f"
        assert (cell.value or "") == printable(text)


# the workbook as written ---------------------------------------------------------------


def small_ledger(unit="区统计局") -> Ledger:
    return Ledger(
        [IntakeFile("reports/2024-09.xlsx", "填报", "2024-09", 2, 2, notes=["J列没有表头"])],
        [
            IntakeRow(Location("reports/2024-09.xlsx", "填报", 3), "2024-09", "1-1", unit, "85%", "85",
                      dt.date(2024, 10, 4), USED, notes=["百分号"]),
            IntakeRow(Location("reports/2024-09.xlsx", "填报", 4), "2024-09", "1-2", "=HYPERLINK(\"x\")", "",
                      outcome=UNFILLED),
        ],
    )


def late_submissions():
    from supervision_bulletin.evaluate import Submission

    return [
        Submission("区统计局", "1-1", 9, dt.date(2024, 10, 9), dt.date(2024, 10, 5), False, days_late=2),
        Submission("区商务局", "2-1", 9, None, dt.date(2024, 10, 5), True),
    ]


def workbook_facts(path):
    """What a reader sees of every sheet: values, types and the look of every cell, and the layout."""
    workbook = load_workbook(path)
    facts = {"sheets": workbook.sheetnames}
    for sheet in workbook.worksheets:
        cells = [
            (cell.coordinate, cell.value, cell.data_type, cell.quotePrefix, cell.font.b, cell.fill.fgColor.rgb,
             cell.alignment.wrap_text, cell.alignment.vertical, cell.number_format)
            for row in sheet.iter_rows() for cell in row
        ]
        facts[sheet.title] = (
            cells, sheet.freeze_panes, sheet.print_title_rows, sheet.page_setup.orientation,
            {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()},
        )
    return facts


def test_the_ledger_reads_back_with_its_data_and_layout(tmp_path):
    path = write_ledger(tmp_path, small_ledger(), late_submissions(), "2024-Q3")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["汇总", "逐行明细", "文件", "逾期与未报送"]
    values = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    assert values["汇总"] == [
        ("项目", "数量"), ("生成周期", "2024-Q3"), ("月报文件数", 1), ("读入数据行", 2),
        ("其中：采用", 1), ("其中：被替代", 0), ("其中：未填报", 1), ("其中：退回", 0), ("核对（读入 = 各项之和）", "相符"),
    ]
    assert values["逐行明细"] == [
        ("文件", "工作表", "行", "月份", "指标编号", "填报单位", "完成值（原文）", "读取为", "报送日期", "处理结果", "原因", "规范化处理"),
        ("reports/2024-09.xlsx", "填报", 3, "2024-09", "1-1", "区统计局", "85%", "85", dt.datetime(2024, 10, 4),
         USED, None, "百分号"),
        ("reports/2024-09.xlsx", "填报", 4, "2024-09", "1-2", "=HYPERLINK(\"x\")", None, None, None,
         UNFILLED, None, None),
    ]
    assert values["文件"] == [
        ("文件", "工作表", "月份", "表头所在行", "数据行数", "说明"),
        ("reports/2024-09.xlsx", "填报", "2024-09", 2, 2, "J列没有表头"),
    ]
    assert values["逾期与未报送"] == [
        ("单位", "月份", "指标编号", "情况", "截止日期", "报送日期"),
        ("区商务局", "9月", "2-1", "未报送", dt.datetime(2024, 10, 5), None),
        ("区统计局", "9月", "1-1", "逾期 2 个工作日", dt.datetime(2024, 10, 5), dt.datetime(2024, 10, 9)),
    ]
    rows = workbook["逐行明细"]
    assert rows.freeze_panes == "A2" and rows.print_title_rows == "$1:$1"
    assert rows.page_setup.orientation == "landscape" and rows.sheet_properties.pageSetUpPr.fitToPage
    assert [rows.column_dimensions[letter].width for letter in "AFKL"] == [26, 16, 40, 50]
    header, first, second = rows[1], rows[2], rows[3]
    assert all(cell.font.b and cell.fill.fgColor.rgb == "00DDDDDD" for cell in header)
    assert all(cell.alignment.wrap_text and cell.alignment.vertical == "top" for cell in (*first, *second))
    assert first[8].number_format == second[8].number_format == "yyyy-mm-dd"  # the empty one too
    assert (second[5].data_type, second[5].quotePrefix) == ("s", True)  # text, never a formula
    assert not first[5].quotePrefix


def test_a_later_ledger_of_the_same_reports_equals_one_written_afresh(tmp_path, monkeypatch):
    import supervision_bulletin.intake as intake
    from supervision_bulletin.memo import CACHE_VARIABLE

    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "memo"))
    written = []
    rows_sheet = intake.rows_sheet
    monkeypatch.setattr(intake, "rows_sheet", lambda sheet, rows: (written.append(len(rows)), rows_sheet(sheet, rows)))
    ledger, run = small_ledger(), intake.LedgerWriter()
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir(), (tmp_path / "c").mkdir(), (tmp_path / "d").mkdir()
    write_ledger(tmp_path / "a", ledger, [], "2024-Q2", writer=run)
    reused = write_ledger(tmp_path / "b", ledger, late_submissions(), "2024-Q3", writer=run)
    assert written == [2, 0]  # the row sheet was written once
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "another memo"))  # else it would be b's, recalled
    fresh = write_ledger(tmp_path / "c", ledger, late_submissions(), "2024-Q3")  # a writer of its own
    assert written == [2, 0, 2]
    assert workbook_facts(reused) == workbook_facts(fresh)
    assert reused.read_bytes() == fresh.read_bytes()
    other = write_ledger(tmp_path / "d", small_ledger(unit="区商务局"), [], "2024-Q3", writer=run)  # other reports
    assert written == [2, 0, 2, 2]
    assert load_workbook(other)["逐行明细"]["F2"].value == "区商务局"


def test_a_ledger_written_before_is_recalled_and_another_one_written(tmp_path, monkeypatch):
    """A rebuild writes the same intake.xlsx again: it comes from the memo, byte for byte."""
    import supervision_bulletin.intake as intake
    from supervision_bulletin.memo import CACHE_VARIABLE

    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "memo"))
    written = []
    rows_sheet = intake.rows_sheet
    monkeypatch.setattr(intake, "rows_sheet", lambda sheet, rows: (written.append(len(rows)), rows_sheet(sheet, rows)))
    for name in ("first", "again", "later cut-off", "other reports"):
        (tmp_path / name).mkdir()
    first = write_ledger(tmp_path / "first", small_ledger(), late_submissions(), "2024-Q3")
    again = write_ledger(tmp_path / "again", small_ledger(), late_submissions(), "2024-Q3")
    assert written == [2] and again.read_bytes() == first.read_bytes()
    write_ledger(tmp_path / "later cut-off", small_ledger(), late_submissions(), "2024-Q3", as_of=dt.date(2024, 10, 9))
    write_ledger(tmp_path / "other reports", small_ledger(unit="区商务局"), late_submissions(), "2024-Q3")
    assert written == [2, 2, 2]
