"""Incremental and parallel builds: unchanged rebuilds read and write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import edit, html, warnings
from sphinx.testing.util import SphinxTestApp


def _pages(folder: Path) -> list[Path]:
    """The generated pages: MyST sources and paper stubs (sphinx_ext/paper_page.py)."""
    return [p for p in folder.rglob("*") if p.suffix in (".md", ".paper")]


def _read_docs(make_app, srcdir: Path) -> tuple[SphinxTestApp, list[str], dict[str, float]]:
    app = make_app("html", srcdir=srcdir)
    read = sorted(app.builder.read())
    gen = srcdir / "proceedings"
    mtimes = {str(p.relative_to(gen)): p.stat().st_mtime_ns for p in _pages(gen)}
    return app, read, mtimes


def test_noop_rebuild_reads_and_rewrites_nothing(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    gen = srcdir / "proceedings"
    before = {p: p.stat().st_mtime_ns for p in _pages(gen)}
    app, read, _ = _read_docs(make_app, srcdir)
    assert read == []
    assert {p: p.stat().st_mtime_ns for p in _pages(gen)} == before



def _build_noting_reads(make_app, srcdir: Path) -> tuple[SphinxTestApp, list[str]]:
    """A whole build, and the documents it read."""
    app = make_app("html", srcdir=srcdir)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    return app, sorted(read)


def test_abstract_edit_rereads_that_paper_and_rewrites_the_papers_page(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    listing = Path(build(srcdir).outdir) / "proceedings/index.html"
    before = listing.stat().st_mtime_ns
    edit(srcdir / "papers/nowak2024graph/abstract.md", "never was", "never existed")
    app, read = _build_noting_reads(make_app, srcdir)
    # The papers page folds each abstract into its card, from the paper's own
    # page: it is written again, not read again.
    assert read == ["proceedings/papers/nowak2024graph"]
    assert listing.stat().st_mtime_ns > before
    card = html(app, "proceedings/index").select_one(
        "li[data-title^='graph kernels'] .proceedings-card-abstract-text")
    assert "Turbulence that never existed" in card.get_text()


def test_an_edit_no_card_shows_rereads_only_that_paper(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    edit(srcdir / "papers/nowak2024graph/paper.bib", "presentation = {poster},",
          "presentation = {poster},\n  note = {Revised},")
    app, read, _ = _read_docs(make_app, srcdir)
    assert read == ["proceedings/papers/nowak2024graph"]


def test_title_edit_rereads_paper_and_rewrites_pages_that_show_it(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    edit(srcdir / "papers/nowak2024graph/paper.bib", "Pretend Turbulence", "Make-Believe Flow")
    app = make_app("html", srcdir=srcdir)
    app.build()
    # Pages re-read: the paper itself and pages whose paper lists show titles.
    page = html(app, "proceedings/authors/lukasz-nowak")
    assert "Graph Kernels for Make-Believe Flow" in page.get_text()
    related = html(app, "proceedings/papers/eliasof2024data")
    assert "Graph Kernels for Make-Believe Flow" in related.select_one("#related-papers").get_text()
    listing = html(app, "proceedings/index")
    assert "Graph Kernels for Make-Believe Flow" in listing.get_text()


def test_title_edit_reads_only_that_paper(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    edit(srcdir / "papers/nowak2024graph/paper.bib", "Pretend Turbulence", "Make-Believe Flow")
    app, read = _build_noting_reads(make_app, srcdir)
    # Pages whose lists show the title are written again from the data, not
    # read again; the filter's data follows the new title.
    assert read == ["proceedings/papers/nowak2024graph"]
    item = html(app, "proceedings/index").select_one("li[data-title^='graph kernels']")
    assert item["data-title"] == "graph kernels for make-believe flow"
    assert not [w for w in warnings(app) if "already registered" not in w]


def test_removed_paper_removes_its_generated_page(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    shutil.rmtree(srcdir / "papers/nowak2024graph")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert not (srcdir / "proceedings/papers/nowak2024graph.paper").exists()
    assert not (Path(app.outdir) / "proceedings/authors/lukasz-nowak.html").exists()


def test_parallel_build_gives_the_same_pages(site, build):
    serial = build(site("basic"))
    parallel = build(site("basic", "basic-parallel"), parallel=2)
    for page in ("proceedings/papers/eliasof2024data", "proceedings/topics/simulation",
                 "proceedings/authors/carola-bibiane-schonlieb", "proceedings/index", "index"):
        a = html(serial, page).select_one("article") or html(serial, page).body
        b = html(parallel, page).select_one("article") or html(parallel, page).body
        assert str(a) == str(b), page


def test_unchanged_inputs_are_not_read_again_but_still_warned_about(site, build, make_app):
    srcdir = site("wrong")
    first = build(srcdir)
    second = make_app("html", srcdir=srcdir)
    second.build()
    assert "inputs unchanged" in second.status.getvalue()
    assert "inputs unchanged" not in first.status.getvalue()
    # The same input problems are reported on every build, cached or not.
    def input_warnings(app):
        return sorted(w for w in warnings(app) if "proceedings." in w)
    assert input_warnings(second) == input_warnings(first) != []
    edit(srcdir / "papers/okpaper/abstract.md", "An abstract.", "A new abstract.")
    third = make_app("html", srcdir=srcdir)
    third.build()
    assert "inputs unchanged" not in third.status.getvalue()
    assert "A new abstract." in html(third, "proceedings/papers/okpaper").get_text()


def test_an_edit_no_card_shows_does_not_rewrite_the_listings(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    out = srcdir / "_build" / "html" / "proceedings"
    listing, paper = out / "index.html", out / "papers" / "nowak2024graph.html"
    before = listing.stat().st_mtime_ns, paper.stat().st_mtime_ns
    edit(srcdir / "papers/nowak2024graph/paper.bib", "presentation = {poster},",
          "presentation = {poster},\n  note = {Revised},")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert listing.stat().st_mtime_ns == before[0]
    assert paper.stat().st_mtime_ns > before[1]
    assert "note = {Revised}" in html(app, "proceedings/papers/nowak2024graph").get_text()
    # What was set aside for this build is back for the next one.
    assert "proceedings/index" in app.env.files_to_rebuild["proceedings/papers/nowak2024graph"]


def test_author_pages_stay_out_of_sphinx_search(site, build):
    import json

    app = build(site("basic"), confoverrides={"proceedings_sphinx_search": True})
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    assert not [name for name in titles if name.startswith("proceedings/authors/")
                and name != "proceedings/authors/index"]  # no documents: never indexed
    assert titles["proceedings/papers/nowak2024graph"] != ""


def _generated(srcdir: Path) -> dict[str, str]:
    gen = srcdir / "proceedings"
    return {str(p.relative_to(gen)): p.read_text(encoding="utf-8") for p in _pages(gen)}


def test_abstract_edit_renders_one_page_and_matches_a_fresh_build(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    edit(srcdir / "papers/nowak2024graph/abstract.md", "never was", "never existed")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "(1 edited papers' pages rendered)" in app.status.getvalue()
    fresh = site("basic", "fresh")
    edit(fresh / "papers/nowak2024graph/abstract.md", "never was", "never existed")
    build(fresh)
    assert _generated(srcdir) == _generated(fresh)


def test_title_edit_renders_every_page(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    edit(srcdir / "papers/nowak2024graph/paper.bib", "Pretend Turbulence", "Make-Believe Flow")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "edited papers' pages rendered" not in app.status.getvalue()


def test_a_deleted_generated_page_comes_back_with_an_abstract_edit(site, build, make_app):
    srcdir = site("basic")
    build(srcdir)
    lost = srcdir / "proceedings/topics/graphs.md"
    text = lost.read_text(encoding="utf-8")
    lost.unlink()
    edit(srcdir / "papers/eliasof2024data/abstract.md", " ", "  ")
    make_app("html", srcdir=srcdir).build()
    assert lost.read_text(encoding="utf-8") == text


def test_a_paper_moved_in_the_order_is_moved_on_pages_written_again(site, build, make_app):
    """Order follows presentation and title: the topic page is written in the new
    order without being read again (directives.CurrentOrder)."""
    srcdir = site("basic")
    build(srcdir)
    bib = srcdir / "papers/nowak2024graph/paper.bib"
    edit(bib, "presentation = {poster}", "presentation = {spotlight}")
    edit(bib, "Graph Kernels for Pretend Turbulence", "A Graph Kernel")
    app, read = _build_noting_reads(make_app, srcdir)
    assert not [docname for docname in read if "/topics/" in docname]
    items = html(app, "proceedings/topics/graphs").select("li.proceedings-paper-item")
    assert [item["data-title"] for item in items] == [
        "a graph kernel", "higher-order graph flows with ∇ operators"]
