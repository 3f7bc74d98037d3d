"""The inline tree as MyST: what the tree says, and nothing an input could smuggle in."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from sphinx_proceedings.core.inline import Link, Math, Span, Text
from sphinx_proceedings.core.inline_parse import parse_field
from sphinx_proceedings.core.model import Source
from sphinx_proceedings.render.myst_inline import ROLES, SPAN_CLASSES, md_blocks, md_inline

# As MyST reads the generated pages (dollarmath, amsmath, attrs_inline).
PARSER = (MarkdownIt("commonmark", {"html": True}).use(dollarmath_plugin, double_inline=True)
          .use(amsmath_plugin).use(myst_role_plugin).use(myst_block_plugin)
          .use(attrs_plugin, spans=True))
PARSER.validateLink = lambda url: True
WHERE = Source(Path("v.bib"), 1)


def tokens(text):
    out = []

    def flat(items):
        for token in items:
            out.append(token)
            flat(token.children or [])
    flat(PARSER.parse(text))
    return out


def test_title_and_abstract():
    tree, _ = parse_field(r"\emph{Deep} $\mathcal{O}(n)$ <b>1.6x</b> \href{https://x.org}{link}"
                          "\n\nsecond [not a link](x) *not em* {role}`x`", WHERE)
    assert md_inline(tree) == (r"{emphasis}`Deep` $\mathcal{O}(n)$ {strong}`1.6x` "
                               r"[link](<https://x.org>) second \[not a link\]\(x\) \*not em\* "
                               r"role\`x\`")
    assert md_blocks(tree).count("\n\nsecond") == 1


def test_display_math_and_environments_get_lines_of_their_own():
    tree = (Text("a "), Math("x^2", display=True), Text(" b "),
            Math("\\begin{align*}\na &= b\n\n\\end{align*}", True, "align*"))
    text = md_blocks(tree)
    assert "\n\n$$\nx^2\n$$\n\n" in text
    assert text.endswith("\\begin{align*}\na &= b\n\\end{align*}")
    types = [t.type for t in tokens(text)]
    assert "math_block" in types and "amsmath" in types


def test_styles_with_math_become_spans_and_links_hold_no_span():
    tree = (Span("smallcaps", (Text("Caps"),)), Text(" "), Span("emph", (Text("a "), Math("x"))),
            Text(" "), Link("https://x.org", (Span("emph", (Math("y"),)),)))
    assert md_inline(tree) == ("[Caps]{.proceedings-smallcaps} [a $x$]{.proceedings-emph} "
                               "[$y$](<https://x.org>)")


@pytest.mark.parametrize("tex", ["a$b", "a`b", "a\\", r"\input{x}"])
def test_math_myst_would_misread_is_text(tex):
    text = md_inline((Math(tex),))
    assert not [t for t in tokens(text) if t.type.startswith("math")]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("ab \n%$\\{}<>/&;#_^~`'\"*[]():.!|-") + [
    "\\emph{", "\\href{https://x.org}{", "\\url{", "<em>", "</em>", "<b>", "<a href='https://a.b'>",
    "</a>", "<script>", "{note}", "```", ":::", "$$", "\\[", "\\]", "\\begin{align*}",
    "\\end{align*}", "https://x.org/p", "\\cite{k}", "\\textsc{"]), max_size=40).map("".join))
def test_nothing_becomes_markup_the_tree_did_not_decide(value):
    tree, _ = parse_field(value.replace("\x00", ""), WHERE)
    for text in (md_inline(tree), md_blocks(tree)):
        for token in tokens(text):
            assert token.type not in ("html_inline", "html_block", "fence", "code_block",
                                      "heading_open", "image", "myst_target"), (value, text)
            if token.type == "myst_role":
                assert token.meta["name"] in ROLES.values()
            if token.type == "link_open":
                assert token.attrGet("href").startswith(("https://", "http://"))
            if token.type == "span_open":
                assert token.attrGet("class") in {*SPAN_CLASSES.values(), "proceedings-citation"}
