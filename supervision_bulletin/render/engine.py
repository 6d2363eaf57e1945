"""WeasyPrint, imported once and adjusted where its general-purpose choices cost
this program dearly: which libraries it searches for, which font files it copies
(into memory for each PDF, and to a temporary folder for each @font-face rule), and
how it types the arrays it hands HarfBuzz.

The adjustments change how WeasyPrint gets there, never what it writes: the PDF
bytes are the same with and without them (tests/render/test_engine.py).
"""

from __future__ import annotations

import re
import sys
import threading


def import_weasyprint() -> None:
    """Import WeasyPrint with its system libraries found by the dynamic loader alone,
    and with its fonts read in place (``_read_fonts_in_place``).

    WeasyPrint asks cffi for Pango, HarfBuzz, fontconfig and GObject under several
    names each, the Windows and macOS ones first. For every name the loader does not
    know, cffi falls back on ``ctypes.util.find_library``, which on Linux runs
    ldconfig and gcc in subprocesses (Kozea/WeasyPrint#1125): 0.2 s of a 0.55 s
    import. Each list also names the Linux soname (libpango-1.0.so.0 …), and
    find_library's answer would only be such a soname for the same loader to find,
    so nothing is lost by skipping the search. Should a library be missing under its
    listed soname, the import is tried again the usual way."""
    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        import ctypes.util

        search = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint
        except OSError:
            pass  # tried again below, with the search
        finally:
            ctypes.util.find_library = search
    import weasyprint  # noqa: F401

    _read_fonts_in_place()
    _font_faces_in_place()
    _arrays_typed_once()


_FONT_SETUP = threading.local()  # whether this thread is inside Font.__init__


def _read_fonts_in_place() -> None:
    """Let a PDF's fonts refer to their files instead of holding a copy of each.

    For every face a document uses, WeasyPrint's ``Font`` copies the whole font
    file into a bytes object (the five CJK faces of a document: 39 MB), looks at its
    first four bytes, and replaces it with the subset it embeds, cut by HarfBuzz
    from the face itself. The copy lives until the document is written, so two
    workers laying out long documents held 80 MB only for it. Here the face's data
    is lent instead, as a read-only buffer over the memory HarfBuzz already holds
    for the face (the font file, mapped). The face outlives the document: it
    belongs to the font configuration the renderer keeps, and WeasyPrint itself
    subsets from it later. A font that is not subset (WeasyPrint's fallbacks) gets
    its bytes copied after all, when it is cleaned for embedding."""
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, "reads_in_place", False):
        return
    copied = fonts.get_hb_object_data
    setup, clean = fonts.Font.__init__, fonts.Font.clean

    def face_data(hb_object, ot_color=None, glyph=None):
        if ot_color is None and getattr(_FONT_SETUP, "active", False):
            return _lent_face_data(hb_object)
        return copied(hb_object, ot_color, glyph)

    def set_up(self, *arguments, **options):
        _FONT_SETUP.active = True
        try:
            setup(self, *arguments, **options)
        finally:
            _FONT_SETUP.active = False

    def cleaned(self, *arguments, **options):
        clean(self, *arguments, **options)
        if not isinstance(self.file_content, bytes):  # not subset: embedded whole, so copied now
            self.file_content = bytes(self.file_content)

    fonts.get_hb_object_data = face_data
    fonts.Font.__init__ = set_up
    fonts.Font.clean = cleaned
    fonts.Font.reads_in_place = True


def _lent_face_data(hb_face):
    """A read-only buffer over a HarfBuzz face's data, or None where it has none."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_blob(hb_face)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return None if data == ffi.NULL else ffi.buffer(data, length[0])
    finally:
        harfbuzz.hb_blob_destroy(blob)  # the face keeps its own reference to the blob


def _font_faces_in_place() -> None:
    """Register a local font file named by an @font-face rule where it lies.

    For each rule WeasyPrint reads the file and writes a copy into a temporary
    folder of its own (the print stylesheet's five faces: 30 MB a process, on
    every build), for fontconfig to scan under the rule's family. It removes the
    folder when the font configuration is collected, so a process that cannot
    clean up (killed outright) leaves the 30 MB behind. A plain rule (a family
    and a local TrueType or OpenType file, no style, weight, features or range:
    the rules fonts.font_face_css writes) is registered here in place, with the
    same fontconfig rule WeasyPrint writes for its copy; any other goes WeasyPrint's way."""
    from weasyprint.text.fonts import FontConfiguration

    if getattr(FontConfiguration, "faces_in_place", False):
        return
    add_font_face = FontConfiguration.add_font_face

    def add_in_place(self, rule_descriptors, url_fetcher):
        path = _plain_local_font(rule_descriptors)
        if path is None or not _register_in_place(self, path, rule_descriptors["font_family"]):
            return add_font_face(self, rule_descriptors, url_fetcher)
        return None

    FontConfiguration.add_font_face = add_in_place
    FontConfiguration.faces_in_place = True


def _plain_local_font(rule_descriptors) -> str | None:
    """The file of a rule that names only a family and one local font file, else None."""
    from urllib.parse import unquote, urlsplit

    if set(rule_descriptors) != {"font_family", "src"} or len(rule_descriptors["src"]) != 1:
        return None
    kind, url = rule_descriptors["src"][0]
    parts = urlsplit(url or "")
    if kind != "external" or parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    try:
        with open(path, "rb") as font:
            signature = font.read(4)
    except OSError:
        return None
    # TrueType, OpenType (CFF) and a font collection: what fontconfig scans as it is
    # (WeasyPrint decodes WOFF into its copy first).
    return path if signature in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf") else None


def _register_in_place(configuration, path: str, family: str) -> bool:
    """fontconfig told to scan ``path`` under ``family`` first, as WeasyPrint's own
    rule for its copy does; whether fontconfig took the file."""
    from xml.etree.ElementTree import Element, SubElement, tostring

    from weasyprint.text.ffi import ffi, fontconfig, pangoft2

    root = Element("fontconfig")
    match = SubElement(root, "match", target="scan")
    test = SubElement(match, "test", name="file", compare="eq")
    SubElement(test, "string").text = path
    # Prepended, as WeasyPrint does: replacing the family breaks Pango (Kozea/WeasyPrint#2510).
    edit = SubElement(match, "edit", name="family", mode="prepend")
    SubElement(edit, "string").text = family
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n' + tostring(root, "utf-8")
    fontconfig.FcConfigParseAndLoadFromMemory(configuration._config, xml, True)
    if not fontconfig.FcConfigAppFontAddFile(configuration._config, path.encode()):
        return False
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", configuration.font_map))
    return True


_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _ArraysTypedOnce:
    """WeasyPrint's cffi, but an array made from a list of its very length is made
    as an open array ("hb_codepoint_t[]"): the same array.

    Subsetting a font, WeasyPrint makes its arrays of glyph numbers as
    "hb_codepoint_t[1234]", the length in the type. cffi parses each type it has not
    seen with pycparser, 8 ms a time, and a document's lengths are new nearly every
    time: three arrays for each of its five faces, 0.12 s of every PDF."""

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name: str):
        return getattr(self._ffi, name)

    def new(self, cdecl: str, *init):
        sized = _SIZED_ARRAY.fullmatch(cdecl)
        if sized and len(init) == 1 and isinstance(init[0], (list, tuple)) and len(init[0]) == int(sized[2]):
            return self._ffi.new(f"{sized[1]}[]", init[0])
        return self._ffi.new(cdecl, *init)


def _arrays_typed_once() -> None:
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, _ArraysTypedOnce):
        fonts.ffi = _ArraysTypedOnce(fonts.ffi)
