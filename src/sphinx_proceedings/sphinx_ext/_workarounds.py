"""Every use of a Sphinx name that is not public API, in one place.

Each workaround buys speed or a nicer default, never correctness: when a Sphinx
release renames or drops what it relies on, `available` says so once (an info
line naming the workaround) and the caller falls back to Sphinx's own
behaviour, slower or plainer but correct.  Nothing here raises because of a
missing name.  Each block says why it exists and what public API would replace
it; delete the block when that API exists.

The ``proceedings`` command never imports this module (tests/sphinx/test_workarounds.py).
Tests simulate a renamed name by pointing `PRIVATE` at a name that does not exist.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Set
from pathlib import Path
from typing import Any

import sphinx
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: workaround -> the Sphinx name it reads (module attribute or object attribute).
PRIVATE: dict[str, str] = {
    "toctree_ancestors": "_get_toctree_ancestors",  # sphinx.environment.adapters.toctree
    "listing_rewrites": "files_to_rebuild",  # BuildEnvironment, undocumented
    "user_set": "_raw_config",  # Config
    "download_names": "dlfiles",  # BuildEnvironment, undocumented
    "std_labels": "labels",  # StandardDomain, undocumented (with its anonlabels)
    "fewer_chunks": "make_chunks",  # sphinx.builders: the function its parallel build calls
}
#: What the build loses without each workaround (the info line says it).
FALLBACK = {
    "toctree_ancestors": "toctree ancestors are recomputed per page (slower at scale), and "
                         "author pages mark no navbar entry as the current one",
    "listing_rewrites": "listing pages are re-written whenever a paper page changes",
    "user_set": "a setting equal to Sphinx's default counts as not set by conf.py",
    "download_names": "local PDF addresses are looked up in the page's doctree (slower)",
    "std_labels": "papers, topics and authors get no standard labels (their roles still link)",
    "fewer_chunks": "a large parallel build uses Sphinx's own chunks (slower at 10,000 papers)",
}
#: The oldest Sphinx each workaround was checked against (older: not used).
SINCE = {"toctree_ancestors": (7, 2)}
_reported: set[str] = set()


def available(name: str, owner: object) -> bool:
    """Whether ``owner`` still has the private name a workaround needs.

    Says once per process, at info level, when it does not.
    """
    found = (sphinx.version_info[:2] >= SINCE.get(name, (0, 0))
             and hasattr(owner, PRIVATE[name]))
    if not found and name not in _reported:
        _reported.add(name)
        logger.info(f"[proceedings] Sphinx {sphinx.__display_version__} has no "
                    f"{PRIVATE[name]}: {FALLBACK[name]}")
    return found


# -- toctree ancestors ---------------------------------------------------------------
# Why: Sphinx's ``_get_toctree_ancestors`` rebuilds a child -> parent map of every
# toctree entry on each call, and Sphinx and pydata-sphinx-theme call it for every
# page written: quadratic (benchmarks/README.md).  From env-updated to
# build-finished toctrees do not change, so the map is built once per
# ``toctree_includes`` dict.  Public replacement: none; Sphinx caching the map
# itself (or a public TocTree.get_toctree_ancestors backed by a cache).

_ancestors: dict[str, Any] = {"active": False, "includes": None, "parent": {}, "sphinx": None,
                              "extra": {}}


def _toctree_module() -> Any:
    import sphinx.environment.adapters.toctree as module

    return module


def _cached_ancestors(toctree_includes: dict[str, list[str]], docname: str) -> Set[str]:
    """Drop-in for Sphinx's function: ``docname`` and its ancestors, nearest first."""
    if not _ancestors["active"]:
        return _ancestors["sphinx"](toctree_includes, docname)
    if _ancestors["includes"] is not toctree_includes:
        parent: dict[str, str] = dict(_ancestors["extra"])
        for name, children in toctree_includes.items():  # the later toctree wins, as in Sphinx
            parent |= dict.fromkeys(children, name)
        _ancestors["includes"], _ancestors["parent"] = toctree_includes, parent
    parent = _ancestors["parent"]
    found: list[str] = []
    current = docname
    while current in parent and current not in found:
        found.append(current)
        current = parent[current]
    return dict.fromkeys(found).keys()


def install_toctree_ancestors() -> bool:
    """Put the cached lookup in place of Sphinx's (once per process); False if impossible."""
    module = _toctree_module()
    if not available("toctree_ancestors", module):
        return False
    current = getattr(module, PRIVATE["toctree_ancestors"])
    if current is not _cached_ancestors:
        _ancestors["sphinx"] = current
        setattr(module, PRIVATE["toctree_ancestors"], _cached_ancestors)
    return True


def note_page_parents(parents: dict[str, str]) -> bool:
    """Pages that are no documents (author pages) and the document each sits under.

    Their ancestors are then what they would be if that document's toctree named
    them: the theme marks the navbar entry they belong to.  False when the cached
    lookup is not in use (then they have no ancestors: no navbar entry is marked).
    """
    _ancestors.update(extra=dict(parents), includes=None)
    return _ancestors["sphinx"] is not None


