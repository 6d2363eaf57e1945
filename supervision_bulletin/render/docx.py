"""Render an OfficialDocument to Word through the docxtpl templates.

The templates (built by scripts/make_docx_templates.py) carry the layout: page,
grid, styles, red header, footers, colophon. This module supplies the content:

Context contract
    doc     the OfficialDocument itself; the template reads its fields.
    embeds  {block: object} for every Table (a TableXml holding a Word
            table) and Figure (an InlineImage of Figure.png) in doc.body and in
            each attachment's blocks, keyed by the (frozen, hashable) block.

Rendering uses a sandboxed Jinja environment with autoescaping, so report text
such as "A&B<公司>" or "{{ 7*7 }}" comes out literally and cannot reach Python
internals.

Two things depend on the actual strings and are set after rendering, in the
rendered file's paragraph properties: the signature and date indents (GB/T 9704
positions the date relative to the signature's first character) and the issuer
mark's size when a long name would not fit the 156 mm measure at the template's
size.

The same document always gives the same bytes: the zip members carry the
document's issue date (never the time of the build) in a fixed order, and the
core properties are dated from the document too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Iterable, Iterator
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from supervision_bulletin.document import Block, Figure, OfficialDocument, Table
from supervision_bulletin.render import DOCX_TEMPLATE_NAMES
from supervision_bulletin.render.table_layout import CELL_PADDING_X_MM, CELL_PADDING_Y_MM, TableLayout, layout_table
from supervision_bulletin.write import ZIP_EPOCH, reproducible_zip

TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH = round(156 * TWIPS_PER_MM)
TEXT_WIDTH_PT = 156 / 25.4 * 72

BODY_SIZE_PT = 16.0
BODY_TRACKING_PT = -0.25
TWO_CHARACTERS_PT = 2 * (BODY_SIZE_PT + BODY_TRACKING_PT)

ISSUER_MARK_STYLES = ("GwIssuerMark", "GwLetterIssuerMark")
ISSUER_MARK_TRACKING_PT = -1.0

TABLE_STYLE = "GwTable"  # the template's table style: rules and cell margins
# Paragraph styles of the table text and header at each size of table_layout.
TABLE_TEXT_STYLES = {
    12.0: ("GwTableText", "GwTableHeader"),  # 小四
    10.5: ("GwTableTextSmall", "GwTableHeaderSmall"),  # 五号
    9.0: ("GwTableTextSmaller", "GwTableHeaderSmaller"),  # 小五
}


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


CELL_MARGIN_X = twips(CELL_PADDING_X_MM)
CELL_MARGIN_Y = twips(CELL_PADDING_Y_MM)


# --- Tables ----------------------------------------------------------------------


def column_widths(layout: TableLayout) -> list[int]:
    """The layout's widths (mm) in twips, summing to the 156 mm text block."""
    widths = [twips(width) for width in layout.widths_mm]
    widths[-1] += TEXT_WIDTH - sum(widths)  # rounding must not widen the table
    return widths


def cell_margins_xml() -> str:
    """w:tblCellMar: the text kept off the rules, as print.css pads its cells."""
    return (
        f'<w:tblCellMar><w:top w:w="{CELL_MARGIN_Y}" w:type="dxa"/><w:left w:w="{CELL_MARGIN_X}" w:type="dxa"/>'
        f'<w:bottom w:w="{CELL_MARGIN_Y}" w:type="dxa"/><w:right w:w="{CELL_MARGIN_X}" w:type="dxa"/></w:tblCellMar>'
    )


def table_properties_xml() -> str:
    """The template's GwTable style carries the rules and cell margins; the margins
    are repeated here so that a template edited in Word cannot squeeze the text
    against the rules the widths were computed for."""
    return (
        "<w:tblPr>"
        f'<w:tblStyle w:val="{TABLE_STYLE}"/>'
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
        '<w:jc w:val="center"/>'
        # Fixed layout: Word and LibreOffice keep our widths instead of fitting text.
        '<w:tblLayout w:type="fixed"/>'
        + cell_margins_xml()
        + '<w:tblLook w:val="0000" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr>"
    )


