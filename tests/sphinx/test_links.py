"""No broken internal links: every href and src of the built site resolves.

A link to another page must name an existing file inside the output folder;
a ``#fragment`` must name an ``id`` (or ``name``) on the target page.  Checked
on a fixture site and on the real workshop site built from the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

LINK_ATTRIBUTES = ("href", "src")


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _anchors(path: Path) -> frozenset[str]:
    soup = _soup(path)
    return frozenset(
        [str(t["id"]) for t in soup.find_all(id=True)]
        + [str(t["name"]) for t in soup.find_all("a", attrs={"name": True})])


def broken_links(outdir: Path) -> list[str]:
    """``page: link (reason)`` for every internal link that does not resolve."""
    outdir = outdir.resolve()
    problems: list[str] = []
    for page in sorted(outdir.rglob("*.html")):
        if "_static" in page.parts:
            continue  # theme templates copied as-is, not pages
        for tag in _soup(page).find_all(True):
            for attribute in LINK_ATTRIBUTES:
                link = tag.get(attribute)
                if isinstance(link, str):
                    reason = _check(page, link, outdir)
                    if reason:
                        problems.append(f"{page.relative_to(outdir)}: {link} ({reason})")
    return problems


def _check(page: Path, link: str, outdir: Path) -> str | None:
    parts = urlsplit(link.strip())
    if parts.scheme or link.startswith("//"):
        return None  # external: not ours to check offline
    target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(outdir):
        return "leaves the site"
    if not target.is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and fragment not in _anchors(target):
        return f"no #{fragment} on the page"
    return None


def test_checker_finds_broken_links(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text('<p id="here">b</p>', encoding="utf-8")
    (tmp_path / "a.html").write_text(
        '<a href="sub/b.html#here">ok</a><a href="#top" id="top">ok</a>'
        '<a href="https://example.org/x">external</a>'
        '<a href="sub/b.html#gone">1</a><a href="missing.html">2</a>'
        '<img src="../outside.png"><a href="#nowhere">3</a>', encoding="utf-8")
    assert [p.split(" (")[1] for p in broken_links(tmp_path)] == [
        "no #gone on the page)", "no such file)", "leaves the site)", "no #nowhere on the page)"]


@pytest.mark.parametrize("root", ["basic", "hostile"])
def test_fixture_site_has_no_broken_links(site, build, root):
    app = build(site(root))
    assert broken_links(Path(app.outdir)) == []


def test_real_site_has_no_broken_links(real_site):
    assert (real_site / "proceedings" / "index.html").is_file()
    assert broken_links(real_site) == []
