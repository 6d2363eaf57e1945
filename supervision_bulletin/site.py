"""The year's published documents as a static site for the government website.

``bulletin site 2023`` writes outputs/site/: a 政府信息公开 list of every document
in force (newest first, one static page per kind, so filtering needs no
script), one page per document carrying the words of its published HTML file,
its PDF (and Word file where campaign.yaml says so), and SHA256SUMS.

Nothing here is worked out again. Which documents exist, their numbers, kinds,
addressees, titles and dates come from the record (inputs/registry.sqlite);
their files and checksums from the manifest of their cut-off's folder; their
words from the HTML file written at publish. A file that no longer matches the
checksum its manifest recorded is refused, not copied. What is only the site's
— the 索引号 and the 公开方式 — follows from campaign.yaml's `site` settings and
the number, so the same document always gets the same 索引号.

Only 主动公开 documents are put on the site; notices (each addressed to one
unit) are 不公开 unless campaign.yaml says otherwise. Drafts never enter the
record, and intake.xlsx and manifest.json are never copied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from markupsafe import Markup

from supervision_bulletin.document import KIND_NAMES
from supervision_bulletin.load import load_campaign_yaml
from supervision_bulletin.model import PUBLIC, Campaign, Location
from supervision_bulletin.problems import ProblemLog
from supervision_bulletin.record import PUBLISHED, RECORD_FILE, CampaignRecord, RecordedDocument, build_lock
from supervision_bulletin.render.html import make_environment
from supervision_bulletin.resources import TEMPLATES
from supervision_bulletin.validate import validate_campaign
from supervision_bulletin.write import publish, sha256, staging_folder

SITE_FOLDER = "site"
SUMS_FILE = "SHA256SUMS"
INDEX_PAGE = "index.html"
STYLESHEETS = ("site.css", "site-print.css")
DEFAULT_TEMPLATES = TEMPLATES / "site"
# The formats a document page offers, in this order; HTML is the page itself.
DOWNLOADS = {"pdf": "PDF", "docx": "Word"}


class SiteError(RuntimeError):
    """The published documents cannot be put on the site as they are (exit 3)."""


# facts ---------------------------------------------------------------------------


def default_index_prefix(code: str) -> str:
    """A prefix for campaigns that set none: the same for the same 机关代字, e.g. 5C1B-07A2."""
    digest = hashlib.sha256(code.encode("utf-8")).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


def index_prefix(campaign: Campaign) -> str:
    return campaign.site.index_prefix or default_index_prefix(campaign.code)


def index_number(prefix: str, document: RecordedDocument) -> str:
    """索引号: prefix, year and the number's serial (C001-0013-2023-0012 for 〔2023〕12号),
    so it follows from the number alone and never changes for a document."""
    return f"{prefix}-{document.year}-{document.serial:04d}"


@dataclass(frozen=True)
class SiteFile:
    source: Path  # in the cut-off's folder under outputs/
    path: str  # in the site, relative, with "/"
    size: int

    @property
    def href(self) -> str:
        """From the site's top folder."""
        return quote(self.path)

    @property
    def local_href(self) -> str:
        """From a page in the same folder (a document's page and its files)."""
        return quote(self.path.rsplit("/", 1)[-1])

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


@dataclass(frozen=True)
class SiteDocument:
    """One published document as the site shows it."""

    record: RecordedDocument
    index_number: str
    issuer: str  # 发布机构, as the published document is signed
    disclosure: str  # 公开方式
    page: SiteFile  # the published HTML; the site's page takes its place
    downloads: tuple[tuple[str, SiteFile], ...]  # (label, file)

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.record.kind, self.record.kind)

    @property
    def number(self) -> str:
        return self.record.number

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def issued(self) -> dt.date:
        assert self.record.issued is not None
        return self.record.issued

    @property
    def issued_text(self) -> str:
        return f"{self.issued.year}年{self.issued.month}月{self.issued.day}日"

    @property
    def public(self) -> bool:
        return self.disclosure == PUBLIC


def newest_first(documents: list[SiteDocument]) -> list[SiteDocument]:
    return sorted(documents, key=lambda d: (d.issued, d.record.serial), reverse=True)


