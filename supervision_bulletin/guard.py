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
