import pytest

from supervision_bulletin.write import publish, recover, staging_folder


def build_into(root, label, name, text):
    with staging_folder(root, label) as folder:
        (folder / name).write_text(text)
        publish(folder, root / label)


def test_a_build_replaces_the_previous_one_whole(tmp_path):
    build_into(tmp_path, "2023-Q3", "a.txt", "first")
    build_into(tmp_path, "2023-Q3", "b.txt", "second")
    assert sorted(p.name for p in (tmp_path / "2023-Q3").iterdir()) == ["b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["2023-Q3"]  # no staging left behind


def test_a_failed_build_leaves_the_earlier_outputs_intact(tmp_path):
    build_into(tmp_path, "2023-Q3", "a.txt", "first")
    with pytest.raises(RuntimeError):
        with staging_folder(tmp_path, "2023-Q3") as folder:
            (folder / "a.txt").write_text("half written")
            raise RuntimeError("renderer crashed")
    assert (tmp_path / "2023-Q3" / "a.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["2023-Q3"]


def test_an_interrupted_build_leaves_the_earlier_outputs_intact(tmp_path):
    build_into(tmp_path, "2023-Q3", "a.txt", "first")
    with pytest.raises(KeyboardInterrupt):
        with staging_folder(tmp_path, "2023-Q3"):
            raise KeyboardInterrupt
    assert (tmp_path / "2023-Q3" / "a.txt").read_text() == "first"


def test_a_kill_between_the_two_renames_is_repaired_by_the_next_build(tmp_path):
    build_into(tmp_path, "2023-Q3", "a.txt", "first")
    # Killed after setting the old folder aside, before the new one was renamed in:
    (tmp_path / "2023-Q3").rename(tmp_path / ".2023-Q3.previous-4242")
    (tmp_path / ".2023-Q3.building-4242").mkdir()
    recover(tmp_path)
    assert (tmp_path / "2023-Q3" / "a.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["2023-Q3"]


def test_stale_staging_folders_of_killed_builds_are_cleaned(tmp_path):
    (tmp_path / ".2023-09.building-999").mkdir()
    (tmp_path / ".2023-09.building-999" / "half.pdf").write_text("x")
    build_into(tmp_path, "2023-Q3", "a.txt", "first")
    assert [p.name for p in tmp_path.iterdir()] == ["2023-Q3"]
