"""What the reader keeps from one build to the next.

Parsing BibTeX and converting LaTeX is most of the time spent reading
``papers/``.  Each paper folder and volume file is remembered with the state
of its files (name, size, mtime); while that state is unchanged, the entries
it gave are reused as they are.  Only what depends on the file alone is kept:
the checks across entries (duplicate keys and page names) run every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx_proceedings.core.model import Paper, Problem


@dataclass(frozen=True)
class Candidate:
    """One entry read on its own, before the checks that need the other entries.

    Everything in it depends only on the entry's own file (and the site's
    settings and topics), so it can be kept between builds (`ReadMemo`).
    """

    key: str
    path: Path
    line: int
    paper: Paper | None
    problems: tuple[Problem, ...]
    key_ok: bool = True


#: ``memo[str(path)] = (state of the file or folder, its problems, its candidates)``
#: plus ``memo[""] = context``; reused while nothing it was read from changed.
ReadMemo = dict[str, object]


def file_state(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of a file, or of every file in a folder."""
    paths = sorted(path.iterdir()) if path.is_dir() else [path]
    state = []
    for item in paths:
        try:
            info = item.stat()  # follows links: a linked abstract's edits count
        except OSError:
            continue
        state.append((item.name, info.st_size, info.st_mtime_ns))
    return tuple(state)
