"""The full volume (volume.py, ``proceedings build volume``) on the PDF fixture.

Each test copies tests/roots/test-pdf and gives its papers small PDFs made
here with pypdf (blank pages of different sizes): the spotlight has 3 pages,
one poster 2 (A4), the other poster a damaged PDF, and the oral (an entry of
papers/volume.bib, so no folder for files) none.  Page ranges need
no TeX; assembling the volume does, and skips with the reason when it is
missing.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner
from conftest import ROOTS, html, warnings
from pypdf import PdfReader, PdfWriter
from sphinx.util import texescape

from sphinx_proceedings.cli import app as cli
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.pdf.volume import page_range, plan_volume, with_page_ranges

MISSING_TEX = [tool for tool in ("xelatex", "latexmk", "make") if shutil.which(tool) is None]
needs_tex = pytest.mark.skipif(
    bool(MISSING_TEX), reason=f"no TeX: {', '.join(MISSING_TEX)} not installed (apt-get "
    "install texlive-xetex texlive-latex-extra latexmk xindy fonts-noto-core make)")
SETTINGS = ReaderSettings(year="2024", booktitle="Workshop on Imaginary Equations")


def blank_pdf(path: Path, pages: int, size: tuple[float, float] = (612, 792)) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.fixture
def volume_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(ROOTS / "test-pdf", root)
    papers = root / "papers"
    blank_pdf(papers / "schoenlieb2024schrodinger/paper.pdf", 3)
    blank_pdf(papers / "wang2024spectral/paper.pdf", 2, (595, 842))  # A4
    (papers / "evil2024stealing/paper.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    return root


def test_page_ranges_follow_the_book_order(volume_site: Path) -> None:
    proc = read_proceedings(volume_site / "papers", SETTINGS)
    plan = plan_volume(proc)
    assert [(e.paper.key, e.first, e.last) for e in plan.entries] == [
        ("schoenlieb2024schrodinger", 1, 3), ("wang2024spectral", 4, 5)]
    assert [heading for heading, _ in plan.groups] == ["Spotlights", "Posters"]
    assert [p.key for p in plan.missing] == ["ozturk2024turbulent"]
    ((paper, why),) = plan.unreadable
    assert paper.key == "evil2024stealing" and "not a readable PDF" in why
    messages = [str(problem) for problem in plan.problems()]
    assert any("evil2024stealing/paper.pdf" in m and "left out" in m for m in messages)
    assert any("ozturk2024turbulent/paper.pdf" in m and "no paper.pdf" in m for m in messages)

    ranged = with_page_ranges(proc, plan)
    assert page_range(ranged.by_key["schoenlieb2024schrodinger"]) == ("1", "3")
    assert dict(ranged.by_key["wang2024spectral"].raw_fields)["pages"] == "4--5"
    assert page_range(ranged.by_key["ozturk2024turbulent"]) is None


def test_grouping_by_topic_changes_the_ranges(volume_site: Path) -> None:
    proc = read_proceedings(volume_site / "papers", SETTINGS)
    plan = plan_volume(proc, "topic")
    # Chapters in topics.yml order, each paper under its first topic.
    assert [(e.paper.key, e.first) for e in plan.entries] == [
        ("wang2024spectral", 1), ("schoenlieb2024schrodinger", 3)]
    assert [heading for heading, _ in plan.groups] == ["Learning to simulate", "Neural operators"]


def test_citations_and_metadata_carry_the_pages(volume_site: Path, build) -> None:
    app = build(volume_site)
    assert warnings(app) == [w for w in warnings(app) if "evil2024stealing" in w]
    out = Path(app.outdir)
    entry = bibtexparser.parse_string(
        (out / "proceedings/papers/schoenlieb2024schrodinger.bib").read_text(encoding="utf-8")
    ).entries[0]
    assert entry["pages"] == "1--3"
    page = html(app, "proceedings/papers/wang2024spectral")
    tags = {m["name"]: m["content"] for m in page.select("meta[name^=citation_]")
            if m["name"] in ("citation_firstpage", "citation_lastpage")}
    assert tags == {"citation_firstpage": "4", "citation_lastpage": "5"}
    assert "pages = {4--5}" in page.get_text()  # the Cite block
    # No PDF, no pages: nothing invented.
    other = html(app, "proceedings/papers/ozturk2024turbulent")
    assert not other.select("meta[name=citation_firstpage]")


def test_page_ranges_can_be_turned_off(volume_site: Path, build) -> None:
    with (volume_site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nproceedings_volume_page_ranges = False\n")
    app = build(volume_site)
    page = html(app, "proceedings/papers/wang2024spectral")
    assert not page.select("meta[name=citation_firstpage]")
    assert "pages =" not in page.get_text()


def test_volume_needs_readable_pdfs(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(ROOTS / "test-pdf", root)
    proc = read_proceedings(root / "papers", SETTINGS)
    plan = plan_volume(proc)
    assert plan.entries == [] and len(plan.missing) == 4


@needs_tex
def test_build_volume(volume_site: Path) -> None:
    texescape.init()  # as after any in-process LaTeX build: hyphens become \sphinxhyphen{}
    result = CliRunner().invoke(cli.main, ["-C", str(volume_site), "build", "volume", "-j", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    output = re.sub(r"\s+", " ", result.output)
    assert "evil2024stealing/paper.pdf" in output and "ozturk2024turbulent/paper.pdf" in output
    assert "2 paper(s), " in output and "2 paper(s) left out" in output
    path = volume_site / "_build/volume/imaginary-equations-workshop-volume.pdf"
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(path)
    texts = [page.extract_text() or "" for page in reader.pages]

    # Title page, the book's front matter, the volume's contents, then 5 paper pages.
    assert "Imaginary Equations Workshop" in texts[0] and "Proceedings" in texts[0]
    assert any("A fictional workshop" in t for t in texts[1:-5])
    contents = next(i for i, t in enumerate(texts) if t.strip().startswith("Contents"))
    flat = re.sub(r"\s+", " ", texts[contents])
    assert "Über Schrödinger-Brücken für Strömungen" in flat and "Łukasz Nowak" in flat
    assert re.search(r"Operators[ .]*4", flat)
    assert "Stealing" not in flat and "Fourier" not in flat  # left out
    assert len(reader.pages) == contents + 1 + 5

    # Stamped numbers 1-5 on the paper pages, whatever their size; labels agree.
    assert [t.strip() for t in texts[-5:]] == ["1", "2", "3", "4", "5"]
    assert [reader.page_labels[i] for i in range(len(reader.pages) - 5, len(reader.pages))] \
        == ["1", "2", "3", "4", "5"]
    assert float(reader.pages[-1].mediabox.width) == 595  # the A4 paper keeps its size

    # A bookmark per paper, under its group, pointing at its first page.
    outline = reader.outline
    titles = [str(item.title) for item in outline if not isinstance(item, list)]
    assert titles == ["Contents", "Spotlights", "Posters"]
    children = [item for sub in outline if isinstance(sub, list) for item in sub]
    first = {str(c.title): reader.get_destination_page_number(c) for c in children}
    assert first["Über Schrödinger-Brücken für Strömungen"] == len(reader.pages) - 5
    assert first["Spectral Řešení of Imaginary Heat Equations with ∇-Operators"] \
        == len(reader.pages) - 2

    ranges = json.loads((volume_site / "_build/volume/page-ranges.json").read_text("utf-8"))
    assert ranges["wang2024spectral"]["first"] == 4 and ranges["wang2024spectral"]["last"] == 5


@needs_tex
def test_volume_without_any_pdf_fails_clearly(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(ROOTS / "test-pdf", root)
    result = CliRunner().invoke(cli.main, ["-C", str(root), "build", "volume", "-j", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "nothing to put in a volume" in result.output
    assert "Traceback" not in result.output

