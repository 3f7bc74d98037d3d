"""Paper pages are built from the model by the ``.paper`` parser (sphinx_ext/paper_page.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import edit, html, warnings
from docutils import nodes
from sphinx import addnodes
from sphinx_design.badges_buttons import sd_badge

DOC = "proceedings/papers/berg2024discovery"


def test_the_source_is_a_stub_naming_the_paper(site, build):
    root = site("basic")
    build(root)
    papers = root / "proceedings/papers"
    assert sorted(p.name for p in papers.iterdir()) == [
        "berg2024discovery.paper", "eliasof2024data.paper", "nowak2024graph.paper"]
    lines = (papers / "berg2024discovery.paper").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "paper: berg2024discovery" and lines[2].startswith("digest: ")
    assert len(lines) == 3


def test_the_doctree_is_the_page_from_the_model(site, build):
    app = build(site("basic"))
    doctree = app.env.get_doctree(DOC)
    page = doctree.next_node(nodes.section)
    assert page.next_node(nodes.title).astext() == "Discovering PDEs – Quickly"
    assert page["ids"] == ["discovering-pdes-quickly"]
    assert [s.next_node(nodes.title).astext() for s in page.findall(nodes.section)][1:] == [
        "Abstract", "Cite"]
    refs = [(x["reftype"], x["reftarget"]) for x in doctree.findall(addnodes.pending_xref)]
    assert refs == [("author", "jan-van-der-berg"), ("author", "imaginary-research-collective"),
                    ("topic", "discovery"), ("paper", "eliasof2024data"),
                    ("paper", "nowak2024graph")]
    assert [b.astext() for b in doctree.findall(sd_badge)] == ["Oral"]
    code = doctree.next_node(nodes.literal_block)
    assert code["language"] == "bibtex" and code.astext().startswith("@inproceedings{berg2024")
    # The abstract alone was parsed, by MyST, and names its own file and line.
    abstract = next(n for n in doctree.findall(nodes.container)
                    if "proceedings-abstract" in n["classes"])
    math = abstract.next_node(nodes.math)
    assert math.astext() == "u_t = u_{xx}"
    assert math.source == str(Path(app.srcdir) / "papers/volume.bib") and math.line > 1
    domain = app.env.get_domain("proceedings")
    assert domain.objects[("paper", "berg2024discovery")][0] == DOC
    assert app.env.titles[DOC].astext() == "Discovering PDEs – Quickly"


def test_references_are_resolved_and_the_page_reads_as_before(site, build):
    app = build(site("basic"))
    page = html(app, DOC)
    authors = page.select(".proceedings-authors a")
    assert [a.get_text() for a in authors] == ["Jan van der Berg", "Imaginary Research Collective"]
    assert authors[0]["href"] == "../authors/jan-van-der-berg.html"
    assert page.select_one(".proceedings-next a")["href"] == "nowak2024graph.html"
    assert page.select_one("h1").get_text().strip("#¶ ") == "Discovering PDEs – Quickly"
    assert page.select_one("title").get_text().startswith("Discovering PDEs – Quickly")
    assert warnings(app) == []


def test_a_markdown_abstracts_problems_name_its_file_and_line(site, build):
    root = site("basic")
    (root / "papers/nowak2024graph/abstract.md").write_text(
        "First line.\n\nKernels with $\\madeupoperator k$ hops.\n", encoding="utf-8")
    app = build(root)
    found = [w for w in warnings(app) if "[proceedings.math]" in w]
    assert len(found) == 1
    assert found[0].startswith(f"{root}/papers/nowak2024graph/abstract.md:3: WARNING"), found



def test_an_abstract_edit_changes_its_stub_only_and_shows_the_new_text(site, build, make_app):
    """Which documents are read again: test_incremental.py."""
    root = site("basic")
    build(root)
    stubs = {p.name: p.read_bytes() for p in (root / "proceedings/papers").iterdir()}
    edit(root / "papers/nowak2024graph/abstract.md", "never was", "never existed")
    app = make_app("html", srcdir=root)
    app.build()
    changed = [p.name for p in (root / "proceedings/papers").iterdir()
               if p.read_bytes() != stubs[p.name]]
    assert changed == ["nowak2024graph.paper"]
    assert "never existed" in html(app, "proceedings/papers/nowak2024graph").get_text()


def test_a_title_edit_rereads_the_pages_that_show_it(site, build, make_app):
    root = site("basic")
    build(root)
    edit(root / "papers/nowak2024graph/paper.bib", "Pretend Turbulence", "Make-Believe Flow")
    app = make_app("html", srcdir=root)
    app.build()
    assert "Make-Believe Flow" in html(app, "proceedings/papers/nowak2024graph").select_one(
        "h1").get_text()
    # The neighbour's "Next:" link shows the new title (a reference resolved at write time).
    assert "Make-Believe Flow" in html(app, DOC).select_one(".proceedings-next").get_text()


def test_a_sites_paper_template_still_makes_the_page(site, build):
    root = site("basic")
    folder = root / "_templates/proceedings"
    folder.mkdir(parents=True)
    (folder / "paper.md.jinja").write_text(
        "{{ marker }}\n\n# {{ paper.title_tree | md_inline }}\n\n"
        "```{proceedings:paper} {{ paper.key }}\n```\n\nOur own page.\n", encoding="utf-8")
    app = build(root, confoverrides={"templates_path": ["_templates"]})
    assert (root / "proceedings/papers/berg2024discovery.md").is_file()
    assert not (root / "proceedings/papers/berg2024discovery.paper").exists()
    assert "Our own page." in html(app, DOC).get_text()
    assert warnings(app) == []


def test_no_source_link_to_a_stub(site, build):
    app = build(site("basic"), confoverrides={"html_copy_source": True,
                                              "html_show_sourcelink": True})
    sources = Path(app.outdir) / "_sources"
    assert (sources / "index.md.txt").is_file()
    assert not list(sources.rglob("*.paper*"))
    assert ".paper" not in (Path(app.outdir) / f"{DOC}.html").read_text(encoding="utf-8")
