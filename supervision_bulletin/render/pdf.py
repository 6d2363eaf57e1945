"""OfficialDocument → PDF through WeasyPrint, on the GB/T 9704 page grid.

The PDF is the print flavour of the HTML (supervision_bulletin.render.html) laid out by
templates/html/print.css. Set-up is paid once per PdfRenderer: one
FontConfiguration, the @font-face rules for the machine's font set and the parsed
stylesheets serve every document (WeasyPrint only uses an @font-face face when
the same FontConfiguration is given to CSS() and to write_pdf()).

fontconfig substitutes a missing face without a word, so after writing, the
faces actually embedded are read back from the PDF and reported.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import unicodedata
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from xml.etree import ElementTree

from supervision_bulletin import heap
from supervision_bulletin.document import Heading, OfficialDocument, Paragraph
from supervision_bulletin.fonts import FontSet, ResolvedFace, default_font_set
from supervision_bulletin.kinsoku import NO_LINE_END, NO_LINE_START
from supervision_bulletin.memo import file_stamp, made_by, remembered
from supervision_bulletin.render.engine import import_weasyprint
from supervision_bulletin.render.html import (
    BODY_SIZE,
    DEFAULT_TEMPLATES,
    TEXT_BLOCK_WIDTH,
    HtmlRenderer,
)
from supervision_bulletin.render.long import LayoutPart, TableWindow, layout_parts

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmbeddedFont:
    """One font resource of a PDF."""

    base_font: str  # /BaseFont, e.g. "ABCDEF+gw-fang" (WeasyPrint names it by CSS family)
    postscript_name: str | None  # read from the embedded font program, e.g. "FandolFang-Regular"
    embedded: bool  # a font program is present (FontFile, FontFile2 or FontFile3)

    @property
    def family(self) -> str:
        """/BaseFont without its subset tag."""
        return self.base_font.split("+", 1)[-1]

    @property
    def face(self) -> str:
        """The most telling name: the font program's own, else the /BaseFont family."""
        return self.postscript_name or self.family


@dataclass(frozen=True)
class PdfResult:
    path: Path | None
    pages: int
    fonts: tuple[EmbeddedFont, ...]

    @property
    def faces(self) -> tuple[str, ...]:
        return tuple(sorted({font.face for font in self.fonts}))


# --- Line composition ----------------------------------------------------------
#
# WeasyPrint's text-align: justify only widens spaces, so CJK lines that hold a
# number or a Latin word end short of the right edge. Word and WPS instead spread
# every line to both edges. We do the same: break the lines here, with the real
# advance widths of the faces, and give each line its own letter-spacing. The
# words do not change; only <span> and <br> are added to the print HTML.

NATURAL_SPACING = -0.22  # pt at 16pt: 28 characters fill the 156 mm measure
INDENT = 2 * (BODY_SIZE + NATURAL_SPACING)  # a first-line indent of two characters
# How far a line may be squeezed to take one more character (a closing
# punctuation mark that must not start the next line) or stretched instead.
MIN_SPACING = -1.2
# Wider gaps read as spaces: pdftotext puts a space between glyphs set 2.5pt
# apart at 16pt, pdfplumber from 3pt. Past this a long Latin run (a web address)
# is broken inside instead, so that copying text out of the PDF gives back the
# source text exactly.
MAX_SPACING = 2.0

# Punctuation a line may take beyond the grid by closing up (Word's 标点压缩):
# only these may be squeezed in; a line never takes a 29th ordinary character.
COMPRESSIBLE = set("，。、；：？！）》」』】〕〉”’%‰℃,.;:?!)]}>")
# Where a Latin run that must be broken breaks best: after these.
SOFT_BREAK_AFTER = set("/.-_@?&=#:;,")


@dataclass(frozen=True)
class Segment:
    """A run of one line that shares its markup."""

    text: str
    lead: bool  # part of the bold run-in lead
    foreign: bool  # drawn by the GBK fallback face (see print.css .foreign-glyphs)


