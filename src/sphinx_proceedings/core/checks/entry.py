"""The judgement of one BibTeX entry, whoever reads it.

The reader (for ``check`` and the build), ``proceedings add`` and ``proceedings
import`` all call `judge_entry` on the field values as bibtexparser gives them,
so they accept, drop and refuse the same things with the same words.  The
verdict carries what the judgement had to compute anyway (the title in
Unicode, the parsed authors, the links kept) so the reader need not redo it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_proceedings.core.checks.abstract import judge_abstract
from sphinx_proceedings.core.checks.links import is_local, link_field, local_path, url_problem
from sphinx_proceedings.core.inline import Inline, plain_text
from sphinx_proceedings.core.inline_parse import parse_field
from sphinx_proceedings.core.model import PRESENTATIONS, Person, Problem, Source
from sphinx_proceedings.core.names import parse_authors
from sphinx_proceedings.core.problems import ProblemKind

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]{0,199}$")
LINK_FIELDS = ("url", "pdf", "code", "poster", "slides", "video")
MAX_ABSTRACT_BYTES = 256 * 1024
#: Longer fields would take minutes to convert (pylatexenc) and render.
MAX_FIELD_CHARS = 64 * 1024
#: More authors would mean thousands of author pages from one entry.
MAX_AUTHORS = 500
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def key_ok(key: str) -> bool:
    """Whether a citation key can name a folder, a file and a URL."""
    return bool(KEY_PATTERN.match(key))


def field_too_long(name: str, text: str) -> str | None:
    """Why a BibTeX field is too long to use, or None when it is fine."""
    limit = MAX_ABSTRACT_BYTES if name in ("abstract", "author") else MAX_FIELD_CHARS
    if len(text) <= limit:
        return None
    return f"field {name!r} has {len(text):,} characters; the limit is {limit:,}"


@dataclass(frozen=True)
class EntryRules:
    """What an entry is judged against: the site's topics and forum links."""

    topics: frozenset[str] = frozenset()
    forum_url: str = "https://openreview.net/forum?id={id}"
    pdf_url: str = ""


@dataclass(frozen=True)
class Judged:
    """The verdict on one entry; ``usable`` False means it is left out."""

    problems: tuple[Problem, ...]
    usable: bool
    title: str = ""
    authors: tuple[Person, ...] = ()
    topics: tuple[str, ...] = ()
    presentation: str = "poster"
    links: tuple[tuple[str, str], ...] = ()
    openreview: str = ""
    abstract: str | None = None
    abstract_source: Source | None = None
    abstract_refused: bool = False
    ignored: frozenset[str] = field(default_factory=frozenset)  # fields left out (abstract)
    #: The title and a BibTeX abstract as the text model (`inline_parse`): parsed
    #: here, once, since judging them means parsing them.
    title_tree: Inline = ()
    abstract_tree: Inline | None = None
    abstract_format: str = "markdown"  # or "bibtex": the abstract field, not abstract.md

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


class _Judgement:
    """The running judgement of one entry: its problems and where they are."""

    def __init__(self, key: str, fields: Mapping[str, str], where: Source,
                 lines: Mapping[str, int]) -> None:
        self.key, self.fields, self.where, self.lines = key, dict(fields), where, lines
        self.problems: list[Problem] = []

    def value(self, name: str) -> str:
        return self.fields.get(name, "")

    def add(self, kind: ProblemKind, message: str, name: str | None = None) -> None:
        line = self.lines.get(name, self.where.line) if name else self.where.line
        self.problems.append(Problem(kind, message, Source(self.where.path, line)))

    def refuse(self, kind: ProblemKind, message: str, name: str | None = None) -> Judged:
        self.add(kind, message, name)
        return Judged(tuple(self.problems), usable=False)


