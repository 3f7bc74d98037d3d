"""`setup`: one ``setup_<feature>(app)`` per module, in the order a build meets them.

Each module connects its own event handlers; nothing else happens here.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from sphinx_proceedings import __version__
from sphinx_proceedings.sphinx_ext._workarounds import (
    install_fewer_chunks,
    setup_small_reads,
    setup_toctree_cache,
)
from sphinx_proceedings.sphinx_ext.assets import setup_assets
from sphinx_proceedings.sphinx_ext.author_pages import setup_author_pages
from sphinx_proceedings.sphinx_ext.card_abstracts import setup_card_abstracts
from sphinx_proceedings.sphinx_ext.cards import setup_cards
from sphinx_proceedings.sphinx_ext.citations import setup_citations
from sphinx_proceedings.sphinx_ext.config import setup_config
from sphinx_proceedings.sphinx_ext.directives import setup_directives
from sphinx_proceedings.sphinx_ext.domain import setup_domain
from sphinx_proceedings.sphinx_ext.gc_tuning import setup_gc_tuning
from sphinx_proceedings.sphinx_ext.generate import setup_generate
from sphinx_proceedings.sphinx_ext.incremental import setup_incremental
from sphinx_proceedings.sphinx_ext.latex import setup_latex
from sphinx_proceedings.sphinx_ext.look import setup_look
from sphinx_proceedings.sphinx_ext.math import setup_math
from sphinx_proceedings.sphinx_ext.metadata import setup_metadata
from sphinx_proceedings.sphinx_ext.navigation import setup_navigation
from sphinx_proceedings.sphinx_ext.pagefind_ahead import setup_pagefind_ahead
from sphinx_proceedings.sphinx_ext.pagefind_index import setup_pagefind_index
from sphinx_proceedings.sphinx_ext.paper_page import setup_paper_page
from sphinx_proceedings.sphinx_ext.people import setup_people
from sphinx_proceedings.sphinx_ext.print_pages import setup_print_pages
from sphinx_proceedings.sphinx_ext.schedule import setup_schedule
from sphinx_proceedings.sphinx_ext.search import setup_search
from sphinx_proceedings.sphinx_ext.template_cache import setup_template_cache
from sphinx_proceedings.sphinx_ext.written_cards import setup_written_cards

#: The Sphinx extensions generated pages are written for.
COMPANIONS = ("myst_parser", "sphinx_design", "sphinx_copybutton")


def setup(app: Sphinx) -> dict:
    for extension in COMPANIONS:
        app.setup_extension(extension)
    setup_config(app)  # first: the others read the settings
    setup_metadata(app)  # Open Graph and sitemap, when a base URL is set
    setup_domain(app)
    setup_directives(app)
    setup_cards(app)  # one card per paper in every list
    setup_card_abstracts(app)  # the papers page's abstracts, from the paper pages
    setup_written_cards(app)  # ... and their cards' HTML, kept for the next write
    setup_citations(app)
    setup_search(app)
    setup_pagefind_index(app)  # Pagefind runs beside the end of the build
    setup_pagefind_ahead(app)  # ... or, after an edit, mostly while Sphinx works
    setup_latex(app)  # the PDF book of abstracts
    setup_print_pages(app)  # web-only and print-only content
    setup_generate(app)  # read papers/, write the pages; keep them for the next build
    setup_paper_page(app)  # paper pages built from the model, not parsed from MyST
    setup_incremental(app)
    setup_author_pages(app)  # author pages from the model, through the theme's page template
    setup_gc_tuning(app)
    setup_template_cache(app)  # the theme's templates compiled once, not every build
    setup_toctree_cache(app)
    install_fewer_chunks()  # large parallel builds: fewer environments sent back
    setup_small_reads(app)  # an edit's few documents: read without a forked process
    setup_assets(app)
    setup_schedule(app)  # the {schedule} directive and its calendar files
    setup_people(app)  # {people} and {speakers}: people as cards
    setup_look(app)  # favicon, banner, one search button, theme fixes
    setup_navigation(app)  # no menu entry for an empty topic index
    setup_math(app)  # formulas as MathML at build time: no script, works offline
    return {
        "version": __version__,
        "env_version": 2,  # 2: paper lists store (topics, presentations, author, keys, abstracts)
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
