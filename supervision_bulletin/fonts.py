"""Which font files print the five GB/T 9704 faces on this machine.

The standard names five faces (仿宋_GB2312, 楷体_GB2312, 黑体, 宋体, 方正小标宋简体).
They are commercial and usually absent on a server; the Fandol family (installed by
``bash scripts/setup.sh``) stands in for them, one face of the same style each.
Fandol covers GB2312 only, so a Noto CJK SC face stands behind every role for the
rarer GBK characters found in people's names (堃喆珺昇玥赟璟).

Faces are looked up in fontconfig by their exact family (or PostScript) name and
never through ``fc-match`` alone: fc-match always answers with *some* font, and
the fontconfig alias file installed by setup.sh maps the official names to the
stand-ins, so only an exact name in ``fc-list`` proves a face is really there.
"""

from __future__ import annotations

import functools
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

ROLES = ("fang", "kai", "hei", "song", "xbs")

SETUP_HINT = "运行 bash scripts/setup.sh 可安装开源替代字体（Fandol 与 Noto CJK）。"

# fontconfig's regular weight (FC_WEIGHT_REGULAR) and roman slant.
_REGULAR_WEIGHT = 80
_ROMAN_SLANT = 0


class FontNotFoundError(RuntimeError):
    """No face of the required style is installed."""


@dataclass(frozen=True)
class FaceSpec:
    """What a role needs: its official names, then an open face of the same style."""

    role: str
    label: str  # the style as written in the standard, for messages
    official_names: tuple[str, ...]
    stand_in: str  # PostScript name of the Fandol file of the same style
    fallback: str  # "serif" or "sans": the Noto CJK SC face behind it


FACE_SPECS: Mapping[str, FaceSpec] = {
    spec.role: spec
    for spec in (
        FaceSpec("fang", "仿宋", ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
                 "FandolFang-Regular", "serif"),
        FaceSpec("kai", "楷体", ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"),
                 "FandolKai-Regular", "serif"),
        FaceSpec("hei", "黑体", ("黑体", "SimHei"), "FandolHei-Regular", "sans"),
        FaceSpec("song", "宋体", ("宋体", "SimSun"), "FandolSong-Regular", "serif"),
        # Fandol's heavy Song is the closest open face to 小标宋 (a bold-looking Song).
        FaceSpec("xbs", "小标宋", ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"),
                 "FandolSong-Bold", "serif"),
    )
}

# Behind the Fandol faces, for characters outside GB2312: same broad style only.
FALLBACK_FAMILIES = {"serif": "Noto Serif CJK SC", "sans": "Noto Sans CJK SC"}


@dataclass(frozen=True)
class InstalledFace:
    """One face as fontconfig lists it."""

    families: tuple[str, ...]
    postscript_name: str
    file: Path
    index: int
    weight: int
    slant: int
    in_collection: bool  # the file holds several faces (.ttc)


@dataclass(frozen=True)
class ResolvedFace:
    """The face chosen for a role."""

    role: str
    family: str  # the family name it was found under
    file: Path
    index: int
    postscript_name: str
    official: bool  # the official face itself, not a stand-in
    in_collection: bool

    @property
    def css_family(self) -> str:
        """The font-family name the stylesheet uses for this face.

        A single-face file gets its own @font-face family ("gw-fang"), so the PDF
        does not depend on the machine's aliases. WeasyPrint registers *every*
        face of a collection file under an @font-face name and then draws the
        first one (for Noto CJK: the Japanese glyph forms), so faces inside a
        collection are named by their system family instead, which fontconfig
        resolves to the right face.
        """
        if self.in_collection:
            return self.family
        return f"gw-{self.role}"


