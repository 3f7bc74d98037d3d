"""The Sphinx glue: `setup` only wires the pieces together; each lives in a module named for it."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_proceedings import __version__
from sphinx_proceedings.sphinx_ext import toctree_ancestors
from sphinx_proceedings.sphinx_ext.cache import save_pending
from sphinx_proceedings.sphinx_ext.citations import (
    citation_links,
    resolve_citation_links,
    write_citation_files,
)
from sphinx_proceedings.sphinx_ext.config import add_config_values, setup_companions
from sphinx_proceedings.sphinx_ext.directives import (
    CitationFilesDirective,
    PaperFilterDirective,
    PaperListDirective,
    depart_paper_item,
    drop_html_only,
    paper_filter,
    paper_item,
    visit_paper_filter,
    visit_paper_item,
)
from sphinx_proceedings.sphinx_ext.domain import OBJECT_TYPES, ProceedingsDomain, ProceedingsXRefRole
from sphinx_proceedings.sphinx_ext.gc_tuning import (
    count_documents,
    freeze_after_loading,
    freeze_after_reading,
    unfreeze,
)
from sphinx_proceedings.sphinx_ext.generate import generate
from sphinx_proceedings.sphinx_ext.incremental import (
    outdated_documents,
    restore_listing_rewrites,
    skip_listing_rewrites,
    updated_documents,
)
from sphinx_proceedings.sphinx_ext.latex import configure_latex
from sphinx_proceedings.sphinx_ext.metadata import (
    add_page_metadata,
    configure_metadata,
    setup_metadata,
    write_robots,
)
from sphinx_proceedings.sphinx_ext.schedule import setup_schedule
from sphinx_proceedings.sphinx_ext.search import (
    PaperSearchDirective,
    add_templates,
    filter_tags,
    resolve_search_links,
    run_pagefind,
    search_link,
    search_page,
)

STATIC = Path(__file__).parent / "static"


def _static_files(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict:
    for extension in ("myst_parser", "sphinx_design", "sphinx_copybutton"):
        app.setup_extension(extension)
    add_config_values(app)
    setup_metadata(app)  # Open Graph and sitemap, when a base URL is set
    app.add_domain(ProceedingsDomain)
    for objtype in OBJECT_TYPES:
        app.add_role(objtype, ProceedingsXRefRole(objtype))
    app.add_directive("paper-list", PaperListDirective)
    app.add_directive("citation-files", CitationFilesDirective)
    app.add_node(citation_links)
    app.add_directive("paper-filter", PaperFilterDirective)
    app.add_node(paper_item, html=(visit_paper_item, depart_paper_item))
    app.add_node(paper_filter, html=(visit_paper_filter, None))
    app.connect("doctree-resolved", drop_html_only)
    app.add_js_file("proceedings-filter.js", loading_method="defer")
    app.add_css_file("proceedings-readers.css")
    app.connect("doctree-resolved", resolve_citation_links)
    app.connect("build-finished", write_citation_files)
    app.connect("config-inited", configure_metadata)
    app.connect("html-page-context", add_page_metadata, priority=400)  # before opengraph
    app.connect("build-finished", write_robots)
    app.add_directive("paper-search", PaperSearchDirective)
    app.add_node(search_link)
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", filter_tags)
    app.connect("html-collect-pages", search_page)
    app.connect("doctree-resolved", resolve_search_links)
    app.connect("build-finished", run_pagefind, priority=900)  # after the other outputs
    app.connect("config-inited", setup_companions)
    app.connect("config-inited", _static_files)
    app.connect("config-inited", configure_latex)  # the PDF book of abstracts
    app.connect("builder-inited", generate)
    app.connect("build-finished", save_pending, priority=950)  # after the citation files
    app.connect("builder-inited", freeze_after_loading, priority=900)  # after generate
    app.connect("env-before-read-docs", count_documents)
    app.connect("env-updated", freeze_after_reading, priority=900)
    app.connect("build-finished", unfreeze, priority=1000)
    app.connect("env-get-outdated", outdated_documents)
    app.connect("env-get-updated", updated_documents)
    app.connect("env-check-consistency", skip_listing_rewrites)
    toctree_ancestors.install()  # Sphinx rescans every toctree per page written
    app.connect("env-updated", toctree_ancestors.start)
    app.connect("build-finished", toctree_ancestors.stop)
    app.connect("build-finished", restore_listing_rewrites)
    app.add_css_file("proceedings.css")
    setup_schedule(app)  # the {schedule} directive and its calendar files
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
