"""An author's page as HTML, from the model: no MyST, no docutils, no reader.

Author pages are about 70 % of a site's pages and are nothing but a heading,
a count, the author's paper cards and links to their co-authors.  Parsing
such a page costs Sphinx about as much as a paper page (issue 15), so the
Sphinx glue (sphinx_ext/author_pages.py) writes them through the theme's page
template instead, with the body from ``author.html.jinja`` (a site may
override it in ``_templates/proceedings/``) and the "On this page" list from
``page-toc.html.jinja``.  Addresses come ready from the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from sphinx_proceedings.core.model import Author
from sphinx_proceedings.render.card import Link

TEMPLATE, TOC_TEMPLATE = "author.html.jinja", "page-toc.html.jinja"
#: The section an author page has when they have co-authors: ``(id, title)``.
COAUTHORS = ("co-authors", "Co-authors")


@dataclass(frozen=True)
class CardItem:
    """One paper card as a list shows it: its HTML and the filter's ``data-*`` values."""

    card: str
    data: Mapping[str, str]


def author_body(environment: jinja2.Environment, author: Author, cards: Sequence[CardItem],
                coauthors: Sequence[Link]) -> str:
    """The page's article: heading, count, cards, co-authors."""
    items = [CardItem(Markup(item.card), item.data) for item in cards]  # noqa: S704 - the card template's own escaped output
    return environment.get_template(TEMPLATE).render(
        author=author, papers=len(cards), cards=items, coauthors=coauthors)


def author_toc(environment: jinja2.Environment, author: Author, has_coauthors: bool) -> str:
    """The page's table of contents in the form the theme reads from Sphinx."""
    sections = [COAUTHORS] if has_coauthors else []
    return environment.get_template(TOC_TEMPLATE).render(title=author.name, sections=sections)
