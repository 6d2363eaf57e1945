"""Cells the pipeline writes: text stays text, read back from the saved file."""

import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from supervision_bulletin.sheet_cells import put, put_row
from supervision_bulletin.values import printable

FORMULAS = ["=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]


def saved(tmp_path, values):
    workbook = Workbook()
    put_row(workbook.active, 1, values)
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    return path


def test_formula_like_text_is_a_string_cell_with_the_quote_prefix(tmp_path):
    path = saved(tmp_path, [*FORMULAS, "普通文字", 5])
    with zipfile.ZipFile(path) as archive:
        assert b"<f" not in archive.read("xl/worksheets/sheet1.xml")
    cells = next(iter(load_workbook(path).active.iter_rows()))
    for cell, typed in zip(cells, FORMULAS):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True)
    assert (cells[5].value, cells[5].quotePrefix) == ("普通文字", False)
    assert (cells[6].value, cells[6].data_type) == (5, "n")


def test_control_characters_cannot_break_the_save(tmp_path):
    path = saved(tmp_path, ["区统\x1c计局\x00", "a\ufffeb"])
    assert [c.value for c in next(iter(load_workbook(path).active.iter_rows()))] == ["区统计局", "ab"]


def test_an_overlong_text_is_cut_at_excels_limit():
    cell = Workbook().active["A1"]
    put(cell, "长" * 40_000)
    assert len(cell.value) == 32_767 and cell.value.endswith("…")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_any_text_reads_back_as_the_same_text(tmp_path_factory, texts):
    path = saved(tmp_path_factory.mktemp("cells"), texts)
    cells = next(iter(load_workbook(path).active.iter_rows())) if any(printable(t) for t in texts) else []
    for cell, text in zip(cells, texts):
        assert cell.data_type != "f"
        assert (cell.value or "") == printable(text)
