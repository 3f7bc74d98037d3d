"""The cached toctree ancestors give Sphinx's answers (toctree_ancestors.py)."""

from __future__ import annotations

import sphinx.environment.adapters.toctree as adapter

from sphinx_proceedings.sphinx_ext import toctree_ancestors


def test_same_answers_as_sphinx_for_every_page(site, build):
    app = build(site("basic"))
    includes = app.env.toctree_includes
    assert adapter._get_toctree_ancestors is toctree_ancestors.toctree_ancestors
    toctree_ancestors.start(app, app.env)
    try:
        for docname in sorted(app.env.all_docs):
            ours = list(toctree_ancestors.toctree_ancestors(includes, docname))
            assert ours == list(toctree_ancestors._sphinx_ancestors(includes, docname)), docname
        assert list(toctree_ancestors.toctree_ancestors(includes, "proceedings/papers/nowak2024graph")
                    )[-1] == "proceedings/index"
    finally:
        toctree_ancestors.stop(app, None)
    assert toctree_ancestors._state["active"] is False


def test_a_changed_toctree_map_is_not_answered_from_the_old_one():
    toctree_ancestors.start(None, None)  # type: ignore[arg-type]
    try:
        first = {"index": ["a"], "a": ["b"]}
        assert list(toctree_ancestors.toctree_ancestors(first, "b")) == ["b", "a"]
        second = {"index": ["b"]}
        assert list(toctree_ancestors.toctree_ancestors(second, "b")) == ["b"]
    finally:
        toctree_ancestors.stop(None, None)  # type: ignore[arg-type]
