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
from sphinx_proceedings.core.names import parse_authors
from sphinx_proceedings.core.read_memo import Candidate, ReadMemo, file_state
from sphinx_proceedings.core.safety import check_url, read_text_file, safe_child, strip_controls
from sphinx_proceedings.core.schedule import MAX_SCHEDULE_BYTES, SCHEDULE_FILE, read_schedule
from sphinx_proceedings.core.text import to_unicode
from sphinx_proceedings.core.topics import read_topics

# bibtexparser logs failed blocks itself; we report them as Problems instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]{0,199}$")
#: Fields the site understands; all others are kept for the BibTeX export.
KNOWN_FIELDS = frozenset({
    "title", "author", "year", "booktitle", "url", "pdf", "openreview", "code", "poster", "slides",
    "video", "keywords", "topics", "presentation", "award", "abstract", "session", "board"})
LINK_FIELDS = ("url", "pdf", "code", "poster", "slides", "video")
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
MAX_ABSTRACT_BYTES = 256 * 1024
#: Longer fields would take minutes to convert (pylatexenc) and render.
MAX_FIELD_CHARS = 64 * 1024
#: More authors would mean thousands of author pages from one entry.
MAX_AUTHORS = 500


def field_too_long(name: str, text: str) -> str | None:
    """Why a BibTeX field is too long to use, or None when it is fine."""
    limit = MAX_ABSTRACT_BYTES if name in ("abstract", "author") else MAX_FIELD_CHARS
    if len(text) <= limit:
        return None
    return f"field {name!r} has {len(text):,} characters; the limit is {limit:,}"


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

    def problem(self, level: str, message: str, path: Path, line: int | None = None,
                code: str = "input") -> None:
        self.problems.append(Problem(level, message, Source(self.display(path), line), code))

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
            text = self.read_text(topics_file, 1024 * 1024, code="topics")
            if text is not None:
                topics, topic_problems = read_topics(self.display(topics_file), text)
        self.problems.extend(topic_problems)
        self.topic_slugs = {t.slug for t in topics}
        from sphinx_proceedings import __version__

        self.memo[""] = repr((__version__, self.settings, sorted(self.topic_slugs), self.root))
        if self.old_memo.get("") != self.memo[""]:
            self.old_memo = {}

        if self.root.is_dir():
            for child in sorted(self.root.iterdir(), key=lambda p: p.name):
                if child.name.startswith((".", "_")):
                    continue
                if child.is_symlink() and safe_child(child, self.root) is None:
                    self.problem("error", "symbolic link points outside papers/; ignored",
                                 child, code="path")
                    continue
                if child.is_dir():
                    self.remembered(child, self.read_folder)
                elif child.suffix == ".bib":
                    self.remembered(child, self.read_volume)

        order = {kind: i for i, kind in enumerate(PRESENTATIONS)}
        papers = sorted(self.papers.values(),
                        key=lambda p: (order.get(p.presentation, 99), p.title.casefold(), p.key))
        path = self.root / SCHEDULE_FILE  # the day's program, checked against the papers
        text = self.read_text(path, MAX_SCHEDULE_BYTES, "schedule-read") if path.is_file() else None
        schedule, problems = read_schedule(self.display(path), text, {p.key: p for p in papers})
        self.problems.extend(problems)
        self.problems.sort(key=lambda p: (str(p.source.path), p.source.line or 0, p.message))
        return Proceedings(tuple(papers), tuple(topics), tuple(self.problems), schedule)

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
        key, path, line = candidate.key, candidate.path, candidate.line
        if candidate.key_ok and key in self.papers:
            first = self.papers[key].source
            self.problem("error", f"duplicate key {key!r} (first defined at {first}); "
                         "entry skipped", path, line, code="duplicate")
            return
        docname = docname_for(key)
        if candidate.key_ok and docname in self.docnames:
            self.problem("error", f"key {key!r} gives the same page name as key "
                         f"{self.docnames[docname]!r}; entry skipped", path, line, code="duplicate")
            return
        self.problems.extend(candidate.problems)
        if candidate.paper is not None:
            self.papers[key] = candidate.paper
            self.docnames[docname] = key

    def read_text(self, path: Path, max_bytes: int, code: str = "read") -> str | None:
        """A file's text with invisible control characters removed (and reported)."""
        text = read_text_file(path, self.root, max_bytes)
        if not isinstance(text, str):
            self.problem("error", text.message, path, text.line, code=code)
            return None
        text, line = strip_controls(text)
        if line is not None:
            self.problem("warning", "invisible control or bidirectional override characters "
                         "removed", path, line, code="text")
        return text

    def load_bib(self, path: Path) -> list[Entry] | None:
        text = self.read_text(path, MAX_BIB_BYTES)
        if text is None:
            return None
        try:
            library = bibtexparser.parse_string(text)
        except Exception as exc:  # the parser's own bugs must not stop the build
            self.problem("error", f"cannot parse BibTeX: {exc}", path, code="bibtex")
            return None
        for block in library.failed_blocks:
            error = getattr(block, "error", None)
            detail = (getattr(error, "abort_reason", "") or str(error or "")).strip()
            why = f": {detail}" if detail else ""
            self.problem("error", f"cannot parse this BibTeX block{why}", path,
                         (block.start_line or 0) + 1, code="bibtex")
        return list(library.entries)

    def read_folder(self, folder: Path) -> list[Candidate]:
        bib = folder / "paper.bib"
        if not bib.is_file():
            self.problem("warning", "folder has no paper.bib; skipped", folder, code="layout")
            return []
        entries = self.load_bib(bib)
        if entries is None:
            return []
        if len(entries) != 1:
            self.problem("error", f"paper.bib must hold exactly one entry, found {len(entries)}",
                         bib, 1, code="layout")
            return []
        entry = entries[0]
        if entry.key != folder.name:
            self.problem("error", f"entry key {entry.key!r} does not match its folder name "
                         f"{folder.name!r}", bib, (entry.start_line or 0) + 1, code="layout")
            return []
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
                        self.problem("error", "symbolic link points outside papers/; ignored",
                                     candidate, code="path")
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
                         key_ok=bool(KEY_PATTERN.match(entry.key)))

    def paper(self, entry: Entry, path: Path, abstract: str | None,
              abstract_source: Source | None, attachments: tuple[Attachment, ...]) -> Paper | None:
        line = (entry.start_line or 0) + 1
        key = entry.key
        fields = {f.key.lower(): f for f in entry.fields}

        def value(name: str) -> str:
            f = fields.get(name)
            return str(f.value) if f is not None and f.value is not None else ""

        def field_line(name: str) -> int:
            f = fields.get(name)
            return (f.start_line + 1) if f is not None and f.start_line is not None else line

        if not KEY_PATTERN.match(key):
            self.problem("error", f"citation key {key!r} may only use letters, digits and "
                         "_:.+- (it names files and URLs); entry skipped", path, line, code="key")
            return None

        for name in list(fields):
            reason = field_too_long(name, value(name))
            if reason is None:
                continue
            if name != "abstract":
                self.problem("error", f"entry {key!r}: {reason}; entry skipped", path,
                             field_line(name), code="size")
                return None
            self.problem("error", f"entry {key!r}: {reason}; abstract ignored", path,
                         field_line(name), code="size")
            del fields[name]

        title = to_unicode(value("title"))
        if not title:
            self.problem("error", f"entry {key!r} has no title; skipped", path, line, code="missing")
            return None
        try:
            authors = parse_authors(value("author"))
        except ValueError as exc:
            self.problem("error", f"entry {key!r}: {exc}; skipped", path, field_line("author"),
                         code="names")
            return None
        if not authors:
            self.problem("error", f"entry {key!r} has no author; skipped", path, line, code="missing")
            return None
        if len(authors) > MAX_AUTHORS:
            self.problem("error", f"entry {key!r} has {len(authors):,} authors; at most "
                         f"{MAX_AUTHORS} are supported; entry skipped", path,
                         field_line("author"), code="size")
            return None

        topics = []
        for slug in re.split(r"[,;\s]+", value("topics").strip()):
            if not slug:
                continue
            if slug not in self.topic_slugs:
                self.problem("warning", f"entry {key!r}: unknown topic {slug!r} (not in "
                             "topics.yml)", path, field_line("topics"), code="topic")
            elif slug not in topics:
                topics.append(slug)

        presentation = value("presentation").strip().lower() or "poster"
        if presentation not in PRESENTATIONS:
            self.problem("warning", f"entry {key!r}: presentation {presentation!r} is not one of "
                         f"{', '.join(PRESENTATIONS)}; shown as poster", path,
                         field_line("presentation"), code="presentation")
            presentation = "poster"

        links = {}
        for name in LINK_FIELDS:
            raw = value(name).strip()
            if not raw:
                continue
            url, message = check_url(raw)
            if message:
                self.problem("warning", f"entry {key!r}: field {name!r}: {message}; link dropped",
                             path, field_line(name), code="url")
            else:
                links[name] = url
        openreview = value("openreview").strip()
        if openreview and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", openreview):
            self.problem("warning", f"entry {key!r}: openreview id {openreview!r} is malformed; "
                         "ignored", path, field_line("openreview"), code="url")
            openreview = ""
        if openreview and "url" not in links and self.settings.forum_url:
            links["url"] = self.settings.forum_url.format(id=openreview)
        if openreview and "pdf" not in links and self.settings.pdf_url:
            links["pdf"] = self.settings.pdf_url.format(id=openreview)

        if abstract is None and value("abstract").strip():
            abstract = to_unicode(value("abstract"))
            abstract_source = Source(self.display(path), field_line("abstract"))
        if abstract is not None and not abstract.strip():
            abstract = None
        if abstract is None:
            where = ("; its page links to the forum instead" if links.get("url")
                     else " and no forum link (url or openreview) to send readers to")
            self.problem("warning", f"entry {key!r} has no abstract{where}", path, line,
                         code="abstract")

        keywords = tuple(k for k in (to_unicode(k) for k in re.split(r"[,;]", value("keywords")))
                         if k)
        return Paper(
            key=key,
            title=title,
            authors=authors,
            source=Source(self.display(path), line),
            entry_type=entry.entry_type.lower(),
            year=to_unicode(value("year")) or self.settings.year,
            booktitle=to_unicode(value("booktitle")) or self.settings.booktitle,
            abstract=abstract,
            abstract_source=abstract_source,
            openreview=openreview,
            keywords=keywords,
            topics=tuple(topics),
            presentation=presentation,
            award=to_unicode(value("award")),
            session=value("session").strip(), board=to_unicode(value("board")).strip(),
            extra=tuple((k, value(k)) for k in fields if k not in KNOWN_FIELDS),
            raw_fields=tuple((k, value(k)) for k in fields),
            attachments=attachments,
            **links,
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
