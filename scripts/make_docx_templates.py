"""Build the Word templates supervision_bulletin/templates/docx/standard.docx and letter.docx.

The templates are generated rather than hand-edited so that every layout number
of GB/T 9704-2012 is visible and reviewable here, and so that each Jinja tag
sits in a run of its own (docxtpl cannot render a tag that Word split across
runs). Staff may still open the result in Word and adjust styles by hand; the
renderer only relies on the style ids and the tags.

Run:  python scripts/make_docx_templates.py [output_dir]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from supervision_bulletin.render.table_layout import CELL_PADDING_X_MM, CELL_PADDING_Y_MM  # noqa: E402
from supervision_bulletin.resources import TEMPLATES  # noqa: E402

DEFAULT_OUTPUT_DIR = TEMPLATES / "docx"

# --- Layout numbers (twips = 1/20 pt; GB/T 9704 figures in the comments) ------

TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


PAGE_WIDTH, PAGE_HEIGHT = mm(210), mm(297)
MARGIN_TOP, MARGIN_BOTTOM = mm(37), mm(35)
MARGIN_LEFT, MARGIN_RIGHT = mm(28), mm(26)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm

LINE = 579  # 28.95 pt: 22 lines fill the 225 mm text block
BODY_SIZE = 32  # half-points: 3号 = 16 pt
SMALL_SIZE = 28  # 4号 = 14 pt (colophon, page numbers)
TITLE_SIZE = 44  # 2号 = 22 pt
# Tables: 小四 (12 pt), or 五号 (10.5 pt) and 小五 (9 pt) for tables too wide for
# it (supervision_bulletin/render/table_layout.py chooses, per table).
TABLE_SIZES = {"": 24, "Small": 21, "Smaller": 18}
TABLE_SIZE = TABLE_SIZES[""]
TABLE_SIZE_NAMES = {"": "", "Small": "（五号）", "Smaller": "（小五）"}
TABLE_LINE_HEIGHT = 1.35  # print.css .data-table line-height: rows as tall in Word as in the PDF


def table_line(size: int) -> int:
    """The exact line height (twips) of table text of ``size`` half-points: the PDF's
    1.35 em. Single spacing would follow each font's own metrics (1.25 em for Fandol
    Fang), so Word packed more rows on a page than the PDF: two pages fewer in a bulletin."""
    return round(size * 10 * TABLE_LINE_HEIGHT)
TABLE_RULE_SIZE = 4  # eighths of a point: ½ pt rules
# −0.25 pt tracking: 28 characters of 15.75 pt fit the 442 pt measure, while
# 29 do not, so Word and LibreOffice both set 28 a line.
BODY_TRACKING = -5
CHAR = 320  # one 16 pt character, for indents
SMALL_CHAR = 280  # one 14 pt character

ISSUER_MARK_SIZE = 80  # 40 pt: ten characters fill ~3/4 of the 156 mm measure
ISSUER_MARK_TRACKING = -20  # −1 pt keeps the heavy face from looking loose
ISSUER_MARK_LINE = 880  # 44 pt exact: the glyphs' own height plus a little
RED = "FF0000"

FANG = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
XBS = "方正小标宋简体"

# Vertical placement, measured on LibreOffice renders with the open stand-in
# faces (Fandol); the official faces have similar metrics, within about 1 mm.
# Standard layout: issuer mark top 35 mm below the text block top; the first
# paragraph (one grid line) holds the 征求意见稿 marking, so the mark's space
# before is 35 mm minus that line minus the glyph's offset inside its line.
ISSUER_MARK_GLYPH_OFFSET = 90  # twips from line top to glyph top at 40 pt
STANDARD_MARK_SPACE_BEFORE = mm(35) - LINE - ISSUER_MARK_GLYPH_OFFSET
# The red rule 4 mm under the number: the border is drawn below the number's
# line box, whose bottom lies ~1.3 mm under the glyphs' bottom.
RULE_GAP_PT = 8
RULE_SIZE = 8  # eighths of a point: 1 pt ≈ 0.35 mm

# Letter layout: issuer mark top 30 mm from the page top; it lives in the
# first-page header, whose distance from the page edge sets that position.
LETTER_HEADER_DISTANCE = mm(30) - ISSUER_MARK_GLYPH_OFFSET
LETTER_RULE_OVERHANG = mm(7)  # 170 mm rules over a 156 mm text block
LETTER_DOUBLE_RULE_SIZE = 24  # 3 pt for the whole thick-and-thin pair
LETTER_RULE_GAP_PT = 11  # 4 mm between the issuer mark and the upper rule
# The number (or 征求意见稿) sits flush right with the top of its characters 7/8 of
# a 3号 character (14 pt, 4.9 mm) under the upper rule (GB/T 9704 10.1); its
# paragraph follows the rule in the first-page header. Without space before, the
# characters' top (0.88 em above the baseline) lies LETTER_NUMBER_GLYPH_OFFSET
# under the rule's lower edge (the rest of the border's line and the exact line's
# leading above the glyphs).
LETTER_NUMBER_GLYPH_OFFSET = 180  # twips, measured on LibreOffice renders
LETTER_NUMBER_SPACE_BEFORE = 280 - LETTER_NUMBER_GLYPH_OFFSET  # 14 pt to the characters' top

# Page numbers: the dashes 7 mm below the text block, i.e. 28 mm above the page
# bottom. The footer sits FOOTER_DISTANCE above the edge; the number's line is
# PAGE_NUMBER_LINE high with the dash near its middle.
PAGE_NUMBER_LINE = 400  # 20 pt exact
FOOTER_DISTANCE = mm(25)
# The letter's first-page footer carries the lower red double rule at 20 mm, so
# its footer sits lower and the page numbers are lifted by space after.
LETTER_FOOTER_DISTANCE = mm(19)


def parse_w(xml: str):
    """Parse a WordprocessingML fragment, declaring the w: prefix on its root."""
    return parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {nsdecls('w')}", xml, count=1))


# --- Styles -------------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphStyle:
    style_id: str
    name: str
    font: str = FANG
    size: int = BODY_SIZE
    bold: bool = False
    color: str | None = None
    tracking: int | None = None
    align: str = "both"
    first_line_chars: int = 0  # hundredths of a character
    hanging_chars: int = 0
    left_chars: int = 0
    right_chars: int = 0
    char_twips: int = CHAR
    overhang: int = 0  # twips the paragraph reaches past the text block on each side
    line: int | None = LINE  # exact line height; None for single spacing
    space_before: int = 0
    space_after: int = 0
    snap_to_grid: bool = True
    keep_next: bool = False
    page_break_before: bool = False
    outline_level: int | None = None
    borders: str = ""  # inner XML of w:pBdr
    tabs: str = ""  # inner XML of w:tabs
    based_on: str = "Normal"


def run_properties_xml(font: str, size: int, bold: bool = False, color: str | None = None,
                       tracking: int | None = None) -> str:
    """w:rPr in schema order. Every font slot names the Chinese face: a Latin
    hAnsi face would also take over Chinese quotes, dashes and ellipses."""
    parts = [f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>']
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if tracking is not None:
        parts.append(f'<w:spacing w:val="{tracking}"/>')
    parts.append(f'<w:kern w:val="0"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def indent_xml(style: ParagraphStyle) -> str:
    """Indents both in characters (Word, which rescales them with the font)
    and in twips (LibreOffice, which reads only the twips)."""
    attrs = []
    for side, chars in (("left", style.left_chars), ("right", style.right_chars)):
        if chars:
            attrs.append(f'w:{side}Chars="{chars}" w:{side}="{chars * style.char_twips // 100}"')
    if style.overhang:
        attrs.append(f'w:left="{-style.overhang}" w:right="{-style.overhang}"')
    if style.first_line_chars:
        twips = style.first_line_chars * style.char_twips // 100
        attrs.append(f'w:firstLineChars="{style.first_line_chars}" w:firstLine="{twips}"')
    if style.hanging_chars:
        twips = style.hanging_chars * style.char_twips // 100
        attrs.append(f'w:hangingChars="{style.hanging_chars}" w:hanging="{twips}"')
    return f'<w:ind {" ".join(attrs)}/>' if attrs else '<w:ind w:left="0" w:right="0" w:firstLine="0"/>'


def paragraph_properties_xml(style: ParagraphStyle) -> str:
    """w:pPr in the order the schema requires (Word rejects other orders)."""
    parts = []
    if style.keep_next:
        parts.append("<w:keepNext/>")
    if style.page_break_before:
        parts.append("<w:pageBreakBefore/>")
    # GB/T 9704 wants every full page to hold all 22 lines.
    parts.append('<w:widowControl w:val="0"/>')
    if style.borders:
        parts.append(f"<w:pBdr>{style.borders}</w:pBdr>")
    if style.tabs:
        parts.append(f"<w:tabs>{style.tabs}</w:tabs>")
    # No extra space between Chinese and Latin letters or digits: two digits
    # take one character of the grid, as in the HTML/PDF rendering, and the
    # signature block's arithmetic holds.
    parts.append('<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
    parts.append(f'<w:snapToGrid w:val="{1 if style.snap_to_grid else 0}"/>')
    if style.line is None:
        line = 'w:line="240" w:lineRule="auto"'
    else:
        line = f'w:line="{style.line}" w:lineRule="exact"'
    parts.append(
        f'<w:spacing w:before="{style.space_before}" w:beforeLines="0" '
        f'w:after="{style.space_after}" w:afterLines="0" {line}/>'
    )
    parts.append(indent_xml(style))
    parts.append(f'<w:jc w:val="{style.align}"/>')
    if style.outline_level is not None:
        parts.append(f'<w:outlineLvl w:val="{style.outline_level}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def paragraph_style_xml(style: ParagraphStyle) -> str:
    return (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="{style.style_id}">'
        f'<w:name w:val="{style.name}"/><w:basedOn w:val="{style.based_on}"/>'
        f'<w:qFormat/>'
        + paragraph_properties_xml(style)
        + run_properties_xml(style.font, style.size, style.bold, style.color, style.tracking)
        + "</w:style>"
    )


def red_rule(side: str, size: int = RULE_SIZE, space_pt: int = RULE_GAP_PT, kind: str = "single") -> str:
    return f'<w:{side} w:val="{kind}" w:sz="{size}" w:space="{space_pt}" w:color="{RED}"/>'


BODY_STYLES = (
    ParagraphStyle("GwMarking", "版头标注", font=HEI, align="right"),
    ParagraphStyle(
        "GwIssuerMark", "发文机关标志", font=XBS, size=ISSUER_MARK_SIZE, color=RED,
        tracking=ISSUER_MARK_TRACKING, align="center", line=ISSUER_MARK_LINE,
        space_before=STANDARD_MARK_SPACE_BEFORE, snap_to_grid=False,
    ),
    ParagraphStyle(
        "GwDocNumber", "发文字号", align="center", space_before=2 * LINE, space_after=2 * LINE,
        borders=red_rule("bottom"),
    ),
    ParagraphStyle("GwTitle", "公文标题", font=XBS, size=TITLE_SIZE, align="center", outline_level=0),
    ParagraphStyle("GwRecipients", "主送机关", space_before=LINE),
    ParagraphStyle("GwBody", "正文", first_line_chars=200),
    ParagraphStyle("GwHeading1", "一级标题", font=HEI, first_line_chars=200, keep_next=True, outline_level=1),
    ParagraphStyle("GwHeading2", "二级标题", font=KAI, first_line_chars=200, keep_next=True, outline_level=2),
    ParagraphStyle("GwHeading3", "三级标题", bold=True, first_line_chars=200, keep_next=True, outline_level=3),
    # "附件：" (three characters) hangs two characters in, so that a long name
    # wraps under the name; further names ("2.…") line up with the first.
    ParagraphStyle("GwAttachmentNote", "附件说明", left_chars=500, hanging_chars=300,
                   space_before=LINE, keep_next=True),
    ParagraphStyle("GwAttachmentNoteMore", "附件说明续", left_chars=500, keep_next=True),
    # Signature and date never part; a figure keeps its caption.
    ParagraphStyle("GwSignature", "发文机关署名", align="right", right_chars=200, space_before=LINE,
                   keep_next=True),
    ParagraphStyle("GwDate", "成文日期", align="right", right_chars=200),
    ParagraphStyle("GwAttachmentLabel", "附件标识", font=HEI, align="left", page_break_before=True),
    # Half a line after the title keeps a table's top rule off the title's glyphs.
    ParagraphStyle("GwAttachmentTitle", "附件标题", font=XBS, size=TITLE_SIZE, align="center",
                   space_before=LINE, space_after=LINE // 2, outline_level=0),
    *(
        style
        for suffix, size in TABLE_SIZES.items()
        for style in (
            ParagraphStyle(f"GwTableText{suffix}", f"表格文字{TABLE_SIZE_NAMES[suffix]}", size=size, tracking=0,
                           align="center", line=table_line(size), snap_to_grid=False),
            ParagraphStyle(f"GwTableHeader{suffix}", f"表头{TABLE_SIZE_NAMES[suffix]}", font=HEI, size=size,
                           tracking=0, align="center", line=table_line(size), snap_to_grid=False,
                           based_on=f"GwTableText{suffix}"),
        )
    ),
    ParagraphStyle("GwFigure", "图", align="center", line=None, snap_to_grid=False, keep_next=True),
    ParagraphStyle("GwFigureCaption", "图题", size=SMALL_SIZE, align="center"),
    ParagraphStyle("GwColophon", "版记", size=SMALL_SIZE, tracking=0, left_chars=100, right_chars=100,
                   char_twips=SMALL_CHAR, align="left",
                   tabs=f'<w:tab w:val="right" w:pos="{TEXT_WIDTH - SMALL_CHAR}"/>'),
    ParagraphStyle("GwPageNumberOdd", "页码（奇数页）", font=SONG, size=SMALL_SIZE, tracking=0,
                   align="right", right_chars=100, char_twips=SMALL_CHAR, line=PAGE_NUMBER_LINE,
                   snap_to_grid=False),
    ParagraphStyle("GwPageNumberEven", "页码（偶数页）", font=SONG, size=SMALL_SIZE, tracking=0,
                   align="left", left_chars=100, char_twips=SMALL_CHAR, line=PAGE_NUMBER_LINE,
                   snap_to_grid=False),
    # Holds nothing; kept tiny so it never pushes the colophon to a new page.
    ParagraphStyle("GwAnchor", "锚点", size=2, line=20, snap_to_grid=False),
)

LETTER_STYLES = (
    ParagraphStyle(
        "GwLetterIssuerMark", "信函发文机关标志", font=XBS, size=ISSUER_MARK_SIZE, color=RED,
        tracking=ISSUER_MARK_TRACKING, align="center", line=ISSUER_MARK_LINE, snap_to_grid=False,
        overhang=LETTER_RULE_OVERHANG,
        # thickThin on a bottom border: the thick line above, the thin one below.
        borders=red_rule("bottom", LETTER_DOUBLE_RULE_SIZE, LETTER_RULE_GAP_PT, "thickThinSmallGap"),
    ),
    # Two lines to the title, less what the space before added to the header.
    ParagraphStyle("GwLetterDocNumber", "信函发文字号", align="right", snap_to_grid=False,
                   space_before=LETTER_NUMBER_SPACE_BEFORE, space_after=2 * LINE - LETTER_NUMBER_SPACE_BEFORE),
    ParagraphStyle("GwLetterMarking", "信函征求意见稿", font=HEI, align="right", snap_to_grid=False,
                   space_before=LETTER_NUMBER_SPACE_BEFORE, space_after=2 * LINE - LETTER_NUMBER_SPACE_BEFORE),
    ParagraphStyle(
        "GwLetterBottomRule", "信函下红线", size=2, line=20, snap_to_grid=False,
        overhang=LETTER_RULE_OVERHANG,
        # thinThick on a bottom border: the thin line above, the thick one below.
        borders=red_rule("bottom", LETTER_DOUBLE_RULE_SIZE, 0, "thinThickSmallGap"),
    ),
)


def install_styles(document, styles) -> None:
    root = document.styles.element
    for style in styles:
        root.append(parse_xml(paragraph_style_xml(style)))


def table_style_xml() -> str:
    """GwTable, the style of every table of figures: ½ pt black rules all round and
    between cells, and cell margins that keep the text off the rules (the same as
    the padding of print.css)."""
    rules = "".join(
        f'<w:{side} w:val="single" w:sz="{TABLE_RULE_SIZE}" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    x, y = mm(CELL_PADDING_X_MM), mm(CELL_PADDING_Y_MM)
    margins = (f'<w:top w:w="{y}" w:type="dxa"/><w:left w:w="{x}" w:type="dxa"/>'
               f'<w:bottom w:w="{y}" w:type="dxa"/><w:right w:w="{x}" w:type="dxa"/>')
    return (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="GwTable">'
        '<w:name w:val="公文表格"/><w:basedOn w:val="TableNormal"/><w:qFormat/>'
        f"<w:tblPr><w:jc w:val=\"center\"/><w:tblBorders>{rules}</w:tblBorders>"
        f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>"
        "</w:style>"
    )


# Styles of the python-docx starting document worth keeping; the dozens of
# coloured table styles and theme-font headings would only invite 等线.
KEPT_BUILTIN_STYLES = {"Normal", "Header", "Footer", "DefaultParagraphFont", "TableNormal",
                       "NoList", "TableGrid"}


def prune_builtin_styles(document) -> None:
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT_BUILTIN_STYLES:
            root.remove(style)


THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr, font: str) -> None:
    """Name the face in every slot and drop theme references, which would win
    over the named East Asian face."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rfonts)
    for attribute in THEME_FONT_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    for slot in ("w:ascii", "w:eastAsia", "w:hAnsi", "w:cs"):
        rfonts.set(qn(slot), font)


