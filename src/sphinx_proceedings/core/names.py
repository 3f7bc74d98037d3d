"""Author names: BibTeX name lists to `Person`s, and the key that merges them.

Splitting follows BibTeX's rules through bibtexparser's name middleware
(``First von Last``, ``von Last, First``, ``{Braced Corporate Names}``);
LaTeX accents become Unicode through pylatexenc (`latex.py`).  Two spellings
are one person when their slugs (ASCII-folded by python-slugify) match.
"""

from __future__ import annotations

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from slugify import slugify

from sphinx_proceedings.core.memo import remembered
from sphinx_proceedings.core.model import Person
from sphinx_proceedings.core.text import to_unicode


@remembered  # slugify is slow; the same names come back in every build
def slug_for(name: str) -> str:
    """URL-safe, accent-free key of a name: ``Schönlieb`` -> ``schonlieb``."""
    return slugify(name, lowercase=True) or "unnamed"


def _clean(part: list[str]) -> str:
    return " ".join(to_unicode(p) for p in part).strip()


def parse_person(text: str) -> Person:
    """One BibTeX name (LaTeX allowed) as a Unicode `Person`."""
    parts = parse_single_name_into_parts(text.strip(), strict=False)
    return Person(given=_clean(parts.first), family=_clean(parts.last),
                  von=_clean(parts.von), suffix=_clean(parts.jr))


def parse_authors(field: str) -> tuple[Person, ...]:
    """A BibTeX ``author`` field (names joined by ``and``) as `Person`s.

    Raises `ValueError` with a readable message when a name cannot be split.
    """
    try:
        names = split_multiple_persons_names(field)
        persons = tuple(parse_person(n) for n in names if n.strip())
    except InvalidNameError as exc:
        raise ValueError(f"cannot read author names: {exc}") from None
    return tuple(p for p in persons if p.family or p.given)


def person_from_display(name: str) -> Person:
    """A `Person` from a plain ``First Last`` name (OpenReview, role text)."""
    return parse_person(name.replace(",", " ") if name.count(",") > 1 else name)
