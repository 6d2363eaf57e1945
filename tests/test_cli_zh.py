"""The command line's frame speaks Chinese: none of click's English words reach the user."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from supervision_bulletin.cli import main
from supervision_bulletin.cli_zh import CATALOGUE, PLURALS

CLICK_WORDS = ("Usage", "Options", "Error", "Missing", "Did you mean", "Invalid value", "No such", "Try ",
               "Show this message", "Aborted", "Commands", "[OPTIONS]", "COMMAND", "TEXT")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["build", "--help"],
        ["forms", "--help"],
        ["build"],
        ["buidl", "2023"],
        ["build", "2023", "--foo"],
        ["build", "2023-13"],
        ["build", "2023", "--verify", "loose"],
        ["build", "2023-Q3", "--date", "十月九日"],
        ["verify", "/no/such/file.pdf"],
        ["forms", "2023-13"],
    ],
)
def test_no_english_word_of_clicks_in_any_message(args):
    result = CliRunner().invoke(main, args)
    for word in CLICK_WORDS:
        assert word not in result.output, f"“{word}” in: {result.output}"


def test_usage_errors_keep_exit_code_2():
    assert CliRunner().invoke(main, ["build"]).exit_code == 2


def test_every_translation_keeps_the_placeholders():
    import re

    def fields(text):
        return sorted(re.findall(r"\{[^}]*\}|%\(\w+\)s", text))

    for english, chinese in CATALOGUE.items():
        assert fields(english) == fields(chinese), english
    for singular, (one, _many) in PLURALS.items():
        assert fields(singular) == fields(one), singular


def test_init_empty_gives_a_blank_campaign_that_check_explains(tmp_path):
    from openpyxl import load_workbook

    result = CliRunner().invoke(main, ["init", str(tmp_path / "新活动"), "--empty"])
    assert result.exit_code == 0, result.output
    inputs = tmp_path / "新活动" / "inputs"
    assert "report_due_day" in (inputs / "campaign.yaml").read_text(encoding="utf-8")
    plan = load_workbook(inputs / "plan.xlsx")
    assert plan.sheetnames == ["单位", "任务", "指标", "分解"]
    assert [c.value for c in plan["指标"][2]][:3] == ["指标编号", "任务编号", "指标名称"]
    assert plan["单位"].data_validations.dataValidation  # dropdowns for 类型 and 督查对象
    checked = CliRunner().invoke(main, ["check", "--inputs", str(inputs)])
    assert checked.exit_code == 1
    assert "工作表“单位”中还没有任何单位" in checked.output and "工作表“指标”中还没有任何指标" in checked.output


@pytest.mark.parametrize("command", [[], *([name] for name in main.commands)])
def test_every_help_fits_80_columns_counting_chinese_characters_as_two(command):
    from rich.cells import cell_len

    result = CliRunner().invoke(main, [*command, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, "\n".join(line for line in lines if cell_len(line) > 80)
    assert not [line for line in lines if line.rstrip().endswith(("（", "[", "“"))]
    assert not [line for line in lines if line.lstrip().startswith(("，", "。", "、", "）"))]


def test_chinese_help_is_wrapped_between_characters_and_never_inside_a_latin_word():
    from supervision_bulletin.cli_zh import wrap_cells

    lines = wrap_cells("按 GB/T 9704-2012 核验生成的 Word 和 PDF：strict 发现问题即不发布", 20)
    assert all(len(line.encode("gbk")) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "按GB/T9704-2012核验生成的Word和PDF：strict发现问题即不发布"
    assert any("9704-2012" in line for line in lines) and any("Word" in line for line in lines)