def configure_defaults(document) -> None:
    """Document defaults, Normal, the table style and header/footer: 仿宋 16 pt
    on the 28.95 pt grid, so nothing falls back to a theme face."""
    root = document.styles.element
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FANG)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(BODY_SIZE))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(BODY_SIZE))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr_default.remove(ppr_default.find(qn("w:pPr")))
    ppr_default.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0" w:line="{LINE}" w:lineRule="exact"/></w:pPr>'))

    normal = ParagraphStyle("Normal", "Normal", tracking=BODY_TRACKING, based_on="")
    replace_style(root, "Normal", paragraph_style_xml(normal).replace('<w:basedOn w:val=""/>', "")
                  .replace('w:customStyle="1" ', 'w:default="1" '))
    for style_id, font in (("Header", FANG), ("Footer", SONG)):
        style = ParagraphStyle(style_id, style_id.lower(), font=font, size=SMALL_SIZE, tracking=0,
                               line=None, snap_to_grid=False)
        replace_style(root, style_id, paragraph_style_xml(style).replace('w:customStyle="1" ', ""))
    table_normal = root.xpath('w:style[@w:styleId="TableNormal"]')[0]
    for rpr in table_normal.findall(qn("w:rPr")):
        table_normal.remove(rpr)
    table_normal.find(qn("w:tblPr")).addprevious(parse_w(run_properties_xml(FANG, TABLE_SIZE)))
    for rfonts in root.iter(qn("w:rFonts")):
        for attribute in THEME_FONT_ATTRIBUTES:
            rfonts.attrib.pop(qn(attribute), None)


