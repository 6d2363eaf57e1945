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

from supervision_bulletin.record import CampaignRecord
from tests.compose import hand_campaign as hc

PERIOD = "2024-Q1"


def start_build(root: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "supervision_bulletin.cli", "build", PERIOD, "--inputs", str(root), "--out", str(out), "--quiet"],
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
