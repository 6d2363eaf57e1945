"""What the loader refuses before it reads a file, and the sizes it reads at most.

Input files come from many hands (units e-mail them, staff copy them in from
chat apps and USB sticks), so a file may be damaged, crafted or simply not what
its name says. Nothing here trusts a file's own account of itself: a symlink is
resolved before it is followed, a zip archive's unpacked size is added up
before it is opened, a sheet's size is taken from the cells it really holds,
and YAML is read without aliases. Each refusal is a sentence for the user
naming the file; none quotes a file that is not an input.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import yaml

# Far above any real input (the sample plan is 20 KB, a district's monthly
# workbook a few hundred KB), far below what would exhaust a small server.
MAX_FILE_BYTES = 16 * 2**20
MAX_UNPACKED_BYTES = 32 * 2**20  # all members of one .xlsx, as its zip directory declares them
MAX_MEMBERS = 2_000  # an .xlsx of one sheet has about ten
MAX_YAML_BYTES = 256 * 2**10
# A plan has hundreds of rows, a month's report of a district a few thousand.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_MERGES = 2_000


class Refused(Exception):
    """A file the loader will not read; ``message`` tells the user why and what to do."""

    def __init__(self, message: str, sheet: str | None = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size < 10 * 2**20 else f"{size // 2**20} MB"


def check_file(path: Path, root: Path, limit: int = MAX_FILE_BYTES) -> None:
    """A regular file inside the inputs folder, of a size an input can have."""
    if not is_inside(path, root):
        raise Refused(
            "是指向输入文件夹以外的链接（快捷方式），为防止读入无关或敏感的文件，不予读取："
            "请把文件本身复制到输入文件夹中"
        )
    try:
        info = path.stat()
    except OSError:
        raise Refused("无法打开：文件不存在或是失效的链接") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("不是普通文件（可能是设备、管道或其他特殊文件），不予读取")
    if info.st_size > limit:
        raise Refused(
            f"文件大小 {megabytes(info.st_size)}，超过可读取的上限 {megabytes(limit)}："
            "任务方案和月报一般不足 1 MB，请检查是否放错了文件"
        )


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every link on the way followed, is still inside ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def check_archive(raw: bytes) -> None:
    """An .xlsx is a zip archive: refuse one that would unpack to far more than any
    workbook (a zip bomb) before any XML of it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return  # not readable at all: openpyxl says so in the usual words
    if len(members) > MAX_MEMBERS:
        raise Refused(f"压缩包中有 {len(members)} 个部件，不像 Excel 工作簿，可能已损坏或是恶意构造的文件：请用 Excel 或 WPS 打开后另存为 .xlsx")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise Refused(
            f"解压后有 {megabytes(unpacked)}，超过可读取的上限 {megabytes(MAX_UNPACKED_BYTES)}，"
            "可能已损坏或是恶意构造的文件：请用 Excel 或 WPS 打开，确认内容后另存为 .xlsx"
        )


def too_far(row: int, column: int) -> str | None:
    """Why a filled cell at (row, column), both 1-based, is beyond what is read."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column) if 1 <= column <= 18278 else f"第{column}"
    where = f"第{row}行{letter}列"
    if row > MAX_ROWS:
        return f"{where}有内容，超出可读取的范围（最多 {MAX_ROWS} 行）：请删去表格以外的内容，或把数据分成几个文件"
    if column > MAX_COLUMNS:
        return f"{where}有内容，超出可读取的范围（最多 {MAX_COLUMNS} 列）：请删去表格以外的内容"
    return None


# campaign.yaml ---------------------------------------------------------------------


class AliasRefused(yaml.composer.ComposerError):
    """An anchor or alias in campaign.yaml; ``problem`` is the user's sentence."""

    problem: str  # both always given (NoAliasLoader), where YAML's errors may have none
    problem_mark: yaml.Mark


class NoAliasLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases (&name, *name).

    campaign.yaml needs neither, and an alias is how a 1 KB file unfolds into
    gigabytes (the "billion laughs"): each one would be expanded in memory.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            raise AliasRefused(
                None, None, f"不支持 YAML 的锚点和别名（&{anchor or ''}、*{anchor or ''}）：请把每项设置直接写出", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str):
    return yaml.load(text, Loader=NoAliasLoader)  # a SafeLoader subclass: not yaml's unsafe load


def load_yaml_with_rows(text: str) -> tuple[object, dict[tuple, int]]:
    """The document, and the row (1-based) of every key and list item in it, by key
    path: ("rules", "severe_gap") → 12. A scalar value is placed on its own row, so
    a value continued on the next line is found there."""
    loader = NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        try:
            data = loader.construct_document(node) if node is not None else None
        except ValueError:  # a date such as 2027-13-01: YAML reads it as one and fails
            raise impossible_date(node) from None
    finally:
        loader.dispose()
    return data, node_rows(node)


def impossible_date(root) -> Refused:
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return Refused(f"日期“{node.value}”不存在：请检查年、月、日", row=node.start_mark.line + 1)
        elif isinstance(node, yaml.MappingNode):
            pending.extend(value for pair in node.value for value in pair)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return Refused("含有无法读取的值：请检查其中的日期和数字")


def node_rows(root) -> dict[tuple, int]:
    rows: dict[tuple, int] = {}
    pending: list[tuple[tuple, Any]] = [((), root)]
    while pending:  # not recursive: nesting is as deep as the file makes it
        path, node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            children = [(key.value, key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            children = [(index, item, item) for index, item in enumerate(node.value)]
        else:
            continue
        for part, key, value in children:
            at = value if isinstance(value, yaml.ScalarNode) and value.value != "" else key
            rows[(*path, part)] = at.start_mark.line + 1
            pending.append(((*path, part), value))
    return rows

