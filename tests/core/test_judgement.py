"""`judge_entry` and `judge_abstract`: the one judgement ``check``, the build, add and import share."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_proceedings.core.checks import EntryRules, judge_abstract, judge_entry
from sphinx_proceedings.core.checks import entry as entry_module
from sphinx_proceedings.core.model import Source
from sphinx_proceedings.core.problems import ProblemKind as K

WHERE = Source(Path("papers/x.bib"), 10)
RULES = EntryRules(frozenset({"waves"}))
GOOD = {"title": "Waves", "author": "Bell, Ann", "topics": "waves",
        "url": "https://example.org/x", "abstract": "We study $u_t$."}


def judged(fields: dict[str, str], **kwargs):
    lines = {name: 11 + i for i, name in enumerate(fields)}
    return judge_entry("bell2024waves", {**fields}, WHERE, RULES, lines=lines, **kwargs)


def kinds(result) -> list[K]:
    return [p.kind for p in result.problems]


def test_a_good_entry_is_usable_and_silent() -> None:
    result = judged(GOOD)
    assert result.usable and result.problems == ()
    assert result.title == "Waves" and result.authors[0].family == "Bell"
    assert result.abstract == "We study $u_t$." and not result.abstract_refused
    assert dict(result.links) == {"url": "https://example.org/x"}


@pytest.mark.parametrize(("change", "kind", "usable"), [
    ({"title": ""}, K.INCOMPLETE, False),
    ({"author": ""}, K.INCOMPLETE, False),
    ({"title": "x" * 70_000}, K.TOO_LARGE, False),
    ({"author": " and ".join(f"A{i} B" for i in range(501))}, K.TOO_LARGE, False),
    ({"topics": "waves, nowhere"}, K.UNKNOWN_TOPIC, True),
    ({"presentation": "keynote"}, K.BAD_PRESENTATION, True),
    ({"url": "javascript:alert(1)"}, K.UNSAFE_LINK, True),
    ({"openreview": "../../x"}, K.UNSAFE_LINK, True),
    ({"url": "https://exa_mple.com/x"}, K.MALFORMED_LINK, True),
    ({"abstract": ""}, K.NO_ABSTRACT, True),
    ({"abstract": "A <script>alert(1)</script>"}, K.HTML_TAG, True),
    ({"abstract": "A \\rebut{b}"}, K.UNKNOWN_LATEX, True),
    ({"title": "A $\\input{x}$"}, K.UNSAFE_MATH, True),
    ({"abstract": "As \\cite{x}"}, K.CITATION, True),
])
def test_each_rule_has_its_kind(change: dict[str, str], kind: K, usable: bool) -> None:
    result = judged({**GOOD, **change})
    assert kinds(result) == [kind]
    assert result.usable is usable
    assert result.errors == ([result.problems[0]] if kind.level == "error" else [])


def test_a_bad_key_is_refused_first() -> None:
    result = judge_entry("../evil", GOOD, WHERE, RULES)
    assert kinds(result) == [K.BAD_KEY] and not result.usable


def test_names_the_parser_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(field: str):
        raise ValueError("cannot read author names: Too many commas")

    monkeypatch.setattr(entry_module, "parse_authors", refuse)
    result = judged(GOOD)
    assert kinds(result) == [K.BAD_NAMES] and not result.usable
    assert result.problems[0].source == Source(WHERE.path, 12)  # the author field's line
    assert result.problems[0].message == ("entry 'bell2024waves': cannot read author names: "
                                          "Too many commas; skipped")


def test_an_abstract_too_long_is_ignored_not_the_entry() -> None:
    result = judged({**GOOD, "abstract": "word " * 60_000})
    assert kinds(result) == [K.TOO_LARGE, K.NO_ABSTRACT]
    assert result.usable and result.abstract is None and result.ignored == {"abstract"}
    given = judged(GOOD, abstract="é" * 140_000)  # 280,000 bytes of abstract.md
    assert kinds(given) == [K.TOO_LARGE, K.NO_ABSTRACT] and given.abstract is None
    assert "abstract has 280,000 bytes; the limit is 262,144" in given.problems[0].message


def test_local_files_are_checked_when_the_caller_can() -> None:
    fields = {**GOOD, "poster": "poster.pdf"}
    assert judged(fields).problems == ()  # nothing to look at: not judged
    present = judged(fields, local_file=lambda name: name == "poster.pdf")
    assert present.problems == () and dict(present.links)["poster"] == "poster.pdf"
    missing = judged(fields, local_file=lambda name: False)
    assert kinds(missing) == [K.MISSING_FILE] and "poster" not in dict(missing.links)
    assert missing.problems[0].source.line == 16


def test_abstract_md_wins_over_the_field_and_is_located() -> None:
    text = "Fine.\n\n```{raw} html\n<script>alert(1)</script>\n```\n"
    result = judged(GOOD, abstract=text, abstract_source=Source(Path("papers/x/abstract.md"), 1))
    assert result.abstract == text and result.abstract_refused
    assert [(str(p.source), p.kind) for p in result.problems] == [
        ("papers/x/abstract.md:3", K.ABSTRACT_MARKUP)]


def test_judge_abstract_names_each_refused_construct() -> None:
    verdict = judge_abstract("Ok $x$.\n\n<script>x</script>\n\n{raw}`html <b>`\n\n"
                             "[a](https://-bad-.com)\n", Source(Path("a.md"), 5))
    assert verdict.refused
    assert [(p.source.line, p.message.split(";")[0]) for p in verdict.problems] == [
        (7, "raw HTML is not allowed in an abstract"),
        (9, "a MyST role is not allowed in an abstract"),
        (11, "link refused: 'https://-bad-.com' has a malformed host name '-bad-.com'"),
    ]
    assert judge_abstract("Plain $u_t$ and [a link](https://example.org).", WHERE) == \
        type(verdict)(refused=False)
