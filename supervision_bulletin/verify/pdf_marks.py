"""The marks on each page of a PDF, read with PDFium: glyphs, painted paths, images.

PDFium interprets the content streams in C++; pdfminer (behind pdfplumber), in
Python, took longer to read a PDF back than the renderer took to write it.
The records follow pdfminer's geometry, the one the checks' tolerances were
set on, so a PDF measures the same whichever reads it:

- a glyph's box is its advance wide (the PDF's widths) and one font size
  tall, standing on the font's /Descent below the baseline, not on its ink;
- each painted subpath is one shape: a "line" (two points), a "rect" (a
  closed axis-aligned box) or a "curve" (anything else, its box spanning the
  segments' end points, Bézier control points left out);
- positions are in points from the top-left corner of the page as shown
  (after its /Rotate), on the MediaBox.

Where PDFium cannot tell what pdfminer read, the reading differs a little:
colours come as RGB between 0 and 1 whatever their colour space (CMYK and
grey converted as PDFium shows them); a run raised with Ts has a baseline of
its own; a standard font without a descriptor stands on PDFium's descent; a
path of a lone point ("m h") is not seen; x is measured from the MediaBox's
left edge even where that is not 0. PDFium's text page also drops text that
pdfminer kept: a text object drawn again over itself reads once, a second
space in a row is lost, and a space in a text object of its own is put back
(as one space) only where PDFium marks the gap it leaves.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterator

import pypdfium2
import pypdfium2.raw as pdfium

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in PDF
Point = tuple[float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
NOT_A_COLOUR = (-1.0,)  # a pattern or shading: neither black nor red


@dataclass(frozen=True)
class Glyph:
    """One character as drawn."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    font: str  # the font's name, e.g. "WEJOQK+gw-fang" (its descriptor's /FontName)
    color: tuple[float, ...]


@dataclass(frozen=True)
class Shape:
    """One painted subpath."""

    kind: str  # "line", "rect" or "curve"
    x0: float
    x1: float
    top: float
    bottom: float
    fill: bool
    linewidth: float  # as set in the content stream, in the path's own units
    stroke_color: tuple[float, ...]
    fill_color: tuple[float, ...]


@dataclass(frozen=True)
class PageMarks:
    """One page: its size as shown, and what is drawn on it."""

    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    shapes: tuple[Shape, ...]
    image_tops: tuple[float, ...]


@dataclass(frozen=True)
class FontFace:
    """What the PDF's own font dictionary says about a font."""

    name: str  # the descriptor's /FontName, as pdfminer named a glyph's font
    descent: float  # below the baseline per unit of font size; never positive
    program: int = 0  # bytes in its embedded program, told only where subsets share a name


Faces = dict[str, tuple[FontFace, ...]]  # by /BaseFont, and by it untagged ("ABCDEF+" off)


def read_marks(document: pypdfium2.PdfDocument, faces: Faces) -> list[PageMarks]:
    """Every page's marks, in page order.

    ``faces`` (from font_faces) names the glyphs' fonts and places their boxes
    as the PDF's font dictionaries say.
    """
    return [_page_marks(document, index, faces) for index in range(len(document))]


def font_faces(reader) -> Faces:
    """Every font with a descriptor in a pypdf PdfReader, by /BaseFont with and without its tag.

    PDFium names a Type 1 font without its subset tag, so two subsets of one
    font look alike to it; the size of each one's program tells them apart.
    """
    found: list[tuple[str, FontFace, object]] = []
    seen: set = set()
    for page in reader.pages:
        _resource_faces(page.get("/Resources"), found, seen)
    shared = Counter(_untagged(base) for base, _, _ in found)
    faces: dict[str, list[FontFace]] = {}
    for base, face, descriptor in found:
        if shared[_untagged(base)] > 1:
            face = replace(face, program=_program_size(descriptor))
        faces.setdefault(base, []).append(face)
        if _untagged(base) != base:
            faces.setdefault(_untagged(base), []).append(face)
    return {name: tuple(each) for name, each in faces.items()}


