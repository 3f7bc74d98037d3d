"""Sphinx configuration of the AI4DifferentialEquations in Science site (ICLR 2024).

Build with ``sphinx-build -b html -c . -d _build/doctrees source _build/html``: this file lives at
the repository root, the hand-written pages in ``source/``, the accepted papers
in ``papers/``.  The ``sphinx_proceedings`` extension turns ``papers/`` into
paper, topic and author pages under ``source/proceedings/`` (generated, git-ignored).
"""

from __future__ import annotations

# -- The workshop -------------------------------------------------------------
project = "AI4DifferentialEquations in Science"
short_name = "AI4DiffEqtnsInSci"
author = "The AI4DifferentialEquations in Science organizers"
copyright = "2024, the AI4DifferentialEquations in Science organizers"
release = "2024"

html_title = "AI4DifferentialEquations in Science · ICLR 2024"
html_short_title = short_name
html_baseurl = "https://ai4diffeqtnsinsci.github.io/"

# -- Extensions ---------------------------------------------------------------
# sphinx_proceedings also loads myst_parser, sphinx_design and sphinx_copybutton.
extensions = ["sphinx_proceedings"]

myst_enable_extensions = [
    "colon_fence",  # ::: fences for sphinx-design grids and cards
    "deflist",  # definition lists on the call for papers
    "attrs_inline",  # {.class} on links and spans
    "attrs_block",
    "fieldlist",
    "smartquotes",
]
myst_heading_anchors = 3

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**/.ipynb_checkpoints"]

# -- Proceedings --------------------------------------------------------------
proceedings_papers_dir = "papers"  # relative to this file
proceedings_output_dir = "proceedings"  # generated, inside source/
proceedings_year = "2024"
proceedings_booktitle = "ICLR 2024 Workshop on AI4DifferentialEquations in Science"
proceedings_submissions = 102
# All 87 accepted papers: the four spotlights have pages here, the posters are on OpenReview.
proceedings_accepted = {"spotlight": 4, "poster": 83}
proceedings_accepted_url = "https://openreview.net/group?id=ICLR.cc/2024/Workshop/AI4DiffEqtnsInSci"
proceedings_forum_url = "https://openreview.net/forum?id={id}"
proceedings_pdf_url = "https://openreview.net/pdf?id={id}"
proceedings_conference = "ICLR 2024"
proceedings_date = "Saturday, 11 May 2024"
proceedings_place = "Vienna, Austria (hybrid)"
# The PDF book's editors (title page, PDF author), as on the organizers page.
proceedings_organizers = [
    "Shima Alizadeh", "Neil Ashton", "Vitus Benson", "Boran Han", "George Karypis",
    "Aditi Krishnapriyan", "Danielle Maddix Robinson", "Michael W. Mahoney",
    "Markus Reichstein", "Yuyang (Bernie) Wang", "Andrew Gordon Wilson",
    "Mahkameh (Maggie) Zarekarizi",
]
# schema.org Event data for the homepage (read by search engines).
proceedings_event = {
    "name": "AI4DifferentialEquations in Science (ICLR 2024 workshop)",
    "start_date": "2024-05-11",
    "location": "Vienna, Austria",
    "attendance": "mixed",
    "url": "https://ai4diffeqtnsinsci.github.io/",
}

# The abstracts are the authors' own text and live on OpenReview, not in this
# repository: each paper page links there, so the missing abstracts are expected.
suppress_warnings = ["proceedings.no-abstract"]

# -- HTML: pydata-sphinx-theme as a workshop site ------------------------------
html_theme = "pydata_sphinx_theme"
html_static_path = ["source/_static"]  # relative to this file
html_css_files = ["workshop.css"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None

# The pages of this site are short and self-contained: no left sidebar anywhere.
# The navbar (and the phone menu) carries the navigation.
html_sidebars = {"*": []}

html_context = {"default_mode": "auto"}  # follow the reader's light/dark setting

html_theme_options = {
    "logo": {"text": short_name, "alt_text": "AI4DifferentialEquations in Science – home"},
    "navbar_start": ["navbar-logo"],
    "navbar_center": ["navbar-nav"],
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "navbar_persistent": ["search-button"],
    "header_links_before_dropdown": 7,
    "icon_links": [
        {
            "name": "OpenReview",
            "url": "https://openreview.net/group?id=ICLR.cc/2024/Workshop/AI4DiffEqtnsInSci",
            "icon": "fa-solid fa-file-lines",
        },
        {
            "name": "Email the organizers",
            "url": "mailto:ai4diffeqtnsinsci@gmail.com",
            "icon": "fa-solid fa-envelope",
        },
    ],
    "secondary_sidebar_items": {
        "**": ["page-toc"],
        "index": [],
        "schedule": [],
        "speakers": [],
    },
    "show_prev_next": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["workshop-footer"],
    "footer_center": [],
    "footer_end": ["workshop-credits"],
    # The theme's accessible code colours: "default" and "monokai" fall below AA contrast.
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
}
