"""The same document gives the same bytes, whenever it is rendered.

Rebuilding a cut-off must not change files whose content did not change: the
record, a cache or a reader comparing two builds would see a new document. The
clock is faked at two times years apart; every format must come out identical.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from supervision_bulletin.document import Figure, Paragraph
from supervision_bulletin.render.docx import ZIP_EPOCH, document_time, reproducible_zip
from tests.document_fixtures import make_document

# A 1 × 1 white PNG (the Word copy of a figure) and its SVG (the HTML and PDF copy).
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4f40000000049454e44ae426082"
)
TINY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'

ISSUED = dt.date(2023, 10, 9)
CLOCKS = (dt.datetime(2024, 3, 5, 14, 7, 31), dt.datetime(2031, 11, 22, 3, 48, 9))


def document():
    base = make_document()
    figure = Figure(svg=TINY_SVG, png=TINY_PNG, caption="图1　完成率", width_mm=120)
    return make_document(body=(*base.body, figure, Paragraph("图后说明。")), issued=ISSUED)


def write(renderers, fmt: str, doc, path: Path) -> None:
    if fmt == "docx":
        renderers.docx.render(doc, path)
    elif fmt == "pdf":
        renderers.pdf.render(doc, path)
    else:
        path.write_text(renderers.html.render(doc), encoding="utf-8")


def rendered_at(monkeypatch, renderers, fmt: str, doc, path: Path, clock: dt.datetime) -> bytes:
    """Render with time.time() (zip members' dates come from it) reading ``clock``."""
    seconds = clock.timestamp()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: seconds)
        patch.setattr(time, "time_ns", lambda: int(seconds * 1e9))
        write(renderers, fmt, doc, path)
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_two_renders_at_different_times_give_the_same_bytes(monkeypatch, renderers, tmp_path, fmt):
    doc = document()
    first, second = (
        rendered_at(monkeypatch, renderers, fmt, doc, tmp_path / f"{index}.{fmt}", clock)
        for index, clock in enumerate(CLOCKS)
    )
    assert first == second


def test_the_word_file_is_dated_from_the_document_not_the_clock(monkeypatch, renderers, tmp_path):
    data = rendered_at(monkeypatch, renderers, "docx", document(), tmp_path / "a.docx", CLOCKS[1])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert {info.date_time for info in infos} == {(2023, 10, 9, 0, 0, 0)}
    names = [info.filename for info in infos]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    properties = Document(io.BytesIO(data)).core_properties
    expected = dt.datetime(2023, 10, 9, tzinfo=dt.UTC)
    assert (properties.created, properties.modified) == (expected, expected)


def test_a_document_without_an_issue_date_is_dated_from_its_printed_date():
    assert document_time(make_document(date="2023年10月8日")) == dt.datetime(2023, 10, 8)
    assert document_time(make_document(date="")) == ZIP_EPOCH


def test_reproducible_zip_keeps_every_member():
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("_rels/.rels", b"<Relationships/>")
    data = reproducible_zip(source.getvalue(), dt.datetime(2023, 1, 2))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
        assert archive.read("word/document.xml") == b"<w:document/>"
        assert archive.testzip() is None


def test_the_word_file_properties_name_the_document_not_the_template(renderers, tmp_path):
    doc = make_document()
    renderers.docx.render(doc, tmp_path / "a.docx")
    properties = Document(str(tmp_path / "a.docx")).core_properties
    assert properties.title == doc.title
    assert properties.author == properties.last_modified_by == doc.issuer
    assert properties.subject == (doc.number or "")
    assert "公文模板" not in (properties.title, properties.comments) and not properties.comments
