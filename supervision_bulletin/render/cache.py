"""A content-addressed store of rendered and verified documents.

An entry's key is the SHA-256 of everything its files are made from: the composed
document (every field, in a canonical form) and the renderers' fingerprint (the
templates' bytes, the style sheets, the font files, the package's and the
rendering libraries' versions). Changing any of these changes the key, so an entry
is never stale; it is only ever unused, and the oldest unused entries are pruned.

Only documents that passed verification are stored. Each entry records its files'
hashes, checked on every fetch, so a damaged entry is rebuilt rather than copied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supervision_bulletin.memo import user_cache_folder
from supervision_bulletin.write import sha256

ENTRY_FILE = "entry.json"
LIMIT_BYTES = 300 * 1024 * 1024  # about ten sample years of documents


def canonical(value: Any) -> Any:
    """A JSON-able form of a composed document that is the same in every process
    (no set order, no object identity)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, **fields}
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in sorted(value.items(), key=lambda pair: repr(pair[0]))}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot key a document on a {type(value).__name__}")


def document_digest(document: Any) -> str:
    text = json.dumps(canonical(document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Hit:
    files: dict[str, str]
    faces: tuple[str, ...]


class RenderCache:
    def __init__(self, folder: Path, fingerprint: str, limit_bytes: int = LIMIT_BYTES):
        self.folder = folder
        self.fingerprint = fingerprint
        self.limit_bytes = limit_bytes

    @classmethod
    def for_user(cls, fingerprint: str) -> RenderCache:
        """The user's cache: outside any workspace, so neither the outputs handed on nor
        the inputs ever carry it, and shared by the user's workspaces (the key is the content)."""
        return cls(user_cache_folder() / "documents", fingerprint)

    def key(self, document: Any) -> str:
        return hashlib.sha256(f"{self.fingerprint}\n{document_digest(document)}".encode()).hexdigest()

    def fetch(self, key: str, folder: Path, names: dict[str, str]) -> Hit | None:
        """Copy an entry's files into ``folder`` under ``names``; None when there is no
        sound entry (missing, incomplete, or a file whose hash no longer matches)."""
        entry = self.folder / key
        try:
            recorded = json.loads((entry / ENTRY_FILE).read_text(encoding="utf-8"))
            hashes: dict[str, str] = recorded["sha256"]
            if set(hashes) != set(names):
                return None
            copied = []
            for fmt, name in names.items():
                target = folder / name
                if target.exists():
                    return None  # never over another document's file (the caller then says why)
                shutil.copyfile(entry / fmt, target)
                copied.append(target)
                if sha256(target) != hashes[fmt]:
                    for path in copied:
                        path.unlink()
                    return None
            os.utime(entry)  # recently used: kept by the pruning
            return Hit(dict(names), tuple(recorded["faces"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, key: str, folder: Path, files: dict[str, str], faces: tuple[str, ...]) -> None:
        """Keep a verified document's files. A cache that cannot be written only
        costs time on the next build, so failures here are not errors."""
        entry = self.folder / key
        partial = self.folder / f".{key}.{os.getpid()}"
        try:
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            for fmt, name in files.items():
                shutil.copyfile(folder / name, partial / fmt)
            data = {"sha256": {fmt: sha256(partial / fmt) for fmt in files}, "faces": list(faces)}
            (partial / ENTRY_FILE).write_text(json.dumps(data), encoding="utf-8")
            shutil.rmtree(entry, ignore_errors=True)
            partial.rename(entry)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)

    def prune(self) -> None:
        """Drop the least recently used entries beyond the size limit."""
        if not self.folder.is_dir():
            return
        entries = []
        for entry in self.folder.iterdir():
            if entry.name.startswith("."):  # a store another process was killed in
                shutil.rmtree(entry, ignore_errors=True)
                continue
            try:
                size = sum(path.stat().st_size for path in entry.iterdir())
                entries.append((entry.stat().st_mtime, size, entry))
            except OSError:
                continue
        total = sum(size for _, size, _ in entries)
        for _, size, entry in sorted(entries, key=lambda item: item[0]):
            if total <= self.limit_bytes:
                break
            shutil.rmtree(entry, ignore_errors=True)
            total -= size
