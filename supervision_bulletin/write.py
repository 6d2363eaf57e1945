"""Write stage: the period's folder appears whole or not at all.

Everything is written into a hidden sibling folder first; only when every file
and the manifest are complete is it swapped in for the previous build, so an
interrupted or failed build leaves the earlier outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from supervision_bulletin.document import OfficialDocument

FORMATS = ("docx", "pdf", "html")
CONTENT_TYPES = "[Content_Types].xml"
ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip member can carry


@dataclass
class WrittenDocument:
    document: OfficialDocument
    files: dict[str, str] = field(default_factory=dict)  # format → path relative to the period folder


@contextmanager
def staging_folder(out_root: Path, label: str, clean: bool = True) -> Iterator[Path]:
    """Yield an empty folder to write into; it is gone afterwards, published or not.
    Callers hold the workspace's build lock, so any other staging folder is stale
    (``clean``: removed first), unless the caller itself opened it just before."""
    out_root.mkdir(parents=True, exist_ok=True)
    if clean:
        recover(out_root)
    staging = out_root / f".{label}.building-{os.getpid()}"
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, final: Path) -> None:
    """Swap ``staging`` in for ``final``: the old folder is set aside first, so a kill
    between the two renames leaves it where ``recover`` finds it."""
    retired = final.with_name(f".{final.name}.previous-{os.getpid()}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def recover(out_root: Path) -> None:
    """Finish what a killed build left: a folder set aside but never replaced goes
    back, and half-written staging folders and set-aside copies are removed."""
    for retired in sorted(out_root.glob(".*.previous-*")):
        final = out_root / retired.name[1:].rsplit(".previous-", 1)[0]
        if not final.exists():
            retired.rename(final)
        else:
            shutil.rmtree(retired, ignore_errors=True)
    for stale in out_root.glob(".*.building-*"):
        shutil.rmtree(stale, ignore_errors=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def manifest(
    folder: Path, period_label: str, campaign_name: str, written: list[WrittenDocument], extra: dict
) -> dict:
    documents = []
    for item in written:
        document = item.document
        entry = {
            "kind": document.kind,
            "title": document.title,
            "number": document.number,
            "unit": document.unit,
            "issuer": document.issuer,
            "date": document.date,
            "issued": iso(document.issued),
            "cutoff": iso(document.cutoff),
            "draft": document.draft,
            "files": dict(item.files),
            "sha256": {fmt: sha256(folder / path) for fmt, path in item.files.items()},
            "commended": list(document.commended),
            "criticised": list(document.criticised),
        }
        if document.kind == "notice":
            entry["deadline"] = iso(document.deadline)
            entry["escalated"] = document.escalated
            entry["answer"] = document.answer_state
        documents.append(entry)
    return {
        "period": period_label,
        "campaign": campaign_name,
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "documents": documents,
        **extra,
    }


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def write_manifest(folder: Path, data: dict) -> Path:
    path = folder / "manifest.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# reproducible packages --------------------------------------------------------------


def member_order(names: Iterable[str]) -> list[str]:
    """[Content_Types].xml first (as Word writes it), then every part by name."""
    names = list(names)
    return ([CONTENT_TYPES] if CONTENT_TYPES in names else []) + sorted(n for n in names if n != CONTENT_TYPES)


def reproducible_zip(data: bytes, when: dt.datetime, replaced: dict[str, bytes] | None = None) -> bytes:
    """The package rewritten with one fixed time on every member, in a fixed order,
    and with the attributes that would otherwise follow the machine that wrote it."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in member_order(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # as Word writes it, whatever system builds
            info.external_attr = 0
            target.writestr(info, (replaced or {}).get(name) or source.read(name))
    return out.getvalue()
