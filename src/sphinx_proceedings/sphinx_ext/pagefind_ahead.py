"""Pagefind ahead of the build's end, after an edit: most pages while Sphinx works.

When an edit shows only on the edited papers' own pages (generate.py knows: an
abstract, a thumbnail), every other indexed page comes out as it was, so a
Pagefind service (render/pagefind_service.py, Pagefind's Python API) reads those
while Sphinx reads and writes, and gets the edited pages once they are written
(`complete_ahead`).  It starts at ``config-inited`` when the paper folders changed
since the last index tell which pages change (`guess_ahead`), else once the
papers are read (`index_ahead`).  Every page read ahead is checked at the end
(its lean copy's inode: render/lean_pages.py replaces a copy only when its text
changed); if one changed after all, or the service fails, pagefind_index.py runs
Pagefind over every page at once, as it does for any other build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_proceedings.core.model import docname_for
from sphinx_proceedings.render.lean_pages import EXCLUDED, lean_copies, lean_site
from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext.citations import HTML_BUILDERS
from sphinx_proceedings.sphinx_ext.config import papers_dir, proceedings_config
from sphinx_proceedings.sphinx_ext.pagefind_index import (
    INDEX_ENTRY,
    Indexing,
    index_is_current,
    page_list_digest,
    said_by,
    say_service_failed,
    site_to_index,
)
from sphinx_proceedings.sphinx_ext.state import build_state


def guess_ahead(app: Sphinx, config: Config) -> None:
    """``config-inited``: guess from the paper folders changed since the last index
    which paper pages this build will change, and start Pagefind on every other
    page now, about a second before `index_ahead` knows (Sphinx has its environment
    to load and the papers to read first).  `index_ahead` keeps the run if the
    guess holds, and stops it if not."""
    if importlib.util.find_spec("pagefind.index") is None:
        return
    wanted = site_to_index(app, quiet=True, builder_known=False)
    if wanted is None:
        return
    binary, outdir, pages = wanted
    if not _indexed_before(app, outdir, pages):
        return
    since = (store.folder(app) / store.PAGEFIND_INDEXED).stat().st_mtime_ns
    folders = _edited_folders(papers_dir(app), since)
    prefix = proceedings_config(config).prefix
    guessed = {outdir / prefix / "papers" / f"{docname_for(name)}.html" for name in folders or ()}
    if guessed and guessed <= set(pages):  # else a volume file or another layout: no guess
        run = _launch_ahead(app, binary, outdir, pages, guessed)
        if run is not None:
            _guessed[id(app)] = run


#: Runs `guess_ahead` started, until the environment holding the build's state exists.
_guessed: dict[int, Indexing] = {}


def _edited_folders(papers: Path, since: int) -> set[str] | None:
    """Names of the paper folders with a file changed after ``since`` (ns), when
    none of those is a BibTeX file; None when one is (a title or an author shows
    on other pages too) or something else in the papers folder changed (a volume
    file, topics.yml ...)."""
    folders = set()
    try:
        for entry in os.scandir(papers):
            if not entry.is_dir():
                if entry.stat().st_mtime_ns > since:
                    return None
                continue
            changed = [inner.name for inner in os.scandir(entry.path)
                       if inner.stat().st_mtime_ns > since]
            if any(name.endswith(".bib") for name in changed):
                return None
            if changed:
                folders.add(entry.name)
    except OSError:
        return None
    return folders


def index_ahead(app: Sphinx) -> None:
    """``builder-inited``, after generate.py: when this build follows an edit that
    shows only on the edited papers' own pages, every other indexed page will come
    out as it is, so Pagefind reads those while Sphinx reads and writes;
    `start_pagefind` gives it the rest (render/pagefind_service.py).  A run
    `guess_ahead` started is kept when it left out every edited page."""
    state = build_state(app.env)
    guessed = _guessed.pop(id(app), None)
    edited = _edited_pages(app)
    if guessed is not None:
        left_out = {copy.with_suffix("") for copy in guessed.ahead}
        folder = store.lean_pages(app)
        if edited and not any((folder / page.relative_to(app.outdir)).with_suffix("") in left_out
                              for page in edited):
            state.pagefind = guessed
            return
        guessed.site.close()  # a wrong guess: stopped
    if not edited or importlib.util.find_spec("pagefind.index") is None:
        return
    wanted = site_to_index(app, quiet=True)
    if wanted is None:
        return
    binary, outdir, pages = wanted
    if _indexed_before(app, outdir, pages):
        state.pagefind = _launch_ahead(app, binary, outdir, pages, edited)


def _edited_pages(app: Sphinx) -> set[Path]:
    """The pages of the papers whose edit shows on their own pages only (generate.py)."""
    state = build_state(app.env)
    if app.builder.name not in HTML_BUILDERS or not state.edited_papers:
        return set()
    prefix = proceedings_config(app.config).prefix
    return {Path(app.builder.get_outfilename(f"{prefix}/papers/{paper.docname}"))
            for paper in state.model.papers if paper.key in state.edited_papers}


def _indexed_before(app: Sphinx, outdir: Path, pages: list[Path]) -> bool:
    """Whether the last index covers these pages (else one run over all at the end)."""
    return (store.output_note(app, store.PAGEFIND_INDEXED) == page_list_digest(pages)
            and (outdir / INDEX_ENTRY).is_file())


def _launch_ahead(app: Sphinx, binary: str, outdir: Path, pages: list[Path],
                  skipped: set[Path]) -> Indexing | None:
    """Start render/pagefind_service.py on the lean copies of ``pages`` but ``skipped``."""
    folder = store.lean_pages(app)
    copies = lean_copies(folder, outdir, pages)
    first = [copy for page, copy in zip(pages, copies, strict=True) if page not in skipped]
    started = time.perf_counter()
    stack = ExitStack()
    try:
        site = stack.enter_context(lean_site(folder, first, name="site-ahead"))
        output = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - the stack closes it
        command = [sys.executable, "-m", "sphinx_proceedings.render.pagefind_service",
                   str(outdir / "pagefind"), str(site), "--exclude", *EXCLUDED]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   env=_service_environment(binary))
        stack.callback(_stop, process)
        ahead = {copy: copy.stat().st_ino for copy in first}
    except OSError:
        stack.close()
        return None
    return Indexing(process, output, stack, pages, started, ahead)


def _service_environment(binary: str) -> dict[str, str]:
    """The environment of render/pagefind_service.py: the binary to run, and this
    package importable even when conf.py put it on ``sys.path`` itself."""
    package_parent = str(Path(__file__).parents[2])
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PAGEFIND_BINARY_PATH": binary, "PYTHONPATH": path}


def _stop(process: subprocess.Popen) -> None:
    """End a run and the Pagefind service it started (its process group), if still running."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _complete(app: Sphinx, run: Indexing) -> Indexing | None:
    """Hand the run started ahead the pages it has not read; None when what it read
    is no longer what the site shows (a page it read was written with new text,
    or is gone) or it stopped: then one run over every page replaces it."""
    wanted = site_to_index(app, quiet=True)
    if wanted is None or run.process.poll() is not None:
        return None
    _, outdir, pages = wanted
    if index_is_current(app, outdir, pages):
        return None
    folder = store.lean_pages(app)
    copies = lean_copies(folder, outdir, pages)
    try:
        if set(run.ahead) - set(copies) or any(copy.stat().st_ino != inode
                                               for copy, inode in run.ahead.items()):
            return None
        rest = [copy for copy in copies if copy not in run.ahead]
        site = run.site.enter_context(lean_site(folder, rest, name="site-rest"))
        assert run.process.stdin is not None
        run.process.stdin.write(f"{site}\n".encode())
        run.process.stdin.close()
    except OSError:  # a copy gone, or the run stopped
        return None
    run.pages = pages
    return run