@dataclass(frozen=True)
class FontSet:
    """The face for each role plus the GBK fallback faces behind them."""

    faces: Mapping[str, ResolvedFace]
    fallbacks: Mapping[str, ResolvedFace]  # "serif" / "sans"

    def face(self, role: str) -> ResolvedFace:
        return self.faces[role]

    def fallback_for(self, role: str) -> ResolvedFace:
        return self.fallbacks[FACE_SPECS[role].fallback]

    def font_stack(self, role: str) -> str:
        """CSS font-family value: the role's face, then its GBK fallback."""
        families = (self.face(role).css_family, self.fallback_for(role).css_family)
        return ", ".join(_css_string(family) for family in families)

    def all_faces(self) -> tuple[ResolvedFace, ...]:
        return (*self.faces.values(), *self.fallbacks.values())

    def postscript_names(self) -> frozenset[str]:
        return frozenset(face.postscript_name for face in self.all_faces())

    def covers(self, postscript_name: str | None) -> bool:
        """Whether an embedded face belongs to this set.

        The fallback faces may show up in another weight of the same family
        (NotoSerifCJKsc-Bold behind a bold heading): that still is the set's face.
        """
        if not postscript_name:
            return False
        if postscript_name in self.postscript_names():
            return True
        family = postscript_name.split("-", 1)[0]
        return any(face.postscript_name.split("-", 1)[0] == family for face in self.fallbacks.values())

    def font_face_css(self) -> str:
        return font_face_css(self)

    def stylesheet(self) -> str:
        return stylesheet(self)

    def describe(self) -> list[str]:
        return describe(self)


def _fc_list_output() -> str:
    # \x1f separates family names, which may themselves contain commas.
    fields = "%{[]family{%{family}\x1f}}\t%{postscriptname}\t%{index}\t%{weight}\t%{slant}\t%{file}\n"
    try:
        result = subprocess.run(
            ["fc-list", "-f", fields], capture_output=True, text=True, check=True
        )
    except FileNotFoundError as error:
        raise FontNotFoundError(f"找不到 fc-list（fontconfig 未安装）。{SETUP_HINT}") from error
    return result.stdout


def _parse_fc_list(output: str) -> list[InstalledFace]:
    rows = []
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 6:
            continue
        families, postscript_name, index, weight, slant, file = parts
        rows.append((families, postscript_name, index, weight, slant, file))
    faces_per_file: dict[str, int] = {}
    for row in rows:
        faces_per_file[row[5]] = faces_per_file.get(row[5], 0) + 1
    return [
        InstalledFace(
            families=tuple(name for name in families.split("\x1f") if name),
            postscript_name=postscript_name,
            file=Path(file),
            index=int(index or 0),
            weight=_first_int(weight, _REGULAR_WEIGHT),
            slant=_first_int(slant, _ROMAN_SLANT),
            in_collection=faces_per_file[file] > 1 or file.lower().endswith((".ttc", ".otc")),
        )
        for families, postscript_name, index, weight, slant, file in rows
    ]


def _first_int(value: str, default: int) -> int:
    # Variable fonts report a range such as "[0 210]"; take its start.
    digits = value.strip("[]").split()
    try:
        return int(float(digits[0]))
    except (IndexError, ValueError):
        return default


@functools.lru_cache(maxsize=1)
def installed_faces() -> tuple[InstalledFace, ...]:
    """Every face fontconfig knows, listed once per process."""
    return tuple(_parse_fc_list(_fc_list_output()))


def _same_name(a: str, b: str) -> bool:
    # fontconfig compares family names ignoring case and blanks; do the same.
    return a.replace(" ", "").casefold() == b.replace(" ", "").casefold()


def _closest_to_regular(candidates: Iterable[InstalledFace]) -> InstalledFace | None:
    ranked = sorted(
        candidates,
        key=lambda face: (face.slant != _ROMAN_SLANT, abs(face.weight - _REGULAR_WEIGHT), face.index),
    )
    return ranked[0] if ranked else None


def find_family(family: str, faces: Iterable[InstalledFace] | None = None) -> InstalledFace | None:
    """The regular face whose family list holds exactly ``family``, or None."""
    pool = installed_faces() if faces is None else faces
    return _closest_to_regular(
        face for face in pool if any(_same_name(name, family) for name in face.families)
    )


def find_postscript(name: str, faces: Iterable[InstalledFace] | None = None) -> InstalledFace | None:
    pool = installed_faces() if faces is None else faces
    return next((face for face in pool if face.postscript_name == name), None)


def _resolved(role: str, family: str, face: InstalledFace, official: bool) -> ResolvedFace:
    return ResolvedFace(
        role=role,
        family=family,
        file=face.file,
        index=face.index,
        postscript_name=face.postscript_name,
        official=official,
        in_collection=face.in_collection,
    )


