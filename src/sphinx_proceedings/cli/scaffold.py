"""A new workshop site from the files under ``scaffold/``.

Files ending in ``.jinja`` are rendered with the site's title, short name and
year; a leading ``dot-`` becomes ``.`` (hidden files would be left out of the
package); ``papers/example-paper`` is renamed to the example paper's key.
The GitHub workflow comes from `cli.workflow`, shared with this repository's own.
The site is written whole (`files.create_tree`), so an interrupted
``proceedings new`` leaves nothing half-made.
"""

from __future__ import annotations

import datetime
import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

import jinja2

from sphinx_proceedings.cli.workflow import SITE_WORKFLOW, render_workflow
from sphinx_proceedings.core.files import create_tree
from sphinx_proceedings.core.names import base_key
from sphinx_proceedings.importers.bibwriter import latex_escape

EXAMPLE_FOLDER = "example-paper"
EXAMPLE_AUTHOR = "Mira Castellano"
EXAMPLE_TITLE = "Learning Heat Flow on Irregular Meshes with Small Neural Operators"


class SiteExists(Exception):
    """The target folder exists and is not empty."""


def _walk(node: Traversable, prefix: PurePosixPath) -> list[tuple[PurePosixPath, Traversable]]:
    out = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        path = prefix / child.name
        if child.is_dir():
            out.extend(_walk(child, path))
        else:
            out.append((path, child))
    return out


def _target_name(path: PurePosixPath, key: str) -> PurePosixPath:
    parts = []
    for part in path.parts:
        if part.startswith("dot-"):
            part = "." + part[4:]
        if part == EXAMPLE_FOLDER:
            part = key
        parts.append(part.removesuffix(".jinja"))
    return PurePosixPath(*parts)


def render_site(title: str, short_name: str | None = None,
                year: str | None = None) -> dict[PurePosixPath, bytes]:
    """Every file of a new site, by relative path."""
    year = year or str(datetime.date.today().year)
    short_name = short_name or title
    key = base_key(EXAMPLE_AUTHOR, year, EXAMPLE_TITLE)
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=False),
    )
    env.filters["py"] = repr
    env.filters["yaml"] = lambda text: json.dumps(text, ensure_ascii=False)  # JSON strings are YAML
    env.filters["bibtex"] = latex_escape
    context = {"title": title, "short_name": short_name, "year": year, "key": key}
    result: dict[PurePosixPath, bytes] = {}
    for path, node in _walk(files("sphinx_proceedings.cli") / "scaffold", PurePosixPath()):
        data = node.read_bytes()
        if path.name.endswith(".jinja"):
            data = env.from_string(data.decode("utf-8")).render(context).encode("utf-8")
        result[_target_name(path, key)] = data
    result[PurePosixPath(SITE_WORKFLOW)] = render_workflow().encode("utf-8")
    return result


def create_site(target: Path, title: str, short_name: str | None = None,
                year: str | None = None) -> list[PurePosixPath]:
    """Write a new site to ``target`` (absent or empty); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteExists(f"{target} exists and is not empty; choose a new folder")
    site = render_site(title, short_name, year)
    create_tree(target, site)
    return sorted(site)
