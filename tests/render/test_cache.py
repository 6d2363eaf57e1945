"""The cache of rendered documents: what its key is made of, and what it refuses to copy."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_bulletin.render import Renderers
from supervision_bulletin.render.cache import RenderCache, document_digest
from supervision_bulletin.resources import TEMPLATES
from tests.document_fixtures import make_document

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture
def templates(tmp_path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    return copy


def fingerprint_of(templates: Path, **replaced) -> str:
    renderers = Renderers.load(templates)
    for name, value in replaced.items():
        setattr(renderers.pdf, name, value)
    return renderers.fingerprint()


def test_the_key_changes_with_the_document():
    document = make_document()
    assert document_digest(document) == document_digest(make_document())
    assert document_digest(dataclasses.replace(document, title=document.title + "（修订）")) != document_digest(document)
    assert document_digest(dataclasses.replace(document, number="东湖督〔2024〕9号")) != document_digest(document)


def test_the_key_is_the_same_in_every_process():
    # Sets (a table's group rows) and string hashing differ between processes; the key may not.
    script = ("from tests.document_fixtures import make_document;"
              "from supervision_bulletin.render.cache import document_digest;"
              "print(document_digest(make_document()))")
    for seed in ("1", "2"):
        other = subprocess.run([sys.executable, "-c", script], cwd=CHECKOUT, capture_output=True, text=True,
                               env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(CHECKOUT)}, check=True)
        assert other.stdout.strip() == document_digest(make_document())


@pytest.mark.parametrize("changed", ["docx/standard.docx", "html/standard.html", "html/print.css"])
def test_a_template_or_stylesheet_change_changes_the_fingerprint(templates, changed):
    before = fingerprint_of(templates)
    assert fingerprint_of(templates) == before
    path = templates / changed
    path.write_bytes(path.read_bytes() + (b"\n/* changed */\n" if path.suffix != ".docx" else b"\0"))
    assert fingerprint_of(templates) != before


def test_a_font_change_changes_the_fingerprint(templates, tmp_path):
    renderers = Renderers.load(templates)
    before = renderers.fingerprint()
    font_set = renderers.pdf.font_set
    face = font_set.face("fang")
    copy = tmp_path / Path(face.file).name
    shutil.copyfile(face.file, copy)
    with copy.open("ab") as handle:
        handle.write(b"\0")  # another build of the "same" font: other glyphs, other metrics
    other = dataclasses.replace(font_set, faces={**font_set.faces, "fang": dataclasses.replace(face, file=copy)})
    assert fingerprint_of(templates, font_set=other) != before
    assert fingerprint_of(templates, extra_css="p { color: red }") != before


def test_a_damaged_entry_is_not_copied(tmp_path):
    source = tmp_path / "made"
    source.mkdir()
    names = {"docx": "a.docx", "pdf": "a.pdf", "html": "a.html"}
    for fmt, name in names.items():
        (source / name).write_bytes(f"{fmt} bytes".encode())
    cache = RenderCache(tmp_path / "cache", "fingerprint")
    cache.store("k", source, names, ("FandolFang-Regular",))
    good = tmp_path / "good"
    good.mkdir()
    hit = cache.fetch("k", good, names)
    assert hit is not None and hit.faces == ("FandolFang-Regular",)
    assert (good / "a.pdf").read_bytes() == b"pdf bytes"
    (tmp_path / "cache" / "k" / "pdf").write_bytes(b"pdf bytez")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    assert cache.fetch("k", damaged, names) is None
    assert list(damaged.iterdir()) == []  # nothing half-copied is left for the build to publish
    assert cache.fetch("missing", damaged, names) is None


def test_pruning_keeps_the_most_recently_used(tmp_path):
    source = tmp_path / "made"
    source.mkdir()
    (source / "a.pdf").write_bytes(b"x" * 1000)
    cache = RenderCache(tmp_path / "cache", "fingerprint", limit_bytes=2500)
    for index, key in enumerate(("old", "middle", "new")):
        cache.store(key, source, {"pdf": "a.pdf"}, ())
        entry = tmp_path / "cache" / key
        os.utime(entry, (1_000_000 + index, 1_000_000 + index))
    cache.prune()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["middle", "new"]


def test_a_change_to_the_code_changes_the_fingerprint(templates, monkeypatch):
    """A renderer changed without a new version number (a checkout, a patch) makes
    its documents anew rather than taking the old ones from the cache."""
    from supervision_bulletin import memo

    before = fingerprint_of(templates)
    monkeypatch.setattr(memo, "code_digest", lambda: "another version of the code")
    assert fingerprint_of(templates) != before


def test_the_code_digest_changes_with_any_module(tmp_path):
    from supervision_bulletin import memo

    same, changed = tmp_path / "same", tmp_path / "changed"
    for copy in (same, changed):
        shutil.copytree(memo.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    module = changed / "verify" / "rules.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert memo.code_digest(same) == memo.code_digest()
    assert memo.code_digest(changed) != memo.code_digest()
