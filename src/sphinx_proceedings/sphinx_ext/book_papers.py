"""Each paper as the printed book shows it: a header block, then the abstract.

The web page of a paper (paper.md.jinja) is made for browsing: author links,
badges, buttons, a numbered "Abstract" heading, a Cite block.  In the book
(`book.prune_for_print` calls `paper_for_print` on the assembled doctree) the
paper's section keeps its ids, so links and the indexes still land on it,
but its content becomes:

* a `paper_heading` (``\\proceedingspaper`` of proceedingsbook.cls): the title
  as Sphinx renders it (math included), one contents line with the authors
  below it, a bookmark and the running head's short title; no section number;
* the header, as plain document nodes the LaTeX writer escapes and the class
  styles (containers ``proceedings-paper-*``, roles ``proceedings-label`` and
  ``proceedings-caption``): authors with numbered affiliations when the entry
  has them, presentation type and award as labels, topics, keywords, and the
  forum and code links printed as short URLs (render/book_text.py);
* the abstract's body, without its heading.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from sphinx_proceedings.core.model import Paper, Proceedings
from sphinx_proceedings.core.text import plain_title
from sphinx_proceedings.render.book_text import byline, print_links, short_title
from sphinx_proceedings.sphinx_ext.rendering import render_tex

#: Sub-sections of a paper page that only make sense on the web.
WEB_ONLY_SECTIONS = {"cite", "related-papers"}
TOPIC_SEPARATOR = " · "


class paper_heading(nodes.Part, nodes.TextElement):  # noqa: N801 - docutils names nodes so
    """A paper's title in the book; ``bookmark``, ``head`` and ``authors`` are plain text."""


def visit_paper_heading(self, node: paper_heading) -> None:
    self.body.append(render_tex("paper-heading.tex.jinja", part="open",
                                bookmark=node["bookmark"], head=node["head"]))
    self.in_title = 1  # the writer's title mode: \protect'ed math, no \phantomsection


def depart_paper_heading(self, node: paper_heading) -> None:
    self.in_title = 0
    self.body.append(render_tex("paper-heading.tex.jinja", part="close"))
    self.body.append(self.hypertarget_to(node.parent))  # the section's labels, as for \section
    self.body.append(render_tex("paper-heading.tex.jinja", part="authors",
                                authors=node["authors"]))


def _skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def add_paper_nodes(app: Sphinx) -> None:
    """Register `paper_heading`; it exists only in LaTeX builds, other writers skip it."""
    app.add_node(paper_heading, override=True, latex=(visit_paper_heading, depart_paper_heading),
                 html=(_skip, None), text=(_skip, None), man=(_skip, None),
                 texinfo=(_skip, None))


def _line(cls: str, *children: nodes.Node) -> nodes.container:
    """One part of the header: a container the class styles, holding one paragraph."""
    return nodes.container("", nodes.paragraph("", "", *children), classes=[cls])


def _authors(paper: Paper) -> list[nodes.Node]:
    lines = byline(paper)
    names: list[nodes.Node] = []
    for position, (name, marks) in enumerate(lines.authors):
        if position:
            names.append(nodes.Text(", "))
        names.append(nodes.Text(name))
        if marks:
            names.append(nodes.superscript("", ",".join(str(m) for m in marks)))
    out: list[nodes.Node] = [_line("proceedings-paper-authors", *names)]
    if lines.affiliations:
        places: list[nodes.Node] = []
        for number, place in enumerate(lines.affiliations, start=1):
            if places:
                places.append(nodes.Text("; "))
            places += [nodes.superscript("", str(number)), nodes.Text(place)]
        out.append(_line("proceedings-paper-affiliations", *places))
    return out


def _caption(text: str) -> nodes.inline:
    return nodes.inline("", text, classes=["proceedings-caption"])


def _meta(paper: Paper, proc: Proceedings) -> list[nodes.Node]:
    """Labels and topics on one line; keywords; links."""
    first: list[nodes.Node] = [nodes.inline("", paper.presentation_label,
                                            classes=["proceedings-label"])]
    if paper.award.strip():
        first += [nodes.Text(" "), nodes.inline("", paper.award.strip(),
                                                 classes=["proceedings-label"])]
    topics = [proc.topic_by_slug[s].title for s in paper.topics if s in proc.topic_by_slug]
    if topics:
        first += [nodes.Text("\u2003"), _caption("Topics: "), nodes.Text(TOPIC_SEPARATOR.join(topics))]
    paragraphs = [nodes.paragraph("", "", *first)]
    if paper.keywords:
        paragraphs.append(nodes.paragraph("", "", _caption("Keywords: "),
                                          nodes.Text(", ".join(paper.keywords))))
    links: list[nodes.Node] = []
    for link in print_links(paper):
        if links:
            links.append(nodes.Text("\u2003"))
        links += [_caption(f"{link.label}: "),
                  nodes.reference("", link.shown, refuri=link.url)]
    if links:
        paragraphs.append(nodes.paragraph("", "", *links))
    return [nodes.container("", *paragraphs, classes=["proceedings-paper-meta"])]


def _abstract(section: nodes.section) -> list[nodes.Node]:
    """The body of the paper page's "Abstract" section, without its heading."""
    for sub in section.findall(nodes.section):
        if sub is not section and "abstract" in sub["ids"]:
            return [child for child in sub.children if not isinstance(child, nodes.title)]
    return []


def bookmark_text(title: nodes.title) -> str:
    """The title as the page shows it, with its math as Unicode (``∇``) where it can be."""
    shown = title.deepcopy()
    for math in list(shown.findall(nodes.math)):
        math.replace_self(nodes.Text(plain_title(f"${math.astext()}$")))
    return " ".join(shown.astext().split())


def paper_for_print(section: nodes.section, paper: Paper, proc: Proceedings,
                    index_tex: str, bookmark: str) -> None:
    """Rebuild the paper's section in place: heading, index entries, header, abstract.

    ``bookmark`` is the title as text (`bookmark_text`, taken before the
    title's math became TeX for the heading).
    """
    title = next((c for c in section.children if isinstance(c, nodes.title)), None)
    if title is None:
        return
    heading = paper_heading("", "", *title.children, bookmark=bookmark,
                            head=short_title(paper),
                            authors=", ".join(person.name for person in paper.authors))
    anchors = [c for c in section.children if isinstance(c, nodes.target)]
    abstract = _abstract(section)
    section.children = []
    section.extend([heading, *anchors, nodes.raw("", index_tex, format="latex"),
                    *_authors(paper), *_meta(paper, proc),
                    nodes.container("", *abstract, classes=["proceedings-paper-abstract"])])
