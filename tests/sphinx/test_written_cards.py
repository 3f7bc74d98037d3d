"""The papers page's cards, written once and kept (sphinx_ext/written_cards.py).

The site is the basic root with the first CoRL 2023 papers added (real abstracts:
math, accents, typographic quotes, URLs), so the papers page has more cards
than the first few that are written every time (cards.DESCRIBED).
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import bibtexparser
import pytest
from conftest import edit, html

from sphinx_proceedings.sphinx_ext import written_cards

CORPUS = Path(__file__).parents[3] / "shared" / "corpora" / "corl2023.bib"
PAPERS = 9  # CoRL papers added to the basic site's three


@pytest.fixture
def corl_site(site) -> Path:
    if not CORPUS.is_file():
        pytest.fail(f"{CORPUS} is missing: the shared corpora must sit beside the repository",
                    pytrace=False)
    srcdir = site("basic")
    corl = bibtexparser.parse_file(str(CORPUS))
    chosen = bibtexparser.Library(corl.entries[:PAPERS])
    (srcdir / "papers/corl.bib").write_text(bibtexparser.write_string(chosen), encoding="utf-8")
    return srcdir


def _saved(app) -> dict[str, tuple[str, str]]:
    return written_cards.saved(app.doctreedir, "html", "proceedings/index")


def _page(app) -> str:
    return (Path(app.outdir) / "proceedings/index.html").read_text(encoding="utf-8")


def _fresh(srcdir: Path, tmp_path: Path, make_app) -> str:
    """The papers page of a first build of the same inputs, in another folder."""
    copy = tmp_path / "fresh"
    shutil.copytree(srcdir, copy, ignore=shutil.ignore_patterns("_build"))
    app = make_app("html", srcdir=copy)
    app.build()
    return _page(app)


def _abstract_edit(srcdir: Path, key: str, words: str) -> None:
    text = (srcdir / "papers/corl.bib").read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    at = text.index("abstract = {", start) + len("abstract = {")
    (srcdir / "papers/corl.bib").write_text(text[:at] + words + " " + text[at:], encoding="utf-8")


def test_an_edit_writes_the_papers_page_a_first_build_writes(corl_site, build, make_app,
                                                             tmp_path):
    app = build(corl_site)
    kept = _saved(app)
    # Every card but the first few (their text is read from the page) is kept.
    cards = html(app, "proceedings/index").select(".proceedings-card-abstract-text")
    assert len(kept) == len(cards) - 5 >= PAPERS - 5
    key = sorted(kept)[0]
    _abstract_edit(corl_site, key, "Edited for the test.")
    app = make_app("html", srcdir=corl_site)
    app.build()
    assert "Edited for the test." in _page(app)
    assert _page(app) == _fresh(corl_site, tmp_path, make_app)
    assert _saved(app)[key] != kept[key]
    assert {k: v for k, v in _saved(app).items() if k != key} == \
        {k: v for k, v in kept.items() if k != key}


def test_a_kept_card_is_used_while_what_it_shows_is_unchanged(corl_site, build, make_app):
    app = build(corl_site)
    kept = _saved(app)
    used, edited = sorted(kept)[:2]
    # Mark one kept card's HTML: it shows up only if the next write takes it.
    kept[used] = (kept[used][0], kept[used][1].replace("proceedings-card", "marked-card", 1))
    path = written_cards._file(app.doctreedir, "html", "proceedings/index")
    path.write_bytes(pickle.dumps((written_cards.FORMAT, "proceedings/index", kept)))
    _abstract_edit(corl_site, edited, "Another paper edited.")
    app = make_app("html", srcdir=corl_site)
    app.build()
    assert len(html(app, "proceedings/index").select(".marked-card")) == 1
    _abstract_edit(corl_site, used, "The marked paper edited.")  # its digest changes
    app = make_app("html", srcdir=corl_site)
    app.build()
    page = html(app, "proceedings/index")
    assert not page.select(".marked-card")
    assert "The marked paper edited." in page.get_text()


def test_a_damaged_file_is_ignored(corl_site, build, make_app, tmp_path):
    app = build(corl_site)
    key = sorted(_saved(app))[0]
    path = written_cards._file(app.doctreedir, "html", "proceedings/index")
    for damaged in (b"not a pickle", pickle.dumps(("old layout", "proceedings/index", {}))):
        path.write_bytes(damaged)
        _abstract_edit(corl_site, key, "Once more.")
        app = make_app("html", srcdir=corl_site)
        app.build()
        assert _page(app) == _fresh(corl_site, tmp_path / str(len(damaged)), make_app)


@pytest.mark.parametrize("abstract", [
    "A claim[^a].\n\n[^a]: Its note.\n",  # numbered and placed by the page
    "Energy:\n\n$$\nE = mc^2\n$$ (energy)\n",  # an id on the page
])
def test_cards_that_depend_on_their_page_are_written_every_time(corl_site, build, abstract):
    edit(corl_site / "papers/corl.bib", "abstract = {", "abstract = {See {\\url{https://example.org}}. ")
    (corl_site / "papers/nowak2024graph/abstract.md").write_text(abstract, encoding="utf-8")
    app = build(corl_site)
    listing = html(app, "proceedings/index")
    cards = [li["data-title"] for li in listing.select("li[data-title]")]
    assert cards.index("graph kernels for pretend turbulence") >= 5  # else never kept anyway
    kept = _saved(app)
    assert "nowak2024graph" not in kept
    assert len(kept) == len(cards) - 5 - 1  # the others, URL and all
