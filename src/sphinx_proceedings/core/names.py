"""People's names, and the citation keys made from them.

Names: splitting follows BibTeX's rules through bibtexparser's name middleware
(``First von Last``, ``von Last, First``, ``{Braced Corporate Names}``);
LaTeX accents become Unicode through pylatexenc (`text.py`).  Two spellings
are one person when their slugs (`text.slug_for`, python-slugify) match.

Keys, for imported papers: readable, deterministic, stable.  A key is the
first author's family name, the year and the first significant title word
(``eliasof2024data``), in lowercase ASCII.  Papers that were imported before
keep their key (matched by OpenReview id), so links to a paper never break
when an export is imported again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latexwalker import LatexMacroNode, LatexWalker

from sphinx_proceedings.core.model import Person
from sphinx_proceedings.core.text import slug_for, split_math, to_unicode


def _clean(part: list[str]) -> str:
    return " ".join(to_unicode(p) for p in part).strip()


def parse_person(text: str) -> Person:
    """One BibTeX name (LaTeX allowed) as a Unicode `Person`."""
    parts = parse_single_name_into_parts(text.strip(), strict=False)
    return Person(given=_clean(parts.first), family=_clean(parts.last),
                  von=_clean(parts.von), suffix=_clean(parts.jr))


def protect_commands(field: str) -> str:
    r"""Each command outside braces wrapped in braces: ``I\~{n}igo`` -> ``I{\~{n}}igo``.

    BibTeX's name splitter takes ``~`` for a tie and ``\.`` for an initial's
    dot; as BibTeX itself wants, a braced special character is one letter.
    """
    if "\\" not in field:
        return field
    try:
        nodes, _, _ = LatexWalker(field, tolerant_parsing=True).get_latex_nodes()
    except Exception:  # tolerant parsing rarely raises; keep the field as written
        return field
    out, pos = [], 0
    for node in nodes:
        if isinstance(node, LatexMacroNode) and node.macroname not in ("\\", " "):
            out += [field[pos:node.pos], "{", field[node.pos:node.pos + node.len].rstrip(), "}"]
            pos = node.pos + node.len
            if field[pos - 1:pos].isspace() and not node.macroname.isalpha():
                out.append(" ")  # a control word's space only ends its name (TeX eats it)
    out.append(field[pos:])
    return "".join(out)


def parse_authors(field: str) -> tuple[Person, ...]:
    """A BibTeX ``author`` field (names joined by ``and``) as `Person`s.

    Raises `ValueError` with a readable message when a name cannot be split.
    """
    try:
        names = split_multiple_persons_names(protect_commands(field))
        persons = tuple(parse_person(n) for n in names if n.strip())
    except InvalidNameError as exc:
        raise ValueError(f"cannot read author names: {exc}") from None
    return tuple(p for p in persons if p.family or p.given)


def person_from_display(name: str) -> Person:
    """A `Person` from a plain ``First Last`` name (OpenReview, role text)."""
    return parse_person(name.replace(",", " ") if name.count(",") > 1 else name)

#: Words that never make a key: articles, prepositions and other fillers.
STOP_WORDS = frozenset((
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "without", "via",
    "from", "by", "at", "as", "into", "onto", "towards", "toward", "about", "over", "under",
    "beyond", "through", "using", "is", "are", "be", "do", "does", "can", "what", "when",
    "where", "which", "how", "why", "your", "our", "its", "their", "this", "that", "these",
    "those", "not", "no", "yet", "new",
))

#: Prefixes that lose their meaning when split off ("Multi-Grained" stays one
#: word, "Data-driven" gives "data").
BOUND_PREFIXES = frozenset((
    "multi", "non", "semi", "self", "pre", "post", "co", "re", "sub", "super", "inter",
    "intra", "anti", "meta", "cross", "quasi", "pseudo", "ultra", "hyper", "hypo", "bi",
    "tri", "uni", "mid", "out", "up", "down",
))

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _ascii(text: str) -> str:
    """Lowercase ASCII letters and digits only (accents folded, hyphens dropped)."""
    return slug_for(text).replace("-", "") if text.strip() else ""


def family_part(person: Person | str) -> str:
    """The family name (with its particles) as it appears in a key."""
    if isinstance(person, str):
        person = person_from_display(person)
    name = " ".join(p for p in (person.von, person.family) if p) or person.given
    folded = _ascii(name)
    return "" if folded == "unnamed" else folded


def title_word(title: str) -> str:
    """First significant word of a title; math spans and stop words are skipped."""
    text = " ".join(piece for is_math, piece in split_math(to_unicode(title)) if not is_math)
    for match in _WORD.finditer(text):
        parts = [_ascii(part) for part in match.group(0).split("-")]
        parts = [part for part in parts if part and part != "unnamed"]
        if not parts:
            continue
        word, rest = parts[0], parts[1:]
        while word in BOUND_PREFIXES and rest:
            word += rest.pop(0)
        if word in STOP_WORDS or word in BOUND_PREFIXES or word.isdigit():
            continue
        return word
    return ""


def base_key(first_author: Person | str | None, year: str, title: str) -> str:
    """The key before de-duplication: ``family + year + word``."""
    family = family_part(first_author) if first_author is not None else ""
    year_digits = re.sub(r"\D", "", year)[:4]
    return f"{family or 'anonymous'}{year_digits}{title_word(title) or 'untitled'}"


def suffixes() -> Iterable[str]:
    """``""``, then ``b`` to ``z``, then ``z2``, ``z3`` ... (never runs out)."""
    yield ""
    for code in range(ord("b"), ord("z") + 1):
        yield chr(code)
    n = 2
    while True:
        yield f"z{n}"
        n += 1


def allocate_keys(wanted: Mapping[str, str], taken: Iterable[str],
                  fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """Give each id a unique key.

    ``wanted`` maps an id to its base key, ``taken`` are keys already in use
    (folders, volume entries), ``fixed`` maps ids to the key they already
    have.  New ids are served in (base key, id) order, so the result does not
    depend on the order of the export.
    """
    fixed = dict(fixed or {})
    used = set(taken) | set(fixed.values())
    result = {ident: key for ident, key in fixed.items() if ident in wanted}
    for ident, base in sorted(wanted.items(), key=lambda kv: (kv[1], kv[0])):
        if ident in result:
            continue
        for suffix in suffixes():
            candidate = base + suffix
            if candidate not in used:
                used.add(candidate)
                result[ident] = candidate
                break
    return result
