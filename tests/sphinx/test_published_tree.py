"""The HTML output holds what readers need: build state stays in the doctree folder.

CI publishes ``_build/html`` as it is, so nothing the extension keeps between
builds (citation manifests, the Pagefind mark, lean page copies, caches) may
be written there.  Sphinx itself always writes ``.buildinfo`` into the output;
the site's workflow removes it before publishing.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.cmd.build import build_main

from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext.pagefind_index import pagefind_binary


def hidden(folder: Path) -> set[str]:
    """Every file or folder under ``folder`` whose name starts with a dot."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob(".*")}


def test_output_has_no_build_state(site, build) -> None:
    root = site("basic")
    app = build(root)
    outdir, doctreedir = Path(app.outdir), Path(app.doctreedir)
    assert not doctreedir.is_relative_to(outdir)
    assert hidden(outdir) == {".buildinfo"}
    kept = {p.name for p in (doctreedir / "sphinx-proceedings").iterdir()}
    assert {"citation-files", "citation-inputs"} <= kept
    if pagefind_binary() is not None:
        assert (outdir / "pagefind" / "pagefind.js").is_file()
        assert {store.PAGEFIND_INDEXED, store.LEAN_PAGES} <= kept
    assert (outdir / "proceedings" / "all-papers.bib").is_file()

    # The state still does its job from there: an unchanged rebuild writes nothing.
    again = build(root)
    assert "citation files: inputs unchanged" in again.status.getvalue()
    assert hidden(Path(again.outdir)) == {".buildinfo"}


def test_without_a_doctree_folder_the_state_stays_in_sphinxs_own(site, tmp_path) -> None:
    """With no ``-d``, Sphinx puts its doctrees in ``.doctrees``; ours go there too."""
    root = site("basic")
    outdir = tmp_path / "html"
    assert build_main(["-b", "html", "-q", str(root), str(outdir)]) == 0
    outside = {name for name in hidden(outdir) if not name.startswith(".doctrees")}
    assert outside == {".buildinfo"}


def test_a_removed_output_is_written_again(site, build) -> None:
    """State in the doctree folder must not claim files that are gone from the output."""
    root = site("basic")
    app = build(root)
    bib = Path(app.outdir) / "proceedings" / "all-papers.bib"
    bib.unlink()
    again = build(root)
    assert bib.is_file()
    assert "citation files: inputs unchanged" not in again.status.getvalue()


def test_state_kept_where_earlier_releases_kept_it_is_removed(site, build) -> None:
    """Lean copies from before their excluded parts were emptied, and an old
    pickle, go once a build saves its own state."""
    root = site("basic")
    app = build(root)
    doctreedir = Path(app.doctreedir)
    old_copies = doctreedir / "sphinx-proceedings" / "pagefind-pages" / "proceedings"
    old_copies.mkdir(parents=True)
    (old_copies / "x.lean").write_text("<html></html>", encoding="utf-8")
    (doctreedir / "sphinx-proceedings-7.pickle").write_bytes(b"old")
    (root / "papers/nowak2024graph/abstract.md").write_text("An edited abstract.\n", encoding="utf-8")
    build(root)
    assert not (doctreedir / "sphinx-proceedings" / "pagefind-pages").exists()
    assert not (doctreedir / "sphinx-proceedings-7.pickle").exists()
    assert (doctreedir / "sphinx-proceedings" / store.LEAN_PAGES).is_dir()
