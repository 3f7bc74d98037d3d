"""Results of slow pure functions, kept from one build to the next.

Every build that sees a changed input renders every generated page's text and
compares it with the file on disk.  Much of that time goes to a pure
function of one paper, its BibTeX entry (`export.bibtex_entry`, used by the
page and by the citation files; abstracts are judged once per changed file by
the reader, see `read_memo`).  Its results are kept in the build's store
(`sphinx_ext/store.py`), keyed by their arguments, so editing one paper
recomputes one paper's worth.  Only results used in the current build are
kept, so the store does not grow.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_MISSING = object()
_current: dict[tuple[Any, ...], Any] = {}
_previous: dict[tuple[Any, ...], Any] = {}


def remembered(function: F) -> F:
    """Decorate a pure function whose arguments are hashable."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        key = (name, *args)
        value = _current.get(key, _MISSING)
        if value is _MISSING:
            value = _previous.pop(key, _MISSING)
            if value is _MISSING:
                value = function(*args)
            _current[key] = value
        return value

    return wrapper  # type: ignore[return-value]


def start(previous: dict[tuple[Any, ...], Any]) -> None:
    """Begin a build with the results the last build kept."""
    _current.clear()
    _previous.clear()
    _previous.update(previous)


def results() -> dict[tuple[Any, ...], Any]:
    """The results used so far in this build, to keep for the next one."""
    return dict(_current)
