"""WeasyPrint's adjustments change how it gets to a PDF, never what it writes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import types

from weasyprint.pdf import fonts

from supervision_bulletin.render.engine import import_weasyprint

import_weasyprint()

# One document, rendered in a new process; with "plain", WeasyPrint as it comes.
RENDER_ONE = """
import hashlib, sys
import supervision_bulletin.render.engine as engine
if sys.argv[1] == "plain":
    engine._read_fonts_in_place = engine._font_faces_in_place = engine._arrays_typed_once = lambda: None
from weasyprint.pdf import fonts
from supervision_bulletin.render.pdf import PdfRenderer
from tests.document_fixtures import make_document
seen = []
clean = fonts.Font.clean
def cleaning(self, *arguments):
    seen.append(type(self.file_content).__name__)
    clean(self, *arguments)
fonts.Font.clean = cleaning
data = PdfRenderer().render_bytes(make_document())
import glob, os, tempfile
copies = glob.glob(os.path.join(tempfile.gettempdir(), "weasyprint-*", "*"))
print(hashlib.sha256(data).hexdigest(), len(copies), *sorted(set(seen)))
"""


def rendered_in_a_process(mode: str, scratch) -> list[str]:
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-c", RENDER_ONE, mode], capture_output=True, text=True, check=True,
                          env={**os.environ, "TMPDIR": str(scratch)})
    return done.stdout.split()


def test_the_adjusted_weasyprint_writes_the_same_pdf_as_the_plain_one(tmp_path):
    adjusted = rendered_in_a_process("adjusted", tmp_path / "adjusted")
    plain = rendered_in_a_process("plain", tmp_path / "plain")
    # WeasyPrint copies each @font-face file to a folder of its own, and each font
    # file into memory for the PDF ...
    assert int(plain[1]) >= 4 and plain[2:] == ["bytes"]
    # ... the adjusted one registers the files where they are, and lends them.
    assert adjusted[1:] == ["0", "buffer"]
    assert adjusted[0] == plain[0]


def test_a_font_left_whole_is_copied_for_embedding():
    """WeasyPrint subsets every font it can; one it does not (nothing to keep) is embedded
    whole, and pydyf writes only bytes."""
    whole = b"OTTO" + bytes(range(256)) * 4
    memory = fonts.ffi.new("char[]", whole)
    lent = fonts.ffi.buffer(memory, len(whole))
    font = types.SimpleNamespace(file_content=lent, tables=[], png=False, svg=False, colr=False,
                                 subset=lambda to_unicode, hinting: None)
    fonts.Font.clean(font, {}, False)
    assert type(font.file_content) is bytes
    assert hashlib.sha256(font.file_content).digest() == hashlib.sha256(whole).digest()


def test_arrays_of_a_new_length_are_not_typed_again():
    typed = fonts.ffi._ffi._parsed_types
    first = fonts.ffi.new("hb_codepoint_t[3]", [5, 6, 7])
    known = len(typed)
    second = fonts.ffi.new("hb_codepoint_t[4]", (1, 2, 3, 4))
    assert list(first) == [5, 6, 7] and list(second) == [1, 2, 3, 4]
    assert len(typed) == known  # one open array type for every length
    assert len(fonts.ffi.new("hb_codepoint_t[5]", [9])) == 5  # not its length: typed as asked, zeros after
    assert fonts.ffi.string(fonts.ffi.new("char[4]", b"abc")) == b"abc"
