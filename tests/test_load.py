"""Load: finding the table in the files units actually send."""

import datetime as dt

import pytest
import xlwt
from openpyxl import Workbook

from supervision_bulletin.load import load_plan, merge_spans, read_report_file
from supervision_bulletin.problems import ProblemLog
from tests import campaign_factory as cf
from tests.intake_fixtures import strip_document_properties

HEADER = list(cf.REPORT_HEADER)
ROW = ["A1-1", "区行政审批局", 520, "进展", None, None, dt.datetime(2024, 7, 3)]


def read(path, root):
    log = ProblemLog()
    table = read_report_file(path, root, log)
    return table, [str(p) for p in log.problems]


def xlsx(path, rows, title="填报", prepare=lambda sheet: None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    prepare(sheet)
    workbook.save(path)
    return path


def test_the_header_is_found_below_a_title_and_instructions(tmp_path):
    rows = [["2024年7月进展情况填报表"], ["填表说明：请填写完成值、进展情况，报送日期写作2024-08-03。"], [], HEADER, ROW]
    table, problems = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert not problems
    assert table.header_row == 4
    assert [row.number for row in table.rows] == [5]
    assert table.rows[0].cells["完成值"] == 520
    assert table.location(5, "完成值").column_letter == "C"
    assert "表头在第4行，其上的第1–2行为标题或说明" in table.notes[0]


def test_blank_columns_keep_the_letters_the_user_sees(tmp_path):
    rows = [[None, None, *HEADER], [], [None, None, *ROW]]
    table, _ = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert table.location(3, "完成值").column_letter == "E"
    assert [row.number for row in table.rows] == [3]


def test_a_two_level_merged_header(tmp_path):
    def merge(sheet):
        for column in "ABFG":
            sheet.merge_cells(f"{column}1:{column}2")
        sheet.merge_cells("C1:E1")

    rows = [["指标编号", "填报单位", "完成情况", None, None, "下步措施", "报送日期"], [None, None, "完成值", "进展情况", "存在问题"], ROW]
    table, problems = read(xlsx(tmp_path / "r.xlsx", rows, prepare=merge), tmp_path)
    assert not problems
    assert table.header_row == 2
    assert set(cf.REPORT_HEADER) <= set(table.columns)
    assert table.rows[0].cells["报送日期"] == dt.datetime(2024, 7, 3)


def test_a_unit_merged_down_its_rows_is_read_on_each(tmp_path):
    rows = [HEADER, ROW, ["A1-2", None, 2], ["A1-3", None, 3]]
    table, _ = read(xlsx(tmp_path / "r.xlsx", rows, prepare=lambda s: s.merge_cells("B2:B4")), tmp_path)
    assert [row.cells["填报单位"] for row in table.rows] == ["区行政审批局"] * 3
    assert "合并单元格 B2:B4" in table.rows[2].notes[0]


def test_a_progress_note_merged_across_columns_stays_in_its_column(tmp_path):
    rows = [HEADER, ["A1-1", "区行政审批局", 1, "很长的进展情况", None, None]]
    table, _ = read(xlsx(tmp_path / "r.xlsx", rows, prepare=lambda s: s.merge_cells("D2:F2")), tmp_path)
    cells = table.rows[0].cells
    assert (cells["进展情况"], cells["存在问题"], cells["下步措施"]) == ("很长的进展情况", None, None)


def test_a_merge_of_whole_columns_is_skipped_as_damaged():
    assert merge_spans("报表", ["A:B", "1:2", "B2:B4"]) == [(1, 3, 1, "B2:B4")]


def test_percent_formatted_cells_are_read_as_shown(tmp_path):
    def percent(sheet):
        sheet["C2"].number_format = "0.0%"

    table, _ = read(xlsx(tmp_path / "r.xlsx", [HEADER, ["A2-2", "区环保局", 0.085]], prepare=percent), tmp_path)
    assert table.rows[0].cells["完成值"] == "8.5%"
    assert "存储值 0.085" in table.rows[0].notes[0]


def test_signature_lines_and_footnotes_are_not_data(tmp_path):
    rows = [HEADER, ROW, [], ["填表人：张三", None, "审核人：李四"], ["注：完成值为累计数。"]]
    table, _ = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert [row.number for row in table.rows] == [2]
    assert any("第4–5行为签注或备注" in note for note in table.notes)


def test_a_unit_that_typed_only_a_name_is_still_a_data_row(tmp_path):
    """Only whole signature lines are skipped: a row with a unit name is data, to be checked."""
    table, _ = read(xlsx(tmp_path / "r.xlsx", [HEADER, [None, "区行政审批局"]]), tmp_path)
    assert [row.number for row in table.rows] == [2]


def test_header_synonyms_spaces_and_marks(tmp_path):
    rows = [["指标 编号", "报送单位", "完成值*", "报送时间"], ["A1-1", "区行政审批局", 5, "2024-08-03"]]
    table, _ = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert {"指标编号", "填报单位", "完成值", "报送日期"} <= set(table.columns)
    assert "表头“报送时间”按“报送日期”读取" in table.notes


def test_the_real_column_wins_over_a_synonym(tmp_path):
    rows = [["指标编号", "填报单位", "完成值", "报送日期", "填报日期"], ["A1-1", "区行政审批局", 5, "2024-08-03", "2024-08-01"]]
    table, _ = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert table.rows[0].cells["报送日期"] == "2024-08-03"


def test_hidden_sheets_are_not_read_and_a_renamed_sheet_is_found(tmp_path):
    def extra(sheet):
        hidden = sheet.parent.create_sheet("旧数据")
        hidden.append(HEADER)
        hidden.append(["A1-1", "区行政审批局", 1])
        hidden.sheet_state = "veryHidden"

    table, problems = read(xlsx(tmp_path / "r.xlsx", [HEADER, ROW], title="Sheet1", prepare=extra), tmp_path)
    assert not problems
    assert table.sheet == "Sheet1" and table.rows[0].cells["完成值"] == 520
    assert "隐藏的工作表“旧数据”未读取" in table.notes


def test_a_wps_workbook_without_document_properties(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [HEADER, ROW])
    strip_document_properties(path)
    table, problems = read(path, tmp_path)
    assert not problems and table.rows[0].cells["完成值"] == 520


def xls(path, rows, styles=None, merges=()):
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("填报")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:  # cells inside a merged range stay unwritten, as in Excel
                sheet.write(r, c, value, (styles or {}).get((r, c), xlwt.Style.default_style))
    for top, bottom, left, right in merges:
        sheet.merge(top, bottom, left, right)
    workbook.save(str(path))
    return path


def test_xls_dates_percentages_and_merges(tmp_path):
    styles = {(1, 6): xlwt.easyxf(num_format_str="YYYY-MM-DD"), (2, 2): xlwt.easyxf(num_format_str="0.0%")}
    rows = [HEADER, ["A1-1", "区环保局", 58, None, None, None, dt.datetime(2024, 8, 3)], ["A2-2", None, 0.795]]
    table, problems = read(xls(tmp_path / "r.xls", rows, styles, merges=[(1, 2, 1, 1)]), tmp_path)
    assert not problems
    first, second = table.rows
    assert first.cells["报送日期"] == dt.datetime(2024, 8, 3)
    assert second.cells["完成值"] == "79.5%"
    assert second.cells["填报单位"] == "区环保局"


def test_a_wps_et_file_in_the_xls_format_is_read(tmp_path):
    table, problems = read(xls(tmp_path / "r.et", [HEADER, ROW[:3]]), tmp_path)
    assert not problems and table.rows[0].cells["完成值"] == 520


@pytest.mark.parametrize(
    "encoding, note", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带 BOM）"), ("gbk", "GB18030"), ("gb18030", "GB18030"), ("utf-16", "UTF-16")]
)
def test_csv_in_every_encoding_excel_and_wps_save(tmp_path, encoding, note):
    delimiter = "\t" if encoding == "utf-16" else ","
    text = "\r\n".join(delimiter.join(row) for row in (["指标编号", "填报单位", "完成值"], ["A1-1", "区行政审批局", "520"]))
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode(encoding))
    table, problems = read(path, tmp_path)
    assert not problems
    assert table.rows[0].cells == {"指标编号": "A1-1", "填报单位": "区行政审批局", "完成值": "520"}
    assert note in table.notes[0]


