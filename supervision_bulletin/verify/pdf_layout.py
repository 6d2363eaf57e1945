"""What a PDF page shows, read back with PDFium: text lines, rules, faces.

The checks in verify_pdf.py measure these records only, so they work on any
PDF (ours, LibreOffice's, Word's), not only on what our renderer meant to draw.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from supervision_bulletin.verify.pdf_marks import Glyph, PageMarks, Shape, font_faces, read_marks
from supervision_bulletin.verify.text import face_style

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
BLOCK_LEFT = 28 * MM
BLOCK_TOP = 37 * MM
BLOCK_WIDTH = 156 * MM
BLOCK_HEIGHT = 225 * MM
BLOCK_RIGHT = BLOCK_LEFT + BLOCK_WIDTH
BLOCK_BOTTOM = BLOCK_TOP + BLOCK_HEIGHT
LINE_PITCH = 28.95  # 22 lines in 225 mm
BODY_SIZE = 16.0
# Sizes read as body text (a 15pt or 17pt body is a wrong body, not a caption).
BODY_SIZES = (14.6, 18.0)

# Glyphs on one baseline (within this) form one line.
BASELINE_TOLERANCE = 1.0
# A horizontal run thinner than this is a rule, not a box.
RULE_MAX_THICKNESS = 4.0

PAGE_NUMBER_TEXT = re.compile(r"^[—–\-－―]+(\d+)[—–\-－―]+$")


@dataclass(frozen=True)
class TextLine:
    """Glyphs sharing a baseline, left to right.

    The checks ask a line for its measures again and again, so each is worked
    out once (cached_property stores it beside the frozen fields).
    """

    page: int
    number: int  # 1-based, top to bottom on its page
    glyphs: tuple[Glyph, ...]

    def __hash__(self) -> int:
        # A line's place names it: hashing every glyph made sets of lines slow.
        return hash((self.page, self.number))

    @cached_property
    def text(self) -> str:
        return "".join(glyph.text for glyph in self.glyphs)

    @cached_property
    def ink(self) -> tuple[Glyph, ...]:
        """The glyphs that print something (spaces left out)."""
        return tuple(glyph for glyph in self.glyphs if glyph.text.strip())

    @cached_property
    def x0(self) -> float:
        return min(glyph.x0 for glyph in self.ink or self.glyphs)

    @cached_property
    def x1(self) -> float:
        return max(glyph.x1 for glyph in self.ink or self.glyphs)

    @cached_property
    def top(self) -> float:
        return min(glyph.top for glyph in self.glyphs)

    @cached_property
    def bottom(self) -> float:
        return max(glyph.bottom for glyph in self.glyphs)

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline

    @cached_property
    def size(self) -> float:
        return Counter(round(glyph.size, 1) for glyph in self.ink or self.glyphs).most_common(1)[0][0]

    @cached_property
    def font(self) -> str:
        return Counter(glyph.font for glyph in self.ink or self.glyphs).most_common(1)[0][0]

    @cached_property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    def fragments(self) -> list[tuple[Glyph, ...]]:
        """Runs separated by a wide gap: table cells, or the two ends of the 印发 line."""
        runs: list[list[Glyph]] = []
        for glyph in self.glyphs:
            gap_limit = max(3.0, 0.25 * glyph.size)
            if runs and glyph.x0 - runs[-1][-1].x1 <= gap_limit:
                runs[-1].append(glyph)
            else:
                runs.append([glyph])
        return [tuple(run) for run in runs]

    @property
    def place(self) -> str:
        return f"第{self.page}页第{self.number}行"

    @property
    def snippet(self) -> str:
        text = self.text.strip()
        return text if len(text) <= 16 else text[:15] + "…"


@dataclass(frozen=True)
class Band:
    """A horizontal rule: a thin filled run, or a stroked line."""

    x0: float
    x1: float
    top: float
    bottom: float
    color: tuple[float, ...]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def thickness(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Upright:
    """A vertical rule (a table's column rule): a stroked line or a thin tall box."""

    x: float
    top: float
    bottom: float
    color: tuple[float, ...] = (0.0,)


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[TextLine, ...]
    bands: tuple[Band, ...]
    graphics: int  # drawn lines, boxes and curves other than rules (tables, charts)
    graphics_top: float  # the top of the highest of them (or of an image); inf if none
    uprights: tuple[Upright, ...] = ()

    @cached_property
    def page_number_line(self) -> TextLine | None:
        """The "— n —" line below the text block, if any."""
        for line in self.lines:
            if line.top > BLOCK_BOTTOM - 2 * MM and PAGE_NUMBER_TEXT.match(_squeeze(line.text)):
                return line
        return None

    @cached_property
    def text_lines(self) -> tuple[TextLine, ...]:
        """Every line but the page number."""
        number = self.page_number_line
        return tuple(line for line in self.lines if line is not number)

    @cached_property
    def red_lines(self) -> tuple[TextLine, ...]:
        """The lines drawn mostly in red: the issuer mark, a marking above it."""
        return tuple(line for line in self.text_lines if sum(is_red(g.color) for g in line.ink) > len(line.ink) / 2)


@dataclass(frozen=True)
class FontInfo:
    name: str  # the /BaseFont, as the glyphs name their font
    program: str | None  # PostScript name of the embedded program
    embedded: bool

    @property
    def style(self) -> str | None:
        return face_style(self.program) or face_style(self.name)

    @property
    def label(self) -> str:
        return self.program or self.name.split("+", 1)[-1]


@dataclass
class PdfLayout:
    path: Path
    pages: list[Page]
    fonts: dict[str, FontInfo] = field(default_factory=dict)
    xmp: str = ""  # the XMP metadata packet, if any
    lang: str = ""  # the catalog's /Lang
    title: str = ""  # the document information's /Title

    def style_of(self, glyph: Glyph) -> str | None:
        font = self.fonts.get(glyph.font)
        return font.style if font else face_style(glyph.font)

    def line_style(self, line: TextLine) -> str | None:
        """The style most of the line's glyphs are drawn in."""
        styles = Counter(self.style_of(glyph) for glyph in line.ink or line.glyphs)
        return styles.most_common(1)[0][0]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_red(color: tuple[float, ...]) -> bool:
    if len(color) == 3:
        r, g, b = color
        return r > 0.7 and g < 0.35 and b < 0.35
    if len(color) == 4:
        c, m, y, k = color
        return c < 0.3 and m > 0.7 and y > 0.7 and k < 0.3
    return False


def is_black(color: tuple[float, ...]) -> bool:
    if len(color) == 1:
        return color[0] <= 0.15 and color[0] >= 0
    if len(color) == 3:
        return max(color) <= 0.15
    if len(color) == 4:
        c, m, y, k = color
        return k >= 0.85 or (min(c, m, y) >= 0.85)
    return False


def _lines(page_number: int, glyphs: list[Glyph]) -> tuple[TextLine, ...]:
    groups: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.baseline, g.x0)):
        if groups and abs(glyph.baseline - groups[-1][0].baseline) <= BASELINE_TOLERANCE:
            groups[-1].append(glyph)
        else:
            groups.append([glyph])
    return tuple(
        TextLine(page_number, index, tuple(sorted(group, key=lambda g: g.x0)))
        for index, group in enumerate(groups, start=1)
    )


