"""Imported records as paper folders: ``paper.bib`` and ``abstract.md`` text.

Values are escaped so that the reader (`latex.to_unicode`) reads back exactly
the text OpenReview had; entries are written by bibtexparser's writer.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from sphinx_proceedings.core.text import split_math
from sphinx_proceedings.importers.openreview.records import OPENREVIEW, Record

_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "$": r"\$",
}
_LIGATURES = re.compile(r"--|``|''|\?`|!`")


def _escape_text(text: str) -> str:
    out = "".join(_SPECIALS.get(c, c) for c in text)
    # Break up what LaTeX would join into a dash or quote: "--" stays "--".
    while _LIGATURES.search(out):
        out = _LIGATURES.sub(lambda m: m.group(0)[0] + "{}" + m.group(0)[1], out)
    return out


def _balanced(text: str) -> bool:
    depth = 0
    for c in re.sub(r"\\.", "", text):
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0


def latex_escape(text: str) -> str:
    """Plain text as a BibTeX value that reads back (`to_unicode`) the same.

    ``$...$`` spans are kept as math; everything else is escaped.
    """
    out = []
    for is_math, piece in split_math(" ".join(text.split())):
        if is_math and _balanced(piece):
            out.append(f"${piece}$")
        else:
            out.append(_escape_text(f"${piece}$" if is_math else piece))
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
