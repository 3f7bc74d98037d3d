"""Judged abstracts as MyST to embed in a paper page.

The judgement is `core.checks.judge_abstract` (run by the reader, so ``check``
and the build report the same); this module only renders its verdict: an
accepted abstract as it is, a refused one as escaped plain-text paragraphs,
with ``$math$`` kept where it is safe.
"""

from __future__ import annotations

from sphinx_proceedings.core.checks import refused_constructs
from sphinx_proceedings.core.safety import strip_controls
from sphinx_proceedings.render.markup import md_text, md_title


def abstract_myst(text: str, refused: bool) -> str:
    """The MyST of a judged abstract (``refused``: the verdict says plain text)."""
    text, _ = strip_controls(text)
    return _plain(text) if refused else text.strip()


def _plain(text: str) -> str:
    """The abstract as escaped paragraphs; math kept only if the result parses clean.

    The second parse checks this function's own output (a stray ``$`` could
    pair differently), not the input: it reports nothing.
    """
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    shown = "\n\n".join(md_title(p) for p in paragraphs)
    return shown if not refused_constructs(shown) else "\n\n".join(md_text(p) for p in paragraphs)
