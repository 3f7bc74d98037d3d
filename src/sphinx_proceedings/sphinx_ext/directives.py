"""The ``{paper-list}`` directive (papers as cards) and the papers page's filter.

A list is built as nodes at read time: per paper, an empty `cards.paper_card`
naming it, written from the card template and the current data at write time
(other builders than HTML get its plain form there: cards.py).  The query and two
signatures go into the domain data: of which papers it lists (when that
changes, a paper added or a topic edited, `incremental.py` marks the document
for re-reading) and of what their cards show (a title, a link or an abstract
edited: the document is only written again).
"""

from __future__ import annotations

import hashlib
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from sphinx_proceedings.core.model import PRESENTATION_LABELS, PRESENTATIONS, Paper, Proceedings
from sphinx_proceedings.core.text import slug_for
from sphinx_proceedings.render.card import card_signature, filter_data
from sphinx_proceedings.sphinx_ext.cards import paper_card
from sphinx_proceedings.sphinx_ext.citations import citation_links_node
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.rendering import render_html
from sphinx_proceedings.sphinx_ext.state import build_state


def _names(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip()]


def run_query(proc: Proceedings, query: tuple, templates: str) -> tuple[list, str, str]:
    """Papers matching a stored query and two signatures: of which papers it
    lists (the page is read again when it changes), and of what their cards
    show, in which order (``templates``: the templates' digest is part of it;
    the page is only written again when it changes: cards are written from the
    data, in the current order, see `CurrentOrder`)."""
    topics, presentations, author, keys, abstracts = query
    if keys:
        papers = [proc.by_key[k] for k in keys if k in proc.by_key]
    else:
        papers = proc.select(list(topics), list(presentations), author or None)
    which = repr(sorted(p.key for p in papers))
    shown = repr([(p.key, card_signature(p, abstracts)) for p in papers]) + templates
    return (papers, hashlib.sha256(which.encode()).hexdigest(),
            hashlib.sha256(shown.encode()).hexdigest())


class PaperListDirective(SphinxDirective):
    """Papers matching every given filter (or the ``papers`` named), as cards.

    ``abstracts`` folds each paper's abstract into its card (the papers page).
    """

    has_content = False
    option_spec = {
        "topic": directives.unchanged,
        "presentation": directives.unchanged,
        "author": directives.unchanged,
        "papers": directives.unchanged,
        "abstracts": directives.flag,
    }

    def _query(self, proc: Proceedings) -> tuple[tuple, list[str]]:
        """The query the options ask for, and what is wrong with them."""
        topics = _names(self.options.get("topic"))
        presentations = [p.lower() for p in _names(self.options.get("presentation"))]
        keys = _names(self.options.get("papers"))
        problems = [f"unknown topic {t!r}" for t in topics if t not in proc.topic_by_slug]
        problems += [f"unknown presentation type {p!r} (use {', '.join(PRESENTATIONS)})"
                     for p in presentations if p not in PRESENTATIONS]
        problems += [f"unknown paper {k!r}" for k in keys if k not in proc.by_key]
        author = self.options.get("author", "").strip()
        if author:
            author = author if author in proc.authors else slug_for(author)
            if author not in proc.authors:
                problems.append(f"unknown author {self.options['author']!r}")
        query = (tuple(topics), tuple(presentations), author, tuple(keys),
                 "abstracts" in self.options)
        return query, problems

    def run(self) -> list[nodes.Node]:
        state = build_state(self.env)
        proc = state.model
        query, problems = self._query(proc)
        result: list[nodes.Node] = [
            self.state.document.reporter.warning(f"paper-list: {p}", line=self.lineno)
            for p in problems
        ]
        result += paper_list_nodes(self.env, self.env.current_document.docname, query=query)
        return result


def paper_list_nodes(env: BuildEnvironment, docname: str, keys: tuple[str, ...] = (),
                     query: tuple | None = None) -> list[nodes.Node]:
    """What a ``{paper-list}`` shows (``query``, or just ``:papers: keys``), noted
    in the domain data so the page is read or written again when that changes.

    With ``abstracts`` in the query, each card is marked to get its abstract
    when written (card_abstracts.py)."""
    state = build_state(env)
    proc = state.model
    if query is None:
        query = ((), (), "", tuple(keys), False)
    papers, which, shown = run_query(proc, query, state.templates_digest)
    env.get_domain("proceedings").data["lists"].setdefault(docname, []).append(
        (query, which, shown))
    if not papers:
        return [nodes.paragraph("", "No paper matches.", classes=["proceedings-empty"])]
    container = nodes.container(classes=["proceedings-paper-list"])
    container += _cards(papers, docname, abstracts=query[4], keys=query[3])
    return [container]


class paper_item(nodes.list_item):  # noqa: N801 - docutils node naming
    """A list item that carries what the listing filters and sorts by.

    HTML writes ``data-*`` attributes for the paper ``key``; other builders
    treat it as a plain list item.
    """