def _resource_faces(resources, found: list, seen: set) -> None:
    """(/BaseFont, face, descriptor) of the fonts of a resource dictionary and the forms it uses."""
    if resources is None:
        return
    resources = resources.get_object()
    for reference in (resources.get("/Font") or {}).values():
        key = getattr(reference, "idnum", id(reference))
        if key in seen:
            continue
        seen.add(key)
        font = reference.get_object()
        descriptor = _descriptor(font)
        if descriptor is not None:
            found.append((str(font.get("/BaseFont", "")).lstrip("/"), _descriptor_face(descriptor), descriptor))
    for reference in (resources.get("/XObject") or {}).values():
        key = ("x", getattr(reference, "idnum", id(reference)))
        xobject = reference.get_object()
        if key not in seen and xobject.get("/Subtype") == "/Form":
            seen.add(key)
            _resource_faces(xobject.get("/Resources"), found, seen)


def _descriptor(font):
    """A font's descriptor; None for a standard or Type 3 font (PDFium's metrics serve as well)."""
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None or font.get("/Subtype") == "/Type3":
        return None
    return descriptor.get_object()


def _descriptor_face(descriptor) -> FontFace:
    """pdfminer's reading of a font descriptor: /FontName, and /Descent in thousandths, made negative."""
    descent = _number(descriptor.get("/Descent", 0))
    return FontFace(str(descriptor.get("/FontName", "unknown")).lstrip("/"), -abs(descent) / 1000)


def _program_size(descriptor) -> int:
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in descriptor:
            return len(descriptor[key].get_object().get_data())
    return 0


def _number(value) -> float:
    """A PDF number, followed if indirect; 0 for anything else."""
    value = value.get_object() if hasattr(value, "get_object") else value
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


# --- Page geometry -----------------------------------------------------------------------------


def _page_marks(document: pypdfium2.PdfDocument, index: int, faces: Faces) -> PageMarks:
    page = document[index]
    try:
        width, height, to_device = _page_frame(page)
        drawn = _Drawn()
        _collect_objects(_page_objects(page.raw), IDENTITY, to_device, height, drawn)
        textpage = page.get_textpage()
        try:
            runs = _Runs(faces)
            glyphs, blanks = _glyphs(textpage.raw, runs, to_device, height)
        finally:
            textpage.close()
        glyphs += _dropped_spaces(drawn.texts, runs, blanks, to_device, height)
        return PageMarks(width, height, tuple(glyphs), tuple(drawn.shapes), tuple(drawn.image_tops))
    finally:
        page.close()


