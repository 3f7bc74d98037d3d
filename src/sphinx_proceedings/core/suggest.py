"""Candidate topics from the papers' own words: TF-IDF, then k-means.

Organizers sort dozens of accepted papers into topics by hand.  This gives
them a first draft: each paper's title (twice), keywords (twice) and
abstract become one TF-IDF vector; latent semantic analysis (truncated SVD,
two dimensions per topic) folds related words together; k-means with a fixed seed groups the papers.  Each
group is labelled by the terms that are most frequent in it compared with
the rest, and groups are ranked by how many papers they hold close.

scikit-learn is an optional extra (``pip install 'sphinx-proceedings[suggest]'``),
imported only when a suggestion is asked for.  The same input gives the same
output: papers are sorted by key first and every random step is seeded.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml
from slugify import slugify

from sphinx_proceedings.core.text import split_math

if TYPE_CHECKING:
    from sphinx_proceedings.core.model import Paper, Proceedings

INSTALL_HINT = "pip install 'sphinx-proceedings[suggest]'"
#: Words common to every abstract that say nothing about its subject.
GENERIC_WORDS = frozenset("""
    able abstract achieve achieves address allow allows approach approaches based
    benchmark benchmarks challenge challenging code combine compared demonstrate
    demonstrates design different effective efficient enable enables existing
    experiment experiments experimental extensive framework furthermore given
    high improve improved improves including introduce key large leverage method
    methods model models new novel outperform outperforms paper performance problem
    problems propose proposed provide real recent results set significantly
    show shows specifically state study success task tasks use used uses using
    various way work works
""".split())  # noqa: SIM905 - a word list reads best as text
_WORD_PATTERN = r"(?u)\b[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*\b"
_URL = re.compile(r"https?://\S+|www\.\S+")


class MissingExtra(ImportError):
    """scikit-learn is not installed."""


class NotEnoughText(ValueError):
    """Too few papers with words to group."""


@dataclass(frozen=True)
class CandidateTopic:
    """One suggested topic: a label, its papers (closest first) and its terms."""

    slug: str
    label: str
    terms: tuple[str, ...]
    papers: tuple[str, ...]  # keys
    score: float  # summed closeness of the papers to the topic's centre

    @property
    def description(self) -> str:
        return (f"Suggested from {len(self.papers)} paper(s); distinguishing terms: "
                f"{', '.join(self.terms)}. Edit this description.")


@dataclass(frozen=True)
class Suggestion:
    """The ranked candidate topics and the papers they could not place."""

    topics: tuple[CandidateTopic, ...]
    unplaced: tuple[str, ...]  # keys of papers without usable words

    @property
    def topic_of(self) -> dict[str, str]:
        """Each placed paper's suggested topic slug."""
        return {key: topic.slug for topic in self.topics for key in topic.papers}


def paper_text(paper: Paper) -> str:
    """The words of a paper that say what it is about (math and URLs left out)."""
    parts = [paper.title, paper.title, *paper.keywords, *paper.keywords, paper.abstract or ""]
    text = " ".join(parts)
    text = "".join(piece for is_math, piece in split_math(text) if not is_math)
    return _URL.sub(" ", text)


def default_topic_count(papers: int) -> int:
    """About one topic per eight papers at workshop size, at most twelve."""
    return max(2, min(12, round(math.sqrt(papers / 2))))


