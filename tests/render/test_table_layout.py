"""Table layout shared by Word and HTML/PDF: words, minimum widths, type size, header lines."""

from __future__ import annotations

import pytest

from supervision_bulletin.document import Table, table_words
from supervision_bulletin.render.table_layout import (
    CELL_PADDING_X_MM,
    MM_PER_PT,
    TABLE_SIZES_PT,
    TEXT_BLOCK_MM,
    fit_widths,
    header_lines,
    layout_table,
    minimum_width_mm,
    minimum_widths_mm,
    text_em,
)

INDICATOR_COLUMNS = ("序号", "指标", "目标值", "完成值", "完成率", "序时进度", "状态", "责任单位")
INDICATOR_ROW = ("12", "10-1 规上工业企业研发活动覆盖率", "60", "62.2", "103.7%", "75.0%", "严重滞后", "区市场监管局")


def test_table_words_break_at_spaces_pauses_and_brackets_only():
    assert table_words("序号") == ("序号",)
    assert table_words("序时进度") == ("序时进度",)
    assert table_words("超额完成指标（项）") == ("超额完成指标", "（项）")
    assert table_words("区发改委、区住建局") == ("区发改委、", "区住建局")
    assert table_words("1-1 实施重大项目（个）") == ("1-1", "实施重大项目", "（个）")
    assert table_words("") == ()


def test_a_column_is_never_narrower_than_its_header_word_and_its_figures():
    size = TABLE_SIZES_PT[0]
    two_characters = 2 * size * MM_PER_PT + 2 * CELL_PADDING_X_MM
    assert minimum_width_mm("序号", ["1", "45"], size) > two_characters
    assert minimum_width_mm("完成率", ["103.7%"], size) > minimum_width_mm("完成率", ["7%"], size)
    # A status or a unit's name stays whole; running text does not widen a column past six characters.
    assert minimum_width_mm("状态", ["严重滞后"], size) > minimum_width_mm("状态", ["滞后"], size)
    long_name = "11-1 落实高新技术企业基础研究税收优惠政策"
    assert minimum_width_mm("指标", [long_name], size) < 8 * size * MM_PER_PT + 2 * CELL_PADDING_X_MM
    # Smaller type, narrower minimum.
    assert minimum_width_mm("序时进度", [], 9.0) < minimum_width_mm("序时进度", [], 12.0)


def test_narrow_numeric_columns_of_any_header_get_their_minimum():
    """The widths asked for (mm) are kept where they leave room, and a column too
    narrow for its header or figures is widened at the others' expense."""
    table = Table(INDICATOR_COLUMNS[:7] + ("较上期",) + INDICATOR_COLUMNS[7:],
                  (INDICATOR_ROW[:7] + ("↑3.2",) + INDICATOR_ROW[7:],),
                  widths=(5, 60, 8, 8, 8, 8, 8, 5, 26))
    layout = layout_table(table)
    assert sum(layout.widths_mm) == pytest.approx(TEXT_BLOCK_MM)
    for width, minimum in zip(layout.widths_mm, minimum_widths_mm(table, layout.size_pt)):
        assert width >= minimum - 1e-6
    assert all(lines == (header,) for lines, header in zip(layout.header_lines, table.columns))


def test_fit_widths_keeps_proportions_above_the_minimums():
    assert fit_widths((1, 1), (10, 10), total=100) == pytest.approx((50, 50))
    assert fit_widths((1, 9), (30, 10), total=100) == pytest.approx((30, 70))
    assert fit_widths((1, 1), (60, 60), total=100) is None


def test_type_size_drops_only_as_far_as_the_table_needs():
    eight = Table(INDICATOR_COLUMNS, (INDICATOR_ROW,), widths=(8, 42, 13, 15, 15, 15, 20, 28))
    five = Table(("序号", "责任单位", "指标", "报送日期", "情况"), (("1", "区住建局", "22-1 新改造城镇老旧小区（户）",
                                                             "2023年9月8日", "逾期3个工作日"),), widths=(8, 30, 56, 38, 24))
    assert layout_table(five).size_pt == 12.0
    assert layout_table(eight).size_pt in TABLE_SIZES_PT
    assert layout_table(eight).size_pt <= layout_table(five).size_pt


def test_header_lines_break_between_words_only():
    size = 12.0
    room = text_em("超额完成指标") * size * MM_PER_PT + 2 * CELL_PADDING_X_MM + 2
    assert header_lines("超额完成指标（项）", room, size) == ("超额完成指标", "（项）")
    assert header_lines("超额完成指标（项）", 80, size) == ("超额完成指标（项）",)
    assert header_lines("序号", 3, size) == ("序号",)  # a word never breaks, however narrow


def test_a_table_too_wide_for_the_smallest_type_breaks_long_header_words_in_their_middle():
    columns = ("单位", "指标数", "已完成", "超序时", "达序时", "滞后", "严重滞后", "未报送",
               "按时", "逾期", "未报送", "督办未结", "评价")
    table = Table(columns, (("区市场监管局", "12", "1", "3", "5", "2", "1", "0", "10", "1", "1", "2", "红"),))
    layout = layout_table(table)
    assert layout.size_pt == TABLE_SIZES_PT[-1]
    assert sum(layout.widths_mm) == pytest.approx(TEXT_BLOCK_MM)
    lines = dict(zip(columns, layout.header_lines))
    assert lines["严重滞后"] == ("严重", "滞后") and lines["督办未结"] == ("督办", "未结")
    assert lines["已完成"] == ("已完成",) and lines["单位"] == ("单位",)


def test_alignment_centres_figures_and_labels_and_sets_text_flush_left():
    layout = layout_table(Table(INDICATOR_COLUMNS, (INDICATOR_ROW,)))
    assert layout.alignments == ("center", "left", "center", "center", "center", "center", "center", "center")
