"""Render stage: one OfficialDocument → the same words as DOCX, PDF and HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supervision_bulletin.document import OfficialDocument
from supervision_bulletin.filenames import safe_stem
from supervision_bulletin.write import WrittenDocument


@dataclass
class Renderers:
    """The format renderers of one build, set up once (templates, fonts, CSS)."""

    docx: Any
    html: Any
    pdf: Any
    faces: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, templates: Path) -> Renderers:
        from supervision_bulletin.render.docx import DocxRenderer
        from supervision_bulletin.render.html import HtmlRenderer
        from supervision_bulletin.render.pdf import PdfRenderer

        return cls(DocxRenderer(templates / "docx"), HtmlRenderer(templates / "html"), PdfRenderer(templates / "html"))

    def write_all(self, document: OfficialDocument, folder: Path) -> WrittenDocument:
        written = WrittenDocument(document)
        for fmt in ("docx", "pdf", "html"):
            name = f"{safe_stem(document.slug)}.{fmt}"
            if (folder / name).exists():
                # Two documents of one build on one file: the second would silently
                # replace the first (filenames.unique_slugs keeps a build's apart).
                raise RuntimeError(f"两份公文的文件名相同（{name}），为免互相覆盖已停止生成")
            getattr(self, f"_write_{fmt}")(document, folder / name)
            written.files[fmt] = name
        return written

    def _write_docx(self, document: OfficialDocument, path: Path) -> None:
        self.docx.render(document, path)

    def _write_html(self, document: OfficialDocument, path: Path) -> None:
        path.write_text(self.html.render(document), encoding="utf-8")

    def _write_pdf(self, document: OfficialDocument, path: Path) -> None:
        self.faces.update(self.pdf.render(document, path))

    def fonts_used(self) -> tuple[str, ...]:
        return tuple(sorted(self.faces))
