"""The command line's frame speaks Chinese: none of click's English words reach the user."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli_zh import CATALOGUE, PLURALS

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
    for singular, (one, many) in PLURALS.items():
        assert fields(singular) == fields(one), singular
