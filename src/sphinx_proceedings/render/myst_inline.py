"""The inline tree (`core.inline`) as MyST: titles and BibTeX abstracts on the pages.

Text goes through `markup`'s escaping, so nothing from an input file can
become markup that the tree did not decide on.  Styles whose content is plain
text become docutils roles (``{emphasis}`` gives ``<em>`` and ``\\emph``);
styled content holding math or links, and small capitals, become MyST spans
``[...]{.proceedings-emph}`` that the site's CSS and the book's preamble
style (`SPAN_CLASSES`).  Math stays math only when MyST will read it back
exactly (`markup.keeps_math`); display math and AMS environments (MyST's
``amsmath`` extension) get lines of their own in abstracts.
"""

from __future__ import annotations

import re

from sphinx_proceedings.core.inline import Break, Citation, Inline, Link, Math, Node, Span, Text
from sphinx_proceedings.render.markup import clean_text, keeps_math, md_text, md_url

#: Docutils roles for plain-text styles.
ROLES = {"emph": "emphasis", "strong": "strong", "sup": "sup", "sub": "sub", "code": "literal"}
#: Class of the span a style becomes when a role cannot hold its content.
SPAN_CLASSES = {style: f"proceedings-{style}" for style in
                ("emph", "strong", "smallcaps", "sup", "sub", "code")}
_BLANK_LINES = re.compile(r"\n\s*\n")


def md_inline(nodes: Inline) -> str:
    """A tree as one line of MyST (titles): breaks become spaces, display math inline."""
    return "".join(_node(node, block=False) for node in nodes).strip()


def md_blocks(nodes: Inline) -> str:
    """A tree as MyST paragraphs (abstracts), display math on lines of its own."""
    text = "".join(_node(node, block=True) for node in nodes)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _node(node: Node, block: bool, in_link: bool = False) -> str:
    if isinstance(node, Text):
        return md_text_keep_spaces(node.text)
    if isinstance(node, Math):
        return _math(node, block)
    if isinstance(node, Span):
        return _span(node, in_link)
    if isinstance(node, Link):
        inner = "".join(_node(child, False, True) for child in node.children).strip()
        return f"[{inner or md_text(node.url)}]({md_url(node.url)})"
    if isinstance(node, Citation):
        return f"[{md_text(node.text)}]{{.proceedings-citation}}"
    if isinstance(node, Break):
        if not block:
            return " "
        return "\n\n" if node.paragraph else "\\\n"
    return ""


def md_text_keep_spaces(text: str) -> str:
    """`markup.md_text`, but keeping the spaces at either end (text between nodes)."""
    cleaned = md_text(text)
    if not cleaned:
        return " " if text[:1].isspace() else ""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + cleaned + trail


def _math(node: Math, block: bool) -> str:
    tex = clean_text(node.tex) if not (block and node.display) else \
        _BLANK_LINES.sub("\n", node.tex.replace("\r", "")).strip()
    if not keeps_math(tex):
        source = f"$${node.tex}$$" if node.display and not node.environment else \
            node.tex if node.environment else f"${node.tex}$"
        return md_text_keep_spaces(source)
    if not block or not node.display:
        if node.environment:  # an environment cannot be inline math: show its source
            return md_text(tex)
        return f"${tex}$"
    if node.environment:
        begin, end = f"\\begin{{{node.environment}}}", f"\\end{{{node.environment}}}"
        if tex.startswith(begin) and tex.endswith(end) and tex.count(end) == 1:
            return f"\n\n{tex}\n\n"
        return md_text_keep_spaces(tex)
    return f"\n\n$$\n{tex}\n$$\n\n"


def _span(node: Span, in_link: bool) -> str:
    """A role for plain text; a span otherwise (inside link text, where MyST reads
    no span, the content without its style)."""
    inner_nodes = node.children
    if node.style in ROLES and all(isinstance(c, Text) for c in inner_nodes):
        text = clean_text("".join(c.text for c in inner_nodes))  # type: ignore[union-attr]
        if text and "`" not in text[:1] + text[-1:]:
            ticks = "`" * (max((len(m) for m in re.findall("`+", text)), default=0) + 1)
            lead = " " if inner_nodes[0].text[:1].isspace() else ""  # type: ignore[union-attr]
            trail = " " if inner_nodes[-1].text[-1:].isspace() else ""  # type: ignore[union-attr]
            return f"{lead}{{{ROLES[node.style]}}}{ticks}{text}{ticks}{trail}"
    inner = "".join(_node(child, False, in_link) for child in inner_nodes)
    if not inner.strip() or in_link:
        return inner
    lead = " " if inner[:1].isspace() else ""
    trail = " " if inner[-1:].isspace() else ""
    return f"{lead}[{inner.strip()}]{{.{SPAN_CLASSES.get(node.style, 'proceedings-span')}}}{trail}"
