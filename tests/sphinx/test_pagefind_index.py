"""When Pagefind runs, and what a failure says (sphinx_ext/pagefind_index.py)."""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

import pytest
from conftest import edit, warnings

from sphinx_proceedings.render import lean_pages
from sphinx_proceedings.render.lean_pages import EXCLUDED
from sphinx_proceedings.sphinx_ext import pagefind_ahead, pagefind_index
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


def _fragments_with(outdir: Path, words: str) -> list[str]:
    """URLs of the index's page records holding ``words``."""
    found = []
    for path in (outdir / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        if words in record["content"]:
            found.append(record["url"])
    return found


def _page_count(outdir: Path) -> int:
    entry = json.loads((outdir / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"]["en"]["page_count"]


def test_after_an_abstract_edit_pagefind_reads_the_other_pages_while_sphinx_works(site, build):
    root = site("basic")
    first = build(root)
    pages = _page_count(Path(first.outdir))
    (root / "papers/nowak2024graph/abstract.md").write_text(
        "Kernels that zyxglobin the turbulence.\n", encoding="utf-8")
    app = build(root)
    assert f"pagefind indexed {pages} pages, {pages - 1} of them while Sphinx worked" \
        in app.status.getvalue()
    assert _page_count(Path(app.outdir)) == pages
    assert _fragments_with(Path(app.outdir), "zyxglobin") == ["/proceedings/papers/nowak2024graph.html"]
    assert not list(Path(app.doctreedir).rglob("pagefind-pages-site*"))  # temporary sites gone


def test_a_page_read_ahead_that_changed_after_all_means_one_run_over_every_page(site, build):
    """The abstract edit shows on its paper's page only, but the homepage was edited
    too: what Pagefind read of it ahead is stale, so it indexes every page again."""
    root = site("basic")
    first = build(root)
    pages = _page_count(Path(first.outdir))
    (root / "papers/nowak2024graph/abstract.md").write_text(
        "Kernels that zyxglobin the turbulence.\n", encoding="utf-8")
    edit(root / "index.md", "# Test Workshop\n", "# Test Workshop\n\nThe homepage mentions quorblat.\n")
    app = build(root)
    log = app.status.getvalue()
    assert f"pagefind indexed {pages} pages in" in log and "while Sphinx worked" not in log
    assert _fragments_with(Path(app.outdir), "quorblat") == ["/"]
    assert _fragments_with(Path(app.outdir), "zyxglobin") == ["/proceedings/papers/nowak2024graph.html"]


def test_a_failing_pagefind_service_falls_back_to_one_run(site, build, monkeypatch, tmp_path):
    root = site("basic")
    build(root)
    failing = tmp_path / "service"
    failing.write_text("#!/bin/sh\nexit 4\n", encoding="utf-8")
    failing.chmod(0o755)
    real = pagefind_ahead._service_environment
    monkeypatch.setattr(pagefind_ahead, "_service_environment",
                        lambda binary: real(str(failing)))
    (root / "papers/nowak2024graph/abstract.md").write_text(
        "Kernels that zyxglobin the turbulence.\n", encoding="utf-8")
    app = build(root)
    log = app.status.getvalue()
    assert "pagefind service failed" in log and "indexing every page at once" in log
    assert not [w for w in warnings(app) if "pagefind" in w]
    assert _fragments_with(Path(app.outdir), "zyxglobin") == ["/proceedings/papers/nowak2024graph.html"]


def _launches(monkeypatch) -> list[bool]:
    """Record each run started ahead: True when started before Sphinx had its
    environment (a guess from the changed paper folders)."""
    launched: list[bool] = []
    real = pagefind_ahead._launch_ahead

    def recording(app, *args):
        launched.append(getattr(app, "env", None) is None)
        return real(app, *args)

    monkeypatch.setattr(pagefind_ahead, "_launch_ahead", recording)
    return launched


def test_the_edited_folder_tells_which_page_to_leave_out_before_anything_is_read(
        site, build, monkeypatch):
    root = site("basic")
    first = build(root)
    pages = _page_count(Path(first.outdir))
    launched = _launches(monkeypatch)
    (root / "papers/nowak2024graph/abstract.md").write_text(
        "Kernels that zyxglobin the turbulence.\n", encoding="utf-8")
    app = build(root)
    assert launched == [True]
    assert f"{pages - 1} of them while Sphinx worked" in app.status.getvalue()
    assert _fragments_with(Path(app.outdir), "zyxglobin") == ["/proceedings/papers/nowak2024graph.html"]


@pytest.mark.parametrize(("change", "guessed", "words", "page"), [
    # A title shows on other pages too: no guess from a changed BibTeX file.
    ("title", [], "Quorblat", "/proceedings/papers/nowak2024graph.html"),
    # A touched abstract.md with the same text: guessed from the folder, then
    # dropped, as generate.py finds no paper edited; the homepage changed.
    ("touch", [True], "quorblat", "/"),
])
def test_without_a_right_guess_every_page_is_indexed_at_the_end(site, build, monkeypatch,
                                                                change, guessed, words, page):
    root = site("basic")
    build(root)
    launched = _launches(monkeypatch)
    if change == "title":
        edit(root / "papers/nowak2024graph/paper.bib", "Pretend Turbulence", "Quorblat Flow")
    else:
        (root / "papers/nowak2024graph/abstract.md").touch()
        edit(root / "index.md", "# Test Workshop\n", "# Test Workshop\n\nNow with quorblat.\n")
    app = build(root)
    assert launched == guessed
    log = app.status.getvalue()
    assert "pagefind indexed" in log and "while Sphinx worked" not in log
    assert page in _fragments_with(Path(app.outdir), words)


def test_an_edited_volume_file_is_no_guess_but_the_edit_is_known_later(site, build, monkeypatch):
    root = site("basic")
    build(root)
    launched = _launches(monkeypatch)
    edit(root / "papers/volume.bib", "fictional data", "zyxglobin data")
    app = build(root)
    assert launched == [False]  # once the papers are read, not guessed from folders
    assert "of them while Sphinx worked" in app.status.getvalue()
    assert _fragments_with(Path(app.outdir), "zyxglobin") == ["/proceedings/papers/berg2024discovery.html"]


def _all_fragments(index: Path) -> dict[str, dict]:
    records = (json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
               for path in (index / "fragment").glob("*.pf_fragment"))
    return {record["url"]: record for record in records}


def _index_of(pages: dict[Path, str], folder: Path) -> dict[str, dict]:
    """Pagefind's records of a site holding ``pages`` (relative path: text)."""
    for relative, text in pages.items():
        (folder / "site" / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / "site" / relative).write_text(text, encoding="utf-8")
    subprocess.run([pagefind_binary(), "--site", str(folder / "site"), "--output-path",
                    str(folder / "index"), "--exclude-selectors", ", ".join(EXCLUDED), "--silent"],
                   check=True)
    return _all_fragments(folder / "index")


def test_emptied_lean_copies_make_the_index_whole_pages_make(site, build, tmp_path, monkeypatch):
    """The build's index, read from lean copies with their excluded parts emptied
    (render/lean_pages.py), has every record the lean copies without emptying
    give, and the text, word counts, filters and meta the published pages give
    (their anchors add the theme's frame)."""
    root = site("basic")
    app = build(root)
    outdir = Path(app.outdir)
    pages = {page.relative_to(outdir): page.read_text(encoding="utf-8")
             for page in pagefind_index.indexed_pages(outdir, "proceedings")}
    built = _all_fragments(outdir / "pagefind")
    published = _index_of(pages, tmp_path / "published")
    monkeypatch.setattr(lean_pages, "emptied", lambda page, selectors: page)
    unemptied = _index_of({path: lean_pages.lean_page(text) for path, text in pages.items()},
                          tmp_path / "unemptied")
    assert len(built) == len(pages) > 5
    assert built == unemptied
    for record in built.values():
        assert record == {**published[record["url"]], "anchors": record["anchors"]}
    related = built["/proceedings/papers/nowak2024graph.html"]
    assert any(anchor["id"] == "related-papers" for anchor in related["anchors"])
