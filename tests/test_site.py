"""`bulletin site`: the year's published documents as a static site for the government website."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from click.testing import CliRunner

from supervision_bulletin.build import BuildOptions, build, build_all, check
from supervision_bulletin.cli import main
from supervision_bulletin.document import KIND_NAMES
from supervision_bulletin.periods import parse_period
from supervision_bulletin.problems import InputError
from supervision_bulletin.record import CampaignRecord
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from supervision_bulletin.site import SiteError, build_site, default_index_prefix
from tests import campaign_factory as cf

SAMPLE = SAMPLE_CAMPAIGN
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
XHTML = "{http://www.w3.org/1999/xhtml}"
# The sample's PDFs have "%" opening a line in some tables (a layout fix is on its
# way); the site takes the documents as published, so the check is not its concern.
LENIENT = BuildOptions(verify_strict=False)
BULLETINS = ("monthly_report", "quarterly_bulletin", "half_year_summary", "year_end_account")


# fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory, renderers):
    """The sample year built in date order, then its site."""
    root = tmp_path_factory.mktemp("sample") / "inputs"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock"))
    out = root.parent / "outputs"
    build_all(root, out, 2023, LENIENT, renderers=renderers)
    return root, out, build_site(root, out, 2023)


def small_months():
    months = {month: dict(values) for month, values in cf.DEFAULT_MONTHS.items()}
    months[6]["A2-1"] = 100  # over its ceiling at mid-year: criticised, a notice at H1
    months[9]["A1-1"] = 400  # far behind at Q3: another unit criticised
    return months


@pytest.fixture(scope="module")
def small(tmp_path_factory, renderers):
    """A campaign of its own that publishes its notices, keeps its monthly reports
    on request only and offers the Word files; with a draft beside the documents."""
    root = cf.make_campaign(tmp_path_factory.mktemp("small") / "inputs", small_months())
    cf.write_campaign(root, site={
        "index_prefix": "C001-0013", "docx": True,
        "public": {"督办通知": "主动公开", "monthly_report": "依申请公开"},
    })
    out = root.parent / "outputs"
    build_all(root, out, 2024, LENIENT, renderers=renderers)
    build(root, out, parse_period("2024-Q3"), BuildOptions(draft=True, verify_strict=False), renderers=renderers)
    return root, out, build_site(root, out, 2024)


def parse_strictly(path: Path):
    """html5lib in strict mode: any parse error fails (unclosed or misnested tags,
    stray end tags, bad attributes, a missing doctype)."""
    return html5lib.HTMLParser(strict=True).parse(path.read_text(encoding="utf-8"))


def tag(tree, name):
    return list(tree.iter(f"{XHTML}{name}"))


def text_of(element) -> str:
    return re.sub(r"\s+", "", "".join(element.itertext()))


def list_rows(page: Path) -> list[dict]:
    """The rows of a list page: kind, title, number, date and 索引号, in the order shown."""
    tree = parse_strictly(page)
    if not tag(tree, "thead"):  # a kind with nothing published yet
        assert "暂无" in text_of(tag(tree, "main")[0])
        return []
    header = [text_of(th) for th in tag(tag(tree, "thead")[0], "th")]
    rows = []
    for tr in tag(tag(tree, "tbody")[0], "tr"):
        cells = [text_of(cell) for cell in tr if cell.tag in (f"{XHTML}th", f"{XHTML}td")]
        row = dict(zip(header, cells))
        row["kind"] = tr.get("data-kind")
        row["href"] = tag(tr, "a")[0].get("href")
        rows.append(row)
    return rows


def site_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def published(out: Path) -> list[dict]:
    documents = []
    for manifest in sorted(out.glob("*/manifest.json")):
        for document in json.loads(manifest.read_text(encoding="utf-8"))["documents"]:
            documents.append({**document, "folder": manifest.parent.name})
    return documents


# the site's links and files -------------------------------------------------------------


def crawl(folder: Path) -> set[str]:
    """Every file reached from index.html by href and src; each link must be relative,
    stay inside the site and name a file that exists."""
    reached, pending = set(), ["index.html"]
    while pending:
        page = pending.pop()
        if page in reached:
            continue
        reached.add(page)
        if not page.endswith(".html"):
            continue
        for element in parse_strictly(folder / page).iter():
            for attribute in ("href", "src"):
                link = element.get(attribute)
                if link is None or link.startswith("#"):
                    continue
                parts = urlsplit(link)
                assert not parts.scheme and not parts.netloc and not link.startswith("/"), f"{page}: {link}"
                target = (folder / page).parent / unquote(parts.path)
                assert target.resolve().is_relative_to(folder.resolve()), f"{page}: {link}"
                assert target.is_file(), f"{page}: {link} does not resolve"
                pending.append(target.resolve().relative_to(folder.resolve()).as_posix())
    return reached


@pytest.mark.parametrize("which", ["sample", "small"])
def test_every_link_resolves_and_every_file_is_reached(which, request):
    _, _, site = request.getfixturevalue(which)
    reached = crawl(site.folder)
    assert reached == site_files(site.folder)


def test_only_publishable_files_are_copied(sample, small):
    for _, _out, site in (sample, small):
        files = site_files(site.folder)
        assert not {name for name in files if name.endswith(("intake.xlsx", "manifest.json"))}
        suffixes = {Path(name).suffix for name in files}
        assert suffixes <= {".html", ".pdf", ".docx", ".css", ""}
        assert "SHA256SUMS" in files
    _, _, site = sample
    assert not {name for name in site_files(site.folder) if name.endswith(".docx")}  # docx: false by default
    _, _, site = small
    assert {name for name in site_files(site.folder) if name.endswith(".docx")}


def test_sha256sums_lists_every_file_with_its_digest(sample):
    _, _, site = sample
    listed = {}
    for line in (site.folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == site_files(site.folder) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((site.folder / name).read_bytes()).hexdigest() == digest, name


def test_copied_files_are_the_published_ones(sample):
    _, out, site = sample
    for document in site.documents:
        for _, download in document.downloads:
            assert (site.folder / download.path).read_bytes() == (out / download.path).read_bytes()


# what is on the site ------------------------------------------------------------------------


def test_notices_are_not_public_by_default_and_stay_off_the_site(sample):
    _, out, site = sample
    notices = [d for d in published(out) if d["kind"] == "notice"]
    assert notices
    text = "\n".join(
        (site.folder / name).read_text(encoding="utf-8") for name in site_files(site.folder) if name.endswith(".html")
    )
    listed = [row["文件编号"] for page in site.pages for row in list_rows_of(site, page)]
    for notice in notices:
        # The bulletins cite the notices they sent, by number; the notices themselves stay off.
        assert notice["number"] not in listed and notice["title"] not in text
        for name in notice["files"].values():
            assert not (site.folder / notice["folder"] / name).exists()
    assert {d.kind for d in site.withheld} == {"notice"}
    assert not (site.folder / "notice.html").exists()
    assert "督办通知" not in (site.folder / "index.html").read_text(encoding="utf-8")


def test_every_published_bulletin_is_on_the_site(sample):
    _, out, site = sample
    bulletins = sorted(d["number"] for d in published(out) if d["kind"] != "notice")
    assert len(bulletins) == 12
    assert sorted(d["number"] for d in list_rows_of(site, "index.html")) == bulletins


def list_rows_of(site, page):
    return [{"number": row["文件编号"], **row} for row in list_rows(site.folder / page)]


def test_public_settings_decide_what_is_listed(small):
    _, _out, site = small
    rows = list_rows_of(site, "index.html")
    kinds = {row["kind"] for row in rows}
    assert kinds == {"notice", "quarterly_bulletin", "half_year_summary"}  # monthly: 依申请公开
    assert {d.kind: d.disclosure for d in site.withheld} == {"monthly_report": "依申请公开"}
    assert not (site.folder / "monthly_report.html").exists()
    assert (site.folder / "notice.html").exists()
    assert all(row["公开方式"] == "主动公开" for row in rows)


def test_drafts_are_never_on_the_site(small):
    _, out, site = small
    drafts = [d for d in published(out) if d["draft"]]
    assert drafts and all(d["folder"].endswith("征求意见稿") for d in drafts)
    assert not any("征求意见稿" in name for name in site_files(site.folder))
    for name in site_files(site.folder):
        if name.endswith(".html"):
            assert "征求意见稿" not in (site.folder / name).read_text(encoding="utf-8")


def test_a_voided_document_leaves_the_site(small, tmp_path):
    root, _out, _ = small
    copy = tmp_path / "ws"
    shutil.copytree(root.parent, copy)
    with sqlite3.connect(copy / "inputs" / "registry.sqlite") as connection:
        connection.execute("UPDATE documents SET state = '已作废' WHERE serial = 2")
    site = build_site(copy / "inputs", copy / "outputs", 2024)
    assert "河东督〔2024〕2号" not in [d.number for d in site.documents]
    assert "河东督〔2024〕2号" not in (site.folder / "index.html").read_text(encoding="utf-8")


# the list -----------------------------------------------------------------------------------


def test_the_list_shows_what_government_sites_show(sample):
    root, _, site = sample
    rows = list_rows_of(site, "index.html")
    assert set(rows[0]) >= {"标题", "文件编号", "成文日期", "索引号", "发布机构", "公开方式"}
    issuer = check(root).campaign.issuer  # 老城区委区政府督查局
    assert all(row["发布机构"] == issuer and row["公开方式"] == "主动公开" for row in rows)


def test_the_list_is_newest_first(sample, small):
    for _, _, site in (sample, small):
        for page in site.pages:
            rows = list_rows_of(site, page)
            keys = [(row["成文日期"], int(re.search(r"〕(\d+)号", row["文件编号"])[1])) for row in rows]
            assert keys == sorted(keys, reverse=True), page
    root, _, site = sample
    year_end = next(d for d in CampaignRecord(root / "registry.sqlite").documents() if d.kind == "year_end_account")
    assert list_rows_of(site, "index.html")[0]["文件编号"] == year_end.number


def test_each_kind_page_lists_that_kind_only_and_all_of_it(sample):
    _, _, site = sample
    everything = list_rows_of(site, "index.html")
    for kind in BULLETINS:
        rows = list_rows_of(site, f"{kind}.html")
        assert rows and {row["kind"] for row in rows} == {kind}
        assert [r["文件编号"] for r in rows] == [r["文件编号"] for r in everything if r["kind"] == kind]
        assert all(KIND_NAMES[kind] in row["标题"] for row in rows)  # the tag beside the title


def test_the_filter_is_plain_links_marking_the_current_page(sample):
    _, _, site = sample
    for page in site.pages:
        tree = parse_strictly(site.folder / page)
        assert not tag(tree, "script")
        nav = next(n for n in tag(tree, "nav") if "kind-filter" in n.get("class", ""))
        links = {a.get("href"): a.get("aria-current") for a in tag(nav, "a")}
        assert set(links) == set(site.pages)
        assert [href for href, current in links.items() if current == "page"] == [page]


# 索引号 ---------------------------------------------------------------------------------------


def index_numbers(site) -> dict[str, str]:
    return {row["文件编号"]: row["索引号"] for row in list_rows_of(site, "index.html")}


def test_index_numbers_come_from_the_prefix_and_the_number(sample, small):
    _, _, site = sample
    prefix = default_index_prefix("老城督查")
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", prefix)
    assert index_numbers(site)["老城督查〔2023〕12号"] == f"{prefix}-2023-0012"
    _, _, site = small
    assert index_numbers(site)["河东督〔2024〕5号"] == "C001-0013-2024-0005"


def test_index_numbers_are_stable_across_builds(small, tmp_path, renderers):
    root, _out, site = small
    first = index_numbers(site)
    copy = tmp_path / "ws"
    shutil.copytree(root.parent, copy)
    again = build_site(copy / "inputs", copy / "outputs", 2024)
    assert index_numbers(again) == first
    # Rebuilding a cut-off keeps its numbers, so its documents keep their 索引号.
    build(copy / "inputs", copy / "outputs", parse_period("2024-Q3"), LENIENT, renderers=renderers)
    rebuilt = build_site(copy / "inputs", copy / "outputs", 2024)
    assert index_numbers(rebuilt) == first
    assert site_files(rebuilt.folder) == site_files(site.folder)


# pages --------------------------------------------------------------------------------------


def html_pages(site) -> list[Path]:
    return sorted(site.folder.rglob("*.html"))


def test_every_page_parses_strictly_and_is_well_formed(sample, small):
    for _, _, site in (sample, small):
        for page in html_pages(site):
            tree = parse_strictly(page)
            root = tree if tree.tag == f"{XHTML}html" else tree.getroot()
            assert root.get("lang") == "zh-CN", page
            assert len(tag(tree, "title")) == 1 and text_of(tag(tree, "title")[0]), page
            assert len(tag(tree, "h1")) == 1, page
            mains = tag(tree, "main")
            assert len(mains) == 1, page
            for article in tag(tree, "article"):
                assert not tag(article, "main"), page
            for thead in tag(tree, "thead"):
                assert all(th.get("scope") == "col" for th in tag(thead, "th")), page
            for table in tag(tree, "table"):
                assert all(th.get("scope") in ("col", "row", "rowgroup") for th in tag(table, "th")), page


def article_text(path: Path) -> str:
    return text_of(tag(parse_strictly(path), "article")[0])


def test_a_document_page_carries_the_published_words(sample):
    _, out, site = sample
    for document in site.documents:
        page = site.folder / document.page.path
        assert article_text(page) == article_text(out / document.page.path)
        text = page.read_text(encoding="utf-8")
        assert document.index_number in text and document.number in text
        tree = parse_strictly(page)
        hrefs = [a.get("href") for a in tag(tree, "a")]
        assert "../index.html" in hrefs
        assert any(unquote(h).endswith(".pdf") for h in hrefs)
        assert not any(unquote(h).endswith(".docx") for h in hrefs)


def test_word_files_are_offered_where_campaign_yaml_says_so(small):
    _, _, site = small
    for document in site.documents:
        hrefs = [unquote(a.get("href")) for a in tag(parse_strictly(site.folder / document.page.path), "a")]
        assert any(h.endswith(".docx") for h in hrefs) and any(h.endswith(".pdf") for h in hrefs)


def test_the_site_has_a_print_stylesheet(sample):
    _, _, site = sample
    for page in html_pages(site):
        links = [link for link in tag(parse_strictly(page), "link") if link.get("rel") == "stylesheet"]
        assert any(link.get("media") == "print" for link in links), page
    assert "display: none" in (site.folder / "site-print.css").read_text(encoding="utf-8")


# faults -------------------------------------------------------------------------------------


def test_a_file_changed_after_publishing_is_refused_and_the_old_site_kept(small, tmp_path):
    root, _out, _ = small
    copy = tmp_path / "ws"
    shutil.copytree(root.parent, copy)
    before = (copy / "outputs" / "site" / "index.html").read_bytes()
    pdf = next((copy / "outputs" / "2024-Q3").glob("*季度通报.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%")
    result = CliRunner().invoke(main, ["site", "2024", "--inputs", str(copy / "inputs"), "--out", str(copy / "outputs")])
    assert result.exit_code == 3, result.output
    assert "校验值不符" in result.output and pdf.name in result.output
    assert (copy / "outputs" / "site" / "index.html").read_bytes() == before
    assert not list((copy / "outputs").glob(".site.*"))


def test_a_missing_manifest_is_named(small, tmp_path):
    root, _, _ = small
    copy = tmp_path / "ws"
    shutil.copytree(root.parent, copy)
    (copy / "outputs" / "2024-H1" / "manifest.json").unlink()
    with pytest.raises(SiteError, match="2024-H1"):
        build_site(copy / "inputs", copy / "outputs", 2024)


def test_without_published_documents_the_command_says_what_to_do(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    result = CliRunner().invoke(main, ["site", "2024", "--inputs", str(root), "--out", str(tmp_path / "outputs")])
    assert result.exit_code == 3
    assert "bulletin build 2024 --all" in result.output and "Traceback" not in result.output


def test_another_year_is_bad_input(small):
    root, out, _ = small
    result = CliRunner().invoke(main, ["site", "2023", "--inputs", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "2024" in result.output


def test_the_command_reports_what_it_wrote(small, tmp_path):
    root, _, _ = small
    copy = tmp_path / "ws"
    shutil.copytree(root.parent, copy)
    result = CliRunner().invoke(main, ["site", "2024", "--inputs", str(copy / "inputs"), "--out", str(copy / "outputs")])
    assert result.exit_code == 0, result.output
    assert "已生成网站" in result.output and "index.html" in result.output
    assert "月度督查通报（依申请公开） 2 份" in result.output


# campaign.yaml `site` ------------------------------------------------------------------------


def problems_with_site(tmp_path, site) -> list[str]:
    root = cf.make_campaign(tmp_path / "inputs")
    cf.write_campaign(root, site=site)
    with pytest.raises(InputError) as caught:
        check(root)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("site, expected", [
    ({"index_prefx": "C001"}, ["campaign.yaml", "index_prefx", "index_prefix"]),
    ({"public": {"notices": "不公开"}}, ["campaign.yaml", "notices", "notice"]),
    ({"public": {"督办通知": "公开"}}, ["campaign.yaml", "公开方式“公开”", "主动公开"]),
    ({"index_prefix": "老城-01"}, ["campaign.yaml", "site.index_prefix", "C001-0013"]),
    ({"docx": "也许"}, ["campaign.yaml", "site.docx", "true"]),
    ("C001", ["campaign.yaml", "site 应写作"]),
])
def test_site_settings_are_checked_with_their_place(tmp_path, site, expected):
    problems = problems_with_site(tmp_path, site)
    assert len(problems) == 1, problems
    for words in expected:
        assert words in problems[0]


def test_a_misspelt_site_key_at_the_top_is_named(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    cf.write_campaign(root, sites={"docx": True})
    with pytest.raises(InputError) as caught:
        check(root)
    assert "“sites”不是可设置的项目，是否应为：site" in str(caught.value)


def test_site_settings_are_read(tmp_path):
    root = cf.make_campaign(tmp_path / "inputs")
    cf.write_campaign(root, site={"index_prefix": "ｃ001-0013", "docx": "是", "public": {"季度通报": "依申请公开"}})
    site = check(root).campaign.site
    assert site.index_prefix == "c001-0013" and site.docx is True
    assert site.disclosure("quarterly_bulletin") == "依申请公开"
    assert site.disclosure("notice") == "不公开" and site.disclosure("monthly_report") == "主动公开"


# in a browser, 390 px wide -------------------------------------------------------------------


@pytest.fixture(scope="module")
def phone():
    """Chromium (Debian's, with its chromedriver) with a 390 px viewport. Skipped only on
    a machine without Chromium outside CI: scripts/setup.sh installs it, so CI fails."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"缺少 {'、'.join(missing)}：scripts/setup.sh 应已安装 chromium 和 chromium-driver")
        pytest.skip(f"未安装 {'、'.join(missing)}（apt-get install chromium chromium-driver）")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='site-test-')}", "--window-size=390,844"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # A headless window is never narrower than about 500 px: emulate the phone's viewport.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    yield driver
    driver.quit()


