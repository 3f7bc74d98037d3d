"""The PDF book of abstracts of tests/roots/test-pdf, checked with pypdf.

The fixture has accented, Polish, Czech, Turkish and CJK names, math in a
title and abstracts, and a hostile paper whose title and abstract try
``\\input{/etc/passwd}`` and ``\\write18``.  Tests that need TeX skip, with the
reason printed, only when xelatex or latexmk is missing; the LaTeX sources are
checked everywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import warnings

TITLES = [  # as printed: math in a title becomes Unicode in bookmarks and link text
    "Über Schrödinger-Brücken für Strömungen",
    "Turbulent Flows on Łódź Grids with Fourier Layers",
    "Spectral Řešení of Imaginary Heat Equations with ∇-Operators",
]
NAMES = ["Carola-Bibiane Schönlieb", "Łukasz Nowak", "Ayşe Çetin", "王小明", "Jiří Dvořák",
         "Françoise Lefèvre", "Zeynep Öztürk", "Pavel Řehoř", "Mallory Łódź"]
HOSTILE_TITLE = r"Stealing $\input{/etc/passwd}$"
PWNED = Path("/tmp/proceedings-pwned")
MISSING_TEX = [tool for tool in ("xelatex", "latexmk", "make") if shutil.which(tool) is None]
needs_tex = pytest.mark.skipif(
    bool(MISSING_TEX),
    reason=f"no TeX: {', '.join(MISSING_TEX)} not installed (apt-get install "
    "texlive-xetex texlive-latex-extra latexmk xindy fonts-noto-core fonts-noto-cjk make)",
)


def _passwd_markers() -> list[str]:
    """Lines of /etc/passwd that must never reach the PDF (``root:x:0:0`` ...)."""
    try:
        lines = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ["root:x:0:0"]
    return [line for line in lines[:5] if line.count(":") >= 5] or ["root:x:0:0"]


def _flat(text: str) -> str:
    """Extracted text on one line: PDF line breaks and hyphenation undone."""
    text = text.replace("\u2011", "-").replace("-\n", "-")
    return re.sub(r"\s+", " ", text)


def _outline_titles(outline: list) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles.extend(_outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


@pytest.fixture
def book(pdf_book: dict) -> dict:
    """The fixture's book (built once per session, conftest.pdf_book), with its text flattened."""
    return {**pdf_book, "text": _flat("\n".join(pdf_book["pages"]))}


