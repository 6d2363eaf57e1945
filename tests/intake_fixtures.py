"""Messy report files, made the way units make them, for the intake tests.

Real monthly reports are typed by hand in Excel or WPS: a title and a note
above a two-level merged header, a blank first column, the unit's name merged
down its rows, full-width digits from a Chinese input method, 8.5% in a cell
formatted as a percentage, dates as 2024年7月3日 or 7月4日 or a bare serial,
.xls from an old PC, CSV in GBK, WPS files without their document properties,
a signature line under the table, a corrected row sent again with a later
date. Every file here is written by code, so the fixture can be read and
changed; the campaign is tests/campaign_factory.py's.

    python -m tests.intake_fixtures /tmp/messy     # a workspace to try the CLI on

``make_messy_campaign`` returns what a correct intake must find: the data rows
of each file (counted here, where they are written, not by the loader) and the
outcome of each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlwt
from openpyxl import Workbook

from tests import campaign_factory as cf


@dataclass
class Expected:
    """What the intake of the messy folder must come to."""

    rows: dict[str, int] = field(default_factory=dict)  # file → data rows written
    used: int = 0
    superseded: int = 0
    unfilled: int = 0

    def add(self, file: str, used: int = 0, superseded: int = 0, unfilled: int = 0) -> None:
        self.rows[file] = used + superseded + unfilled
        self.used += used
        self.superseded += superseded
        self.unfilled += unfilled


def make_messy_campaign(root: Path) -> Expected:
    """The factory campaign's plan, with June–September reported in every messy way."""
    cf.write_campaign(root)
    cf.write_plan(root)
    reports = root / "reports"
    expected = Expected()
    june_district_workbook(reports / "2024-06.xlsx", expected)
    july_per_unit_files(reports / "2024-07", expected)
    august_with_corrections(reports / "2024-08", expected)
    september_with_extras(reports / "2024-09.xlsx", expected)
    return expected


# June: one workbook for the district, laid out for printing --------------------------


