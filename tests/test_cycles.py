"""Whole builds of every cycle: documents, manifests, numbers, `--all`."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from click.testing import CliRunner

from supervision_bulletin.build import BuildOptions, build, build_all, check, cutoffs_with_data
from supervision_bulletin.cli import main
from supervision_bulletin.periods import parse_period
from supervision_bulletin.record import CampaignRecord
from supervision_bulletin.render import Renderers
from supervision_bulletin.resources import TEMPLATES
from tests.compose import hand_campaign as hc


@pytest.fixture
def root(tmp_path):
    return hc.write_hand_campaign(tmp_path / "inputs")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def manifest(out: Path, label: str) -> dict:
    return json.loads((out / label / "manifest.json").read_text(encoding="utf-8"))


def numbers(out: Path, *labels: str) -> list[str]:
    return [d["number"] for label in labels for d in manifest(out, label)["documents"]]


def serial(number: str) -> int:
    return int(number.split("〕")[1].removesuffix("号"))


def records(root: Path) -> list:
    return CampaignRecord(root / "registry.sqlite").documents()


def test_a_quarter_writes_the_bulletin_and_a_notice_per_criticised_unit(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024-Q1"), renderers=renderers)
    documents = manifest(out, "2024-Q1")["documents"]
    assert [(d["kind"], d["unit"]) for d in documents] == [("quarterly_bulletin", None), ("notice", "乙局")]
    bulletin, notice = documents
    assert bulletin["criticised"] == ["乙局"] and bulletin["commended"] == ["甲局"]
    assert notice["criticised"] == [] and notice["title"].endswith("进行督办的通知")
    assert bulletin["issued"] == notice["issued"] == "2024-04-08" and notice["deadline"] == "2024-04-22"
    assert notice["answer"] == "未到期" and bulletin["cutoff"] == "2024-04-08"
    for document in documents:
        assert set(document["files"]) == {"docx", "pdf", "html"}
        for fmt, name in document["files"].items():
            assert (out / "2024-Q1" / name).stat().st_size > 0
            assert len(document["sha256"][fmt]) == 64


def test_the_half_year_escalates_a_unit_sent_a_notice_at_the_first_quarter(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024-Q1"), renderers=renderers)
    build(root, out, parse_period("2024-06"), renderers=renderers)  # 2024-06 names the half-year summary
    bulletin, notice = manifest(out, "2024-H1")["documents"]
    assert bulletin["kind"] == "half_year_summary" and notice["unit"] == "乙局"
    assert notice["escalated"] and notice["title"].endswith("升级督办的通知")
    q1_notice = manifest(out, "2024-Q1")["documents"][1]["number"]
    text = (out / "2024-H1" / notice["files"]["html"]).read_text(encoding="utf-8")
    assert q1_notice in text  # the escalation cites the notice actually sent


def test_escalation_reads_the_record_not_a_recomputation(root, tmp_path, renderers):
    # Q1 was never issued: 乙局's half-year criticism is its first notice.
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024-H1"), renderers=renderers)
    notice = manifest(out, "2024-H1")["documents"][1]
    assert not notice["escalated"] and notice["title"].endswith("进行督办的通知")


def test_the_aliases_of_a_cutoff_build_one_document_into_one_folder(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    for label in ("2024-Q2", "2024-06", "2024-H1"):
        build(root, out, parse_period(label), renderers=renderers)
    assert sorted(p.name for p in out.iterdir()) == ["2024-H1"]
    assert [d.number for d in records(root)] == ["东湖督〔2024〕1号", "东湖督〔2024〕2号"]


def test_a_monthly_report_neither_commends_nor_criticises_nor_sends_a_notice(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024-02"), renderers=renderers)
    (document,) = manifest(out, "2024-02")["documents"]
    assert document["kind"] == "monthly_report"
    assert document["commended"] == [] and document["criticised"] == []
    text = (out / "2024-02" / document["files"]["html"]).read_text(encoding="utf-8")
    assert "督促事项" in text and "通报批评" not in text.split("督促事项")[1].split("届时")[0]


def test_the_year_manifest_carries_the_points(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024"), renderers=renderers)
    data = manifest(out, "2024")
    document, notice = data["documents"]
    # The account is the fourth quarter's bulletin too: December's verdicts and notices.
    assert document["kind"] == "year_end_account" and document["criticised"] == ["乙局"]
    assert document["commended"] == ["甲局"] and notice["unit"] == "乙局"
    assert [(e["unit"], e["group"], e["rank"], e["points"]) for e in data["assessment"]] == [
        (unit, hc.EXPECTED_GROUPS[unit], rank, hc.EXPECTED_POINTS[unit]) for unit, rank in hc.EXPECTED_RANKING
    ]


class TestNumbers:
    def test_consecutive_and_stable_on_rebuild(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        for label in ("2024-Q1", "2024-H1"):
            build(root, out, parse_period(label), renderers=renderers)
        first = numbers(out, "2024-Q1", "2024-H1")
        assert [serial(n) for n in first] == [1, 2, 3, 4]
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        build(root, out, parse_period("2024-H1"), renderers=renderers)
        assert numbers(out, "2024-Q1", "2024-H1") == first

    def test_a_new_document_takes_the_next_number_and_none_is_reused(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-Q1")] == [1, 2]
        build(root, out, parse_period("2024-02"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-02")] == [3]
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-Q1")] == [1, 2]

    def test_a_draft_takes_no_number_and_leaves_the_official_folder_alone(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        official = (out / "2024-Q1" / "manifest.json").read_bytes()
        build(root, out, parse_period("2024-Q1"), BuildOptions(draft=True), renderers=renderers)
        assert numbers(out, "2024-Q1-征求意见稿") == [None, None]
        assert (out / "2024-Q1" / "manifest.json").read_bytes() == official
        assert len(records(root)) == 2

    def test_a_build_refused_by_the_verifier_takes_no_number(self, root, tmp_path, renderers, monkeypatch):
        from supervision_bulletin.render import produce

        def refuse(path):
            raise RuntimeError("版式核验未通过")

        out = tmp_path / "outputs"
        monkeypatch.setattr(produce, "verify_file", refuse)
        with pytest.raises(RuntimeError):
            build(root, out, parse_period("2024-Q1"), BuildOptions(cache=False), renderers=renderers)
        assert records(root) == [] and not (out / "2024-Q1").exists()
        monkeypatch.undo()
        build(root, out, parse_period("2024-02"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-02")] == [1]  # no gap left by the failure

    def test_a_rebuild_that_drops_a_criticism_voids_its_notice_and_says_so(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        # 乙局's March figure is corrected to the benchmark: no longer criticised.
        hc.write_hand_campaign(root, months=range(3, 4), overrides={("I2", 3): 12.5})
        rebuilt = build(root, out, parse_period("2024-Q1"), renderers=renderers)
        assert any("不再通报批评乙局" in change for change in rebuilt.changes)
        assert any("东湖督〔2024〕2号" in change and "作废" in change for change in rebuilt.changes)
        states = {d.number: d.state for d in records(root)}
        assert states == {"东湖督〔2024〕1号": "已发布", "东湖督〔2024〕2号": "已作废"}
        build(root, out, parse_period("2024-02"), renderers=renderers)
        assert numbers(out, "2024-02") == ["东湖督〔2024〕3号"]  # the voided number is never reused

    def test_a_whole_year_numbers_in_issue_date_order(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        build_all(root, out, 2024, renderers=renderers)
        documents = sorted(records(root), key=lambda d: d.serial)
        dates = [d.issued for d in documents]
        assert dates == sorted(dates)
        assert [d.serial for d in documents] == list(range(1, len(documents) + 1))

    def test_two_builds_at_once_never_share_a_number(self, root, tmp_path):
        context = multiprocessing.get_context("spawn")
        out = tmp_path / "outputs"
        jobs = [("2024-02", "2024-Q1", "2024-04"), ("2024-01", "2024-05", "2024-H1")]
        workers = [context.Process(target=build_periods, args=(root, out, labels)) for labels in jobs]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
            assert worker.exitcode == 0
        found = numbers(out, *(label for labels in jobs for label in labels if label != "2024-06"))
        assert len(found) == len(set(found))
        assert sorted(serial(n) for n in found) == list(range(1, len(found) + 1))
        keys = [d.key for d in records(root)]
        assert len(keys) == len(set(keys)) == len(found)


def build_periods(root: Path, out: Path, labels: tuple[str, ...]) -> None:
    """One real build process (spawned): its own renderers, the shared record and lock."""
    renderers = Renderers.load(TEMPLATES)
    for label in labels:
        build(root, out, parse_period(label), renderers=renderers)


class TestWholeYear:
    def test_one_document_per_cutoff_in_date_order(self, root):
        labels = [p.label for p in cutoffs_with_data(check(root))]
        assert labels == [
            "2024-01", "2024-02", "2024-Q1", "2024-04", "2024-05", "2024-H1",
            "2024-07", "2024-08", "2024-Q3", "2024-10", "2024-11", "2024",
        ]

    def test_a_year_without_december_has_no_year_end(self, tmp_path):
        inputs = check(hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 11)))
        labels = [p.label for p in cutoffs_with_data(inputs)]
        assert labels[-1] == "2024-10" and "2024" not in labels

    def test_all_with_one_progress_bar(self, root, tmp_path):
        out = tmp_path / "outputs"
        result = run("build", "2024", "--all", "--inputs", root, "--out", out)
        assert result.exit_code == 0, result.output
        assert "已生成 12 个周期" in result.output
        assert "  2024-Q1  东湖督〔2024〕3号  季度通报，督办通知1份" in result.output
        assert sorted(p.name for p in out.iterdir()) == sorted(p.label for p in cutoffs_with_data(check(root)))
        everything = [d for folder in out.iterdir() for d in manifest(out, folder.name)["documents"]]
        assert sorted(serial(d["number"]) for d in everything) == list(range(1, len(everything) + 1))
        kinds = {d["kind"] for d in everything}
        assert kinds == {"monthly_report", "quarterly_bulletin", "half_year_summary", "year_end_account", "notice"}

    def test_build_all_reports_each_period(self, tmp_path, renderers):
        root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
        heard, done = [], []
        build_all(root, tmp_path / "out", 2024, BuildOptions(draft=True), started=heard.append,
                  built=lambda r: done.append(r.folder.name), renderers=renderers)
        assert len(heard) == 1 and [p.label for p in heard[0]] == ["2024-01", "2024-02", "2024-Q1"]
        assert done == ["2024-01-征求意见稿", "2024-02-征求意见稿", "2024-Q1-征求意见稿"]


class TestCommandLine:
    def test_month_half_year_and_year(self, root, tmp_path):
        out = tmp_path / "outputs"
        cases = (("2024-08", "2024-08", "monthly_report"), ("2024-09", "2024-Q3", "quarterly_bulletin"),
                 ("2024-H1", "2024-H1", "half_year_summary"), ("2024-Q4", "2024", "year_end_account"))
        for label, folder, kind in cases:
            result = run("build", label, "--inputs", root, "--out", out)
            assert result.exit_code == 0, result.output
            assert manifest(out, folder)["documents"][0]["kind"] == kind

    def test_the_second_half_is_refused_with_a_hint(self, root, tmp_path):
        result = run("build", "2024-H2", "--inputs", root, "--out", tmp_path / "out")
        assert result.exit_code == 2
        assert "bulletin build 2024" in result.output

    def test_all_needs_a_year(self, root, tmp_path):
        result = run("build", "2024-Q3", "--all", "--inputs", root, "--out", tmp_path / "out")
        assert result.exit_code == 2 and "--all" in result.output

    def test_the_year_end_needs_december(self, tmp_path):
        root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 12))
        result = run("build", "2024", "--inputs", root, "--out", tmp_path / "out")
        assert result.exit_code == 1
        assert "年底交账通报需要截至12月底的月报" in result.output
