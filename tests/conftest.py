"""Shared fixtures: build fixture sites from tests/roots/ in a private copy.

The extension writes generated pages into the source directory, so every
test copies its root to ``tmp_path`` (sphinx.testing shares roots otherwise).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture
def site(tmp_path: Path) -> Callable[[str], Path]:
    """Copy ``tests/roots/test-NAME`` to a fresh folder and return its path."""

    def copy(name: str, folder: str | None = None) -> Path:
        target = tmp_path / (folder or name)
        shutil.copytree(ROOTS / f"test-{name}", target)
        return target

    return copy


@pytest.fixture
def build(make_app) -> Callable[..., SphinxTestApp]:
    """Build a site folder; returns the finished app (warnings in app.warning)."""

    def run(srcdir: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
        app = make_app(buildername, srcdir=srcdir, **kwargs)
        app.build()
        return app

    return run


def html(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    path = Path(app.outdir) / f"{docname}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def warnings(app: SphinxTestApp) -> list[str]:
    text = strip_escape_sequences(app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
