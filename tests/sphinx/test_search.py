"""Pagefind runs after an HTML build only when a paper page changed."""

from __future__ import annotations

from pathlib import Path

from conftest import edit

from sphinx_proceedings.sphinx_ext.search import pagefind_binary


def test_pagefind_comes_with_the_package():
    """``pagefind[bin]`` is a dependency: its binary is always there."""
    assert pagefind_binary() is not None


def test_pagefind_reindexes_only_after_a_paper_page_changed(site, build):
    root = site("basic")
    first = build(root)
    assert "pagefind indexed" in first.status.getvalue()
    second = build(root)
    assert "no page changed; index kept" in second.status.getvalue()
    abstract = root / "papers/nowak2024graph/abstract.md"
    abstract.write_text("A changed abstract about $k$-hop kernels.\n", encoding="utf-8")
    third = build(root)
    assert "pagefind indexed" in third.status.getvalue()


def test_search_page_is_written_again_only_when_it_would_change(site, build, make_app):
    srcdir = site("basic")
    app = build(srcdir)
    page = Path(app.outdir) / "proceedings/search.html"
    before = page.stat().st_mtime_ns
    build(srcdir)  # nothing changed: the page is kept as it is
    assert page.stat().st_mtime_ns == before
    edit(srcdir / "conf.py", "project = ", "html_title = 'Renamed'\nproject = ")
    app = build(srcdir)  # a setting every page shows: written again
    assert page.stat().st_mtime_ns > before
    assert "Renamed" in page.read_text(encoding="utf-8")
