"""What every OpenReview export form is read into: `Record`, `Export`, decisions.

A module of its own so that the reader of each form (`openreview_json`,
`openreview_bibtex`), the front door (`openreview`) and the writer
(`bibwriter`) share these names without importing one another.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.problems import ProblemKind

OPENREVIEW = "https://openreview.net"
FORUM_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
YEAR = re.compile(r"\b(19|20)\d\d\b")


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

    def problem(self, kind: ProblemKind, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(kind, message, Source(self.path, line)))


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
