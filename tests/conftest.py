"""Shared fixtures: build fixture sites from tests/roots/ in a private copy.

The extension writes generated pages into the source directory, so every
test copies its root to ``tmp_path`` (sphinx.testing shares roots otherwise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """In CI every tool is installed (.ci/run), so a test that skips there fails.

    Locally, tests that need Chromium, TeX or Java skip and say what to install.
    """
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where .ci/run installs everything: {report.longrepr}"

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).resolve().parents[1]


def copy_repository(target: Path) -> None:
    """The real site's inputs, without generated pages, builds or the environment."""
    skipped = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache",
               ".hypothesis", "tests", "benchmarks", ".helpers", "src"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        generated = {"proceedings"} if Path(folder) == REPO / "source" else set()
        return {n for n in names if n in skipped or n in generated or n.endswith(".egg-info")}

    shutil.copytree(REPO, target, ignore=ignore, symlinks=True)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real workshop site, built once per session as the README says, strictly.

    Returns the HTML output folder; tests must not change it.
    """
    checkout = tmp_path_factory.mktemp("real-site") / "repo"
    copy_repository(checkout)
    out = checkout.parent / "html"
    sphinx_build = Path(sys.executable).parent / "sphinx-build"
    result = subprocess.run(
        [str(sphinx_build), "-b", "html", "-n", "-W", "--keep-going", "-c", ".", "source",
         str(out), "-d", str(checkout.parent / "doctrees")],
        cwd=checkout, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


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
