"""Render stage: one OfficialDocument → the same words as DOCX, PDF and HTML."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from supervision_bulletin.document import OfficialDocument
from supervision_bulletin.filenames import safe_stem
from supervision_bulletin.write import FORMATS, WrittenDocument


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
        written, faces = self.render_files(document, folder)
        self.faces.update(faces)
        return written

    def render_files(self, document: OfficialDocument, folder: Path) -> tuple[WrittenDocument, tuple[str, ...]]:
        """The document's DOCX, PDF and HTML in ``folder``, and the faces the PDF embeds."""
        written = WrittenDocument(document)
        faces: tuple[str, ...] = ()
        for fmt in FORMATS:
            name = f"{safe_stem(document.slug)}.{fmt}"
            if (folder / name).exists():
                # Two documents of one build on one file: the second would silently
                # replace the first (filenames.unique_slugs keeps a build's apart).
                raise RuntimeError(f"两份公文的文件名相同（{name}），为免互相覆盖已停止生成")
            path = folder / name
            if fmt == "docx":
                self.docx.render(document, path)
            elif fmt == "pdf":
                faces = tuple(self.pdf.render(document, path))
            else:
                path.write_text(self.html.render(document), encoding="utf-8")
            written.files[fmt] = name
        return written, faces

    def fonts_used(self) -> tuple[str, ...]:
        return tuple(sorted(self.faces))

    def fingerprint(self) -> str:
        """What the files are made from besides the document: the templates, style
        sheets and fonts, and the versions of this package and its renderers. A
        cached document is reused only under the same fingerprint."""
        digest = hashlib.sha256()
        for name in ("supervision-bulletin", "weasyprint", "docxtpl", "python-docx", "pydyf", "fonttools"):
            digest.update(f"{name}={installed_version(name)}\n".encode())
        for layout, data in sorted(getattr(self.docx, "template_bytes", {}).items()):
            digest.update(layout.encode() + hashlib.sha256(data).digest())
        for folder in {Path(self.html.templates), Path(self.pdf.html.templates)}:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(folder)).encode() + hashlib.sha256(path.read_bytes()).digest())
        digest.update(getattr(self.pdf, "extra_css", "").encode())
        for face in self.pdf.font_set.all_faces():
            stat = Path(face.file).stat()
            digest.update(f"{face.role}:{face.file}:{face.index}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()


def installed_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"
