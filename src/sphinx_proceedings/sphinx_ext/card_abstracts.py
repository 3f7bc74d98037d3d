"""The abstracts the papers page folds into its cards, taken from the paper pages.

A paper's page parses its abstract anyway (paper_page.py).  When it has been
read, `keep_abstract` saves those nodes, after the read transforms, in a small
file of the doctree folder, with a digest of the MyST they came from.  The
papers page's cards hold no abstract when read; just before it is written
(`CardAbstracts`, the first post-transform), each card gets a copy of its
paper's saved nodes.  So the papers page is not parsed again when an abstract
changes, only written again (incremental.py), and a full build parses each
abstract once instead of twice.

Nodes from separate pages may carry the same ids (two abstracts with a
footnote ``[^1]``): ids already used on the page get the paper's key in front.
Footnotes go to the end of the page, as MyST puts them, each numbered as on
its paper's page.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import new_document

from sphinx_proceedings.core.files import read_pickle, write_atomic
from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.render.abstracts import paper_abstract_myst
from sphinx_proceedings.sphinx_ext import written_cards
from sphinx_proceedings.sphinx_ext.cards import DESCRIBED, card_of, paper_card
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)
#: Class of the paper page's abstract block (paper_page.py) and of a card's.
PAGE_CLASS, CARD_CLASS = "proceedings-abstract", "proceedings-card-abstract-text"
FOLDER = "proceedings-abstracts"
#: The saved record's layout (older files are ignored) and the size past which a
#: file is not one of ours (an abstract's nodes take a few kilobytes).
FORMAT, MAX_BYTES = 2, 1_000_000
#: Nodes MyST puts at the end of the document, which the abstract may refer to.
AT_END = (nodes.footnote, nodes.substitution_definition)


def abstract_digest(paper: Paper) -> str:
    """Digest of the MyST the pages show for ``paper``'s abstract ("" without one)."""
    return _digest(paper_abstract_myst(paper))


def _digest(text: str | None) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def _saved(doctreedir: str | Path, key: str) -> Path:
    # Keys are BibTeX keys checked by the reader (letters, digits, -_:.), but
    # a file name must not leave the folder whatever they hold.
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return Path(doctreedir) / FOLDER / f"{name}.pickle"


