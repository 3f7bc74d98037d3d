"""Every problem of ``topics.yml`` names the line it is about."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.core.topics import read_topics

PATH = Path("papers/topics.yml")


def problems(text: str) -> list[tuple[int | None, str]]:
    topics, found = read_topics(PATH, text)
    assert all(p.source.path == PATH for p in found)
    return [(p.source.line, p.message) for p in found]


def test_a_non_mapping_item_names_its_line() -> None:
    text = """topics:
  - slug: waves
    title: Waves
  - just a string
  - [1, 2]
  -
  - slug: heat
    title: Heat
"""
    found = problems(text)
    assert [line for line, _ in found] == [4, 5, 6]
    assert "not str 'just a string'" in found[0][1]
    assert "not list [1, 2]" in found[1][1]
    assert "not an empty item" in found[2][1]
    topics, _ = read_topics(PATH, text)
    assert [(t.slug, t.source.line) for t in topics] == [("waves", 2), ("heat", 7)]


def test_flow_style_items_have_lines() -> None:
    assert [line for line, _ in problems("topics: [\n  {slug: a, title: A},\n  7,\n]\n")] == [3]


@pytest.mark.parametrize(("text", "line"), [
    ("# comment\n\nsubjects:\n  - slug: a\n", 3),   # no topics key: the document's line
    ("\n\ntopics: 12\n", 3),                         # not a list: the key's line
    ("- slug: a\n", 1),
    ("topics:\n  - slug: a\n    title: [unclosed\n", 4),
    ("topics:\n  - ? [a]\n    : b\n", 2),
    ("topics:\n  - slug: Not A Slug\n    title: X\n", 2),
    ("topics:\n  - slug: a\n    title: A\n  - slug: b\n    title: B\n    parent: nobody\n", 4),
    ("topics:\n  - slug: a\n    title: A\n  - slug: a\n    title: again\n", 4),
    ("topics: " + "[" * 3000 + "]" * 3000 + "\n", 1),
])
def test_every_problem_has_a_line(text: str, line: int) -> None:
    found = problems(text)
    assert found, text
    assert all(isinstance(n, int) and n >= 1 for n, _ in found)
    assert found[0][0] == line, found


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "topics.yml").write_text("topics: " + "[" * 5000 + "]" * 5000 + "\n")
    result = read_proceedings(papers, ReaderSettings())
    assert [(p.source.line, "nested too deeply" in p.message) for p in result.problems] == [
        (1, True)]
