"""The ``{paper-list}`` directive: papers filtered by topic, presentation, author.

The list is rendered at read time from a Jinja template into MyST and parsed
in place, so it can use sphinx-design cards.  The query and a signature of
its result go into the domain data: when the result changes (a paper added,
a title edited) `incremental.py` marks this document for re-reading.
"""

from __future__ import annotations

import hashlib
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from sphinx_proceedings.core.model import PRESENTATION_LABELS, PRESENTATIONS, Proceedings
from sphinx_proceedings.sphinx_ext.citations import citation_links_node
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.rendering import render_html
from sphinx_proceedings.sphinx_ext.state import build_state

STYLES = ("list", "cards")


def _names(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip()]


def run_query(proc: Proceedings, query: tuple) -> tuple[list, str]:
    """Papers matching a stored query, and a signature of what a list shows."""
    topics, presentations, author, style = query
    papers = proc.select(list(topics), list(presentations), author or None)
    text = repr([(p.key, p.display_signature) for p in papers]) + style
    return papers, hashlib.sha256(text.encode()).hexdigest()


class PaperListDirective(SphinxDirective):
    """List papers (as a list or as cards) matching every given filter."""

    has_content = False
    option_spec = {
        "topic": directives.unchanged,
        "presentation": directives.unchanged,
        "author": directives.unchanged,
        "style": lambda value: directives.choice(value, STYLES),
    }

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("proceedings")
        state = build_state(self.env)
        proc = state.model
        topics = _names(self.options.get("topic"))
        presentations = [p.lower() for p in _names(self.options.get("presentation"))]
        problems = [f"unknown topic {t!r}" for t in topics if t not in proc.topic_by_slug]
        problems += [f"unknown presentation type {p!r} (use {', '.join(PRESENTATIONS)})"
                     for p in presentations if p not in PRESENTATIONS]
        author = self.options.get("author", "").strip()
        if author:
            from sphinx_proceedings.core.text import slug_for

            author = author if author in proc.authors else slug_for(author)
            if author not in proc.authors:
                problems.append(f"unknown author {self.options['author']!r}")
        result: list[nodes.Node] = [
            self.state.document.reporter.warning(f"paper-list: {p}", line=self.lineno)
            for p in problems
        ]
        query = (tuple(topics), tuple(presentations), author, self.options.get("style", "list"))
        papers, sig = run_query(proc, query)
        docname = self.env.current_document.docname
        domain.data["lists"].setdefault(docname, []).append((query, sig))
        if not papers:
            result.append(nodes.paragraph("", "No paper matches.", classes=["proceedings-empty"]))
            return result
        assert state.templates is not None  # set at builder-inited (generate.py)
        template = state.templates.get_template("paper-list.md.jinja")
        text = template.render(papers=papers, style=query[3])
        container = nodes.container(classes=["proceedings-paper-list", f"proceedings-{query[3]}"])
        container += self.parse_text_to_nodes(text)
        if query[3] == "list":
            _mark_items(container, papers, proc)
        result.append(container)
        return result


class paper_item(nodes.list_item):  # noqa: N801 - docutils node naming
    """A list item that knows its paper's topics and presentation type.

    HTML writes them as ``data-topics`` and ``data-presentation`` for the
    listing filter; other builders treat it as a plain list item.
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


def _mark_items(container: nodes.Element, papers: list, proc: Proceedings) -> None:
    lists = list(container.findall(nodes.bullet_list))
    if not lists or len(lists[0].children) != len(papers):
        return
    for item, paper in zip(list(lists[0].children), papers, strict=True):
        marked = paper_item("", *item.children, classes=["proceedings-paper-item"])
        marked["data_topics"] = " ".join(topic_closure(proc, paper.topics))
        marked["data_presentation"] = paper.presentation
        item.replace_self(marked)


def visit_paper_item(self: Any, node: paper_item) -> None:
    attributes = {"data-topics": node["data_topics"], "data-presentation": node["data_presentation"]}
    self.body.append(self.starttag(node, "li", "", **attributes))


def depart_paper_item(self: Any, node: paper_item) -> None:
    self.body.append("</li>\n")


def visit_paper_filter(self: Any, node: paper_filter) -> None:
    """The form (``templates/html/paper-filter.html.jinja``), hidden until the script wires it up."""
    self.body.append(render_html("paper-filter.html.jinja", topics=node["topics"],
                                 presentations=node["presentations"]))
    raise nodes.SkipNode


class PaperFilterDirective(SphinxDirective):
    """Filter form for the paper lists of a page, by topic and presentation type.

    Its content names the topics offered, one ``slug parent title`` line
    each, written by the template: when the vocabulary changes, the page's
    text changes and Sphinx re-reads it.
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        proc = build_state(self.env).model
        slugs = [line.split()[0] for line in self.content if line.strip()]
        counts = {s: len(proc.papers_for_topic(s)) for s in slugs if s in proc.topic_by_slug}
        node = paper_filter()
        show_empty = proceedings_config(self.config).empty_topics
        node["topics"] = [(s, f"{proc.topic_by_slug[s].title} ({n})")
                          for s, n in counts.items() if n or show_empty]
        node["presentations"] = [(kind, f"{PRESENTATION_LABELS[kind]} ({n})")
                                 for kind, n in proc.counts().items()]
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


def setup_directives(app: Sphinx) -> None:
    app.add_directive("paper-list", PaperListDirective)
    app.add_directive("paper-filter", PaperFilterDirective)
    app.add_directive("citation-files", CitationFilesDirective)
    app.add_node(paper_item, html=(visit_paper_item, depart_paper_item))
    app.add_node(paper_filter, html=(visit_paper_filter, None))
    app.connect("doctree-resolved", drop_html_only)