def replace_style(root, style_id: str, xml: str) -> None:
    old = root.xpath(f'w:style[@w:styleId="{style_id}"]')
    new = parse_xml(xml)
    if old:
        old[0].addprevious(new)
        root.remove(old[0])
    else:
        root.append(new)


def add_bold_character_style(document) -> None:
    """The run-in lead of a paragraph ("1.区科工局。")."""
    document.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="character" w:customStyle="1" w:styleId="GwLead">'
        '<w:name w:val="加粗引导"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
        "<w:rPr><w:b/><w:bCs/></w:rPr></w:style>"
    ))


def configure_settings(document) -> None:
    # Odd and even pages carry their page numbers on opposite sides
    # (w:evenAndOddHeaders, which python-docx puts in schema order).
    document.settings.odd_and_even_pages_header_footer = True
    for lang in document.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:eastAsia"), "zh-CN")


def configure_section(section, header_distance: int, footer_distance: int) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(header_distance), Twips(footer_distance)
    section.gutter = 0
    sect_pr = section._sectPr
    for grid in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(grid)
    # Lines only: LibreOffice misreads Word's linesAndChars grid.
    sect_pr.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE}"/>'))


# --- Content helpers -----------------------------------------------------------


def add_paragraph(container, style_id: str, *runs: str):
    """A paragraph of the given style, one run per string (one tag per run)."""
    paragraph = container.add_paragraph()
    paragraph._p.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="{style_id}"/>'))
    for text in runs:
        paragraph.add_run(text)
    return paragraph