@dataclass(frozen=True)
class ComposedLine:
    """One line of a composed paragraph: its segments and its spacing."""

    segments: tuple[Segment, ...]
    letter_spacing: float  # pt

    @property
    def css_letter_spacing(self) -> str:
        return f"{self.letter_spacing:.3f}pt"


class AdvanceTable:
    """Advance widths (em) of a face, with a fallback face for missing characters."""

    def __init__(self, face: ResolvedFace, fallback: ResolvedFace):
        self._face = face
        self._fallback_face = fallback

    def has(self, character: str) -> bool:
        """Whether the role's own face draws ``character`` (else the fallback does)."""
        return ord(character) in _load_advances(self._face.file, self._face.index)

    def em(self, character: str) -> float:
        code = ord(character)
        advance = _load_advances(self._face.file, self._face.index).get(code)
        if advance is None:
            # Loaded only when a character (a rare name) is missing from the face.
            advance = _load_advances(self._fallback_face.file, self._fallback_face.index).get(code)
        if advance is None:
            return 1.0 if _is_wide(character) else 0.5
        return advance


class Advances(dict[str, float]):
    """character → em in one face, filled from its AdvanceTable as characters come."""

    def __init__(self, table: AdvanceTable):
        super().__init__()
        self.table = table

    def __missing__(self, character: str) -> float:
        self[character] = advance = self.table.em(character)
        return advance


@functools.cache
def _load_advances(file: Path, index: int) -> dict[int, float]:
    """A face's advance widths by code point. Every worker process needs five
    CJK faces, and reading their tables takes it about 0.2 s: they are kept in
    the memo, keyed on the font file."""
    parts = [file_stamp(file), index, made_by("fonttools")]
    stored = remembered("advances", parts, lambda: json.dumps(_read_advances(file, index)).encode())
    return {int(code): advance for code, advance in json.loads(stored).items()}


