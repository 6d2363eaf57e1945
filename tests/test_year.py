"""The sample's whole year, read as one story: the documents of one day agree, and no
document cites what it could not yet know."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter

import pytest

from supervision_bulletin import calendar
from supervision_bulletin.build import build_all, check, cutoffs_with_data
from supervision_bulletin.record import CampaignRecord
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from tests.render.test_cross_format import html_text

SAMPLE = SAMPLE_CAMPAIGN
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@pytest.fixture(scope="module")
def year(tmp_path_factory, renderers):
    root = tmp_path_factory.mktemp("sample") / "inputs"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("registry.sqlite*", ".bulletin-build.lock"))
    out = root.parent / "outputs"
    build_all(root, out, 2023, renderers=renderers)
    documents = []
    for manifest_path in sorted(out.glob("*/manifest.json")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for document in manifest["documents"]:
            document["text"] = html_text(manifest_path.parent / document["files"]["html"])
            document["folder"] = manifest_path.parent.name
            documents.append(document)
    return check(root), CampaignRecord(root / "registry.sqlite"), documents


def main_documents(documents):
    return [d for d in documents if d["kind"] != "notice"]


def test_one_main_document_per_cutoff_and_per_day(year):
    inputs, _, documents = year
    mains = main_documents(documents)
    assert sorted(d["folder"] for d in mains) == sorted(p.label for p in cutoffs_with_data(inputs))
    assert len(mains) == 12
    days = Counter(d["issued"] for d in mains)
    assert max(days.values()) == 1


def test_no_unit_gets_two_notices_on_one_day(year):
    _, _, documents = year
    notices = Counter((d["unit"], d["issued"]) for d in documents if d["kind"] == "notice")
    assert notices and max(notices.values()) == 1


def test_monthly_reports_send_no_notice(year):
    _, _, documents = year
    folders_with_notices = {d["folder"] for d in documents if d["kind"] == "notice"}
    assert folders_with_notices <= {"2023-Q1", "2023-H1", "2023-Q3", "2023"}


def test_every_document_is_dated_on_a_working_day(year):
    inputs, _, documents = year
    work = calendar.WorkCalendar.of(inputs.campaign)
    for document in documents:
        assert work.is_working_day(dt.date.fromisoformat(document["issued"])), document["title"]


def test_numbers_rise_with_the_issue_date(year):
    _, record, _ = year
    documents = sorted(record.documents(), key=lambda d: d.serial)
    assert [d.serial for d in documents] == list(range(1, len(documents) + 1))
    dates = [d.issued for d in documents]
    assert dates == sorted(dates)


def test_no_document_cites_a_date_after_its_own_except_deadlines(year):
    _, _, documents = year
    for document in documents:
        issued = dt.date.fromisoformat(document["issued"])
        text = document["text"]
        for match in CHINESE_DATE.finditer(text):
            day = dt.date(*(int(part) for part in match.groups()))
            if day > issued:
                assert text[match.end()] == "前", f"{document['title']}：{match.group(0)} 晚于成文日期 {issued}"


def test_a_report_after_the_cutoff_is_missing_there_and_made_good_next(year):
    _, _, documents = year
    # 区应急管理局's September report is dated 10 October, after the Q3 bulletin of 8 October.
    q3 = next(d for d in documents if d["kind"] == "quarterly_bulletin" and d["folder"] == "2023-Q3")
    assert q3["issued"] == "2023-10-08" and "区应急管理局" in q3["criticised"]
    assert "2023年10月10日" not in q3["text"]
    october = next(d for d in documents if d["folder"] == "2023-10")
    assert "区应急管理局9月" in october["text"] and "2023年10月10日补报" in october["text"]


def names_after(text: str, heading: str, verdict: str) -> list[str]:
    """The units a document names in its verdict paragraphs: "甲、乙等2个单位措施扎实……",
    or one paragraph per group ("部门中，…", "街道中，…")."""
    start = re.search(f"{heading}(?!情况)", text)
    if start is None:
        return []
    names = []
    pattern = f"(?:。|{heading})(?:(?:部门（单位）|部门|街道|乡镇|街道（乡镇）)中，)?([^。：]*?)(?:等\\d+个单位)?{verdict}"
    for match in re.finditer(pattern, text[start.start():start.start() + 20000]):
        names += match.group(1).split("、")
    return names


def test_every_manifest_list_is_what_the_document_says(year):
    _, _, documents = year
    for document in main_documents(documents):
        text = document["text"]
        assert names_after(text, "表扬单位", "措施扎实、成效明显，所负责") == document["commended"], document["title"]
        assert names_after(text, "通报批评单位", "行动迟缓、推进不力，存在") == document["criticised"], document["title"]
        for unit in document["criticised"]:
            notices = [d for d in documents if d["kind"] == "notice" and d["folder"] == document["folder"]]
            assert unit in {n["unit"] for n in notices}


def test_escalation_follows_the_notices_actually_issued(year):
    _, record, documents = year
    for notice in (d for d in documents if d["kind"] == "notice"):
        period = next(p for p in calendar.bulletin_periods(check_campaign(year)) if p.label == notice["folder"])
        previous = calendar.previous_cutoff(check_campaign(year), period)
        earlier = list(record.published("老城督查", 2023, previous.label)) if previous else []
        sent_before = notice["unit"] in {d.unit for d in earlier if d.kind == "notice"}
        assert notice["escalated"] == sent_before, notice["title"]


def check_campaign(year):
    return year[0].campaign


def test_an_escalated_notice_counts_the_bulletins_in_a_row_that_criticised_its_unit(year):
    _, _, documents = year
    criticised = {d["folder"]: set(d["criticised"]) for d in main_documents(documents)}
    bulletins = [p.label for p in calendar.bulletin_periods(check_campaign(year))]
    counted = 0
    for notice in (d for d in documents if d["kind"] == "notice" and d["escalated"]):
        at = bulletins.index(notice["folder"])
        run = 1
        while at - run >= 0 and notice["unit"] in criticised[bulletins[at - run]]:
            run += 1
        if run > 1:
            numeral = "两" if run == 2 else "一二三四"[run - 1]
            assert f"鉴于你单位连续{numeral}个季度被通报批评" in notice["text"], notice["title"]
            counted += run > 2
    assert counted  # the sample has units criticised three and four times running