def suggest(papers: Sequence[Paper], topics: int | None = None, terms: int = 5,
            seed: int = 0) -> Suggestion:
    """Group ``papers`` into ``topics`` candidate topics (default: `default_topic_count`)."""
    try:
        import numpy as np
        from sklearn.cluster import KMeans
        from sklearn.decomposition import TruncatedSVD
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
        from sklearn.preprocessing import normalize
    except ImportError as exc:
        raise MissingExtra(f"topic suggestions need scikit-learn, which is not installed "
                           f"({INSTALL_HINT})") from exc

    ordered = sorted(papers, key=lambda p: p.key)
    count = len(ordered)
    big = count >= 20  # below that, a word in two papers is already rare
    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | GENERIC_WORDS), token_pattern=_WORD_PATTERN,
        ngram_range=(1, 2), min_df=2 if big else 1, max_df=0.5 if big else 1.0,
        sublinear_tf=True, strip_accents="unicode", dtype=np.float64)
    try:
        matrix = vectorizer.fit_transform([paper_text(p) for p in ordered])
    except ValueError:  # no word survived at all
        matrix = None
    if matrix is None:
        raise NotEnoughText("no paper has words to group (titles, keywords or abstracts)")
    usable = np.flatnonzero(matrix.getnnz(axis=1) > 0)
    placed = set(usable.tolist())
    unplaced = tuple(ordered[i].key for i in range(count) if i not in placed)
    if len(usable) < 2:
        raise NotEnoughText(f"{len(usable)} paper(s) have words to group; at least 2 are needed")
    matrix = matrix[usable]
    k = min(topics or default_topic_count(len(usable)), len(usable))

    # Two dimensions per topic: with more, the seed moves papers between topics far
    # more often (measured on CoRL 2023, see the README), with no better separation.
    components = min(2 * k, matrix.shape[1] - 1, len(usable) - 1)
    if components >= 2:
        svd = TruncatedSVD(n_components=components, random_state=seed)
        space = normalize(svd.fit_transform(matrix))
    else:
        space = matrix.toarray()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # fewer distinct papers than k
        kmeans = KMeans(n_clusters=k, n_init=50, random_state=seed).fit(space)
    labels = kmeans.labels_
    centres = normalize(kmeans.cluster_centers_)
    closeness = np.einsum("ij,ij->i", space, centres[labels])

    vocabulary = vectorizer.get_feature_names_out()
    total = np.asarray(matrix.sum(axis=0)).ravel()  # sparse sums: no dense copy of the matrix
    found, taken = [], set()
    for cluster in range(k):
        inside = labels == cluster
        size = int(inside.sum())
        if not size:
            continue
        own = np.asarray(matrix[inside].sum(axis=0)).ravel()
        rest = len(usable) - size
        weight = own / size - ((total - own) / rest if rest else 0.0)
        best = _distinct_terms([vocabulary[i] for i in np.argsort(-weight, kind="stable")
                                if weight[i] > 0], terms)
        members = sorted(np.flatnonzero(inside).tolist(),
                         key=lambda i: (-round(float(closeness[i]), 12), ordered[usable[i]].key))
        slug = _unique_slug(best, taken)
        found.append(CandidateTopic(
            slug=slug, label=_label(best) or slug, terms=tuple(best),
            papers=tuple(ordered[usable[i]].key for i in members),
            score=round(float(closeness[inside].sum()), 6)))
    found.sort(key=lambda t: (-t.score, t.slug))
    return Suggestion(tuple(found), unplaced)


def _distinct_terms(ranked: list[str], wanted: int) -> list[str]:
    """The first ``wanted`` terms that say different things.

    Terms are compared by their words' stems (snowballstemmer): ``objects``
    after ``object``, or ``language`` after ``natural language``, adds nothing.
    """
    import snowballstemmer

    stem = snowballstemmer.stemmer("english").stemWord
    chosen: list[tuple[str, frozenset[str]]] = []
    for term in ranked:
        stems = frozenset(stem(word) for word in term.split())
        if any(stems <= other or other <= stems for _, other in chosen):
            continue
        chosen.append((term, stems))
        if len(chosen) == wanted:
            break
    return [term for term, _ in chosen]


def _label(terms: list[str]) -> str:
    head = ", ".join(terms[:2])
    return head[:1].upper() + head[1:]


def _unique_slug(terms: list[str], taken: set[str]) -> str:
    base = slugify(terms[0] if terms else "topic", max_length=40, word_boundary=True) or "topic"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def topics_yaml(suggestion: Suggestion) -> str:
    """A ``topics.yml`` draft of the suggestion, for organizers to edit."""
    data = {"topics": [{"slug": t.slug, "title": t.label, "description": t.description}
                       for t in suggestion.topics]}
    header = ("# Draft written by 'proceedings topics suggest': rename, merge and describe\n"
              "# these topics; papers name them by slug in their 'topics' field.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


# -- what --write would change ----------------------------------------------------------
@dataclass(frozen=True)
class PaperChange:
    """One paper's ``topics`` field: as written now, as suggested, and whether it is kept."""

    paper: Paper
    old: str  # the field as written ("" when absent)
    new: tuple[str, ...]
    kept: bool  # a curated value left alone (no --force)


@dataclass(frozen=True)
class Plan:
    """Everything ``--write`` would do, decided before any file is touched."""

    write_vocabulary: bool  # topics.yml is (re)written
    curated_topics: int  # topics topics.yml declares now
    changes: tuple[PaperChange, ...]  # papers whose field would change, or is kept

    @property
    def kept(self) -> list[PaperChange]:
        return [c for c in self.changes if c.kept]

    @property
    def written(self) -> list[PaperChange]:
        return [c for c in self.changes if not c.kept]


def plan(proceedings: Proceedings, suggestion: Suggestion, force: bool) -> Plan:
    """Decide what to write: curated values (a non-empty topics.yml, a paper's own
    ``topics`` field) are replaced only with ``force``.

    While topics.yml is curated and kept, no paper is given a suggested slug
    either: it would name a topic the vocabulary does not have.
    """
    curated = len(proceedings.topics)
    write_vocabulary = force or curated == 0
    topic_of = suggestion.topic_of
    changes = []
    for paper in sorted(proceedings.papers, key=lambda p: p.key):
        old = dict(paper.raw_fields).get("topics", "").strip()
        new = (topic_of[paper.key],) if paper.key in topic_of else ()
        if old == ", ".join(new):
            continue
        kept = not write_vocabulary or (bool(old) and not force)
        if not new and not force:
            continue  # an unplaced paper keeps what it has
        changes.append(PaperChange(paper, old, new, kept))
    return Plan(write_vocabulary, curated, tuple(changes))