def _read_advances(file: Path, index: int) -> dict[int, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(file), fontNumber=index, lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in "WF"


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: one wide character, a space, or a run of narrow ones."""
    tokens: list[str] = []
    for character in text:
        narrow_run = tokens and not _is_wide(character) and not character.isspace()
        if narrow_run and not _is_wide(tokens[-1][-1]) and not tokens[-1][-1].isspace():
            tokens[-1] += character
        else:
            tokens.append(character)
    return tokens


def _units(text: str) -> list[str]:
    """Tokens glued by the kinsoku rules: each unit may start a new line."""
    units: list[str] = []
    for token in _tokens(text):
        # A space stays at the end of its line (where CSS drops it), never at the start.
        glue = units and (token[0] in NO_LINE_START or units[-1][-1] in NO_LINE_END or token.isspace())
        if glue:
            units[-1] += token
        else:
            units.append(token)
    return units


class LineComposer:
    """Breaks body text into lines and spreads each full line to both edges."""

    def __init__(self, font_set: FontSet, size: float = BODY_SIZE, measure: float = TEXT_BLOCK_WIDTH):
        self.size = size
        self.measure = measure
        self._tables = {
            role: AdvanceTable(font_set.face(role), font_set.fallback_for(role))
            for role in font_set.faces
        }
        self._ems = {role: Advances(table) for role, table in self._tables.items()}

    def _width(self, text: str, role: str) -> float:
        # Measured again for every unit a line grows by: each character's advance is
        # looked up in the font's table once, then in this role's own dictionary.
        return sum(map(self._ems[role].__getitem__, text)) * self.size

    def _spacing(self, text: str, role: str, available: float) -> float:
        """Letter-spacing that brings the last glyph of ``text`` to the right edge."""
        printed = text.rstrip()
        gaps = max(len(printed) - 1, 1)
        return (available - self._width(printed, role)) / gaps

    def break_lines(self, text: str, role: str, indent: float) -> list[tuple[str, float]]:
        """(line text, letter-spacing) pairs; the last line keeps the natural spacing."""
        lines: list[tuple[str, float]] = []
        line = ""
        available = self.measure - indent
        pending = deque(_units(text))
        while pending:
            unit = pending.popleft()
            candidate = line + unit
            if self._spacing(candidate, role, available) >= NATURAL_SPACING:
                line = candidate
                continue
            # The unit does not fit: squeeze it in, push it to the next line or,
            # when either would leave gaps that read as spaces, break it inside.
            finished, rest = self._fill(line, unit, role, available)
            lines.append((finished, self._clamped_spacing(finished, role, available)))
            if rest:
                pending.appendleft(rest)
            line = ""
            available = self.measure
        if line:
            lines.append((line, NATURAL_SPACING))
        return lines

    def _fill(self, line: str, unit: str, role: str, available: float) -> tuple[str, str]:
        """The finished line and what is left of ``unit`` for the next one."""
        squeezed = self._spacing(line + unit, role, available)
        stretched = self._spacing(line, role, available) if line.strip() else float("inf")
        only_punctuation_over = self._spacing(
            (line + unit).rstrip("".join(COMPRESSIBLE) + " "), role, available
        ) >= NATURAL_SPACING
        squeeze = squeezed >= MIN_SPACING and (only_punctuation_over or not line.strip())
        if squeeze and NATURAL_SPACING - squeezed < stretched - NATURAL_SPACING:
            return line + unit, ""
        if stretched <= MAX_SPACING:
            return line, unit
        split = self._split(line, unit, role, available)
        if split is not None:
            return line + split[0], split[1]
        # Nothing better: a stretched line, or one unbreakable unit overflowing a little.
        return (line, unit) if line.strip() else (unit, "")

    def _split(self, line: str, unit: str, role: str, available: float) -> tuple[str, str] | None:
        """Break a Latin run inside ``unit`` so that ``line`` fills up to the edge.

        Only between two narrow characters, never against the kinsoku rules;
        preferably after a character such as "/" or "." of a web address.
        """
        fitting = [
            cut for cut in range(1, len(unit))
            if not _is_wide(unit[cut - 1]) and not _is_wide(unit[cut])
            and not unit[cut].isspace()
            and unit[cut] not in NO_LINE_START and unit[cut - 1] not in NO_LINE_END
            and self._spacing(line + unit[:cut], role, available) >= NATURAL_SPACING
        ]
        if not fitting:
            return None
        soft = [cut for cut in fitting if unit[cut - 1] in SOFT_BREAK_AFTER
                and self._spacing(line + unit[:cut], role, available) <= MAX_SPACING]
        cut = max(soft or fitting)
        return unit[:cut], unit[cut:]

    def _clamped_spacing(self, line: str, role: str, available: float) -> float:
        return max(MIN_SPACING, min(self._spacing(line, role, available), MAX_SPACING))

    def compose(self, runs: list[tuple[str, bool]], role: str, indent: float) -> list[ComposedLine]:
        """Compose (text, is_lead) runs; the lead keeps its own markup on every line."""
        text = "".join(run for run, _ in runs)
        table = self._tables[role]
        marks = [
            (lead, not table.has(character) and not character.isspace())
            for run, lead in runs
            for character in run
        ]
        composed, start = [], 0
        for line, spacing in self.break_lines(text, role, indent):
            start = text.index(line, start)
            composed.append(ComposedLine(_segments(line, marks[start:start + len(line)]), spacing))
            start += len(line)
        return composed

    # The hooks the templates call (see templates/html/_blocks.html).

    def paragraph(self, block: Paragraph) -> list[ComposedLine]:
        runs = [(block.lead, True), (block.text, False)] if block.lead else [(block.text, False)]
        return self.compose(runs, "fang", INDENT)

    def heading(self, block: Heading) -> list[ComposedLine]:
        role = {1: "hei", 2: "kai"}.get(block.level, "fang")
        return self.compose([(block.text, block.level >= 3)], role, INDENT)

    def plain(self, text: str, indent_characters: int = 0) -> list[ComposedLine]:
        return self.compose([(text, False)], "fang", indent_characters * (BODY_SIZE + NATURAL_SPACING))


def _segments(line: str, marks: list[tuple[bool, bool]]) -> tuple[Segment, ...]:
    """Group the characters of a line by their (lead, foreign) marks."""
    segments: list[Segment] = []
    for character, (lead, foreign) in zip(line, marks):
        if segments and (segments[-1].lead, segments[-1].foreign) == (lead, foreign):
            segments[-1] = Segment(segments[-1].text + character, lead, foreign)
        else:
            segments.append(Segment(character, lead, foreign))
    return tuple(segments)


PDF_VARIANT = "pdf/a-2b"


def numbered_from(page: int) -> str:
    """The style of a part whose first page is page ``page`` of its document: that
    number on it, and on the side the number falls on. A document's first page is
    a right-hand one; a root written right to left makes it a left-hand one, and
    the body, left to right again, keeps the text as it was."""
    css = f"@page :first {{ counter-reset: page {page} }}"
    if page % 2 == 0:
        css += " html { direction: rtl } body { direction: ltr }"
    return css


def _clone_size_notice(record: logging.LogRecord) -> bool:
    """pypdf's clone adds a few objects of its own, then warns that the objects
    outnumber the source's trailer /Size (WeasyPrint's is exact): not for the user."""
    return "exceeds defined trailer size" not in record.getMessage()


def joined_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of the parts' pages in order, with the first part's catalogue (its
    PDF/A metadata and output intent), information and identifier."""
    from pypdf import PdfReader, PdfWriter

    notices = logging.getLogger("pypdf._writer")
    notices.addFilter(_clone_size_notice)
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[0])))
    finally:
        notices.removeFilter(_clone_size_notice)
    for data in parts[1:]:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class PdfRenderer:
    """Holds the font configuration and parsed CSS; renders many documents."""

    def __init__(
        self,
        templates: Path | str = DEFAULT_TEMPLATES,
        font_set: FontSet | None = None,
        extra_css: str = "",
    ):
        """``extra_css`` is laid over print.css (tests use it to make faulty PDFs)."""
        # Imported here so that `import supervision_bulletin.render.pdf` stays cheap and a
        # missing system library shows up only when a PDF is really wanted.
        import_weasyprint()
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_set = font_set or default_font_set()
        self.extra_css = extra_css
        self.html = HtmlRenderer(templates)
        self.composer = LineComposer(self.font_set)
        self.font_config = FontConfiguration()
        self.stylesheets = (
            CSS(string=self.font_set.stylesheet(), font_config=self.font_config),
            CSS(filename=str(self.html.stylesheet_path("print")), font_config=self.font_config),
        ) + ((CSS(string=extra_css, font_config=self.font_config),) if extra_css else ())

    def print_html(self, document: OfficialDocument, standalone: bool = False, template: str | None = None,
                   window: TableWindow | None = None) -> str:
        """The HTML that becomes the PDF (through ``template``, else its layout's).

        The renderer supplies its styles pre-parsed; ``standalone=True`` embeds
        them instead (fonts included), for a file that the weasyprint command
        or a browser's print preview can open on its own.
        """
        return self.html.render(
            document,
            flavour="print",
            embed_stylesheet=standalone,
            extra_css=self.font_set.stylesheet() if standalone else "",
            composer=self.composer,
            template=template,
            window=window,
        )

    def render_bytes(self, document: OfficialDocument) -> bytes:
        parts = layout_parts(document)
        if len(parts) == 1:
            return self._pdf_of(parts[0], document, first_page=1)[0]
        pdfs: list[bytes] = []
        first_page = 1
        for part in parts:
            if pdfs:
                heap.give_back()  # the layout before, held in reference cycles, goes before the next is made
            for data, pages in self._part_pdfs(part, document, first_page):
                pdfs.append(data)
                first_page += pages
        return joined_pdfs(pdfs)

    def _part_pdfs(self, part: LayoutPart, document: OfficialDocument, first_page: int) -> Iterator[tuple[bytes, int]]:
        """The PDFs of one part of a long document and their page counts: one, or one
        for each window of its long table (render.long.TableWindow)."""
        window = part.first_window()
        while True:
            laid_out, options = self._laid_out(part.windowed(window) if window else part, document, first_page)
            if window is None or window.last:
                yield written(laid_out, options)
                return
            restart = row_at_the_top(laid_out.pages)
            if restart is None or restart <= window.start:
                # The window fits on one page, or its last page starts inside a row
                # taller than a page: the rest of the table in one layout.
                window = window.to_the_end()
            else:
                data, pages = written(laid_out.copy(laid_out.pages[:-1]), options)
                yield data, pages
                first_page += pages
                window = window.from_row(restart)
            del laid_out
            heap.give_back()  # this window's layout goes before the next is made

    def _pdf_of(self, part: LayoutPart, document: OfficialDocument, first_page: int) -> tuple[bytes, int]:
        """The PDF of one part of ``document``, its first page numbered ``first_page``,
        and how many pages it has."""
        return written(*self._laid_out(part, document, first_page))

    def _laid_out(self, part: LayoutPart, document: OfficialDocument, first_page: int) -> tuple[Any, dict[str, Any]]:
        """WeasyPrint's layout of one part of ``document``, its first page numbered
        ``first_page``, and the options it is to be written with."""
        markup = self.print_html(part.document, template=part.template, window=part.window)
        html = weasyprint_html(markup, str(self.html.templates))
        stylesheets = list(self.stylesheets)
        if first_page > 1:
            stylesheets.append(self._css(numbered_from(first_page)))
        options = {
            "stylesheets": stylesheets,
            "pdf_identifier": document.slug.encode("utf-8"),
            # The PDF is the archive copy: PDF/A-2b costs about 3 KB (XMP
            # metadata and an sRGB output intent) and no measurable time.
            "pdf_variant": PDF_VARIANT,
        }
        return html.render(font_config=self.font_config, **options), options

    def _css(self, text: str) -> Any:
        from weasyprint import CSS

        return CSS(string=text, font_config=self.font_config)

    def write(self, document: OfficialDocument, path: Path | str) -> PdfResult:
        """Write the PDF and report the faces it really embeds."""
        data = self.render_bytes(document)
        path = Path(path)
        path.write_bytes(data)
        result = inspect_pdf(data, path)
        self._warn_about_unexpected(result)
        return result

    def render(self, document: OfficialDocument, path: Path | str) -> tuple[str, ...]:
        """Write the PDF; returns the names of the faces embedded in it."""
        return self.write(document, path).faces

    def _warn_about_unexpected(self, result: PdfResult) -> None:
        for font in result.fonts:
            if not font.embedded:
                LOGGER.warning("%s：字体 %s 未嵌入", result.path, font.base_font)
            elif not self.font_set.covers(font.postscript_name):
                LOGGER.warning("%s：嵌入了字体集以外的字体 %s", result.path, font.face)


