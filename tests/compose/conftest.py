"""Shared fixtures: the renderers (set up once), the sample and the hand-made campaign."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import check
from tests.compose import hand_campaign as hc

SAMPLE = Path(__file__).resolve().parents[2] / "inputs"


@pytest.fixture(scope="session")
def sample():
    return check(SAMPLE)


@pytest.fixture(scope="session")
def hand(tmp_path_factory):
    return check(hc.write_hand_campaign(tmp_path_factory.mktemp("hand") / "inputs"))
