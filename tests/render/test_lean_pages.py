"""Lean copies of paper pages for Pagefind (lean_pages.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sphinx_proceedings.render.lean_pages import EXCLUDED, emptied, lean_copies, lean_page, lean_site

PAGE = """<!DOCTYPE html>
<html lang="de" data-content_root="../../">
<head><title>A &amp; B</title>
<meta name="proceedings-topic" data-pagefind-filter="topic[content]" content="Graphs" />
<link rel="stylesheet" href="x.css" /></head>
<body><nav>Home Papers Speakers</nav>
<article class="bd-article"><h1>A &amp; B</h1><p>The abstract.</p></article>
<footer>Site footer</footer></body></html>
"""


def test_lean_page_keeps_what_pagefind_reads_and_drops_the_frame():
    lean = lean_page(PAGE)
    assert '<html lang="de"' in lean
    assert "<title>A &amp; B</title>" in lean
    assert 'data-pagefind-filter="topic[content]" content="Graphs"' in lean
    assert "<h1>A &amp; B</h1><p>The abstract.</p></article>" in lean
    assert "Speakers" not in lean and "Site footer" not in lean and "x.css" not in lean


def test_a_page_without_article_keeps_its_body():
    page = PAGE.replace("<article class=\"bd-article\">", "<div>").replace("</article>", "</div>")
    lean = lean_page(page)
    assert "The abstract." in lean
    assert "<footer></footer>" in lean and "Site footer" not in lean  # excluded: emptied
    assert lean_page("no html at all") == "no html at all"


def test_copies_are_refreshed_only_for_newer_pages(tmp_path: Path):
    out = tmp_path / "html" / "proceedings" / "papers"
    out.mkdir(parents=True)
    pages = []
    for name in ("a", "b"):
        page = out / f"{name}.html"
        page.write_text(PAGE.replace("The abstract.", f"Paper {name}."), encoding="utf-8")
        os.utime(page, ns=(10**18, 10**18))
        pages.append(page)
    cache = tmp_path / "doctrees" / "pagefind-pages"
    copies = lean_copies(cache, tmp_path / "html", pages)
    assert [c.name for c in copies] == ["a.lean", "b.lean"]
    copies[0].write_text("kept", encoding="utf-8")  # newer than its page: not redone
    os.utime(pages[1], ns=(2 * 10**18, 2 * 10**18))
    pages[1].write_text(PAGE.replace("The abstract.", "Edited."), encoding="utf-8")
    lean_copies(cache, tmp_path / "html", pages)
    assert copies[0].read_text(encoding="utf-8") == "kept"
    assert "Edited." in copies[1].read_text(encoding="utf-8")
    lean_copies(cache, tmp_path / "html", pages[:1])
    assert not copies[1].exists()  # its page is gone


def test_lean_site_names_copies_as_pages_and_goes_away(tmp_path: Path):
    page = tmp_path / "html" / "x.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    copies = lean_copies(tmp_path / "pages", tmp_path / "html", [page])
    with lean_site(tmp_path / "pages", copies) as site:
        served = site / "x.html"
        assert "The abstract." in served.read_text(encoding="utf-8")
    assert not site.exists()
    assert not list((tmp_path / "pages").rglob("*.html"))


def test_a_copy_is_replaced_only_when_its_text_changes(tmp_path: Path):
    """A copy keeps its inode while its text is the same (a page written again
    unchanged), and a hard link to it keeps the old text when it changes."""
    page = tmp_path / "html" / "x.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (copy,) = lean_copies(tmp_path / "pages", tmp_path / "html", [page])
    inode = copy.stat().st_ino
    link = tmp_path / "link.html"
    os.link(copy, link)
    os.utime(page, ns=(copy.stat().st_mtime_ns + 1, copy.stat().st_mtime_ns + 1))
    lean_copies(tmp_path / "pages", tmp_path / "html", [page])  # written again, same text
    assert copy.stat().st_ino == inode
    assert copy.stat().st_mtime_ns >= page.stat().st_mtime_ns  # not read again next time
    page.write_text(PAGE.replace("The abstract.", "Edited."), encoding="utf-8")
    os.utime(page, ns=(copy.stat().st_mtime_ns + 1, copy.stat().st_mtime_ns + 1))
    lean_copies(tmp_path / "pages", tmp_path / "html", [page])
    assert copy.stat().st_ino != inode and "Edited." in copy.read_text(encoding="utf-8")
    assert "The abstract." in link.read_text(encoding="utf-8")


PAPER = """<!DOCTYPE html>
<html lang="en"><head><title>Graph kernels</title></head>
<body><article class="bd-article"><section id="graph-kernels">
<h1>Graph kernels<a class="headerlink" href="#graph-kernels">#</a></h1>
<div class="proceedings-abstract"><p>We count <math><mi>k</mi></math>-hop walks.</p></div>
<section id="related-papers"><h2>Related papers</h2>
<ul class="proceedings-paper-list"><li><a href="other.html">Another paper</a></li></ul>
</section>after the list
<div class="proceedings-prev-next other"><p>Next: <a href="b.html">Next paper</a></p></div>
</section></article></body></html>
"""


def test_excluded_parts_are_emptied_but_keep_their_tags():
    """Pagefind skips them anyway; their tags stay so its anchors do not move."""
    lean = lean_page(PAPER)
    assert "Another paper" not in lean and "Related papers" not in lean
    assert "Next paper" not in lean
    assert '<section id="related-papers"></section>after the list' in lean
    assert '<div class="proceedings-prev-next other"></div>' in lean
    assert '<a class="headerlink" href="#graph-kernels"></a>' in lean
    assert "We count <math><mi>k</mi></math>-hop walks." in lean
    assert '<html lang="en">' in lean and "<title>Graph kernels</title>" in lean


def test_a_page_without_excluded_parts_is_not_reparsed():
    page = "<!DOCTYPE html>\n<html><body><p>Plain &amp; simple</p></body></html>\n"
    assert emptied(page, EXCLUDED) == page


def test_emptying_matches_whole_class_names_only():
    page = '<html><body><p class="headerlinks">kept</p><p class="x headerlink">gone</p></body></html>'
    lean = emptied(page, (".headerlink",))
    assert "kept" in lean and "gone" not in lean


def test_only_lone_classes_ids_and_element_names_are_understood():
    with pytest.raises(ValueError, match="div > p"):
        emptied("<html><body><div><p>x</p></div></body></html>", ("div > p",))


def test_a_page_lxml_cannot_read_keeps_its_parts():
    """Pagefind's own exclusion still applies to it: the copy is only less lean."""
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<html><body>'
            '<a class="headerlink" href="#x">#</a><p>Text</p></body></html>\n')
    assert emptied(page, EXCLUDED) == page
