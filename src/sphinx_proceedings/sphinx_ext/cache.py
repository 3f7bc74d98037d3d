"""Skip re-reading the inputs when nothing they depend on changed.

Reading ``papers/`` and rendering every generated page costs seconds at
conference scale, on every build, even when nothing changed.  A fingerprint
of the inputs (every file's path, size and mtime under ``papers/`` and the
template folders, the extension's settings and version, the builder) is kept
next to Sphinx's own pickled environment with the `Proceedings` and the
problems it found.  When the fingerprint matches and the generated files are
all still there, the build reuses them as they are.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx

from sphinx_proceedings.core import memo
from sphinx_proceedings.core.model import Problem, Proceedings

CACHE_NAME = "sphinx-proceedings-7.pickle"  # the number changes with `Cached`
#: Kept apart: several times larger, and needed only when an input changed.
MEMO_NAME = "sphinx-proceedings-7-memo.pickle"
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

    reader: dict[str, object]  # what each input file gave (reader.ReadMemo)
    results: dict[tuple[object, ...], object]  # results of pure functions (memo.py)


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
        repr(_tree_state(TEMPLATES)),
        *(repr(_tree_state(folder / "proceedings")) for folder in template_dirs),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fingerprint(context: str, papers: Path) -> str:
    """A digest of everything the generated pages are made from."""
    return hashlib.sha256(f"{context}\n{_tree_state(papers)!r}".encode()).hexdigest()


def _load(app: Sphinx, name: str) -> object:
    if app.fresh_env_used:  # -E: start afresh
        return None
    try:
        with (Path(app.doctreedir) / name).open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own file in the build folder
    except Exception:  # absent, old, or damaged: regenerate
        return None


def load(app: Sphinx) -> Cached | None:
    """The last build's pass, if there is one."""
    cached = _load(app, CACHE_NAME)
    return cached if isinstance(cached, Cached) else None


def load_memos(app: Sphinx) -> Memos:
    """What the last build kept of each input and function result (or nothing)."""
    memos = _load(app, MEMO_NAME)
    return memos if isinstance(memos, Memos) else Memos({}, {})


def is_current(cached: Cached | None, fingerprint_now: str, output: Path) -> bool:
    """Whether the cached pass was made from these inputs and its files exist."""
    return (cached is not None and cached.fingerprint == fingerprint_now
            and all((output / name).is_file() for name in cached.files))


def save_pending(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: keep this build's pass for the next build.

    Saved at the end, not when the pages are generated, so that results
    `memo` collected later in the build (citation files) are kept too, and a
    failed build keeps nothing.
    """
    domain = app.env.get_domain("proceedings")
    pending = getattr(domain, "pending", None)
    domain.pending = None  # type: ignore[attr-defined]
    if pending is not None and exception is None:
        cached, reader_memo = pending
        save(app, MEMO_NAME, Memos(reader_memo, memo.results()))
        save(app, CACHE_NAME, cached)


def save(app: Sphinx, name: str, value: object) -> None:
    path = Path(app.doctreedir) / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time
