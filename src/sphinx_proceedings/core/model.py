"""The plain data model between "read the inputs" and "write the pages".

Everything downstream (generated pages, the domain, checks, exports, PDF)
reads these frozen dataclasses, so all outputs share one truth.  The reader
(`reader.py`) is the only place that builds them from files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # schedule.py and people.py build on this module
    from sphinx_proceedings.core.people import Profile
    from sphinx_proceedings.core.schedule import Schedule

from sphinx_proceedings.core import text
from sphinx_proceedings.core.inline import Inline, Math, Text, normalise, plain_paragraphs, plain_text
from sphinx_proceedings.core.problems import ProblemKind

#: Presentation types, in the order listings show them.
PRESENTATIONS: tuple[str, ...] = ("spotlight", "oral", "poster")
PRESENTATION_LABELS: dict[str, str] = {
    "spotlight": "Spotlight",
    "oral": "Oral",
    "poster": "Poster",
}


def docname_for(key: str) -> str:
    """File-system- and URL-safe document name of a paper key (python-slugify's)."""
    return text.page_slug(key)


def dollar_text(value: str) -> Inline:
    """Unicode text with ``$math$`` as a tree (papers made in code, not read)."""
    return normalise(tuple(Math(piece.strip()) if is_math else Text(piece)
                           for is_math, piece in text.split_math(value)))


@dataclass(frozen=True, order=True)
class Source:
    """Where a thing was read from, for messages as ``path:line``."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs; the build goes on without it.

    Its kind (`problems.ProblemKind`) gives the level and the Sphinx warning
    subtype, so every report of the same problem says the same.
    """

    kind: ProblemKind
    message: str
    source: Source

    @property
    def level(self) -> str:
        """``error``, ``warning`` or ``advice`` (see `problems`)."""
        return self.kind.level

    def __str__(self) -> str:
        return f"{self.source}: {self.level}: {self.message} [{self.kind.subtype}]"


@dataclass(frozen=True)
class Person:
    """An author name split into BibTeX's parts, already in Unicode."""

    given: str
    family: str
    von: str = ""
    suffix: str = ""
    #: The merge key: same slug, same person (accents and case ignored).
    slug: str = field(init=False, repr=False, compare=False)
    #: A to Z by family name, then given name, accents folded.
    sort_key: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slug", text.slug_for(self.name))
        object.__setattr__(self, "sort_key", (text.slug_for(self.family), text.slug_for(self.given)))

    @property
    def name(self) -> str:
        """The name as readers expect it: ``Jan van der Berg, Jr.``."""
        main = " ".join(p for p in (self.given, self.von, self.family) if p)
        return f"{main}, {self.suffix}" if self.suffix else main

    @property
    def bibtex(self) -> str:
        """The name in BibTeX's unambiguous ``von Last, Jr, First`` form."""
        last = " ".join(p for p in (self.von, self.family) if p)
        if "," in self.family or (" " in self.family and not self.given):
            last = "{" + last + "}"
        parts = [last] + ([self.suffix] if self.suffix else []) + ([self.given] if self.given else [])
        return ", ".join(parts)



@dataclass(frozen=True)
class Topic:
    """One entry of the curated vocabulary in ``topics.yml``."""

    slug: str
    title: str
    description: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Attachment:
    """A local file beside a paper (``paper.pdf``, ``poster.pdf`` ...)."""

    kind: str  # pdf, poster, slides, thumbnail
    path: Path


@dataclass(frozen=True)
class Paper:
    """One accepted paper, with every text already converted to Unicode."""

    key: str
    title: str  # Unicode; math kept as $...$ (sorting, checks); outputs use title_tree
    authors: tuple[Person, ...]
    source: Source
    entry_type: str = "inproceedings"
    year: str = ""
    booktitle: str = ""
    abstract: str | None = None  # as written: MyST Markdown, or LaTeX from a BibTeX field
    abstract_source: Source | None = None
    abstract_refused: bool = False  # judged (core/checks): shown as plain text, not MyST
    #: "markdown" (``abstract.md``, shown as checked MyST) or "bibtex" (the
    #: ``abstract`` field, shown from ``abstract_tree``).
    abstract_format: str = "markdown"
    url: str = ""  # forum page
    pdf: str = ""
    openreview: str = ""
    code: str = ""
    poster: str = ""
    slides: str = ""
    video: str = ""
    keywords: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    presentation: str = "poster"
    award: str = ""
    session: str = ""  # id of the schedule item it is presented in (papers/schedule.yml)
    board: str = ""  # poster board in that session
    extra: tuple[tuple[str, str], ...] = ()  # other BibTeX fields, raw
    raw_fields: tuple[tuple[str, str], ...] = ()  # every field as written
    attachments: tuple[Attachment, ...] = ()
    #: The title and a BibTeX abstract parsed once by the reader (`inline_parse`);
    #: every output renders these.  Without a title tree, ``title`` is read as
    #: text with ``$math$``.
    title_tree: Inline = ()
    abstract_tree: Inline | None = None
    #: Derived once here, read everywhere: the page's file name and the title as
    #: plain text (math as Unicode: ``∇``) for links, metadata, exports and the PDF.
    docname: str = field(init=False, repr=False, compare=False)
    plain_title: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "docname", docname_for(self.key))
        if not self.title_tree:
            object.__setattr__(self, "title_tree", dollar_text(self.title))
        object.__setattr__(self, "plain_title", plain_text(self.title_tree))

    @property
    def plain_abstract(self) -> str:
        """The abstract as plain text (metadata, exports): math as Unicode where it can be."""
        if self.abstract_tree is not None:
            return "\n\n".join(plain_paragraphs(self.abstract_tree))
        return " ".join((self.abstract or "").split())

    @property
    def presentation_label(self) -> str:
        return PRESENTATION_LABELS.get(self.presentation, self.presentation.title())

    def attachment(self, kind: str) -> Attachment | None:
        return next((a for a in self.attachments if a.kind == kind), None)

    @property
    def display_signature(self) -> tuple:
        """What other pages show of this paper; a change re-renders them."""
        return (self.title_tree, tuple(a.name for a in self.authors), self.presentation,
                self.topics, self.award)


