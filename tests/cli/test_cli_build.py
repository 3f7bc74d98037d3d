"""``proceedings new`` + ``import`` + ``build``: a scaffolded site builds with no warning.

These tests run Sphinx with the extension; they are skipped while the core
extension (``sphinx_proceedings.setup``) is not available.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from sphinx_proceedings.cli import app as cli
from sphinx_proceedings.cli import build as cli_build

DATA = Path(__file__).parents[1] / "data" / "openreview"

def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    result = run("new", root, "--title", "Machine Learning for Waves", "--short-name",
                 "ML4Waves", "--year", "2024")
    assert result.exit_code == 0, result.output
    return root


def test_new_site_builds_without_warnings(site: Path) -> None:
    result = run("-C", site, "build", "-j", "1", "--strict")
    assert result.exit_code == 0, result.output
    assert "(0 warning(s))" in result.output
    out = site / "_build" / "html"
    # Sphinx's and the extension's state stay out of what gets published.
    assert {p.relative_to(out).as_posix() for p in out.rglob(".*")} == {".buildinfo"}
    assert (site / "_build" / "doctrees" / "environment.pickle").is_file()
    home = html(out / "index.html")
    assert home.find("h1").get_text(strip=True).startswith("Machine Learning for Waves")
    # The generated banner, light and dark, behind the introduction.
    assert home.select_one(".proceedings-hero") is not None
    assert all((out / "_static" / f"proceedings-banner-{m}.svg").is_file() for m in ("light", "dark"))
    hrefs = {a.get("href") for a in home.find_all("a")}
    assert "proceedings/index.html" in hrefs and "call-for-papers.html" in hrefs
    page = html(out / "proceedings" / "papers" / "castellano2024learning.html")
    assert "Learning Heat Flow on Irregular Meshes" in page.find("h1").get_text()
    cards = html(out / "proceedings" / "index.html")
    assert cards.find("a", href="papers/castellano2024learning.html") is not None
    # Speakers and organizers as cards, from schedule.yml and people.yml.
    for name in ("speakers", "organizers"):
        people = html(out / f"{name}.html").select(".proceedings-person")
        assert [p.find("strong").get_text() for p in people] == ["Ada Example"], name
    # The scaffolded schedule: a table, calendar files, the example paper's talk and poster.
    schedule = html(out / "schedule.html")
    times = [td.get_text(" ", strip=True)
             for td in schedule.select("table.proceedings-schedule td:first-child")]
    assert times[0] == "09:00 – 09:15" and len(times) == 5
    assert (out / "calendar" / "schedule.ics").is_file()
    slots = page.select_one(".proceedings-slots").get_text(" ", strip=True)
    assert slots.startswith("Talk: 10:00–10:15, Monday 1 July (UTC)") and "board 1" in slots


def test_imported_site_builds_without_warnings(site: Path) -> None:
    """An import (with a note that has no abstract) still builds; -j 2 works."""
    assert run("-C", site, "import", "openreview", DATA / "notes_v2.json").exit_code == 0
    result = run("-C", site, "build", "-j", "2")
    assert result.exit_code == 0, result.output
    page = html(site / "_build" / "html" / "proceedings" / "papers" / "marchetti2024spectral.html")
    assert "Spectral Surrogates" in page.find("h1").get_text()
    # The schedule page, read in a worker process, still gets its calendar files.
    assert (site / "_build" / "html" / "calendar" / "schedule.ics").is_file()


def test_build_outside_a_site_is_exit_2(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "build")
    assert result.exit_code == 2
    assert "no conf.py" in result.output


def test_pdf_without_tex_is_a_clear_failure(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_build.shutil, "which", lambda name: None)
    result = run("-C", site, "build", "pdf")
    assert result.exit_code == 1
    assert "no TeX installation found" in result.output


def test_bad_jobs_value_is_exit_2(site: Path) -> None:
    result = run("-C", site, "build", "-j", "many")
    assert result.exit_code == 2
    assert "-j must be" in result.output
