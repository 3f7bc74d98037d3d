"""Find a page's toctree ancestors without rescanning every toctree.

Sphinx's ``sphinx.environment.adapters.toctree._get_toctree_ancestors``
rebuilds the map from every toctree entry to its parent each time it is
called, and Sphinx and pydata-sphinx-theme call it for every page they write
(global navigation, the navbar's active section).  Writing N pages thus costs
N times all toctree entries: quadratic.  At 10,000 papers (about 37,000
pages) this made writing slower per page than at 1,000 (see
``benchmarks/README.md``).

Once documents are read, the toctrees do not change until the build ends, so
from ``env-updated`` to ``build-finished`` the map is built once per
``toctree_includes`` dictionary and reused; the answer is the same.  Outside
that window (reading, other builds in the same process) Sphinx's own function
runs.  Remove this module when Sphinx caches the map itself.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

import sphinx.environment.adapters.toctree as adapter
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_sphinx_ancestors = adapter._get_toctree_ancestors
_state: dict[str, Any] = {"active": False, "includes": None, "parent": {}}


def _parents(toctree_includes: dict[str, list[str]]) -> dict[str, str]:
    """Child -> parent, the later toctree winning, exactly as Sphinx builds it."""
    parent: dict[str, str] = {}
    for name, children in toctree_includes.items():
        parent |= dict.fromkeys(children, name)
    return parent


def toctree_ancestors(toctree_includes: dict[str, list[str]], docname: str) -> Set[str]:
    """Drop-in for Sphinx's function: ``docname`` and its ancestors, nearest first."""
    if not _state["active"]:
        return _sphinx_ancestors(toctree_includes, docname)
    if _state["includes"] is not toctree_includes:
        _state["includes"], _state["parent"] = toctree_includes, _parents(toctree_includes)
    parent = _state["parent"]
    ancestors: list[str] = []
    current = docname
    while current in parent and current not in ancestors:
        ancestors.append(current)
        current = parent[current]
    return dict.fromkeys(ancestors).keys()


def install() -> None:
    """Put `toctree_ancestors` in place of Sphinx's function (once per process)."""
    adapter._get_toctree_ancestors = toctree_ancestors  # type: ignore[assignment]


def start(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: documents are read; toctrees stay as they are from here."""
    _state.update(active=True, includes=None, parent={})
    return []


def stop(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: back to Sphinx's own function."""
    _state.update(active=False, includes=None, parent={})
