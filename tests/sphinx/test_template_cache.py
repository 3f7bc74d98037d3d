"""The theme's templates are compiled once and reused (template_cache.py)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext.template_cache import FOLDER


def _compiled_templates(monkeypatch) -> list[str]:
    """Names of the templates Jinja compiles from source from now on."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        if name is not None:
            names.append(name)
        return compile_source(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_a_second_build_compiles_no_theme_template(site, build, monkeypatch):
    root = site("basic")
    first = build(root)
    cache = store.folder(first) / FOLDER
    assert len(list(cache.iterdir())) > 10  # pydata-sphinx-theme's layout, sections, macros
    compiled = _compiled_templates(monkeypatch)
    (root / "papers/nowak2024graph/abstract.md").write_text("An edited abstract.\n", encoding="utf-8")
    build(root)
    assert "layout.html" not in compiled and "page.html" not in compiled
    assert not [name for name in compiled if name.endswith(".html")]


def test_an_edited_template_is_compiled_again(site, build, monkeypatch):
    root = site("basic")
    build(root)
    layout = root / "_templates" / "layout.html"
    layout.parent.mkdir(exist_ok=True)
    layout.write_text('{% extends "!layout.html" %}\n{% block footer %}Cached? No.{{ super() }}'
                      "{% endblock %}\n", encoding="utf-8")
    compiled = _compiled_templates(monkeypatch)
    app = build(root, confoverrides={"templates_path": ["_templates"]})
    assert "layout.html" in compiled
    assert "Cached? No." in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
