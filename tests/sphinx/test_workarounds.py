"""Sphinx's private names, used only in _workarounds.py, and what happens without them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sphinx.environment.adapters.toctree as adapter
from conftest import warnings

from sphinx_proceedings.sphinx_ext import _workarounds

PACKAGE = Path(_workarounds.__file__).resolve().parents[1]


# -- the toctree ancestors' cache gives Sphinx's answers --------------------------------
def test_same_answers_as_sphinx_for_every_page(site, build):
    app = build(site("basic"))
    includes = app.env.toctree_includes
    assert adapter._get_toctree_ancestors is _workarounds._cached_ancestors
    sphinx_own = _workarounds.sphinx_toctree_ancestors()
    assert sphinx_own is not None and sphinx_own is not _workarounds._cached_ancestors
    _workarounds.start_toctree_cache(app, app.env)
    try:
        for docname in sorted(app.env.all_docs):
            ours = list(_workarounds._cached_ancestors(includes, docname))
            assert ours == list(sphinx_own(includes, docname)), docname
        assert list(_workarounds._cached_ancestors(includes, "proceedings/papers/nowak2024graph")
                    )[-1] == "proceedings/index"
    finally:
        _workarounds.stop_toctree_cache(app, None)
    assert _workarounds._ancestors["active"] is False


def test_a_changed_toctree_map_is_not_answered_from_the_old_one():
    assert _workarounds.install_toctree_ancestors()
    _workarounds.start_toctree_cache(None, None)  # type: ignore[arg-type]
    try:
        first = {"index": ["a"], "a": ["b"]}
        assert list(_workarounds._cached_ancestors(first, "b")) == ["b", "a"]
        second = {"index": ["b"]}
        assert list(_workarounds._cached_ancestors(second, "b")) == ["b"]
    finally:
        _workarounds.stop_toctree_cache(None, None)  # type: ignore[arg-type]


# -- no private name outside _workarounds.py -------------------------------------------
def test_private_sphinx_names_appear_only_in_workarounds():
    names = set(_workarounds.PRIVATE.values())
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in sorted(PACKAGE.rglob("*.py")) if path.name != "_workarounds.py"
        for name in names
        if re.search(rf"\.{name}\b|[\"']{name}[\"']", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_the_command_imports_no_sphinx_at_all():
    code = ("import sys, sphinx_proceedings.cli, sphinx_proceedings.cli.app; "
            "print(sorted(m for m in sys.modules if m == 'sphinx' or m.startswith('sphinx.') "
            "or m.startswith('sphinx_proceedings.sphinx_ext')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.stdout.strip() == "[]"


# -- without them the build still works, with the same pages ---------------------------
def _pages(outdir: Path, without_ancestors: bool = False) -> dict[str, str]:
    """Every page's text; ``without_ancestors``: as the cached toctree ancestors'
    fallback writes it, where author pages (no documents) mark no navbar entry current."""
    pages = {str(p.relative_to(outdir)): p.read_text(encoding="utf-8")
             for p in sorted(outdir.rglob("*.html"))}
    if without_ancestors:
        for name, text in pages.items():
            if name.startswith("proceedings/authors/") and not name.endswith("/index.html"):
                text = text.replace('<li class="nav-item current active">', '<li class="nav-item ">')
                pages[name] = "\n".join(line for line in text.splitlines() if line.strip())
    return pages


def _edit_and_rebuild(srcdir: Path, make_app):
    abstract = srcdir / "papers/nowak2024graph/abstract.md"
    abstract.write_text(abstract.read_text(encoding="utf-8").replace("never was", "never existed"),
                        encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    return app


def _renamed(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> None:
    """As if a Sphinx release renamed ``names``: the lookups find nothing."""
    for name in names:
        monkeypatch.setitem(_workarounds.PRIVATE, name, f"{_workarounds.PRIVATE[name]}_renamed")
    monkeypatch.setattr(_workarounds, "_reported", set())
    # The cached ancestors stay installed from earlier builds in this process:
    # without the workaround they must answer as Sphinx does.
    monkeypatch.setitem(_workarounds._ancestors, "active", False)


@pytest.mark.parametrize("name", sorted(_workarounds.PRIVATE))
def test_each_workaround_falls_back_with_one_info_line(site, build, make_app, monkeypatch, name):
    reference = build(site("basic", "reference"))
    _renamed(monkeypatch, [name])
    srcdir = site("basic", "fallback")
    app = build(srcdir)
    assert not [w for w in warnings(app) if "proceedings" not in w and "already registered" not in w]
    renamed = _workarounds.PRIVATE[name]
    infos = [line for line in app.status.getvalue().splitlines() if renamed in line]
    if name != "download_names":  # needed only when a page has a local PDF and a base URL
        assert len(infos) == 1, infos
    plain = name == "toctree_ancestors"
    assert _pages(Path(app.outdir), plain) == _pages(Path(reference.outdir), plain)
    again = _edit_and_rebuild(srcdir, make_app)
    assert "never existed" in (Path(again.outdir) / "proceedings/papers/nowak2024graph.html"
                               ).read_text(encoding="utf-8")


def test_all_workarounds_gone_same_pages_after_an_edit(site, build, make_app, monkeypatch):
    reference = site("basic", "reference")
    build(reference)
    expected = _pages(Path(_edit_and_rebuild(reference, make_app).outdir), without_ancestors=True)
    _renamed(monkeypatch, list(_workarounds.PRIVATE))
    srcdir = site("basic", "fallback")
    listing = Path(build(srcdir).outdir) / "proceedings/index.html"
    before = listing.stat().st_mtime_ns
    app = _edit_and_rebuild(srcdir, make_app)
    assert _pages(Path(app.outdir), without_ancestors=True) == expected
    # Without Sphinx's map of toctree parents the listing holding the edited
    # paper is re-written, as Sphinx itself does (test_incremental: not with it).
    assert listing.stat().st_mtime_ns > before


def test_user_set_without_the_private_name(monkeypatch):
    from sphinx.config import Config

    config = Config({"latex_engine": "lualatex"}, {"html_title": "x"})
    config.add("latex_engine", "pdflatex", "env", ())
    config.add("latex_documents", lambda c: [("index",)], "env", ())
    config.add("html_title", "", "html", ())
    assert _workarounds.user_set(config, "latex_engine")
    assert _workarounds.user_set(config, "html_title")  # -D is public
    assert not _workarounds.user_set(config, "latex_documents")
    _renamed(monkeypatch, ["user_set"])
    assert _workarounds.user_set(config, "latex_engine")  # differs from the default
    assert not _workarounds.user_set(config, "latex_documents")


def test_fewer_chunks_only_for_large_builds():
    from sphinx.util.parallel import make_chunks

    chunked = _workarounds._fewer_chunks(make_chunks)
    small = [f"doc{i}" for i in range(1040)]
    assert chunked(small, 2) == make_chunks(small, 2)  # 15 chunks, as Sphinx makes them
    large = [f"doc{i}" for i in range(10040)]
    chunks = chunked(large, 2)
    assert len(chunks) == 2 * _workarounds.CHUNKS_PER_PROCESS < len(make_chunks(large, 2))
    assert [doc for chunk in chunks for doc in chunk] == large


# -- an edit's few documents are read in the main process --------------------------------
def _read_in(make_app, srcdir: Path, text: str) -> tuple[set[int], int]:
    """Rebuild ``srcdir`` with -j 2 after an edit: the processes that read, -j after."""
    (srcdir / "papers/nowak2024graph/abstract.md").write_text(text, encoding="utf-8")
    app = make_app("html", srcdir=srcdir, parallel=2)
    noted = srcdir / "readers.txt"  # a forked reader's memory is not this process's
    noted.write_text("", encoding="utf-8")

    def note(app, doctree) -> None:
        with noted.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")

    app.connect("doctree-read", note)
    app.build()
    return {int(pid) for pid in noted.read_text(encoding="utf-8").split()}, app.parallel


def test_a_few_documents_are_read_in_the_main_process(site, build, make_app, monkeypatch):
    srcdir = site("basic")
    build(srcdir, parallel=2)
    # -j is back once the document is read: writing is parallel as before.
    assert _read_in(make_app, srcdir, "Edited.\n") == ({os.getpid()}, 2)
    monkeypatch.setattr(_workarounds, "FEW_DOCUMENTS", 0)  # Sphinx's own way: a forked reader
    readers, jobs = _read_in(make_app, srcdir, "Edited again.\n")
    assert readers and os.getpid() not in readers and jobs == 2
