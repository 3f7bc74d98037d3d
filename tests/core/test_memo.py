"""Results of pure functions kept between builds (memo.py)."""

from __future__ import annotations

from sphinx_proceedings.core import memo


def test_results_are_computed_once_and_carried_to_the_next_build():
    calls: list[int] = []

    @memo.remembered
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    memo.start({})
    assert [square(2), square(2), square(3)] == [4, 4, 9]
    assert calls == [2, 3]
    kept = memo.results()
    memo.start(kept)  # the next build
    assert square(3) == 9
    assert calls == [2, 3]  # remembered, not recomputed
    assert len(memo.results()) == 1  # only what this build used is kept


def test_the_next_build_without_results_recomputes():
    calls: list[int] = []

    @memo.remembered
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    memo.start({})
    double(1)
    memo.start({})
    double(1)
    assert calls == [1, 1]


def test_incremental_build_reuses_abstract_checks(site, build, make_app, monkeypatch):
    from sphinx_proceedings.core.checks import abstract as abstracts

    srcdir = site("basic")
    build(srcdir)
    parses: list[str] = []
    real = abstracts._PARSER.parse
    monkeypatch.setattr(abstracts._PARSER, "parse", lambda text: parses.append(text) or real(text))
    abstract = srcdir / "papers/nowak2024graph/abstract.md"
    abstract.write_text(abstract.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                        encoding="utf-8")
    make_app("html", srcdir=srcdir).build()
    # Only the edited abstract was checked again.
    assert len(parses) == 1 and "One more sentence." in parses[0]
