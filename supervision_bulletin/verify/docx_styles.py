"""Effective formatting of Word paragraphs and runs, read from the XML.

python-docx has no API for East Asian fonts, document grids or inherited values,
so this resolves them the way Word does: direct formatting, then the run's
character style, then the paragraph style and the styles it is based on, then
the document defaults.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Iterator

from docx.oxml.ns import qn

W_VAL = qn("w:val")


def attr(element, name: str) -> str | None:
    return None if element is None else element.get(qn(name))


def child(element, path: str):
    """The first descendant along "w:a/w:b", or None."""
    for name in _qualified(path):
        if element is None:
            return None
        element = element.find(name)
    return element


@functools.cache  # a few dozen paths, looked up for every paragraph and run
def _qualified(path: str) -> tuple[str, ...]:
    return tuple(qn(part) for part in path.split("/"))


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
        self._styled_by_pair: dict[tuple[str | None, str | None], tuple] = {}
        self._pprs_by_style: dict[str | None, tuple] = {}
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

    def _style_sources(self, paragraph_style: str | None, run_style: str | None) -> Iterator:
        for style in self.chain(run_style):
            yield child(style, "w:rPr")
        for style in self.chain(paragraph_style or self.default_paragraph_style):
            yield child(style, "w:rPr")
        yield self.default_rpr

    def _styled(self, paragraph_style: str | None, run_style: str | None) -> tuple:
        """The run properties the styles give (no direct formatting), worked out once
        per pair of styles: a document's runs share a handful of them."""
        key = (paragraph_style, run_style)
        if key not in self._styled_by_pair:
            sources = [rpr for rpr in self._style_sources(paragraph_style, run_style) if rpr is not None]
            self._styled_by_pair[key] = tuple(
                next((value for rpr in sources if (value := getter(rpr)) is not None), None)
                for getter in RUN_GETTERS)
        return self._styled_by_pair[key]

    def run_format(self, paragraph_style: str | None, run_style: str | None = None, direct_rpr=None) -> RunFormat:
        values = self._styled(paragraph_style, run_style)
        if direct_rpr is not None:  # direct formatting first, the styles' where it says nothing
            values = tuple(value if (value := getter(direct_rpr)) is not None else styled
                           for getter, styled in zip(RUN_GETTERS, values))
        east_asia, size, color, bold, spacing = values
        return RunFormat(east_asia=east_asia, size=size, color=color, bold=bool(bold), spacing=spacing or 0)

    def paragraph_value(self, paragraph_style: str | None, direct_ppr, getter: Callable):
        for ppr in (direct_ppr, *self._style_pprs(paragraph_style)):
            if ppr is None:
                continue
            value = getter(ppr)
            if value is not None:
                return value
        return None

    def _style_pprs(self, paragraph_style: str | None) -> tuple:
        """The paragraph properties of a style, those it is based on and the defaults,
        nearest first: found once per style, asked for every paragraph."""
        if paragraph_style not in self._pprs_by_style:
            chain = self.chain(paragraph_style or self.default_paragraph_style)
            self._pprs_by_style[paragraph_style] = (*(child(style, "w:pPr") for style in chain), self.default_ppr)
        return self._pprs_by_style[paragraph_style]


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


def _size(rpr) -> int | None:
    return _int(attr(child(rpr, "w:sz"), "w:val"))


def _color(rpr) -> str | None:
    return attr(child(rpr, "w:color"), "w:val")


def _spacing(rpr) -> int | None:
    return _int(attr(child(rpr, "w:spacing"), "w:val"))


# In RunFormat's order: east_asia, size, color, bold, spacing.
RUN_GETTERS: tuple[Callable, ...] = (_east_asia, _size, _color, _bold, _spacing)


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