def add_tag(container, tag: str):
    """A paragraph that holds only a {%p ... %} tag and disappears on render."""
    return add_paragraph(container, "Normal", tag)


def set_run_style(run, style_id: str) -> None:
    run._r.get_or_add_rPr().insert(0, parse_xml(f'<w:rStyle {nsdecls("w")} w:val="{style_id}"/>'))


def add_block_loop(container, blocks_expr: str) -> None:
    """One loop over a tuple of blocks, choosing the paragraph style by kind.

    Tables arrive as docxtpl subdocuments and figures as inline images, both
    prepared by the renderer in ``embeds`` (keyed by the block itself)."""
    add_tag(container, f"{{%p for block in {blocks_expr} %}}")
    add_tag(container, '{%p if block.kind == "heading" and block.level == 1 %}')
    add_paragraph(container, "GwHeading1", "{{ block.text }}")
    add_tag(container, '{%p elif block.kind == "heading" and block.level == 2 %}')
    add_paragraph(container, "GwHeading2", "{{ block.text }}")
    add_tag(container, '{%p elif block.kind == "heading" %}')
    add_paragraph(container, "GwHeading3", "{{ block.text }}")
    add_tag(container, '{%p elif block.kind == "paragraph" %}')
    paragraph = add_paragraph(container, "GwBody", "{{ block.lead }}", "{{ block.text }}")
    set_run_style(paragraph.runs[0], "GwLead")
    add_tag(container, '{%p elif block.kind == "table" %}')
    add_tag(container, "{{p embeds[block] }}")
    add_tag(container, '{%p elif block.kind == "figure" %}')
    add_paragraph(container, "GwFigure", "{{ embeds[block] }}")
    add_paragraph(container, "GwFigureCaption", "{{ block.caption }}")
    add_tag(container, "{%p endif %}")
    add_tag(container, "{%p endfor %}")