def june_district_workbook(path: Path, expected: Expected) -> None:
    """Title, note, a two-level merged header from column B, the unit merged
    down its rows, blank rows, a signature line and a hidden old sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报"
    sheet["B1"] = "河东区2024年6月营商环境提升行动重点指标进展情况表"
    sheet.merge_cells("B1:I1")
    sheet["B2"] = "填表说明：完成值填年初至6月底累计数；定性指标填已完成、推进中或滞后。"
    sheet.merge_cells("B2:I2")
    # Row 3 blank. Rows 4–5: the header, 指标编号 etc. merged over both rows.
    for column, name in (("B", "指标编号"), ("C", "填报单位"), ("G", "下步措施"), ("H", "报送 时间"), ("I", "备注")):
        sheet[f"{column}4"] = name
        sheet.merge_cells(f"{column}4:{column}5")
    sheet["D4"] = "完成情况"
    sheet.merge_cells("D4:F4")
    sheet["D5"], sheet["E5"], sheet["F5"] = "完成值*", "进展情况", "存在问题"
    rows = {
        6: ["A1-1", "区行政审批局", "５２０", "  新增市场主体520户。 ", None, None, "2024年7月3日"],
        7: ["A1-2", None, 2, "企业开办压缩至2天。", None, None, 45476],  # 45476 is 2024-07-03
        9: ["A2-1", " 环保局 ", "50件", "受理扬尘投诉50件。", None, None, "2024/7/2"],
        10: ["A2-2", "区环保局", 0.78, "优良天数比例78%。", None, None, dt.datetime(2024, 7, 2)],
        11: ["Ｂ１－１", "区统计局", "推进中 ", "核查进行中。", None, None, "7月4日"],
    }
    for number, values in rows.items():
        for offset, value in enumerate(values):
            sheet.cell(number, 2 + offset, value)
    sheet.merge_cells("C6:C7")  # 区行政审批局 over its two rows
    sheet["D10"].number_format = "0%"  # typed as 78%, stored as 0.78
    sheet["B13"], sheet["E13"] = "填表人：张三", "联系电话：0371-12345678"
    old = workbook.create_sheet("填报（旧）")
    old.append(list(cf.REPORT_HEADER))
    old.append(["A1-1", "区行政审批局", 1, None, None, None, None])
    old.sheet_state = "hidden"
    save(workbook, path)
    expected.add(str(Path("reports") / path.name), used=5)


# July: a folder of per-unit files in four formats ------------------------------------


def july_per_unit_files(folder: Path, expected: Expected) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shown = lambda name: str(Path("reports") / folder.name / name)  # noqa: E731
    xls_report(folder / "区行政审批局.xls")
    expected.add(shown("区行政审批局.xls"), used=2)
    rows = [["A2-1", "区环保局", "58", "2024年8月3日"], ["A2-2", "区生态环境局", "79%", "2024年8月3日"]]
    csv_report(folder / "区环保局.csv", rows, "gbk")
    expected.add(shown("区环保局.csv"), used=2)
    # The town reports the shared indicator too, with the same figure a day later.
    csv_report(folder / "东关镇.csv", [["A2-2", "东关镇", "79", "2024-08-04"]], "utf-8-sig")
    expected.add(shown("东关镇.csv"), superseded=1)
    wps_report(folder / "区统计局.xlsx", [["B1-1", "区统计局", "推进中", "20240805"]])
    expected.add(shown("区统计局.xlsx"), used=1)


def xls_report(path: Path) -> None:
    """Excel 97–2003, with a real date cell and a hidden sheet of dropdown words."""
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("填报")
    for column, name in enumerate(cf.REPORT_HEADER):
        sheet.write(0, column, name)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for number, (indicator, value) in enumerate((("A1-1", 650), ("A1-2", "1.5")), start=1):
        sheet.write(number, 0, indicator)
        sheet.write(number, 1, "审批局")
        sheet.write(number, 2, value)
        sheet.write(number, 6, dt.datetime(2024, 8, 2), date_style)
    words = workbook.add_sheet("下拉选项")
    words.write(0, 0, "推进中")
    words.visibility = 1  # hidden
    workbook.save(str(path))


def csv_report(path: Path, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["指标编号", "填报单位", "完成值", "报送日期"])
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def wps_report(path: Path, rows: list[list[Any]]) -> None:
    """As WPS saves: the sheet left as Sheet1, no docProps parts at all."""
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["指标编号", "填报单位", "完成值", "报送日期"])
    for row in rows:
        workbook.active.append(row)
    save(workbook, path)
    strip_document_properties(path)


def strip_document_properties(path: Path) -> None:
    """Remove docProps/* and every reference to them, as WPS-made files lack them."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts = {name: data for name, data in parts.items() if not name.startswith("docProps/")}
    for name in ("_rels/.rels", "[Content_Types].xml"):
        text = parts[name].decode("utf-8")
        for part in ("docProps/core.xml", "docProps/app.xml"):
            text = drop_element_naming(text, part)
        parts[name] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def drop_element_naming(xml: str, part: str) -> str:
    """The one self-closing element whose attributes name ``part``."""
    at = xml.find(part)
    if at < 0:
        return xml
    start = xml.rfind("<", 0, at)
    end = xml.find("/>", at) + 2
    return xml[:start] + xml[end:]


# August: corrections, repeats and an unfilled form row --------------------------------


def august_with_corrections(folder: Path, expected: Expected) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shown = lambda name: str(Path("reports") / folder.name / name)  # noqa: E731
    # A correction of A1-1 sent three days later; the file is .xlsx saved as .xls.
    plain_report(
        folder / "区行政审批局.xls",
        [
            ("A1-1", "区行政审批局", 780, None, None, None, dt.date(2024, 9, 3)),
            ("A1-2", "区行政审批局", 1.5, None, None, None, dt.date(2024, 9, 3)),
            ("A1-1", "区行政审批局", "790", "更正：补录10户。", None, None, dt.date(2024, 9, 6)),
        ],
    )
    expected.add(shown("区行政审批局.xls"), used=2, superseded=1)
    # The same row pasted twice.
    plain_report(
        folder / "区环保局.xlsx",
        [
            ("A2-1", "区环保局", 66, None, None, None, dt.date(2024, 9, 2)),
            ("A2-2", "区环保局", "81 %", None, None, None, dt.date(2024, 9, 2)),
            ("A2-1", "区环保局", 66, None, None, None, dt.date(2024, 9, 2)),
        ],
    )
    expected.add(shown("区环保局.xlsx"), used=2, superseded=1)
    # The town's form row for the shared indicator, left empty: the bureau has its figure.
    plain_report(folder / "东关镇.xlsx", [("A2-2", "东关镇", None, None, None, None, None)])
    expected.add(shown("东关镇.xlsx"), unfilled=1)
    # Excel's "Unicode text": UTF-16 with tabs.
    text = "指标编号\t填报单位\t完成值\t报送日期\r\nB1-1\t区统计局\t滞后\t2024-09-04\r\n"
    (folder / "区统计局.csv").write_bytes(text.encode("utf-16"))
    expected.add(shown("区统计局.csv"), used=1)


def plain_report(path: Path, rows: list[tuple]) -> None:
    workbook = Workbook()
    workbook.active.title = "填报"
    cf.write_rows(workbook.active, cf.REPORT_HEADER, rows)
    save(workbook, path)


# September: pre-filled columns, units of measure, separators --------------------------


def september_with_extras(path: Path, expected: Expected) -> None:
    """Extra pre-filled columns, values typed with their measure and separators,
    and a note in a column without a header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报 "
    sheet.append(["指标编号", "指标名称", "填报单位", "完成值", "进展情况", "存在问题", "下步措施", "报送日期"])
    rows = [
        ("A1-1", "新增市场主体", "区行政审批局", "1,000户", "", "", "", "2024.10.3"),
        ("A1-2", "企业开办时间", "区行政审批局", "1.8天", "", "", "", "2024-10-03"),
        ("A2-1", "扬尘投诉件数", "区环保局", 95, "", "", "", dt.date(2024, 10, 2)),
        ("B1-1", "统计数据质量核查", "区统计局", "已完成", "", "", "", "10月3日"),
        ("A2-2", "空气优良天数比例", "区环保局", "85%", "", "", "", "2024年10月2日"),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet["J3"] = "此项数据已与统计局核对"
    save(workbook, path)
    expected.add(str(Path("reports") / path.name), used=5)


def save(workbook: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "messy") / "inputs"
    found = make_messy_campaign(target)
    print(f"已在 {target} 生成 {len(found.rows)} 个月报文件、{sum(found.rows.values())} 行数据")
