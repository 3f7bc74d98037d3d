"""Real proceedings in, faithful proceedings out: every entry of the shared corpora.

Each corpus (../shared/corpora/ beside the repository) becomes a site as a new
user makes one (``proceedings new``, the .bib as a volume file), built to HTML
and to the PDF book.  For every entry the reader accepts, the words of the
source title and abstract (outside math) must appear in the paper's page and
in the PDF; no TeX, dollar, HTML tag or placeholder residue may show; the
``<title>`` is free of TeX; and the names are the same in the page, the
``citation_author`` tags, the .bib, .ris and .csl.json files and the PDF's
author index.  The expected words come from the source by another road than
the site's (pylatexenc's LatexNodes2Text and BeautifulSoup), so a word lost
by our parser shows.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pybtex.database import parse_string as pybtex_parse
from pylatexenc.latex2text import LatexNodes2Text

from sphinx_proceedings.cli import main
from sphinx_proceedings.core.reader import read_proceedings

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO.parent / "shared" / "corpora"
#: What the CoRL build may warn about: the two unknown commands in its abstracts.
CORL_INTENDED = ("unknown LaTeX command \\rebut", "unknown LaTeX command \\RV")
RESIDUE = re.compile(r"\\[A-Za-z]+|\$|\\\(|\\\[|</?(?:em|b|i|strong|sup|sub|a|br|p|code|span)\b"
                     r"|<cit\.>")
_WORD = re.compile(r"[^\W_]+")
_TO_TEXT = LatexNodes2Text(math_mode="remove", strict_latex_spaces=True)


def corpus(name: str) -> Path:
    path = CORPORA / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: the shared corpora must sit beside the repository "
                    "(../shared/corpora/); CI copies them there", pytrace=False)
    return path


_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))}


def source_words(value: str) -> set[tuple[str, ...]]:
    """Words of a BibTeX value outside math: a bare % is a percent, citations are placeholders.

    Hyphenated compounds stay together (``("kilometer", "scale")``): pdftotext
    joins a compound broken at a line end ("kilometerscale").
    """
    value = re.sub(r"(?<!\\)%", r"\\%", value)
    # biblatex's punctuation commands, unknown to pylatexenc
    value = re.sub(r"\\hyphen\s*", "-", re.sub(r"\\slash\s*", "/", value))
    value = re.sub(r"\\[A-Za-z]*cite[a-z]*\*?(\[[^]]*\])*\{[^}]*\}", " ", value)
    text = BeautifulSoup(_TO_TEXT.latex_to_text(value), "html.parser").get_text()
    text = unicodedata.normalize("NFKC", text)
    return {tuple(p.casefold() for p in m.group(0).split("-")) for m in _COMPOUND.finditer(text)}


def lost(expected: set[tuple[str, ...]], found: set[str]) -> list[str]:
    """The expected words not in ``found``; a compound's part may be joined to a neighbour."""
    missing = []
    for parts in expected:
        for i, part in enumerate(parts):
            joined = {parts[i - 1] + part if i else "", part + parts[i + 1] if i + 1 < len(parts)
                      else ""}
            if part not in found and not joined & found:
                missing.append(part)
    return sorted(set(missing))


def _build_site(tmp: Path, bib: Path, pdf: bool) -> dict[str, object]:
    result = CliRunner().invoke(main, ["new", str(tmp / "site"), "--title", "Corpus",
                                       "--short-name", "Corpus"])
    assert result.exit_code == 0, result.output
    root = tmp / "site"
    examples = [child for child in (root / "papers").iterdir() if child.is_dir()]
    for child in examples:  # the example paper goes, as the README says
        shutil.rmtree(child)
    shutil.copyfile(bib, root / "papers" / bib.name)
    # ... and the scaffolded schedule shows a paper of the corpus in its place.
    schedule = root / "papers" / "schedule.yml"
    first = bibtexparser.parse_string(bib.read_text(encoding="utf-8")).entries[0].key
    if schedule.is_file():
        text = schedule.read_text(encoding="utf-8")
        for example in examples:
            text = text.replace(example.name, first)
        schedule.write_text(text, encoding="utf-8")
    sphinx = [sys.executable, "-m", "sphinx"]
    html = subprocess.run([*sphinx, "-b", "html", "-c", ".", "source", "_build/html", "-q"],
                          cwd=root, capture_output=True, text=True, timeout=1800)
    assert html.returncode == 0, html.stderr[-3000:]
    built: dict[str, object] = {"root": root, "warnings": html.stderr.splitlines()}
    if pdf:
        latex = subprocess.run([*sphinx, "-M", "latexpdf", "source", "_build", "-c", ".", "-q"],
                               cwd=root, capture_output=True, text=True, timeout=1800)
        pdfs = sorted((root / "_build" / "latex").glob("*.pdf"))
        assert latex.returncode == 0 and pdfs, latex.stdout[-3000:] + latex.stderr[-3000:]
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdfs[0]), "-"],
                              capture_output=True, text=True, check=True).stdout
        built["pdf_text"] = text
        built["latex_log"] = pdfs[0].with_suffix(".log").read_text(encoding="utf-8",
                                                                    errors="replace")
    return built


@pytest.fixture(scope="module", params=["corl2023.bib", "biblatex-examples.bib"])
def built(request, tmp_path_factory) -> dict[str, object]:
    if not shutil.which("latexmk") or not shutil.which("pdftotext"):
        pytest.skip("needs TeX Live (latexmk, xelatex) and poppler-utils (pdftotext)")
    bib = corpus(request.param)
    data = _build_site(tmp_path_factory.mktemp(bib.stem), bib, pdf=True)
    data["name"] = request.param
    data["entries"] = {e.key: {f.key.lower(): str(f.value) for f in e.fields}
                       for e in bibtexparser.parse_string(bib.read_text(encoding="utf-8")).entries}
    data["proc"] = read_proceedings(data["root"] / "papers")  # type: ignore[operator]
    return data


