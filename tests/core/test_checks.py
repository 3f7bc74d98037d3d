"""The judgement of ``proceedings check``: the reader's problems (the build's too) and advice."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_proceedings.core.checks import CheckSettings, advice, name_problems, url_problem
from sphinx_proceedings.core.names import parse_authors
from sphinx_proceedings.core.reader import read_proceedings

TOPICS = """topics:
  - slug: simulation
    title: Simulation
  - slug: neural-operators
    title: Neural operators
    parent: simulation
  - slug: lonely
    title: Nobody writes about this
"""


def paper(root: Path, key: str, fields: str, abstract: str | None = "Short.") -> None:
    folder = root / key
    folder.mkdir(parents=True)
    (folder / "paper.bib").write_text(f"@inproceedings{{{key},\n{fields}\n}}\n")
    if abstract is not None:
        (folder / "abstract.md").write_text(abstract)


def problems_of(root: Path, limit: int = 300) -> list[str]:
    proceedings = read_proceedings(root)
    return [str(p) for p in [*proceedings.problems, *advice(proceedings, CheckSettings(limit))]]


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    root.mkdir()
    (root / "topics.yml").write_text(TOPICS)
    return root


def test_a_clean_paper_has_no_extra_problems(papers: Path) -> None:
    paper(papers, "a2024x", "title={Waves}, author={Ann Bell}, topics={neural-operators}")
    (papers / "topics.yml").write_text(TOPICS.split("  - slug: lonely")[0])
    assert problems_of(papers) == []


def test_duplicate_titles_missing_topics_and_unused_topics(papers: Path) -> None:
    paper(papers, "a2024x", "title={Waves!}, author={Ann Bell}, topics={simulation}")
    paper(papers, "b2024x", "title={waves}, author={Bo Chen}")
    found = problems_of(papers)
    assert ("papers/b2024x/paper.bib:1: advice: paper 'b2024x' has the same title as "
            "'a2024x' (papers/a2024x/paper.bib:1) [proceedings.duplicate-title]") in found
    assert ("papers/b2024x/paper.bib:1: advice: paper 'b2024x' has no topic "
            "[proceedings.no-topic]") in found
    # A parent topic counts its children's papers; a child without papers is reported.
    assert ("papers/topics.yml:4: advice: topic 'neural-operators' has no paper "
            "[proceedings.unused-topic]") in found
    assert "papers/topics.yml:7: advice: topic 'lonely' has no paper [proceedings.unused-topic]" in found
    assert not any("'simulation' has no paper" in p for p in found)


def test_abstract_word_limit(papers: Path) -> None:
    paper(papers, "a2024x", "title={T}, author={Ann Bell}, topics={neural-operators}",
          abstract="one two three four five six")
    assert problems_of(papers, limit=6) == [
        "papers/topics.yml:7: advice: topic 'lonely' has no paper [proceedings.unused-topic]"]
    assert ("papers/a2024x/abstract.md:1: advice: abstract of 'a2024x' has 6 words; the "
            "limit is 5 [proceedings.long-abstract]") in problems_of(papers, limit=5)


def test_links_and_local_files(papers: Path) -> None:
    paper(papers, "a2024x", "title={T}, author={Ann Bell}, topics={simulation},\n"
          "code={www.github.com/x/y}, poster={poster-final.pdf}, slides={slides.pdf},\n"
          "video={https://exa_mple.com/v}",
          abstract="See [the code](http://bad host/x) and\n\n[docs](https://ok.example.org).")
    (papers / "a2024x" / "slides.pdf").write_bytes(b"%PDF-1.4")
    found = problems_of(papers)
    # A scheme-less web address gets https:// (checks.links.link_field), not a warning.
    assert not any("field 'code'" in p for p in found)
    assert read_proceedings(papers).papers[0].code == "https://www.github.com/x/y"
    assert ("papers/a2024x/paper.bib:3: error: entry 'a2024x': field 'poster' names the local "
            "file 'poster-final.pdf', which does not exist; link dropped "
            "[proceedings.missing-file]") in found
    assert not any("field 'slides'" in p for p in found)
    assert any("field 'video'" in p and "malformed host name" in p for p in found)
    assert not any("ok.example.org" in p for p in found)


@pytest.mark.parametrize(
    ("url", "bad"),
    [
        ("https://openreview.net/forum?id=abc", False),
        ("http://localhost:8000/x", False),
        ("paper.pdf", False),
        ("https://example.com:99999999/", True),
        ("https://ex ample.com", True),
        ("javascript:alert(1)", True),
        ("example.org/page", True),
        ("https://-bad-.com", True),
    ],
)
def test_url_problem(url: str, bad: bool) -> None:
    assert (url_problem(url) is not None) is bad


@pytest.mark.parametrize(
    ("names", "reason"),
    [
        ("{Smith and Jones}", "contains 'and'"),
        ("SMITH, JOHN", "written in capitals"),
        ("Smith, J.", None),
        ("J., Smith", "lone initial"),
        ("John S", "lone initial"),
        ("Li, Wu", None),
        ("Ada Lovelace", None),
        ("Anderson, Sandy", None),
    ],
)
def test_suspicious_names(names: str, reason: str | None) -> None:
    found = name_problems(parse_authors(names)[0])
    if reason is None:
        assert found == []
    else:
        assert any(reason in r for r in found)
