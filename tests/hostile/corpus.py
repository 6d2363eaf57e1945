"""Hostile and odd inputs, generated into a workspace: the corpus of issue 10.

Each Case changes one thing in the factory campaign (tests/campaign_factory.py)
and says what the command must come to: its exit code, and for a refusal the
words that name the place. Families:

* formula — text that Excel or WPS would run: a sheet named =cmd|' -C calc'!A0,
  plan names and report text starting with = + - @ (or a tab before them);
* names — unit names that make bad or clashing file names: characters Windows
  refuses, device names, trailing dots, 255 bytes of UTF-8, case;
* unicode — characters outside the BMP (in the fallback face or in no face), emoji;
* control — control characters, NUL, U+FFFE, lone surrogates, escape sequences,
  in CSV and in .xlsx (stored as Excel stores them, _x0001_);
* exhaustion — a cell at XFD1048576, a declared range of the whole sheet, a zip
  bomb, thousands of zip members, an XML entity bomb, billion laughs in YAML,
  too many rows or columns, an endless CSV field, a 17 MB file;
* links — symlinks out of the inputs folder (to a file, a folder, a device), a
  dangling one, a pipe; a symlink that stays inside is read;
* layout — ordinary report text the GB/T 9704 check must accept (Latin words,
  a line wrapped before 、).

    python -m tests.hostile.corpus /tmp/hostile      # every case, one workspace each

Nothing here is a committed binary: every file is written by this code.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tests import campaign_factory as cf
from tests.hostile.xlsx import Sheet, write_xlsx

SECRET = "TOP-SECRET 机密第一行"  # in a file beside the workspace, never to be quoted

Maker = Callable[[Path], None]  # writes the case into the workspace's inputs folder


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    make: Maker
    command: tuple[str, ...]  # bulletin arguments before --inputs/--out
    exit_code: int
    says: tuple[str, ...] = ()  # what the output must hold (the place, the reason)
    extra_months: bool = False  # reports for January to May too (a half-year build)
    notes: str = ""
    checks: tuple[str, ...] = field(default=())  # names of extra checks the tests run on the outputs


# the workspace -----------------------------------------------------------------------

MONTHS = {**dict.fromkeys(range(1, 6), cf.DEFAULT_MONTHS[6]), **cf.DEFAULT_MONTHS}


def plan_sheets(units=cf.UNITS, tasks=cf.TASKS, indicators=cf.INDICATORS) -> list[Sheet]:
    return [
        Sheet("单位", [cf.UNIT_HEADER, *units]),
        Sheet("任务", [cf.TASK_HEADER, *tasks]),
        Sheet("指标", [cf.INDICATOR_HEADER, *indicators]),
    ]


def report_rows(month: int, progress: str = "", extra: list[tuple] = ()) -> list[tuple]:
    owner = {row[0]: row[7].split("、")[0] for row in cf.INDICATORS}
    values = MONTHS[month]
    rows = [cf.report_row(i, owner[i], v, str(cf.on_time(2024, month)), progress) for i, v in values.items()]
    return rows + [tuple(row[:6]) + (str(cf.on_time(2024, month)),) for row in extra]


def write_workspace(root: Path, months=(6, 7, 8, 9), progress: str = "", units=cf.UNITS,
                    indicators=cf.INDICATORS, extra_rows: Callable[[int], list[tuple]] = lambda month: []) -> Path:
    """The factory campaign, every string an explicit string cell (so "=x" stays text)."""
    cf.write_campaign(root)
    write_xlsx(root / "plan.xlsx", plan_sheets(units=units, indicators=indicators))
    for month in months:
        report = Sheet("填报", [cf.REPORT_HEADER, *report_rows(month, progress, extra_rows(month))])
        write_xlsx(root / "reports" / f"2024-{month:02d}.xlsx", [report])
    return root


def lagging_units(root: Path, names: list[tuple[str, str]], months=(6, 7, 8, 9)) -> None:
    """Extra units (name, alias), each accountable for one severely lagging indicator:
    each is criticised in 2024-Q3 and gets a notice, and each gets a form."""
    units = [*cf.UNITS, *((name, alias, "部门") for name, alias in names)]
    extra = [
        (f"C{i}", "B1", f"专项工作{i}", "个", 100, "≥", "累计", alias or name, None)
        for i, (name, alias) in enumerate(names, start=1)
    ]

    def rows(month: int) -> list[tuple]:
        return [(f"C{i}", alias or name, 1, "", "", "") for i, (name, alias) in enumerate(names, start=1)]

    write_workspace(root, months, units=units, indicators=[*cf.INDICATORS, *extra], extra_rows=rows)


def renamed(name: str) -> Callable[[tuple], tuple]:
    """A plan row with 区统计局 renamed to ``name`` wherever it appears."""
    return lambda row: tuple(name if value == "区统计局" else value for value in row)


def statistics_bureau_named(root: Path, name: str, months=(6, 7, 8, 9)) -> None:
    rename = renamed(name)
    cf.write_campaign(root)
    write_xlsx(root / "plan.xlsx", plan_sheets(
        units=[rename(u) for u in cf.UNITS], tasks=[rename(t) for t in cf.TASKS],
        indicators=[rename(i) for i in cf.INDICATORS],
    ))
    for month in months:
        rows = [rename(row) for row in report_rows(month)]
        write_xlsx(root / "reports" / f"2024-{month:02d}.xlsx", [Sheet("填报", [cf.REPORT_HEADER, *rows])])


def september_report(root: Path, sheet: Sheet) -> None:
    write_xlsx(root / "reports" / "2024-09.xlsx", [sheet])


def september_sheet(progress: str = "") -> Sheet:
    return Sheet("填报", [cf.REPORT_HEADER, *report_rows(9, progress)])


# formula ----------------------------------------------------------------------------

FORMULA_TEXTS = ("=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")


def formula_sheet_name(root: Path) -> None:
    write_workspace(root)
    september_report(root, Sheet("=cmd|' -C calc'!A0", september_sheet().rows))


def formula_plan_and_report_text(root: Path) -> None:
    mapping = {"区行政审批局": "+86区审批局", "区环保局": "-区环保局", "区统计局": "@区统计局"}

    def rename(row: tuple) -> tuple:
        out = []
        for value in row:
            if isinstance(value, str):
                for old_name, new_name in mapping.items():
                    value = value.replace(old_name, new_name) if value == old_name or "、" in value else value
            out.append(value)
        return tuple(out)

    plan_units = [("+86区审批局", "审批局", "部门"), ("-区环保局", "环保局、区生态环境局", "部门"),
                  ("\t=东关镇", "东关镇", "街道"), ("@区统计局", "", "部门")]
    indicators = [rename(row) for row in cf.INDICATORS]
    indicators = [(*row[:2], f"={row[2]}", *row[3:]) for row in indicators]
    cf.write_campaign(root, name="=2024年河东区营商环境提升行动", issuer="河东区人民政府督查局")
    write_xlsx(root / "plan.xlsx", plan_sheets(units=plan_units, tasks=[rename(t) for t in cf.TASKS], indicators=indicators))
    for month in (6, 7, 8, 9):
        rows = [rename(row) for row in report_rows(month)]
        rows = [(*row[:3], FORMULA_TEXTS[i % 4], "\t" + FORMULA_TEXTS[(i + 1) % 4], "@" + "措施", row[6])
                for i, row in enumerate(rows)]
        write_xlsx(root / "reports" / f"2024-{month:02d}.xlsx", [Sheet("填报", [cf.REPORT_HEADER, *rows])])


def formula_in_csv_report(root: Path) -> None:
    """A CSV plan naming a unit =区统计局, and CSV reports with formulas for text."""
    csv_plan(root, "=区统计局")
    rename = renamed("=区统计局")
    for month in (6, 7, 8, 9):
        (root / "reports" / f"2024-{month:02d}.xlsx").unlink()
        rows = [rename(row) for row in report_rows(month, "=cmd|' /C calc'!A0")]
        write_csv(root / "reports" / f"2024-{month:02d}.csv", [cf.REPORT_HEADER, *rows])


# names -----------------------------------------------------------------------------

CLASHING = [("区金融局/分局", "金融分局"), ("区金融局_分局", ""), ("区金融局|分局", "金融局分局")]
WINDOWS_RESERVED = [("CON", ""), ("nul", ""), ("COM1", ""), ("区统计局二.", "统计二局"), ("LPT9 ", "")]
LONG_NAMES = [("区" + "很" * 100 + "长的局甲", ""), ("区" + "很" * 100 + "长的局乙", "")]
CASES_APART = [("区ABC局", ""), ("区abc局", "")]


def write_csv(path: Path, rows, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


# unicode ---------------------------------------------------------------------------

IN_FALLBACK = "𠀋"  # U+2000B: outside the BMP, drawn by Noto CJK SC
IN_NO_FACE = "𠀀𪚥"  # U+20000, U+2A6A5: outside the BMP and every installed face
EMOJI = "👍😀"


# control ---------------------------------------------------------------------------

def csv_plan(root: Path, unit_name: str) -> None:
    """The plan as three CSV files, 区统计局 renamed to ``unit_name``."""
    rename = renamed(unit_name)
    write_workspace(root)
    (root / "plan.xlsx").unlink()
    write_csv(root / "plan" / "单位.csv", [cf.UNIT_HEADER, *map(rename, cf.UNITS)])
    write_csv(root / "plan" / "任务.csv", [cf.TASK_HEADER, *map(rename, cf.TASKS)])
    write_csv(root / "plan" / "指标.csv", [cf.INDICATOR_HEADER, *map(rename, cf.INDICATORS)])


# exhaustion ------------------------------------------------------------------------

def far_value(root: Path) -> None:
    write_workspace(root)
    september_report(root, september_sheet().cell_at(1048576, 16384, "x"))


def far_style_only(root: Path) -> None:
    """A styled empty cell at XFD1048576 and a dimension to match: only formatting, read fine."""
    write_workspace(root)
    sheet = september_sheet().cell_at(1048576, 16384, None, ' s="0"')
    sheet.dimension = "A1:XFD1048576"
    september_report(root, sheet)


def zip_bomb(root: Path, unpacked: int = 40 * 2**20) -> None:
    """A sheet whose XML unpacks to 40 MB of blanks (a few tens of KB packed)."""
    write_workspace(root, months=(6, 7, 8))
    sheet = september_sheet()
    sheet.after_data = "<!--" + " " * unpacked + "-->"
    september_report(root, sheet)


def many_members(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    extra = {f"xl/media/image{i}.bin": b"" for i in range(3000)}
    write_xlsx(root / "reports" / "2024-09.xlsx", [september_sheet()], extra)


def entity_bomb(root: Path) -> None:
    """Billion laughs in sharedStrings.xml."""
    write_workspace(root, months=(6, 7, 8))
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [{entities}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&a9;</t></si></sst>"
    )
    write_xlsx(root / "reports" / "2024-09.xlsx", [september_sheet()], {"xl/sharedStrings.xml": strings.encode()})


def yaml_laughs(root: Path) -> None:
    write_workspace(root)
    lines = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 10)]
    text = (root / "campaign.yaml").read_text(encoding="utf-8")
    (root / "campaign.yaml").write_text(text + "\n".join(lines) + "\nrules: *a9\n", encoding="utf-8")


def yaml_too_big(root: Path) -> None:
    write_workspace(root)
    with (root / "campaign.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# " + "注" * 200_000 + "\n")


def csv_rows(root: Path, count: int = 25_000) -> None:
    write_workspace(root, months=(6, 7, 8))
    rows = report_rows(9)
    write_csv(root / "reports" / "2024-09.csv", [cf.REPORT_HEADER, *rows, *([("A1-1", "区行政审批局", 1)] * count)])


def csv_columns(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    rows = [list(row) + [""] * 300 + ["远处的内容"] for row in report_rows(9)]
    write_csv(root / "reports" / "2024-09.csv", [cf.REPORT_HEADER, *rows])


def csv_endless_field(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    text = ",".join(cf.REPORT_HEADER) + '\nA1-1,区行政审批局,1000,"' + "长" * 200_000 + '"\n'
    (root / "reports" / "2024-09.csv").write_text(text, encoding="utf-8")


def huge_file(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    path = root / "reports" / "2024-09.xlsx"
    write_xlsx(path, [september_sheet()])
    with path.open("r+b") as handle:
        handle.truncate(17 * 2**20)  # sparse: costs no disk


def xls_far_row(root: Path) -> None:
    import xlwt

    write_workspace(root, months=(6, 7, 8))
    book = xlwt.Workbook()
    sheet = book.add_sheet("填报")
    for r, row in enumerate([cf.REPORT_HEADER, *report_rows(9)]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(65535, 255, "远处的内容")
    book.save(str(root / "reports" / "2024-09.xls"))


def many_merges(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    sheet = september_sheet()
    sheet.after_data = "<mergeCells>" + "".join(f'<mergeCell ref="H{r}:H{r + 1}"/>' for r in range(1, 6000, 2)) + "</mergeCells>"
    september_report(root, sheet)


# links -------------------------------------------------------------------------------

def outside(root: Path) -> Path:
    """A folder beside the workspace with a file that is no input."""
    folder = root.parent / "elsewhere"
    folder.mkdir(exist_ok=True)
    write_csv(folder / "secret.csv", [[SECRET, "口令"], ["root", "x"]])
    write_xlsx(folder / "2024-09.xlsx", [Sheet("机密", [[SECRET]])])
    return folder


def link_to_outside_file(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    os.symlink(outside(root) / "secret.csv", root / "reports" / "2024-09.csv")


def link_to_outside_folder(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    os.symlink(outside(root), root / "reports" / "2024-09")


def link_to_device(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    os.symlink("/dev/zero", root / "reports" / "2024-09.csv")


def plan_linked_outside(root: Path) -> None:
    write_workspace(root)
    (root / "plan.xlsx").unlink()
    os.symlink(outside(root) / "2024-09.xlsx", root / "plan.xlsx")


def campaign_linked_outside(root: Path) -> None:
    write_workspace(root)
    folder = outside(root)
    (folder / "campaign.yaml").write_text(f"name: {SECRET}\n", encoding="utf-8")
    (root / "campaign.yaml").unlink()
    os.symlink(folder / "campaign.yaml", root / "campaign.yaml")


def dangling_link(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    os.symlink(root / "no-such-file.xlsx", root / "reports" / "2024-09.xlsx")


def pipe_in_reports(root: Path) -> None:
    write_workspace(root, months=(6, 7, 8))
    os.mkfifo(root / "reports" / "2024-09.csv")


def link_inside(root: Path) -> None:
    """An archive folder inside the inputs, the month's report linked from reports/: read."""
    write_workspace(root, months=(6, 7, 8))
    write_xlsx(root / "archive" / "九月.xlsx", [september_sheet()])
    os.symlink(Path("..") / "archive" / "九月.xlsx", root / "reports" / "2024-09.xlsx")


