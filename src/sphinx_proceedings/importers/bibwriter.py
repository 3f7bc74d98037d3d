"""Imported records as paper folders: ``paper.bib`` and ``abstract.md`` text.

Values are escaped by pylatexenc's encoder, set up so that the reader
(`text.to_unicode`, pylatexenc's decoder) reads back exactly the text
OpenReview had; entries are written by bibtexparser's writer.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import (
    RULE_DICT,
    RULE_REGEX,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
    get_builtin_conversion_rules,
)

from sphinx_proceedings.core.text import split_math
from sphinx_proceedings.importers.openreview.records import OPENREVIEW, Record

#: Characters TeX reads as markup in running text.  Only these are encoded
#: (with pylatexenc's own replacements); other Unicode stays as it is, since
#: BibTeX files are UTF-8 and the reader decodes accents anyway.
TEX_SPECIALS = "\\{}%&#_~$"

_PYLATEXENC = get_builtin_conversion_rules("defaults")[0].rule
#: Pairs LaTeX would join into a dash or a quote (``--``, two backticks, ``?```)
#: get an empty group between them, so they read back as typed.
_LIGATURES = UnicodeToLatexConversionRule(RULE_REGEX, [
    (re.compile(r"([-`'])(?=\1)"), r"\1{}"),
    (re.compile(r"([?!])(?=`)"), r"\1{}"),
])
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[
        _LIGATURES,
        UnicodeToLatexConversionRule(RULE_DICT, {ord(c): _PYLATEXENC[ord(c)] for c in TEX_SPECIALS}),
    ],
    replacement_latex_protection="braces-after-macro",  # \textasciitilde{}x, not \textasciitildex
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


def _balanced(text: str) -> bool:
    depth = 0
    for c in re.sub(r"\\.", "", text):
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0


def latex_escape(text: str) -> str:
    """Plain text as a BibTeX value that reads back (`to_unicode`) the same.

    ``$...$`` spans are kept as math; everything else is escaped.  The text
    comes back in Unicode's composed form (NFC), as pylatexenc's encoder
    normalizes it: ``e`` + combining acute is stored as ``é``.
    """
    out = []
    for is_math, piece in split_math(" ".join(text.split())):
        if is_math and _balanced(piece):
            out.append(f"${piece}$")
        else:
            out.append(_ENCODER.unicode_to_latex(f"${piece}$" if is_math else piece))
    return "".join(out)


def bib_name(name: str) -> str:
    """An author's display name for an ``author`` field ("and" is protected)."""
    escaped = latex_escape(name)
    return "{" + escaped + "}" if re.search(r"\band\b", name, re.I) else escaped


#: Fields an import owns, in the order they are written.
IMPORTED_FIELDS = ("title", "author", "year", "booktitle", "url", "pdf", "openreview",
                   "keywords", "presentation")


def record_fields(record: Record, booktitle: str) -> dict[str, str]:
    """The BibTeX fields of a record (escaped, not yet enclosed in braces)."""
    fields = {
        "title": latex_escape(record.title),
        "author": " and ".join(bib_name(a) for a in record.authors),
        "year": record.year,
        "booktitle": latex_escape(booktitle),
        "url": f"{OPENREVIEW}/forum?id={record.forum}",
        "pdf": record.pdf,
        "openreview": record.forum,
        "keywords": ", ".join(latex_escape(k.replace(",", " ")) for k in record.keywords),
        "presentation": record.presentation,
    }
    return {k: v for k, v in fields.items() if v}


def render_entry(key: str, fields: list[tuple[str, str]], entry_type: str = "inproceedings") -> str:
    """One BibTeX entry, written by bibtexparser's writer."""
    entry = Entry(entry_type, key, [Field(name, value) for name, value in fields])
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = "auto"
    fmt.block_separator = "\n"
    enclose = AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=False,
                                     default_enclosing="{")
    text = bibtexparser.write_string(Library([entry]), unparse_stack=[enclose],
                                     bibtex_format=fmt)
    return text.strip() + "\n"


def abstract_text(abstract: str) -> str:
    """``abstract.md`` content: the text as OpenReview has it, one final newline."""
    return abstract.replace("\r\n", "\n").strip() + "\n"