def _filled_bands(shapes: tuple[Shape, ...]) -> list[Band]:
    """Thin horizontal runs of filled boxes.

    A border is often drawn as one even-odd path of an outer and an inner box
    (read as two boxes): the filled part is where an odd number of the boxes
    of one colour and width overlap.
    """
    groups: dict[tuple, set[tuple[float, float]]] = {}
    for rect in shapes:
        if rect.kind != "rect" or not rect.fill:
            continue
        key = (round(rect.x0, 1), round(rect.x1, 1), rect.fill_color)
        groups.setdefault(key, set()).add((round(rect.top, 3), round(rect.bottom, 3)))
    bands = []
    for (x0, x1, color), spans in groups.items():
        edges = sorted({edge for span in spans for edge in span})
        filled: list[list[float]] = []
        for low, high in zip(edges, edges[1:]):
            covering = sum(1 for top, bottom in spans if top <= low and bottom >= high)
            if covering % 2 == 0:
                continue
            if filled and abs(filled[-1][1] - low) < 1e-6:
                filled[-1][1] = high
            else:
                filled.append([low, high])
        bands += [Band(x0, x1, top, bottom, color) for top, bottom in filled if bottom - top <= RULE_MAX_THICKNESS]
    return bands


def _is_level(line: Shape) -> bool:
    return abs(line.top - line.bottom) <= 0.01


