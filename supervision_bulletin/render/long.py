"""How long a document is for the PDF engine, and the parts a long one is laid out in.

WeasyPrint holds a document's whole layout until it is written: a few hundred
megabytes for a table of a few thousand cells. A long document is therefore laid
out one part at a time (render.pdf), and an attachment's long table a few
hundred rows at a time (TableWindow).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from supervision_bulletin.document import Attachment, Block, Heading, OfficialDocument, Paragraph, Table

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


# A table of more cells than this is laid out a window of rows at a time: about
# 40 MB of layout for the window, where the tenfold campaign's largest table, of
# 5,000 cells, took 100 MB at once.
TABLE_WINDOW_CELLS = 2000


@dataclass(frozen=True)
class TableWindow:
    """The rows of an attachment's long table that one layout prints.

    The first window prints the attachment's label, title and the blocks before
    the table; the last, the blocks after it. Every window but the last is laid
    out one page too far: that page is dropped and the next window starts with
    the row at its top, so each kept page is the page the whole table would make
    (render.pdf; a test compares them). The columns keep the widths of the whole
    table: the template lays the rows out by its table_layout."""

    table: Table
    start: int
    end: int  # one past the last row printed

    @property
    def first(self) -> bool:
        return self.start == 0

    @property
    def last(self) -> bool:
        return self.end >= len(self.table.rows)

    def blocks_of(self, blocks: Sequence[Block]) -> list[Block]:
        """The blocks of the attachment this window prints (the table among them)."""
        at = next(index for index, block in enumerate(blocks) if block is self.table)
        return [*(blocks[:at] if self.first else ()), self.table, *(blocks[at + 1:] if self.last else ())]

    def rows_of(self, block: Block) -> range | None:
        """The indices of the rows of ``block`` printed: None for all (another table)."""
        return range(self.start, self.end) if block is self.table else None

    def continues(self, block: Block) -> bool:
        """Whether ``block`` is the table and this window goes on with it from an earlier page."""
        return block is self.table and not self.first

    def from_row(self, start: int) -> TableWindow:
        """The next window, from the row at the top of the page this one laid out too far."""
        return replace(self, start=start, end=min(start + window_rows(self.table), len(self.table.rows)))

    def to_the_end(self) -> TableWindow:
        return replace(self, end=len(self.table.rows))


def window_rows(table: Table) -> int:
    return max(TABLE_WINDOW_CELLS // max(len(table.columns), 1), 1)


def first_window(attachment: Attachment) -> TableWindow | None:
    """The first window of the attachment's first table too long to lay out at once, if any."""
    for block in attachment.blocks:
        if isinstance(block, Table) and len(block.rows) * len(block.columns) > TABLE_WINDOW_CELLS:
            return TableWindow(block, 0, min(window_rows(block), len(block.rows)))
    return None


@dataclass(frozen=True)
class LayoutPart:
    """What one layout prints of a document: the whole, or a part of a long one."""

    document: OfficialDocument
    template: str | None = None  # None: the document's layout's own
    window: TableWindow | None = None  # of its one attachment's long table

    def windowed(self, window: TableWindow) -> LayoutPart:
        """This part with ``window`` of its table; the colophon only with the last window."""
        colophon = self.document.colophon if window.last else None
        return replace(self, document=replace(self.document, colophon=colophon), window=window)

    def first_window(self) -> TableWindow | None:
        """The part's first window, for an attachment part whose table is too long to lay out at once."""
        if self.template != ATTACHMENTS_TEMPLATE or len(self.document.attachments) != 1:
            return None
        return first_window(self.document.attachments[0])


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
