"""Author pages written from the model through the theme's page template (issue 15).

They are no documents any more (no MyST file, nothing for Sphinx to read), yet
readers see what they saw: the theme's frame, the heading, count, cards and
co-authors, breadcrumbs and prev/next, Open Graph tags, a sitemap entry; roles,
``:ref:`` labels and objects.inv reach them at the same addresses; and a build
writes only the author pages whose content changed.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from conftest import edit, html, warnings
from sphinx.util.inventory import InventoryFile

CAROLA = "proceedings/authors/carola-bibiane-schonlieb"
BASE = "https://example.org/workshop/"



def _stamps(app) -> dict[str, int]:
    folder = Path(app.outdir) / "proceedings" / "authors"
    return {p.stem: p.stat().st_mtime_ns for p in folder.glob("*.html") if p.stem != "index"}


def _rewritten(srcdir: Path, before: dict[str, int], make_app, **kwargs) -> set[str]:
    app = make_app("html", srcdir=srcdir, **kwargs)
    app.build()
    after = _stamps(app)
    assert set(after) == set(before)
    return {name for name, stamp in after.items() if stamp != before[name]}


def test_author_page_shows_what_it_did_as_a_document(site, build):
    app = build(site("basic"), confoverrides={"nitpicky": True})
    assert warnings(app) == []
    assert not (Path(app.srcdir) / f"{CAROLA}.md").exists()  # nothing for Sphinx to read
    page = html(app, CAROLA)
    article = page.select_one("article.bd-article")
    assert article.select_one("h1").get_text().rstrip("#") == "Carola-Bibiane Schönlieb"
    assert "2 papers in these proceedings." in article.get_text()
    titles = [a.get_text() for a in article.select(".proceedings-paper-list .proceedings-card-title a")]
    assert sorted(titles) == ["Graph Kernels for Pretend Turbulence",
                              "Higher-Order Graph Flows with ∇ Operators"]
    card_authors = [a["href"] for a in article.select(".proceedings-card-authors a")]
    assert "carola-bibiane-schonlieb.html" in card_authors
    coauthors = {a.get_text(): a["href"] for a in page.select("#co-authors a.reference")}
    assert coauthors == {"Miriam Eliasof": "miriam-eliasof.html",
                         "Jan van der Berg": "jan-van-der-berg.html",
                         "Łukasz Nowak": "lukasz-nowak.html", "Ayşe Çetin": "ayse-cetin.html"}
    # The theme's frame: navbar with the section marked, colour switch, breadcrumbs, TOC.
    current = page.select_one("header .navbar-nav li.current a")
    assert current is not None and current.get_text(strip=True) == "Accepted papers"
    assert page.select_one(".theme-switch-button") is not None
    crumbs = [li.get_text(strip=True) for li in page.select(".bd-breadcrumbs li")]
    assert crumbs[-2:] == ["Authors", "Carola-Bibiane Schönlieb"]
    assert [a.get_text() for a in page.select("#pst-page-toc-nav a")] == ["Co-authors"]
    assert page.select_one(".prev-next-area a.left-prev") is not None
    # Head: title, canonical address, Open Graph (its description read from the page).
    assert page.title.get_text().startswith("Carola-Bibiane Schönlieb — Test Workshop")
    url = f"{BASE}{CAROLA}.html"
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert page.select_one('meta[property="og:url"]')["content"] == url
    assert page.select_one('meta[property="og:title"]')["content"] == "Carola-Bibiane Schönlieb"
    description = page.select_one('meta[property="og:description"]')["content"]
    assert description.startswith("2 papers in these proceedings. ")
    sitemap = (Path(app.outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{url}</loc>" in sitemap


def test_authors_are_chained_as_when_the_index_listed_them(site, build):
    app = build(site("basic"))
    index = html(app, "proceedings/authors/index")
    authors = [a["href"] for a in index.select("article li a.reference")]
    assert index.select_one(".prev-next-area a.right-next")["href"] == authors[0]
    first = html(app, f"proceedings/authors/{authors[0].removesuffix('.html')}")
    assert first.select_one(".prev-next-area a.left-prev")["href"] == "index.html"
    assert first.select_one(".prev-next-area a.right-next")["href"] == authors[1]
    last = html(app, f"proceedings/authors/{authors[-1].removesuffix('.html')}")
    after = last.select_one(".prev-next-area a.right-next")["href"]
    following = html(app, posixpath.normpath(f"proceedings/authors/{after}").removesuffix(".html"))
    assert following.select_one(".prev-next-area a.left-prev")["href"].endswith(authors[-1])


def test_roles_labels_and_inventory_reach_author_pages(site, build):
    srcdir = site("basic")
    (srcdir / "people.md").write_text(
        "# People\n\n{author}`Łukasz Nowak` and {ref}`author-ayse-cetin`.\n", encoding="utf-8")
    edit(srcdir / "index.md", "proceedings/topics/index\n", "proceedings/topics/index\npeople\n")
    app = build(srcdir, confoverrides={"nitpicky": True})
    assert warnings(app) == []
    links = {a.get_text(): a["href"] for a in html(app, "people").select("article a.reference")}
    assert links == {"Łukasz Nowak": "proceedings/authors/lukasz-nowak.html",
                     "Ayşe Çetin": "proceedings/authors/ayse-cetin.html"}
    with (Path(app.outdir) / "objects.inv").open("rb") as handle:
        inventory = InventoryFile.load(handle, BASE, lambda base, uri: base + uri)
    assert inventory["proceedings:author"]["lukasz-nowak"][2] == \
        f"{BASE}proceedings/authors/lukasz-nowak.html"
    assert inventory["std:label"]["author-lukasz-nowak"][2] == \
        f"{BASE}proceedings/authors/lukasz-nowak.html"


def test_a_removed_author_loses_page_object_and_label(site, build, make_app):
    srcdir = site("basic")
    first = build(srcdir)
    page = Path(first.outdir) / "proceedings/authors/lukasz-nowak.html"
    assert page.is_file()
    shutil.rmtree(srcdir / "papers/nowak2024graph")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert not page.exists()
    assert not (Path(app.outdir) / "proceedings/authors/ayse-cetin.html").exists()
    assert (Path(app.outdir) / f"{CAROLA}.html").is_file()
    with (Path(app.outdir) / "objects.inv").open("rb") as handle:
        inventory = InventoryFile.load(handle, BASE, lambda base, uri: base + uri)
    assert "lukasz-nowak" not in inventory["proceedings:author"]
    assert "author-lukasz-nowak" not in inventory["std:label"]
    sitemap = (Path(app.outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert "lukasz-nowak" not in sitemap


def test_no_op_and_abstract_edits_write_no_author_page(site, build, make_app):
    srcdir = site("basic")
    before = _stamps(build(srcdir))
    assert _rewritten(srcdir, before, make_app) == set()
    edit(srcdir / "papers/nowak2024graph/abstract.md", "never was", "never existed")
    assert _rewritten(srcdir, before, make_app) == set()


def test_title_edit_rewrites_only_its_authors_pages(site, build, make_app):
    srcdir = site("basic")
    before = _stamps(build(srcdir))
    edit(srcdir / "papers/nowak2024graph/paper.bib", "Pretend Turbulence", "Make-Believe Flow")
    written = _rewritten(srcdir, before, make_app)
    assert written == {"lukasz-nowak", "carola-bibiane-schonlieb", "ayse-cetin"}
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "Graph Kernels for Make-Believe Flow" in html(app, "proceedings/authors/ayse-cetin").get_text()


def test_template_and_theme_changes_rewrite_every_author_page(site, build, make_app):
    srcdir = site("basic")
    before = _stamps(build(srcdir))
    templates = srcdir / "_templates" / "proceedings"
    templates.mkdir(parents=True)
    shipped = Path(__file__).parents[2] / "src/sphinx_proceedings/render/templates/proceedings"
    text = (shipped / "author.html.jinja").read_text(encoding="utf-8")
    (templates / "author.html.jinja").write_text(
        text.replace("in these proceedings.", "in this volume."), encoding="utf-8")
    edit(srcdir / "conf.py", 'project = "Test Workshop"',
          'project = "Test Workshop"\ntemplates_path = ["_templates"]')
    assert _rewritten(srcdir, before, make_app) == set(before)
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "2 papers in this volume." in html(app, CAROLA).get_text()
    before = _stamps(app)
    options = {"html_theme_options": {"navbar_align": "left"}}
    assert _rewritten(srcdir, before, make_app, confoverrides=options) == set(before)


def test_author_pages_are_the_same_in_a_parallel_build(site, build):
    serial = build(site("basic"))
    parallel = build(site("basic", "basic-parallel"), parallel=2)
    for name in _stamps(serial):
        page = f"proceedings/authors/{name}"
        a, b = html(serial, page), html(parallel, page)
        for part in ("article", "header", ".prev-next-area", ".bd-breadcrumbs"):
            assert str(a.select_one(part)) == str(b.select_one(part)), (page, part)
        assert re.sub(r"\s+", " ", str(a.head)) == re.sub(r"\s+", " ", str(b.head))
    # Written by forked processes (-j), they still reach the sitemap.
    sitemap = (Path(parallel.outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"{BASE}proceedings/authors/{name}.html" in sitemap for name in _stamps(serial))


def test_a_copy_of_the_old_author_template_is_named_not_ignored(site, build):
    srcdir = site("basic")
    old = srcdir / "_templates" / "proceedings" / "author.md.jinja"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text("# {{ author.name }}\n", encoding="utf-8")
    app = build(srcdir, confoverrides={"templates_path": ["_templates"]})
    named = [line for line in warnings(app) if "author.md.jinja" in line]
    assert len(named) == 1 and "proceedings.old-template" in named[0], warnings(app)
