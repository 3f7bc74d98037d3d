"""Citation files: written into the HTML output, re-read by the tools readers use."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pybtex.database
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from conftest import html, warnings

from sphinx_proceedings.core.model import Paper, Person, Source
from sphinx_proceedings.sphinx_ext.citations import csl_item, ris_record

PAGE = "https://example.org/workshop/proceedings/papers/{}.html"


def _out(app) -> Path:
    return Path(app.outdir)


def test_cite_block_links_every_file(site, build):
    app = build(site("basic"))
    assert warnings(app) == []
    page = html(app, "proceedings/papers/eliasof2024data")
    links = {a.get_text(): a["href"] for a in page.select("#cite a.proceedings-citation-file")}
    assert links == {"BibTeX": "eliasof2024data.bib", "RIS": "eliasof2024data.ris",
                     "CSL-JSON": "eliasof2024data.csl.json"}
    for href in links.values():
        assert (_out(app) / "proceedings/papers" / href).is_file()
    listing = html(app, "proceedings/index")
    volume = {a.get_text(): a["href"] for a in listing.select("a.proceedings-citation-file")}
    assert volume["BibTeX"] == "all-papers.bib"
    assert volume["CSL-JSON"] == "all-papers.csl.json"
    for href in volume.values():
        assert (_out(app) / "proceedings" / href).is_file()


def test_bibtex_reread_by_bibtexparser_and_pybtex(site, build):
    app = build(site("basic"))
    text = (_out(app) / "proceedings/papers/nowak2024graph.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "nowak2024graph"
    assert entry["title"] == "Graph Kernels for Pretend Turbulence"
    assert entry["url"] == PAGE.format("nowak2024graph")
    assert "topics" not in entry.fields_dict

    volume = pybtex.database.parse_file(str(_out(app) / "proceedings/all-papers.bib"))
    assert sorted(volume.entries) == ["berg2024discovery", "eliasof2024data", "nowak2024graph"]
    people = [str(p) for p in volume.entries["nowak2024graph"].persons["author"]]
    assert people == ["Nowak, Łukasz", "Schönlieb, Carola-Bibiane", "Çetin, Ayşe"]
    berg = volume.entries["eliasof2024data"].persons["author"][2]
    assert berg.prelast_names == ["van", "der"] and berg.last_names == ["Berg"]


def test_ris_reread_by_rispy(site, build):
    app = build(site("basic"))
    with (_out(app) / "proceedings/papers/nowak2024graph.ris").open(encoding="utf-8") as handle:
        (record,) = rispy.load(handle)
    assert record["type_of_reference"] == "CPAPER"
    assert record["title"] == "Graph Kernels for Pretend Turbulence"
    assert record["authors"] == ["Nowak, Łukasz", "Schönlieb, Carola-Bibiane", "Çetin, Ayşe"]
    assert record["year"] == "2024"
    assert record["secondary_title"] == "Test Workshop on Imaginary Equations"
    assert record["urls"][0] == PAGE.format("nowak2024graph")
    # The local paper.pdf is published as a Sphinx download.
    pdf = record["file_attachments1"]
    assert pdf.startswith("https://example.org/workshop/_downloads/") and pdf.endswith("paper.pdf")
    assert (_out(app) / pdf.removeprefix("https://example.org/workshop/")).is_file()
    with (_out(app) / "proceedings/all-papers.ris").open(encoding="utf-8") as handle:
        assert [r["id"] for r in rispy.load(handle)] == [
            "eliasof2024data", "berg2024discovery", "nowak2024graph"]


def _render(items: list[dict]) -> list[str]:
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_csl_json_rendered_by_citeproc(site, build):
    app = build(site("basic"))
    items = json.loads((_out(app) / "proceedings/all-papers.csl.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == ["eliasof2024data", "berg2024discovery", "nowak2024graph"]
    (single,) = json.loads(
        (_out(app) / "proceedings/papers/eliasof2024data.csl.json").read_text(encoding="utf-8"))
    assert single == items[0]
    assert single["title"] == "Higher-Order Graph Flows with ∇ Operators"
    rendered = " ".join(_render(items))
    for text in ("Nowak, Ł.", "Schönlieb, C.-B.", "Çetin, A.", "Graph Kernels for Pretend Turbulence",
                 "van der Berg, J.", "Imaginary Research Collective", "Discovering PDEs – Quickly",
                 "2024", "Test Workshop on Imaginary Equations"):
        assert text in rendered, text


def test_second_build_rewrites_no_citation_file(site, build):
    root = site("basic")
    app = build(root)
    files = sorted((_out(app) / "proceedings").rglob("*.bib"))
    mtimes = [f.stat().st_mtime_ns for f in files]
    again = build(root)
    assert [f.stat().st_mtime_ns for f in files] == mtimes
    assert "citation files: inputs unchanged" in again.status.getvalue()
    # A change elsewhere in the inputs regenerates them, rewriting only what differs.
    topics = root / "papers/topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = build(root)
    assert [f.stat().st_mtime_ns for f in files] == mtimes
    assert "0 written" in third.status.getvalue()


def test_removed_paper_loses_its_files(site, build):
    root = site("basic")
    app = build(root)
    stale = _out(app) / "proceedings/papers/nowak2024graph.ris"
    assert stale.is_file()
    import shutil

    shutil.rmtree(root / "papers/nowak2024graph")
    build(root)
    assert not stale.exists()


def test_text_builder_has_no_download_line(site, build):
    app = build(site("basic"), "text")
    text = (_out(app) / "proceedings/papers/eliasof2024data.txt").read_text(encoding="utf-8")
    assert "Download:" not in text and "@inproceedings{eliasof2024data" in text


def test_writers_on_a_corporate_author_and_doi():
    paper = Paper(key="x2024y", title="A $\\alpha$ test", source=Source(Path("x.bib"), 1),
                  authors=(Person("", "Imaginary Research Collective"), Person("Ana", "Silva", suffix="Jr.")),
                  year="2024", extra=(("doi", "10.1234/abc"),))
    item = csl_item(paper, "https://example.org/x.html")
    assert item["author"] == [{"literal": "Imaginary Research Collective"},
                              {"family": "Silva", "given": "Ana", "suffix": "Jr."}]
    assert item["DOI"] == "10.1234/abc" and item["title"] == "A α test"
    record = ris_record(paper)
    assert record["doi"] == "10.1234/abc" and "urls" not in record
