"""The papers page's abstracts come from the paper pages (sphinx_ext/card_abstracts.py)."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from conftest import edit, html, warnings

FOOTNOTED = "A first claim[^a] with $x^2$ and a \"quoted\" word.\n\n[^a]: Its note.\n"


def _card(app, title_start: str):
    return html(app, "proceedings/index").select_one(
        f"li[data-title^='{title_start}'] .proceedings-card-abstract-text")


def test_card_abstract_is_the_paper_pages_abstract(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/papers/nowak2024graph").select_one(".proceedings-abstract")
    card = _card(app, "graph kernels")
    # The same nodes, written the same way (math, typographic quotes).
    assert card.decode_contents().strip() == page.decode_contents().strip()
    assert not [w for w in warnings(app) if "already registered" not in w]


def test_footnotes_of_two_abstracts_keep_their_own_targets(site, build):
    srcdir = site("basic")
    for key in ("nowak2024graph", "eliasof2024data"):
        (srcdir / f"papers/{key}/abstract.md").write_text(FOOTNOTED, encoding="utf-8")
    app = build(srcdir)
    listing = html(app, "proceedings/index")
    refs = listing.select(".proceedings-card-abstract-text a.footnote-reference")
    assert len(refs) == 2
    targets = [ref["href"].removeprefix("#") for ref in refs]
    assert len(set(targets)) == 2  # each card's reference reaches its own note
    for target in targets:
        note = listing.find(id=target)
        assert note is not None and "Its note." in note.get_text()
    ids = [tag["id"] for tag in listing.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert "“quoted”" in _card(app, "graph kernels").get_text()


def test_a_labelled_equation_is_declared_once(site, build):
    """The papers page no longer parses abstracts: a label in one is not a duplicate."""
    srcdir = site("basic")
    (srcdir / "papers/nowak2024graph/abstract.md").write_text(
        "Energy:\n\n$$\nE = mc^2\n$$ (energy)\n", encoding="utf-8")
    app = build(srcdir)
    assert not [w for w in warnings(app) if "duplicate label" in w]
    assert _card(app, "graph kernels").select_one(".math")


def test_stale_saved_abstract_is_not_shown(site, build, make_app):
    """An abstract edited since its page saved it shows as it is now, or not at all."""
    srcdir = site("basic")
    app = build(srcdir)
    saved = Path(app.doctreedir) / "proceedings-abstracts"
    pages = list((Path(app.outdir) / "proceedings/papers").glob("*.html"))
    assert len(list(saved.glob("*.pickle"))) == len(pages) > 1
    edit(srcdir / "papers/nowak2024graph/abstract.md", "never was", "never existed")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "never existed" in _card(app, "graph kernels").get_text()
    paths = sorted(saved.glob("*.pickle"))  # damaged files: the cards fall back to parsing
    paths[0].write_bytes(b"not a pickle")
    paths[1].write_bytes(b"x" * 2_000_000)  # too large to be ours: not even unpickled
    for path in paths[2:]:
        path.write_bytes(pickle.dumps(("old layout", "key", "digest", [], [])))
    (srcdir / "papers/eliasof2024data/abstract.md").touch()
    edit(srcdir / "papers/eliasof2024data/paper.bib", "title = {", "title = {New: ")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert "never existed" in _card(app, "graph kernels").get_text()


def test_saved_abstracts_hold_only_their_nodes(site, build):
    """A copied node still points at its page (and the page at Sphinx's whole
    environment): the saved file must not drag those along."""
    app = build(site("basic"))
    for path in (Path(app.doctreedir) / "proceedings-abstracts").glob("*.pickle"):
        assert path.stat().st_size < 20_000, path
        _, _, _, body, ends = pickle.loads(path.read_bytes())
        assert body
        assert all(node.document is None for top in (*body, *ends) for node in top.findall())


def test_the_saved_abstract_of_a_removed_paper_is_dropped(site, build, make_app):
    srcdir = site("basic")
    app = build(srcdir)
    saved = Path(app.doctreedir) / "proceedings-abstracts"
    before = len(list(saved.glob("*.pickle")))
    shutil.rmtree(srcdir / "papers/nowak2024graph")
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert len(list(saved.glob("*.pickle"))) == before - 1
