"""How `proceedings topics suggest` groups a real volume, in numbers.

Usage: python tools/measure_topics.py ../shared/corpora/corl2023.bib [--topics N]

Reads the volume as the site would (a copy in a temporary papers/ folder),
suggests topics, and compares them with the volume's own oral/poster split:
adjusted Rand index and normalised mutual information (0: unrelated, 1: the
same partition), each topic's share of orals next to the volume's, and how
much the grouping moves when only the clustering's seed changes.  With
keywords in the entries it compares with the first keyword too.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.suggest import suggest


def compare(name: str, truth: list[str], found: list[str]) -> None:
    print(f"  against {name}: adjusted Rand {adjusted_rand_score(truth, found):.3f}, "
          f"NMI {normalized_mutual_info_score(truth, found):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("volume", type=Path)
    parser.add_argument("--topics", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        papers = Path(temp) / "papers"
        papers.mkdir()
        shutil.copy(args.volume, papers / "volume.bib")
        proceedings = read_proceedings(papers)
    result = suggest(proceedings.papers, args.topics)
    by_key = proceedings.by_key
    keys = sorted(result.topic_of)
    found = [result.topic_of[k] for k in keys]
    print(f"{len(proceedings.papers)} papers, {len(result.topics)} topics, "
          f"{len(result.unplaced)} unplaced")

    presentation = [by_key[k].presentation for k in keys]
    compare("oral/poster", presentation, found)
    overall = presentation.count("oral") / len(presentation)
    print(f"  orals overall: {overall:.0%}")
    for topic in result.topics:
        kinds = Counter(by_key[k].presentation for k in topic.papers)
        print(f"    {topic.slug:12s} {len(topic.papers):3d} papers, "
              f"{kinds['oral'] / len(topic.papers):4.0%} orals  ({', '.join(topic.terms)})")

    keyword = [by_key[k].keywords[0].casefold() if by_key[k].keywords else "" for k in keys]
    if any(keyword):
        compare("first keyword", keyword, found)
    else:
        print("  no keywords in the entries: nothing to compare with there")

    moved = []
    for seed in range(1, 6):
        other = suggest(proceedings.papers, args.topics, seed=seed).topic_of
        moved.append(adjusted_rand_score(found, [other[k] for k in keys]))
    print(f"  seed 0 against seeds 1-5: adjusted Rand {statistics.mean(moved):.3f} on average "
          f"(lowest {min(moved):.3f})")


if __name__ == "__main__":
    main()
