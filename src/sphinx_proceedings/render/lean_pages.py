"""Lean copies of the pages Pagefind indexes.

A themed page is mostly frame (navigation bar, menus, footer): about 40 kB,
of which the paper is a few.  Pagefind's time goes into parsing HTML, so it
reads copies holding only what it indexes (language, title, filter tags, the
article): four times less CPU at 1,000 papers, the same index.  The copies
are kept between builds in Sphinx's doctree folder as ``.lean`` files (not
pages: that folder sits inside the HTML output by default) and refreshed only
for pages written since, so one edited paper costs one copy.  For the run
they are hard-linked under their page names into a temporary site.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sphinx_proceedings.core.files import write_atomic

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_FILTER_TAG = re.compile(r"<meta [^>]*data-pagefind-[^>]*>", re.IGNORECASE)

#: Parts of a paper page that name *other* papers (a title search must not hit
#: them) or belong to the theme's frame, not to the paper.
EXCLUDED = (".proceedings-prev-next", "#related-papers", ".proceedings-citation-files",
            ".proceedings-paper-list", ".proceedings-filter",
            ".headerlink", "header", "footer", "nav", ".bd-header", ".bd-footer",
            ".bd-header-article", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".skip-link",
            "#pst-back-to-top")


def lean_page(text: str) -> str:
    """What Pagefind needs of a built paper page: its language, title, filters and article."""
    start, end = text.find("<article"), text.rfind("</article>")
    if start != -1 and end != -1:
        body = f"<body>{text[start:end]}</article></body>"
    else:  # a theme without <article>: the whole body
        start, end = text.find("<body"), text.rfind("</body>")
        if start == -1 or end == -1:
            return text
        body = f"{text[start:end]}</body>"
    html_tag = _HTML_TAG.search(text)
    title = _TITLE.search(text)
    head = "".join([title.group(0) if title else "", *_FILTER_TAG.findall(text)])
    return (f"<!DOCTYPE html>\n{html_tag.group(0) if html_tag else '<html>'}\n"
            f'<head><meta charset="utf-8">{head}</head>\n{body}</html>\n')


def lean_copies(folder: Path, root: Path, pages: list[Path]) -> list[Path]:
    """Keep ``folder`` holding a `lean_page` of each page (at its path under ``root``,
    as ``.lean``); return the copies.

    Only pages written since their copy was made are read again, and a copy is
    replaced (a new file, never rewritten in place) only when its text changed:
    a Pagefind run reading a copy through a hard link reads it whole, and an
    unchanged copy keeps its inode (pagefind_index.py relies on both).  Copies of
    pages that are gone are removed.
    """
    wanted = []
    for page in pages:
        copy = (folder / page.relative_to(root)).with_suffix(".lean")
        wanted.append(copy)
        try:
            if copy.stat().st_mtime_ns >= page.stat().st_mtime_ns:
                continue
        except OSError:
            pass
        lean = lean_page(page.read_text(encoding="utf-8", errors="replace"))
        try:
            same = copy.read_text(encoding="utf-8") == lean
        except (OSError, UnicodeDecodeError):
            same = False
        if same:
            os.utime(copy)  # newer than its page now: not read again
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(copy, lean.encode("utf-8"), durable=False)
    keep = set(wanted)
    for old in folder.rglob("*.lean"):
        if old not in keep:
            old.unlink()
    return wanted


@contextmanager
def lean_site(folder: Path, copies: list[Path], name: str = "site") -> Iterator[Path]:
    """A temporary site of ``copies`` (lean copies in ``folder``) under their pages'
    names, beside ``folder`` (``name`` tells apart sites that exist at once),
    removed after."""
    site = folder.parent / f"{folder.name}-{name}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    try:
        for copy in copies:
            page = (site / copy.relative_to(folder)).with_suffix(".html")
            page.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(copy, page)
            except OSError:  # a file system without hard links
                shutil.copyfile(copy, page)
        yield site
    finally:
        shutil.rmtree(site, ignore_errors=True)
