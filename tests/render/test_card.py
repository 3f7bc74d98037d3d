"""The paper card without Sphinx: what it shows, with the addresses it is given."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bs4 import BeautifulSoup

from sphinx_proceedings.core.model import Person, Proceedings, Source
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.render.card import (
    ABSTRACT_SLOT,
    Addresses,
    card_for,
    card_signature,
    filter_data,
    render_card,
)

PAPERS = Path(__file__).parents[1] / "roots" / "test-basic" / "papers"


def addresses() -> Addresses:
    return Addresses(page=lambda objtype, name: f"{objtype}s/{name}.html",
                     file=lambda paper, path: f"files/{paper.key}/{path.name}")


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def test_a_card_shows_title_authors_badge_topics_and_buttons():
    proc = read_proceedings(PAPERS)
    paper = proc.by_key["eliasof2024data"]
    card = soup(render_card(card_for(paper, proc, addresses())))
    title = card.select_one(".proceedings-card-title a")
    assert (title.get_text(), title["href"]) == ("Higher-Order Graph Flows with ∇ Operators",
                                                 "papers/eliasof2024data.html")
    authors = [(a.get_text(), a["href"]) for a in card.select(".proceedings-card-authors a")]
    assert authors[1] == ("Carola-Bibiane Schönlieb", "authors/carola-bibiane-schonlieb.html")
    assert card.select_one(".proceedings-badge-spotlight").get_text() == "Spotlight"
    assert [a.get_text() for a in card.select("a.proceedings-chip")] == [
        "Graph networks", "Neural operators"]
    buttons = {a.get_text(): a["href"] for a in card.select(".proceedings-card-buttons a")}
    assert buttons == {"OpenReview": "https://openreview.net/forum?id=abcDEF1234",
                       "Code": "https://example.org/code"}
    assert not card.select("details"), "no abstract unless asked for"


def test_local_files_and_relative_links_get_addresses_on_the_page():
    proc = read_proceedings(PAPERS)
    paper = replace(proc.by_key["nowak2024graph"], slides="slides/talk.pdf")
    buttons = {link.text: link.url for link in card_for(paper, proc, addresses()).buttons}
    assert buttons["PDF"] == "files/nowak2024graph/paper.pdf"
    # A relative link of the entry is beside the paper's own page.
    assert buttons["Slides"] == "papers/slides/talk.pdf"


def test_award_and_abstract_slot():
    proc = read_proceedings(PAPERS)
    paper = replace(proc.by_key["berg2024discovery"], award="Best paper")
    html = render_card(card_for(paper, proc, addresses()), abstract=True)
    assert soup(html).select_one(".proceedings-badge-award").get_text() == "Best paper"
    assert html.count(ABSTRACT_SLOT) == 1
    assert soup(html).select_one("details.proceedings-card-abstract summary").get_text() == "Abstract"


def test_text_is_escaped():
    proc = read_proceedings(PAPERS)
    paper = replace(proc.by_key["nowak2024graph"], title="<script>alert(1)</script> & co", title_tree=(),
                    authors=(Person("<b>Eve</b>", "O'Hara"),))
    html = render_card(card_for(paper, Proceedings(papers=(paper,)), addresses()))
    assert "<script>" not in html and "<b>" not in html
    assert soup(html).select_one(".proceedings-card-title").get_text() == (
        "<script>alert(1)</script> & co")


def test_without_pages_the_card_has_no_links():
    proc = read_proceedings(PAPERS)
    paper = proc.by_key["berg2024discovery"]
    none = Addresses(page=lambda objtype, name: "", file=lambda paper, path: "")
    card = soup(render_card(card_for(paper, proc, none)))
    assert not card.select(".proceedings-card-title a, .proceedings-card-authors a, a.proceedings-chip")


def test_filter_data_folds_names_and_titles():
    proc = read_proceedings(PAPERS)
    paper = proc.by_key["nowak2024graph"]
    data = filter_data(paper, proc, ["graphs", "simulation"])
    assert data["data-authors"] == "łukasz nowak; carola-bibiane schonlieb; ayse cetin"
    assert data["data-first-author"] == "nowak lukasz"
    assert data["data-topics"] == "graphs simulation"


def test_the_signature_changes_with_what_the_card_shows():
    proc = read_proceedings(PAPERS)
    paper = proc.by_key["nowak2024graph"]
    assert card_signature(paper, False) != card_signature(replace(paper, code="https://x.org"), False)
    edited = replace(paper, abstract="Another abstract.", abstract_source=Source(Path("a.md")))
    assert card_signature(paper, False) == card_signature(edited, False)
    assert card_signature(paper, True) != card_signature(edited, True)
