"""OpenReview exports in JSON form: the notes openreview-py returns.

API v2 wraps every content value as ``{"value": ...}``, API v1 writes it
plainly; both are read here, one note at a time, so that an odd note becomes
a `Problem` and the rest are still imported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.importers.openreview.jsonpos import nesting_position, note_lines, position
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


def parse_json(path: Path, text: str, default_year: str = "") -> Export:
    """An export in API v1 or v2 JSON form."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"malformed JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    except RecursionError:
        raise ExportError("malformed JSON: nested too deeply", path,
                          *position(text, nesting_position(text))) from None
    notes = _notes(data, path)
    wrapped = any(isinstance(n, dict) and isinstance(n.get("content"), dict)
                  and any(isinstance(v, dict) and "value" in v for v in n["content"].values())
                  for n in notes)
    export = Export(path, "api-v2" if wrapped else "api-v1")
    for number, (note, line) in enumerate(zip(notes, note_lines(text, notes), strict=True),
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
        export.problem(ProblemKind.EXPORT_NOTE, f"{where} is not an OpenReview note (no 'content' object); "
                       "skipped", line)
        return None
    content = note["content"]
    ident = note.get("forum") or note.get("id") or ""
    if not isinstance(ident, str) or not FORUM_ID.match(ident):
        export.problem(ProblemKind.EXPORT_NOTE, f"{where}: missing or malformed forum id {_short(ident)}; "
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
        export.problem(ProblemKind.EXPORT_NOTE, f"{where} has no title; skipped", line)
        return None
    authors = _strings(content.get("authors"))
    if not authors:
        export.problem(ProblemKind.EXPORT_NOTE, f"{where} ({title!r}) has no authors; skipped", line)
        return None
    abstract = _text(content.get("abstract")).strip() or None
    pdf = _text(content.get("pdf"))
    venue = _text(content.get("venue"))
    year_match = YEAR.search(venue) or YEAR.search(_text(content.get("venueid")))
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