def site_documents(campaign: Campaign, record: CampaignRecord, out_dir: Path, year: int) -> list[SiteDocument]:
    """Every document of ``year`` in force (not voided), newest first, with its files
    as its cut-off's manifest lists them and its 索引号 and 公开方式."""
    recorded = [d for d in record.documents(campaign.code, year) if d.state == PUBLISHED]
    if not recorded:
        raise SiteError(
            f"文号登记簿 {record.path} 中没有 {year} 年已发布的公文，网站没有可放的内容。"
            f"请先生成公文：bulletin build {year} --all"
        )
    prefix = index_prefix(campaign)
    manifests: dict[str, dict[str, dict]] = {}
    documents = []
    for document in recorded:
        if document.period not in manifests:
            manifests[document.period] = manifest_entries(out_dir, document.period)
        entry = manifests[document.period].get(document.number)
        if entry is None or entry.get("draft"):
            raise SiteError(
                f"登记簿中已发布的 {document.number}《{document.title}》不在 {out_dir / document.period / 'manifest.json'} "
                f"中。请重新生成该周期（bulletin build {document.period}）后再生成网站。"
            )
        files = published_files(out_dir / document.period, document, entry)
        if "html" not in files or "pdf" not in files:
            raise SiteError(f"{document.number}《{document.title}》的 manifest.json 中缺少 HTML 或 PDF 文件。")
        issued = document.issued or dt.date.fromisoformat(entry["issued"])
        if document.issued is None:  # a record written before issue dates were kept
            document = replace(document, issued=issued)
        offered = [fmt for fmt in DOWNLOADS if fmt in files and (fmt != "docx" or campaign.site.docx)]
        documents.append(SiteDocument(
            record=document,
            index_number=index_number(prefix, document),
            issuer=str(entry.get("issuer") or campaign.issuer),
            disclosure=campaign.site.disclosure(document.kind),
            page=files["html"],
            downloads=tuple((DOWNLOADS[fmt], files[fmt]) for fmt in offered),
        ))
    return newest_first(documents)


def manifest_entries(out_dir: Path, period: str) -> dict[str, dict]:
    """The documents of one cut-off's manifest, by number."""
    path = out_dir / plain_name(period, "周期") / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError(f"找不到 {path}：请重新生成该周期（bulletin build {period}）后再生成网站。") from None
    except (OSError, ValueError) as error:
        raise SiteError(f"无法读取 {path}（{error}）：请重新生成该周期（bulletin build {period}）。") from None
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, list):
        raise SiteError(f"{path} 的格式不对（没有 documents 列表）：请重新生成该周期（bulletin build {period}）。")
    return {str(d.get("number")): d for d in documents if isinstance(d, dict) and d.get("number")}


def published_files(folder: Path, document: RecordedDocument, entry: dict) -> dict[str, SiteFile]:
    """The document's files, each still what its manifest recorded at publish."""
    files = recorded if isinstance(recorded := entry.get("files"), dict) else {}
    sums = recorded if isinstance(recorded := entry.get("sha256"), dict) else {}
    found = {}
    for fmt, name in files.items():
        name = plain_name(str(name), "文件名")
        source = folder / name
        if source.is_symlink() or not source.is_file():
            raise SiteError(f"{document.number} 的 {source} 不存在：请重新生成该周期（bulletin build {document.period}）。")
        if sha256(source) != sums.get(fmt):
            raise SiteError(
                f"{source} 与 manifest.json 记录的校验值不符（发布后被改动或替换过），没有生成网站。"
                f"请重新生成该周期（bulletin build {document.period}）。"
            )
        found[fmt] = SiteFile(source, f"{folder.name}/{name}", source.stat().st_size)
    return found


