"""Characters the PDF could not print, as warnings that name the papers holding them.

XeTeX drops a character no font of the book has and says so only in its log
(``Missing character: There is no σ (U+03C3) in font ...!``).  After latexmk,
`glyph_problems` reads that log and turns each missing character into one
warning per paper whose title, abstract or author names contain it, so the
organizers learn which paper prints wrong and which font to install.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from sphinx_proceedings.core.inline import plain_text
from sphinx_proceedings.core.model import Paper, Problem, Proceedings, Source
from sphinx_proceedings.core.problems import ProblemKind

#: XeTeX's message, with the code point as ``U+03C3`` (newer) or ``"3C3`` (older).
MISSING = re.compile(r"Missing character: There is no (.+?) \((?:U\+|\")([0-9A-Fa-f]+)\) "
                     r"in font ([^!\n]+)!")


def missing_characters(log: str) -> dict[str, set[str]]:
    """Each character the log says is missing, with the fonts that lacked it."""
    found: dict[str, set[str]] = {}
    for match in MISSING.finditer(log):
        try:
            char = chr(int(match.group(2), 16))
        except (ValueError, OverflowError):
            continue
        found.setdefault(char, set()).add(match.group(3).strip())
    return found


def _paper_text(paper: Paper) -> str:
    parts = [paper.title, plain_text(paper.title_tree), *(p.name for p in paper.authors)]
    if paper.abstract:
        parts += [paper.abstract, paper.plain_abstract]
    return "\n".join(parts)


def glyph_problems(log_file: Path, proc: Proceedings) -> list[Problem]:
    """One warning per paper and missing character; the log itself when no paper has it."""
    try:
        log = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    problems = []
    for char, fonts in sorted(missing_characters(log).items()):
        name = unicodedata.name(char, "unnamed character")
        what = (f"the PDF has no glyph for {char!r} (U+{ord(char):04X} {name}, missing in "
                f"{', '.join(sorted(fonts))}); install a font that has it")
        papers = [p for p in proc.papers if char in _paper_text(p)]
        for paper in papers:
            problems.append(Problem(ProblemKind.MISSING_GLYPH, f"paper {paper.key!r}: {what}",
                                    paper.source))
        if not papers:
            problems.append(Problem(ProblemKind.MISSING_GLYPH, what, Source(log_file)))
    return problems