def _page(data, paper) -> BeautifulSoup:
    path = data["root"] / "_build" / "html" / "proceedings" / "papers" / f"{paper.docname}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _visible(soup: BeautifulSoup) -> str:
    main = soup.find("article") or soup.body
    for hidden in main.select("script, style, span.math, div.math, pre, .highlight, "
                              "#cite, .headerlink"):
        hidden.decompose()
    return main.get_text(" ")


def _pdf_words(text: str) -> set[str]:
    return words(text.replace("-\n", "")) | words(text.replace("-\n", "-"))


def test_every_word_reaches_the_page_and_the_pdf(built):
    pdf = _pdf_words(built["pdf_text"])
    failures = []
    for paper in built["proc"].papers:
        entry = built["entries"][paper.key]
        expected = source_words(entry.get("title", ""))
        if paper.abstract_format == "bibtex":
            expected |= source_words(entry.get("abstract", ""))
        soup = _page(built, paper)
        page = words(_visible(soup))
        # pydata-sphinx-theme shows a GitHub or GitLab URL as "owner/repo" (its
        # shorten_urls option): the rest of the URL is in the link's address.
        for link in soup.select("a.github, a.gitlab"):
            page |= words(link["href"])
        lost_page, lost_pdf = lost(expected, page), lost(expected, pdf)
        if lost_page or lost_pdf:
            failures.append(f"{paper.key}: page lacks {sorted(lost_page)}, "
                            f"PDF lacks {sorted(lost_pdf)}")
    assert not failures, "\n".join(failures)


def test_no_residue_and_titles_free_of_tex(built):
    failures = []
    for paper in built["proc"].papers:
        soup = _page(built, paper)
        title = soup.title.get_text()
        if re.search(r"\\[A-Za-z]+|\$", title):
            failures.append(f"{paper.key}: <title> {title!r}")
        og = soup.find("meta", property="og:title")
        if og is not None and re.search(r"\\[A-Za-z]+|\$", og["content"]):
            failures.append(f"{paper.key}: og:title {og['content']!r}")
        for found in RESIDUE.finditer(_visible(soup)):
            failures.append(f"{paper.key}: residue {found.group(0)!r}")
    assert not failures, "\n".join(failures)


def _index_names(pdf_text: str) -> str:
    start = pdf_text.find("Author index")
    return " ".join(pdf_text[start:].split()) if start >= 0 else ""


def _bib_name(person) -> str:
    parts = [*person.first_names, *person.middle_names, *person.prelast_names,
             *person.last_names]
    name = " ".join(_TO_TEXT.latex_to_text(p) for p in parts)
    lineage = " ".join(person.lineage_names)
    return f"{name}, {lineage}" if lineage else name


def test_names_agree_everywhere(built):
    out = built["root"] / "_build" / "html" / "proceedings" / "papers"
    index = _index_names(built["pdf_text"])
    failures = []
    for paper in built["proc"].papers:
        soup = _page(built, paper)
        shown = [a.get_text(" ", strip=True) for a in soup.select(".proceedings-authors a")]
        expected = [p.name for p in paper.authors]
        highwire = [m["content"] for m in soup.find_all("meta", attrs={"name": "citation_author"})]
        wanted_highwire = [", ".join(x for x in (" ".join(y for y in (p.von, p.family) if y),
                                                  p.given) if x) for p in paper.authors]
        bib = pybtex_parse((out / f"{paper.docname}.bib").read_text(encoding="utf-8"), "bibtex")
        from_bib = [_bib_name(p) for e in bib.entries.values() for p in e.persons["author"]]
        ris = rispy.loads((out / f"{paper.docname}.ris").read_text(encoding="utf-8"))[0]
        csl = json.loads((out / f"{paper.docname}.csl.json").read_text(encoding="utf-8"))[0]
        from_csl = [n.get("literal") or " ".join(x for x in (
            n.get("given"), n.get("non-dropping-particle"), n.get("family")) if x)
            for n in csl["author"]]
        checks = {"page": shown, "citation_author": highwire, ".bib": from_bib,
                  ".ris": ris["authors"], ".csl.json": from_csl}
        wanted = {"page": expected, "citation_author": wanted_highwire, ".bib": expected,
                  ".ris": wanted_highwire, ".csl.json": expected}
        for where, got in checks.items():
            if [" ".join(g.split()) for g in got] != wanted[where]:
                failures.append(f"{paper.key}: {where} has {got}, expected {wanted[where]}")
        for name in wanted_highwire:
            if name not in index:
                failures.append(f"{paper.key}: PDF author index lacks {name!r}")
    assert not failures, "\n".join(failures)


def test_every_character_prints(built):
    missing = [line for line in built["latex_log"].splitlines() if "Missing character" in line]
    assert not missing, "\n".join(missing)


def test_corl_builds_with_intended_warnings_only_and_shows_its_split(built):
    if built["name"] != "corl2023.bib":
        return
    unexpected = [w for w in built["warnings"] if "WARNING" in w
                  and not any(intended in w for intended in CORL_INTENDED)]
    assert not unexpected, "\n".join(unexpected)
    assert sum("WARNING" in w for w in built["warnings"]) == len(CORL_INTENDED)
    listing = BeautifulSoup((built["root"] / "_build" / "html" / "proceedings" / "index.html")
                            .read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in listing.find_all(["h2", "h3"])]
    assert any(h.startswith("Oral") for h in headings), headings
    assert any(h.startswith("Poster") for h in headings), headings
    counts = built["proc"].counts()
    assert set(counts) == {"oral", "poster"} and sum(counts.values()) == 199
