"""Results kept between runs: made once per key, made again when damaged."""

from supervision_bulletin import memo


def test_a_result_is_made_once_per_key_and_again_when_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.CACHE_VARIABLE, str(tmp_path))
    made = []

    def make(value: bytes):
        return lambda: made.append(value) or value

    assert memo.remembered("things", ["a", 1], make(b"first")) == b"first"
    assert memo.remembered("things", ["a", 1], make(b"other")) == b"first"  # kept
    assert memo.remembered("things", ["a", 2], make(b"second")) == b"second"  # another key
    assert made == [b"first", b"second"]
    (stored,) = [p for p in (tmp_path / "things").iterdir() if p.read_bytes().endswith(b"first")]
    stored.write_bytes(stored.read_bytes()[:-1] + b"X")  # damaged on disk
    assert memo.remembered("things", ["a", 1], make(b"again")) == b"again"


def test_a_cache_that_cannot_be_written_still_gives_the_result(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(memo.CACHE_VARIABLE, str(blocker))
    assert memo.remembered("things", ["a"], lambda: b"value") == b"value"


def test_pruning_drops_the_least_recently_used_and_only_memo_kinds(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv(memo.CACHE_VARIABLE, str(tmp_path))
    for number, kind in enumerate(("workbooks", "charts", "workbooks")):
        memo.keep(kind, [number], bytes(1000))
        path = tmp_path / kind / memo.key_of([number])
        os.utime(path, (1000 + number, 1000 + number))
    os.utime(tmp_path / "workbooks" / memo.key_of([0]), (1000, 1000))
    assert memo.recalled("workbooks", [0]) == bytes(1000)  # used now: the newest
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "entry").write_bytes(bytes(5000))  # the documents' cache: not the memo's to prune
    memo.prune(limit_bytes=2100)
    assert memo.recalled("workbooks", [0]) is not None
    assert memo.recalled("charts", [1]) is None  # the oldest went
    assert memo.recalled("workbooks", [2]) is not None
    assert (tmp_path / "documents" / "entry").exists()
    memo.prune(limit_bytes=0)
    assert not any((tmp_path / "workbooks").iterdir())
