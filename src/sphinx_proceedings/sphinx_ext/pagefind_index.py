"""Pagefind's index of the site: which pages it covers, and when it runs.

Once the HTML build has written its documents, the Pagefind binary (shipped by
the ``pagefind`` PyPI package) indexes the paper and topic pages and the
hand-written pages (`indexed_pages`), from lean copies of them
(render/lean_pages.py).  It runs in its own process while Sphinx writes the
author pages, indices and citation files, and the build waits for it at its
end (`start_pagefind`, `finish_pagefind`).  When no indexed page changed, the
index is kept as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from sphinx_proceedings.core.model import docname_for
from sphinx_proceedings.render.lean_pages import lean_copies, lean_site
from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext.citations import HTML_BUILDERS
from sphinx_proceedings.sphinx_ext.config import papers_dir, proceedings_config, publishes_papers
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)

#: Parts of a paper page that name *other* papers (a title search must not hit
#: them) or belong to the theme's frame, not to the paper.
EXCLUDED = (".proceedings-prev-next", "#related-papers", ".proceedings-citation-files",
            ".proceedings-paper-list", ".proceedings-filter",
            ".headerlink", "header", "footer", "nav", ".bd-header", ".bd-footer",
            ".bd-header-article", ".bd-sidebar-primary", ".bd-sidebar-secondary", ".skip-link",
            "#pst-back-to-top")



def pagefind_binary() -> str | None:
    """The Pagefind executable: the PyPI package's, else one on PATH."""
    try:
        import pagefind_bin

        return str(pagefind_bin.get_executable())
    except Exception:  # noqa: BLE001 - not installed, or no binary for this platform
        return shutil.which("pagefind")


#: A file every complete Pagefind index has.
INDEX_ENTRY = "pagefind/pagefind.js"
#: Where earlier releases kept the index mark, in the published output: removed when seen.
LEGACY_MARK = "pagefind/.proceedings-indexed"



def indexed_pages(outdir: Path, prefix: str) -> list[Path]:
    """The pages the search covers: papers, topics and the hand-written pages.

    Not the author pages (a name is found on its papers' pages), the indexes
    and listing (lists of titles found on the papers' own pages), the search
    pages, or anything in folders Sphinx and Pagefind write (``_static`` ...).
    """
    skipped = {f"{prefix}/index.html", f"{prefix}/search.html", f"{prefix}/topics/index.html",
               "search.html", "genindex.html", "py-modindex.html"}
    pages = []
    # os.walk, not Path.rglob: folders that hold no indexed page (every author
    # page, ``_static`` ...) are not listed at all; this runs on every build.
    for folder, subfolders, files in os.walk(outdir):
        relative_folder = os.path.relpath(folder, outdir).replace(os.sep, "/")
        if relative_folder == ".":
            subfolders[:] = [d for d in subfolders if not d.startswith(("_", ".")) and d != "pagefind"]
            relative_folder = ""
        elif relative_folder == prefix:
            subfolders[:] = [d for d in subfolders if d != "authors"]
        for name in files:
            relative = f"{relative_folder}/{name}" if relative_folder else name
            if name.endswith(".html") and relative not in skipped \
                    and not name.endswith("-index.html"):
                pages.append(outdir / relative)
    return sorted(pages)


def _page_list_digest(pages: list[Path]) -> str:
    return hashlib.sha256("\n".join(p.as_posix() for p in pages).encode()).hexdigest()


def _index_is_current(app: Sphinx, outdir: Path, pages: list[Path]) -> bool:
    """The index exists, covers these pages, and is newer than all of them."""
    if store.output_note(app, store.PAGEFIND_INDEXED) != _page_list_digest(pages):
        return False
    try:
        if not (outdir / INDEX_ENTRY).is_file():
            return False
        indexed = (store.folder(app) / store.PAGEFIND_INDEXED).stat().st_mtime_ns
        return all(p.stat().st_mtime_ns < indexed for p in pages)
    except OSError:
        return False


@dataclass
class _Indexing:
    """A Pagefind run under way, and what to clean up after it."""

    process: subprocess.Popen
    output: IO[bytes]  # its messages (a file: a full pipe would stop it)
    site: ExitStack  # the temporary sites of lean copies it reads, and ``output``
    pages: list[Path]
    started: float
    #: Lean copies the run read before the pages were written, with their inodes
    #: (`index_ahead`; empty for a run over every page at once).
    ahead: dict[Path, int] = field(default_factory=dict)


def _wanted(app: Sphinx, quiet: bool = False,
            builder_known: bool = True) -> tuple[str, Path, list[Path]] | None:
    """Pagefind's binary, the output folder and the pages to index, if this build
    indexes any (``builder_known``: False before Sphinx made its builder)."""
    if builder_known and app.builder.name not in HTML_BUILDERS:
        return None
    if not proceedings_config(app.config).search:
        return None
    if not publishes_papers(app):
        return None
    binary = pagefind_binary()
    if binary is None:
        if not quiet:
            logger.info("[proceedings] pagefind is not installed: the paper search page has "
                        "no index (pip install 'pagefind[bin]')")
        return None
    outdir = Path(app.outdir)
    pages = indexed_pages(outdir, proceedings_config(app.config).prefix)
    return (binary, outdir, pages) if pages else None


