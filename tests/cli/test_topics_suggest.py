"""``proceedings topics suggest`` on a fixed corpus, through the real command."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.core.reader import read_proceedings

CORPUS = Path(__file__).parents[1] / "data" / "suggest" / "papers"
ROOTS = Path(__file__).parents[1] / "roots"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    target = tmp_path / "papers"
    shutil.copytree(CORPUS, target)
    return target


def test_preview_lists_ranked_topics_and_writes_nothing(papers: Path) -> None:
    before = files_under(papers)
    result = run("topics", "suggest", "--papers", papers, "--members", "0")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 candidate topics for 13 papers" in out
    assert " 1. " in out and " 3. " in out and " 4. " not in out
    assert "terms: weather, forecasts" in out
    assert "lund2024wind  Wind and Temperature Forecasts at Station Scale" in out
    assert "/topics.yml (3 topics; new)" in out and "Would write " in out
    assert "would set topics of adler2024spectral: (none) -> 'fluid'" in out
    assert "Nothing written" in out
    assert files_under(papers) == before


def test_output_is_the_same_every_run(papers: Path) -> None:
    first = run("topics", "suggest", "--papers", papers, "--members", "0").output
    assert run("topics", "suggest", "--papers", papers, "--members", "0").output == first
    other_seed = run("topics", "suggest", "--papers", papers, "--seed", "7").output
    assert "seed 7" in other_seed


def test_write_sets_topics_and_keeps_the_rest_of_each_file(papers: Path) -> None:
    volume_before = (papers / "volume.bib").read_text(encoding="utf-8")
    result = run("topics", "suggest", "--papers", papers, "--write")
    assert result.exit_code == 0, result.output
    assert "Wrote 4 file(s)" in result.output  # topics.yml, volume.bib, two paper.bib

    vocabulary = yaml.safe_load((papers / "topics.yml").read_text(encoding="utf-8"))
    assert sorted(t["slug"] for t in vocabulary["topics"]) == ["fluid", "graph", "weather"]
    proceedings = read_proceedings(papers)
    assert proceedings.problems == ()
    topics = {p.key: p.topics for p in proceedings.papers}
    assert topics["lund2024wind"] == ("weather",)
    assert topics["mann2024molecules"] == ("graph",)
    assert topics["adler2024spectral"] == ("fluid",)

    # The volume file gains one line per entry; every line it had is still there.
    volume_after = (papers / "volume.bib").read_text(encoding="utf-8")
    added = [line for line in volume_after.splitlines() if line.startswith("  topics = {")]
    assert len(added) == 11
    assert [line for line in volume_after.splitlines() if line not in added] \
        == volume_before.splitlines()
    assert volume_after.startswith("% A small fixed corpus")

    # Again: nothing left to change.
    again = run("topics", "suggest", "--papers", papers, "--write")
    assert again.exit_code == 0, again.output
    assert "Wrote" not in again.output
    assert "topics.yml: it declares 3 topics" in again.output


def test_no_curated_value_is_overwritten_without_force(papers: Path) -> None:
    bib = papers / "lund2024wind" / "paper.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "  keywords", "  topics   = {forecasting},\n  keywords"), encoding="utf-8")
    (papers / "topics.yml").write_text(
        "topics:\n  - slug: forecasting\n    title: Forecasting\n", encoding="utf-8")
    before = files_under(papers)

    held = run("topics", "suggest", "--papers", papers, "--write")
    assert held.exit_code == 1, held.output
    assert "topics.yml: it declares 1 topics" in held.output
    assert "keep   topics of lund2024wind: 'forecasting' -> 'weather'" in held.output
    assert "--force" in held.output
    assert files_under(papers) == before

    forced = run("topics", "suggest", "--papers", papers, "--write", "--force")
    assert forced.exit_code == 0, forced.output
    assert "replacing 1 curated topics" in forced.output
    proceedings = read_proceedings(papers)
    assert proceedings.problems == ()
    assert {p.key: p.topics for p in proceedings.papers}["lund2024wind"] == ("weather",)
    assert "forecasting" not in (papers / "topics.yml").read_text(encoding="utf-8")
    assert bib.read_text(encoding="utf-8").count("topics") == 1


def test_curated_paper_topics_are_kept_when_the_vocabulary_is_new(papers: Path) -> None:
    bib = papers / "mann2024molecules" / "paper.bib"
    original = bib.read_text(encoding="utf-8").replace(
        "  keywords", "  topics   = {generative},\n  keywords")
    bib.write_text(original, encoding="utf-8")
    result = run("topics", "suggest", "--papers", papers, "--write")
    assert result.exit_code == 1, result.output  # not everything was done
    assert "1 paper(s) kept their topics" in result.output
    assert (papers / "topics.yml").is_file()
    assert bib.read_text(encoding="utf-8") == original
    assert "topics = {weather}" in (papers / "lund2024wind" / "paper.bib").read_text("utf-8")


def test_missing_extra_is_one_clear_line(papers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in sys.modules if n == "sklearn" or n.startswith("sklearn.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "sklearn", None)
    result = run("topics", "suggest", "--papers", papers)
    assert result.exit_code == 2
    assert "scikit-learn" in result.output
    assert "pip install 'sphinx-proceedings[suggest]'" in result.output


def test_too_few_papers_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    result = run("topics", "suggest", "--papers", tmp_path / "papers")
    assert result.exit_code == 2
    assert "no paper has words" in result.output or "at least 2" in result.output


def test_written_vocabulary_builds_without_warning(tmp_path: Path) -> None:
    """A site of the corpus alone: --write, then a strict build has nothing to say."""
    site = tmp_path / "site"
    shutil.copytree(CORPUS, site / "papers")
    shutil.copy(ROOTS / "test-basic" / "conf.py", site / "conf.py")
    (site / "index.md").write_text("# Forecasts and Flows\n\n```{toctree}\nproceedings/index\n"
                                   "proceedings/topics/index\n```\n", encoding="utf-8")
    result = run("-C", site, "topics", "suggest", "--write")
    assert result.exit_code == 0, result.output
    built = run("-C", site, "build", "-j", "1", "--strict")
    assert built.exit_code == 0, built.output
    assert "(0 warning(s))" in built.output
    pages = site / "_build" / "html" / "proceedings" / "topics"
    assert {p.stem for p in pages.glob("*.html")} >= {"fluid", "graph", "weather"}