def written(laid_out: Any, options: dict[str, Any]) -> tuple[bytes, int]:
    """The PDF of a WeasyPrint layout, and how many pages it has."""
    return laid_out.write_pdf(finisher=embolden_synthetic_bold, **options), len(laid_out.pages)


def row_at_the_top(pages: list[Any]) -> int | None:
    """The index of the table row (its data-row) that starts the last page of a
    window's layout, if the row does not also end the page before it."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    def rows_on(page: Any) -> list[int]:
        return [int(box.element.get("data-row")) for box in page._page_box.descendants()
                if isinstance(box, TableRowBox) and box.element is not None and box.element.get("data-row")]

    last = rows_on(pages[-1]) if pages else []
    before = rows_on(pages[-2]) if len(pages) > 1 else []
    if not last or last[0] in before:
        return None
    return last[0]


def weasyprint_html(markup: str, base_url: str) -> Any:
    """WeasyPrint's document of the print HTML.

    The templates write the print HTML as well-formed XML, and expat reads it
    thirty times faster than WeasyPrint's own HTML5 parser, pure Python, which
    took 0.06 s of a monthly report's second. Both give the same tree (a test
    compares the PDFs). Markup expat refuses (a control character that came in
    a report) takes WeasyPrint's own way."""
    from weasyprint import HTML

    try:
        root = ElementTree.fromstring(markup)
    except ElementTree.ParseError:
        return HTML(string=markup, base_url=base_url)
    return _parsed_html_class()(root, base_url)


