"""The book of abstracts reads like one (issue 17): its text (pypdf) and structure.

On tests/roots/test-pdf (conftest.pdf_book) and on the real site (conftest.real_book):
no trace of Sphinx's manual ("Release", "CHAPTER", a numbered "Abstract"
sub-section), every paper's title, authors and abstract in the book's order,
a contents line and a bookmark per paper, the paper header, the front matter
made for print, every reviewer of the real committee page, the PDF's metadata.
The options (paper size, one paper per page) are checked on the LaTeX sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MISSING_TEX, REPO, html
from sphinx.errors import ConfigError

needs_tex = pytest.mark.skipif(bool(MISSING_TEX), reason=f"no TeX: {', '.join(MISSING_TEX)} "
                               "not installed (apt-get install texlive-xetex latexmk xindy)")

#: The fixture's papers in print order (spotlight, oral, posters), with authors
#: and the first words of each abstract.
PAPERS = [
    ("Über Schrödinger-Brücken für Strömungen",
     ["Carola-Bibiane Schönlieb", "Łukasz Nowak", "Ayşe Çetin"], "We learn a fictional bridge"),
    ("Turbulent Flows on Łódź Grids with Fourier Layers",
     ["Zeynep Öztürk", "Pavel Řehoř"], "Fourier layers learn the map"),
    ("Spectral Řešení of Imaginary Heat Equations",
     ["王小明", "Jiří Dvořák", "Françoise Lefèvre"], "A pretend spectral method"),
    ("Stealing", ["Mallory Łódź"], "This hostile abstract tries"),
]


def _flat(text: str) -> str:
    text = text.replace("\u2011", "-").replace("-\n", "-")
    return re.sub(r"\s+", " ", text)


def _top(reader) -> dict[str, int]:
    return {str(item.title): reader.get_destination_page_number(item)
            for item in reader.outline if not isinstance(item, list)}


def _manual_residue(pages: list[str]) -> list[str]:
    """Lines that only Sphinx's manual layout prints."""
    found = []
    for page in pages:
        for line in page.splitlines():
            if re.search(r"\bRelease\b|\bCHAPTER\b|^\s*Chapter\s+\w+\s*$", line) \
                    or re.match(r"\s*(\d+\.)+\d*\s*Abstract\b", line) or line.strip() == "Abstract":
                found.append(line)
    return found


@needs_tex
def test_no_trace_of_the_software_manual(pdf_book: dict, real_book: dict) -> None:
    for book in (pdf_book, real_book):
        assert book["pdfs"], book["result"].stdout[-2000:]
        assert _manual_residue(book["pages"]) == []


@needs_tex
def test_papers_in_order_with_authors_and_abstract(pdf_book: dict) -> None:
    """After the contents: title, then its authors, then its abstract, paper after paper."""
    start = _top(pdf_book["reader"])["Contents"] + 1
    text = _flat("\n".join(pdf_book["pages"][start:]))
    position = 0
    for title, authors, abstract in PAPERS:
        at_title = text.index(title, position)
        at_authors = [text.index(name, at_title) for name in authors]
        at_abstract = text.index(abstract, max(at_authors))
        assert at_title < min(at_authors) and max(at_authors) < at_abstract
        position = at_abstract


@needs_tex
def test_contents_lists_every_paper_with_authors_and_page(pdf_book: dict) -> None:
    reader = pdf_book["reader"]
    contents_page = _top(reader)["Contents"]
    contents = _flat(pdf_book["pages"][contents_page])
    labels = reader.page_labels
    for title, authors, _abstract in PAPERS:
        first = next(i for i in range(contents_page + 1, len(pdf_book["pages"]))
                     if title in _flat(pdf_book["pages"][i]))
        assert re.search(re.escape(title) + r".*?[ .]" + labels[first] + " " + re.escape(authors[0]),
                         contents), title
    # Each contents line links to its paper.
    links = [a.get_object() for a in reader.pages[contents_page].get("/Annots") or []]
    assert len([a for a in links if "/A" in a or "/Dest" in a]) >= len(PAPERS)


@needs_tex
def test_a_bookmark_per_paper_under_its_group(pdf_book: dict) -> None:
    outline = pdf_book["reader"].outline
    groups = {}
    for position, item in enumerate(outline):
        if isinstance(item, list):
            groups[str(outline[position - 1].title)] = [str(child.title) for child in item]
    assert groups["Spotlights"] == [PAPERS[0][0]]
    assert groups["Orals"] == [PAPERS[1][0]]
    assert [t[:len(PAPERS[2][0])] for t in groups["Posters"]][0] == PAPERS[2][0]
    assert groups["Posters"][1].startswith("Stealing")


