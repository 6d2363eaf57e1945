"""The files shipped inside the package: templates, the sample campaign, the font aliases.

Found through importlib.resources, so an installed wheel finds them exactly as a
checkout does. The package is always installed unzipped (pip never zips it), so
each resource is a real folder on disk that WeasyPrint, docxtpl and shutil can read.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_path(*parts: str) -> Path:
    resource = files("supervision_bulletin").joinpath(*parts)
    if not isinstance(resource, Path):  # a zipped install: nothing here can read from it
        raise RuntimeError(f"supervision_bulletin 需解压安装（pip install），无法读取 {resource}")
    return resource


TEMPLATES = package_path("templates")
SAMPLE_CAMPAIGN = package_path("sample")
# fontconfig aliases: 仿宋_GB2312, 方正小标宋简体 … → the open faces of the same style.
FONT_ALIASES = package_path("fonts", "65-gbt9704-official-faces.conf")
