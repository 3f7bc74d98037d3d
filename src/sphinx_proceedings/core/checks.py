"""Checks of `proceedings check` beyond what the reader reports.

The reader already rejects what would break a build; these look for what is
probably a mistake in otherwise valid data: duplicate titles, papers without
a topic, long abstracts, odd links, missing local files, names that look
wrong and topics nobody uses.  Each finding is a `Problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from sphinx_proceedings.core.config import DEFAULTS
from sphinx_proceedings.core.model import Paper, Person, Problem, Proceedings, Source
from sphinx_proceedings.core.reader import LINK_FIELDS
from sphinx_proceedings.core.safety import check_url

DEFAULT_WORD_LIMIT = DEFAULTS.abstract_word_limit
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                   r"[A-Za-z]{2,63}$|^localhost$|^\d{1,3}(?:\.\d{1,3}){3}$")
_DOMAIN_LIKE = re.compile(r"^(www\.|[A-Za-z0-9-]+\.(com|org|net|edu|io|ai|dev|gov)(/|$))")


@dataclass(frozen=True)
class CheckSettings:
    """Knobs of the extra checks (``proceedings_abstract_word_limit`` in conf.py)."""

    word_limit: int = DEFAULT_WORD_LIMIT


def url_problem(url: str) -> str | None:
    """Why a link looks malformed, or None; stricter than the reader's check."""
    url = url.strip()
    _, reason = check_url(url)
    if reason:
        return reason
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        try:
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError:
            return f"{url!r} has a malformed port"
        if not _HOST.match(parts.hostname or ""):
            return f"{url!r} has a malformed host name {parts.hostname!r}"
        return None
    if _DOMAIN_LIKE.match(url):
        return f"{url!r} looks like a web address without 'https://'"
    return None


def _is_local(url: str) -> bool:
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and bool(parts.path)


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


class _Checker:
    def __init__(self, proceedings: Proceedings, papers_dir: Path,
                 settings: CheckSettings) -> None:
        self.proceedings = proceedings
        self.papers_dir = papers_dir
        self.settings = settings
        self.problems: list[Problem] = []
        self.markdown = MarkdownIt("commonmark")

    def add(self, level: str, message: str, source: Source, code: str) -> None:
        self.problems.append(Problem(level, message, source, code))

    def run(self) -> list[Problem]:
        self.duplicate_titles()
        for paper in self.proceedings.papers:
            self.paper(paper)
        self.unused_topics()
        return self.problems

    def duplicate_titles(self) -> None:
        seen: dict[str, Paper] = {}
        for paper in sorted(self.proceedings.papers, key=lambda p: (str(p.source), p.key)):
            folded = " ".join(re.sub(r"[^\w\s]", " ", paper.title.casefold()).split())
            if folded in seen:
                first = seen[folded]
                self.add("warning", f"paper {paper.key!r} has the same title as {first.key!r} "
                         f"({first.source})", paper.source, "duplicate-title")
            else:
                seen[folded] = paper

    def paper(self, paper: Paper) -> None:
        if not paper.topics:
            self.add("warning", f"paper {paper.key!r} has no topic", paper.source, "no-topic")
        if paper.abstract:
            words = len(paper.abstract.split())
            if words > self.settings.word_limit:
                self.add("warning", f"abstract of {paper.key!r} has {words} words; the limit is "
                         f"{self.settings.word_limit}", paper.abstract_source or paper.source,
                         "abstract-length")
            self.abstract_links(paper)
        for person in paper.authors:
            for reason in name_problems(person):
                self.add("warning", f"paper {paper.key!r}: {reason}", paper.source, "name")
        raw = dict(paper.raw_fields)
        folder = paper.source.path.parent if paper.source.path.name == "paper.bib" else None
        for name in LINK_FIELDS:
            value = raw.get(name, "").strip()
            if not value:
                continue
            reason = url_problem(value)
            if reason:
                # The reader reports links it drops; only add what it let through.
                if check_url(value)[1] is None:
                    self.add("warning", f"paper {paper.key!r}: field {name!r}: {reason}",
                             paper.source, "url")
                continue
            if _is_local(value):
                self.local_file(paper, name, value, folder)

    def local_file(self, paper: Paper, name: str, value: str, folder: Path | None) -> None:
        base = self.papers_dir.parent / folder if folder is not None else self.papers_dir
        path = base / urlsplit(value).path
        if not path.exists():
            self.add("error", f"paper {paper.key!r}: field {name!r} names {value!r}, which does "
                     "not exist", paper.source, "missing-file")

    def abstract_links(self, paper: Paper) -> None:
        source = paper.abstract_source or paper.source
        for token in self.markdown.parse(paper.abstract or ""):
            for child in token.children or []:
                if child.type != "link_open":
                    continue
                href = str(child.attrGet("href") or "")
                reason = url_problem(href)
                if reason:
                    line = (source.line or 1) + (token.map[0] if token.map else 0)
                    self.add("warning", f"abstract of {paper.key!r}: link {reason}",
                             Source(source.path, line), "url")

    def unused_topics(self) -> None:
        for topic in self.proceedings.topics:
            if not self.proceedings.papers_for_topic(topic.slug):
                self.add("warning", f"topic {topic.slug!r} has no paper",
                         topic.source or Source(Path("papers/topics.yml")), "unused-topic")


def extra_checks(proceedings: Proceedings, papers_dir: Path,
                 settings: CheckSettings | None = None) -> list[Problem]:
    """Problems beyond the reader's, sorted by file and line."""
    problems = _Checker(proceedings, papers_dir.resolve(), settings or CheckSettings()).run()
    return sorted(problems, key=lambda p: (str(p.source.path), p.source.line or 0, p.message))