def add_title_and_body(document) -> None:
    add_tag(document, "{%p for line in doc.title_lines %}")
    add_paragraph(document, "GwTitle", "{{ line }}")
    add_tag(document, "{%p endfor %}")
    add_paragraph(document, "GwRecipients", "{{ doc.recipients }}", "：")
    add_block_loop(document, "doc.body")
    add_tag(document, "{%p for line in doc.attachment_note %}")
    add_tag(document, "{%p if loop.first %}")
    add_paragraph(document, "GwAttachmentNote", "{{ line }}")
    add_tag(document, "{%p else %}")
    add_paragraph(document, "GwAttachmentNoteMore", "{{ line }}")
    add_tag(document, "{%p endif %}")
    add_tag(document, "{%p endfor %}")
    add_paragraph(document, "GwSignature", "{{ doc.signature }}")
    add_paragraph(document, "GwDate", "{{ doc.date }}")


def add_attachments(document) -> None:
    add_tag(document, "{%p for attachment in doc.attachments %}")
    add_paragraph(document, "GwAttachmentLabel", "{{ attachment.label }}")
    add_paragraph(document, "GwAttachmentTitle", "{{ attachment.title }}")
    add_block_loop(document, "attachment.blocks")
    add_tag(document, "{%p endfor %}")