def sphinx_toctree_ancestors() -> Callable[[dict[str, list[str]], str], Set[str]] | None:
    """Sphinx's own function, as it was before `install_toctree_ancestors` (tests)."""
    return _ancestors["sphinx"]


def start_toctree_cache(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: documents are read; toctrees stay as they are from here."""
    _ancestors.update(active=_ancestors["sphinx"] is not None, includes=None, parent={})
    return []


def stop_toctree_cache(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: back to Sphinx's own function."""
    _ancestors.update(active=False, includes=None, parent={}, extra={})


# -- listing rewrites ----------------------------------------------------------------
# Why: Sphinx re-writes every page whose toctree holds a changed page
# (``env.files_to_rebuild``); the generated listings hold every paper in a hidden
# toctree that shows nothing, so one abstract edit re-wrote the 1,000-entry papers
# page.  Public replacement: none (an env-get-updated-like event that may also
# remove documents from the write set).

def toctree_parents(env: BuildEnvironment) -> dict[str, set[str]] | None:
    """``env.files_to_rebuild`` (page -> pages whose toctree holds it), or None."""
    if not available("listing_rewrites", env):
        return None
    parents = getattr(env, PRIVATE["listing_rewrites"])
    return parents if isinstance(parents, dict) else None


# -- settings conf.py gave -----------------------------------------------------------
# Why: the extension picks defaults for some of Sphinx's own settings (XeLaTeX, the
# book as LaTeX root) only when conf.py and -D leave them alone, and a value equal
# to Sphinx's default may still have been chosen on purpose.  ``config.overrides``
# (-D) is public; what conf.py set is only in ``Config._raw_config``.  Public
# replacement: none (a Config.is_set(name) would do).

def user_set(config: Config, name: str) -> bool:
    """Whether conf.py or ``-D`` gave ``name`` a value (then the extension leaves it alone)."""
    if name in config.overrides:
        return True
    if available("user_set", config):
        raw = getattr(config, PRIVATE["user_set"])
        if isinstance(raw, dict):
            return name in raw
    default = config.values[name].default if name in config.values else None
    if callable(default):
        default = default(config)
    return config[name] != default


# -- download names ------------------------------------------------------------------
# Why: a paper's PDF is published by Sphinx's ``{download}`` role under
# ``_downloads/<digest>/<name>``; the citation files and meta tags need that address
# for every paper, and ``env.dlfiles`` maps source files to it in one lookup.
# Fallback: the ``filename`` of the page's own download_reference node (what
# Sphinx's HTML writer links), which costs reading the page's doctree.  Public
# replacement: none (a builder method giving a download's URI).

def download_name(env: BuildEnvironment, docname: str, source: Path,
                  doctree: nodes.document | None = None) -> str:
    """Where Sphinx publishes ``source`` under ``_downloads/`` ("" if not a download)."""
    if available("download_names", env):
        downloads = getattr(env, PRIVATE["download_names"])
        relative = Path(os.path.relpath(source.resolve(), Path(env.srcdir).resolve()))
        # Sphinx keys its downloads by path (str in older releases).
        found = downloads.get(relative) or downloads.get(relative.as_posix())
        return Path(found[1]).as_posix() if found else ""
    if doctree is None:
        try:
            doctree = env.get_doctree(docname)
        except Exception:  # noqa: BLE001 - no doctree (not read yet): no address
            return ""
    wanted = source.resolve()
    for node in doctree.findall(addnodes.download_reference):
        target = node.get("reftarget", "")
        if node.get("filename") and Path(env.relfn2path(target, docname)[1]).resolve() == wanted:
            return Path(node["filename"]).as_posix()
    return ""



# -- standard labels -----------------------------------------------------------------
# Why: every paper, topic and author is also a standard label (``paper-KEY`` ...)
# so that projects without this extension link to it with ``:ref:`` through
# intersphinx, with the paper's plain-text title (math as Unicode) as link text.
# Sphinx's public way to make a label, ``document.note_explicit_target``, takes that
# text from the section title, where math stays TeX; so the label goes straight into
# the standard domain's ``labels``/``anonlabels``.  Fallback: no such labels; the
# ``proceedings`` objects in objects.inv and the roles are unaffected.  Public
# replacement: a StandardDomain method that adds a label with a given title.

def add_std_label(env: BuildEnvironment, label: str, docname: str, title: str) -> str | None:
    """Make ``label`` point at ``docname``; the page that already has it, if another."""
    std = env.get_domain("std")
    if not available("std_labels", std):
        return None
    labels = getattr(std, PRIVATE["std_labels"])
    anonlabels = getattr(std, "anonlabels", {})
    other = labels.get(label) or anonlabels.get(label)
    if other is not None and other[0] != docname:
        return other[0]
    labels[label] = (docname, "", title)
    anonlabels[label] = (docname, "")
    return None


def drop_std_label(env: BuildEnvironment, label: str, docname: str) -> None:
    """Forget ``label`` if it still points at ``docname`` (a page that is gone)."""
    std = env.get_domain("std")
    if not available("std_labels", std):
        return
    for table in (getattr(std, PRIVATE["std_labels"]), getattr(std, "anonlabels", {})):
        if table.get(label, ("",))[0] == docname:
            del table[label]


# -- Sphinx's search index -----------------------------------------------------------
# Why: a site whose search is Pagefind (look.py) should not ship Sphinx's search
# page and ``searchindex.js``.  The HTML builder's ``search`` class attribute is how
# Sphinx's own help builders turn them off; it is not documented for extensions.
# Fallback: Sphinx writes its search page and index as usual (nothing links to
# them).  Public replacement: none (an ``html_search = False`` setting would do).

def drop_search_index(builder: object) -> bool:
    """Have ``builder`` write no search page and index; False if it cannot be told."""
    if not isinstance(getattr(builder, "search", None), bool):
        return False
    builder.search = False  # type: ignore[attr-defined]
    return True

# -- fewer chunks in large parallel builds --------------------------------------------
# Why: with ``-j``, Sphinx reads documents in chunks of about sqrt(10 * N / procs)
# (45 chunks at 10,000 papers), each in a forked process that sends back its
# *whole* environment, pickled: everything merged before it was forked included.
# The main process unpickles each one alone, so the bytes grow with chunks x
# documents: at 10,000 papers that was 145 of the 210 seconds of reading
# (benchmarks/README.md), with the workers waiting.  Fewer, larger chunks past
# `MANY_DOCUMENTS` (`CHUNKS_PER_PROCESS` per process) send much less.  Smaller
# builds keep Sphinx's chunks.  Public replacement: none; a chunk size setting, or
# Sphinx sending back only what the chunk read.

#: Documents from which chunks are made larger, and how many chunks each process gets.
MANY_DOCUMENTS, CHUNKS_PER_PROCESS = 3000, 6


def _builders_module() -> Any:
    import sphinx.builders as module

    return module


def _fewer_chunks(sphinx_make_chunks: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    def make_chunks(arguments: Any, nproc: int, *args: Any, **kwargs: Any) -> list[Any]:
        chunks = sphinx_make_chunks(arguments, nproc, *args, **kwargs)
        count = len(arguments)
        if count < MANY_DOCUMENTS or not chunks:
            return chunks
        size = max(max(len(chunk) for chunk in chunks), -(-count // (nproc * CHUNKS_PER_PROCESS)))
        return [arguments[i:i + size] for i in range(0, count, size)]

    make_chunks.proceedings_sphinx = sphinx_make_chunks  # type: ignore[attr-defined]
    return make_chunks


def install_fewer_chunks() -> bool:
    """Have Sphinx's parallel read and write use `_fewer_chunks`; False if impossible."""
    module = _builders_module()
    if not available("fewer_chunks", module):
        return False
    current = getattr(module, PRIVATE["fewer_chunks"])
    if not hasattr(current, "proceedings_sphinx"):
        setattr(module, PRIVATE["fewer_chunks"], _fewer_chunks(current))
    return True


def setup_toctree_cache(app: Sphinx) -> None:
    """Use the cached toctree ancestors while pages are written, if Sphinx allows."""
    if install_toctree_ancestors():
        app.connect("env-updated", start_toctree_cache)
        app.connect("build-finished", stop_toctree_cache)


# -- a few documents read in the main process --------------------------------------
# Why: with -j, Sphinx reads even one changed document in a forked process, which
# sends the *whole* environment back pickled for the main process to unpickle
# (0.6 s of a one-abstract edit at 1,000 papers, growing with the site), where
# reading the document itself takes milliseconds.  ``app.parallel`` (set from -j,
# public but meant to be read) is what Sphinx looks at to choose; for a read of at
# most `FEW_DOCUMENTS` it is 1, and it is put back as soon as the read is over
# (env-updated), before Sphinx chooses how to write.  No private name: nothing to
# check for.  Public replacement: none; Sphinx reading a few documents in its own
# process.

#: Reads of at most this many documents happen in the main process.
FEW_DOCUMENTS = 20
_parallel: dict[int, int] = {}  # id(app) -> its -j value, while set aside


def read_few_in_process(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``, last: a small read in this process."""
    if not 0 < len(docnames) <= FEW_DOCUMENTS:
        return
    jobs = getattr(app, "parallel", None)
    if isinstance(jobs, int) and jobs > 1:
        _parallel[id(app)] = jobs
        app.parallel = 1


def restore_parallel(app: Sphinx, *args: object) -> None:
    """``env-updated`` (and ``build-finished``, if reading failed): -j as it was."""
    jobs = _parallel.pop(id(app), None)
    if jobs is not None:
        app.parallel = jobs


def setup_small_reads(app: Sphinx) -> None:
    app.connect("env-before-read-docs", read_few_in_process, priority=900)
    app.connect("env-updated", restore_parallel, priority=0)
    app.connect("build-finished", restore_parallel, priority=0)
