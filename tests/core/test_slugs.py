"""Page and file names (core/text.py page_slug, file_stem) are python-slugify's, and pages keep their URLs.

Page names are URLs of published pages: on the workshop's own papers and on
the shared real corpora every page name is what the former hand-made rule
gave (the key, with characters unsafe in a URL as ``-``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sphinx_proceedings.core.model import docname_for
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.core.text import file_stem

REPO = Path(__file__).parents[2]
CORPORA = REPO.parent / "shared" / "corpora"


def former_docname(key: str) -> str:
    """The rule page names followed before python-slugify made them."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)


def papers_of(source: Path, tmp_path: Path) -> Path:
    if source.is_dir():
        return source
    folder = tmp_path / "papers"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    return folder


@pytest.mark.parametrize("source", [
    REPO / "papers",
    pytest.param(CORPORA / "corl2023.bib", id="corl2023"),
    pytest.param(CORPORA / "biblatex-examples.bib", id="biblatex-examples"),
])
def test_page_names_are_unchanged_on_real_data(source: Path, tmp_path: Path) -> None:
    if not source.exists():
        pytest.skip(f"{source} is not here (the shared corpora sit beside the repository)")
    proc = read_proceedings(papers_of(source, tmp_path), ReaderSettings(year="2024"))
    assert len(proc.papers) >= 4
    assert {p.key: docname_for(p.key) for p in proc.papers} == \
        {p.key: former_docname(p.key) for p in proc.papers}


@pytest.mark.parametrize(("key", "name"), [
    ("wei2024generative", "wei2024generative"),
    ("Knuth:1984", "Knuth-1984"),  # case and underscores are kept
    ("a_b.c", "a_b-c"),
    ("doe2024c++", "doe2024c"),  # was doe2024c--: runs collapse, no trailing hyphen
    ("doe.-2024", "doe-2024"),
])
def test_page_names(key: str, name: str) -> None:
    assert docname_for(key) == name


@pytest.mark.parametrize(("title", "stem"), [
    ("AI4DifferentialEquations in Science", "ai4differentialequations-in-science"),
    ("Imaginary Equations Workshop", "imaginary-equations-workshop"),
    ("Künstliche Intelligenz", "kunstliche-intelligenz"),  # was künstliche-intelligenz
    ("AI & PDEs: 2024", "ai-pdes-2024"),  # was ai---pdes--2024
    ("!!!", "proceedings"),
])
def test_file_stems(title: str, stem: str) -> None:
    assert file_stem(title) == stem