SCROLL_TO_LAST_COLUMN = """
const wrap = document.querySelector(arguments[0]);
wrap.scrollIntoView({block: 'start'});
const before = {scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth};
wrap.scrollLeft = wrap.scrollWidth;
const cells = wrap.querySelectorAll('thead th'), last = cells[cells.length - 1].getBoundingClientRect();
const box = wrap.getBoundingClientRect();
return {...before, scrollLeft: wrap.scrollLeft, lastLeft: last.left, lastRight: last.right,
        boxLeft: box.left, boxRight: box.right, viewport: window.innerWidth,
        pageWidth: document.documentElement.scrollWidth};
"""


def assert_last_column_reachable(state: dict) -> None:
    assert state["viewport"] == 390
    assert state["scrollWidth"] > state["clientWidth"], state  # the table scrolls inside its box
    assert state["scrollLeft"] > 0, state
    assert 0 <= state["lastLeft"] and state["lastRight"] <= state["viewport"] + 0.5, state
    assert state["boxLeft"] >= 0 and state["boxRight"] <= state["viewport"] + 0.5, state
    assert state["pageWidth"] <= state["viewport"], state  # the page itself never scrolls sideways


def test_on_a_phone_every_column_of_the_list_can_be_scrolled_into_view(sample, phone):
    _, _, site = sample
    phone.get((site.folder / "index.html").as_uri())
    assert_last_column_reachable(phone.execute_script(SCROLL_TO_LAST_COLUMN, ".list-wrap"))


def test_on_a_phone_the_attachment_table_scrolls_to_its_last_column(sample, phone):
    _, _, site = sample
    page = next(d for d in site.documents if d.kind == "quarterly_bulletin").page.path
    phone.get((site.folder / page).as_uri())
    assert_last_column_reachable(phone.execute_script(SCROLL_TO_LAST_COLUMN, ".attachment .table-wrap"))
