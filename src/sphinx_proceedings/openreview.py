"""OpenReview exports as plain records (`bibwriter.py` turns them into files).

Three forms are read: a JSON list of notes as openreview-py's API v2 returns
them (every content value wrapped as ``{"value": ...}``), the API v1 form
(plain values), and OpenReview's own BibTeX.  Notes that were rejected,
withdrawn or desk-rejected are counted, not returned.  Unusable input raises
`ExportError` with file, line and column; a single odd note becomes a
`Problem` and is skipped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import bibtexparser

from .authors import parse_authors
from .latex import to_unicode
from .model import Problem, Source
from .reader import MAX_ABSTRACT_BYTES, MAX_AUTHORS, field_too_long
from .safety import strip_controls

MAX_EXPORT_BYTES = 64 * 1024 * 1024
OPENREVIEW = "https://openreview.net"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class ExportError(Exception):
    """The export cannot be used at all: unreadable, malformed, wrong shape."""

    def __init__(self, message: str, path: Path, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.path, self.line, self.column = message, path, line, column

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One accepted paper of an export, in plain Unicode text."""

    forum: str  # OpenReview forum id
    title: str
    authors: tuple[str, ...]  # display names, "First Last"
    abstract: str | None
    keywords: tuple[str, ...] = ()
    presentation: str = "poster"
    pdf: str = ""
    year: str = ""
    where: str = ""  # "note 3" or "line 12", for messages
    line: int | None = None


@dataclass
class Export:
    """What an export file holds: accepted records, skip counts, problems."""

    path: Path
    form: str  # "api-v2", "api-v1" or "bibtex"
    records: list[Record] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, level: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(level, message, Source(self.path, line), "import"))


# -- decisions --------------------------------------------------------------------
def classify(*texts: str) -> str:
    """``rejected``/``withdrawn``/``desk-rejected``/``not-accepted`` or a presentation."""
    text = " ".join(t for t in texts if t).lower().replace("_", " ")
    if "withdraw" in text:
        return "withdrawn"
    if re.search(r"desk[ -]?reject", text):
        return "desk-rejected"
    if "reject" in text:
        return "rejected"
    if "spotlight" in text:
        return "spotlight"
    if "oral" in text or "contributed talk" in text:
        return "oral"
    if "poster" in text or "accept" in text:
        return "poster"
    if "submitted to" in text:
        return "not-accepted"
    return "poster"


SKIP_LABELS = {
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "desk-rejected": "desk-rejected",
    "not-accepted": "without an acceptance decision",
}


# -- JSON -------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_EXPORT_BYTES:
            raise ExportError(f"file is {size:,} bytes; the limit is {MAX_EXPORT_BYTES:,}", path)
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read file: {exc.strerror or exc}", path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExportError(f"not valid UTF-8 (byte {exc.start})", path, line) from None


def _unwrap(value: Any) -> Any:
    """API v2 wraps every content value as ``{"value": ...}``."""
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _text(value: Any) -> str:
    value = _unwrap(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, int | float):
        return str(value)
    return ""


def _strings(value: Any) -> tuple[str, ...]:
    value = _unwrap(value)
    if isinstance(value, str):
        value = re.split(r"[,;]", value)
    if not isinstance(value, list):
        return ()
    return tuple(s for s in (" ".join(_text(v).split()) for v in value) if s)


def _decision(note: dict) -> str:
    """A decision found among the note's replies (openreview-py ``details``)."""
    details = note.get("details")
    if not isinstance(details, dict):
        return ""
    for key in ("directReplies", "replies"):
        replies = details.get(key)
        if not isinstance(replies, list):
            continue
        for reply in replies:
            content = reply.get("content") if isinstance(reply, dict) else None
            if isinstance(content, dict) and "decision" in content:
                return _text(content["decision"])
    return ""


def _notes(data: Any, path: Path) -> list:
    if isinstance(data, dict) and isinstance(data.get("notes"), list):
        return data["notes"]
    if isinstance(data, list):
        return data
    raise ExportError("expected a JSON list of notes (or an object with a 'notes' list)",
                      path, 1, 1)


def _nesting_position(text: str, limit: int = 500) -> int:
    """Offset where JSON nesting first passes ``limit`` (strings skipped)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        piece = match.group(0)
        if piece in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif piece in "]}":
            depth -= 1
    return 0


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _item_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each item of a top-level JSON array.

    JSON parsers keep no positions; ``text`` is known to be valid JSON, and
    anything unexpected gives ``[]``.
    """
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")
    offset = space.match(text).end()
    if not text.startswith("[", offset):
        return []
    offset = space.match(text, offset + 1).end()
    spans = []
    while offset < len(text) and text[offset] != "]":
        try:
            _, end = decoder.raw_decode(text, offset)
        except (ValueError, RecursionError):
            return []
        spans.append((offset, end))
        offset = space.match(text, end).end()
        if text.startswith(",", offset):
            offset = space.match(text, offset + 1).end()
    return spans


