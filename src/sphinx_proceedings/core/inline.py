"""The inline text model: what a title or an abstract says, whatever it is shown in.

A BibTeX field value is LaTeX, often with HTML tags and bare URLs from the
exports it came from.  It is parsed once, in the reader (`inline_parse`),
into a small tree of the frozen nodes below; every output (MyST pages, the
PDF, plain text for metadata and search, citation files) renders that tree,
so all outputs agree and none re-parses the source.

The tree is deliberately small: text, math (with its TeX source), a few
styles, links, citation placeholders and breaks.  Anything else in the
source becomes text of one of these, never a node of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import unicodeit

#: Span styles, as the source spells them: ``\emph``/``<em>`` is "emph" and so on.
STYLES = ("emph", "strong", "smallcaps", "sup", "sub", "code")

#: What a citation shows, since the site has no bibliography to point it at.
CITATION_PLACEHOLDER = "[citation: {keys}]"


@dataclass(frozen=True)
class Text:
    """Unicode text; whitespace already collapsed by the builder."""

    text: str


@dataclass(frozen=True)
class Math:
    """Math with its TeX source; ``environment`` names an AMS environment (``align*``)."""

    tex: str
    display: bool = False
    environment: str = ""


@dataclass(frozen=True)
class Span:
    """Styled children: one of `STYLES`."""

    style: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Link:
    """A link to a checked http(s) URL; its children are the link text."""

    url: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Citation:
    """``\\cite{a,b}``: the site has no bibliography, so it shows `CITATION_PLACEHOLDER`."""

    keys: tuple[str, ...]

    @property
    def text(self) -> str:
        return CITATION_PLACEHOLDER.format(keys=", ".join(self.keys) or "?")


@dataclass(frozen=True)
class Break:
    """A line break (``\\\\``, ``<br>``) or, with ``paragraph``, a new paragraph."""

    paragraph: bool = False


Node = Text | Math | Span | Link | Citation | Break
Inline = tuple[Node, ...]

_SPACES = re.compile(r"\s+")


class Builder:
    """Collects nodes while a parser walks its source; `result` gives the tree.

    Spans and links are opened and closed like tags; closing one closes
    whatever was opened inside it, and `result` closes what is still open,
    so any sequence of calls gives a well-formed tree.
    """

    def __init__(self) -> None:
        self._open: list[tuple[str, str, list[Node]]] = [("root", "", [])]

    @property
    def _children(self) -> list[Node]:
        return self._open[-1][2]

    def text(self, text: str) -> None:
        if not text:
            return
        children = self._children
        if children and isinstance(children[-1], Text):
            children[-1] = Text(children[-1].text + text)
        else:
            children.append(Text(text))

    def add(self, node: Node) -> None:
        self._children.append(node)

    def open(self, kind: str, url: str = "") -> None:
        """Open a span (a `STYLES` name) or, with kind "link", a link to ``url``."""
        self._open.append((kind, url, []))

    def is_open(self, kind: str) -> bool:
        return any(k == kind for k, _, _ in self._open[1:])

    def depth(self) -> int:
        return len(self._open)

    def close(self, kind: str | None = None) -> bool:
        """Close the innermost open ``kind`` (any, when None); False when none is open."""
        for i in range(len(self._open) - 1, 0, -1):
            if kind is None or self._open[i][0] == kind:
                while len(self._open) > i:
                    self._close_top()
                return True
        return False

    def close_to(self, depth: int) -> None:
        """Close everything opened since `depth` returned ``depth``."""
        while len(self._open) > max(depth, 1):
            self._close_top()

    def _close_top(self) -> None:
        kind, url, children = self._open.pop()
        node: Node = Link(url, tuple(children)) if kind == "link" else Span(kind, tuple(children))
        self._children.append(node)

    def result(self) -> Inline:
        self.close_to(1)
        return normalise(tuple(self._children))


def normalise(nodes: Inline) -> Inline:
    """Whitespace collapsed, empty spans gone, no space at either end or around breaks."""
    out = _collapse(nodes)
    return _trim(out)


def _collapse(nodes: Inline) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text):
            node = Text(_SPACES.sub(" ", node.text))
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                node = Text(out.pop().text + node.text)
        elif isinstance(node, Span | Link):
            children = tuple(_collapse(node.children))
            if not children and isinstance(node, Span):
                continue
            node = Span(node.style, children) if isinstance(node, Span) else Link(node.url, children)
        elif isinstance(node, Break) and out and isinstance(out[-1], Break):
            if node.paragraph and not out[-1].paragraph:
                out[-1] = node
            continue
        out.append(node)
    return out


def _trim(nodes: list[Node]) -> Inline:
    """Strip spaces at the ends and beside breaks; drop breaks at the ends."""
    while nodes and isinstance(nodes[0], Break):
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], Break):
        nodes.pop()
    for i, node in enumerate(nodes):
        if not isinstance(node, Text):
            continue
        text = node.text
        if i == 0 or isinstance(nodes[i - 1], Break):
            text = text.lstrip()
        if i == len(nodes) - 1 or isinstance(nodes[i + 1], Break):
            text = text.rstrip()
        nodes[i] = Text(text)
    return tuple(n for n in nodes if not (isinstance(n, Text) and not n.text))


def walk(nodes: Inline) -> Iterator[Node]:
    """Every node, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, Span | Link):
            yield from walk(node.children)