def _stroked_bands(lines: list[Shape]) -> list[Band]:
    bands = []
    for line in lines:
        if not _is_level(line):
            continue
        half = (line.linewidth or 1.0) / 2
        bands.append(Band(line.x0, line.x1, line.top - half, line.top + half, line.stroke_color))
    return bands


def _uprights(shapes: tuple[Shape, ...]) -> list[Upright]:
    """Vertical rules: stroked vertical lines and thin tall filled boxes."""
    found = []
    for shape in shapes:
        tall = shape.bottom - shape.top > 2.0
        if shape.kind == "line" and abs(shape.x1 - shape.x0) <= 0.01 and tall:
            found.append(Upright(shape.x0, shape.top, shape.bottom, shape.stroke_color))
        elif shape.kind == "rect" and shape.fill and shape.x1 - shape.x0 <= RULE_MAX_THICKNESS and tall:
            found.append(Upright((shape.x0 + shape.x1) / 2, shape.top, shape.bottom, shape.fill_color))
    return found


def _page(number: int, marks: PageMarks) -> Page:
    lines = [shape for shape in marks.shapes if shape.kind == "line"]
    curves = [shape for shape in marks.shapes if shape.kind == "curve"]
    bands = _filled_bands(marks.shapes) + _stroked_bands(lines)
    bands.sort(key=lambda band: (band.top, band.x0))
    slanted = [line for line in lines if not _is_level(line)]
    # Tables draw many short rules; a document's own rules are few and long.
    short = [band for band in bands if band.width < 100]
    graphics = len(curves) + len(slanted) + len(short)
    tops = [shape.top for shape in (*curves, *slanted)] + list(marks.image_tops) + [band.top for band in short]
    return Page(number, marks.width, marks.height, _lines(number, list(marks.glyphs)), tuple(bands), graphics,
                min(tops, default=float("inf")), tuple(_uprights(marks.shapes)))


def _fonts(embedded) -> dict[str, FontInfo]:
    fonts = {}
    for font in embedded:
        fonts[font.base_font] = FontInfo(font.base_font, font.postscript_name, font.embedded)
    return fonts


def _catalog_facts(reader) -> tuple[str, str, str]:
    """(XMP packet, /Lang, /Title) from the document catalog and info of a pypdf PdfReader."""
    root = reader.trailer["/Root"]
    xmp = ""
    metadata = root.get("/Metadata")
    if metadata is not None:
        xmp = metadata.get_object().get_data().decode("utf-8", "replace")
    lang = str(root.get("/Lang", "") or "")
    title = str((reader.metadata or {}).get("/Title", "") or "")
    return xmp, lang, title


def read_pdf(path: Path) -> PdfLayout:
    """The file as written, read from disk. pypdf's side of it is parsed once per
    content (render.pdf.parse_pdf): the renderer has just read back the same
    bytes for their fonts, and a file that differs from those is parsed anew."""
    import pypdfium2

    from supervision_bulletin.render.pdf import parse_pdf

    data = Path(path).read_bytes()
    # PDFium opens the file first: a damaged one fails there, before pypdf warns about it.
    with pypdfium2.PdfDocument(data) as document:
        parsed = parse_pdf(data)
        reader = parsed.reader
        marks = read_marks(document, font_faces(reader))
    pages = [_page(index, page) for index, page in enumerate(marks, start=1)]
    xmp, lang, title = _catalog_facts(reader)
    return PdfLayout(Path(path), pages, _fonts(parsed.fonts), xmp, lang, title)
