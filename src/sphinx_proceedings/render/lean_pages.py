"""Lean copies of the pages Pagefind indexes.

A themed page is mostly frame (navigation bar, menus, footer): about 40 kB,
of which the paper is a few.  Pagefind's time goes into parsing HTML, so it
reads copies holding only what it indexes (language, title, filter tags, the
article): four times less CPU at 1,000 papers, the same index.  The parts of the
article Pagefind leaves out (`EXCLUDED`: a paper's related papers, a topic's
list of cards) are emptied too, keeping their tags so that Pagefind's anchors
stay the same: a third less again, still the same index.  The copies
are kept between builds in Sphinx's doctree folder as ``.lean`` files (not
pages: that folder sits inside the HTML output by default) and refreshed only
for pages written since, so one edited paper costs one copy.  For the run
they are hard-linked under their page names into a temporary site.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import cssselect
from lxml import etree
from lxml import html as lxml_html

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
    return emptied((f"<!DOCTYPE html>\n{html_tag.group(0) if html_tag else '<html>'}\n"
                    f'<head><meta charset="utf-8">{head}</head>\n{body}</html>\n'), EXCLUDED)


def emptied(page: str, selectors: tuple[str, ...]) -> str:
    """``page`` with the elements ``selectors`` match emptied: their tags and
    attributes stay (Pagefind still sees where they are), their content goes."""
    names = _markers(selectors)
    if not any(name in page for name in names):  # a page without them: nothing to parse
        return page
    try:
        document = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):  # Pagefind's own exclusion still applies
        return page
    matches = _matcher(selectors)
    pending = [document]
    while pending:  # depth first, not into an emptied element
        element = pending.pop()
        if matches(element):
            attributes, tail = dict(element.attrib), element.tail
            element.clear()
            element.attrib.update(attributes)
            element.tail = tail
        else:
            pending.extend(element.iterchildren(etree.Element))
    return lxml_html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode") + "\n"


@lru_cache(maxsize=4)
def _simple_selectors(selectors: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str],
                                                             frozenset[str]]:
    """The classes, ids and element names ``selectors`` name, each alone (all
    `EXCLUDED` needs: matching them in Python skips the emptied subtrees, which
    lxml's CSS selectors, translated to XPath, would walk, three times slower)."""
    classes, ids, names = set(), set(), set()
    for selector in cssselect.parse(", ".join(selectors)):
        tree = selector.parsed_tree
        plain = selector.pseudo_element is None
        inner = getattr(tree, "selector", None)  # what a class or id is attached to
        alone = plain and isinstance(inner, cssselect.parser.Element) and inner.element is None
        if alone and isinstance(tree, cssselect.parser.Class):
            classes.add(tree.class_name)
        elif alone and isinstance(tree, cssselect.parser.Hash):
            ids.add(tree.id)
        elif plain and isinstance(tree, cssselect.parser.Element) and tree.element is not None:
            names.add(tree.element.lower())
        else:
            raise ValueError(f"not a lone class, id or element name: {selector.canonical()}")
    return frozenset(classes), frozenset(ids), frozenset(names)


def _markers(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """Text one of the matched elements cannot be without."""
    classes, ids, names = _simple_selectors(selectors)
    return (*classes, *ids, *(f"<{name}" for name in names))


def _matcher(selectors: tuple[str, ...]) -> Callable[[etree._Element], bool]:
    classes, ids, names = _simple_selectors(selectors)

    def matches(element: etree._Element) -> bool:
        kind = element.get("class")
        return (element.tag in names or element.get("id") in ids
                or (kind is not None and not classes.isdisjoint(kind.split())))
    return matches


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
