"""Shared fixtures: the renderers (set up once), the sample and the hand-made campaign."""

from __future__ import annotations

import pytest

from supervision_bulletin.build import check
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from tests.compose import hand_campaign as hc

SAMPLE = SAMPLE_CAMPAIGN


@pytest.fixture(scope="session")
def sample():
    return check(SAMPLE)


@pytest.fixture(scope="session")
def hand(tmp_path_factory):
    return check(hc.write_hand_campaign(tmp_path_factory.mktemp("hand") / "inputs"))
