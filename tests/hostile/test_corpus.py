"""Every case of the hostile corpus through the command line, as a user would meet it.

Each must come to its exit code, with a Chinese message naming the place for a
refusal, no traceback, nothing written outside outputs/ (the number registry
in the inputs aside) and the earlier outputs as they were.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from supervision_bulletin.cli import main
from supervision_bulletin.filenames import MAX_NAME_BYTES, clash_key, is_reserved
from supervision_bulletin.record import BACKUP_SUFFIX, LOCK_FILE, RECORD_FILE
from tests import campaign_factory as cf
from tests.hostile.corpus import CASES, SECRET, Case, make_case

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
EARLIER = "2024-Q3"  # a folder of earlier outputs that a failed build must leave alone
# The record a build keeps beside the inputs: its file, its backup copy and the build lock.
RECORD_FILES = (RECORD_FILE, RECORD_FILE + BACKUP_SUFFIX, LOCK_FILE)


def snapshot(folder: Path, skip: tuple[Path, ...]) -> dict[str, bytes | str]:
    """Every entry under ``folder`` but those under ``skip``, by content (links by target)."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if any(path == s or s in path.parents for s in skip) or path.name in RECORD_FILES:
            continue
        if path.is_symlink():
            found[str(path)] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[str(path)] = path.read_bytes()
        else:
            found[str(path)] = "dir" if path.is_dir() else "special"
    return found


def earlier_outputs(out: Path) -> dict[str, bytes | str]:
    for label in (EARLIER, "2024-06"):
        folder = out / label
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({"period": label, "earlier": True}), encoding="utf-8")
    return snapshot(out, ())


def run(case: Case, root: Path, out: Path):
    options = [] if case.command[0] == "check" else ["--out", str(out)]
    return CliRunner().invoke(main, [*case.command, "--inputs", str(root), *options])


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, tmp_path):
    root = make_case(case, tmp_path / "workspace")
    out = tmp_path / "workspace" / "outputs"
    before_outputs = earlier_outputs(out)
    before = snapshot(tmp_path, (out,))
    result = run(case, root, out)
    assert result.exit_code == case.exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    for words in case.says:
        assert words in result.output, f"缺少“{words}”：\n{result.output}"
    if case.exit_code:
        assert CHINESE.search(result.output) and "问题" in result.output
    assert SECRET not in result.output
    assert snapshot(tmp_path, (out,)) == before, "wrote outside outputs/"
    after_outputs = snapshot(out, ())
    built = out / case.command[1] if case.command[0] == "build" else None
    for path, content in before_outputs.items():
        if built is None or case.exit_code or not path.startswith(str(built)):
            assert after_outputs.get(path) == content, f"{path} changed"
    for check in case.checks:
        CHECKS[check](case, out)


# checks on what a successful case wrote ------------------------------------------------


def written_workbooks(case: Case, out: Path) -> list[Path]:
    folder = out / case.command[1] if case.command[0] == "build" else out / "forms" / case.command[1]
    return sorted(folder.glob("*.xlsx"))


def no_formulas(case: Case, out: Path) -> None:
    """No <f> element in any sheet, and every text starting like a formula a string cell."""
    books = written_workbooks(case, out)
    assert books
    starts = 0
    for path in books:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), (path, name)
        for sheet in load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.data_type == "s" and cell.quotePrefix, (path.name, cell.coordinate)
                        starts += 1
    assert starts, "the case put no formula-like text in the workbooks"


def unique_files(case: Case, out: Path) -> None:
    """Every file of the folder safe for Windows and unique in it; the manifest lists each once."""
    if case.command[0] == "build":
        folder = out / case.command[1]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = [name for document in manifest["documents"] for name in document["files"].values()]
        assert len(files) == len(set(files)) == 3 * len(manifest["documents"])
        assert sum(1 for d in manifest["documents"] if d["kind"] == "notice") >= 2
    else:
        folder = out / "forms" / case.command[1]
        units = load_workbook(out.parent / "inputs" / "plan.xlsx")["单位"].max_row - 1
        assert len(list(folder.iterdir())) == units  # one form each, none lost to a clash
    names = [path.name for path in folder.iterdir()]
    assert len({clash_key(name) for name in names}) == len(names)
    for name in names:
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES, name
        assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', name) and not name.rstrip().endswith((".", " ")), name
        assert not is_reserved(name), name


def ledger_reconciles(case: Case, out: Path) -> None:
    sheet = load_workbook(out / case.command[1] / "intake.xlsx")["汇总"]
    assert next(row for row in sheet.iter_rows(values_only=True) if row[0] and "核对" in row[0])[1] == "相符"
    details = load_workbook(out / case.command[1] / "intake.xlsx")["逐行明细"]
    text = "".join(str(value) for row in details.iter_rows(values_only=True) for value in row if value)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\ufffe\u200b\u202e]", text)


CHECKS = {"no-formulas": no_formulas, "unique-files": unique_files, "ledger": ledger_reconciles}


# Ctrl-C ----------------------------------------------------------------------------------


@pytest.mark.parametrize("to_every_process", [False, True], ids=["to-the-build", "as-the-terminal-sends-it"])
def test_ctrl_c_exits_130_in_chinese_and_keeps_the_earlier_outputs(tmp_path, to_every_process):
    root = cf.make_campaign(tmp_path / "inputs")
    out = tmp_path / "outputs"
    before = earlier_outputs(out)
    # --no-cache: a document another test made would be copied in a moment, leaving nothing to interrupt.
    command = [sys.executable, "-c", "from supervision_bulletin.cli import main; main()", "build", "2024-Q3",
               "--inputs", str(root), "--out", str(out), "--no-cache"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment,
                               start_new_session=to_every_process)
    # Interrupted once it is under way: the first progress line is on stderr.
    first = process.stderr.readline()
    assert "读取" in first.decode("utf-8")
    time.sleep(0.3)
    if to_every_process:  # its workers and its render server too, as Ctrl-C at a terminal
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the build finished before the interrupt arrived")
    text = stderr.decode("utf-8")
    assert process.returncode == 130, text
    assert "已中断" in text and "Aborted" not in text and "Traceback" not in text
    assert snapshot(out, ()) == before
