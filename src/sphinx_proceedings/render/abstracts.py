"""Abstracts are a restricted MyST: paragraphs, emphasis, lists, math and links.

An abstract is parsed with markdown-it-py and the same plugins MyST uses, and
every token is checked.  Directives, roles, raw HTML, headings, code blocks,
images, targets, substitutions, unsafe links and unsafe math are refused: the
abstract is then shown as escaped plain text (math kept where safe) and each
refused construct is reported with its file and line.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.substitution import substitution_plugin

from sphinx_proceedings.core.memo import remembered
from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.safety import check_url, strip_controls, unsafe_tex
from sphinx_proceedings.render.markup import md_text, md_title

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
# through so `_check` can report it with its line.
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


def _check(tokens: list[Token], line: int, found: list[tuple[int, str]]) -> None:
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
            reason = _link_problem(str(token.attrGet("href") or ""))
            if reason:
                found.append((here, f"link refused: {reason}"))
        if token.children:
            _check(token.children, here, found)


def _link_problem(href: str) -> str | None:
    """Abstracts link to the web only: relative paths would resolve in the site."""
    _, message = check_url(href)
    if message:
        return message
    if not href.lower().startswith(("http://", "https://")):
        return f"only http(s) links are allowed, not {href!r}"
    return None


@remembered
def sanitize_abstract(text: str, source: Source | None) -> tuple[str, list[Problem]]:
    """MyST that is safe to embed, and one problem per refused construct."""
    start = source.line if source and source.line else 1
    text, _ = strip_controls(text)  # the reader reports them; callers may not
    found: list[tuple[int, str]] = []
    try:
        tokens = _PARSER.parse(text)
    except Exception as exc:  # markdown-it is robust, but input is hostile
        tokens, found = [], [(start, f"cannot parse abstract: {exc}")]
    _check(tokens, start, found)
    if not found:
        return text.strip(), []
    where = source or Source("abstract")  # type: ignore[arg-type]
    problems = [
        Problem("warning", f"{message}; the abstract is shown as plain text",
                Source(where.path, line), "abstract")
        for line, message in sorted(set(found))
    ]
    return _plain(text), problems


def _plain(text: str) -> str:
    """The abstract as escaped paragraphs; math kept only if that re-parses clean."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    shown = "\n\n".join(md_title(p) for p in paragraphs)
    found: list[tuple[int, str]] = []
    _check(_PARSER.parse(shown), 1, found)
    return shown if not found else "\n\n".join(md_text(p) for p in paragraphs)
