"""Paper pages built from the model: a parser for the generated ``.paper`` stubs.

Each paper page stays a Sphinx document (toctrees, prev/next, incremental and
parallel builds and the theme work as for any page), but its source is a stub
of three lines (`pages.paper_stub`): the paper's key and a digest of what the
page shows.  Sphinx re-reads the page when the stub's bytes change; this
parser then builds the doctree straight from the `Proceedings`, the same nodes
MyST made of the old ``paper.md.jinja`` text.  Only the abstract, which is
MyST, is parsed, by MyST-Parser into this document, with its nodes and
messages naming the abstract's own file and lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from markdown_it.common.normalize_url import normalizeLink
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.parsers import Parser
from sphinx.util import logging
from sphinx_design.badges_buttons import sd_badge

from sphinx_proceedings.core.model import Paper, Proceedings
from sphinx_proceedings.render.inline_nodes import inline_nodes
from sphinx_proceedings.render.markup import clean_text
from sphinx_proceedings.render.pages import BADGE_COLOURS, ROLE_SAFE, PaperView, paper_view, stub_key
from sphinx_proceedings.render.schedule import Slot, paper_slots
from sphinx_proceedings.sphinx_ext.citations import citation_links_node
from sphinx_proceedings.sphinx_ext.directives import paper_list_nodes
from sphinx_proceedings.sphinx_ext.domain import declare
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)
#: The source suffix of the stubs and the file type Sphinx knows them by.
SUFFIX, FILETYPE = ".paper", "proceedings-paper"
_slots: dict[int, tuple[Proceedings, dict[str, list[Slot]]]] = {}


class PaperPageParser(Parser):
    """Reads a ``.paper`` stub: the page of the paper it names, as nodes."""

    supported = (FILETYPE,)

    def get_transforms(self) -> list:
        # The abstract is MyST: the transforms MyST's own documents get.
        return MystParser().get_transforms()

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env: BuildEnvironment = document.settings.env
        _myst_settings(document, env)
        key = stub_key(inputstring)
        state = build_state(env)
        proc, settings = state.model, state.page_settings
        paper = proc.by_key.get(key or "")
        if paper is None or settings is None:
            document.reporter.warning(f"unknown paper {key!r}", line=1)
            return
        view = paper_view(proc, paper, settings, Path(env.srcdir), _slots_of(proc))
        PageBuilder(env, document, view, settings.papers_dir.parent).build()


#: Settings MyST's transforms read, which its renderer sets while parsing: set
#: here too, for the pages whose abstract is not parsed (none, or a forum link).
_MYST_SETTINGS = (("myst_footnote_sort", "footnote_sort", True),
                  ("myst_footnote_transition", "footnote_transition", True),
                  ("myst_heading_anchors_html_ids", "heading_anchors_html_ids", False))


def _myst_settings(document: nodes.document, env: BuildEnvironment) -> None:
    config = getattr(env, "myst_config", None)
    for name, attribute, default in _MYST_SETTINGS:
        if not hasattr(document.settings, name):
            setattr(document.settings, name, getattr(config, attribute, default))


def _slots_of(proc: Proceedings) -> dict[str, list[Slot]]:
    """Every paper's slots in the schedule, worked out once per model."""
    cached = _slots.get(id(proc))
    if cached is None or cached[0] is not proc:
        _slots.clear()
        cached = _slots[id(proc)] = (proc, paper_slots(proc.schedule, proc.by_key))
    return cached[1]


def _div(cls: str, *children: nodes.Node) -> nodes.container:
    """What MyST's ``{div} cls`` directive makes."""
    return nodes.container("", *children, is_div=True, design_component="div", classes=[cls])


