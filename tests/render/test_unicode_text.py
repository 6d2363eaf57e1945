"""Any text a unit can type: refused at intake with its place, or the same in all three formats.

Report text (进展情况 etc.) and unit names reach the documents through the
intake rule (values.read_text) and the printable check of validate; what comes
through is rendered as a composed document (no full build: a render is slow)
and read back from the DOCX, the HTML and the PDF.
"""

from __future__ import annotations

import re

import pypdfium2
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from supervision_bulletin.document import Paragraph, Table
from supervision_bulletin.fonts import printable_characters
from supervision_bulletin.validate import unprintable_problem
from supervision_bulletin.values import normalise_cjk_text, read_text
from tests.document_fixtures import make_document
from tests.render.test_cross_format import docx_text, html_text, squeeze

PRINTABLE = printable_characters() or frozenset()
# What units type: Chinese, Latin, digits, punctuation, spaces of both widths,
# rare characters the fallback face has (𠀋 is outside the BMP), and the
# invisible characters pasted text brings along.
TYPED = st.one_of(
    st.sampled_from("推进项目建设完成投资新增企业服务群众督查落实区局镇街道办事处"),
    st.sampled_from("，。、；：？！“”‘’（）《》【】——……·%℃"),
    st.sampled_from("ABCxyz0123456789.,;:?!()[]/-+=@&<>\"' "),
    st.sampled_from("　\t\n\r\x00\x01\x1b\x1c\x7f\x85\u00ad\u200b\u200d\u202e\u2028\ufeff\ufffe"),
    st.sampled_from("𠀋𠀡堃喆珺昇玥赟璟é"),
    st.characters(codec="utf-8"),
)
texts = st.text(TYPED, min_size=1, max_size=40)


def as_validated(typed: str) -> str:
    """The text as the validate stage hands it to compose."""
    return normalise_cjk_text(read_text(typed).value.strip())


def pdf_text(path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return squeeze("".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()


@settings(max_examples=300, deadline=None)
@given(texts)
def test_text_with_a_character_no_face_has_is_refused_naming_it(typed):
    text = as_validated(typed)
    missing = [c for c in text if ord(c) not in PRINTABLE and not c.isspace()]
    problem = unprintable_problem(text, PRINTABLE)
    assert (problem is None) == (not missing)
    if missing:
        assert f"U+{ord(missing[0]):04X}" in problem


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.filter_too_much])
@given(progress=texts, unit=texts)
def test_text_that_passes_intake_is_the_same_in_every_format(progress, unit, tmp_path_factory, renderers):
    progress, unit = as_validated(progress), as_validated(unit)
    assume(squeeze(progress) and squeeze(unit))
    assume(unprintable_problem(progress + unit, PRINTABLE) is None)
    table = Table(columns=("单位", "进展情况"), rows=((unit, progress),), widths=(1, 3))
    document = make_document(
        body=(Paragraph(f"进展情况：{progress}", lead=f"{unit}。"), table),
        attachments=(), attachment_names=(),
    )
    folder = tmp_path_factory.mktemp("unicode")
    written, _faces = renderers.render_files(document, folder)
    for words in (squeeze(progress), squeeze(unit)):
        assert words in docx_text(folder / written.files["docx"])
        assert words in html_text(folder / written.files["html"])
        assert words in pdf_text(folder / written.files["pdf"])
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", (folder / written.files["html"]).read_text(encoding="utf-8"))
