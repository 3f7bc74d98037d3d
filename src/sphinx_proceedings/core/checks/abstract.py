"""The judgement of an abstract: a restricted MyST of paragraphs, emphasis, lists, math, links.

An abstract is parsed with markdown-it-py and the plugins MyST uses, and every
token is looked at.  Directives, roles, raw HTML, headings, code blocks,
images, targets, substitutions, attributes, unsafe links and unsafe math are
refused: each is one ``abstract-markup`` problem naming its line, and the
abstract is then shown as plain text (`render.abstracts` does that).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.substitution import substitution_plugin

from sphinx_proceedings.core.checks.links import abstract_link_problem
from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.safety import unsafe_tex

_PARSER = (
    MarkdownIt("commonmark", {"html": True})
    .use(dollarmath_plugin, double_inline=True)
    .use(myst_role_plugin)
    .use(myst_block_plugin)
    .use(colon_fence_plugin)
    .use(substitution_plugin)  # as MyST's "substitution" extension parses them
    .use(attrs_plugin)  # generated pages enable MyST's attrs_inline: see {.class #id}
)
# markdown-it silently turns javascript: links into text; let every link
# through so that `_walk` can report it with its line.
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]
#: Attributes markdown itself sets; any other came from ``{...}`` after a link.
_PLAIN_ATTRS = frozenset({"href", "src", "alt", "title"})

_REFUSED = {
    "html_block": "raw HTML",
    "html_inline": "raw HTML",
    "myst_role": "a MyST role",
    "myst_target": "a MyST target",
    "myst_block_break": "a block break",
    "heading": "a heading",
    "code_block": "a code block",
    "hr": "a horizontal rule",
    "image": "an image",
    "substitution_inline": "a substitution ({{ ... }})",
    "substitution_block": "a substitution ({{ ... }})",
}


def _walk(tokens: list[Token], line: int, found: list[tuple[int, str]]) -> None:
    for token in tokens:
        here = line + token.map[0] if token.map else line
        kind = token.type.removesuffix("_open")
        if kind in _REFUSED:
            found.append((here, f"{_REFUSED[kind]} is not allowed in an abstract"))
        elif token.type in ("fence", "colon_fence"):
            what = "a directive" if token.info.strip().startswith("{") else "a code block"
            found.append((here, f"{what} is not allowed in an abstract"))
        elif token.type in ("math_inline", "math_block", "math_inline_double", "math_block_label"):
            bad = unsafe_tex(token.content)
            if bad:
                found.append((here, f"math using {bad} is not allowed"))
        elif set(token.attrs) - _PLAIN_ATTRS:
            found.append((here, "attributes ({.class #id ...}) are not allowed in an abstract"))
        elif token.type == "link_open":
            reason = abstract_link_problem(str(token.attrGet("href") or ""))
            if reason:
                found.append((here, f"link refused: {reason}"))
        if token.children:
            _walk(token.children, here, found)


def refused_constructs(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, what)`` for each construct an abstract may not hold, in order."""
    found: list[tuple[int, str]] = []
    try:
        tokens = _PARSER.parse(text)
    except Exception as exc:  # markdown-it is robust, but input is hostile
        return [(first_line, f"cannot parse abstract: {exc}")]
    _walk(tokens, first_line, found)
    return sorted(set(found))


@dataclass(frozen=True)
class AbstractVerdict:
    """What the judgement says of one abstract: shown as MyST, or as plain text."""

    refused: bool
    problems: tuple[Problem, ...] = ()


def judge_abstract(text: str, source: Source) -> AbstractVerdict:
    """The one judgement of an abstract (``check``, the build, ``add`` and ``import``)."""
    found = refused_constructs(text, source.line or 1)
    problems = tuple(
        Problem(ProblemKind.ABSTRACT_MARKUP, f"{what}; the abstract is shown as plain text",
                Source(source.path, line))
        for line, what in found)
    return AbstractVerdict(bool(found), problems)
