"""File names made from unit names and titles: safe on every system, unique in their folder.

Outputs are copied to Windows PCs, USB sticks and office file servers, so a
name must be one Windows accepts, whatever Linux would: none of \\ / : * ? " < > |
or control characters, no trailing dot or space (Windows drops them, so two
names would meet), no device name (CON, NUL, COM1 …, which Windows opens as a
device whatever the extension), and at most 255 bytes of UTF-8 (the limit of
ext4 and of most file servers; a Chinese character takes three).

A name that needs none of that is kept as it is. A name that was changed gets a
short hash of the original appended, so two units whose names differ only in a
character that had to go (区金融局/分局 and 区金融局_分局) still get two files, and
each always the same one. Names that meet only in their case or Unicode
spelling (Windows and macOS treat them as one file) are told apart the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

from supervision_bulletin.values import printable

if TYPE_CHECKING:
    from supervision_bulletin.document import OfficialDocument

MAX_NAME_BYTES = 255
# Left for the extension and a numbering suffix, so that one stem serves every format.
EXTENSION_ROOM = 16
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)
_HASH_LENGTH = 8


def name_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]


def is_reserved(stem: str) -> bool:
    """CON, con.tar and "NUL " alike: Windows judges the part before the first dot, spaces dropped."""
    return bool(_RESERVED.match(stem.split(".", 1)[0].rstrip(" ")))


def fit_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` that is at most ``limit`` bytes of UTF-8."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def safe_stem(name: str, room: int = EXTENSION_ROOM) -> str:
    """A file name stem Windows and Linux accept, at most 255 − ``room`` bytes.

    ``name`` itself when it already is one; otherwise the cleaned name with a
    hash of ``name`` appended (``-1a2b3c4d``).
    """
    cleaned = _UNSAFE.sub("_", printable(name)).strip().rstrip(". ") or "_"
    if is_reserved(cleaned):
        cleaned = f"_{cleaned}"
    limit = MAX_NAME_BYTES - room
    if cleaned == name and len(name.encode("utf-8")) <= limit:
        return name
    tag = f"-{name_hash(name)}"
    return fit_bytes(cleaned, limit - len(tag)).rstrip(". ") + tag


def clash_key(name: str) -> str:
    """What a case-insensitive, normalising file system (Windows, macOS) sees of a name."""
    return unicodedata.normalize("NFC", name).casefold()


def unique_stems(names: Sequence[str], room: int = EXTENSION_ROOM) -> list[str]:
    """``safe_stem`` of each name, none meeting another in one folder.

    Stems that still meet (names the same but for their case) each take the
    hash of their own name; the very same name twice is numbered (-2, -3 …).
    """
    stems = [safe_stem(name, room) for name in names]
    groups: dict[str, list[int]] = {}
    for index, stem in enumerate(stems):
        groups.setdefault(clash_key(stem), []).append(index)
    taken = set(groups)
    for members in groups.values():
        if len(members) < 2:
            continue
        for count, index in enumerate(members, start=1):
            tag = f"-{name_hash(names[index])}"
            stem = fit_bytes(stems[index], MAX_NAME_BYTES - room - len(tag) - 4).rstrip(". ") + tag
            if clash_key(stem) in taken:
                stem = f"{stem}-{count}"
            taken.add(clash_key(stem))
            stems[index] = stem
    return stems


def unique_slugs(documents: Sequence[OfficialDocument]) -> list[OfficialDocument]:
    """A build's documents with file name stems that are safe and unique among them.

    Called where all of a build's documents are known, before any is written.
    """
    stems = unique_stems([document.slug for document in documents])
    return [
        document if stem == document.slug else replace(document, slug=stem)
        for document, stem in zip(documents, stems)
    ]
