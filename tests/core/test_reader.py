"""The reader's memo: unchanged folders and volume files are not parsed again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sphinx_proceedings.core import reader
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings

ROOTS = Path(__file__).parents[1] / "roots"


@pytest.fixture
def papers(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name / "papers"
        shutil.copytree(ROOTS / f"test-{name}" / "papers", target)
        return target
    return copy


def _count_parses(monkeypatch) -> list[int]:
    calls = [0]
    real = reader.bibtexparser.parse_string

    def counting(text, *args, **kwargs):
        calls[0] += 1
        return real(text, *args, **kwargs)

    monkeypatch.setattr(reader.bibtexparser, "parse_string", counting)
    return calls


def _touch(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))


@pytest.mark.parametrize("root", ["basic", "wrong", "hostile"])
def test_memo_gives_what_a_fresh_read_gives(papers, root, monkeypatch):
    folder = papers(root)
    memo: dict = {}
    first = read_proceedings(folder, ReaderSettings(year="2024"), memo)
    calls = _count_parses(monkeypatch)
    second = read_proceedings(folder, ReaderSettings(year="2024"), memo)
    assert calls[0] == 0  # nothing parsed again
    assert second == first == read_proceedings(folder, ReaderSettings(year="2024"))


def test_an_edited_folder_is_read_again_and_nothing_else(papers, monkeypatch):
    folder = papers("basic")
    memo: dict = {}
    read_proceedings(folder, ReaderSettings(), memo)
    _touch(folder / "nowak2024graph" / "paper.bib", "Pretend Turbulence", "Make-Believe Flow")
    calls = _count_parses(monkeypatch)
    edited = read_proceedings(folder, ReaderSettings(), memo)
    assert calls[0] == 1
    assert edited.by_key["nowak2024graph"].title.endswith("Make-Believe Flow")
    assert edited == read_proceedings(folder, ReaderSettings())


def test_duplicates_are_checked_across_remembered_files(papers):
    folder = papers("basic")
    memo: dict = {}
    read_proceedings(folder, ReaderSettings(), memo)
    # A new folder reuses a key the (remembered) volume file already defines.
    (folder / "zzcopy").mkdir()
    shutil.copy(folder / "nowak2024graph" / "paper.bib", folder / "zzcopy" / "paper.bib")
    again = folder / "zz.bib"
    again.write_text((folder / "volume.bib").read_text(encoding="utf-8"), encoding="utf-8")
    with_memo = read_proceedings(folder, ReaderSettings(), memo)
    fresh = read_proceedings(folder, ReaderSettings())
    assert with_memo == fresh
    assert any(p.kind is ProblemKind.DUPLICATE_KEY for p in with_memo.problems)


def test_settings_or_topics_change_forget_the_memo(papers, monkeypatch):
    folder = papers("basic")
    memo: dict = {}
    read_proceedings(folder, ReaderSettings(year="2024"), memo)
    calls = _count_parses(monkeypatch)
    read_proceedings(folder, ReaderSettings(year="2025"), memo)
    assert calls[0] > 1
    calls[0] = 0
    topics = folder / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(topics)
    read_proceedings(folder, ReaderSettings(year="2025"), memo)
    assert calls[0] == 0  # same topics: still remembered
    _touch(topics, "slug: discovery", "slug: found-equations")
    result = read_proceedings(folder, ReaderSettings(year="2025"), memo)
    assert result == read_proceedings(folder, ReaderSettings(year="2025"))
    assert any(p.kind is ProblemKind.UNKNOWN_TOPIC and "'discovery'" in p.message for p in result.problems)