@needs_tex
def test_one_pdf_builds(book: dict) -> None:
    result = book["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert [p.name for p in book["pdfs"]] == ["imaginary-equations-workshop.pdf"]


@needs_tex
def test_only_expected_sphinx_warnings(book: dict) -> None:
    lines = [line for line in book["result"].stderr.splitlines() if "WARNING" in line]
    assert all("evil2024stealing/" in line for line in lines), lines
    # The hostile title: its math and its \write are shown as text, each with a warning.
    title = [line for line in lines if "evil2024stealing/paper.bib" in line]
    assert any("math using \\input is not allowed" in line for line in title), lines
    assert any("unknown LaTeX command \\write" in line for line in title), lines
    assert len(lines) == 4, lines


@needs_tex
def test_latex_log_is_clean(book: dict) -> None:
    """No dropped glyph, undefined reference or warning from web-only markup."""
    log = next(book["latex"].glob("*.log")).read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    problems = re.findall(r"^(?:LaTeX|Package \w+) (?:Font )?Warning: .*$", log, re.M)
    assert problems == []
    assert "! " not in log


@needs_tex
def test_title_page(book: dict) -> None:
    first = _flat(book["pages"][0])
    for text in ("Imaginary Equations Workshop", "Book of abstracts",
                 "Fictional Conference on Learning 2024", "11 May 2024", "Vienna, Austria"):
        assert text in first


@needs_tex
def test_titles_and_names_are_text(book: dict) -> None:
    text = book["text"]
    for title in [*TITLES[:2], "Spectral Řešení of Imaginary Heat Equations"]:
        assert title in text
    for name in NAMES:
        assert name in text


@needs_tex
def test_contents_and_page_count(book: dict) -> None:
    contents = next(_flat(page) for page in book["pages"] if "CONTENTS" in page.upper()[:40])
    assert "Über Schrödinger-Brücken für Strömungen" in contents
    assert "Organizers" in contents  # the front matter is listed too
    assert 6 <= len(book["pages"]) <= 24


@needs_tex
def test_outline_has_every_paper(book: dict) -> None:
    titles = _outline_titles(book["reader"].outline)
    for title in TITLES:
        assert title in titles
    assert any(t.startswith(HOSTILE_TITLE) for t in titles)
    # The web site's topic and author pages are not in the book.
    assert "Topics" not in titles and "Authors" not in titles


@needs_tex
def test_book_order(book: dict) -> None:
    """Title page, front matter, contents, papers by presentation type, indexes."""
    reader = book["reader"]
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [str(item.title) for item in top] == [
        "Welcome", "Organizers", "Program committee", "Contents",
        "Spotlights", "Orals", "Posters", "Author index", "Topic index"]
    pages = {str(item.title): reader.get_destination_page_number(item) for item in top}
    labels = reader.page_labels
    # Roman numbers before the papers, arabic from 1 on the first paper page.
    assert labels[pages["Welcome"]] == "i"
    assert labels[pages["Contents"]].isalpha()
    assert labels[pages["Spotlights"]] == "1"
    # The homepage's own text comes before the contents, not after the papers.
    overview = next(i for i, page in enumerate(book["pages"]) if "A fictional workshop" in page)
    assert overview < pages["Contents"]


def _chapter_pages(book: dict, title: str) -> list[str]:
    """The text of the pages of the chapter with bookmark ``title``, up to the next one."""
    reader = book["reader"]
    starts = [(str(item.title), reader.get_destination_page_number(item))
              for item in reader.outline if not isinstance(item, list)]
    first = dict(starts)[title]
    after = [page for _t, page in starts if page > first]
    return [_flat(text) for text in book["pages"][first:min(after, default=None)]]


@needs_tex
def test_author_index(book: dict) -> None:
    pages = _chapter_pages(book, "Author index")
    index = " ".join(pages)
    assert pages[0].upper().startswith("AUTHOR INDEX")
    for entry in ("Nowak, Łukasz", "Łódź, Mallory", "Řehoř, Pavel", "王小明",
                  "Schönlieb, Carola-Bibiane"):
        assert entry in index
    assert "Neural operators" not in index and "Topics" not in index
    # ASCII sort keys: Ł files under L, Ř under R, not under "non-alphabetical".
    assert index.index("Łódź, Mallory") > index.index("Lefèvre")
    assert index.index("Řehoř") < index.index("Schönlieb")


@needs_tex
def test_topic_index(book: dict) -> None:
    pages = _chapter_pages(book, "Topic index")
    index = " ".join(pages)
    assert pages[0].upper().startswith("TOPIC INDEX")
    for entry in ("Équation discovery", "Learning to simulate", "Neural operators"):
        assert entry in index
    assert "Nowak" not in index
    # Both indexes are listed in the contents too.
    contents = next(_flat(page) for page in book["pages"] if "CONTENTS" in page.upper()[:40])
    assert "Author index" in contents and "Topic index" in contents


@needs_tex
def test_index_page_numbers_link_to_the_papers(book: dict) -> None:
    """An author's page number is the page label of their paper, and links to it."""
    reader = book["reader"]
    labels = reader.page_labels
    outline = {str(item.title): reader.get_destination_page_number(item)
               for item in reader.outline if not isinstance(item, list)}
    paper_page = next(i for i, text in enumerate(book["pages"])
                      if i > outline["Contents"] and "Turbulent Flows on Łódź Grids" in _flat(text)
                      and "Zeynep Öztürk" in _flat(text))
    index = " ".join(_chapter_pages(book, "Author index"))
    assert re.search(rf"Öztürk, Zeynep, {labels[paper_page]}\b", index), index
    start = outline["Author index"]
    targets = set()
    for page in reader.pages[start:outline["Topic index"]]:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/D" in action:
                targets.add(str(action["/D"]))
    assert f"page.{labels[paper_page]}" in targets
    names = reader.named_destinations
    assert reader.get_destination_page_number(names[f"page.{labels[paper_page]}"]) == paper_page


@needs_tex
def test_links_work(book: dict) -> None:
    """Internal links go to named destinations; web links are URI actions."""
    uris, internal = set(), 0
    for page in book["reader"].pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
            elif action is not None or "/Dest" in annot:
                internal += 1
    assert "https://openreview.net/forum?id=abc123" in uris
    assert "https://example.org/code/schroedinger" in uris
    assert internal >= 4


@needs_tex
def test_all_fonts_embedded(book: dict) -> None:
    seen = 0
    for page in book["reader"].pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, font.get("/BaseFont")
            descriptor = descriptor.get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            seen += 1
    assert seen


@needs_tex
def test_hostile_title_reads_and_runs_nothing(book: dict) -> None:
    text = book["text"]
    assert HOSTILE_TITLE in text  # shown as text, not executed
    for marker in _passwd_markers():
        assert marker not in text
    latex = book["latex"]
    for recorded in latex.glob("*.fls"):
        assert "/etc/passwd" not in recorded.read_text(encoding="utf-8", errors="replace")
    assert not PWNED.exists()


@needs_tex
def test_latex_runs_without_shell_escape(book: dict) -> None:
    """Second wall: even raw ``\\input`` and ``\\write18`` fail under our latexmkrc."""
    latex = book["latex"]
    rc = (latex / "latexmkrc").read_text(encoding="utf-8")
    assert "-no-shell-escape" in rc and "openin_any'} = 'p'" in rc
    probe = latex / "probe.tex"
    probe.write_text("\\documentclass{article}\\begin{document}\n"
                     "\\immediate\\write18{touch /tmp/proceedings-pwned}\n"
                     "\\input{/etc/passwd}\n\\end{document}\n", encoding="utf-8")
    result = subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "probe.tex"],
                            cwd=latex, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "Not reading from /etc/passwd" in result.stdout + result.stderr
    assert not PWNED.exists()


