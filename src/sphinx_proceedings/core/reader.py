"""Read ``papers/`` into a `Proceedings`: the one place that touches inputs.

Two input forms mix freely: a folder per paper (``papers/<key>/paper.bib``
plus ``abstract.md`` and optional files) and volume files
(``papers/*.bib`` with many entries, abstracts in the ``abstract`` field).
Every problem becomes a `Problem` naming file and line; a bad paper is
skipped and the rest is still read.  Nothing here raises on bad input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser.model import Entry

from sphinx_proceedings.core.checks import (
    MAX_ABSTRACT_BYTES,
    EntryRules,
    duplicate_key,
    duplicate_page,
    folder_problem,
    judge_entry,
    key_ok,
)
from sphinx_proceedings.core.config import DEFAULTS
from sphinx_proceedings.core.model import (
    PRESENTATIONS,
    Attachment,
    Paper,
    Problem,
    Proceedings,
    Source,
    docname_for,
)
from sphinx_proceedings.core.people import MAX_PEOPLE_BYTES, PEOPLE_FILE, read_people
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.read_memo import Candidate, ReadMemo, file_state
from sphinx_proceedings.core.safety import read_text_file, safe_child, strip_controls
from sphinx_proceedings.core.schedule import MAX_SCHEDULE_BYTES, SCHEDULE_FILE, read_schedule
from sphinx_proceedings.core.text import to_unicode, year_of
from sphinx_proceedings.core.topics import read_topics

# bibtexparser logs failed blocks itself; we report them as Problems instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

#: Fields the site understands; all others are kept for the BibTeX export.
KNOWN_FIELDS = frozenset({
    "title", "author", "year", "booktitle", "url", "pdf", "openreview", "code", "poster", "slides",
    "video", "keywords", "topics", "presentation", "award", "abstract", "session", "board"})
#: Files recognised beside ``paper.bib``, by attachment kind.
ATTACHMENT_FILES = {
    "pdf": ("paper.pdf",),
    "poster": ("poster.pdf", "poster.png", "poster.jpg"),
    "slides": ("slides.pdf",),
    "thumbnail": ("thumbnail.png", "thumbnail.jpg", "thumbnail.jpeg", "thumbnail.webp"),
}
#: A volume file larger than this is refused (split it into several files):
#: parsing is linear but slow, about 0.3 s per MB, and builds must stay quick.
MAX_BIB_BYTES = 24 * 1024 * 1024
CONTROLS_REMOVED = "invisible control or bidirectional override characters removed"


@dataclass(frozen=True)
class ReaderSettings:
    """Site-wide defaults the reader fills in (`ProceedingsConfig.reader_settings`)."""

    year: str = DEFAULTS.year
    booktitle: str = DEFAULTS.booktitle
    forum_url: str = DEFAULTS.forum_url
    pdf_url: str = DEFAULTS.pdf_url  # e.g. "https://openreview.net/pdf?id={id}"; empty: none



class _Reader:
    def __init__(self, root: Path, settings: ReaderSettings, memo: ReadMemo | None) -> None:
        self.root = root
        self.settings = settings
        self.problems: list[Problem] = []
        self.papers: dict[str, Paper] = {}
        self.docnames: dict[str, str] = {}
        self.old_memo: ReadMemo = memo if memo is not None else {}
        self.memo: ReadMemo = {}

    def problem(self, kind: ProblemKind, message: str, path: Path,
                line: int | None = None) -> None:
        self.problems.append(Problem(kind, message, Source(self.display(path), line)))

    def display(self, path: Path) -> Path:
        """Paths in messages are relative to the project when possible."""
        try:
            return path.relative_to(self.root.parent)
        except ValueError:
            return path

    # -- inputs ---------------------------------------------------------------
    def read(self) -> Proceedings:
        topics, topic_problems = [], []
        topics_file = self.root / "topics.yml"
        if topics_file.is_file():
            text = self.read_text(topics_file, 1024 * 1024)
            if text is not None:
                topics, topic_problems = read_topics(self.display(topics_file), text)
        self.problems.extend(topic_problems)
        self.rules = EntryRules(frozenset(t.slug for t in topics), self.settings.forum_url,
                                self.settings.pdf_url)
        from sphinx_proceedings import __version__

        # The kinds are part of what is kept: a new kind may change any judgement.
        self.memo[""] = repr((__version__, self.settings, sorted(self.rules.topics), self.root,
                              [kind.value for kind in ProblemKind]))
        if self.old_memo.get("") != self.memo[""]:
            self.old_memo = {}

        if self.root.is_dir():
            for child in sorted(self.root.iterdir(), key=lambda p: p.name):
                if child.name.startswith((".", "_")):
                    continue
                if child.is_symlink() and safe_child(child, self.root) is None:
                    self.problem(ProblemKind.OUTSIDE_PAPERS,
                                 "symbolic link points outside papers/; ignored", child)
                    continue
                if child.is_dir():
                    self.remembered(child, self.read_folder)
                elif child.suffix == ".bib":
                    self.remembered(child, self.read_volume)

        order = {kind: i for i, kind in enumerate(PRESENTATIONS)}
        papers = sorted(self.papers.values(),
                        key=lambda p: (order.get(p.presentation, 99), p.title.casefold(), p.key))
        path = self.root / SCHEDULE_FILE  # the day's program, checked against the papers
        text = self.read_text(path, MAX_SCHEDULE_BYTES) if path.is_file() else None
        schedule, problems = read_schedule(self.display(path), text, {p.key: p for p in papers},
                                           self.root)
        self.problems.extend(problems)
        path = self.root / PEOPLE_FILE  # organizers and other groups, shown as cards
        text = self.read_text(path, MAX_PEOPLE_BYTES) if path.is_file() else None
        people, problems = read_people(self.display(path), text, self.root)
        self.problems.extend(problems)
        self.problems.sort(key=lambda p: (str(p.source.path), p.source.line or 0, p.message))
        return Proceedings(tuple(papers), tuple(topics), tuple(self.problems), schedule, people)

    def remembered(self, path: Path, read: Callable[[Path], list[Candidate]]) -> None:
        """Read one folder or volume file, or reuse what the last build read from it."""
        state = file_state(path)
        kept = self.old_memo.get(str(path))
        if isinstance(kept, tuple) and kept[0] == state:
            problems, candidates = kept[1], kept[2]
        else:
            saved, self.problems = self.problems, []
            try:
                candidates = tuple(read(path))
                problems = tuple(self.problems)
            finally:
                self.problems = saved
        self.memo[str(path)] = (state, problems, candidates)
        self.problems.extend(problems)
        for candidate in candidates:
            self.register(candidate)

    def register(self, candidate: Candidate) -> None:
        """The checks across entries: unique keys and page names."""
        key = candidate.key
        where = Source(self.display(candidate.path), candidate.line)
        if candidate.key_ok and key in self.papers:
            self.problems.append(duplicate_key(key, where, self.papers[key].source))
            return
        docname = docname_for(key)
        if candidate.key_ok and docname in self.docnames:
            self.problems.append(duplicate_page(key, where, self.docnames[docname]))
            return
        self.problems.extend(candidate.problems)
        if candidate.paper is not None:
            self.papers[key] = candidate.paper
            self.docnames[docname] = key

    def read_text(self, path: Path, max_bytes: int) -> str | None:
        """A file's text with invisible control characters removed (and reported)."""
        text = read_text_file(path, self.root, max_bytes)
        if not isinstance(text, str):
            self.problem(ProblemKind.UNREADABLE, text.message, path, text.line)
            return None
        text, line = strip_controls(text)
        if line is not None:
            self.problem(ProblemKind.CONTROL_CHARACTERS, CONTROLS_REMOVED, path, line)
        return text

    def load_bib(self, path: Path) -> list[Entry] | None:
        text = self.read_text(path, MAX_BIB_BYTES)
        if text is None:
            return None
        try:
            library = bibtexparser.parse_string(text)
        except Exception as exc:  # the parser's own bugs must not stop the build
            self.problem(ProblemKind.BIBTEX, f"cannot parse BibTeX: {exc}", path)
            return None
        for block in library.failed_blocks:
            error = getattr(block, "error", None)
            detail = (getattr(error, "abort_reason", "") or str(error or "")).strip()
            why = f": {detail}" if detail else ""
            self.problem(ProblemKind.BIBTEX, f"cannot parse this BibTeX block{why}", path,
                         (block.start_line or 0) + 1)
        return list(library.entries)

    def read_folder(self, folder: Path) -> list[Candidate]:
        bib = folder / "paper.bib"
        if not bib.is_file():
            self.problem(ProblemKind.NO_PAPER_BIB, "folder has no paper.bib; skipped", folder)
            return []
        entries = self.load_bib(bib)
        if entries is None:
            return []
        wrong = folder_problem([(e.key, (e.start_line or 0) + 1) for e in entries], folder,
                               self.display(bib))
        if wrong is not None:
            self.problems.append(wrong)
            return []
        entry = entries[0]
        abstract, abstract_source = None, None
        abstract_file = folder / "abstract.md"
        if abstract_file.exists() or abstract_file.is_symlink():
            text = self.read_text(abstract_file, MAX_ABSTRACT_BYTES)
            if text is not None:
                abstract, abstract_source = text, Source(self.display(abstract_file), 1)
        attachments = []
        for kind, names in ATTACHMENT_FILES.items():
            for name in names:
                candidate = folder / name
                if candidate.exists():
                    if safe_child(candidate, self.root) is None:
                        self.problem(ProblemKind.OUTSIDE_PAPERS,
                                     "symbolic link points outside papers/; ignored", candidate)
                    else:
                        attachments.append(Attachment(kind, candidate))
                    break
        return [self.add_entry(entry, bib, abstract, abstract_source, tuple(attachments))]

    def read_volume(self, path: Path) -> list[Candidate]:
        entries = self.load_bib(path)
        return [self.add_entry(entry, path, None, None, ()) for entry in entries or []]

    # -- one entry ------------------------------------------------------------
    def add_entry(self, entry: Entry, path: Path, abstract: str | None,
                  abstract_source: Source | None,
                  attachments: tuple[Attachment, ...]) -> Candidate:
        """One entry as a `Candidate`, with the problems found in it alone."""
        saved, self.problems = self.problems, []
        try:
            paper = self.paper(entry, path, abstract, abstract_source, attachments)
            problems = tuple(self.problems)
        finally:
            self.problems = saved
        return Candidate(entry.key, path, (entry.start_line or 0) + 1, paper, problems,
                         key_ok=key_ok(entry.key))

    def paper(self, entry: Entry, path: Path, abstract: str | None,
              abstract_source: Source | None, attachments: tuple[Attachment, ...]) -> Paper | None:
        line = (entry.start_line or 0) + 1
        key = entry.key
        fields = {f.key.lower(): str(f.value) if f.value is not None else ""
                  for f in entry.fields}
        lines = {f.key.lower(): f.start_line + 1 for f in entry.fields if f.start_line is not None}
        folder = path.parent if path.name == "paper.bib" else self.root

        def local_file(name: str) -> bool:
            return (folder / name).exists()

        judged = judge_entry(key, fields, Source(self.display(path), line), self.rules,
                             lines=lines, abstract=abstract, abstract_source=abstract_source,
                             local_file=local_file)
        self.problems.extend(judged.problems)
        if not judged.usable:
            return None
        fields = {k: v for k, v in fields.items() if k not in judged.ignored}

        def value(name: str) -> str:
            return fields.get(name, "")

        keywords = tuple(k for k in (to_unicode(k) for k in re.split(r"[,;]", value("keywords")))
                         if k)
        return Paper(
            key=key,
            title=judged.title,
            authors=judged.authors,
            source=Source(self.display(path), line),
            entry_type=entry.entry_type.lower(),
            year=to_unicode(value("year")) or year_of(value("date")) or self.settings.year,
            booktitle=to_unicode(value("booktitle")) or self.settings.booktitle,
            abstract=judged.abstract,
            abstract_source=judged.abstract_source,
            abstract_refused=judged.abstract_refused,
            abstract_format=judged.abstract_format,
            abstract_tree=judged.abstract_tree,
            title_tree=judged.title_tree,
            openreview=judged.openreview,
            keywords=keywords,
            topics=judged.topics,
            presentation=judged.presentation,
            award=to_unicode(value("award")),
            session=value("session").strip(), board=to_unicode(value("board")).strip(),
            extra=tuple((k, value(k)) for k in fields if k not in KNOWN_FIELDS),
            raw_fields=tuple((k, value(k)) for k in fields),
            attachments=attachments,
            **dict(judged.links),
        )


def read_proceedings(papers_dir: Path, settings: ReaderSettings | None = None,
                     memo: ReadMemo | None = None) -> Proceedings:
    """Read every paper and topic under ``papers_dir``; never raises on bad input.

    With ``memo`` (what the last build read, see `Candidate`), folders and
    volume files that did not change are not parsed again; ``memo`` is
    updated in place for the next build.
    """
    reader = _Reader(papers_dir.resolve(), settings or ReaderSettings(), memo)
    proceedings = reader.read()
    if memo is not None:
        memo.clear()
        memo.update(reader.memo)
    return proceedings
