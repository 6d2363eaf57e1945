"""The command line's frame in Chinese: click's own words (Usage, Options, Error …).

click marks every message it prints for translation with gettext's ``_`` and
``ngettext``, looked up in each of its modules at call time. The users of this
tool read Chinese whatever the machine's locale, so ``use_chinese`` binds those
names, in click's modules, to this catalogue; an unknown message falls back to
click's English rather than failing. Help is wrapped by terminal columns (a
Chinese character is two), so it fits an 80-column terminal.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

import click
from rich.cells import cell_len

from supervision_bulletin.kinsoku import NO_LINE_END, NO_LINE_START

CLICK_MODULES = (
    "click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
    "click.termui", "click.types", "click.utils", "click.shell_completion", "click._termui_impl",
)

CATALOGUE = {
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "(dynamic)": "（动态）",
    "Aborted!": "已中断，已有的输出保持不变。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Choose from:\n\t{choices}": "可选值：\n\t{choices}",
    "Commands": "命令",
    "Confirm the action without prompting.": "不提示确认，直接执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Couldn't detect Bash version, shell completion is not supported.": "无法识别 Bash 版本，不支持命令补全。",
    "Do you want to continue?": "是否继续？",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Error: {message}": "错误：{message}",
    "Invalid start character for option ({option})": "选项的首字符无效（{option}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Options": "选项",
    "Positional arguments": "位置参数",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再次输入以确认",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以前的版本不支持命令补全。",
    "Show the version and exit.": "显示版本后退出。",
    "Show this message and exit.": "显示本帮助后退出。",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Unknown color {colour!r}": "未知颜色 {colour!r}",
    "Usage:": "用法：",
    "Value must be an iterable.": "值必须是可迭代的。",
    "default: {default}": "默认：{default}",
    "deprecated": "已停用",
    "directory": "文件夹",
    "env var: {var}": "环境变量：{var}",
    "file": "文件",
    "path": "路径",
    "unknown error": "未知错误",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，应为文件。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为文件夹。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
}
PLURALS = {
    "Did you mean {possibility}?": ("是否应为 {possibility}？", "（是否应为以下之一：{possibilities}？）"),
    "Got unexpected extra argument ({args})": ("多余的参数（{args}）", "多余的参数（{args}）"),
    "Option {name!r} requires an argument.": ("选项 {name!r} 需要一个值。", "选项 {name!r} 需要 {nargs} 个值。"),
    "Takes {nargs} values but 1 was given.": ("需要 {nargs} 个值，只给了 1 个。", "需要 {nargs} 个值，给了 {len} 个。"),
    "{len_type} values are required, but {len_value} was given.": (
        "需要 {len_type} 个值，给了 {len_value} 个。", "需要 {len_type} 个值，给了 {len_value} 个。"),
    "{value!r} does not match the format {format}.": (
        "{value!r} 不符合格式 {format}。", "{value!r} 不符合以下任一格式：{formats}。"),
    "{value!r} is not {choice}.": ("{value!r} 不是 {choice}。", "{value!r} 不是以下之一：{choices}。"),
}


def translate(message: str) -> str:
    return CATALOGUE.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    forms = PLURALS.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count == 1 else forms[1]


def use_chinese() -> None:
    """Bind click's message functions to the catalogue (idempotent)."""
    for name in CLICK_MODULES:
        try:
            module: Any = importlib.import_module(name)  # its attributes are replaced below
        except ImportError:  # a module of another platform (click._winconsole) or version
            continue
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural
    click.Context.formatter_class = ChineseHelpFormatter


# help text -------------------------------------------------------------------------

_TOKENS = re.compile(r"[A-Za-z0-9_\-./:=\[\]<>@'\"+]+|\s+|.")


def joined_paragraph(lines: list[str]) -> str:
    """A docstring paragraph as one line: no space is put between Chinese characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and line and (cell_len(text[-1]) == 2 or cell_len(line[0]) == 2):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


def wrap_cells(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, broken between Chinese characters or at
    spaces, never inside a Latin word or figure, never before closing punctuation."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if cell_len(line + token) <= width or not line.strip():
            line += token
        elif token.isspace():
            lines.append(line.rstrip())
            line = ""
        elif token in NO_LINE_START and len(line) > 1:
            # The character before it goes along, with any closing marks between them.
            split = len(line) - 1
            while split > 1 and line[split] in NO_LINE_START:
                split -= 1
            lines.append(line[:split].rstrip())
            line = line[split:] + token
        else:
            kept = line.rstrip()
            carried = kept[-1] if kept and kept[-1] in NO_LINE_END and len(kept) > 1 else ""
            lines.append(kept[: len(kept) - len(carried)].rstrip())
            line = carried + token
    lines.append(line.rstrip())
    return lines


def paragraphs(text: str) -> list[str]:
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(joined_paragraph(current))
            current = []
    if current:
        blocks.append(joined_paragraph(current))
    return blocks


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help, measured in terminal columns rather than characters, so that
    Chinese help fits the terminal's width (80 columns by default) instead of
    running past it by as many columns as it has Chinese characters."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        width = max(self.width - self.current_indent, 20)
        blocks = [[indent + line for line in wrap_cells(block, width)] for block in paragraphs(text)]
        self.write("\n\n".join("\n".join(block) for block in blocks))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - self.current_indent, 10)
            lines = [line for block in paragraphs(second) for line in wrap_cells(block, width)] or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")
