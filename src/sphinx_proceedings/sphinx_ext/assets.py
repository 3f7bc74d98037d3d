"""The extension's own CSS and JavaScript (``static/``), on every HTML page."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).parent / "static"


def _static_path(app: Sphinx, config: Config) -> None:
    """``config-inited``: our static folder after the site's own."""
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup_assets(app: Sphinx) -> None:
    app.connect("config-inited", _static_path)
    app.add_js_file("proceedings-filter.js", loading_method="defer")  # directives.paper_filter
    app.add_css_file("proceedings-readers.css")  # Cite blocks, search link, filter form
    app.add_css_file("proceedings.css")
