"""LaTeX in BibTeX fields to Unicode text, keeping ``$...$`` math.

Conversion is pylatexenc's: accents, ``{\\L}``, ``--`` and protective braces
are handled by a maintained library, not a table of our own.  Math spans are
kept verbatim so pages can typeset them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from slugify import slugify

from sphinx_proceedings.core.memo import remembered

_CONVERTER = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_SPACES = re.compile(r"\s+")


def escape_percent(value: str, comments: bool = True) -> str:
    r"""Every unescaped ``%`` as ``\%``, except (with ``comments``) one that starts a
    line: that one starts a LaTeX comment."""
    out: list[str] = []
    backslashes = 0
    line_start = False
    for char in value:
        if char == "%" and backslashes % 2 == 0 and not (line_start and comments):
            out.append("\\")
        out.append(char)
        backslashes = backslashes + 1 if char == "\\" else 0
        if char == "\n":
            line_start = True
        elif not char.isspace():
            line_start = False
    return "".join(out)


@lru_cache(maxsize=65536)
def to_unicode(text: str) -> str:
    """Unicode text of a LaTeX field value; math stays as ``$...$``; a bare ``%`` is a percent."""
    if "\\" not in text and "{" not in text and "-" not in text and "~" not in text \
            and "%" not in text:
        return _SPACES.sub(" ", text).strip()
    try:
        converted = _CONVERTER.latex_to_text(escape_percent(text))
    except Exception:  # pylatexenc is tolerant, but untrusted input is untrusted
        converted = text.replace("{", "").replace("}", "")
    return _SPACES.sub(" ", converted).strip()


_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def split_math(text: str) -> list[tuple[bool, str]]:
    """Split text into ``(is_math, piece)`` segments on ``$...$``."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _MATH.finditer(text):
        if m.start() > pos:
            out.append((False, text[pos:m.start()]))
        out.append((True, m.group(1)))
        pos = m.end()
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


_MATH_AS_TEXT = LatexNodes2Text(math_mode="text")


@lru_cache(maxsize=65536)
def plain_title(text: str) -> str:
    """A title for link text and metadata: math rendered as Unicode (``∇``)."""
    out = []
    for is_math, piece in split_math(text):
        if is_math:
            try:
                piece = _MATH_AS_TEXT.latex_to_text(piece)
            except Exception:  # noqa: S112 - hostile math falls back to its source
                piece = piece.replace("\\", "")
        out.append(piece)
    return _SPACES.sub(" ", "".join(out)).strip()


@remembered  # slugify is slow; the same names come back in every build
def slug_for(name: str) -> str:
    """URL-safe, accent-free key of a name: ``Schönlieb`` -> ``schonlieb``."""
    return slugify(name, lowercase=True) or "unnamed"


#: A page name keeps a key's case and underscores; other runs of characters
#: unsafe in a file name or URL (``:``, ``.``, ``+``) become one ``-``.
_NOT_IN_PAGE_NAME = r"[^A-Za-z0-9_-]+"


@lru_cache(maxsize=65536)
def page_slug(key: str) -> str:
    """A citation key as a page name (URL and file): ``Knuth:1984`` -> ``Knuth-1984``."""
    return slugify(key, lowercase=False, regex_pattern=_NOT_IN_PAGE_NAME)


def file_stem(title: str, default: str = "proceedings") -> str:
    """A title as a lowercase ASCII file name: ``Künstliche Intelligenz`` -> ``kunstliche-intelligenz``."""
    return slugify(title) or default


def year_of(date: str) -> str:
    """The year of a biblatex ``date`` (``2006``, ``2006-05-01``, ``1998/2003``), or ""."""
    found = re.match(r"\s*\{?\s*(\d{4})", date)
    return found.group(1) if found else ""