def judge_entry(key: str, fields: Mapping[str, str], where: Source, rules: EntryRules, *,
                lines: Mapping[str, int] | None = None, abstract: str | None = None,
                abstract_source: Source | None = None,
                local_file: Callable[[str], bool] | None = None) -> Judged:
    """Judge one entry: ``fields`` by lower-case name, as bibtexparser gives them.

    ``where`` is the entry's file and first line, ``lines`` each field's line.
    ``abstract`` (from ``abstract.md``) wins over the ``abstract`` field.
    ``local_file(path)`` says whether a relative link names an existing file
    (None: such links are not checked).
    """
    j = _Judgement(key, fields, where, lines or {})
    if not key_ok(key):
        return j.refuse(ProblemKind.BAD_KEY, f"citation key {key!r} may only use letters, "
                        "digits and _:.+- (it names files and URLs); entry skipped")
    ignored = _sizes(j)
    if ignored is None:
        return Judged(tuple(j.problems), usable=False)
    if abstract is not None and len(abstract.encode("utf-8")) > MAX_ABSTRACT_BYTES:
        j.add(ProblemKind.TOO_LARGE, f"entry {key!r}: abstract has "
              f"{len(abstract.encode('utf-8')):,} bytes; the limit is {MAX_ABSTRACT_BYTES:,}; "
              "abstract ignored")
        abstract = ""  # ignored, and not replaced by the field

    title_tree, found = parse_field(j.value("title"), Source(
        where.path, j.lines.get("title", where.line)), f"entry {key!r}: field 'title'")
    title = plain_text(title_tree, math="tex")
    if not title:
        return j.refuse(ProblemKind.INCOMPLETE, f"entry {key!r} has no title; skipped")
    j.problems.extend(found)
    try:
        authors = parse_authors(j.value("author"))
    except ValueError as exc:
        return j.refuse(ProblemKind.BAD_NAMES, f"entry {key!r}: {exc}; skipped", "author")
    if not authors:
        return j.refuse(ProblemKind.INCOMPLETE, f"entry {key!r} has no author; skipped")
    if len(authors) > MAX_AUTHORS:
        return j.refuse(ProblemKind.TOO_LARGE, f"entry {key!r} has {len(authors):,} authors; at "
                        f"most {MAX_AUTHORS} are supported; entry skipped", "author")

    topics = _topics(j, rules)
    presentation = _presentation(j)
    links, openreview = _links(j, rules, local_file)
    abstract, abstract_source, refused, tree = _abstract(j, links, abstract, abstract_source)
    return Judged(
        tuple(j.problems), usable=True, title=title, authors=authors, topics=topics,
        presentation=presentation, links=tuple(links.items()), openreview=openreview,
        abstract=abstract, abstract_source=abstract_source, abstract_refused=refused,
        ignored=frozenset(ignored), title_tree=title_tree, abstract_tree=tree,
        abstract_format="markdown" if tree is None else "bibtex")


def _sizes(j: _Judgement) -> set[str] | None:
    """Names of the fields left out for their size, or None when the entry is."""
    ignored = set()
    for name in list(j.fields):  # sizes first: converting a huge field takes minutes
        reason = field_too_long(name, j.value(name))
        if reason is None:
            continue
        if name != "abstract":
            j.add(ProblemKind.TOO_LARGE, f"entry {j.key!r}: {reason}; entry skipped", name)
            return None
        j.add(ProblemKind.TOO_LARGE, f"entry {j.key!r}: {reason}; abstract ignored", name)
        del j.fields[name]
        ignored.add(name)
    return ignored


def judge_sizes(key: str, fields: Mapping[str, str], where: Source) -> Judged:
    """Only the size limits, for importers that must check them before converting text."""
    j = _Judgement(key, fields, where, {})
    ignored = _sizes(j)
    return Judged(tuple(j.problems), usable=ignored is not None,
                  ignored=frozenset(ignored or ()))


def _topics(j: _Judgement, rules: EntryRules) -> tuple[str, ...]:
    topics: list[str] = []
    for slug in re.split(r"[,;\s]+", j.value("topics").strip()):
        if not slug:
            continue
        if slug not in rules.topics:
            j.add(ProblemKind.UNKNOWN_TOPIC, f"entry {j.key!r}: unknown topic {slug!r} (not in "
                  "topics.yml)", "topics")
        elif slug not in topics:
            topics.append(slug)
    return tuple(topics)


def _presentation(j: _Judgement) -> str:
    presentation = j.value("presentation").strip().lower() or "poster"
    if presentation in PRESENTATIONS:
        return presentation
    j.add(ProblemKind.BAD_PRESENTATION, f"entry {j.key!r}: presentation {presentation!r} is "
          f"not one of {', '.join(PRESENTATIONS)}; shown as poster", "presentation")
    return "poster"


