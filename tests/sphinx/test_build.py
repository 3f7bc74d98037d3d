"""Whole-site builds of fixture roots, asserting on parsed HTML and warnings."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

from conftest import html, warnings


def test_basic_site_builds_without_warnings(site, build):
    app = build(site("basic"), confoverrides={"nitpicky": True})
    assert warnings(app) == []


def test_paper_page(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/papers/eliasof2024data")
    title = page.select_one("article h1")
    assert "Higher-Order Graph Flows with" in title.get_text()
    assert title.select_one(".math"), "title math is typeset as math"
    authors = page.select(".proceedings-authors a.reference")
    assert [a.get_text() for a in authors] == [
        "Miriam Eliasof", "Carola-Bibiane Schönlieb", "Jan van der Berg"]
    assert authors[1]["href"].endswith("authors/carola-bibiane-schonlieb.html")
    tags = page.select_one(".proceedings-tags")
    assert "Spotlight" in tags.select_one(".sd-badge").get_text()
    assert [a.get_text() for a in tags.select("a.reference")] == ["Graph networks", "Neural operators"]
    assert "diffusion" in page.select_one(".proceedings-keywords").get_text()
    links = {a.get_text(): a["href"] for a in page.select(".proceedings-links a")}
    assert links == {"OpenReview": "https://openreview.net/forum?id=abcDEF1234",
                     "Code": "https://example.org/code"}
    abstract = page.select_one(".proceedings-abstract")
    assert abstract.select_one("em").get_text() == "nothing"
    assert len(abstract.select(".math")) == 2
    cite = page.select_one("div.highlight-bibtex pre").get_text()
    assert "@inproceedings{eliasof2024data," in cite
    assert "Schönlieb, Carola-Bibiane" in cite
    assert "https://example.org/workshop/proceedings/papers/eliasof2024data.html" in cite
    assert "topics" not in cite and "presentation" not in cite
    related = [a.get_text() for a in page.select("#related-papers .proceedings-card-title a")]
    assert related == ["Graph Kernels for Pretend Turbulence"]


def test_paper_without_abstract_links_to_forum(site, build):
    root = site("basic")
    (root / "papers/nowak2024graph/abstract.md").unlink()
    app = build(root)
    page = html(app, "proceedings/papers/nowak2024graph")
    assert "No abstract is available" in page.select_one("#abstract").get_text()
    assert any("nowak2024graph' has no abstract" in w for w in warnings(app))


def test_topic_page_lists_children_papers_as_cards(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/topics/simulation")
    assert page.select_one("article h1").get_text(strip=True).startswith("Learning to simulate")
    cards = page.select(".proceedings-card")
    titles = sorted(c.select_one(".proceedings-card-title a").get_text() for c in cards)
    assert titles == ["Graph Kernels for Pretend Turbulence",
                      "Higher-Order Graph Flows with ∇ Operators"]
    narrower = [a.get_text() for a in page.select(".proceedings-topic-family a")]
    assert narrower == ["Neural operators", "Graph networks"]


def test_author_pages_merge_spellings(site, build):
    app = build(site("basic"))
    outdir = Path(app.outdir)
    schonlieb = sorted(p.name for p in (outdir / "proceedings/authors").glob("*schonlieb*"))
    assert schonlieb == ["carola-bibiane-schonlieb.html"]
    page = html(app, "proceedings/authors/carola-bibiane-schonlieb")
    papers = [a.get_text() for a in page.select(".proceedings-paper-list .proceedings-card-title a")]
    assert len(papers) == 2
    coauthors = {a.get_text() for a in page.select("#co-authors a.reference")}
    assert coauthors == {"Miriam Eliasof", "Jan van der Berg", "Łukasz Nowak", "Ayşe Çetin"}


def test_listing_groups_by_presentation_with_counts(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/index")
    headings = [h.get_text(strip=True).rstrip("#") for h in page.select("article h2")]
    assert headings == ["Spotlights (1)", "Orals (1)", "Posters (1)"]
    stats = page.select_one(".proceedings-stats").get_text(" ", strip=True)
    assert "12 submissions" in stats and "3 accepted papers" in stats


def test_roles_and_directive_on_handwritten_page(site, build):
    app = build(site("basic"))
    page = html(app, "index")
    links = {a.get_text(): a["href"] for a in page.select("article a.reference.internal")}
    assert links["Higher-Order Graph Flows with ∇ Operators"].endswith(
        "proceedings/papers/eliasof2024data.html")
    assert links["Neural operators"].endswith("proceedings/topics/neural-operators.html")
    assert links["Carola-Bibiane Schönlieb"].endswith(
        "proceedings/authors/carola-bibiane-schonlieb.html")
    listed = page.select(".proceedings-paper-list .proceedings-card-title a")
    assert [a.get_text() for a in listed] == ["Higher-Order Graph Flows with ∇ Operators"]


def test_indices_and_objects_inv(site, build):
    app = build(site("basic"))
    raw = (Path(app.outdir) / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    entries = {tuple(line.split(" ", 2)[:2]) for line in body.splitlines()}
    assert ("eliasof2024data", "proceedings:paper") in entries
    assert ("neural-operators", "proceedings:topic") in entries
    assert ("carola-bibiane-schonlieb", "proceedings:author") in entries
    # The generated author and topic pages are the HTML indexes; the domain's
    # own index pages (rebuilt on every build) are there only when asked for.
    assert not (Path(app.outdir) / "proceedings-authorindex.html").exists()
    assert "Schönlieb" in html(app, "proceedings/authors/index").get_text()


def test_domain_index_pages_on_request(site, build):
    app = build(site("basic"), confoverrides={"proceedings_domain_indices": True})
    index = html(app, "proceedings-authorindex")
    assert "Schönlieb, Carola-Bibiane" in index.get_text()
    assert (Path(app.outdir) / "proceedings-topicindex.html").exists()


def test_domain_index_page_named_in_html_domain_indices(site, build):
    app = build(site("basic"), confoverrides={"html_domain_indices": ["proceedings-topicindex"]})
    assert "Neural operators" in html(app, "proceedings-topicindex").get_text()
    assert not (Path(app.outdir) / "proceedings-authorindex.html").exists()


def test_html_domain_indices_true_alone_adds_no_page(site, build):
    app = build(site("basic"), confoverrides={"html_domain_indices": True})
    assert not (Path(app.outdir) / "proceedings-authorindex.html").exists()


def test_volume_file_entries_are_papers(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/papers/berg2024discovery")
    assert page.select_one("article h1").get_text(strip=True).rstrip("#") == "Discovering PDEs – Quickly"
    assert "Schrödinger" in page.select_one(".proceedings-abstract").get_text()
    assert [a.get_text() for a in page.select(".proceedings-authors a")] == [
        "Jan van der Berg", "Imaginary Research Collective"]


def test_wrong_data_gives_exactly_the_expected_warnings(site, build):
    app = build(site("wrong"))
    got = sorted(w.split("WARNING: ", 1)[1] if "WARNING: " in w else w for w in warnings(app))
    located = sorted(w.split(" WARNING")[0] for w in warnings(app))
    expected = [
        "cannot parse this BibTeX block: Unexpected block start: `@inproceedings`. "
        "Was still looking for field-value closing `}` [proceedings.bibtex]",
        "duplicate key 'okpaper' (first defined at papers/okpaper/paper.bib:1); "
        "entry skipped [proceedings.duplicate-key]",
        "entry 'badtopic': unknown topic 'imaginary' (not in topics.yml) [proceedings.unknown-topic]",
        "entry 'noabstract' has no abstract and no forum link (url or openreview) "
        "to send readers to [proceedings.no-abstract]",
        "entry 'notitle' has no title; skipped [proceedings.incomplete]",
        "entry key 'other' does not match its folder name 'mismatch' [proceedings.layout]",
        "file is not valid UTF-8 (byte 37); save it as UTF-8 [proceedings.unreadable]",
        "papers/nobib: folder has no paper.bib; skipped [proceedings.no-paper-bib]",
        "unknown paper 'nosuchpaper' [ref.paper]",
        "unknown topic 'nosuchtopic' [ref.topic]",
    ]
    assert got == sorted(expected)
    assert "papers/latin1/paper.bib:2:" in located
    assert "papers/volume.bib:6:" in located
    assert any(loc.endswith("index.md:3:") for loc in located)
    # The rest still builds.
    assert html(app, "proceedings/papers/okpaper").select_one("h1")
    assert html(app, "proceedings/papers/badtopic").select_one("h1")
    assert not (Path(app.outdir) / "proceedings/papers/notitle.html").exists()


def test_local_pdf_is_copied_and_linked(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/papers/nowak2024graph")
    link = next(a for a in page.select(".proceedings-links a") if a.get_text() == "PDF")
    target = (Path(app.outdir) / "proceedings/papers" / link["href"]).resolve()
    assert target.name == "paper.pdf" and target.read_bytes().startswith(b"%PDF")


def test_thumbnail_is_shown_with_the_title_as_alt_text(site, build):
    app = build(site("basic"))
    image = html(app, "proceedings/papers/eliasof2024data").select_one("img.proceedings-thumbnail")
    assert image["alt"] == "Higher-Order Graph Flows with ∇ Operators"
    assert (Path(app.outdir) / "proceedings/papers" / image["src"]).resolve().is_file()


def test_paper_pages_link_previous_and_next_in_listing_order(site, build):
    app = build(site("basic"))
    nav = html(app, "proceedings/papers/berg2024discovery").select_one(".proceedings-prev-next")
    assert [a.get_text() for a in nav.select("a.reference")] == [
        "Higher-Order Graph Flows with ∇ Operators", "Graph Kernels for Pretend Turbulence"]
    first = html(app, "proceedings/papers/eliasof2024data").select_one(".proceedings-prev-next")
    assert "Previous" not in first.get_text() and "Next" in first.get_text()


def test_a_hand_written_file_in_the_output_folder_is_never_overwritten(site, build):
    root = site("basic")
    mine = root / "proceedings/papers/nowak2024graph.paper"
    mine.parent.mkdir(parents=True)
    mine.write_text("# My own notes\n", encoding="utf-8")
    app = build(root)
    assert mine.read_text(encoding="utf-8") == "# My own notes\n"
    assert any("was not generated by sphinx-proceedings; not overwritten" in w
               for w in warnings(app))


def test_a_papers_folder_named_in_conf_py_must_exist(site, build):
    """Without papers/ a project only borrows the roles; a folder conf.py names is expected."""
    root = site("basic")
    shutil.rmtree(root / "papers")
    app = build(root, confoverrides={"proceedings_papers_dir": "acceptd"})
    found = warnings(app)
    assert found[0] == (f"WARNING: papers folder {root / 'acceptd'} does not exist; no paper "
                        "pages are generated [proceedings.no-papers-folder]")
    # The rest: the homepage's links into the pages that were not made.
    assert all(w.startswith(f"{root / 'index.md'}:") for w in found[1:]), "\n".join(found)
    assert not (root / "proceedings").exists()
