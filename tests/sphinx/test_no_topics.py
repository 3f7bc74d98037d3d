"""A site without curated topics (a PMLR-style volume, orals and posters) still reads well."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOTS, html, warnings

from sphinx_proceedings.cli.scaffold import create_site


def navbar(page) -> list[str]:
    return sorted({a.get_text(strip=True) for a in page.select(".bd-header a.nav-link.nav-internal")})


def test_no_topics_menu_and_the_listing_grouped_by_presentation(site, build):
    app = build(site("notopics"))
    assert warnings(app) == []
    assert navbar(html(app, "index")) == ["Papers"]
    listing = html(app, "proceedings/index")
    headings = [h.get_text(strip=True).rstrip("#") for h in listing.select("article h2")]
    assert headings == ["Orals (1)", "Posters (2)"]
    form = listing.select_one("form.proceedings-filter")
    assert not form.select("select[name=topic]") and form.select("input[name=author]")
    assert "topic" not in listing.select_one(".proceedings-search-link").get_text()
    assert "Browse by author" in listing.get_text(" ", strip=True)
    assert not [a for a in listing.select(".proceedings-card a") if "/topics/" in a["href"]]
    # The topic index exists for links, outside every menu, and says why it is empty.
    topics = html(app, "proceedings/topics/index")
    assert "by presentation type, not by topic" in topics.get_text(" ", strip=True)


def said(app) -> list[str]:
    """The build's warnings, without Sphinx's own about a second app in one process."""
    return [w for w in warnings(app) if "already registered" not in w]


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path)


def test_the_menu_follows_when_topics_come_and_go(site, build, make_app):
    root = site("notopics")
    build(root)
    topics = root / "papers" / "topics.yml"
    _edit(topics, "topics:\n  - {slug: planning, title: Planning}\n")
    volume = root / "papers" / "volume.bib"
    _edit(volume, volume.read_text(encoding="utf-8").replace(
        "presentation = {oral}", "presentation = {oral},\n  topics = {planning}"))
    app = make_app("html", srcdir=root)
    app.build()
    assert said(app) == []
    assert navbar(html(app, "index")) == ["Papers", "Topics"]
    topics.unlink()
    _edit(volume, volume.read_text(encoding="utf-8").replace(",\n  topics = {planning}", ""))
    app = make_app("html", srcdir=root)
    app.build()
    assert said(app) == []
    assert navbar(html(app, "index")) == ["Papers"]


def test_a_new_site_with_a_volume_and_no_topics_builds_strictly(tmp_path: Path):
    """``proceedings new``, the example paper and topics.yml removed, a volume file added."""
    root = tmp_path / "volume"
    create_site(root, "Conference on Imaginary Robots", "CoIR")
    papers = root / "papers"
    for folder in (p for p in papers.iterdir() if p.is_dir()):
        shutil.rmtree(folder)
    (papers / "topics.yml").unlink()
    schedule = papers / "schedule.yml"
    schedule.write_text("".join(line for line in schedule.read_text(encoding="utf-8").splitlines(
        keepends=True) if "contributed-talk" not in line), encoding="utf-8")
    cfp = root / "source" / "call-for-papers.md"
    cfp.write_text("".join(line for line in cfp.read_text(encoding="utf-8").splitlines(
        keepends=True) if "{topic}" not in line), encoding="utf-8")
    shutil.copy(ROOTS / "test-notopics" / "papers" / "volume.bib", papers / "corl.bib")
    check = subprocess.run([sys.executable, "-m", "sphinx_proceedings.cli.app", "-C", str(root),
                            "check", "--strict"], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no-topic" not in check.stdout
    out = root / "_build" / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going",
                             "-n", "-c", str(root), str(root / "source"), str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    from bs4 import BeautifulSoup

    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Topics" not in navbar(home) and "Papers" in navbar(home)
    assert home.select_one(".proceedings-hero") is not None, "the banner"
    assert not home.select('article a[href^="proceedings/topics/"]'), "no link to empty topics"
    for people in ("speakers", "organizers"):
        assert BeautifulSoup((out / f"{people}.html").read_text(encoding="utf-8"),
                             "html.parser").select(".proceedings-person"), people
    listing = BeautifulSoup((out / "proceedings/index.html").read_text(encoding="utf-8"),
                            "html.parser")
    assert [h.get_text(strip=True).rstrip("#") for h in listing.select("article h2")] == [
        "Orals (1)", "Posters (2)"]