def plain_name(name: str, what: str) -> str:
    """A name of one file or folder, never a path that leaves the outputs."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith("."):
        raise SiteError(f"manifest.json 中的{what}“{name}”不是单个文件名，没有生成网站。")
    return name


# pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindPage:
    kind: str | None  # None: every kind
    name: str  # 全部 / 季度通报 …
    path: str
    documents: tuple[SiteDocument, ...]


def kind_pages(documents: list[SiteDocument], campaign: Campaign) -> list[KindPage]:
    """index.html with every public document, then one page per kind that is public:
    the filter works as plain links."""
    public = [d for d in documents if d.public]
    pages = [KindPage(None, "全部", INDEX_PAGE, tuple(public))]
    for kind, name in KIND_NAMES.items():
        if campaign.site.disclosure(kind) == PUBLIC:
            pages.append(KindPage(kind, name, f"{kind}.html", tuple(d for d in public if d.kind == kind)))
    return pages


_STYLE = re.compile(r"<style>\s*(.*?)\s*</style>", re.DOTALL)
_ARTICLE_START = re.compile(r"<article\b")
# Built before the document's <main> moved out of its <article>.
_INNER_MAIN = '<main class="main-text">'


@dataclass(frozen=True)
class PublishedPage:
    stylesheet: Markup
    article: Markup


def published_page(path: Path) -> PublishedPage:
    """The <article> and the stylesheet of a published HTML file, as written."""
    text = path.read_text(encoding="utf-8")
    start = _ARTICLE_START.search(text)
    end = text.rfind("</article>")
    if start is None or end < start.start():
        raise SiteError(f"{path} 中找不到公文正文（<article>），请重新生成该周期。")
    article = text[start.start():end + len("</article>")]
    if _INNER_MAIN in article:
        article = article.replace(_INNER_MAIN, '<div class="main-text">').replace("</main>", "</div>")
    style = _STYLE.search(text[:start.start()])
    return PublishedPage(Markup(style.group(1) if style else ""), Markup(article))


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    documents: tuple[SiteDocument, ...]  # on the site, newest first
    withheld: tuple[SiteDocument, ...]  # 依申请公开 / 不公开: not on the site
    pages: tuple[str, ...]  # the list pages
    files: int  # every file of the site, SHA256SUMS included


def build_site(
    inputs_dir: Path,
    out_dir: Path,
    year: int,
    templates: Path = DEFAULT_TEMPLATES,
    waiting: Callable[[], None] = lambda: None,
) -> SiteResult:
    """Write ``out_dir``/site/ whole or not at all, from the record and the manifests."""
    campaign = campaign_settings(inputs_dir)
    if year != campaign.year:
        log = ProblemLog()
        log.add(Location("campaign.yaml"), f"本活动的年度为 {campaign.year} 年，没有 {year} 年的公文可放入网站")
        log.raise_if_any()
    with build_lock(inputs_dir, waiting):
        record = CampaignRecord(inputs_dir / RECORD_FILE)
        documents = site_documents(campaign, record, out_dir, year)
        with staging_folder(out_dir, SITE_FOLDER) as staging:
            result = write_site(staging, campaign, documents, templates)
            publish(staging, out_dir / SITE_FOLDER)
    return SiteResult(out_dir / SITE_FOLDER, *result)


def campaign_settings(inputs_dir: Path) -> Campaign:
    """campaign.yaml alone: a report being collected for the next cut-off, even a
    faulty one, has no bearing on what was already published."""
    log = ProblemLog()
    campaign = validate_campaign(load_campaign_yaml(inputs_dir, log), log)
    log.raise_if_any()
    return campaign


def write_site(folder: Path, campaign: Campaign, documents: list[SiteDocument], templates: Path):
    environment = make_environment(templates)
    public = [d for d in documents if d.public]
    withheld = [d for d in documents if not d.public]
    pages = kind_pages(documents, campaign)
    site = {
        "issuer": public[0].issuer if public else campaign.issuer,
        "campaign": campaign.name,
        "year": campaign.year,
        "pages": pages,
        "generated": dt.date.today(),
    }
    for name in STYLESHEETS:
        (folder / name).write_bytes((templates / name).read_bytes())
    listing = environment.get_template("index.html")
    for page in pages:
        (folder / page.path).write_text(listing.render(site=site, page=page, root=""), encoding="utf-8")
    by_kind = {page.kind: page for page in pages}
    document_template = environment.get_template("document.html")
    for document in public:
        target = folder / document.page.path
        target.parent.mkdir(exist_ok=True)
        for _, download in document.downloads:
            (folder / download.path).write_bytes(download.source.read_bytes())
        target.write_text(
            document_template.render(
                site=site, document=document, published=published_page(document.page.source),
                kind_page=by_kind.get(document.kind), root="../",
            ),
            encoding="utf-8",
        )
    write_sums(folder)
    files = sum(1 for path in folder.rglob("*") if path.is_file())
    return tuple(public), tuple(withheld), tuple(page.path for page in pages), files


def write_sums(folder: Path) -> Path:
    """SHA256SUMS: every file of the site, in the format `sha256sum -c` checks."""
    lines = [
        f"{sha256(path)}  {path.relative_to(folder).as_posix()}"
        for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
        if path.is_file() and path.name != SUMS_FILE
    ]
    target = folder / SUMS_FILE
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