def guess_ahead(app: Sphinx, config: Config) -> None:
    """``config-inited``: guess from the paper folders changed since the last index
    which paper pages this build will change, and start Pagefind on every other
    page now, about a second before `index_ahead` knows (Sphinx has its environment
    to load and the papers to read first).  `index_ahead` keeps the run if the
    guess holds, and stops it if not."""
    if importlib.util.find_spec("pagefind.index") is None:
        return
    wanted = _wanted(app, quiet=True, builder_known=False)
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
_guessed: dict[int, _Indexing] = {}


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
    wanted = _wanted(app, quiet=True)
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
    return (store.output_note(app, store.PAGEFIND_INDEXED) == _page_list_digest(pages)
            and (outdir / INDEX_ENTRY).is_file())


def _launch_ahead(app: Sphinx, binary: str, outdir: Path, pages: list[Path],
                  skipped: set[Path]) -> _Indexing | None:
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
    return _Indexing(process, output, stack, pages, started, ahead)


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


def start_pagefind(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``, first: every indexed page is written (the pages
    still to come are the author and search pages, which are not indexed), so
    Pagefind starts now, on the other core, while Sphinx writes the rest; or the
    run started ahead gets the pages it has not read."""
    state = build_state(app.env)
    state.pagefind_considered = True
    run = state.pagefind
    if run is not None and run.ahead:
        state.pagefind = _complete(app, run)
        if state.pagefind is None:
            if run.process.poll():  # it stopped, saying why
                _say_service_failed(run.process.returncode, _said(run))
            run.site.close()
    if state.pagefind is None:
        state.pagefind = _start(app)
    return []


def _complete(app: Sphinx, run: _Indexing) -> _Indexing | None:
    """Hand the run started ahead the pages it has not read; None when what it read
    is no longer what the site shows (a page it read was written with new text,
    or is gone) or it stopped: then one run over every page replaces it."""
    wanted = _wanted(app, quiet=True)
    if wanted is None or run.process.poll() is not None:
        return None
    _, outdir, pages = wanted
    if _index_is_current(app, outdir, pages):
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


def _start(app: Sphinx) -> _Indexing | None:
    """Start Pagefind over the site's indexed pages, unless there is nothing to do."""
    wanted = _wanted(app)
    if wanted is None:
        return None
    binary, outdir, pages = wanted
    (outdir / LEGACY_MARK).unlink(missing_ok=True)
    if _index_is_current(app, outdir, pages):
        logger.info("[proceedings] pagefind: no page changed; index kept")
        return None
    started = time.perf_counter()
    stack = ExitStack()
    try:
        folder = store.lean_pages(app)
        site = stack.enter_context(lean_site(folder, lean_copies(folder, outdir, pages)))
        output = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - the stack closes it
        command = [binary, "--site", str(site), "--output-path", str(outdir / "pagefind"),
                   "--glob", "**/*.html",
                   "--exclude-selectors", ", ".join(EXCLUDED), "--silent"]
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        stack.callback(_stop_one, process)
    except OSError as error:
        stack.close()
        logger.warning(f"[proceedings] pagefind failed: {error}", type="proceedings", subtype="search")
        return None
    return _Indexing(process, output, stack, pages, started)


def _stop_one(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def finish_pagefind(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: wait for Pagefind (started now if no page collection
    started it), and remember which pages the index covers."""
    state = build_state(app.env)
    guessed = _guessed.pop(id(app), None)  # the build stopped before using it
    if guessed is not None:
        guessed.site.close()
    run, state.pagefind = state.pagefind, None
    considered, state.pagefind_considered = state.pagefind_considered, False
    if exception is not None:
        if run is not None:
            run.site.close()  # stops it
        return
    if run is not None and run.ahead and run.process.stdin and not run.process.stdin.closed:
        run.site.close()  # started ahead, never given the rest (no page collection)
        run = None
    if run is None and not considered:  # no page collection in this build
        run = _start(app)
    if run is None:
        return
    code, said = _wait(run)
    if code != 0 and run.ahead:  # the two-step run failed: one run over every page
        _say_service_failed(code, said)
        run = _start(app)
        if run is None:
            return
        code, said = _wait(run)
    if code != 0:
        logger.warning(f"[proceedings] pagefind failed ({code}): {said[:2000]}",
                       type="proceedings", subtype="search")
        return
    store.note_output(app, store.PAGEFIND_INDEXED, _page_list_digest(run.pages))
    how = f", {len(run.ahead)} of them while Sphinx worked" if run.ahead else ""
    logger.info(f"[proceedings] pagefind indexed {len(run.pages)} pages{how} in "
                f"{time.perf_counter() - run.started:.1f} s")


def _wait(run: _Indexing) -> tuple[int, str]:
    """Wait for a run to end: its exit code and what it said."""
    with run.site:
        try:
            code = run.process.wait(timeout=900)
        except subprocess.TimeoutExpired:
            return -1, "it ran for more than 15 minutes"
        return code, _said(run)


def _said(run: _Indexing) -> str:
    run.output.seek(0)
    return run.output.read().decode("utf-8", "replace").strip()


def _say_service_failed(code: int, said: str) -> None:
    """Not a warning: the one run over every page that follows makes the same index."""
    logger.info(f"[proceedings] pagefind service failed ({code}): {said[-300:]}; "
                "indexing every page at once")


def setup_pagefind_index(app: Sphinx) -> None:
    app.connect("config-inited", guess_ahead, priority=900)  # after the settings are checked
    app.connect("builder-inited", index_ahead, priority=600)  # after generate.py
    app.connect("html-collect-pages", start_pagefind, priority=100)  # before the author pages
    app.connect("build-finished", finish_pagefind, priority=900)  # after the other outputs
