"""OpenReview exports as plain records (`importers/bibwriter.py` turns them into files).

Three forms are read: a JSON list of notes as openreview-py's API v2 returns
them (every content value wrapped as ``{"value": ...}``), the API v1 form
(plain values), and OpenReview's own BibTeX.  Notes that were rejected,
withdrawn or desk-rejected are counted, not returned.  Unusable input raises
`ExportError` with file, line and column; a single odd note becomes a
`Problem` and is skipped.

This module is the front door: it reads the file, hands it to the reader of
its form (`from_json`, `from_bibtex`) and cleans the records of characters
the site's reader would strip.  Whether a record's paper is accepted is
decided later, once it has a key, by the same judgement as ``proceedings
check`` (`core.checks.judge_entry`, called by ``cli/papers.py``).  The shared
types live in `records` and are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.reader import CONTROLS_REMOVED
from sphinx_proceedings.core.safety import strip_controls
from sphinx_proceedings.importers.openreview.from_bibtex import forum_id_from_url, parse_bibtex
from sphinx_proceedings.importers.openreview.from_json import parse_json
from sphinx_proceedings.importers.openreview.records import (
    OPENREVIEW,
    SKIP_LABELS,
    Export,
    ExportError,
    Record,
    classify,
)

__all__ = [
    "MAX_EXPORT_BYTES", "OPENREVIEW", "SKIP_LABELS", "Export", "ExportError", "Record",
    "classify", "forum_id_from_url", "load_export", "parse_bibtex", "parse_json",
]

MAX_EXPORT_BYTES = 64 * 1024 * 1024


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


def load_export(path: Path, default_year: str = "") -> Export:
    """Read any of the three forms; raises `ExportError` for unusable input."""
    text = _read_text(path)
    if path.suffix.lower() == ".bib" or text.lstrip().startswith("@"):
        export = parse_bibtex(path, text, default_year)
    else:
        export = parse_json(path, text, default_year)
    export.records = [r for r in (_clean(export, r) for r in export.records)
                      if r.title and r.authors]
    titles: dict[str, Record] = {}
    for record in export.records:
        folded = " ".join(record.title.casefold().split())
        if folded in titles:
            first = titles[folded]
            export.problem(ProblemKind.EXPORT_DUPLICATE, f"{record.where}: same title as "
                           f"{first.where}: {record.title!r}; both imported", record.line)
        else:
            titles[folded] = record
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
        export.problem(ProblemKind.CONTROL_CHARACTERS, f"{record.where}: {CONTROLS_REMOVED}",
                       record.line)
    if not cleaned.title or not cleaned.authors:
        export.problem(ProblemKind.EXPORT_NOTE, f"{record.where} has no title or no author "
                       "left; skipped", record.line)
    return cleaned
