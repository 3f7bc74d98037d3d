"""One paper card in every list: listing, topic, author, home, related papers, search."""

from __future__ import annotations

import html as html_lib
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import html, warnings

PAGES = {
    "listing": "proceedings/index",
    "topic": "proceedings/topics/graphs",
    "author": "proceedings/authors/carola-bibiane-schonlieb",
    "home": "index",
    "related": "proceedings/papers/nowak2024graph",
}


def shape(card) -> list[tuple[str, tuple[str, ...]]]:
    """The card's elements and classes, without texts and addresses."""
    return [(e.name, tuple(e.get("class", []))) for e in card.find_all(True)
            if not e.find_parent("details") and e.name != "details"]


def eliasof_card(page: BeautifulSoup):
    for card in page.select(".proceedings-card"):
        if "Higher-Order Graph Flows" in card.select_one(".proceedings-card-title").get_text():
            return card
    raise AssertionError("no card for eliasof2024data")


def test_every_list_shows_the_same_card(site, build):
    app = build(site("basic"))
    assert warnings(app) == []
    shapes = {name: shape(eliasof_card(html(app, docname))) for name, docname in PAGES.items()}
    assert all(found == shapes["topic"] for found in shapes.values()), shapes
    assert ("span", ("proceedings-badge", "proceedings-badge-spotlight")) in shapes["topic"]


def test_card_addresses_work_from_each_page(site, build):
    app = build(site("basic"))
    out = Path(app.outdir)
    for docname in PAGES.values():
        page_dir = (out / f"{docname}.html").parent
        for card in html(app, docname).select(".proceedings-card"):
            for link in card.select("a[href]"):
                href = link["href"]
                if "://" in href:
                    continue
                assert (page_dir / href.split("#")[0]).resolve().is_file(), (docname, href)


def test_local_pdf_button_points_at_the_download(site, build):
    app = build(site("basic"))
    card = html(app, "proceedings/topics/graphs").select_one("li[data-title^='graph kernels']")
    pdf = card.select_one(".proceedings-card-buttons a")
    assert pdf.get_text() == "PDF" and pdf["href"].startswith("../../_downloads/")
    assert pdf["aria-label"] == "PDF: Graph Kernels for Pretend Turbulence"


def test_only_the_papers_page_folds_out_abstracts(site, build):
    app = build(site("basic"))
    listing = html(app, PAGES["listing"])
    assert len(listing.select("details.proceedings-card-abstract")) == 3
    text = eliasof_card(listing).select_one(".proceedings-card-abstract-text")
    assert text.select_one("em").get_text() == "nothing" and len(text.select("math")) == 2
    for name in ("topic", "author", "home", "related"):
        assert not html(app, PAGES[name]).select("details.proceedings-card-abstract"), name


def test_other_builders_print_title_and_authors(site, build):
    app = build(site("basic"), "text")
    text = "".join((Path(app.outdir) / "index.txt").read_text(encoding="utf-8").split())
    assert "Higher-OrderGraphFlowswith∇Operators" in text  # white space aside (wrapped)
    assert "MiriamEliasof,Carola-BibianeSchönlieb,JanvanderBerg" in text
    listing = (Path(app.outdir) / "proceedings/index.txt").read_text(encoding="utf-8")
    assert "Abstract" not in listing and "imaginary flows" not in listing


def test_the_search_result_card_is_addressed_from_the_search_page(site, build):
    app = build(site("basic"))
    head = html(app, "proceedings/papers/eliasof2024data")
    meta = head.select_one('meta[name="proceedings-card"]')
    assert meta["data-pagefind-meta"] == "card[content]"
    card = BeautifulSoup(meta["content"], "html.parser")
    assert card.select_one(".proceedings-card-title a")["href"] == "papers/eliasof2024data.html"
    assert shape(card.select_one(".proceedings-card")) == shape(eliasof_card(html(app, PAGES["topic"])))


def test_a_site_changes_every_card_with_one_template(site, build):
    root = site("basic")
    folder = root / "_templates" / "proceedings"
    folder.mkdir(parents=True)
    (folder / "paper-card.html.jinja").write_text(
        '<div class="proceedings-card my-card">{{ card.title.text }} '
        '({{ card.authors | length }} authors)</div>\n', encoding="utf-8")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\ntemplates_path = ["_templates"]\n')
    app = build(root)
    for docname in PAGES.values():
        cards = html(app, docname).select(".my-card")
        assert cards and "authors)" in cards[0].get_text(), docname
    meta = html(app, "proceedings/papers/nowak2024graph").select_one('meta[name="proceedings-card"]')
    assert "my-card" in html_lib.unescape(meta["content"])


def test_related_papers_are_cards_of_the_papers_sharing_topics(site, build):
    app = build(site("basic"))
    related = html(app, "proceedings/papers/nowak2024graph").select_one("#related-papers")
    titles = [a.get_text() for a in related.select(".proceedings-card-title a")]
    assert titles == ["Higher-Order Graph Flows with ∇ Operators"]


def test_paper_list_names_papers_and_reports_unknown_ones(site, build):
    root = site("basic")
    with (root / "index.md").open("a", encoding="utf-8") as page:
        page.write("\n```{paper-list}\n:papers: nowak2024graph, nosuch2024paper\n```\n")
    app = build(root)
    found = [w for w in warnings(app) if "nosuch2024paper" in w]
    assert len(found) == 1 and "paper-list: unknown paper" in found[0]
    lists = html(app, "index").select(".proceedings-paper-list")
    assert [a.get_text() for a in lists[-1].select(".proceedings-card-title a")] == [
        "Graph Kernels for Pretend Turbulence"]
