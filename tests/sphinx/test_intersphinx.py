"""Another Sphinx project links to the proceedings' papers, topics and authors.

The site's ``objects.inv`` holds a standard label per object (``paper-KEY``,
``topic-SLUG``, ``author-SLUG``), so a project without this extension links
with ``:ref:`` (reStructuredText) or ``inv:`` links (MyST); a project that loads
the extension but has no papers of its own also gets the typed roles.  Each
second project is built strictly (``-W -n``) and every link is checked: it
resolves, points at the object's page and shows its plain-text title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, warnings
from sphinx.util.inventory import InventoryFile

from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.sphinx_ext.domain import label_for

BASE = "https://workshop.example.org/"


@dataclass(frozen=True)
class Target:
    objtype: str
    name: str
    docname: str
    title: str

    @property
    def label(self) -> str:
        return label_for(self.objtype, self.name)


def targets(papers_dir: Path) -> list[Target]:
    """Every paper, topic and author of a site, from the data model."""
    proc = read_proceedings(papers_dir, ReaderSettings())
    found = [Target("paper", p.key, f"proceedings/papers/{p.docname}", p.plain_title)
             for p in proc.papers]
    found += [Target("topic", t.slug, f"proceedings/topics/{t.slug}", t.title) for t in proc.topics]
    found += [Target("author", slug, f"proceedings/authors/{slug}", a.name)
              for slug, a in proc.authors.items()]
    return found


def write_consumer(folder: Path, inventory: Path, items: list[Target], typed: bool) -> None:
    """A small project: one reStructuredText and one MyST page of links to ``items``."""
    folder.mkdir()
    extensions = ["sphinx.ext.intersphinx", "myst_parser"]
    if typed:
        extensions.append("sphinx_proceedings")
    (folder / "conf.py").write_text(
        f"project = 'Reader notes'\nextensions = {extensions!r}\n"
        f"intersphinx_mapping = {{'ws': ({BASE!r}, {str(inventory)!r})}}\n", encoding="utf-8")
    rst = ["Notes", "=====", "", ".. toctree::", "", "   myst", ""]
    md = ["# MyST notes", ""]
    for item in items:
        rst.append(f"* ref {item.label}: :ref:`ws:{item.label}`")
        rst.append(f"* external {item.label}: :external+ws:ref:`{item.label}`")
        md.append(f"- inv {item.label}: [](inv:ws:std:label#{item.label})")
        if typed:
            rst.append(f"* typed {item.label}: :external+ws:proceedings:{item.objtype}:`{item.name}`")
            md.append(f"- typed-md {item.label}: {{external+ws:proceedings:{item.objtype}}}`{item.name}`")
    (folder / "index.rst").write_text("\n".join(rst) + "\n", encoding="utf-8")
    (folder / "myst.md").write_text("\n".join(md) + "\n", encoding="utf-8")


def links(outdir: Path) -> dict[str, tuple[str, str]]:
    """``"<way> <label>"`` -> (href, link text) for every list item of the two pages."""
    found = {}
    for page in ("index", "myst"):
        soup = BeautifulSoup((outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        for item in soup.find_all("li"):
            text = item.get_text(" ", strip=True)
            link = item.find("a", class_="reference")
            if ":" in text and link is not None:
                found[text.split(":")[0]] = (link["href"], link.get_text())
    return found


def check_links(outdir: Path, items: list[Target], ways: tuple[str, ...]) -> None:
    found = links(outdir)
    assert len(found) == len(items) * len(ways)
    for item in items:
        for way in ways:
            href, text = found[f"{way} {item.label}"]
            assert href == f"{BASE}{item.docname}.html", (way, item)
            assert text == item.title, (way, item)


def inventory_labels(path: Path) -> dict[str, tuple[str, str]]:
    with path.open("rb") as stream:
        inventory = InventoryFile.load(stream, BASE, lambda base, uri: base + uri)
    labels = dict(inventory.data["std:label"]) if hasattr(inventory, "data") else inventory["std:label"]
    return {name: (item.uri, item.display_name) for name, item in labels.items()}


def test_labels_in_the_inventory(site, build):
    app = build(site("basic"))
    items = targets(Path(app.srcdir) / "papers")
    labels = inventory_labels(Path(app.outdir) / "objects.inv")
    for item in items:
        assert labels[item.label] == (f"{BASE}{item.docname}.html", item.title)
    math_titles = [i.title for i in items if i.objtype == "paper" and "∇" in i.title]
    assert math_titles == ["Higher-Order Graph Flows with ∇ Operators"]


@pytest.mark.parametrize("typed", [False, True], ids=["plain-sphinx", "with-extension"])
def test_fixture_site_cited_from_another_project(site, build, make_app, tmp_path, typed):
    app = build(site("basic"))
    app.cleanup()  # the site's nodes and roles unregistered before the second project
    items = targets(Path(app.srcdir) / "papers")
    consumer = tmp_path / "consumer"
    write_consumer(consumer, Path(app.outdir) / "objects.inv", items, typed)
    other = make_app("html", srcdir=consumer, confoverrides={"nitpicky": True})
    other.build()
    assert warnings(other) == []
    ways = ("ref", "external", "inv") + (("typed", "typed-md") if typed else ())
    check_links(Path(other.outdir), items, ways)
    # A project with no papers folder gets no pages, citation files or paper search.
    assert not (consumer / "proceedings").exists()
    assert not (Path(other.outdir) / "proceedings").exists()
    assert not list(Path(other.outdir).glob("all-papers.*"))


def test_real_site_cited_from_another_project(real_site, make_app, tmp_path):
    items = targets(REPO / "papers")
    assert {i.objtype for i in items} == {"paper", "topic", "author"}
    consumer = tmp_path / "consumer"
    write_consumer(consumer, real_site / "objects.inv", items, typed=True)
    other = make_app("html", srcdir=consumer, confoverrides={"nitpicky": True})
    other.build()
    assert warnings(other) == []
    check_links(Path(other.outdir), items, ("ref", "external", "inv", "typed", "typed-md"))


def test_a_label_of_the_site_wins_over_a_generated_one(site, build):
    root = site("basic")
    index = root / "index.md"
    index.write_text("(paper-eliasof2024data)=\n" + index.read_text(encoding="utf-8"), encoding="utf-8")
    app = build(root)
    assert warnings(app) == [
        f"{root}/papers/eliasof2024data/paper.bib:1: WARNING: label 'paper-eliasof2024data' "
        "is already defined in index; the generated page keeps its {paper} role but not this "
        "label [proceedings.label]"]
    assert app.env.get_domain("std").labels["paper-eliasof2024data"][0] == "index"