def build_table_xml(table: Table) -> str:
    """A w:tbl of plain text: rows that never split across pages, the header row
    repeated on each page, each cell a paragraph of the table text or header
    style, a domain's row one cell across the table that never ends a page.

    Written as text rather than through python-docx's objects, element by element
    in the order python-docx gives them: a sixth of the time (a monthly report's
    attachment table has a thousand cells)."""
    layout = layout_table(table)
    text_style, header_style = TABLE_TEXT_STYLES[layout.size_pt]
    widths = column_widths(layout)
    parts = [f"<w:tbl {nsdecls('w')}>", table_properties_xml(), "<w:tblGrid>"]
    parts += [f'<w:gridCol w:w="{width}"/>' for width in widths]
    parts.append("</w:tblGrid>")
    # Broken at word boundaries here, so that no program breaks "序号" as 序/号.
    parts.append(row_xml([cell_xml(width, header_style, lines) for width, lines in zip(widths, layout.header_lines)],
                         header=True))
    for index, values in enumerate(table.rows):
        if index in table.group_rows:
            cells = [cell_xml(sum(widths), header_style, [values[0]], align="left", span=len(widths))]
        else:
            cells = [cell_xml(width, text_style, [value], align="left" if align == "left" else None)
                     for width, value, align in zip(widths, values, layout.alignments)]
        parts.append(row_xml(cells, header=False))
    parts.append("</w:tbl>")
    return "".join(parts)


def row_xml(cells: list[str], header: bool) -> str:
    """Rows never split across pages; the header row repeats on each page."""
    flags = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    return f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>"


def cell_xml(width: int, style_id: str, lines: Iterable[str], align: str | None = None, span: int = 1) -> str:
    """One cell's paragraph; several lines are joined by explicit line breaks. A
    cell across ``span`` columns (a domain's heading) keeps with the next row."""
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    keep = "<w:keepNext/>" if span > 1 else ""
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    runs = "".join(run_xml(line, broken=index > 0) for index, line in enumerate(lines))
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{grid_span}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{keep}{jc}</w:pPr>{runs}</w:p></w:tc>')


def run_xml(text: str, broken: bool = False) -> str:
    """A run of ``text`` as python-docx writes one: a tab as w:tab, a line end as
    w:br, the rest in w:t (space kept where it begins or ends one); after a line
    break of its own when ``broken``."""
    check_xml_text(text)
    content = ["<w:br/>"] if broken else []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{''.join(content)}</w:r>" if content else "<w:r/>"


# What lxml refuses in XML text (control characters, lone surrogates): refused here too.
NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_text(text: str) -> None:
    if NOT_XML_TEXT.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")


class TableXml:
    """A Word table inserted by the template's {{p embeds[block] }} tag.

    Like a docxtpl Subdoc it hands Jinja its XML through __html__ (so
    autoescaping leaves it alone), but it needs neither a second document nor
    docxcompose: a table of plain text refers to no other part."""

    def __init__(self, table: Table):
        self.xml = build_table_xml(table)

    def __html__(self) -> str:
        return self.xml

    __str__ = __html__


def figure_image(tpl: DocxTemplate, figure: Figure) -> InlineImage:
    return InlineImage(tpl, io.BytesIO(figure.png), width=Mm(figure.width_mm))


def all_blocks(document: OfficialDocument) -> Iterator[Block]:
    yield from document.body
    for attachment in document.attachments:
        yield from attachment.blocks


def build_embeds(tpl: DocxTemplate, document: OfficialDocument) -> dict:
    embeds: dict[Block, TableXml | InlineImage] = {}
    for block in all_blocks(document):
        if block in embeds:
            continue
        if isinstance(block, Table):
            embeds[block] = TableXml(block)
        elif isinstance(block, Figure):
            embeds[block] = figure_image(tpl, block)
    return embeds


