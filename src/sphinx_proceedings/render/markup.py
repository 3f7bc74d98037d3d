"""Untrusted text into MyST source that can only mean that text.

Generated pages are MyST files written from templates.  Anything that came
from an input file passes through these filters first, so a title can never
open a directive, a role, raw HTML or a link: every ASCII punctuation mark is
backslash-escaped (CommonMark allows that for all of them), and only math
that passes `safety.unsafe_tex` stays math.
"""

from __future__ import annotations

import re

from sphinx_proceedings.core.safety import strip_controls, unsafe_tex
from sphinx_proceedings.core.text import split_math

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Drop control and bidirectional-override characters (`safety.strip_controls`); one line."""
    return _SPACES.sub(" ", strip_controls(text)[0]).strip()


def _escape(text: str) -> str:
    # A backslash is written as an entity, not as ``\\``: mdit-py-plugins'
    # dollarmath looks one character before the start of the text and wraps
    # around to its end, so a title that starts with ``$`` and ends with a
    # backslash would lose its math, and the math's content would be read as
    # markup (``$<b>$\``).
    return _PUNCT.sub(lambda m: "&#92;" if m.group(1) == "\\" else "\\" + m.group(1), text)


def md_text(text: str) -> str:
    """Plain text as inline MyST: every markup character escaped."""
    return _escape(clean_text(text))


def keeps_math(piece: str) -> bool:
    """Math MyST will read exactly as `split_math` did: a stray ``$`` or a
    backtick would let MyST pair the dollars differently and read the rest
    (``<script>`` ...) as markup, and a final backslash would escape the
    closing dollar."""
    tex = piece.strip()
    trailing = len(tex) - len(tex.rstrip("\\"))
    return (bool(tex) and not unsafe_tex(tex) and not any(c in tex for c in "$`")
            and trailing % 2 == 0)


def md_title(text: str) -> str:
    """A title with ``$math$`` kept as math (when safe) and the rest escaped."""
    out = []
    for is_math, piece in split_math(clean_text(text)):
        if is_math and keeps_math(piece):
            out.append(f"${piece.strip()}$")
        elif is_math:
            out.append(_escape(f"${piece}$"))
        else:
            out.append(_escape(piece))
    return "".join(out)


def md_url(url: str) -> str:
    """A validated URL as a MyST link destination (pointy brackets)."""
    return "<" + url.replace(">", "%3E").replace("<", "%3C").replace("\n", "") + ">"


def fence(content: str, char: str = "`") -> str:
    """A code fence longer than any run of ``char`` in the content."""
    longest = max((len(m) for m in re.findall(re.escape(char) + "+", content)), default=0)
    return char * max(3, longest + 1)
