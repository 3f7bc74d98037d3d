"""The inline tree (`core.inline`) as docutils nodes: a paper page's title without a parser.

It makes the nodes MyST makes of `myst_inline.md_inline`'s text (same escaping
decisions, same math rule, same roles and spans), so a page built from the
model and one parsed from MyST look the same (tests/render/test_inline_nodes.py
compares the two on the shared corpora).  Text is never markup here: it goes
into `nodes.Text` as it is, only cleaned of control characters.
"""

from __future__ import annotations

from docutils import nodes
from markdown_it.common.normalize_url import normalizeLink

from sphinx_proceedings.core.inline import Break, Citation, Inline, Link, Math, Node, Span, Text
from sphinx_proceedings.render.markup import clean_text, keeps_math
from sphinx_proceedings.render.myst_inline import SPAN_CLASSES

#: The docutils node each plain-text style's role makes (`myst_inline.ROLES`).
ROLE_NODES: dict[str, type[nodes.TextElement]] = {
    "emph": nodes.emphasis, "strong": nodes.strong, "sup": nodes.superscript,
    "sub": nodes.subscript, "code": nodes.literal,
}


def inline_nodes(tree: Inline) -> list[nodes.Node]:
    """A title's tree as one line of inline nodes (breaks become spaces)."""
    return _strip(_many(tree, in_link=False))


def _keep_spaces(text: str) -> str:
    """`clean_text`, keeping one space at either end where the text had one."""
    cleaned = clean_text(text)
    if not cleaned:
        return " " if text[:1].isspace() else ""
    return (" " if text[:1].isspace() else "") + cleaned + (" " if text[-1:].isspace() else "")


def _many(children: Inline, in_link: bool) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for child in children:
        out += _node(child, in_link)
    return _merge(out)


def _node(node: Node, in_link: bool) -> list[nodes.Node]:
    if isinstance(node, Text):
        return _text(_keep_spaces(node.text))
    if isinstance(node, Math):
        return _math(node)
    if isinstance(node, Span):
        return _span(node, in_link)
    if isinstance(node, Link):
        inner = _strip(_many(node.children, True)) or _text(clean_text(node.url))
        return [nodes.reference("", "", *inner, refuri=normalizeLink(node.url))]
    if isinstance(node, Citation):
        return [nodes.inline("", clean_text(node.text), classes=["proceedings-citation"])]
    if isinstance(node, Break):
        return _text(" ")
    return []


def _text(text: str) -> list[nodes.Node]:
    return [nodes.Text(text)] if text else []


def _math(node: Math) -> list[nodes.Node]:
    tex = clean_text(node.tex)
    if not keeps_math(tex):
        source = f"$${node.tex}$$" if node.display and not node.environment else \
            node.tex if node.environment else f"${node.tex}$"
        return _text(_keep_spaces(source))
    if node.environment:  # an environment cannot be inline math: its source as text
        return _text(clean_text(tex))
    return [nodes.math(tex, tex)]


def _span(node: Span, in_link: bool) -> list[nodes.Node]:
    children = node.children
    if node.style in ROLE_NODES and all(isinstance(c, Text) for c in children):
        text = clean_text("".join(c.text for c in children))  # type: ignore[union-attr]
        if text and "`" not in text[:1] + text[-1:]:
            lead = " " if children[0].text[:1].isspace() else ""  # type: ignore[union-attr]
            trail = " " if children[-1].text[-1:].isspace() else ""  # type: ignore[union-attr]
            return [*_text(lead), ROLE_NODES[node.style](text, text), *_text(trail)]
    inner = _many(children, in_link)
    if in_link or not "".join(n.astext() for n in inner).strip():
        return inner
    lead = " " if inner[0].astext()[:1].isspace() else ""
    trail = " " if inner[-1].astext()[-1:].isspace() else ""
    span = nodes.inline("", "", *_strip(inner),
                        classes=[SPAN_CLASSES.get(node.style, "proceedings-span")])
    return [*_text(lead), span, *_text(trail)]


def _merge(items: list[nodes.Node]) -> list[nodes.Node]:
    """Adjacent texts as one, as a parser reads them."""
    out: list[nodes.Node] = []
    for item in items:
        if isinstance(item, nodes.Text) and out and isinstance(out[-1], nodes.Text):
            out[-1] = nodes.Text(str(out[-1]) + str(item))
        else:
            out.append(item)
    return out


def _strip(items: list[nodes.Node]) -> list[nodes.Node]:
    """Leading and trailing white space off a run of nodes (only texts are cut)."""
    items = list(items)
    while items and isinstance(items[0], nodes.Text) and not str(items[0]).lstrip():
        items.pop(0)
    while items and isinstance(items[-1], nodes.Text) and not str(items[-1]).rstrip():
        items.pop()
    if items and isinstance(items[0], nodes.Text):
        items[0] = nodes.Text(str(items[0]).lstrip())
    if items and isinstance(items[-1], nodes.Text):
        items[-1] = nodes.Text(str(items[-1]).rstrip())
    return items