def resolve_role(spec: FaceSpec, faces: Iterable[InstalledFace] | None = None) -> ResolvedFace:
    """The official face when installed under one of its names, else the Fandol stand-in."""
    pool = tuple(installed_faces() if faces is None else faces)
    for name in spec.official_names:
        face = find_family(name, pool) or find_postscript(name, pool)
        if face is not None:
            return _resolved(spec.role, name, face, official=True)
    stand_in = find_postscript(spec.stand_in, pool)
    if stand_in is not None:
        return _resolved(spec.role, stand_in.families[0], stand_in, official=False)
    raise FontNotFoundError(
        f"缺少{spec.label}字体：未安装 {spec.official_names[0]}，"
        f"也没有同风格的开源替代字体 {spec.stand_in}。{SETUP_HINT}"
    )


def resolve_fallback(style: str, faces: Iterable[InstalledFace] | None = None) -> ResolvedFace:
    family = FALLBACK_FAMILIES[style]
    face = find_family(family, faces)
    if face is None:
        raise FontNotFoundError(
            f"缺少 GBK 补字字体 {family}（用于 GB2312 以外的人名用字）。{SETUP_HINT}"
        )
    return _resolved(f"fallback-{style}", family, face, official=False)


def resolve_fonts(specs: Mapping[str, FaceSpec] = FACE_SPECS) -> FontSet:
    """Resolve every role; raises FontNotFoundError naming the first missing face."""
    pool = installed_faces()
    faces = {role: resolve_role(spec, pool) for role, spec in specs.items()}
    styles = sorted({spec.fallback for spec in specs.values()})
    fallbacks = {style: resolve_fallback(style, pool) for style in styles}
    return FontSet(faces=faces, fallbacks=fallbacks)


@functools.lru_cache(maxsize=1)
def default_font_set() -> FontSet:
    """The machine's font set, resolved once per process."""
    return resolve_fonts()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def font_face_css(font_set: FontSet) -> str:
    """@font-face rules, one family per file (see ResolvedFace.css_family)."""
    rules = []
    for face in font_set.all_faces():
        if face.in_collection:
            continue
        rules.append(
            "@font-face {\n"
            f"  font-family: {_css_string(face.css_family)};\n"
            f"  src: url({_css_string(face.file.resolve().as_uri())});\n"
            "}\n"
        )
    return "".join(rules)


def font_variables_css(font_set: FontSet) -> str:
    """Custom properties --font-fang … --font-xbs holding each role's font stack."""
    declarations = "".join(
        f"  --font-{role}: {font_set.font_stack(role)};\n" for role in font_set.faces
    )
    return ":root {\n" + declarations + "}\n"


def stylesheet(font_set: FontSet) -> str:
    """The font part of the print stylesheet: @font-face rules and role variables."""
    return font_face_css(font_set) + font_variables_css(font_set)


def describe(font_set: FontSet) -> list[str]:
    """One Chinese line per role, for the build log."""
    lines = []
    for role, face in font_set.faces.items():
        spec = FACE_SPECS[role]
        origin = "正式字体" if face.official else f"开源替代（未安装 {spec.official_names[0]}）"
        lines.append(f"{spec.label}：{face.family}，{origin}，{face.file}")
    for style, face in font_set.fallbacks.items():
        lines.append(f"GBK 补字（{'衬线' if style == 'serif' else '无衬线'}）：{face.family}，{face.file}")
    return lines


def face_characters(face: ResolvedFace) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(face.file), fontNumber=face.index, lazy=True).getBestCmap())


def remembered_characters(face: ResolvedFace) -> frozenset[int]:
    """The face's characters, read from its file once and then kept between runs
    (reading a CJK face's character map takes about 0.1 s)."""
    from supervision_bulletin.memo import file_stamp, remembered

    def encoded() -> bytes:
        return json.dumps(sorted(face_characters(face))).encode()

    return frozenset(json.loads(remembered("fonts", [*file_stamp(face.file), face.index], encoded)))


@functools.lru_cache(maxsize=1)
def printable_characters() -> frozenset[int] | None:
    """Code points every role can print, from its own face or its fallback face.

    A character outside it (an emoji, a rare character Noto CJK lacks) would be
    a blank box in the PDF, or a face of another style that the GB/T 9704 check
    refuses; the validate stage names its cell instead. None when the faces are
    not installed: the build says so itself.
    """
    try:
        font_set = default_font_set()
    except (FontNotFoundError, OSError):
        return None
    per_face = {(face.file, face.index): remembered_characters(face) for face in font_set.all_faces()}

    def of(face: ResolvedFace) -> frozenset[int]:
        return per_face[(face.file, face.index)]

    roles = [of(font_set.face(role)) | of(font_set.fallback_for(role)) for role in font_set.faces]
    return frozenset.intersection(*roles)
