"""Pagefind's index of the site: which pages it covers, and when it runs.

Once the HTML build has written its documents, the Pagefind binary (shipped by
the ``pagefind`` PyPI package) indexes the paper and topic pages and the
hand-written pages (`indexed_pages`), from lean copies of them
(render/lean_pages.py).  It runs in its own process while Sphinx writes the
author pages, indices and citation files, and the build waits for it at its
end (`start_pagefind`, `finish_pagefind`).  When no indexed page changed, the
index is kept as it is.  After an edit, pagefind_ahead.py may have started a run
that read most pages while Sphinx worked; this module waits for it the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sphinx.application import Sphinx
from sphinx.util import logging

from sphinx_proceedings.render.lean_pages import EXCLUDED, lean_copies, lean_site
from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext.citations import HTML_BUILDERS
from sphinx_proceedings.sphinx_ext.config import proceedings_config, publishes_papers
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)


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


def page_list_digest(pages: list[Path]) -> str:
    return hashlib.sha256("\n".join(p.as_posix() for p in pages).encode()).hexdigest()


def index_is_current(app: Sphinx, outdir: Path, pages: list[Path]) -> bool:
    """The index exists, covers these pages, and is newer than all of them."""
    if store.output_note(app, store.PAGEFIND_INDEXED) != page_list_digest(pages):
        return False
    try:
        if not (outdir / INDEX_ENTRY).is_file():
            return False
        indexed = (store.folder(app) / store.PAGEFIND_INDEXED).stat().st_mtime_ns
        return all(p.stat().st_mtime_ns < indexed for p in pages)
    except OSError:
        return False


@dataclass
class Indexing:
    """A Pagefind run under way, and what to clean up after it."""

    process: subprocess.Popen
    output: IO[bytes]  # its messages (a file: a full pipe would stop it)
    site: ExitStack  # the temporary sites of lean copies it reads, and ``output``
    pages: list[Path]
    started: float
    #: Lean copies the run read before the pages were written, with their inodes
    #: (pagefind_ahead.py; empty for a run over every page at once).
    ahead: dict[Path, int] = field(default_factory=dict)


def site_to_index(app: Sphinx, quiet: bool = False,
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


def start_pagefind(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``, first (after pagefind_ahead.py completed a run
    started ahead): every indexed page is written (the pages still to come are the
    author and search pages, which are not indexed), so Pagefind starts now, on
    the other core, while Sphinx writes the rest."""
    state = build_state(app.env)
    state.pagefind_considered = True
    if state.pagefind is None:
        state.pagefind = _start(app)
    return []


def _start(app: Sphinx) -> Indexing | None:
    """Start Pagefind over the site's indexed pages, unless there is nothing to do."""
    wanted = site_to_index(app)
    if wanted is None:
        return None
    binary, outdir, pages = wanted
    (outdir / LEGACY_MARK).unlink(missing_ok=True)
    if index_is_current(app, outdir, pages):
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
    return Indexing(process, output, stack, pages, started)


def _stop_one(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def finish_pagefind(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: wait for Pagefind (started now if no page collection
    started it), and remember which pages the index covers."""
    state = build_state(app.env)
    run, state.pagefind = state.pagefind, None
    considered, state.pagefind_considered = state.pagefind_considered, False
    if exception is not None:
        if run is not None:
            run.site.close()  # stops it
        return
    if run is None and not considered:  # no page collection in this build
        run = _start(app)
    if run is None:
        return
    code, said = _wait(run)
    if code != 0 and run.ahead:  # the two-step run failed: one run over every page
        say_service_failed(code, said)
        run = _start(app)
        if run is None:
            return
        code, said = _wait(run)
    if code != 0:
        logger.warning(f"[proceedings] pagefind failed ({code}): {said[:2000]}",
                       type="proceedings", subtype="search")
        return
    store.note_output(app, store.PAGEFIND_INDEXED, page_list_digest(run.pages))
    how = f", {len(run.ahead)} of them while Sphinx worked" if run.ahead else ""
    logger.info(f"[proceedings] pagefind indexed {len(run.pages)} pages{how} in "
                f"{time.perf_counter() - run.started:.1f} s")


def _wait(run: Indexing) -> tuple[int, str]:
    """Wait for a run to end: its exit code and what it said."""
    with run.site:
        try:
            code = run.process.wait(timeout=900)
        except subprocess.TimeoutExpired:
            return -1, "it ran for more than 15 minutes"
        return code, said_by(run)


def said_by(run: Indexing) -> str:
    run.output.seek(0)
    return run.output.read().decode("utf-8", "replace").strip()


def say_service_failed(code: int, said: str) -> None:
    """Not a warning: the one run over every page that follows makes the same index."""
    logger.info(f"[proceedings] pagefind service failed ({code}): {said[-300:]}; "
                "indexing every page at once")


def setup_pagefind_index(app: Sphinx) -> None:
    app.connect("html-collect-pages", start_pagefind, priority=100)  # before the author pages
    app.connect("build-finished", finish_pagefind, priority=900)  # after the other outputs
