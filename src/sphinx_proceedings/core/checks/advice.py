"""Advice: what is probably a mistake in data the site accepts.

Only ``proceedings check`` gives advice (the build does not report it, see
`problems`): two papers with one title, papers without a topic (on a site that
curates topics), abstracts over
the word limit, author names that look wrong and topics nobody uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sphinx_proceedings.core.model import Paper, Person, Problem, Proceedings, Source
from sphinx_proceedings.core.problems import ProblemKind

DEFAULT_WORD_LIMIT = 300


@dataclass(frozen=True)
class CheckSettings:
    """Knobs of the advice (``proceedings_abstract_word_limit`` in conf.py)."""

    word_limit: int = DEFAULT_WORD_LIMIT


def name_problems(person: Person) -> list[str]:
    """Reasons a parsed name looks wrong (split badly or typed oddly)."""
    reasons = []
    whole = person.name
    if re.search(r"\band\b", " ".join((person.given, person.von, person.family)), re.I):
        reasons.append(f"author {whole!r} contains 'and' (two names joined?)")
    letters = [c for c in whole if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        reasons.append(f"author {whole!r} is written in capitals")
    if re.fullmatch(r"\w\.?", person.family or ""):
        reasons.append(f"author {whole!r} has a lone initial as family name "
                       "(given and family swapped?)")
    return reasons


def _duplicate_titles(papers: list[Paper]) -> list[Problem]:
    found, seen = [], {}
    for paper in sorted(papers, key=lambda p: (str(p.source), p.key)):
        folded = " ".join(re.sub(r"[^\w\s]", " ", paper.title.casefold()).split())
        if folded in seen:
            first = seen[folded]
            found.append(Problem(ProblemKind.DUPLICATE_TITLE, f"paper {paper.key!r} has the same "
                                 f"title as {first.key!r} ({first.source})", paper.source))
        else:
            seen[folded] = paper
    return found


def _paper(paper: Paper, settings: CheckSettings, curated: bool) -> list[Problem]:
    found = []
    if curated and not paper.topics:  # a site without curated topics needs none
        found.append(Problem(ProblemKind.NO_TOPIC, f"paper {paper.key!r} has no topic",
                             paper.source))
    words = len((paper.abstract or "").split())
    if words > settings.word_limit:
        found.append(Problem(ProblemKind.LONG_ABSTRACT, f"abstract of {paper.key!r} has {words} "
                             f"words; the limit is {settings.word_limit}",
                             paper.abstract_source or paper.source))
    for person in paper.authors:
        found += [Problem(ProblemKind.ODD_NAME, f"paper {paper.key!r}: {reason}", paper.source)
                  for reason in name_problems(person)]
    return found


def advice(proceedings: Proceedings, settings: CheckSettings | None = None) -> list[Problem]:
    """Every piece of advice on a site, sorted by file and line."""
    settings = settings or CheckSettings()
    found = _duplicate_titles(list(proceedings.papers))
    for paper in proceedings.papers:
        found += _paper(paper, settings, curated=bool(proceedings.topics))
    for topic in proceedings.topics:
        if not proceedings.papers_for_topic(topic.slug):
            found.append(Problem(ProblemKind.UNUSED_TOPIC, f"topic {topic.slug!r} has no paper",
                                 topic.source or Source(Path("papers/topics.yml"))))
    return sorted(found, key=lambda p: (str(p.source.path), p.source.line or 0, p.message))