def _links(j: _Judgement, rules: EntryRules,
           local_file: Callable[[str], bool] | None) -> tuple[dict[str, str], str]:
    """The link fields kept (safe, and naming an existing file when local), and the forum id."""
    links: dict[str, str] = {}
    for name in LINK_FIELDS:
        raw = j.value(name).strip()
        if not raw:
            continue
        url, message = link_field(name, raw)
        if message:
            j.add(ProblemKind.UNSAFE_LINK, f"entry {j.key!r}: field {name!r}: {message}; "
                  "link dropped", name)
            continue
        odd = url_problem(url)
        if odd:
            j.add(ProblemKind.MALFORMED_LINK, f"entry {j.key!r}: field {name!r}: {odd}", name)
        elif local_file is not None and is_local(url) and not local_file(local_path(url)):
            j.add(ProblemKind.MISSING_FILE, f"entry {j.key!r}: field {name!r} names the local "
                  f"file {url!r}, which does not exist; link dropped", name)
            continue
        links[name] = url
    openreview = j.value("openreview").strip()
    if openreview and not _OPENREVIEW_ID.fullmatch(openreview):
        j.add(ProblemKind.UNSAFE_LINK, f"entry {j.key!r}: openreview id {openreview!r} is "
              "malformed; ignored", "openreview")
        openreview = ""
    if openreview and "url" not in links and rules.forum_url:
        links["url"] = rules.forum_url.format(id=openreview)
    if openreview and "pdf" not in links and rules.pdf_url:
        links["pdf"] = rules.pdf_url.format(id=openreview)
    return links, openreview


def _abstract(j: _Judgement, links: dict[str, str], abstract: str | None, source: Source | None
              ) -> tuple[str | None, Source | None, bool, Inline | None]:
    """The abstract as written, where, whether refused, and its tree (BibTeX field only).

    ``abstract.md`` is MyST, judged by `judge_abstract`; the ``abstract`` field
    is LaTeX (with HTML), parsed into the text model like the title.
    """
    tree = None
    if abstract is None and j.value("abstract").strip():
        source = Source(j.where.path, j.lines.get("abstract", j.where.line))
        tree, found = parse_field(j.value("abstract"), source, f"entry {j.key!r}: field "
                                  "'abstract'")
        j.problems.extend(found)
        abstract = j.value("abstract") if tree else None
    if abstract is not None and not abstract.strip():
        abstract = None
    if abstract is None:
        where = ("; its page links to the forum instead" if links.get("url")
                 else " and no forum link (url or openreview) to send readers to")
        j.add(ProblemKind.NO_ABSTRACT, f"entry {j.key!r} has no abstract{where}")
        return None, None, False, None
    if tree is not None:
        return abstract, source, False, tree
    verdict = judge_abstract(abstract, source or j.where)
    j.problems.extend(verdict.problems)
    return abstract, source, verdict.refused, None


# -- across entries and files ----------------------------------------------------------
def duplicate_key(key: str, where: Source, first: Source) -> Problem:
    """The second entry of a key is left out."""
    return Problem(ProblemKind.DUPLICATE_KEY, f"duplicate key {key!r} (first defined at "
                   f"{first}); entry skipped", where)


def duplicate_page(key: str, where: Source, other: str) -> Problem:
    """Two keys that make one page name (``a.b`` and ``a-b``): the second is left out."""
    return Problem(ProblemKind.DUPLICATE_KEY, f"key {key!r} gives the same page name as key "
                   f"{other!r}; entry skipped", where)


def folder_problem(keys: list[tuple[str, int]], folder: Path, bib: Path) -> Problem | None:
    """Why a paper folder's ``paper.bib`` (its ``(key, line)`` entries) cannot be used."""
    if len(keys) != 1:
        return Problem(ProblemKind.LAYOUT, f"paper.bib must hold exactly one entry, found "
                       f"{len(keys)}", Source(bib, 1))
    key, line = keys[0]
    if key != folder.name:
        return Problem(ProblemKind.LAYOUT, f"entry key {key!r} does not match its folder name "
                       f"{folder.name!r}", Source(bib, line))
    return None