# --- Text-dependent adjustments after rendering ----------------------------------------


# Set full width because every font slot names the Chinese face.
CHINESE_FACE_PUNCTUATION = "—…“”‘’·"


def is_wide(character: str) -> bool:
    """Full-width (CJK, full-width punctuation) versus half-width (digits, Latin)."""
    return ord(character) >= 0x2E80 or character in CHINESE_FACE_PUNCTUATION


def text_width_pt(text: str, size_pt: float = BODY_SIZE_PT, tracking_pt: float = BODY_TRACKING_PT) -> float:
    return sum((size_pt if is_wide(ch) else size_pt / 2) + tracking_pt for ch in text)


def signature_indents_pt(signature: str, date: str) -> tuple[float, float]:
    """Right indents of the signature and the date (GB/T 9704, no seal).

    The signature sits two characters in from the right and the date starts
    two characters right of the signature's first character; when the date is
    the longer one, the date sits two characters in and the signature moves
    left to keep the two-character offset."""
    name_width, date_width = text_width_pt(signature), text_width_pt(date)
    name_indent = max(TWO_CHARACTERS_PT, 2 * TWO_CHARACTERS_PT + date_width - name_width)
    date_indent = name_indent + name_width - TWO_CHARACTERS_PT - date_width
    return name_indent, date_indent


def paragraphs_with_style(root, style_ids: Iterable[str]):
    wanted = set(style_ids)
    for paragraph in root.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in wanted:
            yield paragraph


def set_right_indent(paragraph, indent_pt: float) -> None:
    """A direct w:ind (in twips only: a character count would override it)."""
    ppr = paragraph.find(qn("w:pPr"))
    for old in ppr.findall(qn("w:ind")):
        ppr.remove(old)
    twips = round(indent_pt * 20)
    ind = parse_xml(f'<w:ind {nsdecls("w")} w:rightChars="0" w:right="{twips}"/>')
    jc = ppr.find(qn("w:jc"))
    if jc is not None:
        jc.addprevious(ind)
    else:
        ppr.append(ind)


def place_signature_block(body, document: OfficialDocument) -> None:
    name_indent, date_indent = signature_indents_pt(document.signature, document.date)
    for paragraph in paragraphs_with_style(body, ["GwSignature"]):
        set_right_indent(paragraph, name_indent)
    for paragraph in paragraphs_with_style(body, ["GwDate"]):
        set_right_indent(paragraph, date_indent)


def keep_closing_with_body(body) -> None:
    """The 附件说明, signature and date never open a page on their own: the body's
    last paragraph travels with them (their styles keep with the next already)."""
    closing = next(paragraphs_with_style(body, ["GwAttachmentNote", "GwSignature"]), None)
    previous = closing.getprevious() if closing is not None else None
    if previous is None or previous.tag != qn("w:p"):
        return
    ppr = previous.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f'<w:pPr {nsdecls("w")}/>')
        previous.insert(0, ppr)
    if ppr.find(qn("w:keepNext")) is None:
        keep = parse_xml(f'<w:keepNext {nsdecls("w")}/>')
        style = ppr.find(qn("w:pStyle"))
        if style is not None:
            style.addnext(keep)  # schema order: pStyle, keepNext, …
        else:
            ppr.insert(0, keep)


def issuer_mark_size_half_points(mark: str, template_half_points: int) -> int:
    """The template's size, or the largest half-point size that keeps the mark
    on one line of the text block."""
    characters = max(1, len(mark))
    fitting = (TEXT_WIDTH_PT * 0.98 / characters - ISSUER_MARK_TRACKING_PT) * 2
    return min(template_half_points, int(fitting))


