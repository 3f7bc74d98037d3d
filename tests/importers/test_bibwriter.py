"""BibTeX values written by an import read back as the text they came from.

The escaping is pylatexenc's encoder (importers/bibwriter.py); these tests
run it on generated text, through bibtexparser and the reader's decoder.
"""

from __future__ import annotations

import unicodedata

import bibtexparser
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_proceedings.core.text import to_unicode
from sphinx_proceedings.importers.bibwriter import latex_escape, render_entry

#: TeX's special characters, the ligature makers and a few accents and quotes.
TRICKY = st.text(alphabet=st.sampled_from(list("\\{}%&#_~-`'?!^\"<>|@ aéŁ–’„“x1")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=TRICKY)
def test_escaped_text_reads_back_through_bibtexparser(text: str) -> None:
    entry = render_entry("k2024x", [("title", latex_escape(text))])
    library = bibtexparser.parse_string(entry)
    assert not library.failed_blocks
    value = library.entries[0]["title"]
    assert to_unicode(value) == " ".join(unicodedata.normalize("NFC", text).split())


def test_only_tex_specials_are_encoded() -> None:
    # Unicode stays as typed (the files are UTF-8); markup characters are escaped.
    assert latex_escape("Ødegaard & Łukasz: 50% of a_b") == r"Ødegaard \& Łukasz: 50\% of a\_b"
    assert latex_escape(r"a\b ~c") == r"a\textbackslash{}b \textasciitilde{}c"


def test_ligatures_are_broken_up() -> None:
    assert latex_escape("a -- b --- c ``q'' ?` !`") == "a -{}- b -{}-{}- c `{}`q'{}' ?{}` !{}`"


def test_text_is_stored_composed() -> None:
    decomposed = "Scho\u0308nlieb"
    assert latex_escape(decomposed) == "Schönlieb"