@dataclass(frozen=True)
class Author:
    """A person as the site shows them: one page, all their papers."""

    slug: str
    name: str
    person: Person
    papers: tuple[str, ...]  # keys, in listing order


@dataclass(frozen=True)
class Proceedings:
    """All papers and topics of one site, in listing order."""

    papers: tuple[Paper, ...] = ()
    topics: tuple[Topic, ...] = ()
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    schedule: Schedule | None = None  # papers/schedule.yml, when there is one
    #: papers/people.yml: (group name, its people), in the file's order.
    people: tuple[tuple[str, tuple[Profile, ...]], ...] = ()

    @cached_property
    def by_key(self) -> dict[str, Paper]:
        return {p.key: p for p in self.papers}

    @cached_property
    def topic_by_slug(self) -> dict[str, Topic]:
        return {t.slug: t for t in self.topics}

    def group(self, name: str) -> tuple[Profile, ...] | None:
        """The people of one group of ``people.yml`` (None: no such group)."""
        return next((people for group, people in self.people if group == name), None)

    def children(self, slug: str) -> list[Topic]:
        return [t for t in self.topics if t.parent == slug]

    def descendants(self, slug: str) -> list[str]:
        """The slug and all topics below it (cycles are cut by the reader)."""
        out, todo = [], [slug]
        while todo:
            current = todo.pop(0)
            if current in out:
                continue
            out.append(current)
            todo.extend(t.slug for t in self.children(current))
        return out

    def papers_for_topic(self, slug: str, include_children: bool = True) -> list[Paper]:
        wanted = set(self.descendants(slug)) if include_children else {slug}
        return [p for p in self.papers if wanted.intersection(p.topics)]

    def select(self, topics: list[str] | None = None, presentations: list[str] | None = None,
               author: str | None = None) -> list[Paper]:
        """Papers matching every given filter, in listing order.

        Uses the author and topic indexes, so a query costs the size of its
        answer, not of the whole site (thousands of author pages query it).
        """
        if author:
            found = self.authors.get(author)
            positions = sorted(self._position[k] for k in found.papers) if found else []
        elif topics:
            wanted = {d for t in topics for d in self.descendants(t)}
            positions = sorted({i for slug in wanted for i in self._by_topic.get(slug, ())})
        else:
            positions = list(range(len(self.papers)))
        result = [self.papers[i] for i in positions]
        if topics and author:
            wanted = {d for t in topics for d in self.descendants(t)}
            result = [p for p in result if wanted.intersection(p.topics)]
        if presentations:
            result = [p for p in result if p.presentation in presentations]
        return result

    @cached_property
    def authors(self) -> dict[str, Author]:
        """Authors by slug, A to Z; spellings of one person are merged."""
        papers: dict[str, list[str]] = defaultdict(list)
        spellings: dict[str, Counter] = defaultdict(Counter)
        persons: dict[str, dict[str, Person]] = defaultdict(dict)
        for paper in self.papers:
            for person in paper.authors:
                slug = person.slug
                if paper.key not in papers[slug]:
                    papers[slug].append(paper.key)
                spellings[slug][person.name] += 1
                persons[slug].setdefault(person.name, person)
        result = {}
        for slug in papers:
            # Most frequent spelling wins; ties go to the one with most
            # non-ASCII letters (accents kept), then alphabetical.
            name = min(spellings[slug].items(),
                       key=lambda kv: (-kv[1], -sum(ord(c) > 127 for c in kv[0]), kv[0]))[0]
            person = persons[slug][name]
            result[slug] = Author(slug, name, person, tuple(papers[slug]))
        return dict(sorted(result.items(), key=lambda kv: (kv[1].person.sort_key, kv[0])))

    def coauthors(self, slug: str) -> list[Author]:
        author = self.authors.get(slug)
        if author is None:
            return []
        seen: dict[str, None] = {}
        for key in author.papers:
            for person in self.by_key[key].authors:
                if person.slug != slug:
                    seen.setdefault(person.slug)
        return sorted((self.authors[s] for s in seen), key=lambda a: (a.person.sort_key, a.slug))

    @cached_property
    def _position(self) -> dict[str, int]:
        return {p.key: i for i, p in enumerate(self.papers)}

    @cached_property
    def _by_topic(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for i, paper in enumerate(self.papers):
            for slug in paper.topics:
                index[slug].append(i)
        return index

    def related(self, key: str, limit: int = 5) -> list[Paper]:
        """Papers sharing topics with this one, most shared topics first."""
        paper = self.by_key[key]
        overlap: Counter = Counter()
        for slug in set(paper.topics):
            overlap.update(self._by_topic[slug])
        overlap.pop(self._position[key], None)
        best = sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [self.papers[i] for i, _ in best]

    def neighbours(self, key: str) -> tuple[Paper | None, Paper | None]:
        """Previous and next paper in listing order."""
        i = self._position[key]
        return (self.papers[i - 1] if i > 0 else None,
                self.papers[i + 1] if i + 1 < len(self.papers) else None)

    def counts(self) -> dict[str, int]:
        """Accepted papers per presentation type, in listing order."""
        c = Counter(p.presentation for p in self.papers)
        return {kind: c[kind] for kind in PRESENTATIONS if c[kind]}
