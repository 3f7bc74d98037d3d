"""Incremental builds: re-read or re-write only what shows changed data.

Two kinds of dependency exist besides Sphinx's own mtime check:

* a ``{paper-list}`` shows the result of a query; when that result (or what
  it displays of its papers) changes, the page is *re-read*;
* a ``{paper}``/``{topic}``/``{author}`` link shows the current title or
  name, filled in at write time; when it changes, the page is *re-written*.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .directives import run_query
from .domain import ProceedingsDomain, signature


def outdated_documents(app: Sphinx, env: BuildEnvironment, added: set[str],
                       changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: pages whose paper lists now show something else."""
    domain: ProceedingsDomain = env.get_domain("proceedings")  # type: ignore[assignment]
    proc = domain.model
    stale = set()
    for (objtype, name), (_, _, old) in domain.objects.items():
        found = signature(proc, objtype, name)
        if found is None or found[1] != old:
            stale.add((objtype, name))
    domain.changed_objects = stale  # type: ignore[attr-defined]
    outdated = []
    for docname, lists in domain.data["lists"].items():
        if docname in removed or docname in changed:
            continue
        if any(run_query(proc, query)[1] != sig for query, sig in lists):
            outdated.append(docname)
    return sorted(outdated)


def updated_documents(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages linking to objects whose title changed."""
    domain: ProceedingsDomain = env.get_domain("proceedings")  # type: ignore[assignment]
    stale = getattr(domain, "changed_objects", set())
    known = domain.objects
    return sorted(
        docname for docname, refs in domain.data["refs"].items()
        if docname in env.all_docs
        and any(tuple(ref) in stale or tuple(ref) not in known for ref in refs)
    )