# --- Colophon (版记) -------------------------------------------------------------


def colophon_table_properties(with_rules: bool) -> str:
    """A floating table pinned to the bottom margin: its last rule then lies
    on the bottom edge of the text block of the last page, as GB/T 9704 asks.

    Horizontally it is placed from the page edge rather than the margin:
    LibreOffice (7.4) imports a margin-relative floating table as wide as the
    text block as an ordinary inline table, but floats a page-relative one."""
    if with_rules:
        borders = (
            f'<w:top w:val="single" w:sz="{RULE_SIZE}" w:space="0" w:color="000000"/>'
            f'<w:bottom w:val="single" w:sz="{RULE_SIZE}" w:space="0" w:color="000000"/>'
            '<w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        )
    else:
        borders = '<w:top w:val="nil"/><w:bottom w:val="nil"/><w:insideH w:val="nil"/>'
    return (
        f"<w:tblPr {nsdecls('w')}>"
        '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
        'w:vertAnchor="margin" w:horzAnchor="page" '
        f'w:tblpX="{MARGIN_LEFT}" w:tblpYSpec="bottom"/>'
        '<w:tblOverlap w:val="never"/>'
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
        '<w:tblInd w:w="0" w:type="dxa"/>'
        f'<w:tblBorders><w:left w:val="nil"/><w:right w:val="nil"/>{borders}<w:insideV w:val="nil"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr>"
    )


def add_colophon(document, with_print_line: bool) -> None:
    """抄送 row (dropped when there is no cc) and, in the standard layout, the
    印发机关 / 印发日期 row; rows holding only a {%tr %} tag vanish on render."""
    rows = [
        ("{%tr if doc.colophon.cc %}",),
        ("{{ doc.colophon.cc_line }}",),
        ("{%tr endif %}",),
    ]
    if with_print_line:
        rows.append(("{{ doc.colophon.printer }}", "\t", "{{ doc.colophon.printed_on }}"))
    table = document.add_table(rows=len(rows), cols=1)
    tbl = table._tbl
    tbl.remove(tbl.tblPr)
    tbl.insert(0, parse_xml(colophon_table_properties(with_rules=with_print_line)))
    tbl.tblGrid.gridCol_lst[0].set(qn("w:w"), str(TEXT_WIDTH))
    for row, texts in zip(table.rows, rows):
        cell = row.cells[0]
        cell.width = Twips(TEXT_WIDTH)
        paragraph = cell.paragraphs[0]
        paragraph._p.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {nsdecls("w")} w:val="GwColophon"/>'))
        for text in texts:
            if text == "\t":
                paragraph.add_run().add_tab()
            else:
                paragraph.add_run(text)


def add_colophon_block(document, condition: str, with_print_line: bool) -> None:
    add_tag(document, f"{{%p if {condition} %}}")
    add_colophon(document, with_print_line)
    add_tag(document, "{%p endif %}")
    # A document must end with a paragraph; this one anchors the floating table.
    add_paragraph(document, "GwAnchor")


# --- Footers --------------------------------------------------------------------


def page_field_runs() -> str:
    """"— n —" with a real PAGE field, so Word numbers the pages itself."""
    def run(inner: str) -> str:
        return f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>{inner}</w:r>'

    return (
        run('<w:t xml:space="preserve">— </w:t>')
        + run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run("<w:t>1</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>')
        + run('<w:t xml:space="preserve"> —</w:t>')
    )


def fill_header_or_footer(part, style_id: str, content_xml: str, space_after: int = 0) -> None:
    container = part._element
    for paragraph in container.findall(qn("w:p")):
        container.remove(paragraph)
    spacing = f'<w:spacing w:after="{space_after}"/>' if space_after else ""
    container.append(parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/>{spacing}</w:pPr>{content_xml}</w:p>'
    ))


def add_page_numbers(section, space_after: int = 0) -> None:
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    fill_header_or_footer(section.footer, "GwPageNumberOdd", page_field_runs(), space_after)
    fill_header_or_footer(section.even_page_footer, "GwPageNumberEven", page_field_runs(), space_after)


# --- The two templates ------------------------------------------------------------


def new_template():
    document = Document()
    prune_builtin_styles(document)
    configure_defaults(document)
    install_styles(document, BODY_STYLES)
    document.styles.element.append(parse_xml(table_style_xml()))
    add_bold_character_style(document)
    configure_settings(document)
    document.core_properties.title = "公文模板"
    document.core_properties.author = ""
    document.core_properties.comments = "由 scripts/make_docx_templates.py 生成"
    return document


def build_standard():
    document = new_template()
    section = document.sections[0]
    configure_section(section, header_distance=mm(15), footer_distance=FOOTER_DISTANCE)
    add_page_numbers(section)

    add_paragraph(document, "GwMarking", "{{ doc.marking }}")
    add_paragraph(document, "GwIssuerMark", "{{ doc.issuer_mark }}")
    # The paragraph stays even without a number: its bottom border is the red rule.
    add_paragraph(document, "GwDocNumber", "{% if doc.number and not doc.draft %}{{ doc.number }}{% endif %}")
    add_title_and_body(document)
    add_attachments(document)
    add_colophon_block(document, "doc.colophon", with_print_line=True)
    return document


def build_letter():
    document = new_template()
    install_styles(document, LETTER_STYLES)
    section = document.sections[0]
    configure_section(section, header_distance=LETTER_HEADER_DISTANCE,
                      footer_distance=LETTER_FOOTER_DISTANCE)
    add_page_numbers(section, space_after=FOOTER_DISTANCE - LETTER_FOOTER_DISTANCE)
    # Page 1 has its own header (issuer mark and upper double rule) and footer
    # (lower double rule, no page number).
    section.different_first_page_header_footer = True
    header = section.first_page_header
    header.is_linked_to_previous = False
    fill_header_or_footer(header, "GwLetterIssuerMark", "<w:r><w:t>{{ doc.issuer_mark }}</w:t></w:r>")
    first_footer = section.first_page_footer
    first_footer.is_linked_to_previous = False
    fill_header_or_footer(first_footer, "GwLetterBottomRule", "")

    # The number (or 征求意见稿) follows the upper rule in the same header, so its
    # distance from the rule is the header's own spacing in Word and LibreOffice
    # alike, not where each program happens to start the body under a tall header.
    add_tag(header, "{%p if doc.draft %}")
    add_paragraph(header, "GwLetterMarking", "{{ doc.marking }}")
    add_tag(header, "{%p elif doc.number %}")
    add_paragraph(header, "GwLetterDocNumber", "{{ doc.number }}")
    add_tag(header, "{%p endif %}")
    add_title_and_body(document)
    add_attachments(document)
    add_colophon_block(document, "doc.colophon and doc.colophon.cc", with_print_line=False)
    return document


def main(argv: list[str]) -> None:
    output_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT_DIR
    output_dir.mkdir(parents=True, exist_ok=True)
    build_standard().save(output_dir / "standard.docx")
    build_letter().save(output_dir / "letter.docx")
    print(f"wrote {output_dir / 'standard.docx'} and {output_dir / 'letter.docx'}")


if __name__ == "__main__":
    main(sys.argv)
