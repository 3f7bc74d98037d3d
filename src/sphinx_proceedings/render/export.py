"""Citation exports, written from the data model with bibtexparser's writer.

The BibTeX shown in a paper's Cite block keeps the bibliographic fields as
the authors wrote them (LaTeX and case-protecting braces intact), puts the
authors in one normalised form and points ``url`` at the paper's page.  Site
fields (topics, presentation, abstract ...) are dropped.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from sphinx_proceedings.core.memo import remembered
from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.core.text import escape_percent

#: Fields that only steer the site; they are not part of a citation.
SITE_ONLY = frozenset({"topics", "presentation", "abstract", "openreview", "award",
                       "poster", "slides", "video", "code", "keywords"})
#: Fields holding addresses, where ``%`` is part of the address, not text.
ADDRESS_FIELDS = frozenset({"url", "pdf", "doi", "eprint", "file"})
_FORMAT = BibtexFormat()
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"


def _braced(value: str, text: bool = True) -> str:
    """A field value with whitespace collapsed; unbalanced braces dropped.

    In ``text`` fields a bare ``%`` is a percent sign (our reading of BibTeX
    data, see `inline_parse`), written ``\\%`` so that LaTeX agrees; the value
    becomes one line, so no ``%`` may stay a comment.
    """
    value = re.sub(r"\s+", " ", escape_percent(value, comments=False) if text else value).strip()
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", "").replace("}", "")
    return value


@remembered
def bibtex_entry(paper: Paper, page_url: str = "") -> str:
    """The paper's citation as one BibTeX entry."""
    raw = dict(paper.raw_fields)
    fields: list[Field] = [
        Field("title", _braced(raw.get("title", paper.title))),
        Field("author", _braced(" and ".join(p.bibtex for p in paper.authors))),
    ]
    if paper.booktitle:
        fields.append(Field("booktitle", _braced(raw.get("booktitle", paper.booktitle))))
    if paper.year:
        fields.append(Field("year", _braced(raw.get("year", paper.year))))
    for name, value in paper.raw_fields:
        if name in SITE_ONLY or name in {"title", "author", "booktitle", "year", "url", "pdf"}:
            continue
        fields.append(Field(name, _braced(value, name not in ADDRESS_FIELDS)))
    url = page_url or paper.url
    if url:
        fields.append(Field("url", _braced(url, False)))
    if paper.pdf and not paper.attachment("pdf"):
        fields.append(Field("pdf", _braced(paper.pdf, False)))
    entry = Entry(paper.entry_type or "inproceedings", paper.key, fields)
    library = bibtexparser.Library([entry])
    return bibtexparser.write_string(library, bibtex_format=_FORMAT).strip()
