"""The HTML theme's templates compiled once, not on every build.

Sphinx compiles the theme's Jinja templates from their source in every build:
pydata-sphinx-theme's layout and its many sections and macros take about 0.15 s,
a share of every edit's and every no-op's wall time that does not shrink with
the site.  Jinja's `FileSystemBytecodeCache` keeps the compiled code in the
extension's folder of Sphinx's doctree folder (``jinja-bytecode/``); each entry
is checked against its template's source (a changed template is compiled
again) and against Jinja's and Python's versions.  Deleting the folder costs
one compilation.

Sphinx's template loader is reached through ``app.builder.templates.environment``
(public attributes, not documented as API): when a builder has no such Jinja
environment, nothing happens.
"""

from __future__ import annotations

import jinja2
from sphinx.application import Sphinx

from sphinx_proceedings.sphinx_ext import store

#: The folder, inside the extension's store (store.py).
FOLDER = "jinja-bytecode"


def cache_theme_templates(app: Sphinx) -> None:
    """``builder-inited``: the builder's template environment gets the bytecode cache."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if not isinstance(environment, jinja2.Environment) or environment.bytecode_cache is not None:
        return
    folder = store.folder(app) / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only doctree folder: compile as Sphinx does
        return
    environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def setup_template_cache(app: Sphinx) -> None:
    app.connect("builder-inited", cache_theme_templates)