@functools.cache
def _parsed_html_class() -> type:
    """Made on first use: `import supervision_bulletin.render.pdf` stays free of WeasyPrint."""
    import cssselect2
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class ParsedHTML(HTML):
        """weasyprint.HTML over a tree parsed already: what its constructor sets
        after parsing (WeasyPrint 70), set from that tree."""

        def __init__(self, root: ElementTree.Element, base_url: str):
            self.base_url = base_url
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

    return ParsedHTML


def render_pdf(document: OfficialDocument, path: Path | str, renderer: PdfRenderer | None = None) -> PdfResult:
    """Render one document (a throwaway renderer unless one is given)."""
    return (renderer or PdfRenderer()).write(document, path)


# --- Synthetic bold ------------------------------------------------------------

# Stroke width of a synthetic bold, as a share of the font size (Word's fake bold
# looks about this heavy).
SYNTHETIC_BOLD_STROKE = 0.03


def _synthetic_bold_tags(pdf) -> set[bytes]:
    """Resource names of fonts asked for in bold but drawn from a regular file.

    The faces of 仿宋 and 楷体 have no bold file. Pango then picks the regular
    file under a "-Bold" name, and WeasyPrint draws it unemboldened, so the bold
    of a level-3 heading or a run-in lead would vanish from the PDF.
    """
    import pydyf

    tags = set()
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Type0":
            continue
        base_font = bytes(obj.get("BaseFont", b"")).lstrip(b"/")
        tag, _, family = base_font.partition(b"+")
        if family.endswith(b"-Bold") and not _program_is_bold(pdf, obj):
            tags.add(tag)
    return tags


