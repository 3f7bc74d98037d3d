"""TeX to MathML at build time (render/mathml.py): what converts, and what is refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import bibtexparser
import pytest

from sphinx_proceedings.render.mathml import tex_to_mathml

CORPUS = Path(__file__).parents[3] / "shared" / "corpora" / "corl2023.bib"


def test_a_formula_becomes_one_math_element():
    out = tex_to_mathml(r"u_t = \Delta u")
    root = ET.fromstring(out)
    assert root.tag == "{http://www.w3.org/1998/Math/MathML}math"
    assert root.get("display") == "inline"
    assert "".join(root.itertext()) == "ut=Δu"
    assert ET.fromstring(tex_to_mathml(r"\frac{a}{b}", display=True)).get("display") == "block"


def test_a_percent_sign_is_kept():
    assert "%" in "".join(ET.fromstring(tex_to_mathml("80%")).itertext())


@pytest.mark.parametrize("tex", [
    r'\text{<img src="x" onerror="alert(1)"/>}',  # markup copied through by the converter
    r"\href{javascript:alert(1)}{x}",  # a link attribute
    r"\text{a < b}",
    r"\frac{1}{",  # broken TeX
    r"\madeupcommand x",  # unknown command: would show as its name
    r"\begin{aligned} a &= b \end{aligned}",  # not converted faithfully
    "",
])
def test_unsafe_or_unconvertible_formulas_are_refused(tex: str):
    assert tex_to_mathml(tex) is None


@pytest.mark.skipif(not CORPUS.is_file(), reason="shared/corpora is not beside the repository")
def test_every_formula_of_the_corl_corpus_converts():
    library = bibtexparser.parse_file(str(CORPUS))
    formulas = [a or b for entry in library.entries for name in ("title", "abstract")
                if name in entry.fields_dict
                for a, b in re.findall(r"\$\$(.+?)\$\$|\$(.+?)\$", entry.fields_dict[name].value, re.S)]
    assert len(formulas) == 97
    assert [f for f in formulas if tex_to_mathml(f) is None] == []