def complete_ahead(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``, before pagefind_index.py's: hand the run started
    ahead the pages it has not read, or stop it (pagefind_index.py then runs
    Pagefind over every page)."""
    state = build_state(app.env)
    run = state.pagefind
    if run is not None and run.ahead:
        state.pagefind = _complete(app, run)
        if state.pagefind is None:
            if run.process.poll():  # it stopped, saying why
                say_service_failed(run.process.returncode, said_by(run))
            run.site.close()
    return []


def drop_unused(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, before pagefind_index.py's: stop a run the build never
    used (it stopped before the page collection, or wrote no page)."""
    guessed = _guessed.pop(id(app), None)
    if guessed is not None:
        guessed.site.close()
    state = build_state(app.env)
    run = state.pagefind
    if run is not None and run.ahead and run.process.stdin and not run.process.stdin.closed:
        run.site.close()  # started ahead, never given the rest
        state.pagefind = None


def setup_pagefind_ahead(app: Sphinx) -> None:
    app.connect("config-inited", guess_ahead, priority=900)  # after the settings are checked
    app.connect("builder-inited", index_ahead, priority=600)  # after generate.py
    app.connect("html-collect-pages", complete_ahead, priority=90)  # before start_pagefind
    app.connect("build-finished", drop_unused, priority=890)  # before finish_pagefind
