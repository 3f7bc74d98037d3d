"""The papers page's cards as written HTML, kept for the next time the page is written.

The papers page folds every abstract into its card.  Writing it again after
one paper changed used to copy in, resolve and translate every abstract again
(about 2 s of a one-abstract edit at 1,000 papers).  Once the page is written
(``html-page-context``), each card's HTML is saved with a digest of all it
was made from: the card's data and addresses (render/card.py's `Card`), the
abstract's MyST, the page, and how the site writes HTML (versions of Sphinx
and every extension, settings, templates, translator).  The next write puts
the saved HTML of every card whose digest is unchanged in place of the card
(`CardAbstracts` asks `reuse`), and writes only the others.

Only cards whose HTML depends on nothing else on the page are kept: an
abstract with ids, footnotes, cross-references or images is written every
time (see `self_contained`).  The first cards of a page are written every time
too, as sphinxext-opengraph reads their text from the page (cards.DESCRIBED).

The files, one per page and builder, are in ``<doctreedir>/proceedings-cards/``;
deleting them costs one slower write of the papers page, nothing else.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import sphinx
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from sphinx_proceedings import __version__
from sphinx_proceedings.core.files import read_pickle, write_atomic
from sphinx_proceedings.sphinx_ext.state import build_state

FOLDER = "proceedings-cards"
#: The saved file's layout (files of another are ignored) and the size past
#: which a file is not one of ours (1,000 cards take about 3 MB).
FORMAT, MAX_BYTES = 1, 200_000_000
#: Nodes whose HTML depends on more than the abstract itself.
_LINKED = (addnodes.pending_xref, addnodes.download_reference, nodes.image,
           nodes.footnote_reference, nodes.citation_reference, nodes.substitution_reference)
#: A card node's attributes: the digest of what its HTML is made from, and that HTML.
DIGEST, HTML = "proceedings_digest", "proceedings_html"


def context_digest(app: Sphinx) -> str:
    """How this site writes HTML ("" when not known yet): a change writes every card again."""
    state = build_state(app.env)
    if not state.settings_digest:
        return ""
    translator = app.builder.get_translator_class()
    versions = sorted((name, str(extension.version)) for name, extension in app.extensions.items())
    parts = [str(FORMAT), __version__, sphinx.__version__, app.builder.name,
             state.settings_digest, state.templates_digest, repr(versions),
             f"{translator.__module__}.{translator.__qualname__}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def card_digest(context: str, docname: str, card: object, abstract: str) -> str:
    """Digest of one card's HTML: the site's `context_digest`, the page, the card's
    data and addresses (``card``, whose repr names them all), the abstract's MyST."""
    text = "\n".join([context, docname, repr(card), abstract])
    return hashlib.sha256(text.encode()).hexdigest()


def self_contained(abstract: nodes.Element) -> bool:
    """Whether the abstract's HTML is the same wherever it is on the page: no ids
    (renamed when taken), nothing pointing elsewhere on the page or site."""
    for node in abstract.findall(nodes.Element):
        if isinstance(node, _LINKED) or node["ids"] or node.get("refid") or node.get("backrefs"):
            return False
    return True


def _file(doctreedir: str | Path, builder: str, docname: str) -> Path:
    name = hashlib.sha256(f"{builder}\n{docname}".encode()).hexdigest()[:32]
    return Path(doctreedir) / FOLDER / f"{name}.pickle"


def saved(doctreedir: str | Path, builder: str, docname: str) -> dict[str, tuple[str, str]]:
    """The cards saved for ``docname``: paper key -> (digest, HTML); {} when none."""
    path = _file(doctreedir, builder, docname)
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        form, name, cards = read_pickle(path)  # type: ignore[misc]
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return {}
    return cards if form == FORMAT and name == docname and isinstance(cards, dict) else {}


def save_written(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: nodes.document | None) -> None:
    """``html-page-context``: save the HTML of the page's self-contained cards, by page
    (a single-page build holds the cards of several), when it changed."""
    if doctree is None:
        return
    pages: dict[str, dict[str, tuple[str, str]]] = {}
    for card in doctree.findall(nodes.Element):
        if card.get(DIGEST) and card.get(HTML) is not None:
            pages.setdefault(card["docname"], {})[card["key"]] = (card[DIGEST], card[HTML])
    for docname, cards in pages.items():
        if saved(app.doctreedir, app.builder.name, docname) != cards:
            write_atomic(_file(app.doctreedir, app.builder.name, docname),
                         pickle.dumps((FORMAT, docname, cards), pickle.HIGHEST_PROTOCOL),
                         durable=False)


def setup_written_cards(app: Sphinx) -> None:
    app.connect("html-page-context", save_written)
