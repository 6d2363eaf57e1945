"""Font resolution: the official face when installed, else a stand-in of the same style."""

from __future__ import annotations

import pytest

from supervision_bulletin import fonts
from supervision_bulletin.fonts import FACE_SPECS, FaceSpec, FontNotFoundError

# The Fandol face that stands in for each role when the official one is absent.
STAND_INS = {
    "fang": "FandolFang-Regular",
    "kai": "FandolKai-Regular",
    "hei": "FandolHei-Regular",
    "song": "FandolSong-Regular",
    "xbs": "FandolSong-Bold",
}


@pytest.fixture(scope="module")
def font_set():
    try:
        return fonts.resolve_fonts()
    except FontNotFoundError as error:
        pytest.skip(f"fonts not installed on this machine: {error}")


def test_every_role_resolves_to_a_font_file(font_set):
    for role in fonts.ROLES:
        face = font_set.face(role)
        assert face.file.is_file(), role
        assert face.official or face.postscript_name == STAND_INS[role]
    for fallback in font_set.fallbacks.values():
        assert fallback.file.is_file()
        assert fallback.family.startswith("Noto ")


def test_fallback_style_matches_the_role(font_set):
    assert font_set.fallback_for("hei").family == "Noto Sans CJK SC"
    for role in ("fang", "kai", "song", "xbs"):
        assert font_set.fallback_for(role).family == "Noto Serif CJK SC"


def test_an_alias_is_not_mistaken_for_the_official_face(font_set):
    # fc-match 仿宋_GB2312 answers FandolFang through the alias file: only an
    # exact family in fc-list may count as the official face.
    if fonts.find_family("仿宋_GB2312") is None:
        assert not font_set.face("fang").official
        assert font_set.face("fang").postscript_name == "FandolFang-Regular"


def test_an_impossible_face_raises_a_chinese_error():
    spec = FaceSpec("fang", "仿宋", ("不存在的仿宋字体",), "NoSuchFace-Regular", "serif")
    with pytest.raises(FontNotFoundError) as raised:
        fonts.resolve_role(spec)
    message = str(raised.value)
    assert "缺少仿宋字体" in message
    assert "不存在的仿宋字体" in message
    assert "bash scripts/setup.sh" in message


def test_a_missing_fallback_raises_a_chinese_error():
    with pytest.raises(FontNotFoundError, match="缺少 GBK 补字字体"):
        fonts.resolve_fallback("serif", faces=())


def test_font_face_css_has_one_family_per_file(font_set):
    css = font_set.font_face_css()
    single_files = [face for face in font_set.all_faces() if not face.in_collection]
    assert css.count("@font-face") == len(single_files)
    for face in single_files:
        assert f'font-family: "{face.css_family}";' in css
        assert face.file.resolve().as_uri() in css
    assert "&#34;" not in css and "&quot;" not in css


def test_font_stack_puts_the_gbk_fallback_behind_the_role_face(font_set):
    stack = font_set.font_stack("fang")
    first, second = (name.strip().strip('"') for name in stack.split(","))
    assert first == font_set.face("fang").css_family
    assert second == font_set.fallback_for("fang").css_family
    assert "--font-xbs:" in font_set.stylesheet()


def test_describe_gives_one_chinese_line_per_role(font_set):
    lines = font_set.describe()
    assert len(lines) == len(FACE_SPECS) + len(font_set.fallbacks)
    for line, spec in zip(lines, FACE_SPECS.values()):
        assert line.startswith(spec.label + "：")


def test_fc_list_parsing_keeps_commas_and_spots_collections():
    sample = (
        "Foo, Inc Sans\x1fFoo Sans\x1f\tFooSans-Regular\t0\t80\t0\t/fonts/foo.otf\n"
        "Noto Serif CJK SC\x1f\tNotoSerifCJKsc-Regular\t2\t80\t0\t/fonts/noto.ttc\n"
        "Noto Serif CJK JP\x1f\tNotoSerifCJKjp-Regular\t0\t80\t0\t/fonts/noto.ttc\n"
        "broken line\n"
    )
    faces = fonts._parse_fc_list(sample)
    assert [face.families for face in faces] == [
        ("Foo, Inc Sans", "Foo Sans"),
        ("Noto Serif CJK SC",),
        ("Noto Serif CJK JP",),
    ]
    assert not faces[0].in_collection
    assert faces[1].in_collection and faces[1].index == 2
    assert fonts.find_family("noto serif cjk sc", faces).postscript_name == "NotoSerifCJKsc-Regular"


def test_official_face_wins_over_the_stand_in():
    installed = fonts._parse_fc_list(
        "FandolFang\x1f\tFandolFang-Regular\t0\t80\t0\t/f/FandolFang-Regular.otf\n"
        "仿宋_GB2312\x1fFangSong_GB2312\x1f\tFangSong_GB2312\t0\t80\t0\t/f/fsgb2312.ttf\n"
    )
    face = fonts.resolve_role(FACE_SPECS["fang"], installed)
    assert face.official and face.family == "仿宋_GB2312"
    assert face.css_family == "gw-fang"