@needs_tex
def test_paper_header(pdf_book: dict) -> None:
    """Authors with numbered affiliations, labels, topics and short links; no section number."""
    start = _top(pdf_book["reader"])["Spotlights"]
    page = _flat(pdf_book["pages"][start])
    assert "Carola-Bibiane Schönlieb1, Łukasz Nowak2,1, Ayşe Çetin3" in page
    assert "1University of Cambridge; 2University of Warsaw; 3Middle East Technical" in page
    assert "Spotlight Best paper" in page and "Topics: Neural operators" in page
    assert "OpenReview: openreview.net/forum?id=abc123" in page
    assert "Code: example.org/code/schroedinger" in page
    assert not re.search(r"\b\d+\.\d+ Über", page)
    uris = {str(a.get_object()["/A"].get("/URI")) for a in
            pdf_book["reader"].pages[start].get("/Annots") or [] if "/A" in a.get_object()}
    assert "https://openreview.net/forum?id=abc123" in uris


@needs_tex
def test_running_heads(pdf_book: dict) -> None:
    """A paper's continuation page or a later paper carries the short name or the short title."""
    reader = pdf_book["reader"]
    top = _top(reader)
    heads = [page.splitlines()[0] for page in pdf_book["pages"][top["Spotlights"]:top["Author index"]]]
    assert any(re.fullmatch(r"\d+ Imaginary Equations Workshop", h) or
               re.fullmatch(r"Stealing .* \d+", h) for h in heads), heads


@needs_tex
def test_front_matter_for_print(pdf_book: dict) -> None:
    reader = pdf_book["reader"]
    top = _top(reader)
    front = _flat(" ".join(pdf_book["pages"][top["Welcome"]:top["Contents"]]))
    assert "Printed copies are handed out" in front  # print-only
    assert "livestream" not in front  # web-only
    assert "Register now" not in front  # a button
    assert "Explore the papers" not in front  # a linked card
    assert "Fictional workshop" not in front  # a line of badges
    assert "Learned solvers Operators that map" in front  # a card, as a block
    for reviewer in ("Søren Kierkegaard-Nielsen", "Marta Dąbrowska", "Pedro Álvarez"):
        assert reviewer in front


@needs_tex
def test_pdf_metadata(pdf_book: dict, real_book: dict) -> None:
    info = pdf_book["reader"].metadata
    assert info.title == "Imaginary Equations Workshop"
    assert info.author == "Ada Fictive, Bo Imaginary"
    assert info.subject.startswith("Book of abstracts, Fictional Conference on Learning 2024")
    assert "Neural operators" in info["/Keywords"] and "Équation discovery" in info["/Keywords"]
    real = real_book["reader"].metadata
    assert real.title == "AI4DifferentialEquations in Science"
    assert "Shima Alizadeh" in real.author and "ICLR 2024" in real.subject


@needs_tex
def test_real_site_book(real_book: dict) -> None:
    """Every organizer and reviewer of the real pages is printed; no avatar initials."""
    result = real_book["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = _flat("\n".join(real_book["pages"]))
    committee = (REPO / "source" / "committee.md").read_text(encoding="utf-8")
    reviewers = re.findall(r"^- (.+)$", committee, re.M)
    assert len(reviewers) > 60
    missing = [name for name in reviewers if _flat(name) not in text]
    assert missing == []
    organizers = (REPO / "source" / "organizers.md").read_text(encoding="utf-8")
    for name in re.findall(r"^\*\*\[(.+?)\]", organizers, re.M):
        assert name in text
    assert not re.search(r"^(SA|NA|VB|GK)$", "\n".join(real_book["pages"]), re.M)
    assert "Explore the workshop" not in text and "Accepted papers Schedule Speakers" not in text
    top = _top(real_book["reader"])
    assert list(top)[:5] == ["Welcome", "Schedule", "Organizers", "Program committee", "Contents"]


# -- LaTeX sources and the web: no TeX needed -----------------------------------


def _tex(app) -> str:
    return next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")


def test_options_reach_the_latex(site, build) -> None:
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nproceedings_book_paper_size = "letter"\n'
                   "proceedings_book_one_paper_per_page = False\n"
                   'proceedings_short_name = "IEW"\n')
    app = build(root, "latex")
    tex = _tex(app)
    assert re.search(r"\\documentclass\[letterpaper,11pt[^\]]*\]\{proceedingsbook\}", tex)
    assert "\\proceedingsonepaperperpagefalse" in tex
    assert "\\setproceedingsshortname{IEW}" in tex
    assert (Path(app.outdir) / "proceedingsbook.cls").is_file()


def test_defaults_reach_the_latex(site, build) -> None:
    tex = _tex(build(site("pdf"), "latex"))
    assert re.search(r"\\documentclass\[a4paper,11pt[^\]]*\]\{proceedingsbook\}", tex)
    assert "\\proceedingsonepaperperpagefalse" not in tex
    assert "\\setproceedingsshortname{Imaginary Equations Workshop}" in tex
    assert "Release" not in tex.partition("\\begin{document}")[2]


def test_wrong_paper_size_stops_the_build(site, build) -> None:
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nproceedings_book_paper_size = "a5"\n')
    with pytest.raises(ConfigError, match="proceedings_book_paper_size must be one of 'a4', 'letter'"):
        build(root, "latex")


def test_print_only_and_web_only_on_the_web(site, build) -> None:
    page = html(build(site("pdf")), "index")
    text = page.get_text(" ")
    assert "Printed copies are handed out" not in text
    assert "livestream" in text and "Register now" in text
