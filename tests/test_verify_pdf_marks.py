"""Reading a PDF's marks with PDFium: shapes, glyphs and pages as pdfminer read them.

The checks' tolerances were set on pdfminer's reading (through pdfplumber), so
the cases where PDFium stores things otherwise are pinned here on small
hand-written PDFs.
"""

from __future__ import annotations

import io

import pypdfium2
import pytest
from pypdf import PdfReader

from supervision_bulletin.verify.pdf_marks import PageMarks, font_faces, read_marks

FONTS = (
    b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    b" /F2 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >> >> >>"
)


def one_page(content: bytes, rotate: int = 0) -> bytes:
    """A one-page A4 PDF drawing ``content`` with Helvetica as /F1 and Times as /F2."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Resources %s /Contents 4 0 R >>"
        % (rotate, FONTS),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    data, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    count = len(objects) + 1
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    xref = b"xref\n0 %d\n0000000000 65535 f \n%s" % (count, table)
    return data + xref + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, len(data))


def marks(data: bytes) -> PageMarks:
    with pypdfium2.PdfDocument(data) as document:
        return read_marks(document, font_faces(PdfReader(io.BytesIO(data))))[0]


def shapes(content: bytes) -> list[tuple]:
    return sorted((s.kind, round(s.x0, 2), round(s.x1, 2), round(s.top, 2), round(s.bottom, 2))
                  for s in marks(one_page(content)).shapes)


def test_a_border_drawn_even_odd_is_two_boxes():
    content = b"1 0 0 rg 10 10 m 100 10 l 100 20 l 10 20 l h 12 12 m 98 12 l 98 18 l 12 18 l h f*"
    assert shapes(content) == [("rect", 10, 100, 822, 832), ("rect", 12, 98, 824, 830)]


def test_a_box_of_no_height_is_a_curve_as_pdfminer_reads_it():
    # WeasyPrint draws a rule's border this way: "re" with a height of 0.
    assert shapes(b"10 10 90 0 re f") == [("curve", 10, 100, 832, 832)]


def test_lines_boxes_and_curves():
    content = b"10 10 m 100 10 l S 10 50 m 100 50 l 100 60 l 10 60 l 10 50 l f 10 90 m 20 120 40 120 50 90 c S"
    assert shapes(content) == [
        ("curve", 10, 50, 752, 752),  # the box of a curve spans its end points only
        ("line", 10, 100, 832, 832),
        ("rect", 10, 100, 782, 792),
    ]


def test_a_glyph_is_its_advance_wide_and_a_font_size_tall():
    page = marks(one_page(b"BT /F1 12 Tf 100 700 Td (AB) Tj ET"))
    a, b = page.glyphs
    assert (a.text, b.text) == ("A", "B")
    # Helvetica's A and B are 667 units wide: 8.004 pt at 12 pt.
    assert (a.x0, a.x1, b.x1) == pytest.approx((100, 108.004, 116.008), abs=0.001)
    assert round(a.baseline, 2) == 142 and round(a.size, 2) == 12.0
    assert a.font == "Helvetica" and a.color == (0.0, 0.0, 0.0)


def test_a_space_in_a_text_object_of_its_own_is_kept():
    content = b"BT /F1 12 Tf 100 700 Td (A) Tj ET BT /F2 12 Tf 108 700 Td ( ) Tj ET BT /F1 12 Tf 111 700 Td (B) Tj ET"
    glyphs = sorted(marks(one_page(content)).glyphs, key=lambda glyph: glyph.x0)
    assert [(g.text, round(g.x0, 2), round(g.x1, 2), g.font) for g in glyphs] == [
        ("A", 100, 108, "Helvetica"), (" ", 108, 111, "Times-Roman"), ("B", 111, 119, "Helvetica"),
    ]


def test_a_turned_page_reads_as_shown():
    page = marks(one_page(b"10 10 90 5 re f", rotate=90))
    assert (page.width, page.height) == (842, 595)
    (box,) = page.shapes
    assert (round(box.x0, 2), round(box.x1, 2), round(box.top, 2), round(box.bottom, 2)) == (10, 15, 10, 100)
