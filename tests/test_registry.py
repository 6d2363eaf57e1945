import multiprocessing
import sqlite3

from pipeline.registry import NumberRegistry, document_number


def test_numbers_are_consecutive_and_stable(tmp_path):
    registry = NumberRegistry(tmp_path / "registry.sqlite")
    assert registry.allocate("老城督查", 2023, "2023-Q3/quarterly_bulletin/", "通报") == 1
    assert registry.allocate("老城督查", 2023, "2023-09/monthly_report/", "月报") == 2
    assert registry.allocate("老城督查", 2023, "2023-Q3/quarterly_bulletin/", "通报") == 1
    assert registry.allocate("老城督查", 2024, "2024-01/monthly_report/", "月报") == 1
    assert registry.allocate("另一督查", 2023, "2023-01/monthly_report/", "月报") == 1


def test_number_format_has_no_leading_zeros():
    assert document_number("老城督查", 2023, 3) == "老城督查〔2023〕3号"


def allocate_many(path, prefix, count, queue):
    registry = NumberRegistry(path)
    queue.put([registry.allocate("码", 2023, f"{prefix}/{i}", "t") for i in range(count)])


def test_two_builds_at_once_never_share_a_number(tmp_path):
    path = tmp_path / "registry.sqlite"
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=allocate_many, args=(path, p, 40, queue)) for p in "ab"]
    for worker in workers:
        worker.start()
    serials = queue.get(timeout=60) + queue.get(timeout=60)
    for worker in workers:
        worker.join()
    assert sorted(serials) == list(range(1, 81))


def test_a_failed_allocation_leaves_no_partial_row(tmp_path, monkeypatch):
    path = tmp_path / "registry.sqlite"
    registry = NumberRegistry(path)
    registry.allocate("码", 2023, "a", "t")
    connection = sqlite3.connect(path)
    connection.execute("CREATE TRIGGER fail BEFORE INSERT ON numbers BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    connection.commit()
    try:
        registry.allocate("码", 2023, "b", "t")
    except sqlite3.DatabaseError:
        pass
    assert [row[3] for row in registry.entries()] == ["a"]
