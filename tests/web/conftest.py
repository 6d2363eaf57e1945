"""Workspaces and clients for the web application's tests.

A workspace is the sample campaign's settings and plan with the reports of a
few months (reports/2023-01.xlsx …), so that a monthly build takes seconds.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client and still takes httpx.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from supervision_bulletin.web.app import Settings, create_app
from supervision_bulletin.web.security import Password

SAMPLE = SAMPLE_CAMPAIGN
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def make_workspace(root: Path, months=(1,), answers: bool = False) -> Path:
    """root/inputs with campaign.yaml, plan.xlsx and the sample's reports of ``months``."""
    inputs = root / "inputs"
    (inputs / "reports").mkdir(parents=True)
    shutil.copy(SAMPLE / "campaign.yaml", inputs)
    shutil.copy(SAMPLE / "plan.xlsx", inputs)
    for month in months:
        source = SAMPLE / "reports" / f"2023-{month:02d}.xlsx"
        if source.exists():
            shutil.copy(source, inputs / "reports")
        else:
            shutil.copytree(SAMPLE / "reports" / f"2023-{month:02d}", inputs / "reports" / f"2023-{month:02d}")
    if answers:
        shutil.copytree(SAMPLE / "answers", inputs / "answers")
    return inputs


def sample_report(month: int) -> Path:
    return SAMPLE / "reports" / f"2023-{month:02d}.xlsx"


def with_cell(source: Path, target: Path, cell: str, value) -> Path:
    """A copy of a report workbook with one cell of sheet 填报 changed."""
    workbook = openpyxl.load_workbook(source)
    workbook["填报"][cell] = value
    workbook.save(target)
    return target


def token(client: TestClient, path: str = "/") -> str:
    match = _TOKEN.search(client.get(path).text)
    assert match, "the page carries the session's CSRF token"
    return match.group(1)


@pytest.fixture
def workspace(tmp_path) -> Path:
    return make_workspace(tmp_path)


@pytest.fixture
def client(workspace):
    app = create_app(Settings(workspace, workspace.parent / "outputs", warm=False))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def locked_client(workspace):
    """The application with a password (as on 0.0.0.0)."""
    app = create_app(Settings(workspace, workspace.parent / "outputs", Password("正确的密码-2023"), warm=False))
    with TestClient(app) as test_client:
        yield test_client
