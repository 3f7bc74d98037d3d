"""The search page (sphinx_ext/search.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import edit


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
