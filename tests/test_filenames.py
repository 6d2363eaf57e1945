"""File names from unit names: Windows-safe, within 255 bytes, unique in a folder, stable."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from supervision_bulletin.filenames import MAX_NAME_BYTES, clash_key, is_reserved, safe_stem, unique_slugs, unique_stems
from tests.document_fixtures import make_document

UNSAFE = set('\\/:*?"<>|')


def test_a_good_name_is_kept_as_it_is():
    assert safe_stem("区金融局") == "区金融局"
    assert safe_stem("2023-Q3-季度通报") == "2023-Q3-季度通报"


def test_names_that_differ_only_in_a_cleaned_character_stay_apart():
    names = ["区金融局/分局", "区金融局_分局", "区金融局|分局", "区金融局:分局"]
    stems = unique_stems(names)
    assert len({clash_key(stem) for stem in stems}) == 4
    assert stems[1] == "区金融局_分局"  # the name that needed nothing keeps it
    assert stems[0].startswith("区金融局_分局-") and stems == unique_stems(names)  # stable


def test_windows_device_names_trailing_dots_and_spaces():
    for name in ("CON", "nul", "Com1", "LPT9", "con.txt", "AUX "):
        stem = safe_stem(name)
        assert not is_reserved(stem) and not is_reserved(f"{stem}.xlsx"), stem
    assert not safe_stem("区统计局.").endswith(".")
    assert not safe_stem("区统计局 ").endswith(" ")


def test_a_long_name_fits_255_bytes_with_its_extension():
    names = ["区" + "很" * 120 + "长的局甲", "区" + "很" * 120 + "长的局乙"]
    stems = unique_stems(names)
    assert stems[0] != stems[1]
    assert all(len(f"{stem}.docx".encode()) <= MAX_NAME_BYTES for stem in stems)


def test_names_apart_only_in_case_are_apart_on_windows_too():
    stems = unique_stems(["区ABC局", "区abc局", "区abc局"])
    assert len({clash_key(stem) for stem in stems}) == 3


def test_a_builds_documents_get_unique_slugs():
    documents = [make_document(slug="2023-Q3-督办通知-ABC"), make_document(slug="2023-Q3-督办通知-abc")]
    slugs = [document.slug for document in unique_slugs(documents)]
    assert len({clash_key(slug) for slug in slugs}) == 2
    same = make_document()
    assert unique_slugs([same]) == [same]
    assert unique_slugs([replace(same, slug="a/b")])[0].slug.startswith("a_b-")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), min_size=1, max_size=6))
def test_any_names_make_safe_unique_stems(names):
    stems = unique_stems(names)
    assert len({clash_key(stem) for stem in stems}) == len(stems)
    for stem in stems:
        assert stem and not UNSAFE & set(stem)
        assert not any(ord(c) < 32 for c in stem)
        assert not stem.endswith((".", " ")) and not is_reserved(stem)
        assert len(f"{stem}.html".encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
