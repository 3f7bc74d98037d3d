"""OpenReview exports in BibTeX form: ``@inproceedings`` entries with a forum URL.

Kept apart from the JSON form because its values are LaTeX, not plain text:
sizes are checked before converting them (pylatexenc is slow on huge fields).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import bibtexparser

from sphinx_proceedings.core.checks import judge_sizes
from sphinx_proceedings.core.model import Source
from sphinx_proceedings.core.names import parse_authors
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.text import to_unicode
from sphinx_proceedings.importers.openreview.records import (
    FORUM_ID,
    OPENREVIEW,
    SKIP_LABELS,
    YEAR,
    Export,
    ExportError,
    Record,
    classify,
)


def forum_id_from_url(url: str) -> str:
    """The ``id`` of an ``openreview.net/forum?id=...`` URL, or ``""``."""
    parts = urlsplit(url.strip())
    if not parts.netloc.endswith("openreview.net"):
        return ""
    ident = (parse_qs(parts.query).get("id") or [""])[0]
    return ident if FORUM_ID.match(ident) else ""


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
        ident = fields.get("openreview", "").strip() or forum_id_from_url(fields.get("url", ""))
        if not ident:
            export.problem(ProblemKind.EXPORT_NOTE,
                           f"entry {entry.key!r} has no OpenReview forum URL; skipped",
                           line)
            continue
        kind = classify(fields.get("presentation", ""), fields.get("note", ""),
                        fields.get("decision", ""))
        if kind in SKIP_LABELS:
            export.skipped[kind] += 1
            continue
        # Sizes first: converting a huge field (pylatexenc) would take minutes.
        sizes = judge_sizes(entry.key, fields, Source(path, line))
        export.problems.extend(sizes.problems)
        if not sizes.usable:
            continue
        for name in sizes.ignored:
            fields.pop(name)
        title = to_unicode(fields.get("title", ""))
        try:
            authors = tuple(p.name for p in parse_authors(fields.get("author", "")))
        except ValueError as exc:
            export.problem(ProblemKind.EXPORT_NOTE, f"entry {entry.key!r}: {exc}; skipped", line)
            continue
        if not title or not authors:
            export.problem(ProblemKind.EXPORT_NOTE,
                           f"entry {entry.key!r} has no title or no author; skipped", line)
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
            year=year if YEAR.fullmatch(year) else default_year,
            where=f"entry {entry.key!r}",
            line=line,
        ))
    return export
