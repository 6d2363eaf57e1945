"""Results worth keeping between runs, in the user's cache folder.

Some results depend only on files that rarely change (the characters the
installed fonts can print, a chart drawn from a cut-off's figures) and take a
noticeable part of a second to work out. They are kept here under a key made of
everything they depend on, so a changed input is a new key, never a stale answer.
Each file starts with the SHA-256 of its content: a damaged one is worked out again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import platformdirs

CACHE_VARIABLE = "BULLETIN_CACHE_DIR"  # else the system's cache folder for this program


def user_cache_folder() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE) or platformdirs.user_cache_dir("supervision-bulletin", appauthor=False))


def key_of(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def file_stamp(path: Path) -> list[Any]:
    """What identifies a file's content cheaply: its path, size and modification time."""
    stat = Path(path).stat()
    return [str(path), stat.st_size, stat.st_mtime_ns]


PACKAGE = Path(__file__).parent


@functools.cache
def code_digest(package: Path = PACKAGE) -> str:
    """The SHA-256 of this package's code: a result worked out by the code of one
    version is not taken for another's (a checkout between releases included)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.cache  # a library's version is looked up in its metadata files: 0.7 ms a time, per workbook
def made_by(*distributions: str) -> str:
    """What a stored result depends on besides its input: this program's code and
    the versions of the libraries ``distributions`` that worked it out."""
    return ":".join([code_digest(), *(f"{name}={metadata.version(name)}" for name in distributions)])


def remembered(kind: str, parts: Any, make: Callable[[], bytes]) -> bytes:
    """``make()``'s bytes, kept under ``kind`` by the key of ``parts`` (JSON-able)."""
    stored = recalled(kind, parts)
    if stored is not None:
        return stored
    data = make()
    keep(kind, parts, data)
    return data


def recalled(kind: str, parts: Any) -> bytes | None:
    """The bytes kept under ``kind`` for ``parts``, if any, and whole."""
    path = user_cache_folder() / kind / key_of(parts)
    try:
        stored = path.read_bytes()
        os.utime(path)  # recently used: pruned last
    except OSError:
        return None
    return stored[32:] if hashlib.sha256(stored[32:]).digest() == stored[:32] else None


def keep(kind: str, parts: Any, data: bytes) -> None:
    """Keep ``data`` under ``kind`` for ``parts``; a cache that cannot be written only costs time next run."""
    path = user_cache_folder() / kind / key_of(parts)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(hashlib.sha256(data).digest() + data)
        partial.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


# What is kept here, by kind (each a folder of the cache folder; the documents'
# cache, render/cache.py, keeps its own folder and limit).
KINDS = ("advances", "charts", "fonts", "ledgers", "workbooks")
LIMIT_BYTES = 100 * 2**20


def prune(limit_bytes: int = LIMIT_BYTES) -> None:
    """Drop the least recently used results beyond ``limit_bytes`` in all: every
    changed workbook and every new chart adds one, and nothing else removes them."""
    entries = []
    for kind in KINDS:
        with contextlib.suppress(OSError):
            for entry in os.scandir(user_cache_folder() / kind):
                with contextlib.suppress(OSError):
                    stat = entry.stat()
                    entries.append((stat.st_mtime, stat.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit_bytes:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
        total -= size