def _resolve(pdf, value):
    """A pydyf object from an indirect reference such as b"25 0 R"."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _program_is_bold(pdf, type0) -> bool:
    descendant = _resolve(pdf, type0["DescendantFonts"][0])
    descriptor = _resolve(pdf, descendant.get("FontDescriptor"))
    for key in ("FontFile", "FontFile2", "FontFile3"):
        if descriptor is not None and key in descriptor:
            data = b"".join(_resolve(pdf, descriptor[key]).stream)
            return "bold" in (_program_name(data) or "").lower()
    return True  # nothing to inspect: leave it alone


def _embolden_text_object(ops: list[bytes], bold_tags: set[bytes], fill: bytes) -> list[bytes]:
    """Stroke the glyphs of bold fonts in one BT…ET text object, in its fill colour."""
    result = []
    for op in ops:
        result.append(op)
        if not op.endswith(b" Tf"):
            continue
        tag, size = op[1:].split()[:2]
        if tag in bold_tags:
            width = float(size) * SYNTHETIC_BOLD_STROKE
            result += [fill + b" RG", f"{width:.3f} w".encode(), b"2 Tr"]
        else:
            result.append(b"0 Tr")
    return result


def embolden_synthetic_bold(document, pdf) -> None:
    """WeasyPrint finisher: draw "-Bold" runs of regular-only faces as fake bold.

    Every affected text object is wrapped in q…Q, so the stroke colour, line
    width and rendering mode set here never leak into what WeasyPrint draws next.
    """
    import pydyf

    bold_tags = _synthetic_bold_tags(pdf)
    if not bold_tags:
        return
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and b"BT" in obj.stream:
            obj.stream[:] = _embolden_stream(obj.stream, bold_tags)


def _embolden_stream(ops: list, bold_tags: set[bytes]) -> list:
    result: list = []
    fill = b"0 0 0"
    text_object: list | None = None
    for op in ops:
        if isinstance(op, bytes) and op.endswith(b" rg"):
            fill = op[:-3]
        if op == b"BT":
            text_object = [op]
            continue
        if text_object is None:
            result.append(op)
            continue
        text_object.append(op)
        if op == b"ET":
            uses_bold = any(
                item.endswith(b" Tf") and item[1:].split()[0] in bold_tags
                for item in text_object if isinstance(item, bytes)
            )
            if uses_bold:
                result += [b"q", *_embolden_text_object(text_object, bold_tags, fill), b"Q"]
            else:
                result += text_object
            text_object = None
    return result


# --- Reading the fonts back -------------------------------------------------

_FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")


def _font_descriptor(font):
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor.get_object() if descriptor is not None else None


def _program_name(data: bytes) -> str | None:
    """PostScript name stored in an embedded OpenType/TrueType or bare CFF program."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    try:
        return TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(6)
    except Exception:  # not an sfnt: a bare CFF table (FontFile3 /CIDFontType0C)
        pass
    try:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        return cff.fontNames[0] if cff.fontNames else None
    except Exception:
        return None


