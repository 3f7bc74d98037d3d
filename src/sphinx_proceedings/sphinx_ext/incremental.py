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

from sphinx_proceedings.sphinx_ext.directives import run_query
from sphinx_proceedings.sphinx_ext.domain import ProceedingsDomain, signature


def outdated_documents(app: Sphinx, env: BuildEnvironment, added: set[str],
                       changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: pages whose paper lists now show something else."""
    domain: ProceedingsDomain = env.get_domain("proceedings")  # type: ignore[assignment]
    if getattr(domain, "lists_unchanged", False):
        domain.changed_objects = set()  # type: ignore[attr-defined]
        return []  # no list or title can differ from the last build (build.py)
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


#: Generated pages whose hidden toctree lists every paper, topic or author page.
LISTINGS = ("index", "topics/index", "authors/index")


def skip_listing_rewrites(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: a changed paper need not re-write the listings.

    Sphinx re-writes every page whose toctree holds a changed page.  Our
    listings hold theirs in a hidden toctree that shows nothing, and what they
    do show (titles, names) is tracked above, so re-writing the 1,000-entry
    list of papers because one abstract changed is wasted work.  The entries
    are set aside after Sphinx pickled the environment and put back at the end
    of the build (`restore_listing_rewrites`).
    """
    prefix = app.config.proceedings_output_dir.strip("/")
    listings = {f"{prefix}/{name}" for name in LISTINGS}
    set_aside: dict[str, set[str]] = {}
    for docname, parents in env.files_to_rebuild.items():
        if docname.startswith(f"{prefix}/") and parents & listings:
            set_aside[docname] = parents & listings
            parents -= listings
    env.get_domain("proceedings").set_aside = set_aside  # type: ignore[attr-defined]


def restore_listing_rewrites(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put back what `skip_listing_rewrites` set aside."""
    domain = app.env.get_domain("proceedings")
    for docname, parents in getattr(domain, "set_aside", {}).items():
        app.env.files_to_rebuild.setdefault(docname, set()).update(parents)
    domain.set_aside = {}  # type: ignore[attr-defined]
