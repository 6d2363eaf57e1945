"""Render stage: one OfficialDocument → the same words as DOCX, PDF and HTML."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from supervision_bulletin.document import OfficialDocument
from supervision_bulletin.filenames import safe_stem
from supervision_bulletin.write import FORMATS, WrittenDocument

# layout → the Word template of it, in the templates' docx folder (here, not in
# render.docx: the fingerprint reads them without importing python-docx)
DOCX_TEMPLATE_NAMES = {"standard": "standard.docx", "letter": "letter.docx"}


class Renderers:
    """The format renderers of one build, each set up once (templates, fonts, CSS).

    ``load`` sets each one up when it is first used: a build whose documents all
    come from the cache never pays for WeasyPrint's fonts and style sheets."""

    def __init__(self, docx: Any = None, html: Any = None, pdf: Any = None, templates: Path | None = None,
                 served: bool = False):
        if templates is None and None in (docx, html, pdf):
            raise ValueError("Renderers needs its three renderers or the templates to make them from")
        self._docx, self._html, self._pdf = docx, html, pdf
        self.templates = templates
        self.served = served  # the workers take them from the render server (render.server)

    @classmethod
    def load(cls, templates: Path) -> Renderers:
        """Renderers set up in this process, on first use; worker processes are
        forked from this one and inherit them."""
        return cls(templates=Path(templates))

    @classmethod
    def from_server(cls, templates: Path) -> Renderers:
        """Renderers that worker processes find set up in the render server
        (render.server), started as the build begins; this process sets them up
        only if it renders itself (one worker, or no fork server on the system)."""
        return cls(templates=Path(templates), served=True)

    @property
    def docx(self) -> Any:
        if self._docx is None:
            from supervision_bulletin.render.docx import DocxRenderer

            self._docx = DocxRenderer(self._templates("docx"))
        return self._docx

    @property
    def html(self) -> Any:
        if self._html is None:
            from supervision_bulletin.render.html import HtmlRenderer

            self._html = HtmlRenderer(self._templates("html"))
        return self._html

    @property
    def pdf(self) -> Any:
        if self._pdf is None:
            from supervision_bulletin.render.pdf import PdfRenderer

            self._pdf = PdfRenderer(self._templates("html"))
        return self._pdf

    def _templates(self, kind: str) -> Path:
        assert self.templates is not None
        return self.templates / kind

    def prepare(self) -> None:
        """Set every renderer up now: before worker processes fork, so each starts warm."""
        self.docx, self.html, self.pdf  # noqa: B018 - the properties load them

    def render_files(self, document: OfficialDocument, folder: Path,
                     formats: tuple[str, ...] = FORMATS) -> tuple[WrittenDocument, tuple[str, ...]]:
        """The document's files of ``formats`` (DOCX, PDF and HTML unless told) in
        ``folder``, and the faces the PDF embeds (none when no PDF is made)."""
        names = {fmt: name for fmt, name in file_names(document).items() if fmt in formats}
        for name in names.values():
            if (folder / name).exists():
                # Two documents of one build on one file: the second would silently
                # replace the first (filenames.unique_slugs keeps a build's apart).
                raise RuntimeError(f"两份公文的文件名相同（{name}），为免互相覆盖已停止生成")
        if "docx" in names:
            self.docx.render(document, folder / names["docx"])
        faces = tuple(self.pdf.render(document, folder / names["pdf"])) if "pdf" in names else ()
        if "html" in names:
            (folder / names["html"]).write_text(self.html.render(document), encoding="utf-8")
        return WrittenDocument(document, dict(names)), faces

    def fingerprint(self) -> str:
        """What the files are made from besides the document: the templates, style
        sheets and fonts, this package's code, and the versions of it and its renderers. A
        cached document is reused only under the same fingerprint. Read without
        setting up a renderer that is not set up yet."""
        from supervision_bulletin.fonts import default_font_set
        from supervision_bulletin.memo import code_digest

        digest = hashlib.sha256()
        for name in ("supervision-bulletin", "weasyprint", "docxtpl", "python-docx", "pydyf", "fonttools"):
            digest.update(f"{name}={installed_version(name)}\n".encode())
        digest.update(code_digest().encode())  # a renderer changed without a new version number
        if self._docx is not None:
            templates = sorted(self._docx.template_bytes.items())
        else:
            templates = sorted((layout, (self._templates("docx") / name).read_bytes())
                               for layout, name in DOCX_TEMPLATE_NAMES.items())
        for layout, data in templates:
            digest.update(layout.encode() + hashlib.sha256(data).digest())
        folders = {Path(self._html.templates) if self._html is not None else self._templates("html"),
                   Path(self._pdf.html.templates) if self._pdf is not None else self._templates("html")}
        for folder in sorted(folders):
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(str(path.relative_to(folder)).encode() + hashlib.sha256(path.read_bytes()).digest())
        digest.update((self._pdf.extra_css if self._pdf is not None else "").encode())
        font_set = self._pdf.font_set if self._pdf is not None else default_font_set()
        for face in font_set.all_faces():
            stat = Path(face.file).stat()
            digest.update(f"{face.role}:{face.file}:{face.index}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()


def file_names(document: OfficialDocument) -> dict[str, str]:
    """format → the document's file name in its cut-off's folder."""
    return {fmt: f"{safe_stem(document.slug)}.{fmt}" for fmt in FORMATS}


def installed_version(name: str) -> str:
    from importlib import metadata  # here: the package's import is on the way to starting the render server

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"
