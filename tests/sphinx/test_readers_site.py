"""What readers see first: honest counts, listed topics, favicon, one head, no empty pages.

The real site is built once (``real_site``, strictly); the fixture site shows
each setting at its default and changed.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import html, warnings

OPENREVIEW = "https://openreview.net/group?id=ICLR.cc/2024/Workshop/AI4DiffEqtnsInSci"


def page(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / name).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_real_listing_states_all_accepted_papers(real_site: Path):
    stats = page(real_site, "proceedings/index.html").select_one(".proceedings-stats")
    first = stats.select_one("p")
    assert text(first).replace(" ,", ",").replace("( ", "(").replace(" )", ")") == (
        "102 submissions, 87 accepted papers: 4 spotlights (with pages here) "
        "and 83 posters (on OpenReview).")
    assert first.select_one("a")["href"] == OPENREVIEW
    assert "4 papers · 29 authors · 10 topics" in text(stats.select_one(".proceedings-stats-here"))


def test_real_site_hides_topics_without_papers(real_site: Path):
    index = page(real_site, "proceedings/topics/index.html")
    listed = {a["href"] for a in index.select("article a.reference.internal")}
    assert "simulation.html" in listed and "physics-informed.html" not in listed
    options = [o["value"] for o in page(real_site, "proceedings/index.html").select(
        "form.proceedings-filter select[name=topic] option")]
    assert "physics-informed" not in options and "graph-networks" in options
    # The page still exists, for links, and says so.
    empty = page(real_site, "proceedings/topics/physics-informed.html")
    assert "No accepted paper is in this topic yet" in text(empty)
    simulation = page(real_site, "proceedings/topics/simulation.html")
    narrower = text(simulation.select_one(".proceedings-topic-family"))
    assert "Neural operators" in narrower and "Physics-informed" not in narrower


def test_real_site_facts(real_site: Path):
    speakers = text(page(real_site, "speakers.html").select_one("article"))
    assert "CET" not in speakers.replace("CEST", "")
    assert "Christopher Rackauckas" in speakers
    guide = page(real_site, "call-for-papers.html").select_one(
        'a[href="https://www.iclr.cc/Conferences/2024/AuthorGuide"]')
    assert guide is not None and "author guide" in guide.get_text()


def test_real_site_frame(real_site: Path):
    assert not (real_site / "genindex.html").exists()
    home = page(real_site, "index.html")
    assert len(home.select('meta[name="viewport"]')) == 1
    icon = home.select_one('link[rel="icon"]')["href"]
    assert icon == "_static/proceedings-favicon.svg"
    assert "<text" in (real_site / icon).read_text(encoding="utf-8")
    current = home.select("nav .navbar-nav li.current")
    assert {text(li) for li in current} == {"Home"}  # the navbar and the phone menu
    assert current[0].select_one("a")["aria-current"] == "page"
    assert not home.select('link[rel="index"]'), "no link to an index that is not built"
    for mode in ("light", "dark"):
        assert (real_site / "_static" / f"proceedings-banner-{mode}.svg").is_file()
    assert home.select_one(".proceedings-hero") is not None


def test_accepted_counts_are_not_stated_by_default(site, build):
    app = build(site("basic"))
    stats = html(app, "proceedings/index").select_one(".proceedings-stats")
    assert "accepted papers:" not in text(stats)
    assert "3 accepted papers" in text(stats)


def test_accepted_counts_with_some_papers_here(site, build):
    app = build(site("basic"), confoverrides={
        "proceedings_accepted": {"oral": 3, "poster": 1, "spotlight": 1},
        "proceedings_accepted_url": "https://example.org/all-papers"})
    stats = html(app, "proceedings/index").select_one(".proceedings-stats p")
    assert text(stats).replace("( ", "(").replace(" )", ")").replace(" ,", ",") == (
        "12 submissions, 5 accepted papers: 1 spotlight (with pages here), 3 orals (1 with pages here, the "
        "others on example.org) and 1 poster (with pages here).")
    assert warnings(app) == []


def test_accepted_counts_below_the_papers_read_are_reported(site, build):
    app = build(site("basic"), confoverrides={"proceedings_accepted": {"poster": 0}})
    found = warnings(app)
    assert len(found) == 1 and "[proceedings.accepted-count]" in found[0]
    assert "states 0 poster paper(s), but papers/ holds" in found[0]
    stats = text(html(app, "proceedings/index").select_one(".proceedings-stats p"))
    assert "accepted papers:" in stats and "0 poster" not in stats


def test_empty_topics_can_be_listed(site, build):
    root = site("basic")
    topics = root / "papers" / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8") + (
        "  - slug: empty\n    title: Nobody here\n    parent: simulation\n"), encoding="utf-8")
    hidden = build(root)
    assert warnings(hidden) == []
    assert "Nobody here" not in text(html(hidden, "proceedings/topics/index"))
    shown = build(root, confoverrides={"proceedings_empty_topics": True})
    assert "Nobody here" in text(html(shown, "proceedings/topics/index"))
    options = [o["value"] for o in html(shown, "proceedings/index").select("select[name=topic] option")]
    assert "empty" in options


def test_site_settings_win_over_the_generated_favicon_and_index(site, build, tmp_path):
    root = site("basic")
    (root / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    app = build(root, confoverrides={"html_favicon": "icon.svg", "html_use_index": True})
    head = html(app, "index")
    assert head.select_one('link[rel="icon"]')["href"] == "_static/icon.svg"
    assert (Path(app.outdir) / "genindex.html").is_file()


def test_sphinx_search_only_when_asked(site, build):
    app = build(site("basic"))
    out = Path(app.outdir)
    assert not (out / "searchindex.js").exists() and not (out / "search.html").exists()
    home = html(app, "index")
    assert not home.select('script[src$="searchindex.js"]')
    button = home.select_one("a.proceedings-search-button")
    assert button["href"] == "proceedings/search.html"
    kept = build(site("basic", "kept"), confoverrides={"proceedings_sphinx_search": True})
    assert (Path(kept.outdir) / "searchindex.js").is_file()
    assert html(kept, "index").select('script[src$="searchindex.js"]')
