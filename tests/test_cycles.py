"""Whole builds of every cycle: documents, manifests, numbers, `--all`."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import TEMPLATES, BuildOptions, build, build_all, check, periods_of_year
from pipeline.cli import main
from pipeline.periods import parse_period
from pipeline.registry import NumberRegistry
from pipeline.render import Renderers
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


def test_a_quarter_writes_the_bulletin_and_a_notice_per_criticised_unit(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024-Q2"), renderers=renderers)
    documents = manifest(out, "2024-Q2")["documents"]
    assert [(d["kind"], d["unit"]) for d in documents] == [("quarterly_bulletin", None), ("notice", "乙局")]
    bulletin, notice = documents
    assert bulletin["criticised"] == ["乙局"] and bulletin["commended"] == ["甲局"]
    assert notice["criticised"] == [] and notice["title"].endswith("升级督办的通知")
    for document in documents:
        assert set(document["files"]) == {"docx", "pdf", "html"}
        for fmt, name in document["files"].items():
            assert (out / "2024-Q2" / name).stat().st_size > 0
            assert len(document["sha256"][fmt]) == 64


def test_the_year_manifest_carries_the_points(root, tmp_path, renderers):
    out = tmp_path / "outputs"
    build(root, out, parse_period("2024"), renderers=renderers)
    data = manifest(out, "2024")
    (document,) = data["documents"]
    assert document["kind"] == "year_end_account" and document["criticised"] == []
    assert [(e["unit"], e["rank"], e["points"]) for e in data["assessment"]] == [
        (unit, rank, hc.EXPECTED_POINTS[unit]) for unit, rank in hc.EXPECTED_RANKING
    ]


class TestNumbers:
    def test_consecutive_and_stable_on_rebuild(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        for label in ("2024-Q1", "2024-Q2"):
            build(root, out, parse_period(label), renderers=renderers)
        first = numbers(out, "2024-Q1", "2024-Q2")
        assert [serial(n) for n in first] == [1, 2, 3, 4]
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        build(root, out, parse_period("2024-Q2"), renderers=renderers)
        assert numbers(out, "2024-Q1", "2024-Q2") == first

    def test_a_new_document_takes_the_next_number_and_none_is_reused_after_a_deleted_output(
        self, root, tmp_path, renderers
    ):
        out = tmp_path / "outputs"
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-Q1")] == [1, 2]
        shutil.rmtree(out)  # the outputs go; the registry stays with the inputs
        build(root, out, parse_period("2024-02"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-02")] == [3, 4]
        build(root, out, parse_period("2024-Q1"), renderers=renderers)
        assert [serial(n) for n in numbers(out, "2024-Q1")] == [1, 2]

    def test_a_draft_takes_no_number(self, root, tmp_path, renderers):
        out = tmp_path / "outputs"
        build(root, out, parse_period("2024-Q1"), BuildOptions(draft=True), renderers=renderers)
        assert numbers(out, "2024-Q1") == [None, None]
        assert NumberRegistry(root / "registry.sqlite").entries() == []

    def test_two_builds_at_once_never_share_a_number(self, root, tmp_path):
        context = multiprocessing.get_context("spawn")
        out = tmp_path / "outputs"
        jobs = [("2024-02", "2024-Q1", "2024-04"), ("2024-03", "2024-05", "2024-Q2")]
        workers = [context.Process(target=build_periods, args=(root, out, labels)) for labels in jobs]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
            assert worker.exitcode == 0
        found = numbers(out, *(label for labels in jobs for label in labels))
        assert len(found) == len(set(found))
        assert sorted(serial(n) for n in found) == list(range(1, len(found) + 1))
        keys = [entry[3] for entry in NumberRegistry(root / "registry.sqlite").entries()]
        assert len(keys) == len(set(keys)) == len(found)


def build_periods(root: Path, out: Path, labels: tuple[str, ...]) -> None:
    """One real build process (spawned): its own renderers, the shared registry."""
    renderers = Renderers.load(TEMPLATES)
    for label in labels:
        build(root, out, parse_period(label), renderers=renderers)


class TestWholeYear:
    def test_every_period_with_data_in_date_order(self, root):
        labels = [p.label for p in periods_of_year(check(root), 2024)]
        assert labels == [
            "2024-01", "2024-02", "2024-03", "2024-Q1", "2024-04", "2024-05", "2024-06", "2024-Q2", "2024-H1",
            "2024-07", "2024-08", "2024-09", "2024-Q3", "2024-10", "2024-11", "2024-12", "2024-Q4", "2024",
        ]

    def test_a_year_without_december_has_no_year_end_and_no_fourth_quarter(self, tmp_path):
        inputs = check(hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 11)))
        labels = [p.label for p in periods_of_year(inputs, 2024)]
        assert labels[-1] == "2024-10" and "2024-Q4" not in labels and "2024" not in labels

    def test_all_with_one_progress_bar(self, root, tmp_path):
        out = tmp_path / "outputs"
        result = run("build", "2024", "--all", "--inputs", root, "--out", out)
        assert result.exit_code == 0, result.output
        assert "生成2024年各周期公文" in result.output
        assert "已生成 18 个周期" in result.output
        assert sorted(p.name for p in out.iterdir()) == sorted(p.label for p in periods_of_year(check(root), 2024))
        everything = [d for folder in out.iterdir() for d in manifest(out, folder.name)["documents"]]
        assert sorted(serial(d["number"]) for d in everything) == list(range(1, len(everything) + 1))
        kinds = {d["kind"] for d in everything}
        assert kinds == {"monthly_report", "quarterly_bulletin", "half_year_summary", "year_end_account", "notice"}

    def test_build_all_reports_each_period(self, tmp_path, renderers):
        root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 4))
        heard, done = [], []
        build_all(root, tmp_path / "out", 2024, BuildOptions(draft=True), started=heard.append,
                  built=lambda r: done.append(r.folder.name), renderers=renderers)
        assert len(heard) == 1 and [p.label for p in heard[0]] == done == ["2024-01", "2024-02", "2024-03", "2024-Q1"]


class TestCommandLine:
    def test_month_half_year_and_year(self, root, tmp_path):
        out = tmp_path / "outputs"
        for label, kind in (("2024-09", "monthly_report"), ("2024-H1", "half_year_summary"), ("2024", "year_end_account")):
            result = run("build", label, "--inputs", root, "--out", out)
            assert result.exit_code == 0, result.output
            assert manifest(out, label)["documents"][0]["kind"] == kind

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
        assert "年底交账需要12月的月报" in result.output
