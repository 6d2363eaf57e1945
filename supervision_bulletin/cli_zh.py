"""The command line's frame in Chinese: click's own words (Usage, Options, Error …).

click marks every message it prints for translation with gettext's ``_`` and
``ngettext``, looked up in each of its modules at call time. The users of this
tool read Chinese whatever the machine's locale, so ``use_chinese`` binds those
names, in click's modules, to this catalogue; an unknown message falls back to
click's English rather than failing.
"""

from __future__ import annotations

import importlib
from typing import Any

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
