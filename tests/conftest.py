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


MISSING_TEX = [tool for tool in ("xelatex", "latexmk", "make") if shutil.which(tool) is None]


def build_pdf_book(site: Path) -> dict:
    """``sphinx-build -M latexpdf`` on a site folder, as a user runs it; the book read by pypdf.

    Returns the run's result, the LaTeX folder, the PDFs, the reader and each
    page's text (pypdf's extraction).
    """
    import logging

    import pypdf

    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", str(site), str(site / "_build"),
         "-c", str(site)],
        capture_output=True, text=True, timeout=900, cwd=site,
        env={**os.environ, "LATEXOPTS": "-interaction=nonstopmode -halt-on-error"},
    )
    latex = site / "_build" / "latex"
    pdfs = sorted(latex.glob("*.pdf"))
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # fontTools notices on CM math fonts
    reader = pypdf.PdfReader(pdfs[0]) if pdfs else None
    pages = [page.extract_text() or "" for page in reader.pages] if reader else []
    return {"result": result, "latex": latex, "pdfs": pdfs, "reader": reader, "pages": pages}


@pytest.fixture(scope="session")
def pdf_book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The book of tests/roots/test-pdf, built once per session (tests must not change it)."""
    if MISSING_TEX:
        pytest.skip(f"no TeX: {', '.join(MISSING_TEX)} not installed")
    site = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(ROOTS / "test-pdf", site)
    Path("/tmp/proceedings-pwned").unlink(missing_ok=True)
    return build_pdf_book(site)


@pytest.fixture(scope="session")
def real_book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The real site's book (its sources under source/, conf.py at the root), built once."""
    if MISSING_TEX:
        pytest.skip(f"no TeX: {', '.join(MISSING_TEX)} not installed")
    checkout = tmp_path_factory.mktemp("real-book") / "repo"
    copy_repository(checkout)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-M", "latexpdf", "source", "_build", "-c", "."],
        capture_output=True, text=True, timeout=900, cwd=checkout,
        env={**os.environ, "LATEXOPTS": "-interaction=nonstopmode -halt-on-error"},
    )
    import pypdf

    pdfs = sorted((checkout / "_build" / "latex").glob("*.pdf"))
    reader = pypdf.PdfReader(pdfs[0]) if pdfs else None
    return {"result": result, "checkout": checkout, "pdfs": pdfs, "reader": reader,
            "pages": [page.extract_text() or "" for page in reader.pages] if reader else []}


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


def settled(tab) -> None:
    """Wait until no CSS transition or animation runs (a Playwright page).

    The colour-scheme switch animates colours; axe measuring contrast in the
    middle of it reports colours no reader is left with (seen under load).
    """
    tab.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect?.getTiming().iterations === Infinity)", timeout=10_000)


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in an input file, and touch it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright, one per test module."""
    executable = Path("/usr/bin/chromium")
    if not executable.exists():
        pytest.skip(f"{executable} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=["--no-sandbox"])
        yield browser
        browser.close()
