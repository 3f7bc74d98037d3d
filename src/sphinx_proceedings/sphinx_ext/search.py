"""Full-text search over the papers and pages with Pagefind, fully static.

Which pages Pagefind indexes and when it runs: pagefind_index.py. The papers'
filters (topic with its broader topics, presentation type, author) come from
``data-pagefind-filter`` meta tags this module adds to each paper page's head.
The search page is an HTML-only page (``proceedings/search``) holding the
Pagefind UI; the navbar's search button and Ctrl+K lead there (look.py). It has
no text of its own, so it belongs neither in the search index nor in the PDF.
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext.cards import card_meta_tag
from sphinx_proceedings.sphinx_ext.citations import HTML_BUILDERS
from sphinx_proceedings.sphinx_ext.config import proceedings_config, publishes_papers
from sphinx_proceedings.sphinx_ext.directives import topic_closure
from sphinx_proceedings.sphinx_ext.metadata import papers_by_page
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates" / "html"


def search_docname(config: Any) -> str:
    return f"{proceedings_config(config).prefix}/search"


def filter_tags(app: Sphinx, pagename: str, templatename: str,
                context: dict[str, Any], doctree: object) -> None:
    """``html-page-context``: Pagefind filters and card of a paper page, as head meta tags."""
    if app.builder.name not in HTML_BUILDERS or not proceedings_config(app.config).search:
        return
    paper = papers_by_page(app).get(pagename)
    if paper is None:
        return
    proc = build_state(app.env).model
    values = [("presentation", paper.presentation_label)]
    # A broad topic finds the papers of its narrower ones, as on the papers page.
    values += [("topic", proc.topic_by_slug[s].title) for s in topic_closure(proc, paper.topics)]
    values += [("author", proc.authors[p.slug].name if p.slug in proc.authors else p.name)
               for p in paper.authors]
    # A name attribute keeps the tag valid HTML (a meta needs name, property ...).
    tags = [f'<meta name="proceedings-{name}" data-pagefind-filter="{name}[content]" '
            f'content="{html.escape(value)}" />' for name, value in values]
    # The result shows the paper's card, as every list does.
    tags.append(card_meta_tag(app.builder, paper, search_docname(app.config)))
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags) + "\n"


def search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the paper search page, unless it would come out the same."""
    if app.builder.name not in HTML_BUILDERS or not proceedings_config(app.config).search:
        return
    if not publishes_papers(app):
        return
    listing = f"{proceedings_config(app.config).prefix}/index"
    pagename = search_docname(app.config)
    state = build_state(app.env)
    state.search_page_digest = _search_page_digest(app, listing)
    if state.search_page_digest and store.output_note(app, SEARCH_PAGE) == state.search_page_digest \
            and os.path.isfile(app.builder.get_outfilename(pagename)):
        return  # rendering the theme's page template costs a quarter second
    yield (pagename, {"title": "Search", "listing": listing}, "proceedings-search.html")


def _search_page_digest(app: Sphinx, listing: str) -> str:
    """What the search page is made with ("" when not known): what every author page
    is made with (theme, templates, settings, menus: author_pages.py, whose handler has
    run when this generator's body does), the data, and the pages it links to."""
    state = build_state(app.env)
    if state.author_digests is None or not state.author_digests[0]:
        return ""
    parts = [state.author_digests[0], state.fingerprint, listing,
             repr(sorted(name for name in ("search", listing) if name in app.env.all_docs))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def note_search_page(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: remember what the search page was written from."""
    digest = build_state(app.env).search_page_digest
    if exception is None and digest and app.builder.name in HTML_BUILDERS:
        store.note_output(app, SEARCH_PAGE, digest)


def add_templates(app: Sphinx, config: Any) -> None:
    """``config-inited``: our HTML templates, after the organizers' own."""
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


#: The note of what the search page was last written from (store.note_output).
SEARCH_PAGE = "search-page"
class search_link(nodes.paragraph):  # noqa: N801 - docutils node naming
    """A link to the paper search page; HTML only."""


class PaperSearchDirective(SphinxDirective):
    """A link to the paper search page (used by the papers page)."""

    def run(self) -> list[nodes.Node]:
        return [search_link("", classes=["proceedings-search-link"])]


def resolve_search_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: link relative to this page, or drop outside HTML."""
    for node in list(doctree.findall(search_link)):
        if app.builder.name not in HTML_BUILDERS or not proceedings_config(app.config).search:
            node.parent.remove(node)
            continue
        here = app.builder.get_target_uri(docname)
        target = app.builder.get_target_uri(search_docname(app.config))
        para = nodes.paragraph("", "", classes=node["classes"])
        para += nodes.reference("", "Search the papers", refuri=relative_uri(here, target))
        topic = "topic, " if build_state(app.env).model.topics else ""
        para += nodes.Text(" by title, author, abstract or keyword, with filters by "
                           f"{topic}presentation type and author.")
        node.replace_self(para)


def setup_search(app: Sphinx) -> None:
    app.add_directive("paper-search", PaperSearchDirective)
    app.add_node(search_link)
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", filter_tags)
    app.connect("html-collect-pages", search_page)
    app.connect("doctree-resolved", resolve_search_links)
    app.connect("build-finished", note_search_page)