def test_a_plan_with_a_title_row_above_each_sheet(tmp_path):
    cf.write_plan(tmp_path)
    from openpyxl import load_workbook

    workbook = load_workbook(tmp_path / "plan.xlsx")
    for sheet in workbook.worksheets:
        sheet.insert_rows(1, 2)
        sheet["A1"] = f"{sheet.title}（2024年河东区营商环境提升行动）"
    workbook.save(tmp_path / "plan.xlsx")
    log = ProblemLog()
    tables = load_plan(tmp_path, log)
    assert not log.problems
    assert tables["指标"].header_row == 3
    assert [row.number for row in tables["单位"].rows] == [4, 5, 6, 7]


def test_a_unit_of_measure_in_the_header_is_a_remark(tmp_path):
    rows = [["指标编号", "填报单位", "完成值（累计）", "报送日期\n（年-月-日）"], ["A1-1", "区行政审批局", 5, "2024-08-03"]]
    table, problems = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert not problems
    assert table.rows[0].cells["完成值"] == 5 and table.rows[0].cells["报送日期"] == "2024-08-03"
    assert "表头“完成值（累计）”按“完成值”读取" in table.notes


def test_two_columns_that_both_mean_the_value_are_refused(tmp_path):
    rows = [["指标编号", "填报单位", "完成值（上月）", "完成值（本月）"], ["A1-1", "区行政审批局", 4, 5]]
    _, problems = read(xlsx(tmp_path / "r.xlsx", rows), tmp_path)
    assert any("表头“完成值”出现了两次（C列和D列）" in p for p in problems)