class paper_filter(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """The listing's filter form; HTML only, shown by the filter script."""


def topic_closure(proc: Proceedings, slugs: tuple[str, ...]) -> list[str]:
    """The topics and all their ancestors: a broad topic's filter shows narrower ones."""
    found: dict[str, None] = {}
    for slug in slugs:
        current: str | None = slug
        while current and current not in found and current in proc.topic_by_slug:
            found[current] = None
            current = proc.topic_by_slug[current].parent
    return sorted(found)


def _cards(papers: list[Paper], docname: str, abstracts: bool,
           keys: tuple[str, ...]) -> nodes.bullet_list:
    """One filterable item per paper, holding its card (built as nodes: no nested parse);
    a query's papers (no ``keys``) in listing order, which `CurrentOrder` keeps."""
    items = nodes.bullet_list(classes=["proceedings-cards"], in_listing_order=not keys)
    for paper in papers:
        card = paper_card("", key=paper.key, docname=docname, abstract=abstracts)
        items += paper_item("", card, classes=["proceedings-paper-item"], key=paper.key)
    return items


def visit_paper_item(self: Any, node: paper_item) -> None:
    """The item with the ``data-*`` the filter reads, from the current data (a
    title edit writes the page again without reading it)."""
    proc = build_state(self.builder.env).model
    paper = proc.by_key.get(node["key"])
    data = filter_data(paper, proc, topic_closure(proc, paper.topics)) if paper else {}
    self.body.append(self.starttag(node, "li", "", **data))


def depart_paper_item(self: Any, node: paper_item) -> None:
    self.body.append("</li>\n")


def visit_paper_filter(self: Any, node: paper_filter) -> None:
    """The form (``templates/html/paper-filter.html.jinja``), hidden until the script wires it up."""
    self.body.append(render_html("paper-filter.html.jinja", topics=node["topics"],
                                 presentations=node["presentations"],
                                 authors=node["authors"]))
    raise nodes.SkipNode


def _tree_order(proc: Proceedings, slugs: list[str]) -> list[tuple[str, int]]:
    """``slugs`` with their depth, each narrower topic right under its broader one."""
    wanted = [s for s in slugs if s in proc.topic_by_slug]
    ordered: list[tuple[str, int]] = []

    def visit(slug: str, depth: int) -> None:
        if any(slug == seen for seen, _ in ordered) or depth > 10:
            return
        ordered.append((slug, depth))
        for child in wanted:
            if proc.topic_by_slug[child].parent == slug:
                visit(child, depth + 1)

    for slug in wanted:
        if proc.topic_by_slug[slug].parent not in wanted:
            visit(slug, 0)
    ordered += [(s, 0) for s in wanted if all(s != seen for seen, _ in ordered)]  # cycles
    return ordered


class PaperFilterDirective(SphinxDirective):
    """Filter form for the paper lists of a page: topic, presentation type, author, sort.

    Its content names the topics offered, one ``slug parent title`` line
    each, written by the template: when the vocabulary changes, the page's
    text changes and Sphinx re-reads it.  A narrower topic is indented under
    its broader one, whose count includes it.
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        proc = build_state(self.env).model
        slugs = [line.split()[0] for line in self.content if line.strip()]
        show_empty = proceedings_config(self.config).empty_topics
        node = paper_filter()
        node["topics"] = []
        for slug, depth in _tree_order(proc, slugs):
            count = len(proc.papers_for_topic(slug))
            if count or show_empty:
                title = proc.topic_by_slug[slug].title
                node["topics"].append((slug, "\u2003" * depth + f"{title} ({count})"))
        node["presentations"] = [(kind, f"{PRESENTATION_LABELS[kind]} ({n})")
                                 for kind, n in proc.counts().items()]
        node["authors"] = [author.name for author in proc.authors.values()]
        return [node]


def drop_html_only(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: the filter form means nothing outside HTML."""
    if app.builder.format != "html":
        for node in list(doctree.findall(paper_filter)):
            node.parent.remove(node)


class CitationFilesDirective(SphinxDirective):
    """Links to a paper's citation files (with a key) or the whole volume's."""

    has_content = False
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].strip() if self.arguments else None
        proc = build_state(self.env).model
        if key is not None and key not in proc.by_key:
            return [self.state.document.reporter.warning(
                f"citation-files: unknown paper {key!r}", line=self.lineno)]
        return [citation_links_node(key)]


class CurrentOrder(SphinxPostTransform):
    """A query's cards in the current listing order (by presentation, then title).

    A title edit can move a paper in that order; the page is then only written
    again (incremental.py), its cards put in order here."""

    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        lists = [n for n in self.document.findall(nodes.bullet_list) if n.get("in_listing_order")]
        if not lists:
            return
        position = build_state(self.env).listing_positions()
        for items in lists:
            ordered = sorted(items.children, key=lambda item: position.get(item.get("key"), -1))
            if ordered != items.children:
                items.children = []
                items.extend(ordered)


def setup_directives(app: Sphinx) -> None:
    app.add_post_transform(CurrentOrder)
    app.add_directive("paper-list", PaperListDirective)
    app.add_directive("paper-filter", PaperFilterDirective)
    app.add_directive("citation-files", CitationFilesDirective)
    app.add_node(paper_item, html=(visit_paper_item, depart_paper_item))
    app.add_node(paper_filter, html=(visit_paper_filter, None))
    app.connect("doctree-resolved", drop_html_only)
