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
import pickle
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx

from .model import Problem, Proceedings

CACHE_NAME = "sphinx-proceedings-3.pickle"  # the number changes with `Cached`
PACKAGE = Path(__file__).parent


@dataclass(frozen=True)
class Cached:
    """What one generation pass produced, keyed by its inputs' fingerprint."""

    fingerprint: str
    proceedings: Proceedings
    problems: tuple[Problem, ...]
    files: tuple[str, ...]  # generated files, relative to the output folder
    reader_memo: dict[str, object]  # what each input file gave (reader.ReadMemo)
    memo: dict[tuple[object, ...], object]  # results of pure functions (memo.py)


def _tree_state(folder: Path) -> list[tuple[str, int, int]]:
    if not folder.is_dir():
        return []
    state = []
    for path in sorted(folder.rglob("*")):
        try:
            info = path.stat()
        except OSError:
            continue
        state.append((str(path.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return state


def fingerprint(app: Sphinx, papers: Path, template_dirs: tuple[Path, ...]) -> str:
    """A digest of everything the generated pages are made from."""
    from . import __version__

    config = app.config
    settings = sorted((item.name, repr(item.value)) for item in config
                      if item.name.startswith("proceedings_") and item.rebuild)
    parts = [
        __version__, app.builder.name, repr(settings),
        repr((config.html_baseurl, config.html_file_suffix, config.master_doc,
              config.latex_documents, config.project, str(app.srcdir))),
        repr(_tree_state(papers)),
        repr(_tree_state(PACKAGE / "templates")),
        *(repr(_tree_state(folder / "proceedings")) for folder in template_dirs),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load(app: Sphinx) -> Cached | None:
    """The last build's pass, if there is one (``-E`` starts afresh)."""
    path = Path(app.doctreedir) / CACHE_NAME
    if app.fresh_env_used:
        return None
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)  # noqa: S301 - our own file in the build folder
    except Exception:  # absent, old, or damaged: regenerate
        return None
    return cached if isinstance(cached, Cached) else None


def is_current(cached: Cached | None, fingerprint_now: str, output: Path) -> bool:
    """Whether the cached pass was made from these inputs and its files exist."""
    return (cached is not None and cached.fingerprint == fingerprint_now
            and all((output / name).is_file() for name in cached.files))


def save(app: Sphinx, cached: Cached) -> None:
    path = Path(app.doctreedir) / CACHE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(cached, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time
