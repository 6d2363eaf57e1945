"""Real-client check: every generated Word file opened by LibreOffice (headless).

For each DOCX (the sample campaign's, built afresh, or those in the folders
given) LibreOffice converts it to PDF, and that PDF must show:

* the file opened: soffice exits 0 and writes the PDF;
* the same number of pages as our own PDF of the document, ±1 (LibreOffice's
  line breaking is not WeasyPrint's);
* the red header on page 1: red pixels where the issuer mark belongs and a red
  rule under it, found in a PNG of page 1 (pdftoppm), kept as an artifact;
* no font substitution: every face embedded is an official face or its
  stand-in from the machine's font set (Fandol, with Noto CJK SC for rare
  characters), never Noto Sans CJK JP, DejaVu or the like; and the issuer mark's
  heavy Song face is there (LibreOffice used to draw it in the regular one).
* tables and letters as `bulletin verify` measures them in any PDF: no header
  broken inside a word (序/号), no figure split from its "%", text off the
  rules; a letter's number flush right, 7/8 of a 3号 character under the upper
  double rule.

Run:  .venv/bin/python scripts/e2e.py [--out outputs/e2e] [FOLDER ...]
(or `nox -s e2e`). Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from supervision_bulletin.resources import SAMPLE_CAMPAIGN, TEMPLATES

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

SAMPLE_PERIODS = ("2023-08", "2023-Q3", "2023-H1", "2023")
MM_PER_INCH = 25.4
PNG_DPI = 72  # thin rules stay visible: at 50 dpi a 0.5pt rule fades to pink
# Where page 1's issuer mark lies, from the top of the page (mm): standard layout
# 37 + 35 = 72 mm down, letter layout 30 mm down; a mark is at most 20 mm high.
MARK_BANDS = {"standard": (70.0, 95.0), "letter": (28.0, 52.0)}
MIN_RED_PIXELS = 300  # at 72 dpi a ten-character mark paints a few thousand
RULE_SHARE = 0.6  # a red rule spans most of the 156 mm text block


@dataclass
class Outcome:
    docx: str
    problems: list[str] = field(default_factory=list)
    pages: int | None = None
    our_pages: int | None = None
    faces: list[str] = field(default_factory=list)
    png: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("找不到 LibreOffice（soffice）：apt-get install libreoffice-writer-nogui")


def build_sample(folder: Path) -> list[Path]:
    """The sample campaign's year into ``folder`` (the inputs are copied: a build records
    numbers in the registry), in date order as its answers to notices need; the folders
    of one cut-off of each kind are checked."""
    from supervision_bulletin.build import build_all
    from supervision_bulletin.render import Renderers

    inputs = folder / "inputs"
    ignore = shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock")
    shutil.copytree(SAMPLE_CAMPAIGN, inputs, ignore=ignore)
    results = build_all(inputs, folder / "build", 2023, renderers=Renderers.load(TEMPLATES))
    return [result.folder for result in results if result.folder.name in SAMPLE_PERIODS]


def convert(docx_files: list[Path], out: Path, profile: Path) -> tuple[int, str]:
    """One soffice run for all files (start-up is most of its time)."""
    command = [
        soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        "--convert-to", "pdf", "--outdir", str(out), *map(str, docx_files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)  # its code is returned
    noise = ("javaldx", "convert ")
    messages = [line for line in (done.stdout + done.stderr).splitlines() if line.strip() and not line.startswith(noise)
                and "java may not function" not in line]
    return done.returncode, "\n".join(messages)


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def layout_of(docx: Path) -> str:
    from supervision_bulletin.verify.verify_docx import DocxChecker

    return DocxChecker(docx).layout


def render_page_one(pdf: Path, png: Path) -> Path:
    stem = png.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(PNG_DPI), "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True)
    return png


def red_header_problems(png: Path, layout: str) -> list[str]:
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    px_per_mm = PNG_DPI / MM_PER_INCH

    def red(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return r > 150 and r - max(g, b) > 70  # anti-aliased edges of red count too

    top, bottom = (round(mm * px_per_mm) for mm in MARK_BANDS[layout])
    in_band = sum(red(x, y) for y in range(top, min(bottom, height)) for x in range(width))
    problems = []
    if in_band < MIN_RED_PIXELS:
        low, high = MARK_BANDS[layout]
        problems.append(f"第1页 {low:g}–{high:g} mm 处没有红色发文机关标志（红色像素 {in_band}）")
    text_width = 156 * px_per_mm
    def longest_run(y: int) -> int:
        longest = run = 0
        for x in range(width):
            run = run + 1 if red(x, y) else 0
            longest = max(longest, run)
        return longest

    # The rule lies under the mark: inside the band for a letter, below it otherwise.
    rule_rows = [y for y in range(top, height // 2) if longest_run(y) > RULE_SHARE * text_width]
    if not rule_rows:
        problems.append("第1页发文机关标志之下没有红色分隔线")
    return problems


def allowed_faces() -> set[str]:
    from supervision_bulletin.fonts import default_font_set

    font_set = default_font_set()
    return {face.postscript_name for face in font_set.all_faces()}


def font_problems(pdf: Path, allowed: set[str]) -> tuple[list[str], list[str]]:
    from supervision_bulletin.fonts import default_font_set
    from supervision_bulletin.render.pdf import embedded_fonts

    fonts = embedded_fonts(pdf)
    faces = sorted({font.face for font in fonts})
    problems = [f"字体 {font.face} 未嵌入" for font in fonts if not font.embedded]
    fallbacks = ("NotoSerifCJKsc", "NotoSansCJKsc")  # rare characters, simplified Chinese forms
    foreign = [face for face in faces if face not in allowed and not face.startswith(fallbacks)]
    if foreign:
        problems.append("有字体替换：" + "、".join(foreign) + "（应为公文字体或其开源替代字体）")
    heavy = default_font_set().face("xbs").postscript_name
    if heavy not in faces:
        problems.append(f"发文机关标志和标题未用 {heavy}（小标宋的替代字体）")
    return problems, faces


def check(docx: Path, lo_pdf: Path, artifacts: Path, allowed: set[str]) -> Outcome:
    outcome = Outcome(str(docx))
    if not lo_pdf.exists():
        outcome.problems.append("LibreOffice 未能打开或转换")
        return outcome
    outcome.pages = page_count(lo_pdf)
    ours = docx.with_suffix(".pdf")
    if ours.exists():
        outcome.our_pages = page_count(ours)
        if abs(outcome.pages - outcome.our_pages) > 1:
            outcome.problems.append(
                f"LibreOffice 排出 {outcome.pages} 页，本系统的 PDF 为 {outcome.our_pages} 页（应相差不超过 1 页）"
            )
    png = render_page_one(lo_pdf, artifacts / f"{docx.stem}-第1页.png")
    outcome.png = str(png)
    outcome.problems += red_header_problems(png, layout_of(docx))
    problems, outcome.faces = font_problems(lo_pdf, allowed)
    outcome.problems += problems
    outcome.problems += layout_problems(lo_pdf)
    return outcome


def layout_problems(pdf: Path) -> list[str]:
    from supervision_bulletin.verify.verify_pdf import verify_layout_of_tables_and_letter

    return [f"{finding.place}：{finding.detail}" if finding.place else finding.detail
            for finding in verify_layout_of_tables_and_letter(pdf)]


def docx_files(folders: list[Path]) -> list[Path]:
    from supervision_bulletin.verify import documents_in

    return [path for path in documents_in(folders) if path.suffix.lower() == ".docx"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folders", nargs="*", type=Path, help="存放生成的 .docx（及同名 .pdf）的文件夹；默认重新生成示例活动"
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "outputs" / "e2e", help="第 1 页 PNG 和报告的存放位置")
    args = parser.parse_args(argv)
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    (out / "libreoffice").mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="e2e-") as scratch:
        scratch = Path(scratch)
        folders = args.folders or build_sample(scratch)
        files = docx_files(folders)
        if not files:
            print("e2e：没有找到 .docx 文件", file=sys.stderr)
            return 1
        print(f"e2e：LibreOffice 打开 {len(files)} 个 Word 文件……", flush=True)
        returncode, messages = convert(files, out / "libreoffice", scratch / "profile")
        allowed = allowed_faces()
        outcomes = [check(docx, out / "libreoffice" / f"{docx.stem}.pdf", out, allowed) for docx in files]
    if returncode != 0:
        outcomes[0].problems.append(f"soffice 退出状态 {returncode}：{messages}")
    elif messages:
        print(f"soffice 提示：{messages}", file=sys.stderr)
    (out / "report.json").write_text(
        json.dumps([asdict(outcome) for outcome in outcomes], ensure_ascii=False, indent=2), encoding="utf-8"
    )
    for outcome in outcomes:
        mark = "通过" if outcome.ok else "失败"
        print(f"[{mark}] {Path(outcome.docx).name}：LibreOffice {outcome.pages} 页，本系统 {outcome.our_pages} 页；"
              f"字体 {'、'.join(outcome.faces)}")
        for problem in outcome.problems:
            print(f"    - {problem}")
    passed = sum(outcome.ok for outcome in outcomes)
    print(f"第 1 页 PNG 与报告：{out}")
    print(f"e2e: {passed} passed, {len(outcomes) - passed} failed")
    return 0 if passed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
