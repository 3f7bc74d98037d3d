"""What the reader makes of real BibTeX text: trees, dates, links, exports from them."""

from __future__ import annotations

from pathlib import Path

import rispy

from sphinx_proceedings.core.checks.links import link_field
from sphinx_proceedings.core.inline import Link, Math, Span, Text
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.text import year_of
from sphinx_proceedings.render.export import bibtex_entry
from sphinx_proceedings.sphinx_ext.citations import csl_item, ris_record, ris_text

VOLUME = r"""@inproceedings{gieselmann23a,
  title = {$\alpha$-MDF: \emph{Attention} for <b>Robots</b> at 50%},
  author = {Ferrer, I\~{n}igo and de Aguas, Johan and Van der Linden, Jan},
  date = {2023-11-06},
  pages = {1--22},
  code = {github.com/x/y},
  abstract = {We achieve a 69% reduction.
See https://sayplan.github.io and \citet{smith2020}.},
}
"""


def _paper(tmp_path: Path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "volume.bib").write_text(VOLUME, encoding="utf-8")
    proc = read_proceedings(papers)
    return proc, proc.papers[0]


def test_the_reader_parses_title_and_abstract_once(tmp_path):
    proc, paper = _paper(tmp_path)
    assert paper.title_tree[0] == Math(r"\alpha")
    assert Span("emph", (Text("Attention"),)) in paper.title_tree
    assert Span("strong", (Text("Robots"),)) in paper.title_tree
    assert paper.plain_title == "α-MDF: Attention for Robots at 50%"
    assert paper.abstract_format == "bibtex"
    assert any(isinstance(n, Link) and n.url == "https://sayplan.github.io"
               for n in paper.abstract_tree)
    assert paper.plain_abstract.startswith("We achieve a 69% reduction. See https://sayplan")
    assert "[citation: smith2020]" in paper.plain_abstract
    notes = [p for p in proc.problems if p.level == "advice"]
    assert [n.source.line for n in notes] == [8]


def test_names_dates_links(tmp_path):
    _, paper = _paper(tmp_path)
    assert [p.name for p in paper.authors] == ["Iñigo Ferrer", "Johan de Aguas",
                                               "Jan Van der Linden"]
    assert paper.year == "2023"
    assert paper.code == "https://github.com/x/y"
    assert year_of("1998/2003") == "1998" and year_of("c. 1900") == ""


def test_exports_carry_pages_and_plain_text(tmp_path):
    _, paper = _paper(tmp_path)
    item = csl_item(paper)
    assert item["page"] == "1-22"
    assert item["issued"] == {"date-parts": [[2023]]}
    assert item["title"] == "α-MDF: Attention for Robots at 50%"
    assert "69% reduction" in item["abstract"]
    record = rispy.loads(ris_text([ris_record(paper)]))[0]
    assert (record["start_page"], record["end_page"]) == ("1", "22")
    entry = bibtex_entry(paper)
    assert r"at 50\%}" in entry  # LaTeX readers of the .bib see a percent too
    assert "pages = {1--22}" in entry


def test_link_rule():
    assert link_field("code", "github.com/x/y") == ("https://github.com/x/y", None)
    assert link_field("url", "forum")[1] == "'forum' is not a web address (write it with https://)"
    assert link_field("pdf", "paper.pdf") == ("paper.pdf", None)
    assert link_field("code", "javascript:alert(1)")[1] is not None