def _note_lines(text: str, notes: list) -> list[int]:
    """Line of each note: where its id is written, else where the note starts.

    Searches move forward only, so the text is scanned about once.
    """
    spans = _item_spans(text) if text.lstrip().startswith("[") else []
    if len(spans) != len(notes):
        spans = [(0, len(text))] * len(notes)  # the {"notes": [...]} form
    lines, line, counted, previous = [], 1, 0, 0
    for note, (start, end) in zip(notes, spans, strict=True):
        found = start if start > 0 else previous
        ident = note.get("id") if isinstance(note, dict) else None
        if isinstance(ident, str) and ident:
            at = text.find(json.dumps(ident), max(start, previous), end)
            found = at if at >= 0 else found
        line += text.count("\n", counted, found)
        counted = previous = found
        lines.append(line)
    return lines


def parse_json(path: Path, text: str, default_year: str = "") -> Export:
    """An export in API v1 or v2 JSON form."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"malformed JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    except RecursionError:
        raise ExportError("malformed JSON: nested too deeply", path,
                          *_position(text, _nesting_position(text))) from None
    notes = _notes(data, path)
    wrapped = any(isinstance(n, dict) and isinstance(n.get("content"), dict)
                  and any(isinstance(v, dict) and "value" in v for v in n["content"].values())
                  for n in notes)
    export = Export(path, "api-v2" if wrapped else "api-v1")
    for number, (note, line) in enumerate(zip(notes, _note_lines(text, notes), strict=True),
                                          start=1):
        record = _record_from_note(export, note, number, default_year, line)
        if record is not None:
            export.records.append(record)
    return export


def _short(value: Any, limit: int = 60) -> str:
    """``repr`` of a value from the input, cut to fit in a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _record_from_note(export: Export, note: Any, number: int, default_year: str,
                      line: int) -> Record | None:
    where = f"note {number}"
    if not isinstance(note, dict) or not isinstance(note.get("content"), dict):
        export.problem("error", f"{where} is not an OpenReview note (no 'content' object); "
                       "skipped", line)
        return None
    content = note["content"]
    ident = note.get("forum") or note.get("id") or ""
    if not isinstance(ident, str) or not _ID.match(ident):
        export.problem("error", f"{where}: missing or malformed forum id {_short(ident)}; "
                       "skipped", line)
        return None
    where = f"note {number} ({ident})"
    kind = classify(_text(content.get("decision")), _decision(note),
                    _text(content.get("venue")), _text(content.get("venueid")))
    if kind in SKIP_LABELS:
        export.skipped[kind] += 1
        return None
    title = " ".join(_text(content.get("title")).split())
    if not title:
        export.problem("error", f"{where} has no title; skipped", line)
        return None
    authors = _strings(content.get("authors"))
    if not authors:
        export.problem("error", f"{where} ({title!r}) has no authors; skipped", line)
        return None
    abstract = _text(content.get("abstract")).strip() or None
    pdf = _text(content.get("pdf"))
    venue = _text(content.get("venue"))
    year_match = _YEAR.search(venue) or _YEAR.search(_text(content.get("venueid")))
    return Record(
        forum=ident,
        title=title,
        authors=authors,
        abstract=abstract,
        keywords=_strings(content.get("keywords")),
        presentation=kind,
        pdf=f"{OPENREVIEW}/pdf?id={ident}" if pdf else "",
        year=year_match.group(0) if year_match else default_year,
        where=where,
        line=line,
    )


# -- BibTeX -----------------------------------------------------------------------
def forum_id_from_url(url: str) -> str:
    """The ``id`` of an ``openreview.net/forum?id=...`` URL, or ``""``."""
    parts = urlsplit(url.strip())
    if not parts.netloc.endswith("openreview.net"):
        return ""
    ident = (parse_qs(parts.query).get("id") or [""])[0]
    return ident if _ID.match(ident) else ""