# layout ------------------------------------------------------------------------------

LATIN_TEXT = "完成ERP系统deployment，采用PPP模式推进5G基站建设，" * 3
BEFORE_PUNCTUATION = "各项工作推进有力、成效明显，一二三四五六七八九十、甲乙丙丁、戊己庚辛。"


def narrative(text: str) -> Maker:
    """A half year of reports whose 进展情况 is ``text``, offset so its lines break everywhere."""
    def make(root: Path) -> None:
        cf.write_campaign(root)
        write_xlsx(root / "plan.xlsx", plan_sheets())
        for month in range(1, 7):
            rows = [(*row[:3], "截至目前" + "各" * ((i * 5 + month) % 28) + text, *row[4:])
                    for i, row in enumerate(report_rows(month))]
            write_xlsx(root / "reports" / f"2024-{month:02d}.xlsx", [Sheet("填报", [cf.REPORT_HEADER, *rows])])
    return make


# the corpus ---------------------------------------------------------------------------

Q3 = ("build", "2024-Q3")
H1 = ("build", "2024-H1")
FORMS = ("forms", "2024-10")
CHECK = ("check",)
SEPTEMBER = "reports/2024-09"

CASES: tuple[Case, ...] = (
    # formula
    Case("sheet-named-formula", "formula", formula_sheet_name, Q3, 0, checks=("no-formulas",)),
    Case("formula-names-and-text", "formula", formula_plan_and_report_text, Q3, 0, checks=("no-formulas",)),
    Case("formula-names-in-forms", "formula", formula_plan_and_report_text, FORMS, 0, checks=("no-formulas",)),
    Case("formula-in-csv", "formula", formula_in_csv_report, Q3, 0, checks=("no-formulas",)),
    # names
    Case("names-clash", "names", lambda root: lagging_units(root, CLASHING), Q3, 0, checks=("unique-files",)),
    Case("names-clash-forms", "names", lambda root: lagging_units(root, CLASHING), FORMS, 0, checks=("unique-files",)),
    Case("names-reserved", "names", lambda root: lagging_units(root, WINDOWS_RESERVED), Q3, 0, checks=("unique-files",)),
    Case("names-reserved-forms", "names", lambda root: lagging_units(root, WINDOWS_RESERVED), FORMS, 0,
         checks=("unique-files",)),
    Case("names-long", "names", lambda root: lagging_units(root, LONG_NAMES), Q3, 0, checks=("unique-files",)),
    Case("names-long-forms", "names", lambda root: lagging_units(root, LONG_NAMES), FORMS, 0, checks=("unique-files",)),
    Case("names-case-forms", "names", lambda root: lagging_units(root, CASES_APART), FORMS, 0, checks=("unique-files",)),
    # unicode
    Case("outside-bmp-in-fallback", "unicode", lambda root: statistics_bureau_named(root, f"区{IN_FALLBACK}统计局"), Q3, 0),
    Case("outside-bmp-in-no-face", "unicode", lambda root: write_workspace(root, progress=f"完成{IN_NO_FACE}项目"), CHECK, 1,
         says=(SEPTEMBER, "第2行", "“进展情况”", "U+20000", "U+2A6A5")),
    Case("emoji", "unicode", lambda root: write_workspace(root, progress=f"进展顺利{EMOJI}"), CHECK, 1,
         says=(SEPTEMBER, "“进展情况”", "U+1F44D")),
    Case("emoji-in-plan", "unicode", lambda root: statistics_bureau_named(root, "区统计局😀"), CHECK, 1,
         says=("plan.xlsx", "工作表“单位”", "第5行", "U+1F600")),
    # control
    Case("csv-unit-name-separator", "control", lambda root: csv_plan(root, "区统\x1c计局"), Q3, 0, checks=("ledger",)),
    Case("nul-and-fffe-in-plan", "control", lambda root: statistics_bureau_named(root, "区统\x00计局\ufffe"), Q3, 0,
         checks=("ledger",)),
    Case("nul-and-fffe-in-forms", "control", lambda root: statistics_bureau_named(root, "区统\x00计局\ufffe"), FORMS, 0),
    Case("control-in-narrative", "control", narrative("进展\x01顺利\x1b[31m，\ud800完成\u200b任务\u202e。"), H1, 0,
         extra_months=True, checks=("ledger",)),
    Case("escape-in-unknown-unit", "control",
         lambda root: (write_workspace(root, months=(6, 7, 8)),
                       september_report(root, Sheet("填报", [cf.REPORT_HEADER, ("A1-1", "\x1b[2J区审批局\x07", 5)]))),
         CHECK, 1, says=(SEPTEMBER, "第2行", "“填报单位”", "区审批局")),
    # exhaustion
    Case("cell-at-xfd1048576", "exhaustion", far_value, CHECK, 1, says=(SEPTEMBER, "第1048576行XFD列", "最多 20000 行")),
    Case("styled-cell-at-xfd1048576", "exhaustion", far_style_only, CHECK, 0),
    Case("zip-bomb", "exhaustion", zip_bomb, CHECK, 1, says=(SEPTEMBER, "解压后")),
    Case("zip-members", "exhaustion", many_members, CHECK, 1, says=(SEPTEMBER, "部件")),
    Case("xml-entity-bomb", "exhaustion", entity_bomb, CHECK, 1, says=(SEPTEMBER, "无法作为 Excel 工作簿打开")),
    Case("yaml-billion-laughs", "exhaustion", yaml_laughs, CHECK, 1, says=("campaign.yaml", "第", "别名")),
    Case("yaml-too-big", "exhaustion", yaml_too_big, CHECK, 1, says=("campaign.yaml", "上限")),
    Case("csv-too-many-rows", "exhaustion", csv_rows, CHECK, 1, says=(SEPTEMBER, "第20001行", "最多 20000 行")),
    Case("csv-too-many-columns", "exhaustion", csv_columns, CHECK, 1, says=(SEPTEMBER, "最多 200 列")),
    Case("csv-endless-field", "exhaustion", csv_endless_field, CHECK, 1, says=(SEPTEMBER, "第2行")),
    Case("file-of-17-mb", "exhaustion", huge_file, CHECK, 1, says=(SEPTEMBER, "17 MB", "上限")),
    Case("xls-far-cell", "exhaustion", xls_far_row, CHECK, 1, says=(SEPTEMBER, "第65536行")),
    Case("merges", "exhaustion", many_merges, CHECK, 1, says=(SEPTEMBER, "合并单元格")),
    # links
    Case("link-to-outside-file", "links", link_to_outside_file, CHECK, 1, says=(SEPTEMBER, "链接")),
    Case("link-to-outside-folder", "links", link_to_outside_folder, CHECK, 1, says=(SEPTEMBER, "链接")),
    Case("link-to-device", "links", link_to_device, CHECK, 1, says=(SEPTEMBER, "链接")),
    Case("plan-linked-outside", "links", plan_linked_outside, CHECK, 1, says=("plan.xlsx", "链接")),
    Case("campaign-linked-outside", "links", campaign_linked_outside, CHECK, 1, says=("campaign.yaml", "链接")),
    Case("dangling-link", "links", dangling_link, CHECK, 1, says=(SEPTEMBER, "失效的链接")),
    Case("pipe-in-reports", "links", pipe_in_reports, CHECK, 1, says=(SEPTEMBER, "不是普通文件")),
    Case("link-inside-inputs", "links", link_inside, CHECK, 0),
    # layout
    Case("latin-words", "layout", narrative(LATIN_TEXT), H1, 0, extra_months=True),
    Case("wrapped-before-punctuation", "layout", narrative(BEFORE_PUNCTUATION), H1, 0, extra_months=True),
)


def make_case(case: Case, workspace: Path) -> Path:
    """The case's inputs folder under ``workspace``."""
    root = workspace / "inputs"
    root.mkdir(parents=True, exist_ok=True)
    case.make(root)
    return root


def main(target: str) -> None:
    for case in CASES:
        root = make_case(case, Path(target) / case.name)
        command = " ".join(case.command)
        print(f"{case.name:32} bulletin {command} --inputs {root}  → 应退出 {case.exit_code}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile")

