"""What a paper's header in the printed book says, as plain data (no Sphinx, no TeX).

The PDF book opens each paper with a header block (sphinx_ext/book_papers.py
turns it into document nodes for Sphinx's LaTeX writer): the running head's
short title, the authors with numbered affiliations when the entry has them,
and the web links printed as short URLs a reader can type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bibtexparser.middlewares.names import split_multiple_persons_names

from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.core.text import to_unicode

#: Longest running-head title before it is cut at a word.
SHORT_TITLE_LENGTH = 60
#: Longest printed URL before its path is shortened with "…".
SHORT_URL_LENGTH = 52
#: BibTeX fields read for affiliations (one per author, "and"-separated like names).
AFFILIATION_FIELDS = ("affiliations", "affiliation")


def short_title(paper: Paper) -> str:
    """The paper's title in the running head.

    The entry's ``shorttitle`` (biblatex's field) when it has one; else the
    part before a colon ("SayPlan: Grounding ..." is "SayPlan"); else the
    title, cut after a whole word with "…" when it is long.
    """
    given = to_unicode(dict(paper.extra).get("shorttitle", "")).strip()
    if given:
        return given
    title = paper.plain_title
    head, colon, _rest = title.partition(":")
    if colon and 3 <= len(head.strip()) <= SHORT_TITLE_LENGTH:
        return head.strip()
    if len(title) <= SHORT_TITLE_LENGTH:
        return title
    cut = title[:SHORT_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def short_url(url: str) -> str:
    """A URL as printed: no scheme, no ``www.``, no trailing slash, long paths cut."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip()
    host = parts.netloc.removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    shown = host + rest
    if len(shown) <= SHORT_URL_LENGTH:
        return shown
    last = rest.rstrip("/").rsplit("/", 1)[-1]
    if len(host) + len(last) + 3 <= SHORT_URL_LENGTH:
        return f"{host}/…/{last}"
    return shown[:SHORT_URL_LENGTH - 1] + "…"


@dataclass(frozen=True)
class PrintLink:
    label: str
    url: str
    shown: str


def print_links(paper: Paper) -> list[PrintLink]:
    """Links worth printing: the forum page, code and video (web addresses only).

    A PDF link is left out when it is the forum's own PDF (a reader finds it
    from the forum page); local files have no address to print.
    """
    forum = "OpenReview" if paper.openreview else "Forum"
    links = []
    for kind, label in (("url", forum), ("code", "Code"), ("video", "Video"),
                        ("poster", "Poster"), ("slides", "Slides")):
        value = str(getattr(paper, kind) or "").strip()
        if value.startswith(("https://", "http://")) and paper.attachment(kind) is None:
            links.append(PrintLink(label, value, short_url(value)))
    return links


@dataclass(frozen=True)
class Byline:
    """Authors with affiliation numbers, and the numbered affiliations."""

    authors: tuple[tuple[str, tuple[int, ...]], ...]
    affiliations: tuple[str, ...] = ()


_SEPARATOR = re.compile(r"\s*;\s*")


def byline(paper: Paper) -> Byline:
    """The authors, numbered to their affiliations when the entry has them.

    ``affiliations = {MIT; ETH Zürich and MIT}`` gives one entry per author,
    separated by ``and`` as in the author field, several places for one
    author separated by ``;``.  A list that does not match the authors is
    ignored rather than misattributed.
    """
    raw = next((value for key, value in paper.extra if key.lower() in AFFILIATION_FIELDS), "")
    names = [person.name for person in paper.authors]
    per_author = [[to_unicode(place) for place in _SEPARATOR.split(part) if place.strip()]
                  for part in split_multiple_persons_names(raw)] if raw.strip() else []
    if len(per_author) != len(names):
        return Byline(tuple((name, ()) for name in names))
    numbered: dict[str, int] = {}
    authors = []
    for name, places in zip(names, per_author, strict=True):
        marks = tuple(numbered.setdefault(place, len(numbered) + 1) for place in places)
        authors.append((name, marks))
    return Byline(tuple(authors), tuple(numbered))
