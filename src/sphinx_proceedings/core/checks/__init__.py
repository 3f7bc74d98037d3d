"""The one place where entries and abstracts are judged.

``proceedings check``, the Sphinx build (both through `reader.read_proceedings`),
``proceedings add`` and ``proceedings import`` all call these functions, so a
paper is accepted, trimmed or refused the same way everywhere and every
problem is worded once.  Each finding is a `Problem` of a `ProblemKind`.

- `entry`: one BibTeX entry (key, sizes, title, authors, topics, links, abstract
  present), plus the checks across entries and paper folders;
- `abstract`: an abstract's markup;
- `links`: which links are refused or look wrong;
- `advice`: what only ``check`` reports (level ``advice``).
"""

from sphinx_proceedings.core.checks.abstract import AbstractVerdict, judge_abstract, refused_constructs
from sphinx_proceedings.core.checks.advice import DEFAULT_WORD_LIMIT, CheckSettings, advice, name_problems
from sphinx_proceedings.core.checks.entry import (
    KEY_PATTERN,
    LINK_FIELDS,
    MAX_ABSTRACT_BYTES,
    MAX_AUTHORS,
    MAX_FIELD_CHARS,
    EntryRules,
    Judged,
    duplicate_key,
    duplicate_page,
    field_too_long,
    folder_problem,
    judge_entry,
    judge_sizes,
    key_ok,
)
from sphinx_proceedings.core.checks.links import url_problem

__all__ = [
    "DEFAULT_WORD_LIMIT", "KEY_PATTERN", "LINK_FIELDS", "MAX_ABSTRACT_BYTES", "MAX_AUTHORS",
    "MAX_FIELD_CHARS", "AbstractVerdict", "CheckSettings", "EntryRules", "Judged", "advice",
    "duplicate_key", "duplicate_page", "field_too_long", "folder_problem", "judge_abstract",
    "judge_entry", "judge_sizes", "key_ok", "name_problems", "refused_constructs", "url_problem",
]
