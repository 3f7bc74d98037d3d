"""Judged abstracts as MyST to embed in a paper page.

The judgement is `core.checks.judge_abstract` (run by the reader, so ``check``
and the build report the same); this module only renders its verdict: an
accepted abstract as it is, a refused one as escaped plain-text paragraphs,
with ``$math$`` kept where it is safe.
"""

from __future__ import annotations

from sphinx_proceedings.core.checks import refused_constructs
from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.core.safety import strip_controls
from sphinx_proceedings.render.markup import md_text, md_title
from sphinx_proceedings.render.myst_inline import md_blocks


def paper_abstract_myst(paper: Paper) -> str | None:
    """The MyST every page shows for ``paper``'s abstract (None: it has none).

    One path for the paper page and the cards that fold the abstract out, so
    both show the same safe text: a BibTeX field is the reader's text tree, an
    ``abstract.md`` is the judged Markdown.
    """
    if paper.abstract_tree is not None:  # a BibTeX field, parsed by the reader
        return md_blocks(paper.abstract_tree)
    return abstract_myst(paper.abstract, paper.abstract_refused) if paper.abstract else None


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
