"""The campaign's record: numbers at publish, never reissued, and every fault a clear stop."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading

import pytest
from click.testing import CliRunner

from supervision_bulletin import record as record_module
from supervision_bulletin.cli import main
from supervision_bulletin.record import CampaignRecord, Publication, RecordError, document_key, document_number
from tests.compose import hand_campaign as hc

ISSUED = dt.date(2024, 4, 8)


def entry(key: str, serial: int, kind: str = "quarterly_bulletin", unit: str | None = None, **extra) -> Publication:
    return Publication(key, serial, kind, unit, f"标题{serial}", ISSUED, ISSUED, **extra)


def publish(record: CampaignRecord, period: str, *entries: Publication) -> list:
    return record.publish("码", 2024, period, entries, lambda: None)


def test_number_format_has_no_leading_zeros():
    assert document_number("老城督查", 2023, 3) == "老城督查〔2023〕3号"


def test_a_plan_keeps_known_numbers_and_continues_after_the_last(tmp_path):
    record = CampaignRecord(tmp_path / "registry.sqlite")
    publish(record, "2024-Q1", entry("2024-Q1/quarterly_bulletin/", 1), entry("2024-Q1/notice/乙局", 2, "notice", "乙局"))
    plan = record.plan_numbers("码", 2024)
    assert plan.serial("2024-Q1/notice/乙局") == 2
    assert plan.serial("2024-04/monthly_report/") == 3
    assert plan.serial("2024-05/monthly_report/") == 4
    assert record.plan_numbers("码", 2025).serial("x") == 1  # another year starts at 1
    assert record.plan_numbers("另一码", 2024).serial("x") == 1


def test_a_swap_that_fails_records_nothing(tmp_path):
    record = CampaignRecord(tmp_path / "registry.sqlite")

    def swap():
        raise OSError("disk full")

    with pytest.raises(OSError):
        record.publish("码", 2024, "2024-Q1", [entry("2024-Q1/quarterly_bulletin/", 1)], swap)
    assert record.documents() == []


def test_a_rebuild_without_a_document_voids_it_and_keeps_its_number_taken(tmp_path):
    record = CampaignRecord(tmp_path / "registry.sqlite")
    notice = entry("2024-Q1/notice/乙局", 2, "notice", "乙局")
    publish(record, "2024-Q1", entry("2024-Q1/quarterly_bulletin/", 1), notice)
    voided = publish(record, "2024-Q1", entry("2024-Q1/quarterly_bulletin/", 1))
    assert [d.number for d in voided] == ["码〔2024〕2号"]
    assert [(d.serial, d.state) for d in record.documents()] == [(1, "已发布"), (2, "已作废")]
    assert record.plan_numbers("码", 2024).serial("2024-04/monthly_report/") == 3
    publish(record, "2024-Q1", entry("2024-Q1/quarterly_bulletin/", 1), notice)  # the notice comes back
    assert [d.state for d in record.documents()] == ["已发布", "已发布"]


def test_a_number_held_by_another_document_is_refused(tmp_path):
    record = CampaignRecord(tmp_path / "registry.sqlite")
    publish(record, "2024-Q1", entry("2024-Q1/quarterly_bulletin/", 1))
    with pytest.raises(RecordError, match="已登记给另一份公文"):
        publish(record, "2024-04", entry("2024-04/monthly_report/", 1))


def test_the_record_keeps_what_was_issued(tmp_path):
    record = CampaignRecord(tmp_path / "registry.sqlite")
    publish(record, "2024-Q1", entry("2024-Q1/quarterly_bulletin/", 1, criticised=("乙局",), commended=("甲局",)),
            entry("2024-Q1/notice/乙局", 2, "notice", "乙局", deadline=dt.date(2024, 4, 22), escalated=True))
    main_document, notice = record.published("码", 2024, "2024-Q1")
    assert main_document.criticised == ("乙局",) and main_document.commended == ("甲局",)
    assert notice.deadline == dt.date(2024, 4, 22) and notice.escalated and notice.issued == ISSUED


def test_an_earlier_registry_keeps_its_numbers(tmp_path):
    path = tmp_path / "registry.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE numbers (code TEXT, year INTEGER, serial INTEGER, key TEXT, title TEXT, assigned_at TEXT)"
        )
        connection.execute("INSERT INTO numbers VALUES ('码', 2024, 1, '2024-Q3/quarterly_bulletin/', '通报', 'x')")
    record = CampaignRecord(path)
    (document,) = record.documents()
    assert (document.number, document.period, document.kind) == ("码〔2024〕1号", "2024-Q3", "quarterly_bulletin")
    assert record.plan_numbers("码", 2024).serial("new") == 2


# faults -----------------------------------------------------------------------------------


@pytest.fixture
def published(tmp_path, renderers):
    """A workspace with the first quarter published: numbers 1 and 2 are on documents."""
    root = hc.write_hand_campaign(tmp_path / "inputs", months=range(1, 5))
    out = tmp_path / "outputs"
    assert run("build", "2024-Q1", "--inputs", root, "--out", out).exit_code == 0
    return root, out


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_stopped_without_numbering(result, root, out, *words):
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "sqlite3" not in result.output
    for word in words:
        assert word in result.output
    assert not (out / "2024-04").exists()


@pytest.mark.parametrize("damage", ["delete", "empty"])
def test_a_lost_registry_stops_the_build_instead_of_reissuing(published, damage):
    root, out = published
    path = root / "registry.sqlite"
    if damage == "delete":
        path.unlink()
    else:
        path.write_bytes(b"")
    result = run("build", "2024-04", "--inputs", root, "--out", out)
    assert_stopped_without_numbering(result, root, out, "东湖督〔2024〕2号", "registry.sqlite.bak", "复制为")


def test_the_backup_restores_the_registry(published):
    root, out = published
    path = root / "registry.sqlite"
    path.unlink()
    shutil.copyfile(root / "registry.sqlite.bak", path)
    assert run("build", "2024-04", "--inputs", root, "--out", out).exit_code == 0
    assert [d.serial for d in CampaignRecord(path).documents()] == [1, 2, 3]


def test_an_older_copy_put_back_is_refused(published, renderers):
    root, out = published
    path = root / "registry.sqlite"
    older = root.parent / "older.sqlite"
    with sqlite3.connect(path) as connection, sqlite3.connect(older) as copy:
        connection.backup(copy)
        copy.execute("DELETE FROM documents WHERE serial = 2")
    shutil.copyfile(older, path)
    result = run("build", "2024-04", "--inputs", root, "--out", out)
    assert_stopped_without_numbering(result, root, out, "只登记到 东湖督〔2024〕1号")


@pytest.mark.parametrize(
    "content, words",
    [
        (b"this is not a database at all" * 40, ("已损坏",)),
        ("truncated", ("已损坏",)),
    ],
)
def test_a_damaged_registry_is_a_clear_stop(published, content, words):
    root, out = published
    path = root / "registry.sqlite"
    if content == "truncated":
        path.write_bytes(path.read_bytes()[:1500])
    else:
        path.write_bytes(content)
    result = run("build", "2024-04", "--inputs", root, "--out", out)
    assert_stopped_without_numbering(result, root, out, *words)
    assert run("numbers", "--inputs", root).exit_code == 3


def test_a_registry_of_another_shape_is_refused(published):
    root, out = published
    path = root / "registry.sqlite"
    path.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE documents (code TEXT, year INTEGER)")
    result = run("build", "2024-04", "--inputs", root, "--out", out)
    assert_stopped_without_numbering(result, root, out, "结构与本程序不符")


def test_a_read_only_registry_is_a_clear_stop(published, monkeypatch):
    root, out = published
    real_connect = sqlite3.connect

    class ReadOnly:
        """As SQLite answers when the file or its folder cannot be written (root ignores chmod)."""

        def __init__(self, *args, **kwargs):
            self.connection = real_connect(*args, **kwargs)

        def execute(self, sql, *args):
            if sql.startswith("BEGIN IMMEDIATE"):
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return self.connection.execute(sql, *args)

        def close(self):
            self.connection.close()

    monkeypatch.setattr(record_module.sqlite3, "connect", ReadOnly)
    result = run("build", "2024-04", "--inputs", root, "--out", out)
    assert_stopped_without_numbering(result, root, out, "只读")


def test_a_registry_held_by_another_program_is_a_clear_stop(published, monkeypatch):
    root, out = published
    monkeypatch.setattr(record_module, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(root / "registry.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("build", "2024-04", "--inputs", root, "--out", out)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_stopped_without_numbering(result, root, out, "被其他程序占用")


def test_numbers_lists_the_registry(published):
    root, _ = published
    result = run("numbers", "--inputs", root)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split("\t") == [
        "东湖督〔2024〕1号", "2024-04-08", "关于2024年东湖区民生实事推进行动第一季度推进情况的通报", "—", "已发布",
    ]
    assert lines[1].split("\t")[3] == "乙局"


def test_a_second_build_waits_for_the_first(tmp_path):
    (tmp_path / "inputs").mkdir()
    order = []
    with record_module.build_lock(tmp_path / "inputs"):
        waiter = threading.Thread(
            target=lambda: record_module.build_lock(tmp_path / "inputs", lambda: order.append("waiting")).__enter__()
        )
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive() and order == ["waiting"]
        order.append("first done")
    waiter.join(timeout=5)
    assert not waiter.is_alive()


def test_document_keys_name_the_cutoff_kind_and_addressee():
    assert document_key("2024-Q1", "notice", "乙局") == "2024-Q1/notice/乙局"
    assert document_key("2024-Q1", "quarterly_bulletin", None) == "2024-Q1/quarterly_bulletin/"
