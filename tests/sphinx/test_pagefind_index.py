"""When Pagefind runs, and what a failure says (sphinx_ext/pagefind_index.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import warnings

from sphinx_proceedings.sphinx_ext import pagefind_index
from sphinx_proceedings.sphinx_ext.pagefind_index import pagefind_binary


def test_pagefind_comes_with_the_package():
    """``pagefind[bin]`` is a dependency: its binary is always there."""
    assert pagefind_binary() is not None


def test_pagefind_reindexes_only_after_a_paper_page_changed(site, build):
    root = site("basic")
    first = build(root)
    assert "pagefind indexed" in first.status.getvalue()
    second = build(root)
    assert "no page changed; index kept" in second.status.getvalue()
    abstract = root / "papers/nowak2024graph/abstract.md"
    abstract.write_text("A changed abstract about $k$-hop kernels.\n", encoding="utf-8")
    third = build(root)
    assert "pagefind indexed" in third.status.getvalue()


def test_a_failing_pagefind_is_one_warning_and_is_run_again(site, build, monkeypatch, tmp_path):
    """Pagefind runs beside the end of the build; when it fails, the build says what
    it said, and the next build runs it again."""
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'index folder is read-only' >&2\nexit 3\n",
                       encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_index, "pagefind_binary", lambda: str(failing))
    root = site("basic")
    app = build(root)
    said = [w for w in warnings(app) if "pagefind failed" in w]
    assert len(said) == 1 and "(3): index folder is read-only" in said[0]
    assert "[proceedings.search]" in said[0]
    monkeypatch.undo()
    again = build(root)
    assert "pagefind indexed" in again.status.getvalue()
    assert (Path(again.outdir) / "pagefind/pagefind.js").is_file()
