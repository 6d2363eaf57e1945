"""The workspace as the web application keeps it warm: checked inputs, renderers,
and the checking and placing of uploaded files.

A build from the page calls the same functions as `bulletin build`; what is
kept between requests is only what does not change unless a file does:
- the checked inputs (``check()``), keyed on the path, size and modification
  time of every file under inputs/, so any change is read afresh;
- the renderers (fonts, templates, CSS), set up once per process.

An uploaded file is checked by `bulletin check` itself, on a temporary copy of
inputs/ with the file added where it will go; it is kept only if it brings no
problem of its own, and then lands where a user would have put it by hand:
inputs/reports/YYYY-MM/<name> for a month's report, inputs/answers/<name> for
an answer to a notice.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from supervision_bulletin import guard
from supervision_bulletin.build import check
from supervision_bulletin.filenames import safe_stem
from supervision_bulletin.follow_up import check_answers
from supervision_bulletin.model import Inputs
from supervision_bulletin.problems import InputError, Problem
from supervision_bulletin.record import BACKUP_SUFFIX, LOCK_FILE, RECORD_FILE, CampaignRecord
from supervision_bulletin.render import Renderers
from supervision_bulletin.render.produce import warm_up
from supervision_bulletin.resources import TEMPLATES

UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".csv")
MAX_UPLOAD_BYTES = guard.MAX_FILE_BYTES  # the loader reads nothing larger
NOT_INPUTS = (RECORD_FILE, RECORD_FILE + BACKUP_SUFFIX, LOCK_FILE, RECORD_FILE + "-journal")
REPLACED_FOLDER = "被替换的上传文件"  # under outputs/: a file an upload replaced, kept just in case

REPORT, ANSWER = "report", "answer"


class UploadRefused(ValueError):
    """An upload refused before any check: its name, type or size. ``str`` is for the user."""


# warm state -------------------------------------------------------------------------

_renderers: Renderers | None = None
_renderers_lock = threading.Lock()


def shared_renderers() -> Renderers:
    """The renderers of this process, set up on first use (fonts, templates, CSS)."""
    global _renderers  # noqa: PLW0603 - one set per process, made on first use
    with _renderers_lock:
        if _renderers is None:
            _renderers = Renderers.load(TEMPLATES)
        return _renderers


def warm_renderers() -> None:
    """What the application does as it starts: the renderers set up, and a first
    document made and thrown away, so that every build's workers start warm."""
    warm_up(shared_renderers())