def from_text(text: str) -> Inline:
    """Plain text (no markup at all) as a tree."""
    return normalise((Text(text),))


# -- plain text -----------------------------------------------------------------
#: Math that Unicode can show: after unicodeit, no control word and no brace is left.
_LEFTOVER = re.compile(r"\\[A-Za-z]+|[{}]")


@lru_cache(maxsize=65536)
def math_to_unicode(tex: str) -> str:
    """``\\mathcal{O}(n)`` as ``𝒪(n)`` when Unicode can say it; else the TeX itself."""
    try:
        converted = unicodeit.replace(tex)
    except Exception:  # unicodeit is a best-effort converter; hostile input may upset it
        return tex.strip()
    converted = converted.replace("\\%", "%").replace("\\,", "\u2009").replace("\\!", "")
    converted = converted.replace("\\ ", " ").replace("\\;", " ").replace("\\:", " ")
    if _LEFTOVER.search(converted):
        return tex.strip()
    return _SPACES.sub(" ", converted).strip()


def plain_text(nodes: Inline, math: str = "unicode") -> str:
    """The tree as one line of text (``<title>``, meta tags, search, RIS, CSL-JSON).

    ``math="unicode"`` turns simple math into Unicode (`math_to_unicode`);
    ``math="tex"`` keeps the TeX between dollars.  Paragraphs become a blank
    line only with `plain_paragraphs`.
    """
    return _SPACES.sub(" ", "".join(_plain(nodes, math))).strip()


def plain_paragraphs(nodes: Inline, math: str = "unicode") -> list[str]:
    """The tree as plain-text paragraphs."""
    paragraphs: list[list[Node]] = [[]]
    for node in nodes:
        if isinstance(node, Break) and node.paragraph:
            paragraphs.append([])
        else:
            paragraphs[-1].append(node)
    return [t for t in (plain_text(tuple(p), math) for p in paragraphs) if t]


def _plain(nodes: Inline, math: str) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, Math):
            yield math_to_unicode(node.tex) if math == "unicode" else f"${node.tex}$"
        elif isinstance(node, Span | Link):
            yield from _plain(node.children, math)
        elif isinstance(node, Citation):
            yield node.text
        elif isinstance(node, Break):
            yield " "


def words(nodes: Inline) -> list[str]:
    """The words of the text outside math (for word counts and checks)."""
    text = "".join(n.text for n in walk(nodes) if isinstance(n, Text))
    return text.split()
