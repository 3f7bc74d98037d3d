"""The one store of what a build keeps for the next, in Sphinx's doctree folder.

Layout (``<doctreedir>/sphinx-proceedings/``; ``-E`` ignores it, deleting it
costs one slow build)::

    pass-10.pickle      `Cached`: the inputs' fingerprint, the `Proceedings`, its
                        problems and the generated files: a no-op build reuses it
                        instead of reading papers/ (no-op 16 -> 5.9 CPU s at 1,000
                        papers, benchmarks/README.md)
    memo-10.pickle      `Memos`: what each input file gave the reader (read_memo.py)
                        and the results of slow pure functions (memo.py): a build
                        after an edit redoes one paper's share (reading 0.96 -> 0.06
                        s, rendering 1.76 -> 0.80 s); kept apart, as it is several
                        times larger and needed only when an input changed
    jinja-bytecode/     the theme's templates compiled (template_cache.py; each
                        checked against its source, so used with -E too)
    citation-inputs     the fingerprint the citation files were written from
                        (citations.py skips them when it matches)
    citation-files      the output folder, then the citation files written into it
                        last time (those gone from the model are removed)
    pagefind-indexed    the output folder, then a digest of the paper pages
                        Pagefind last indexed there (search.py skips an unchanged set)
    pagefind-pages-2/   lean copies of the paper pages for Pagefind (lean_pages.py;
                        Pagefind 4.1 -> 2.0 CPU s at 1,000 papers; the ``-2``:
                        their excluded parts are emptied)
    author-pages.pickle `PageDigests`: the output folder, then a digest of each
                        author page written there (author_pages.py writes a page
                        again only when its digest changes, and removes those
                        of authors who are gone)
    search-page         the output folder, then a digest of what the search page
                        was written from (search.py skips an unchanged page)

The notes about the output (the last five) name the output folder they
describe and are ignored for any other.  They are here and not in the output
because the output is published as it is (CI uploads ``_build/html``): it holds
only what readers need.  Losing them costs a rewrite of the citation files or
one Pagefind run, nothing else.

Not here, on purpose: the `Proceedings` is not domain data, because with ``-j``
every reading worker sends its whole environment back to the main process and
the model would travel with each; ``lru_cache`` in core/text.py lives only as
long as the process.
Everything is saved at ``build-finished`` and only after a successful build,
so results that `memo` collects late in the build (citation files) are kept too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx

from sphinx_proceedings.core import memo
from sphinx_proceedings.core.files import read_pickle
from sphinx_proceedings.core.model import Problem, Proceedings
from sphinx_proceedings.sphinx_ext.state import build_state

FOLDER = "sphinx-proceedings"
FORMAT = 10  # changes with `Cached`, `Memos` and what they hold (`Problem`, `Paper`: 10 has text trees)
PASS, MEMOS, CITATION_INPUTS, LEAN_PAGES = (f"pass-{FORMAT}.pickle", f"memo-{FORMAT}.pickle",
                                            "citation-inputs", "pagefind-pages-2")
CITATION_FILES, PAGEFIND_INDEXED = "citation-files", "pagefind-indexed"
AUTHOR_PAGES = "author-pages.pickle"
#: Where earlier releases kept the same things (removed when the store is saved).
LEGACY = ("sphinx-proceedings-5.pickle", "sphinx-proceedings-5-memo.pickle",
          "sphinx-proceedings-6.pickle", "sphinx-proceedings-6-memo.pickle",
          "sphinx-proceedings-7.pickle", "sphinx-proceedings-7-memo.pickle", "pagefind-pages",
          f"{FOLDER}/pagefind-pages",  # lean copies before their excluded parts were emptied
          *(f"{kind}-{n}.pickle" for n in range(8, FORMAT) for kind in ("pass", "memo")))
#: The package's page templates: a change to them changes every generated page.
TEMPLATES = Path(__file__).parents[1] / "render" / "templates"


@dataclass(frozen=True)
class Cached:
    """What one generation pass produced, keyed by its inputs' fingerprint."""

    fingerprint: str
    context: str  # the part of the fingerprint that is not papers/ (`context_digest`)
    proceedings: Proceedings
    problems: tuple[Problem, ...]
    files: tuple[str, ...]  # generated files, relative to the output folder


@dataclass(frozen=True)
class Memos:
    """What lets a build with a changed input redo only that input's share."""

    reader: dict[str, object]  # what each input file gave (read_memo.ReadMemo)
    results: dict[tuple[object, ...], object]  # results of pure functions (memo.py)


@dataclass(frozen=True)
class PageDigests:
    """What the author pages in one output folder were written from."""

    output: str  # the output folder, resolved
    context: str  # what every page shares: settings, templates, menus (author_pages.py)
    pages: dict[str, str]  # page name -> digest of its own content