def fingerprint(inputs_dir: Path) -> tuple:
    """(path, size, mtime) of every file under inputs/ but the record and the lock:
    any file added, removed, replaced or edited gives another fingerprint."""
    found = []
    for folder, dirs, files in os.walk(inputs_dir):
        dirs.sort()
        here = Path(folder)
        for name in sorted(files) + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            if here == inputs_dir and name in NOT_INPUTS:
                continue
            try:
                info = path.lstat()
            except OSError:
                continue
            found.append((str(path.relative_to(inputs_dir)), info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(found)


@dataclass
class Checked:
    """One `bulletin check` of the inputs: the inputs, or every problem found."""

    fingerprint: tuple
    inputs: Inputs | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Trial:
    """An uploaded file as `bulletin check` found it in its place."""

    original: str  # the name it was uploaded under
    target: str  # where it goes, relative to inputs/ ("reports/2023-10/区发改委.xlsx")
    accepted: bool
    problems: tuple[Problem, ...] = ()  # problems it brings (a rejected file)
    earlier: int = 0  # problems the inputs had before it, not of its making
    warnings: tuple[str, ...] = ()
    replaced: bool = False  # a file of that name was there and was replaced
    rows: dict[str, int] = field(default_factory=dict)  # its rows by outcome (采用 …)
    refusal: str = ""  # refused before any check (name, type, size)


class Workspace:
    """inputs/ and outputs/ of one campaign, with what is kept warm between requests."""

    def __init__(self, inputs_dir: Path, out_dir: Path):
        self.inputs_dir = Path(inputs_dir).resolve()
        self.out_dir = Path(out_dir).resolve()
        self._checked: Checked | None = None
        self._check_lock = threading.Lock()
        self._upload_lock = threading.Lock()

    @property
    def record(self) -> CampaignRecord:
        return CampaignRecord(self.inputs_dir / RECORD_FILE)

    def renderers(self) -> Renderers:
        return shared_renderers()

    # checking ------------------------------------------------------------------------

    def checked(self) -> Checked:
        """`bulletin check` of inputs/, read again only when a file changed."""
        with self._check_lock:
            print_ = fingerprint(self.inputs_dir)
            if self._checked is None or self._checked.fingerprint != print_:
                self._checked = run_check(self.inputs_dir, print_)
            return self._checked

    def inputs(self) -> Inputs:
        """The checked inputs; raises InputError as `bulletin check` would."""
        checked = self.checked()
        if checked.inputs is None:
            raise InputError(list(checked.problems))
        return checked.inputs

    # uploads ------------------------------------------------------------------------

    def target_for(self, kind: str, filename: str, month: str | None) -> str:
        """Where an upload goes, relative to inputs/; raises UploadRefused."""
        name = upload_name(filename)
        if kind == ANSWER:
            relative = PurePosixPath("answers") / name
        elif kind == REPORT:
            if not month or not is_month_label(month):
                raise UploadRefused("请选择月报所属的月份（年-月，如 2023-10）")
            relative = PurePosixPath("reports") / month / name
        else:
            raise UploadRefused("请选择上传的是月报还是整改反馈")
        target = (self.inputs_dir / relative).resolve()
        if not target.is_relative_to(self.inputs_dir) or target.parent == self.inputs_dir:
            raise UploadRefused(f"文件名“{filename}”无法安全地放入输入文件夹，请改名后重试")
        return relative.as_posix()

    def try_upload(self, kind: str, filename: str, data: bytes, month: str | None = None) -> Trial:
        """Check ``data`` as if it were in its place; keep it there only if it brings no
        problem. Uploads are taken one at a time, each seeing the ones before it."""
        shown = PureWindowsPath(filename or "").name or "（未命名）"
        if len(data) > MAX_UPLOAD_BYTES:
            return Trial(shown, "", False, refusal=(
                f"文件大小 {guard.megabytes(len(data))}，超过上传上限 {guard.megabytes(MAX_UPLOAD_BYTES)}："
                "月报和反馈表一般不足 1 MB，请检查是否选错了文件"))
        if not data:
            return Trial(shown, "", False, refusal="文件是空的（0 字节），请检查是否选错了文件")
        try:
            relative = self.target_for(kind, filename, month)
        except UploadRefused as refused:
            return Trial(shown, "", False, refusal=str(refused))
        with self._upload_lock:
            before = self.checked()
            settings = [p for p in before.problems if not p.location.file.startswith(("reports", "answers"))]
            if settings:
                # Without a readable campaign.yaml and plan a report cannot be checked at all.
                files = "、".join(dict.fromkeys(p.location.file for p in settings))
                return Trial(shown, relative, False, refusal=(
                    f"{files} 中有问题（见下方“输入文件有问题”），在改正之前无法检查上传的表格，文件没有保存。"))
            trial = trial_check(self.inputs_dir, relative, data)
            earlier = set(before.problems)
            own = tuple(p for p in trial.problems if p not in earlier or p.location.file == relative)
            replaced = (self.inputs_dir / relative).exists()
            if own:
                return Trial(shown, relative, False, own, len(earlier), replaced=replaced)
            warnings = answer_warnings(trial.inputs, self.record, relative) if kind == ANSWER else ()
            self.place(relative, data)
            return Trial(shown, relative, True, (), len(earlier), warnings, replaced, trial.rows_of(relative))

    def place(self, relative: str, data: bytes) -> None:
        """Write the file in its place whole (a hidden temporary name, then a rename),
        keeping a file it replaces under outputs/."""
        target = self.inputs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            keep = self.out_dir / REPLACED_FOLDER / stamp / relative
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, keep)
        handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


# helpers ---------------------------------------------------------------------------


def run_check(inputs_dir: Path, print_: tuple) -> Checked:
    try:
        return Checked(print_, check(inputs_dir))
    except InputError as error:
        return Checked(print_, None, tuple(error.problems))


def is_month_label(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12


def upload_name(filename: str) -> str:
    """A safe file name for an upload: its last path part only (``../../x.xlsx`` → ``x.xlsx``,
    also with Windows separators), Windows- and Linux-safe (supervision_bulletin.filenames), never a
    name the loader skips (hidden ``.x``, Office lock ``~$x``)."""
    base = PurePosixPath(PureWindowsPath(filename or "").name).name
    suffix = PurePosixPath(base).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadRefused(
            f"“{base or filename}”不是表格文件：请上传 Excel 工作簿（.xlsx、.xls）、WPS 表格（.et）或 CSV 文件"
        )
    stem = base[: -len(suffix)].lstrip(".~$ ").strip() or "上传文件"
    return safe_stem(stem) + suffix


@dataclass
class TrialResult:
    inputs: Inputs | None
    problems: tuple[Problem, ...]

    def rows_of(self, relative: str) -> dict[str, int]:
        if self.inputs is None or self.inputs.ledger is None:
            return {}
        counts: dict[str, int] = {}
        for row in self.inputs.ledger.rows:
            if row.location.file == relative:
                counts[row.outcome] = counts.get(row.outcome, 0) + 1
        return counts


def trial_check(inputs_dir: Path, relative: str, data: bytes) -> TrialResult:
    """`bulletin check` on a temporary copy of inputs/ with the file in its place."""
    with tempfile.TemporaryDirectory(prefix="bulletin-upload-") as folder:
        copy = Path(folder) / "inputs"
        shutil.copytree(inputs_dir, copy, symlinks=True, ignore=ignore_not_inputs(inputs_dir))
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        try:
            return TrialResult(check(copy), ())
        except InputError as error:
            return TrialResult(None, tuple(error.problems))


def ignore_not_inputs(inputs_dir: Path):
    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder).resolve() != inputs_dir:
            return []
        return [name for name in names if name in NOT_INPUTS]

    return ignore


def answer_warnings(inputs: Inputs | None, record: CampaignRecord, relative: str) -> tuple[str, ...]:
    """What the next build will say of the new answers (follow_up.check_answers, as of
    today): a number the record does not hold yet, or a notice sent to another unit."""
    if inputs is None:
        return ()
    mine = tuple(a for a in inputs.answers if a.location is not None and a.location.file == relative)
    campaign = inputs.campaign
    try:
        check_answers(mine, record.documents(campaign.code, campaign.year), dt.date.today())
    except InputError as error:
        return tuple(str(problem) for problem in error.problems)
    except RuntimeError:
        return ()
    return ()