def _embedded_font(font) -> EmbeddedFont:
    base_font = str(font.get("/BaseFont", ""))
    descriptor = _font_descriptor(font)
    program = None
    if descriptor is not None:
        program = next((descriptor[key] for key in _FONT_FILE_KEYS if key in descriptor), None)
    name = _program_name(program.get_object().get_data()) if program is not None else None
    return EmbeddedFont(base_font=base_font.lstrip("/"), postscript_name=name, embedded=program is not None)


def _page_fonts(resources, seen: set, found: list) -> None:
    """Collect fonts from a resource dictionary and the forms it uses."""
    if resources is None:
        return
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is not None:
        for reference in fonts.get_object().values():
            key = getattr(reference, "idnum", id(reference))
            if key not in seen:
                seen.add(key)
                found.append(_embedded_font(reference.get_object()))
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for reference in xobjects.get_object().values():
            xobject = reference.get_object()
            key = ("x", getattr(reference, "idnum", id(reference)))
            if key not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(key)
                _page_fonts(xobject.get("/Resources"), seen, found)


def _reader_fonts(reader) -> tuple[EmbeddedFont, ...]:
    seen: set = set()
    found: list[EmbeddedFont] = []
    for page in reader.pages:
        _page_fonts(page.get("/Resources"), seen, found)
    return tuple(found)


@dataclass(frozen=True)
class ParsedPdf:
    """pypdf's reading of one PDF's bytes: the reader, its page count and its fonts."""

    reader: object  # a pypdf PdfReader over the bytes; treat as read-only
    pages: int
    fonts: tuple[EmbeddedFont, ...]


# The renderer reads back every PDF it writes, and the build's check reads the
# same file again moments later: the same bytes need not be parsed twice (the
# page tree and the font programs are most of pypdf's time). Keyed by the
# SHA-256 of the bytes, so a file changed since, even by one byte, is parsed
# afresh; one entry, the file just written: a large parsed PDF is large.
PARSED_CACHE_SIZE = 1
_PARSED: OrderedDict[bytes, ParsedPdf] = OrderedDict()


def parse_pdf(data: bytes) -> ParsedPdf:
    """The parse of ``data``, made once per content and process."""
    from pypdf import PdfReader

    key = hashlib.sha256(data).digest()
    parsed = _PARSED.get(key)
    if parsed is not None:
        _PARSED.move_to_end(key)
        return parsed
    reader = PdfReader(io.BytesIO(data))
    parsed = ParsedPdf(reader, len(reader.pages), _reader_fonts(reader))
    _PARSED[key] = parsed
    while len(_PARSED) > PARSED_CACHE_SIZE:
        _PARSED.popitem(last=False)
    return parsed


def forget_parsed_pdfs() -> None:
    """Let the parse kept for the PDF just written go, once it is verified: its
    objects, made after a layout's, would otherwise hold on to the memory the
    layout left free (Python frees a block of memory only once all of it is)."""
    _PARSED.clear()


def embedded_fonts(pdf: bytes | Path | str) -> tuple[EmbeddedFont, ...]:
    """Every font resource of a PDF with its embedded program's name."""
    return parse_pdf(pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()).fonts


def inspect_pdf(data: bytes, path: Path | None = None) -> PdfResult:
    parsed = parse_pdf(data)
    return PdfResult(path=path, pages=parsed.pages, fonts=parsed.fonts)
