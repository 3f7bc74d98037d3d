"""Topic suggestions on a fixed corpus: the right groups, the same every time."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from sphinx_proceedings.core import suggest
from sphinx_proceedings.core.model import Paper, Person, Proceedings, Source, Topic
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.topics import read_topics

CORPUS = Path(__file__).parents[1] / "data" / "suggest" / "papers"
#: The themes the corpus was written with.
THEMES = {
    "fluid": {"adler2024spectral", "berg2024vortex", "costa2024resolution", "dahl2024boundary"},
    "molecules": {"eng2024molecular", "falk2024atoms", "gran2024crystal", "holm2024docking",
                  "mann2024molecules"},
    "weather": {"ito2024forecast", "jensen2024precipitation", "kahn2024climate",
                "lund2024wind"},
}


@pytest.fixture(scope="module")
def corpus() -> Proceedings:
    proceedings = read_proceedings(CORPUS)
    assert len(proceedings.papers) == 13
    return proceedings


def test_groups_are_the_themes(corpus: Proceedings) -> None:
    result = suggest.suggest(corpus.papers)
    assert len(result.topics) == 3  # default_topic_count(13)
    assert {frozenset(t.papers) for t in result.topics} == {frozenset(k) for k in THEMES.values()}
    by_theme = {next(name for name, keys in THEMES.items() if t.papers[0] in keys): t
                for t in result.topics}
    assert "weather" in by_theme["weather"].terms
    assert by_theme["fluid"].slug == "fluid"
    assert any("molecul" in term for term in by_theme["molecules"].terms)
    assert result.unplaced == ()
    # Ranked best first; every paper placed once.
    assert [t.score for t in result.topics] == sorted((t.score for t in result.topics), reverse=True)
    assert sorted(result.topic_of) == sorted(p.key for p in corpus.papers)


def test_same_input_same_output_whatever_the_order(corpus: Proceedings) -> None:
    first = suggest.suggest(corpus.papers)
    again = suggest.suggest(tuple(reversed(corpus.papers)))
    assert first == again
    assert suggest.topics_yaml(first) == suggest.topics_yaml(again)


def test_topic_count_is_honoured(corpus: Proceedings) -> None:
    assert len(suggest.suggest(corpus.papers, topics=2).topics) == 2
    # Never more topics than papers.
    assert len(suggest.suggest(corpus.papers[:3], topics=8).topics) <= 3


@pytest.mark.parametrize(("papers", "topics"), [(2, 2), (13, 3), (80, 6), (199, 10), (5000, 12)])
def test_default_topic_count(papers: int, topics: int) -> None:
    assert suggest.default_topic_count(papers) == topics


def test_draft_vocabulary_reads_back_cleanly(corpus: Proceedings) -> None:
    result = suggest.suggest(corpus.papers)
    text = suggest.topics_yaml(result)
    topics, problems = read_topics(Path("topics.yml"), text)
    assert problems == []
    assert [t.slug for t in topics] == [t.slug for t in result.topics]
    assert all(t.description.startswith("Suggested from") for t in topics)


def _paper(key: str, title: str, abstract: str | None = None, topics: str = "") -> Paper:
    raw = (("title", title),) + ((("topics", topics),) if topics else ())
    return Paper(key=key, title=title, authors=(Person("A", "B"),), source=Source(Path("x.bib"), 1),
                 abstract=abstract, raw_fields=raw)


def test_too_little_text_is_a_clear_error() -> None:
    with pytest.raises(suggest.NotEnoughText, match="at least 2"):
        suggest.suggest([_paper("a2024x", "Turbulence"), _paper("b2024y", "1234")])
    with pytest.raises(suggest.NotEnoughText, match="no paper has words"):
        suggest.suggest([_paper("a2024x", "the and of"), _paper("b2024y", "$x^2$")])


def test_papers_without_words_are_left_unplaced() -> None:
    papers = [_paper("a2024x", "Turbulent flow"), _paper("b2024y", "Flow of rivers"),
              _paper("c2024z", "$\\nabla u$")]
    result = suggest.suggest(papers)
    assert result.unplaced == ("c2024z",)
    assert "c2024z" not in result.topic_of


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "sklearn" or n.startswith("sklearn.")]:
        monkeypatch.setitem(sys.modules, name, None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(suggest.MissingExtra, match=r"sphinx-proceedings\[suggest\]"):
        suggest.suggest([_paper("a2024x", "Turbulent flow"), _paper("b2024y", "Rivers")])


def test_plan_keeps_curated_values_without_force(corpus: Proceedings) -> None:
    result = suggest.suggest(corpus.papers)
    curated = _paper("adler2024spectral", "Spectral Neural Operators", topics="my-topic")
    papers = (curated, *(p for p in corpus.papers if p.key != curated.key))

    fresh = suggest.plan(Proceedings(papers), result, force=False)
    assert fresh.write_vocabulary
    kept = {c.paper.key for c in fresh.kept}
    assert kept == {"adler2024spectral"}
    assert len(fresh.written) == 12

    forced = suggest.plan(Proceedings(papers), result, force=True)
    assert forced.kept == [] and len(forced.written) == 13

    vocabulary = (Topic("my-topic", "My topic"),)
    held = suggest.plan(Proceedings(papers, vocabulary), result, force=False)
    assert not held.write_vocabulary and held.curated_topics == 1
    assert held.written == [] and len(held.kept) == 13


def test_plan_leaves_matching_papers_out(tmp_path: Path, corpus: Proceedings) -> None:
    result = suggest.suggest(corpus.papers)
    shutil.copytree(CORPUS, tmp_path / "papers")
    done = tuple(
        _paper(p.key, p.title, topics=result.topic_of[p.key]) for p in corpus.papers)
    assert suggest.plan(Proceedings(done), result, force=False).changes == ()