def parse_bibtex(path: Path, text: str, default_year: str = "") -> Export:
    """OpenReview's own BibTeX (``@inproceedings{...}`` with a forum ``url``)."""
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser's own failures must not become tracebacks
        raise ExportError(f"cannot parse BibTeX: {exc}", path) from None
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ExportError("cannot parse this BibTeX entry (unbalanced braces or a missing "
                          "comma?)", path, (block.start_line or 0) + 1)
    export = Export(path, "bibtex")
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        line = (entry.start_line or 0) + 1
        where = f"entry {entry.key!r}"
        ident = fields.get("openreview", "").strip() or forum_id_from_url(fields.get("url", ""))
        if not ident:
            export.problem("error", f"entry {entry.key!r} has no OpenReview forum URL; skipped",
                           line)
            continue
        kind = classify(fields.get("presentation", ""), fields.get("note", ""),
                        fields.get("decision", ""))
        if kind in SKIP_LABELS:
            export.skipped[kind] += 1
            continue
        # Sizes first: converting a huge field (pylatexenc) would take minutes.
        reason = next(filter(None, (field_too_long(name, fields.get(name, ""))
                                    for name in ("title", "author", "keywords"))), None)
        if reason:
            export.problem("error", f"{where}: {reason}; skipped", line)
            continue
        reason = field_too_long("abstract", fields.get("abstract", ""))
        if reason:
            export.problem("error", f"{where}: {reason}; imported without it", line)
            fields.pop("abstract")
        title = to_unicode(fields.get("title", ""))
        try:
            authors = tuple(p.name for p in parse_authors(fields.get("author", "")))
        except ValueError as exc:
            export.problem("error", f"entry {entry.key!r}: {exc}; skipped", line)
            continue
        if not title or not authors:
            export.problem("error", f"entry {entry.key!r} has no title or no author; skipped",
                           line)
            continue
        if len(authors) > MAX_AUTHORS:
            export.problem("error", f"{where}: {len(authors):,} authors, more than the "
                           f"{MAX_AUTHORS} supported; skipped", line)
            continue
        abstract = to_unicode(fields["abstract"]) if fields.get("abstract", "").strip() else None
        year = fields.get("year", "").strip()
        export.records.append(Record(
            forum=ident,
            title=title,
            authors=authors,
            abstract=abstract,
            keywords=tuple(k for k in (to_unicode(k) for k in
                                       re.split(r"[,;]", fields.get("keywords", ""))) if k),
            presentation=kind,
            pdf=f"{OPENREVIEW}/pdf?id={ident}" if fields.get("pdf") else "",
            year=year if _YEAR.fullmatch(year) else default_year,
            where=where,
            line=line,
        ))
    return export


def load_export(path: Path, default_year: str = "") -> Export:
    """Read any of the three forms; raises `ExportError` for unusable input."""
    text = _read_text(path)
    if path.suffix.lower() == ".bib" or text.lstrip().startswith("@"):
        export = parse_bibtex(path, text, default_year)
    else:
        export = parse_json(path, text, default_year)
    export.records = [r for r in (_clean(export, r) for r in export.records) if _fits(export, r)]
    titles: dict[str, Record] = {}
    for record in export.records:
        folded = " ".join(record.title.casefold().split())
        if folded in titles:
            first = titles[folded]
            export.problem("warning", f"{record.where}: same title as {first.where}: "
                           f"{record.title!r}; both imported", record.line)
        else:
            titles[folded] = record
        if record.abstract is None:
            export.problem("warning", f"{record.where} ({record.title!r}) has no abstract",
                           record.line)
    export.records = [_limit_abstract(export, r) for r in export.records]
    return export


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def _clean(export: Export, record: Record) -> Record:
    """``record`` without control, bidi-override or lone surrogate characters.

    The reader refuses or strips them in ``papers/`` (and UTF-8 cannot hold a
    lone surrogate), so they are dropped here, with a warning.
    """
    changed = False

    def clean(text: str) -> str:
        nonlocal changed
        kept, line = strip_controls(_SURROGATES.sub("", text))
        changed = changed or line is not None or len(kept) != len(text)
        return kept

    def words(text: str) -> str:
        return " ".join(clean(text).split())

    cleaned = replace(
        record, title=words(record.title), authors=tuple(filter(None, map(words, record.authors))),
        abstract=clean(record.abstract) if record.abstract is not None else None,
        keywords=tuple(filter(None, map(words, record.keywords))))
    if changed:
        export.problem("warning", f"{record.where}: invisible control characters removed",
                       record.line)
    if not cleaned.title or not cleaned.authors:
        export.problem("error", f"{record.where} has no title or no author left; skipped",
                       record.line)
    return cleaned


def _fits(export: Export, record: Record) -> bool:
    """Whether the site's reader will accept the paper written for ``record``."""
    if not record.title or not record.authors:
        return False  # reported by _clean
    reason = None
    if len(record.authors) > MAX_AUTHORS:
        reason = f"{len(record.authors):,} authors, more than the {MAX_AUTHORS} supported"
    else:
        from .bibwriter import record_fields  # it imports this module: import at use

        fields = record_fields(record, "")
        reason = next(filter(None, (field_too_long(name, fields.get(name, ""))
                                    for name in ("title", "author", "keywords"))), None)
    if reason:
        export.problem("error", f"{record.where}: {reason}; skipped", record.line)
    return reason is None


def _limit_abstract(export: Export, record: Record) -> Record:
    """Drop an abstract too large for the site's reader (it would refuse the file)."""
    size = len((record.abstract or "").encode("utf-8"))
    if size <= MAX_ABSTRACT_BYTES:
        return record
    export.problem("error", f"{record.where}: abstract is {size:,} bytes, over the limit of "
                   f"{MAX_ABSTRACT_BYTES:,}; imported without it", record.line)
    return replace(record, abstract=None)
