"""What the loader refuses before reading a file."""

import os

import pytest
import yaml

from supervision_bulletin import guard


def test_yaml_without_anchors_reads_as_usual():
    assert guard.load_yaml("name: 活动\ncc: [区委办公室]\n") == {"name": "活动", "cc": ["区委办公室"]}


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "base: &b {k: 1}\nother:\n  <<: *b\n"])
def test_yaml_anchors_and_aliases_are_refused_with_their_line(text):
    with pytest.raises(guard.AliasRefused) as refused:
        guard.load_yaml(text)
    assert "锚点和别名" in refused.value.problem
    assert refused.value.problem_mark.line == 0


def test_yaml_is_still_safe():
    with pytest.raises(yaml.YAMLError):
        guard.load_yaml("!!python/object/apply:os.system ['true']")


def test_a_link_is_judged_by_where_it_leads(tmp_path):
    inputs, elsewhere = tmp_path / "inputs", tmp_path / "elsewhere"
    (inputs / "archive").mkdir(parents=True)
    elsewhere.mkdir()
    (inputs / "archive" / "a.csv").write_text("x", encoding="utf-8")
    (elsewhere / "b.csv").write_text("x", encoding="utf-8")
    os.symlink(inputs / "archive" / "a.csv", inputs / "in.csv")
    os.symlink(elsewhere / "b.csv", inputs / "out.csv")
    assert guard.is_inside(inputs / "in.csv", inputs)
    assert not guard.is_inside(inputs / "out.csv", inputs)
    assert not guard.is_inside(inputs / ".." / "elsewhere" / "b.csv", inputs)
    guard.check_file(inputs / "in.csv", inputs)
    with pytest.raises(guard.Refused, match="链接"):
        guard.check_file(inputs / "out.csv", inputs)


def test_an_input_folder_that_is_itself_a_link_is_fine(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "plan.csv").write_text("x", encoding="utf-8")
    os.symlink(real, tmp_path / "linked")
    guard.check_file(tmp_path / "linked" / "plan.csv", tmp_path / "linked")


def test_the_unpacked_size_is_judged_before_opening():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (guard.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(guard.Refused, match="解压后"):
        guard.check_archive(buffer.getvalue())


def test_a_far_cell_is_named_by_row_and_column():
    assert "第1048576行XFD列" in guard.too_far(1048576, 16384)
    assert "第3行GS列" in guard.too_far(3, 201)
    assert guard.too_far(guard.MAX_ROWS, guard.MAX_COLUMNS) is None
