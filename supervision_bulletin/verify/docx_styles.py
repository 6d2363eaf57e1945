"""Effective formatting of Word paragraphs and runs, read from the XML.

python-docx has no API for East Asian fonts, document grids or inherited values,
so this resolves them the way Word does: direct formatting, then the run's
character style, then the paragraph style and the styles it is based on, then
the document defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from docx.oxml.ns import qn

W_VAL = qn("w:val")


def attr(element, name: str) -> str | None:
    return None if element is None else element.get(qn(name))


def child(element, path: str):
    """The first descendant along "w:a/w:b", or None."""
    for part in path.split("/"):
        if element is None:
            return None
        element = element.find(qn(part))
    return element


@dataclass(frozen=True)
class RunFormat:
    east_asia: str | None  # the face name, or "theme:minorEastAsia" for a theme font
    size: int | None  # half-points
    color: str | None  # "FF0000"
    bold: bool
    spacing: int  # twentieths of a point (tracking)


class StyleBook:
    """The styles part of one document."""

    def __init__(self, styles_root):
        self.styles = {
            style.get(qn("w:styleId")): style for style in styles_root.findall(qn("w:style"))
        }
        defaults = styles_root.find(qn("w:docDefaults"))
        self.default_rpr = child(defaults, "w:rPrDefault/w:rPr")
        self.default_ppr = child(defaults, "w:pPrDefault/w:pPr")
        self.default_paragraph_style = next(
            (style_id for style_id, style in self.styles.items()
             if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true")),
            None,
        )

    def has(self, style_id: str) -> bool:
        return style_id in self.styles

    def name(self, style_id: str | None) -> str:
        style = self.styles.get(style_id or "")
        return attr(child(style, "w:name"), "w:val") or style_id or ""

    def chain(self, style_id: str | None) -> Iterator:
        """The style and those it is based on, nearest first (cycles cut)."""
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = attr(child(style, "w:basedOn"), "w:val")

    def _run_sources(self, paragraph_style: str | None, run_style: str | None, direct_rpr) -> Iterator:
        if direct_rpr is not None:
            yield direct_rpr
        for style in self.chain(run_style):
            yield child(style, "w:rPr")
        for style in self.chain(paragraph_style or self.default_paragraph_style):
            yield child(style, "w:rPr")
        yield self.default_rpr

    def run_value(self, paragraph_style, run_style, direct_rpr, getter: Callable):
        for rpr in self._run_sources(paragraph_style, run_style, direct_rpr):
            if rpr is None:
                continue
            value = getter(rpr)
            if value is not None:
                return value
        return None

    def run_format(self, paragraph_style: str | None, run_style: str | None = None, direct_rpr=None) -> RunFormat:
        def value(getter):
            return self.run_value(paragraph_style, run_style, direct_rpr, getter)

        return RunFormat(
            east_asia=value(_east_asia),
            size=value(lambda rpr: _int(attr(child(rpr, "w:sz"), "w:val"))),
            color=value(lambda rpr: attr(child(rpr, "w:color"), "w:val")),
            bold=bool(value(_bold)),
            spacing=value(lambda rpr: _int(attr(child(rpr, "w:spacing"), "w:val"))) or 0,
        )

    def paragraph_value(self, paragraph_style: str | None, direct_ppr, getter: Callable):
        chain = self.chain(paragraph_style or self.default_paragraph_style)
        sources = [direct_ppr] + [child(style, "w:pPr") for style in chain]
        for ppr in [*sources, self.default_ppr]:
            if ppr is None:
                continue
            value = getter(ppr)
            if value is not None:
                return value
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _east_asia(rpr) -> str | None:
    fonts = child(rpr, "w:rFonts")
    if fonts is None:
        return None
    theme = attr(fonts, "w:eastAsiaTheme")
    if theme:
        return f"theme:{theme}"  # a theme font wins over a named one
    return attr(fonts, "w:eastAsia")


def _bold(rpr) -> bool | None:
    bold = child(rpr, "w:b")
    if bold is None:
        return None
    return attr(bold, "w:val") not in ("0", "false", "off")


def paragraph_style_id(paragraph) -> str | None:
    return attr(child(paragraph, "w:pPr/w:pStyle"), "w:val")


def paragraph_text(paragraph) -> str:
    return "".join(text.text or "" for text in paragraph.iter(qn("w:t")))


def text_runs(paragraph) -> Iterator:
    """Runs that print text (w:t), including those inside hyperlinks and fields."""
    for run in paragraph.iter(qn("w:r")):
        if any((text.text or "").strip() for text in run.findall(qn("w:t"))):
            yield run


def run_style_id(run) -> str | None:
    return attr(child(run, "w:rPr/w:rStyle"), "w:val")
