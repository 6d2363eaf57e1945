"""The package as a user installs it: a wheel, in a new virtual environment, far from the checkout.

The wheel must carry everything a build reads (templates, the sample campaign,
the font aliases), found through importlib.resources rather than next to a
source tree. The new environment gets the wheel alone; its dependencies come
from this test's own environment through a path entry, so no network is needed
and the checkout itself is never importable there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]


def run(command: list[str | Path], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=environment, capture_output=True,
                            text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy, so the checkout gains no build/ or egg-info folder.
    source = tmp_path_factory.mktemp("source")
    shutil.copy(CHECKOUT / "pyproject.toml", source)
    shutil.copy(CHECKOUT / "README.md", source)
    shutil.copytree(CHECKOUT / "supervision_bulletin", source / "supervision_bulletin",
                    ignore=shutil.ignore_patterns("__pycache__", "registry.sqlite*", ".bulletin-build.lock"))
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, source], cwd=dist)
    (built,) = dist.glob("supervision_bulletin-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtual environment holding the wheel; returns its bin folder."""
    home = tmp_path_factory.mktemp("fresh") / "venv"
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel], cwd=home)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=home).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return home / "bin"


def test_the_wheel_carries_templates_sample_and_font_aliases(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("supervision_bulletin/templates/docx/standard.docx", "supervision_bulletin/templates/html/print.css",
                     "supervision_bulletin/templates/site/index.html", "supervision_bulletin/sample/campaign.yaml",
                     "supervision_bulletin/sample/plan.xlsx", "supervision_bulletin/sample/reports/2023-01.xlsx",
                     "supervision_bulletin/fonts/65-gbt9704-official-faces.conf", "supervision_bulletin/py.typed",
                     "supervision_bulletin/web/static/htmx.min.js"):
        assert expected in names
    assert not any("registry.sqlite" in name for name in names)


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    where = run([installed / "python", "-c", "import supervision_bulletin; print(supervision_bulletin.__file__)"],
                cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(installed.parent)
    assert not Path(where).is_relative_to(CHECKOUT)


def test_init_and_build_from_the_installed_wheel(installed, tmp_path):
    bulletin = installed / "bulletin"
    workspace = tmp_path / "工作区"
    said = run([bulletin, "init", workspace], cwd=tmp_path).stdout
    assert "已在" in said and (workspace / "inputs" / "campaign.yaml").is_file()
    run([bulletin, "check"], cwd=workspace)
    # The sample's answers cite notices of earlier bulletins: its year is built in date order.
    run([bulletin, "build", "2023", "--all", "--quiet"], cwd=workspace)
    quarter = workspace / "outputs" / "2023-Q3"
    manifest = json.loads((quarter / "manifest.json").read_text(encoding="utf-8"))
    kinds = {document["kind"] for document in manifest["documents"]}
    assert "quarterly_bulletin" in kinds
    for document in manifest["documents"]:
        for name in document["files"].values():
            assert (quarter / name).stat().st_size > 0
    again = run([bulletin, "build", "2023-Q3", "--quiet"], cwd=workspace)
    assert again.returncode == 0