class PageBuilder:
    """The nodes of one paper page, in the order paper.md.jinja wrote them."""

    def __init__(self, env: BuildEnvironment, document: nodes.document, view: PaperView,
                 root: Path) -> None:
        self.env, self.document, self.view = env, document, view
        self.root = root  # what the model's paths are relative to
        self.paper: Paper = view.paper
        self.docname = env.current_document.docname

    def path(self, path: Path) -> str:
        """A path of the model (relative to the project, for messages) as an absolute one."""
        return str(path if path.is_absolute() else self.root / path)

    def xref(self, objtype: str, target: str) -> addnodes.pending_xref:
        """A ``{paper}``, ``{topic}`` or ``{author}`` link, as `ProceedingsXRefRole` makes it."""
        inner = nodes.inline(target, target, classes=["xref", "proceedings", f"proceedings-{objtype}"])
        return addnodes.pending_xref(target, inner, refdoc=self.docname, refdomain="proceedings",
                                     reftype=objtype, refexplicit=False, refwarn=True,
                                     reftarget=target)

    def section(self, title: list[nodes.Node], parent: nodes.Element,
                classes: tuple[str, ...] = ()) -> nodes.section:
        """A section whose name and id come from its title, as MyST's headings."""
        section = nodes.section(classes=list(classes))
        heading = nodes.title("", "", *title)
        section += heading
        # Sphinx names a node's file as an absolute path: the paper's entry.
        section.source, section.line = self.path(self.paper.source.path), self.paper.source.line
        section["names"] = [nodes.fully_normalize_name(heading.astext())]
        self.document.note_implicit_target(section, section)
        parent += section
        return section

    def build(self) -> None:
        paper, view = self.paper, self.view
        config = self.env.config
        mathjax = ("dollarmath" in (config.myst_enable_extensions or [])
                   and config.myst_update_mathjax)
        page = self.section(inline_nodes(paper.title_tree), self.document,
                            ("tex2jax_ignore", "mathjax_ignore") if mathjax else ())
        declare(self.env, "paper", paper.key, self.docname, page)
        page += self.authors()
        page += self.tags()
        if view.slots:
            page += self.slots()
        if paper.keywords:
            page += _div("proceedings-keywords", nodes.paragraph(
                "", "", nodes.strong("Keywords:", "Keywords:"),
                nodes.Text(" " + ", ".join(clean_text(k) for k in paper.keywords))))
        if view.links:
            page += self.links()
        if view.thumbnail:
            page += nodes.image("", uri=view.thumbnail, alt=clean_text(paper.plain_title),
                                width="480px", classes=["proceedings-thumbnail"])
        abstract = self.section([nodes.Text("Abstract")], page)
        last = self.section([nodes.Text("Cite")], page)
        last += citation_links_node(paper.key)
        last += nodes.literal_block(view.bibtex, view.bibtex, language="bibtex", force=False,
                                    highlight_args={})
        if view.related:
            last = self.section([nodes.Text("Related papers")], page)
            last += paper_list_nodes(self.env, self.docname, view.related)
        if view.previous or view.next:
            last += self.prev_next()
        # Last, as MyST rendered the page from top to bottom: whatever the abstract
        # adds at the document's end (footnotes) stays at the end.
        abstract += self.abstract()

    def authors(self) -> nodes.container:
        para = nodes.paragraph()
        for index, person in enumerate(self.paper.authors):
            if index:
                para += nodes.Text(", ")
            para += self.xref("author", person.slug)
        return _div("proceedings-authors", para)

    def tags(self) -> nodes.container:
        paper = self.paper
        colour = BADGE_COLOURS[paper.presentation]
        para = nodes.paragraph("", "", _badge(colour, paper.presentation_label))
        if paper.award:
            para += [nodes.Text(" "), _badge("warning", clean_text(paper.award))]
        for slug in paper.topics:
            para += [nodes.Text(" "), self.xref("topic", slug)]
        return _div("proceedings-tags", para)

    def slots(self) -> nodes.container:
        para = nodes.paragraph()
        for index, slot in enumerate(self.view.slots):
            if index:  # a hard line break, as MyST makes one
                para += [nodes.raw("", "<br />\n", format="html"),
                         nodes.raw("", "\\\\\n", format="latex")]
            text = clean_text(f"{clean_text(slot.kind).translate(ROLE_SAFE)}: {slot.when}")
            inner = nodes.inline(text, text, classes=["xref", "std", "std-ref"])
            para += addnodes.pending_xref("", inner, refdoc=self.docname, refdomain="std",
                                          reftype="ref", refexplicit=True, refwarn=True,
                                          reftarget=slot.label.lower())
            if slot.zone:
                para += nodes.Text(f" ({slot.zone})")
            if slot.board:
                para += nodes.Text(f", board {clean_text(slot.board)}")
        return _div("proceedings-slots", para)

    def links(self) -> nodes.container:
        para = nodes.paragraph()
        for index, (label, target, local) in enumerate(self.view.links):
            if index:
                para += nodes.Text(" ")
            if local:
                inner = nodes.literal(label, label, classes=["xref", "download"])
                para += addnodes.download_reference("", "", inner, refdoc=self.docname,
                                                    refdomain="", reftype="download",
                                                    refexplicit=True, refwarn=False,
                                                    reftarget=target)
            else:
                para += nodes.reference("", label, refuri=normalizeLink(target),
                                        classes=["sd-btn", "sd-btn-outline-primary", "sd-btn-sm"])
        return _div("proceedings-links", para)

    def prev_next(self) -> nodes.container:
        box = _div("proceedings-prev-next")
        if self.view.previous:
            box += nodes.paragraph("", "", nodes.Text("← Previous: "),
                                   self.xref("paper", self.view.previous),
                                   classes=["proceedings-previous"])
        if self.view.next:
            box += nodes.paragraph("", "", nodes.Text("Next: "),
                                   self.xref("paper", self.view.next), nodes.Text(" →"),
                                   classes=["proceedings-next"])
        return box

    def abstract(self) -> list[nodes.Node]:
        paper, view = self.paper, self.view
        if view.abstract is not None:
            return [_div("proceedings-abstract", *self.parse_abstract(view.abstract))]
        if not paper.url:
            return [nodes.paragraph("", "No abstract is available for this paper.")]
        if paper.openreview:
            words = [nodes.Text("The abstract of this paper is on "),
                     nodes.reference("", "OpenReview", refuri=normalizeLink(paper.url))]
        else:
            words = [nodes.Text("The abstract of this paper is on its "),
                     nodes.reference("", "forum page", refuri=normalizeLink(paper.url))]
        return [nodes.paragraph("", "", *words, nodes.Text("."))]

    def parse_abstract(self, text: str) -> list[nodes.Node]:
        """The abstract's MyST parsed into this document; its nodes, taken out of it.

        Blank lines in front put its first line at the line it starts at in its
        file, and the document's source is the abstract's file while MyST
        reads it: MyST's own messages and every node then name the file and
        line the organizer edits.
        """
        where = self.paper.abstract_source
        line = where.line if where and where.line else 1
        blank = max(line - 1, 1 if text.lstrip("\n").startswith(("---", "+++")) else 0)
        document, before = self.document, len(self.document.children)
        source, reporter_source = document.get("source"), document.reporter.source
        if where is not None:
            document["source"] = document.reporter.source = self.path(where.path)
        try:
            MystParser().parse("\n" * blank + text, document)
        finally:
            document["source"], document.reporter.source = source, reporter_source
        made = document.children[before:]
        del document.children[before:]
        at_end = (nodes.footnote, nodes.substitution_definition)  # where MyST put them
        document.extend([n for n in made if isinstance(n, at_end)])
        return [n for n in made if not isinstance(n, at_end)]


def _badge(colour: str, text: str) -> sd_badge:
    """A sphinx-design ``{bdg-COLOUR}`` badge."""
    return sd_badge(text, text, classes=["sd-sphinx-override", "sd-badge", f"sd-bg-{colour}",
                                         f"sd-bg-text-{colour}"])


def hide_stub_source(app: Sphinx, pagename: str, templatename: str,
                     context: dict[str, Any], doctree: nodes.document | None) -> None:
    """``html-page-context``: no "Show source" link to (or copy of) a paper's stub.

    The stub means nothing to a reader; the page's inputs are in ``papers/``.
    """
    if doctree is not None and context.get("sourcename") \
            and Path(app.env.doc2path(pagename)).suffix == SUFFIX:
        context["sourcename"] = ""


def setup_paper_page(app: Sphinx) -> dict[str, Any]:
    app.add_source_suffix(SUFFIX, FILETYPE)
    app.add_source_parser(PaperPageParser)
    app.connect("html-page-context", hide_stub_source)
    return {}
