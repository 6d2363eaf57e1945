"""`bulletin verify`: measure generated DOCX and PDF files against GB/T 9704-2012.

Each file is read back as any reader would see it (python-docx for Word,
PDFium (pypdfium2) and pypdf for PDF) and measured against the layout numbers of the
standard (../shared/spec/gbt9704.md restates them): page and text block, fonts
and sizes, the 22 × 28 grid, red header, page numbers, colophon rules, the form
of document numbers and dates. One Finding per departure, with its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from supervision_bulletin.verify.rules import Finding, Rule, legend

__all__ = ["Finding", "Rule", "VerifyFailed", "documents_in", "legend", "verify_file", "verify_paths"]


class VerifyFailed(RuntimeError):
    """Raised by a strict build when its documents break GB/T 9704."""

    def __init__(self, findings: list[Finding], folder: Path):
        self.findings = findings
        self.folder = folder
        lines = "\n".join(f"  {finding.line(relative_to=folder)}" for finding in findings)
        super().__init__(
            f"{len(findings)} 处不符合 GB/T 9704-2012 的版式问题，未发布"
            f"（如需照常发布并只作提示，加 --verify warn）：\n{lines}"
        )


def _checkers() -> dict[str, Callable[[Path], list[Finding]]]:
    # Imported on use: the PDF side pulls in PDFium, the Word side python-docx.
    from supervision_bulletin.verify.verify_docx import verify_docx
    from supervision_bulletin.verify.verify_pdf import verify_pdf

    return {".docx": verify_docx, ".pdf": verify_pdf}


SUFFIXES = (".docx", ".pdf")


def documents_in(paths: Iterable[Path]) -> list[Path]:
    """The DOCX and PDF files named, or found in the folders named (hidden ones skipped)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                item for item in path.rglob("*")
                if item.suffix.lower() in SUFFIXES and item.is_file()
                and not any(part.startswith((".", "~$")) for part in item.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def verify_file(path: Path) -> list[Finding]:
    checker = _checkers().get(Path(path).suffix.lower())
    if checker is None:
        raise ValueError(f"{path}：只能核验 .docx 和 .pdf 文件")
    return checker(Path(path))


def verify_paths(paths: Iterable[Path]) -> list[Finding]:
    return [finding for path in documents_in(paths) for finding in verify_file(path)]


def verify_staged(
    folder: Path, strict: bool, progress: Callable[[str], None] = lambda message: None
) -> tuple[Finding, ...]:
    """The build's check of what it is about to publish (the staging folder).

    Strict, a finding raises VerifyFailed inside the staging block, so the folder
    is dropped and the outputs of the previous build stay as they were.
    """
    progress("按 GB/T 9704-2012 核验生成的 Word 和 PDF……")
    findings = tuple(verify_paths([folder]))
    if findings and strict:
        raise VerifyFailed(list(findings), folder)
    return findings
