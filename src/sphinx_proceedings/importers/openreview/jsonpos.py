"""Line and column positions in JSON text, for messages that point into the file.

`json` keeps no positions once it has parsed a document, so these helpers
scan the text again: where nesting gets too deep, and on which line each
note of a top-level list is written.
"""

from __future__ import annotations

import json
import re

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nesting_position(text: str, limit: int = 500) -> int:
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


def position(text: str, offset: int) -> tuple[int, int]:
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


def note_lines(text: str, notes: list) -> list[int]:
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