class TestNamesAsUsersWriteThem:
    @pytest.mark.parametrize(
        "name, month",
        [("2023-09.xlsx", "2023-09"), ("2023-09.xlsx.xlsx", "2023-09"), ("2023年9月月报.xlsx", "2023-09"),
         ("老城区2023年10月进展填报.xlsx", "2023-10"), ("2023.9.xlsx", "2023-09"), ("报表.xlsx", None)],
    )
    def test_the_month_is_read_from_the_name(self, name, month):
        from supervision_bulletin.load import bare_stem, month_of_name

        assert month_of_name(bare_stem(name)) == month

    def test_a_file_that_cannot_be_opened_says_close_excel(self, tmp_path, monkeypatch):
        from supervision_bulletin.load import open_book
        from supervision_bulletin.problems import ProblemLog

        path = tmp_path / "reports" / "2023-09.xlsx"
        path.parent.mkdir()
        path.write_bytes(b"PK\x03\x04")

        def locked(self, *args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(type(path), "open", locked)
        log = ProblemLog()
        assert open_book(path, tmp_path, log) is None
        (problem,) = log.problems
        assert "请关闭 Excel/WPS 后重试" in problem.message and problem.location.file == "reports/2023-09.xlsx"


@pytest.mark.parametrize(
    "typed, label",
    [("2023-9", "2023-09"), ("2023Q3", "2023-Q3"), ("2023年9月", "2023-09"), ("2023年三季度", "2023-Q3"),
     ("2023年第三季度", "2023-Q3"), ("2023年上半年", "2023-H1"), ("２０２３－０９", "2023-09"), ("2023年", "2023")],
)
def test_periods_as_users_type_them(typed, label):
    from supervision_bulletin.periods import parse_period

    assert parse_period(typed).label == label


class TestCampaignYamlAsClerksWriteIt:
    def write(self, tmp_path, text: str, encoding: str = "utf-8"):
        from supervision_bulletin.load import load_campaign_yaml
        from supervision_bulletin.problems import ProblemLog

        (tmp_path / "campaign.yaml").write_bytes(text.encode(encoding))
        log = ProblemLog()
        return load_campaign_yaml(tmp_path, log), log.problems

    def test_a_gbk_file_is_read(self, tmp_path):
        data, problems = self.write(tmp_path, "name: 2023年老城区活动\nyear: 2023\n", "gb18030")
        assert data["name"] == "2023年老城区活动" and not problems

    def test_a_full_width_colon_is_named_with_its_row(self, tmp_path):
        _, (problem,) = self.write(tmp_path, "year: 2023\nname：活动\n")
        assert problem.location.row == 2 and "全角冒号" in problem.message

    def test_no_english_from_the_yaml_library(self, tmp_path):
        _, (problem,) = self.write(tmp_path, "name: a: b\n")
        assert "mapping" not in problem.message and "引号" in problem.message


# --- the memo of workbooks read before -------------------------------------------------


def test_a_workbook_read_before_is_recalled_as_it_was_read(tmp_path, monkeypatch):
    import openpyxl

    from supervision_bulletin import load

    def typed(sheet):
        sheet["C2"].number_format = "0.0%"
        sheet.merge_cells("B3:B4")

    rows = [HEADER, ["A2-2", "区环保局", 0.085, True, None, dt.time(9, 30), dt.datetime(2024, 7, 3, 8)],
            ["A2-3", "区科工局", 3, "=1+1", None, dt.date(2024, 7, 4), dt.timedelta(days=2)], ["A2-4", None, 1.5]]
    path = xlsx(tmp_path / "r.xlsx", rows, prepare=typed)
    first = load.read_xlsx(path, "r.xlsx")
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a) or pytest.fail("read again"))
    again = load.read_xlsx(path, "其他名字.xlsx")
    assert again.grids == first.grids and again.shown == "其他名字.xlsx"
    assert [type(value) for value in again.grids[0].cells[1]] == [type(value) for value in first.grids[0].cells[1]]
    assert again.grids[0].cell_notes  # the percent cell's note, kept with its place


def test_a_workbook_changed_by_one_cell_is_read_afresh(tmp_path):
    from supervision_bulletin import load

    path = xlsx(tmp_path / "r.xlsx", [HEADER, ROW])
    assert load.read_xlsx(path, "r.xlsx").grids[0].cells[1][2] == 520
    xlsx(path, [HEADER, [*ROW[:2], 530, *ROW[3:]]])
    assert load.read_xlsx(path, "r.xlsx").grids[0].cells[1][2] == 530


def test_a_reading_json_cannot_hold_is_not_kept():
    from supervision_bulletin.load import Grid, encoded_grids

    assert encoded_grids([Grid("表", False, [[object()]])]) is None
    assert encoded_grids([Grid("表", False, [["\ud800"]])]) is None
