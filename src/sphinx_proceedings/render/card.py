"""The paper card: one look for a paper wherever a page lists it.

Listing, topic, author and home pages, related papers and search results all
show a paper the same way: title, authors, presentation badge, award, topics
as chips and its link buttons (and, on the papers page, the abstract to fold
out).  `card_for` gathers what a card shows with the addresses the caller
gives (relative to the page the card is on: the Sphinx glue knows them), and
`render_card` fills the template ``paper-card.html.jinja`` in, which a site
may override in ``_templates/proceedings/``.
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from sphinx_proceedings.core.model import Paper, Proceedings

#: Where the abstract's HTML goes in a rendered card (written there by the caller).
ABSTRACT_SLOT = "<!-- proceedings-card-abstract -->"
TEMPLATE = "paper-card.html.jinja"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Card:
    """What one card shows, every address ready to use on the page it is on."""

    key: str
    title: Link
    authors: tuple[Link, ...]
    presentation: str  # spotlight, oral, poster
    presentation_label: str
    award: str
    topics: tuple[Link, ...]
    buttons: tuple[Link, ...]


@dataclass(frozen=True)
class Addresses:
    """How the caller turns objects into addresses on its page ("" when it cannot)."""

    page: Callable[[str, str], str]  # (objtype, name) -> address of that page
    file: Callable[[Paper, Path], str]  # a paper's local attachment -> its published address


def paper_links(paper: Paper) -> list[tuple[str, str, bool]]:
    """``(label, target, is_local_file)`` for each link a paper page shows.

    Local files (``paper.pdf`` beside ``paper.bib``) win over URLs; local
    targets are absolute paths the generator makes relative.
    """
    links: list[tuple[str, str, bool]] = []
    for kind, label in (("pdf", "PDF"), ("poster", "Poster"), ("slides", "Slides")):
        local = paper.attachment(kind)
        if local is not None:
            links.append((label, str(local.path), True))
        elif getattr(paper, kind):
            links.append((label, getattr(paper, kind), False))
    forum = "OpenReview" if paper.openreview else "Forum"
    for kind, label in (("url", forum), ("code", "Code"), ("video", "Video")):
        if getattr(paper, kind):
            links.append((label, getattr(paper, kind), False))
    return links


def card_for(paper: Paper, proc: Proceedings, addresses: Addresses) -> Card:
    """The card of ``paper``, with addresses from ``addresses``."""
    page = addresses.page("paper", paper.key)
    authors = tuple(Link(proc.authors[p.slug].name if p.slug in proc.authors else p.name,
                         addresses.page("author", p.slug)) for p in paper.authors)
    topics = tuple(Link(proc.topic_by_slug[s].title, addresses.page("topic", s))
                   for s in paper.topics if s in proc.topic_by_slug)
    buttons = []
    for label, target, local in paper_links(paper):
        if local:
            url = addresses.file(paper, Path(target))
        elif "://" in target or not page:
            url = target
        else:  # a relative link of the entry: beside the paper's own page
            url = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        if url:
            buttons.append(Link(label, url))
    return Card(paper.key, Link(paper.plain_title, page), authors, paper.presentation,
                paper.presentation_label, paper.award, topics, tuple(buttons))


def card_signature(paper: Paper, with_abstract: bool) -> tuple:
    """What a card shows of a paper: when it changes, pages showing the card change."""
    shown = (*paper.display_signature, tuple(paper_links(paper)))
    if with_abstract:
        digest = hashlib.sha256((paper.abstract or "").encode("utf-8")).hexdigest()
        shown = (*shown, digest, paper.abstract_refused)
    return shown


def _folded(text: str) -> str:
    """Lower case without accents, as the listing's author filter compares names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def filter_data(paper: Paper, proc: Proceedings, topics: list[str]) -> dict[str, str]:
    """The ``data-*`` values the listing's filter and sort read from a card's item."""
    names = [proc.authors[p.slug].name if p.slug in proc.authors else p.name
             for p in paper.authors]
    first = paper.authors[0] if paper.authors else None
    return {
        "data-topics": " ".join(topics),
        "data-presentation": paper.presentation,
        "data-authors": _folded("; ".join(names)),
        "data-title": _folded(paper.plain_title),
        "data-first-author": _folded(" ".join(first.sort_key)) if first else "",
    }


def card_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """HTML templates (escaped): the site's ``_templates/proceedings`` first, then ours."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d / "proceedings")) for d in template_dirs]
    loaders.append(jinja2.PackageLoader("sphinx_proceedings.render", "templates/proceedings"))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True, auto_reload=False)


@cache
def _default_environment() -> jinja2.Environment:
    return card_environment(())


def render_card(card: Card, *, abstract: bool = False,
                environment: jinja2.Environment | None = None) -> str:
    """The card's HTML; with ``abstract``, `ABSTRACT_SLOT` marks where the abstract goes."""
    template = (environment or _default_environment()).get_template(TEMPLATE)
    return template.render(card=card, abstract=abstract, abstract_slot=ABSTRACT_SLOT).strip()