def keep_abstract(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: save a paper page's abstract nodes for the cards."""
    docname = app.env.current_document.docname
    prefix = proceedings_config(app.config).prefix
    paper = build_state(app.env).papers_by_page(prefix).get(docname)
    if paper is None:
        return
    block = next((n for n in doctree.findall(nodes.container) if PAGE_CLASS in n["classes"]),
                 None)
    body = [child.deepcopy() for child in block.children] if block is not None else []
    wanted = {ref for n in body for r in n.findall(nodes.footnote_reference)
              for ref in [r.get("refid")] if ref}
    ends = [n.deepcopy() for n in doctree.children if isinstance(n, nodes.footnote)
            and set(n["ids"]) & wanted]
    for top in (*body, *ends):  # a copy still points at its page: pickle the nodes only
        for node in top.findall():  # text nodes too
            node.document = None
    record = (FORMAT, paper.key, abstract_digest(paper), body, ends)
    write_atomic(_saved(app.doctreedir, paper.key), pickle.dumps(record, pickle.HIGHEST_PROTOCOL),
                 durable=False)


def _load(doctreedir: str, paper: Paper,
          expected: str) -> tuple[list[nodes.Node], list[nodes.Node]] | None:
    """The saved nodes of ``paper``'s abstract if they are the current abstract's
    (``expected``: its digest)."""
    path = _saved(doctreedir, paper.key)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        record = read_pickle(path)
        form, key, digest, body, ends = record
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if form != FORMAT:
        return None
    if key != paper.key or digest != expected or not body:
        return None
    return body, ends


def _unique_ids(document: nodes.document, made: list[nodes.Node], key: str) -> None:
    """Rename ids of ``made`` that ``document`` already uses, and what points at them."""
    renamed: dict[str, str] = {}
    for node in (n for top in made for n in top.findall(nodes.Element)):
        for index, old in enumerate(node["ids"]):
            if old in document.ids or old in renamed.values():
                new = nodes.make_id(f"{key}-{old}")
                while new in document.ids:
                    new += "-x"
                renamed[old] = node["ids"][index] = new
    for node in (n for top in made for n in top.findall(nodes.Element)):
        if node.get("refid") in renamed:
            node["refid"] = renamed[node["refid"]]
        if node.get("backrefs"):
            node["backrefs"] = [renamed.get(b, b) for b in node["backrefs"]]
    for node in (n for top in made for n in top.findall(nodes.Element)):
        for id_ in node["ids"]:
            document.ids[id_] = node


class CardAbstracts(SphinxPostTransform):
    """Before anything else resolves the page: each card's abstract, from its paper page."""

    default_priority = 5  # before references are resolved (10): they are copied unresolved
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        model, app = build_state(self.env).model, self.app
        context = written_cards.context_digest(app)
        written: dict[str, dict[str, tuple[str, str]]] = {}  # by page (singlehtml: several)
        footnotes: list[nodes.Node] = []
        shown = (card for card in self.document.findall(paper_card) if card["key"] in model.by_key)
        for index, card in enumerate(list(shown)):
            paper = model.by_key[card["key"]]
            if not card.get("abstract"):
                continue
            text = paper_abstract_myst(paper)
            digest = ""
            if context and index >= DESCRIBED:  # opengraph reads the first cards' text
                docname = card["docname"]
                digest = written_cards.card_digest(
                    context, docname, card_of(app.builder, paper, docname), text or "")
                if docname not in written:
                    written[docname] = written_cards.saved(app.doctreedir, app.builder.name,
                                                           docname)
                if written[docname].get(paper.key, ("",))[0] == digest:
                    card[written_cards.DIGEST] = digest
                    card[written_cards.HTML] = written[docname][paper.key][1]
                    continue
            found = _load(app.doctreedir, paper, _digest(text))
            if found is None:
                found, digest = self._parse(paper), ""  # kept only from the paper page's nodes
            if found is None:
                continue
            body, ends = found
            _unique_ids(self.document, [*body, *ends], paper.key)
            block = nodes.container("", *body, is_div=True, design_component="div",
                                    classes=[CARD_CLASS])
            card += block
            if digest and not ends and written_cards.self_contained(block):
                card[written_cards.DIGEST] = digest
            footnotes += ends
        if footnotes and getattr(self.document.settings, "myst_footnote_transition", True):
            self.document += nodes.transition(classes=["footnotes"])  # as MyST ends a page
        self.document.extend(footnotes)

    def _parse(self, paper: Paper) -> tuple[list[nodes.Node], list[nodes.Node]] | None:
        """The abstract parsed here, when its page saved none (a site's own paper
        template without the abstract block): MyST's nodes without the read
        transforms (typographic quotes) the page's own copy gets."""
        text = paper_abstract_myst(paper)
        if not text:
            return None
        scratch = new_document(self.document["source"], self.document.settings)
        MystParser().parse(text, scratch)
        made = [n for n in scratch.children if not isinstance(n, nodes.system_message)]
        return ([n for n in made if not isinstance(n, AT_END)],
                [n for n in made if isinstance(n, nodes.footnote)])


def forget_removed(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: drop the saved abstracts of papers no longer in the data
    (a paper removed means documents read again; a build reading none has none to drop)."""
    if exception is not None or not build_state(app.env).documents_read:
        return
    wanted = {_saved(app.doctreedir, paper.key) for paper in build_state(app.env).model.papers}
    folder = Path(app.doctreedir) / FOLDER
    if folder.is_dir():
        for path in folder.glob("*.pickle"):
            if path not in wanted:
                path.unlink(missing_ok=True)


def setup_card_abstracts(app: Sphinx) -> None:
    app.connect("doctree-read", keep_abstract)
    app.connect("build-finished", forget_removed)
    app.add_post_transform(CardAbstracts)
