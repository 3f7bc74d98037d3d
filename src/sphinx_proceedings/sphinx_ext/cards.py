"""Paper cards in the built pages (the card itself is render/card.py's).

A ``{paper-list}`` puts one empty `paper_card` node per paper into the page:
a list of 10,000 cards stays a small document to pickle and resolve.  On the
papers page it gets the abstract just before it is written
(card_abstracts.py).  HTML writes the card from the template and the current
data, with addresses relative to the page, and the abstract inside it; every
other builder (the PDF book) gets its plain form instead (`plain_cards`: the
title as a link and the authors).
Search results show the same card: each paper page carries it, addressed from
the search page, as Pagefind metadata (`card_meta_tag`).
"""

from __future__ import annotations

import html
import itertools
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri

from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.render.card import (
    ABSTRACT_SLOT,
    Addresses,
    Card,
    card_environment,
    card_for,
    render_card,
)
from sphinx_proceedings.sphinx_ext import written_cards
from sphinx_proceedings.sphinx_ext._workarounds import download_name
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.state import build_state


class paper_card(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """One paper's card: ``key``, the ``docname`` it is on, ``abstract`` whether it
    folds the abstract out (then, once resolved for HTML, its only child, class
    ``proceedings-card-abstract-text``)."""


def _abstract_of(node: paper_card) -> nodes.Element | None:
    return next((child for child in node.children if isinstance(child, nodes.Element)
                 and "proceedings-card-abstract-text" in child["classes"]), None)


def addresses(builder: Builder, fromdoc: str) -> Addresses:
    """Addresses of the site's objects and downloads as seen from ``fromdoc``."""
    env = builder.env
    objects = env.get_domain("proceedings").data["objects"]
    prefix = proceedings_config(env.config).prefix
    here = builder.get_target_uri(fromdoc)

    def page(objtype: str, name: str) -> str:
        found = objects.get((objtype, name))
        if not found:
            return ""
        # A card on its own topic's page links there too, like every other chip.
        return (builder.get_relative_uri(fromdoc, found[0])
                or posixpath.basename(builder.get_target_uri(found[0])) or "./")

    def file(paper: Paper, path: Path) -> str:
        found = download_name(env, f"{prefix}/papers/{paper.docname}", path)
        return relative_uri(here, f"_downloads/{found}") if found else ""

    return Addresses(page=page, file=file)


def card_of(builder: Builder, paper: Paper, fromdoc: str) -> Card:
    """What the card of ``paper`` shows on the page ``fromdoc``, its addresses included."""
    return card_for(paper, build_state(builder.env).model, addresses(builder, fromdoc))


def card_html(builder: Builder, paper: Paper, fromdoc: str, *, abstract: bool = False) -> str:
    """The card of ``paper`` as HTML for the page ``fromdoc``.

    Its addresses depend only on the page's folder, so a card is made once per
    folder and build (a paper shows on each of its authors' pages, all in one).
    """
    state = build_state(builder.env)
    folder = posixpath.dirname(builder.get_target_uri(fromdoc))
    key = (paper.key, folder, abstract)
    made = state.cards.get(key)
    if made is None:
        if state.card_templates is None:  # no papers read in this process (a parallel writer)
            state.card_templates = card_environment(())
        card = card_of(builder, paper, fromdoc)
        made = state.cards[key] = render_card(card, abstract=abstract,
                                              environment=state.card_templates)
    return made


def visit_paper_card(self: Any, node: paper_card) -> None:
    """HTML: the card from the template, the abstract's own HTML inside it (or the
    whole card as written last time: written_cards.py)."""
    if node.get(written_cards.HTML) is not None:
        self.body.append(node[written_cards.HTML])
        raise nodes.SkipNode
    paper = build_state(self.builder.env).model.by_key.get(node["key"])
    if paper is None:  # gone since the page was read: show what was read
        return
    abstract = _abstract_of(node)
    head, _, tail = card_html(self.builder, paper, node["docname"],
                              abstract=abstract is not None).partition(ABSTRACT_SLOT)
    start = len(self.body)
    self.body.append(head)
    if abstract is not None:
        abstract.walkabout(self)
    self.body.append(tail)
    if node.get(written_cards.DIGEST):  # kept for the next build
        node[written_cards.HTML] = "".join(self.body[start:])
    raise nodes.SkipNode


def depart_paper_card(self: Any, node: paper_card) -> None:
    pass


def _plain(builder: Builder, paper: Paper, docname: str) -> nodes.paragraph:
    """What a card shows in print: the title as a link to its page, and the authors."""
    env = builder.env
    title = nodes.inline("", "", nodes.inline("", paper.plain_title),
                         classes=["xref", "proceedings", "proceedings-paper"])
    found = env.get_domain("proceedings").data["objects"].get(("paper", paper.key))
    link = make_refnode(builder, docname, found[0], "", title, found[1]) if found else title
    names = ", ".join(person.name for person in paper.authors)
    # A line break as MyST writes one (``\`` at the end of a line).
    return nodes.paragraph("", "", link, nodes.raw("", "<br />\n", format="html"),
                           nodes.raw("", "\\\\\n", format="latex"), nodes.Text(names))


def plain_cards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, other builders than HTML: each card becomes its plain form."""
    if app.builder.format == "html":
        return
    model = build_state(app.env).model
    for card in list(doctree.findall(paper_card)):
        paper = model.by_key.get(card["key"])
        if paper is None:  # gone since the page was read
            card.parent.remove(card)
        else:
            card.replace_self(_plain(app.builder, paper, docname))


#: Cards per page that carry their plain form in HTML too (`DescribedCards`).
DESCRIBED = 5


class DescribedCards(SphinxPostTransform):
    """HTML: the first cards of a page hold their plain form, unwritten (the card
    template writes the card), for what reads a page's text from its doctree:
    sphinxext-opengraph's description of a topic page names its first papers."""

    default_priority = 6  # after the abstracts (card_abstracts.py), before other transforms
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        model = build_state(self.env).model
        cards = (card for card in self.document.findall(paper_card)
                 if card["key"] in model.by_key)
        for card in itertools.islice(cards, DESCRIBED):
            card.insert(0, _plain(self.app.builder, model.by_key[card["key"]], card["docname"]))


def card_meta_tag(builder: Builder, paper: Paper, search_page: str) -> str:
    """A head tag holding the card, addressed from the search page, for Pagefind."""
    card = card_html(builder, paper, search_page)
    return (f'<meta name="proceedings-card" data-pagefind-meta="card[content]" '
            f'content="{html.escape(card)}" />')


def cards_in_heads(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: when the templates changed, every paper page is written
    again, for the card its head carries (pages with lists are written again
    by incremental.py: the digest is part of what their cards show)."""
    data = env.get_domain("proceedings").data
    digest = build_state(env).templates_digest
    if data.get("card-templates") == digest:
        return []
    data["card-templates"] = digest
    return sorted({docname for (objtype, _), (docname, _, _) in data["objects"].items()
                   if objtype == "paper"})


def setup_cards(app: Sphinx) -> None:
    app.add_node(paper_card, html=(visit_paper_card, depart_paper_card))
    app.add_post_transform(DescribedCards)
    # Before print_pages.py and latex.py look at the lists (priority 500).
    app.connect("doctree-resolved", plain_cards, priority=400)
    app.connect("env-get-updated", cards_in_heads)
