"""Menus without dead ends: no Topics entry on a site that has no topics to show.

A site's toctree (the navbar, with pydata-sphinx-theme) may name the generated
topic index, as ``proceedings new`` sites do.  When no topic has papers (or the
site curates none), that page only says so; its entry is taken out of every
toctree as the document is read, so the menu does not lead there, and the page
is an orphan (topics.md.jinja) that links still reach.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_proceedings.core.model import Proceedings
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.state import build_state


def shows_topics(proc: Proceedings, empty_topics: bool) -> bool:
    """Whether the topic index lists anything (render/pages.py lists the same topics)."""
    if empty_topics:
        return bool(proc.topics)
    return any(proc.papers_for_topic(topic.slug) for topic in proc.topics)


def _menus(app: Sphinx) -> dict[str, bool]:
    """Documents whose toctree names the topic index, and whether it was shown when read
    (domain data: pickled with the environment, cleared per document)."""
    return app.env.get_domain("proceedings").data.setdefault("topic-menus", {})


def drop_topics_entry(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before Sphinx notes the toctrees: the entry goes when empty."""
    settings = proceedings_config(app.config)
    index = f"{settings.prefix}/topics/index"
    for toctree in doctree.findall(addnodes.toctree):
        if index not in toctree.get("includefiles", []):
            continue
        shown = shows_topics(build_state(app.env).model, settings.empty_topics)
        _menus(app)[app.env.current_document.docname] = shown
        if not shown:
            toctree["entries"] = [(title, ref) for title, ref in toctree["entries"] if ref != index]
            toctree["includefiles"] = [name for name in toctree["includefiles"] if name != index]


def outdated_menus(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """``env-get-outdated``: menus read when topics were (not) shown, now the other way."""
    shown = shows_topics(build_state(env).model, proceedings_config(app.config).empty_topics)
    menus = _menus(app)
    for docname in removed:
        menus.pop(docname, None)
    return sorted(d for d, was in menus.items() if was != shown and d not in changed)


def setup_navigation(app: Sphinx) -> None:
    app.connect("doctree-read", drop_topics_entry, priority=400)  # before TocTreeCollector
    app.connect("env-get-outdated", outdated_menus)