@dataclass(frozen=True)
class Pending:
    """This build's pass and reader memo, saved if the build succeeds."""

    cached: Cached
    reader: dict[str, object]


def _tree_state(folder: Path) -> list[tuple[str, int, int]]:
    """Path, size and mtime of every file under ``folder`` (os.walk: no Path objects,
    which cost a quarter of a second per 10,000 files)."""
    state = []
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            state.append((os.path.relpath(path, folder), info.st_size, info.st_mtime_ns))
    return state


def context_digest(app: Sphinx, template_dirs: tuple[Path, ...]) -> str:
    """A digest of what pages are made with besides ``papers/``: settings, templates."""
    from sphinx_proceedings import __version__

    config = app.config
    settings = sorted((item.name, repr(item.value)) for item in config
                      if item.name.startswith("proceedings_") and item.rebuild)
    parts = [
        __version__, app.builder.name, repr(settings),
        repr((config.html_baseurl, config.html_file_suffix, config.master_doc,
              config.latex_documents, config.project, str(app.srcdir))),
        templates_digest(template_dirs),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def templates_digest(template_dirs: tuple[Path, ...]) -> str:
    """A digest of the page templates, ours and the site's: pages whose directives
    render one (lists, cards, people, the schedule) are read again when it changes."""
    parts = [repr(_tree_state(TEMPLATES)),
             *(repr(_tree_state(folder / "proceedings")) for folder in template_dirs)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fingerprint(context: str, papers: Path) -> str:
    """A digest of everything the generated pages are made from."""
    return hashlib.sha256(f"{context}\n{_tree_state(papers)!r}".encode()).hexdigest()


def folder(app: Sphinx) -> Path:
    return Path(app.doctreedir) / FOLDER


def _load(app: Sphinx, name: str) -> object:
    # -E (a fresh environment) starts afresh; None: Sphinx cannot say, so do too.
    if getattr(app, "fresh_env_used", True) is not False:
        return None
    try:
        return read_pickle(folder(app) / name)
    except Exception:  # absent, old, or damaged: regenerate
        return None


def load(app: Sphinx) -> Cached | None:
    """The last build's pass, if there is one."""
    cached = _load(app, PASS)
    return cached if isinstance(cached, Cached) else None


def load_memos(app: Sphinx) -> Memos:
    """What the last build kept of each input and function result (or nothing)."""
    memos = _load(app, MEMOS)
    return memos if isinstance(memos, Memos) else Memos({}, {})


def is_current(cached: Cached | None, fingerprint_now: str, output: Path) -> bool:
    """Whether the cached pass was made from these inputs and its files exist."""
    return (cached is not None and cached.fingerprint == fingerprint_now
            and all((output / name).is_file() for name in cached.files))


def save_pending(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: keep this build's pass for the next build (if it succeeded)."""
    state = build_state(app.env)
    pending, state.pending = state.pending, None
    if pending is not None and exception is None:
        _save(app, MEMOS, Memos(pending.reader, memo.results()))
        _save(app, PASS, pending.cached)
        for name in LEGACY:
            path = Path(app.doctreedir) / name
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _save(app: Sphinx, name: str, value: object) -> None:
    path = folder(app) / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def lean_pages(app: Sphinx) -> Path:
    """The folder of Pagefind's lean copies."""
    return folder(app) / LEAN_PAGES


def citation_inputs(app: Sphinx) -> str:
    """The fingerprint the citation files in the output were last written from ("" if none)."""
    try:
        return (folder(app) / CITATION_INPUTS).read_text(encoding="utf-8")
    except OSError:
        return ""


def note_citation_inputs(app: Sphinx, digest: str) -> None:
    path = folder(app) / CITATION_INPUTS
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(digest, encoding="utf-8")


def output_note(app: Sphinx, name: str) -> str | None:
    """What a step noted about this build's output folder (None: nothing, or another folder's)."""
    try:
        text = (folder(app) / name).read_text(encoding="utf-8")
    except OSError:
        return None
    where, _, body = text.partition("\n")
    return body if where == str(Path(app.outdir).resolve()) else None


def note_output(app: Sphinx, name: str, body: str) -> Path:
    """Keep ``body`` about this build's output folder; returns the note's path."""
    path = folder(app) / name
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{Path(app.outdir).resolve()}\n{body}", encoding="utf-8")
    return path


def load_page_digests(app: Sphinx) -> PageDigests | None:
    """The author pages' digests kept for this output folder (None: none, or another's)."""
    kept = _load(app, AUTHOR_PAGES)
    if isinstance(kept, PageDigests) and kept.output == str(Path(app.outdir).resolve()):
        return kept
    return None


def save_page_digests(app: Sphinx, context: str, pages: dict[str, str]) -> None:
    _save(app, AUTHOR_PAGES, PageDigests(str(Path(app.outdir).resolve()), context, pages))
