"""A build killed at any instant: the next build repairs what it left, and the outputs
and the record agree — one good folder for the cut-off, no number taken twice."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from supervision_bulletin.record import CampaignRecord
from tests.compose import hand_campaign as hc

PERIOD = "2024-Q1"


def start_build(root: Path, out: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "supervision_bulletin.cli", "build", PERIOD, "--inputs", str(root), "--out", str(out), "--quiet",
         *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )


def published_numbers(out: Path) -> list[str]:
    manifest = json.loads((out / PERIOD / "manifest.json").read_text(encoding="utf-8"))
    return [d["number"] for d in manifest["documents"]]


def test_a_build_killed_at_random_instants_then_rebuilt_leaves_one_good_folder(tmp_path):
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
    out = tmp_path / "outputs"
    first = start_build(root, out)
    assert first.wait(timeout=300) == 0
    started = time.monotonic()
    # How long a whole build takes here: kill instants are drawn across it.
    rebuilt = start_build(root, out)
    assert rebuilt.wait(timeout=300) == 0
    whole = time.monotonic() - started
    chance = random.Random(2024)
    for _ in range(6):
        victim = start_build(root, out)
        time.sleep(chance.uniform(0.05, whole))
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=60)
        after = start_build(root, out)
        assert after.wait(timeout=300) == 0
        entries = sorted(p.name for p in out.iterdir())
        assert entries == [PERIOD], entries  # no half-swapped or staging folder left behind
        record = CampaignRecord(root / "registry.sqlite")
        recorded = [d.number for d in record.published("东湖督", 2024, PERIOD)]
        assert published_numbers(out) == recorded == ["东湖督〔2024〕1号", "东湖督〔2024〕2号"]
        assert [d.serial for d in record.documents()] == [1, 2]  # a killed build took no number


def session_processes(session: int) -> dict[int, str]:
    """pid → command line of the processes of a session (they keep it when orphaned)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_a_build_killed_alone_leaves_no_worker_or_render_server_running(tmp_path):
    # SIGKILL (kill -9, the out-of-memory killer) to the build's own process only: its
    # workers and the render server must not wait for it for ever.
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    victim = start_seen_with_workers(root, tmp_path / "outputs", {"TMPDIR": str(scratch)})  # not from the cache
    victim.kill()
    victim.wait(timeout=60)
    assert_session_ends(victim.pid)
    assert weasyprint_folders(scratch) == []


def weasyprint_folders(scratch: Path) -> list[str]:
    """WeasyPrint's temporary folders (it copies @font-face files into one unless they are registered in place)."""
    return [p.name for p in scratch.iterdir() if p.name.startswith("weasyprint")]


def assert_session_ends(session: int) -> None:
    deadline = time.monotonic() + 20
    while session_processes(session) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(session) == {}


def start_seen_with_workers(root: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A build that has forked its render server's workers (and so loaded WeasyPrint there)."""
    victim = subprocess.Popen(
        [sys.executable, "-m", "supervision_bulletin.cli", "build", PERIOD, "--inputs", str(root), "--out", str(out),
         "--quiet", "--no-cache"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), **(env or {})},
    )
    deadline = time.monotonic() + 120
    helpers: list[int] = []
    while time.monotonic() < deadline and victim.poll() is None:
        helpers = [pid for pid, command in session_processes(victim.pid).items()
                   if pid != victim.pid and "forkserver" in command]
        if len(helpers) >= 3:
            break
        time.sleep(0.02)
    assert victim.poll() is None and len(helpers) >= 3, "the build ended before its workers were seen"
    return victim


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["kill", "terminal-closed"])
def test_a_build_stopped_with_its_group_stops_cleanly_and_leaves_nothing(tmp_path, stop):
    # `kill` (or systemd, or timeout) and a closed terminal signal every process of the
    # build: it stops as on Ctrl-C, with the status of the signal.
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    victim = start_seen_with_workers(root, tmp_path / "outputs", {"TMPDIR": str(scratch)})
    os.killpg(victim.pid, stop)
    _, errors = victim.communicate(timeout=60)
    assert victim.returncode == 128 + stop
    assert "已中断，已有的输出保持不变" in errors.decode() and "Traceback" not in errors.decode()
    assert_session_ends(victim.pid)
    assert weasyprint_folders(scratch) == []
    assert not (tmp_path / "outputs" / PERIOD).exists()
    assert CampaignRecord(root / "registry.sqlite").documents() == []


def test_a_build_killed_outright_with_its_group_leaves_no_fonts_folder(tmp_path):
    # kill -9 to every process (docker kill, a service stopped by force): nobody can
    # clean up, so nothing must need it. WeasyPrint's copies of the @font-face files
    # (30 MB) used to stay in the temporary folder.
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    victim = start_seen_with_workers(root, tmp_path / "outputs", {"TMPDIR": str(scratch)})
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=60)
    assert_session_ends(victim.pid)
    assert weasyprint_folders(scratch) == []