# -- The LaTeX sources: no TeX installation needed ----------------------------


def _tex(app) -> str:
    return (Path(app.outdir) / "imaginary-equations-workshop.tex").read_text(encoding="utf-8")


def _chapters(tex: str) -> list[str]:
    return re.findall(r"^\\chapter\{(.*)\}$", tex, re.M)


def test_latex_sources(site, build) -> None:
    app = build(site("pdf"), "latex")
    assert warnings(app) == [w for w in warnings(app) if "evil2024stealing" in w]
    assert app.config.latex_engine == "xelatex"
    tex = (Path(app.outdir) / "imaginary-equations-workshop.tex").read_text(encoding="utf-8")
    # Untrusted text is escaped; only our preamble has real backslash commands.
    assert r"\input{/etc/passwd}" not in tex
    assert r"\write18" not in tex
    assert r"\textbackslash{}input\{/etc/passwd\}" in tex
    # Title page from the proceedings_* settings; index entries with ASCII sort keys,
    # in the author and topic indexes.
    assert r"{\large Fictional Conference on Learning 2024\par}" in tex
    # Names in the body font (no \spxentry), particles first, sorted by family name.
    assert r"\index[authors]{Lodz, Mallory@Łódź, Mallory}" in tex
    assert r"\index[authors]{Wang Xiao Ming@王小明}" in tex
    assert r"\index[topics]{Equation discovery@Équation discovery}" in tex
    assert r"\printindex[authors]" in tex and r"\printindex[topics]" in tex
    assert tex.index("{imakeidx}") < tex.index("\\usepackage{hyperref}")
    # Math in a heading: typeset in the text, Unicode in the bookmark.
    assert r"\texorpdfstring{\protect\(\nabla\protect\)}{∇}" in tex
    # Web-only pages are not in the book.
    assert "proceedings/authors/" not in tex and "proceedings/topics/" not in tex
    # Front matter (homepage, organizers, committee: each once), contents, papers.
    assert _chapters(tex) == ["Welcome", "Organizers",
                              "Program committee", "Spotlights", "Orals", "Posters"]
    assert tex.index("A fictional workshop") < tex.index("\\proceedingstableofcontents\n")
    assert tex.index("\\proceedingstableofcontents\n") < tex.index("\\chapter{Spotlights}")
    assert tex.count("\\proceedingspaper{Spectral") == 1
    assert "\\section{Spectral" not in tex and "\\subsection{Abstract}" not in tex
    # The generated root page lists what the book prints.
    book = (Path(app.srcdir) / "proceedings/book.md").read_text(encoding="utf-8")
    assert "/organizers\n/committee\n/proceedings/papers/schoenlieb2024schrodinger" in book


def test_group_by_topic(site, build) -> None:
    """Each paper once, under its first topic, chapters in topics.yml order."""
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nproceedings_book_group_by = "topic"\n')
    tex = _tex(build(root, "latex"))
    assert _chapters(tex)[3:] == ["Learning to simulate", "Neural operators",
                                  "Équation discovery"]
    simulate, operators, discovery = (tex.index("\\chapter{" + c + "}") for c in _chapters(tex)[3:])
    paper = "\\proceedingspaper{"
    assert simulate < tex.index(paper + "Spectral") < operators
    assert operators < tex.index(paper + "Über") < tex.index(paper + "Turbulent") < discovery
    assert discovery < tex.index(paper + "Stealing")
    assert tex.count(paper + "Spectral") == 1


def test_front_matter_is_configurable(site, build) -> None:
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nproceedings_book_front_matter = ["committee"]\n')
    tex = _tex(build(root, "latex"))
    assert _chapters(tex)[:2] == ["Program committee", "Spotlights"]
    assert "A fictional workshop" not in tex and "The fictional organizers" not in tex
    assert "The reviewers are listed" not in tex


def test_own_index_settings_give_one_index(site, build) -> None:
    """With conf.py's own ``printindex``, everything goes to the general index."""
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nlatex_elements = {"printindex": r"\\printindex"}\n')
    tex = _tex(build(root, "latex"))
    assert "imakeidx" not in tex and "[authors]" not in tex
    assert r"\index{Lodz, Mallory@Łódź, Mallory}" in tex
    assert r"\index{Topics@Topics!Equation discovery@Équation discovery}" in tex


def test_no_book_page_on_the_web_site(site, build) -> None:
    app = build(site("pdf"))
    assert warnings(app) == [w for w in warnings(app) if "evil2024stealing" in w]
    assert not (Path(app.srcdir) / "proceedings/book.md").exists()
    assert not (Path(app.outdir) / "proceedings/book.html").exists()


def test_conf_py_settings_win(site, build) -> None:
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nlatex_engine = "lualatex"\n'
                   'latex_documents = [("index", "mine.tex", "Mine", "Me", "howto")]\n')
    app = build(root, "latex")
    assert app.config.latex_engine == "lualatex"
    assert (Path(app.outdir) / "mine.tex").exists()
