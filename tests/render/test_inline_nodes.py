"""A title's nodes made from its tree are the nodes MyST made of its MyST text.

Paper pages no longer parse their title (sphinx_ext/paper_page.py); this
keeps `inline_nodes` equal to MyST's reading of `md_inline` on real titles
(the shared corpora) and on every kind of tree node.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from docutils import nodes
from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from sphinx_proceedings.core.inline import Break, Citation, Link, Math, Span, Text
from sphinx_proceedings.core.inline_parse import parse_field
from sphinx_proceedings.core.model import Source
from sphinx_proceedings.render.inline_nodes import inline_nodes
from sphinx_proceedings.render.myst_inline import md_inline

CORPORA = Path(__file__).parents[3] / "shared" / "corpora"
SETTINGS = {"myst_enable_extensions": ["dollarmath", "amsmath", "attrs_inline"],
            "report_level": 5, "output_encoding": "unicode"}


def _myst(tree) -> str:
    """What MyST reads from the title's MyST text, as docutils' pseudo-XML."""
    document = publish_doctree(f"# {md_inline(tree)}\n", parser=Parser(),
                               settings_overrides=SETTINGS)
    title = next(document.findall(nodes.title))
    return _pformat(title.children)


def _pformat(children) -> str:
    holder = nodes.title("", "", *[c.deepcopy() for c in children])
    for node in holder.findall(nodes.Element):  # where MyST noted its lines
        node.line = node.source = None
    # adjacent texts are one text either way in HTML
    return re.sub(r"\n\s*(?=\S)", "\n", holder.pformat()) + "|" + holder.astext()


def _ours(tree) -> str:
    return _pformat(inline_nodes(tree))


TREES = [
    (Text("Plain *not emphasis* and `not code` <b>not HTML</b> {role}`x`"),),
    (Text("A "), Math("u_t = \\Delta u"), Text(" solver")),
    (Math("x", display=True), Text(" display in a title")),
    (Math("a $ b"), Text(" unsafe math shown as text")),
    (Text("Env "), Math("\\begin{align}a\\end{align}", display=True, environment="align")),
    (Span("emph", (Text("emphasised"),)), Text(" then "), Span("strong", (Text("strong"),))),
    (Span("sup", (Text("2"),)), Span("sub", (Text("i"),)), Span("code", (Text("co`de"),))),
    (Span("smallcaps", (Text("Small caps"),)),),
    (Span("emph", (Text("math "), Math("x^2"))),),
    (Link("https://example.org/a b?q=ü", (Text("a link"),)),),
    (Link("https://example.org/", ()),),
    (Text("See "), Citation(("a", "b")), Break(), Text("next")),
]


@pytest.mark.parametrize("tree", TREES, ids=range(len(TREES)))
def test_each_kind_of_node_is_what_myst_made(tree):
    assert _ours(tree) == _myst(tree)


@pytest.mark.skipif(not (CORPORA / "corl2023.bib").is_file(),
                    reason="shared/corpora is not beside the repository")
@pytest.mark.parametrize("corpus", ["corl2023.bib", "biblatex-examples.bib"])
def test_every_title_of_the_corpora_is_what_myst_made(corpus):
    library = bibtexparser.parse_string((CORPORA / corpus).read_text(encoding="utf-8"))
    titles = [entry.fields_dict["title"].value for entry in library.entries
              if "title" in entry.fields_dict]
    assert len(titles) > 50
    differing = []
    for title in titles:
        tree, _ = parse_field(title, Source(Path(corpus), 1), "title")
        if _ours(tree) != _myst(tree):
            differing.append(title)
    assert differing == []