def fit_issuer_mark(roots: Iterable, mark: str, template_half_points: int) -> None:
    size = issuer_mark_size_half_points(mark, template_half_points)
    if size >= template_half_points:
        return
    for root in roots:
        for paragraph in paragraphs_with_style(root, ISSUER_MARK_STYLES):
            for run in paragraph.iter(qn("w:r")):
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
                    run.insert(0, rpr)
                rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{size}"/>'))
                rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{size}"/>'))


def style_size_half_points(docx, style_id: str) -> int:
    style = docx.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')[0]
    return int(style.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")))


def header_roots(docx) -> list:
    """The body and the header parts (the letter's issuer mark is in a header)."""
    roots = [docx.element.body]
    for rel in docx.part.rels.values():
        if rel.reltype.endswith("/header"):
            roots.append(rel.target_part._element)
    return roots


# --- Reproducible files -------------------------------------------------------------

# The earliest time a zip member can carry (DOS time).
_CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def document_time(document: OfficialDocument) -> dt.datetime:
    """When the document says it was made: its issue date (成文日期) at midnight.

    A document without one is dated from its printed date, else the zip epoch;
    the build's clock never enters the file."""
    day = document.issued
    if day is None:
        match = _CHINESE_DATE.fullmatch(document.date.strip())
        if match:
            try:
                day = dt.date(*map(int, match.groups()))
            except ValueError:
                day = None
    if day is None or day < ZIP_EPOCH.date():
        return ZIP_EPOCH
    return dt.datetime(day.year, day.month, day.day)


def describe_in_core_properties(docx, document: OfficialDocument, when: dt.datetime) -> None:
    """docProps/core.xml, shown in Word's file properties: the document's title,
    issuer and number, dated with the document's time, not the template's nor the
    build's (python-docx stamps "now" into a package lacking the part)."""
    properties = docx.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = document.issuer
    properties.subject = document.number or ""
    properties.comments = ""
    stamp = when.replace(tzinfo=dt.UTC)
    properties.created = stamp
    properties.modified = stamp


# --- Rendering -----------------------------------------------------------------------


class CompilingOnce(SandboxedEnvironment):
    """docxtpl compiles every part of the template (body, headers, footers) from its
    XML on each render. That XML is the same for every document of one layout, so
    each part is compiled once per renderer: about two thirds of a notice's DOCX time."""

    def __init__(self, **options: Any):
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


class DocxRenderer:
    """Loads each template once; renders any number of documents with it."""

    def __init__(self, template_dir: Path):
        self.template_bytes = {
            layout: (Path(template_dir) / name).read_bytes() for layout, name in DOCX_TEMPLATE_NAMES.items()
        }
        # Report text is data: escaped into the XML, never evaluated.
        self.environment = CompilingOnce(autoescape=True)

    def render(self, document: OfficialDocument, out_path: Path) -> None:
        tpl = DocxTemplate(io.BytesIO(self.template_bytes[document.layout]))
        context = {"doc": document, "embeds": build_embeds(tpl, document)}
        tpl.render(context, jinja_env=self.environment, autoescape=True)
        self.adjust_to_text(tpl.docx, document)
        when = document_time(document)
        describe_in_core_properties(tpl.docx, document, when)
        buffer = io.BytesIO()
        tpl.save(buffer)
        out_path = Path(out_path)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_bytes(reproducible_zip(buffer.getvalue(), when))

    @staticmethod
    def adjust_to_text(docx, document: OfficialDocument) -> None:
        place_signature_block(docx.element.body, document)
        keep_closing_with_body(docx.element.body)
        style_id = "GwLetterIssuerMark" if document.layout == "letter" else "GwIssuerMark"
        fit_issuer_mark(header_roots(docx), document.issuer_mark, style_size_half_points(docx, style_id))


def render_docx(document: OfficialDocument, template_dir: Path, out_path: Path) -> None:
    DocxRenderer(template_dir).render(document, out_path)
