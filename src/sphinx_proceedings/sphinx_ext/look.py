"""The site's face: favicon, banner, and fixes to pydata-sphinx-theme's frame.

- A favicon drawn from the short name and theme colour (`render.art`) unless
  ``html_favicon`` is set: no more 404 for ``favicon.ico`` on every page.
- The banner (light and dark SVG) written into ``_static`` for the
  ``proceedings-hero`` class of the extension's CSS.
- Sphinx's general index (``genindex.html``) off unless conf.py asks for it:
  the generated author and topic pages are the site's indexes, and an empty
  index page is a dead end.
- One viewport tag (docutils' writer and pydata-sphinx-theme add one each to
  Sphinx's own).
- With pydata-sphinx-theme: no Sphinx search scripts on every page (unless
  ``proceedings_sphinx_search``), the navbar search
  button going to the Pagefind search, and "Home" marked current on the homepage.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from sphinx_proceedings.core.files import write_atomic
from sphinx_proceedings.render.art import banner_svg, favicon_svg
from sphinx_proceedings.sphinx_ext._workarounds import drop_search_index, user_set
from sphinx_proceedings.sphinx_ext.config import proceedings_config, publishes_papers
from sphinx_proceedings.sphinx_ext.latex import short_name

PYDATA_TEMPLATES = Path(__file__).parent / "templates" / "pydata"
FAVICON = "proceedings-favicon.svg"
BANNERS = {"light": "proceedings-banner-light.svg", "dark": "proceedings-banner-dark.svg"}


def colours(config: Config, mode: str) -> tuple[str, str]:
    """The two colours of ``mode`` (``proceedings_colors``, the theme's filling in)."""
    return proceedings_config(config).colors[mode]


def uses_pydata(config: Config) -> bool:
    return config.html_theme == "pydata_sphinx_theme"


def one_search(app: Sphinx) -> bool:
    """Whether the navbar search is the Pagefind search (else the theme's stays)."""
    return proceedings_config(app.config).search and publishes_papers(app)


def configure_look(app: Sphinx, config: Config) -> None:
    """``config-inited``: the favicon, no empty general index, the theme's templates."""
    if not user_set(config, "html_use_index"):
        config.html_use_index = False
    if not config.html_favicon:
        folder = Path(app.doctreedir)
        folder.mkdir(parents=True, exist_ok=True)
        icon = folder / FAVICON
        _write_if_changed(icon, favicon_svg(short_name(config), colours(config, "light")[0]))
        config.html_favicon = str(icon)
    if uses_pydata(config):
        # Before the theme's components folder (which the theme appends to
        # templates_path), so our search button wins; after the site's own.
        paths = list(config.templates_path)
        theirs = next((i for i, p in enumerate(paths)
                       if Path(p).name == "components" and "pydata_sphinx_theme" in str(p)), len(paths))
        paths.insert(theirs, str(PYDATA_TEMPLATES))
        config.templates_path = paths


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_atomic(path, text.encode("utf-8"))


def drop_sphinx_search(app: Sphinx) -> None:
    """``builder-inited``: no Sphinx search page or index unless the site asks for them."""
    if (app.builder.format == "html" and one_search(app)
            and not proceedings_config(app.config).sphinx_search):
        drop_search_index(app.builder)


def write_banners(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the banner in both modes, into ``_static``."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for mode, name in BANNERS.items():
        first, second = colours(app.config, mode)
        _write_if_changed(static / name,
                          banner_svg(proceedings_config(app.config).banner_seed, first, second))


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')
_HOME_LINK = re.compile(r'<li class="nav-item ">(\s*<a class="nav-link nav-internal" href="#")')


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: object) -> None:
    """``html-page-context``: what our pydata templates need, and "Home" marked current."""
    if app.builder.format != "html":
        return
    # docutils' HTML writer adds a viewport tag of its own after Sphinx's.
    if "metatags" in context:
        context["metatags"] = _VIEWPORT.sub("", context["metatags"])
    context["proceedings_one_search"] = one_search(app)
    settings = proceedings_config(app.config)
    context["proceedings_sphinx_search"] = settings.sphinx_search
    context["proceedings_search_page"] = f"{settings.prefix}/search"
    generate = context.get("generate_header_nav_html")
    if pagename == app.config.root_doc and callable(generate):
        def marked(*args: Any, **kwargs: Any) -> str:
            return _HOME_LINK.sub(r'<li class="nav-item current active">\1',
                                  generate(*args, **kwargs), count=1)

        context["generate_header_nav_html"] = marked


def setup_look(app: Sphinx) -> None:
    """The favicon, banner and theme fixes (see the module's docstring)."""
    app.add_css_file("proceedings-look.css")
    app.connect("config-inited", configure_look)
    app.connect("builder-inited", drop_sphinx_search)
    app.connect("html-page-context", page_context, priority=900)  # after the theme's
    app.connect("build-finished", write_banners)
