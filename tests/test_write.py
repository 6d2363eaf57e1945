import pytest

from pipeline.write import staging_folder


def test_a_build_replaces_the_previous_one_whole(tmp_path):
    with staging_folder(tmp_path, "2023-Q3") as folder:
        (folder / "a.txt").write_text("first")
    with staging_folder(tmp_path, "2023-Q3") as folder:
        (folder / "b.txt").write_text("second")
    assert sorted(p.name for p in (tmp_path / "2023-Q3").iterdir()) == ["b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["2023-Q3"]  # no staging left behind


def test_a_failed_build_leaves_the_earlier_outputs_intact(tmp_path):
    with staging_folder(tmp_path, "2023-Q3") as folder:
        (folder / "a.txt").write_text("first")
    with pytest.raises(RuntimeError):
        with staging_folder(tmp_path, "2023-Q3") as folder:
            (folder / "a.txt").write_text("half written")
            raise RuntimeError("renderer crashed")
    assert (tmp_path / "2023-Q3" / "a.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["2023-Q3"]


def test_an_interrupted_build_leaves_the_earlier_outputs_intact(tmp_path):
    with staging_folder(tmp_path, "2023-Q3") as folder:
        (folder / "a.txt").write_text("first")
    with pytest.raises(KeyboardInterrupt):
        with staging_folder(tmp_path, "2023-Q3") as folder:
            raise KeyboardInterrupt
    assert (tmp_path / "2023-Q3" / "a.txt").read_text() == "first"
