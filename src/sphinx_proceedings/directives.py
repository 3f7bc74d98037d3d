"""The ``{paper-list}`` directive: papers filtered by topic, presentation, author.

The list is rendered at read time from a Jinja template into MyST and parsed
in place, so it can use sphinx-design cards.  The query and a signature of
its result go into the domain data: when the result changes (a paper added,
a title edited) `incremental.py` marks this document for re-reading.
"""

from __future__ import annotations

import hashlib

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .citations import citation_links_node
from .model import PRESENTATIONS, Proceedings

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
        proc: Proceedings = domain.model  # type: ignore[attr-defined]
        topics = _names(self.options.get("topic"))
        presentations = [p.lower() for p in _names(self.options.get("presentation"))]
        problems = [f"unknown topic {t!r}" for t in topics if t not in proc.topic_by_slug]
        problems += [f"unknown presentation type {p!r} (use {', '.join(PRESENTATIONS)})"
                     for p in presentations if p not in PRESENTATIONS]
        author = self.options.get("author", "").strip()
        if author:
            from .authors import slug_for

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
        template = domain.templates.get_template("paper-list.md.jinja")  # type: ignore[attr-defined]
        text = template.render(papers=papers, style=query[3])
        container = nodes.container(classes=["proceedings-paper-list", f"proceedings-{query[3]}"])
        container += self.parse_text_to_nodes(text)
        result.append(container)
        return result


class CitationFilesDirective(SphinxDirective):
    """Links to a paper's citation files (with a key) or the whole volume's."""

    has_content = False
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].strip() if self.arguments else None
        proc: Proceedings = self.env.get_domain("proceedings").model  # type: ignore[attr-defined]
        if key is not None and key not in proc.by_key:
            return [self.state.document.reporter.warning(
                f"citation-files: unknown paper {key!r}", line=self.lineno)]
        return [citation_links_node(key)]
