"""How long a document is for the PDF engine, and the parts a long one is laid out in.

WeasyPrint holds a document's whole layout until it is written: a few hundred
megabytes for a table of a few thousand cells. A long document is therefore laid
out one part at a time (render.pdf).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from supervision_bulletin.document import Heading, OfficialDocument, Paragraph, Table

# A document of more boxes than this (table cells, lines of text) takes WeasyPrint
# a few hundred megabytes to lay out: the tenfold campaign's monthly report, of
# 4,400, about 250 MB.
LONG_DOCUMENT_BOXES = 2500


def layout_boxes(document: OfficialDocument) -> int:
    """About how many boxes the layout of ``document`` holds: one for each table
    cell, and one for each line of text (28 characters)."""
    blocks = [*document.body, *(block for attachment in document.attachments for block in attachment.blocks)]
    cells = sum(len(block.rows) * len(block.columns) for block in blocks if isinstance(block, Table))
    characters = sum(len(block.text) for block in blocks if isinstance(block, Heading | Paragraph))
    return cells + characters // 28


@dataclass(frozen=True)
class LayoutPart:
    """What one layout prints of a document: the whole, or a part of a long one."""

    document: OfficialDocument
    template: str | None = None  # None: the document's layout's own


def layout_parts(document: OfficialDocument) -> list[LayoutPart]:
    """The layouts a document's PDF is made of, one after the other.

    A long document of the standard layout is laid out in parts: its main text,
    then each attachment, the last one with the colophon. Every attachment starts
    on a page of its own, so each part's pages are the pages the whole would have
    (a test compares them); and only one part's layout is held at a time, where
    the whole would hold them all (the tenfold half-year summary: 150 MB, not 300).
    A letter (a notice) is laid out whole: its first page differs from the rest."""
    if document.layout != "standard" or not document.attachments or layout_boxes(document) <= LONG_DOCUMENT_BOXES:
        return [LayoutPart(document)]
    main_text = LayoutPart(replace(document, attachments=(), colophon=None))
    last = len(document.attachments) - 1
    return [main_text] + [
        LayoutPart(replace(document, attachments=(attachment,), colophon=document.colophon if index == last else None),
                   ATTACHMENTS_TEMPLATE)
        for index, attachment in enumerate(document.attachments)
    ]


ATTACHMENTS_TEMPLATE = "attachments.html"