def _page_frame(page: pypdfium2.PdfPage) -> tuple[float, float, Matrix]:
    """(width, height, user space → upright page space with y up) of a page."""
    # PDFium does not inherit a MediaBox from the page tree; its bounding box does.
    box = page.get_mediabox(fallback_ok=False) or page.get_bbox()
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    rotation = page.get_rotation() % 360
    # The same turns pdfminer applies, so a rotated page reads as it is shown.
    to_device = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    if rotation in (90, 270):
        return y1 - y0, x1 - x0, to_device
    return x1 - x0, y1 - y0, to_device


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first``, then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = then
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(matrix: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = matrix
    x, y = point
    return (a * x + c * y + e, b * x + d * y + f)


def _box(points: list[Point], height: float) -> tuple[float, float, float, float]:
    """(x0, x1, top, bottom) of device points, top and bottom measured down from the top edge."""
    xs = [point[0] for point in points]
    ys = [point[1] for point in points]
    return min(xs), max(xs), height - max(ys), height - min(ys)


def _rgb(call, *handle) -> tuple[float, ...]:
    """A colour getter's answer, from 0–255 to 0–1."""
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not call(*handle, red, green, blue, alpha):
        return NOT_A_COLOUR
    return (red.value / 255, green.value / 255, blue.value / 255)


# --- Characters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """What the glyphs of one text object share: font, size, matrix, colour."""

    font: object  # PDFium's font handle
    font_key: int  # its address: the same font in every run that uses it
    embedded: bool
    face: FontFace
    size: float  # as set by Tf
    linear: tuple[float, float, float, float]  # a b c d of text matrix × CTM
    color: tuple[float, ...]


class _Runs:
    """The text objects of one page, each read once rather than once per glyph."""

    def __init__(self, faces: Faces):
        self.faces = faces
        self.by_object: dict[int, _Run] = {}
        self.by_font: dict[int, FontFace] = {}
        self.widths: dict[tuple[int, int], float | None] = {}

    def of_glyph(self, textpage, index: int) -> _Run:
        """The run the glyph at ``index`` of a text page belongs to."""
        text_object = pdfium.FPDFText_GetTextObject(textpage, index)
        key = _address(text_object)
        run = self.by_object.get(key)
        if run is None:
            matrix = pdfium.FS_MATRIX()
            pdfium.FPDFText_GetMatrix(textpage, index, matrix)
            run = self.by_object[key] = self._run(
                pdfium.FPDFTextObj_GetFont(text_object),
                pdfium.FPDFText_GetFontSize(textpage, index),
                (matrix.a, matrix.b, matrix.c, matrix.d),
                _rgb(pdfium.FPDFText_GetFillColor, textpage, index),
            )
        return run

    def of_object(self, text_object, matrix: Matrix) -> _Run:
        """The run of a text object the text page left out (placed by ``matrix``)."""
        size = ctypes.c_float()
        pdfium.FPDFTextObj_GetFontSize(text_object, size)
        return self._run(pdfium.FPDFTextObj_GetFont(text_object), size.value, matrix[:4],
                         _rgb(pdfium.FPDFPageObj_GetFillColor, text_object))

    def _run(self, font, size: float, linear, color) -> _Run:
        font_key = _address(font)
        if font_key not in self.by_font:
            self.by_font[font_key] = _face(font, self.faces) if font else FontFace("", 0.0)
        embedded = bool(font) and bool(pdfium.FPDFFont_GetIsEmbedded(font))
        return _Run(font, font_key, embedded, self.by_font[font_key], size, linear, color)

    def advance(self, run: _Run, code: int) -> float | None:
        """A character's advance per unit of font size, from the PDF's widths."""
        key = (run.font_key, code)
        if key not in self.widths:
            width = ctypes.c_float()
            found = run.font and pdfium.FPDFFont_GetGlyphWidth(run.font, code, 1.0, width)
            self.widths[key] = width.value if found else None
        return self.widths[key]


def _address(handle) -> int:
    # addressof(contents): a tenth of the time of a cast, for every glyph; a NULL handle is false
    return ctypes.addressof(handle.contents) if handle else 0


def _glyphs(textpage, runs: _Runs, to_device: Matrix, height: float) -> tuple[list[Glyph], set[Point]]:
    """The glyphs of a text page, and where PDFium put spaces of its own."""
    glyphs: list[Glyph] = []
    blanks: set[Point] = set()
    last = None  # (run, origin, loose box) of the last glyph
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    loose = pdfium.FS_RECTF()
    for index, code in _code_points(textpage):
        pdfium.FPDFText_GetCharOrigin(textpage, index, origin_x, origin_y)
        origin = (origin_x.value, origin_y.value)
        # PDFium adds spaces and line ends of its own between runs: not marks on the page.
        if pdfium.FPDFText_IsGenerated(textpage, index) != 0:
            if code == 0x20:
                blanks.add(_rounded(origin))
            continue
        run = runs.of_glyph(textpage, index)
        pdfium.FPDFText_GetLooseCharBox(textpage, index, loose)
        box = (loose.left, loose.bottom, loose.right, loose.top)
        if last == (run, origin, box) and box[2] > box[0]:
            # PDFium spells a ligature ("ﬁ") as its letters, each on the ligature's
            # box; pdfminer kept one glyph, the letters its text.
            glyphs[-1] = replace(glyphs[-1], text=glyphs[-1].text + _text(code))
            continue
        last = (run, origin, box)
        corners = _corners(run, origin, box, None if run.embedded else runs.advance(run, code))
        glyphs.append(_glyph(_text(code), run, origin, corners, to_device, height))
    return glyphs, blanks


def _code_points(textpage) -> Iterator[tuple[int, int]]:
    """(index, code point) of each character of a text page.

    PDFium answers in UTF-16 code units: a character outside the BMP (𠀀, 😀)
    comes as a high and a low surrogate at two indices. They are joined here, at
    the first index, so that a glyph's text is always one whole character.
    """
    count = pdfium.FPDFText_CountChars(textpage)
    index = 0
    while index < count:
        code = pdfium.FPDFText_GetUnicode(textpage, index)
        if 0xD800 <= code <= 0xDBFF and index + 1 < count:
            low = pdfium.FPDFText_GetUnicode(textpage, index + 1)
            if 0xDC00 <= low <= 0xDFFF:
                yield index, 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                index += 2
                continue
        yield index, code
        index += 1


def _glyph(text: str, run: _Run, origin: Point, corners: list[Point], to_device: Matrix, height: float) -> Glyph:
    # _apply and _box written out for the two corners: this runs for every glyph.
    a, b, c, d, e, f = to_device
    (u0, v0), (u1, v1) = corners
    x0, y0 = a * u0 + c * v0 + e, b * u0 + d * v0 + f
    x1, y1 = a * u1 + c * v1 + e, b * u1 + d * v1 + f
    top, bottom = height - max(y0, y1), height - min(y0, y1)
    return Glyph(
        text=text,
        x0=min(x0, x1), x1=max(x0, x1), top=top, bottom=bottom,
        baseline=height - (b * origin[0] + d * origin[1] + f),
        size=bottom - top,  # pdfminer's size: the height of the box
        font=run.face.name,
        color=run.color,
    )


def _rounded(point: Point) -> Point:
    return (round(point[0], 2), round(point[1], 2))


def _dropped_spaces(texts: list[tuple[object, Matrix]], runs: _Runs, blanks: set[Point],
                    to_device: Matrix, height: float) -> list[Glyph]:
    """The spaces PDFium's text page leaves out, drawn as text objects of their own.

    It skips a text object that inks nothing (LibreOffice writes a space in
    another font that way) and puts a space of its own where it was; there,
    pdfminer read the space itself. One space is assumed: PDFium tells no more.
    """
    spaces = []
    for text_object, placement in texts:
        matrix = _multiply(_object_matrix(text_object), placement)
        origin = (matrix[4], matrix[5])
        if _address(text_object) in runs.by_object or _rounded(origin) not in blanks:
            continue
        run = runs.of_object(text_object, matrix)
        advance = runs.advance(run, 0x20)
        if advance is None or matrix[1] or matrix[2]:
            continue
        right = origin[0] + run.linear[0] * advance * run.size
        spaces.append(_glyph(" ", run, origin, _corners(run, origin, (origin[0], 0.0, right, 0.0), None),
                             to_device, height))
    return spaces


def _corners(run: _Run, origin: Point, loose: tuple[float, float, float, float],
             advance: float | None) -> list[Point]:
    """Two corners of pdfminer's box of a glyph, in user space.

    The box is the glyph's advance wide and one font size tall, standing on the
    font's descent. PDFium's loose box has the advance of an embedded font; for
    one that is not, PDFium sizes that box on the face it substitutes, so the
    advance comes from the PDF's widths (``advance``, per unit of font size).
    Turned or skewed text, which the checks do not measure, keeps PDFium's box.
    """
    a, b, c, d = run.linear
    left, bottom, right, top = loose
    if b or c or (not run.embedded and advance is None):
        return [(left, bottom), (right, top)]
    if not run.embedded and advance is not None:  # always so once past the return above
        left, right = origin[0], origin[0] + a * advance * run.size
    low = origin[1] + d * run.face.descent * run.size
    return [(left, low), (right, low + d * run.size)]


def _face(font, faces: Faces) -> FontFace:
    """The PDF's facts for a PDFium font, else what PDFium makes of it.

    PDFium reports a Type 1 font's /BaseFont without its subset tag
    ("BAAAAA+FandolSong-Bold" as "FandolSong-Bold"), so the tag is also
    tried off; and it puts a metric of its own where /Descent is 0 or missing.
    """
    length = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(length)
    pdfium.FPDFFont_GetBaseFontName(font, buffer, length)
    name = buffer.value.decode("utf-8", "replace")
    known = faces.get(name) or faces.get(_untagged(name)) or ()
    if len(known) > 1:
        size = ctypes.c_size_t()
        pdfium.FPDFFont_GetFontData(font, None, 0, size)
        known = tuple(face for face in known if face.program == size.value) or known
    if known:
        return known[0]
    descent = ctypes.c_float()
    if not pdfium.FPDFFont_GetDescent(font, 1.0, descent):
        descent.value = 0.0
    return FontFace(name, -abs(descent.value))


def _untagged(name: str) -> str:
    """A font name without its subset tag ("ABCDEF+")."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


def _text(code: int) -> str:
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


# --- Paths and images ------------------------------------------------------------------------------


def _page_objects(page) -> Iterator:
    for index in range(pdfium.FPDFPage_CountObjects(page)):
        yield pdfium.FPDFPage_GetObject(page, index)


def _form_objects(form) -> Iterator:
    for index in range(pdfium.FPDFFormObj_CountObjects(form)):
        yield pdfium.FPDFFormObj_GetObject(form, index)


def _object_matrix(page_object) -> Matrix:
    matrix = pdfium.FS_MATRIX()
    if not pdfium.FPDFPageObj_GetMatrix(page_object, matrix):
        return IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


@dataclass
class _Drawn:
    """What a page's objects draw besides its text page: shapes, images, and the text objects."""

    shapes: list[Shape] = field(default_factory=list)
    image_tops: list[float] = field(default_factory=list)
    texts: list[tuple[object, Matrix]] = field(default_factory=list)  # with the placement of their form


def _collect_objects(objects, outer: Matrix, to_device: Matrix, height: float, drawn: _Drawn) -> None:
    """What page objects draw, forms opened (``outer``: the form's placement)."""
    for page_object in objects:
        kind = pdfium.FPDFPageObj_GetType(page_object)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            drawn.texts.append((page_object, outer))
            continue
        placement = _multiply(_object_matrix(page_object), outer)
        if kind == pdfium.FPDF_PAGEOBJ_PATH:
            drawn.shapes += _path_shapes(page_object, _multiply(placement, to_device), height)
        elif kind == pdfium.FPDF_PAGEOBJ_IMAGE:
            corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
            drawn.image_tops.append(_box([_apply(_multiply(placement, to_device), p) for p in corners], height)[2])
        elif kind == pdfium.FPDF_PAGEOBJ_FORM:
            _collect_objects(_form_objects(page_object), placement, to_device, height, drawn)


def _path_shapes(path, to_device: Matrix, height: float) -> list[Shape]:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium.FPDFPath_GetDrawMode(path, fill_mode, stroke)
    width = ctypes.c_float()
    if not pdfium.FPDFPageObj_GetStrokeWidth(path, width):
        width.value = 0.0
    stroke_color = _rgb(pdfium.FPDFPageObj_GetStrokeColor, path)
    fill_color = _rgb(pdfium.FPDFPageObj_GetFillColor, path)
    shapes = []
    for operators, points in _subpaths(path):
        kind, corners = _classify(operators, [_apply(to_device, point) for point in points])
        x0, x1, top, bottom = _box(corners, height)
        shapes.append(Shape(kind, x0, x1, top, bottom, fill_mode.value != pdfium.FPDF_FILLMODE_NONE,
                            width.value, stroke_color, fill_color))
    return shapes


def _subpaths(path) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer sees it: operators ("m", "l", "c", "h") and their end points."""
    operators = ""
    points: list[Point] = []
    bezier_points = 0
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        segment = pdfium.FPDFPath_GetPathSegment(path, index)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value, y.value)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            if len(operators) > 1:  # a lone moveto paints nothing
                yield operators, points
            operators, points, bezier_points = "m", [point], 0
            continue
        if not operators:
            continue  # pdfminer ignores a path that does not begin with a moveto
        closes = bool(pdfium.FPDFPathSegment_GetClose(segment))
        if kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            # PDFium stores a curve as three points; pdfminer keeps only where it ends.
            bezier_points += 1
            if bezier_points % 3:
                continue
            operators, points = operators + "c", points + [point]
        elif closes and point == points[0]:
            # A line back to the start that closes the subpath is how PDFium
            # stores "h" (and the last side of "re"): pdfminer's "h".
            operators, points = operators + "h", points + [point]
            continue
        else:
            operators, points = operators + "l", points + [point]
        if closes:
            operators, points = operators + "h", points + [points[0]]
    if len(operators) > 1:
        yield operators, points


def _classify(operators: str, points: list[Point]) -> tuple[str, list[Point]]:
    """pdfminer's kind of a subpath, with the points its box is taken from."""
    # A closing "h" after a line back to the start draws nothing more.
    if len(operators) > 3 and operators.endswith("lh") and points[-2] == points[0]:
        operators, points = operators[:-2] + "h", points[:-2] + points[-1:]
    if operators in ("ml", "mlh"):
        return "line", points[:2]
    if operators in ("mlllh", "mllll") and _is_box(points):
        return "rect", [points[0], points[2]]
    return "curve", points


def _is_box(points: list[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    closed = points[0] == last
    return closed and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                       or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))
