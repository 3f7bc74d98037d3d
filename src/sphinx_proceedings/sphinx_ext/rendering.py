"""TeX and HTML the extension writes, from the Jinja templates in ``templates/``.

One way to escape for each output, applied by the environment to every
``<< value >>`` / ``{{ value }}`` so a template cannot forget it: TeX goes
through Sphinx's own escaper (`tex_text`, the one the LaTeX writer uses for
the rest of the book), HTML through `html.escape`.  TeX templates use
``<< >>`` and ``<% %>`` as delimiters, since TeX is full of braces.
(BibTeX values are pylatexenc's business: importers/bibwriter.py.)
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

import jinja2
from sphinx.util.texescape import escape

PACKAGE = "sphinx_proceedings.sphinx_ext"


def tex_text(text: object) -> str:
    """Text for LaTeX: whitespace collapsed, special characters escaped."""
    return escape(" ".join(str(text).split()), "xelatex")


@cache
def _tex_environment() -> jinja2.Environment:
    return jinja2.Environment(  # noqa: S701 - TeX, escaped by finalize
        loader=jinja2.PackageLoader(PACKAGE, "templates/latex"),
        block_start_string="<%", block_end_string="%>",
        variable_start_string="<<", variable_end_string=">>",
        comment_start_string="<#", comment_end_string="#>",
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=tex_text,
    )


def render_tex(name: str, **context: Any) -> str:
    """The TeX template ``templates/latex/<name>`` filled in (values TeX-escaped)."""
    return _tex_environment().get_template(name).render(**context)


@cache
def _html_environment() -> jinja2.Environment:
    return jinja2.Environment(  # noqa: S701 - escaped by finalize, as html.escape did before
        loader=jinja2.PackageLoader(PACKAGE, "templates/html"),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=lambda value: html.escape(str(value)),
    )


def render_html(name: str, **context: Any) -> str:
    """The HTML template ``templates/html/<name>`` filled in (values HTML-escaped)."""
    return _html_environment().get_template(name).render(**context)
