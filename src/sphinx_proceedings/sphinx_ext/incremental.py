"""Incremental builds: re-read or re-write only what shows changed data.

Two kinds of dependency exist besides Sphinx's own mtime check:

* a ``{paper-list}`` shows the result of a query as cards; when which papers
  it lists changes, the page is *re-read*; when only what their cards show
  changes (titles, links, abstracts with ``:abstracts:``: all written from the
  data), it is *re-written*;
* a ``{paper}``/``{topic}``/``{author}`` link shows the current title or
  name, filled in at write time; when it changes, the page is *re-written*.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_proceedings.sphinx_ext._workarounds import toctree_parents
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.directives import run_query
from sphinx_proceedings.sphinx_ext.domain import ProceedingsDomain, signature
from sphinx_proceedings.sphinx_ext.state import build_state


def outdated_documents(app: Sphinx, env: BuildEnvironment, added: set[str],
                       changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: pages whose paper lists now show something else."""
    domain = ProceedingsDomain.of(env)
    state = build_state(env)
    proc = state.model
    stale = set()
    if not state.lists_unchanged:
        for (objtype, name), (_, _, old) in domain.objects.items():
            found = signature(proc, objtype, name)
            if found is None or found[1] != old:
                stale.add((objtype, name))
    state.changed_objects = stale
    outdated = []
    for docname, lists in domain.data["lists"].items():
        if docname in removed or docname in changed:
            continue
        # With nothing else changed (generate.py), the same papers are listed.
        if not state.lists_unchanged and any(
                run_query(proc, query, "")[1] != which for query, which, _ in lists):
            outdated.append(docname)
    return sorted(outdated)


def updated_documents(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: pages linking to objects whose title changed, and
    pages whose cards show something else (their new signature is kept)."""
    domain = ProceedingsDomain.of(env)
    state = build_state(env)
    stale = state.changed_objects
    known = domain.objects
    updated = {
        docname for docname, refs in domain.data["refs"].items()
        if docname in env.found_docs
        and any(tuple(ref) in stale or tuple(ref) not in known for ref in refs)
    }
    for docname, lists in domain.data["lists"].items():
        # Only lists with abstracts can differ when nothing else changed.
        checked = [i for i, (query, _, _) in enumerate(lists)
                   if query[4] or not state.lists_unchanged]
        for index in checked:
            query, which, shown = lists[index]
            now = run_query(state.model, query, state.templates_digest)[2]
            if now != shown:
                lists[index] = (query, which, now)
                updated.add(docname)
    return sorted(updated)


#: Generated pages whose hidden toctree lists every paper, topic or author page.
LISTINGS = ("index", "topics/index", "authors/index")


def skip_listing_rewrites(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: a changed paper need not re-write the listings.

    Sphinx re-writes every page whose toctree holds a changed page.  Our
    listings hold theirs in a hidden toctree that shows nothing, and what they
    do show (titles, names) is tracked above, so re-writing the 1,000-entry
    list of papers because one abstract changed is wasted work.  The entries
    are set aside after Sphinx pickled the environment and put back at the end
    of the build (`restore_listing_rewrites`).  Without Sphinx's map of toctree
    parents (`_workarounds.toctree_parents`) the listings are re-written.
    """
    parents_of = toctree_parents(env)
    if parents_of is None:
        return
    prefix = proceedings_config(app.config).prefix
    listings = {f"{prefix}/{name}" for name in LISTINGS}
    set_aside: dict[str, set[str]] = {}
    for docname, parents in parents_of.items():
        if docname.startswith(f"{prefix}/") and parents & listings:
            set_aside[docname] = parents & listings
            parents -= listings
    build_state(env).set_aside = set_aside


def restore_listing_rewrites(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put back what `skip_listing_rewrites` set aside."""
    state = build_state(app.env)
    parents_of = toctree_parents(app.env)
    if parents_of is not None:
        for docname, parents in state.set_aside.items():
            parents_of.setdefault(docname, set()).update(parents)
    state.set_aside = {}


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_documents)
    app.connect("env-get-updated", updated_documents)
    app.connect("env-check-consistency", skip_listing_rewrites)
    app.connect("build-finished", restore_listing_rewrites)
