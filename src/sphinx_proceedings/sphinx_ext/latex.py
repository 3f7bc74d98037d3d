"""The PDF book of abstracts: what the extension sets up for Sphinx's LaTeX builder.

``sphinx-build -M latexpdf`` (and ``proceedings build pdf``) should give a
printable book without any LaTeX in ``conf.py``.  So, unless the organizers set
them themselves, this module picks XeLaTeX (Unicode names need no LICR
tricks), Noto fonts with a CJK fallback (ö ł ç ř and CJK names print,
rather than vanish as missing glyphs), a title page from the ``proceedings_*``
settings and one ``latex_documents`` entry whose root is a generated page,
``proceedings/book``.  Which pages that book holds, and in what order, is
book.py's business; this module only configures LaTeX around it.

The book has a design of its own: a Sphinx LaTeX theme, ``proceedings``
(``templates/latex/themes``), whose wrapper class ``proceedingsbook.cls``
(memoir underneath) sets the chapter and page styles, the running heads, the
contents with authors and the paper headers that book_papers.py writes.  The
settings ``proceedings_book_paper_size``, ``proceedings_book_one_paper_per_page``
and ``proceedings_short_name`` choose between its variants; the PDF's
document information (title, organizers, subject, topics as keywords) is set
once the papers are read (`set_pdf_metadata`).

The web site's topic and author pages would add hundreds of short pages to a
printed book; the PDF drops them and puts ``\\index`` entries for authors and
topics on each paper instead, so the book ends with an author index and a topic
index with page numbers (`book.SPLIT_INDEXES`, loaded with `IMAKEIDX`).

Untrusted text reaches LaTeX only through Sphinx's LaTeX writer, which escapes
it; math is whatever `markup.md_title` and `abstracts.abstract_myst`
accepted.  As a second wall, the generated ``latexmkrc`` runs XeLaTeX with
shell escape off and kpathsea's paranoid file access (no absolute paths, no
``..``), so even a TeX file read or ``\\write18`` that slipped through fails.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from sphinx_proceedings.core.text import file_stem
from sphinx_proceedings.sphinx_ext._workarounds import user_set
from sphinx_proceedings.sphinx_ext.book import (
    CONTENTS_LATER,
    SPLIT_INDEXES,
    book_docname,
    prune_for_print,
)
from sphinx_proceedings.sphinx_ext.book_papers import add_paper_nodes
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.rendering import render_tex

logger = logging.getLogger(__name__)

#: Fonts from Debian's fonts-noto-core / fonts-noto-cjk when present; XeLaTeX's
#: defaults (Latin Modern, which also has ł and ř) otherwise.  XeTeX has no
#: font fallback, so ucharclasses (part of TeX Live's xetex collection)
#: switches to the CJK font for Han, kana and Hangul characters (and to Noto
#: Sans Math for arrows and operators such as ∇ in plain-text titles).  It
#: switches without a group (a group left open by a CJK character at the end
#: of a list item breaks the list) and then restores the surrounding family.
FONTS = "\n" + render_tex("fonts.tex")  # each piece starts a line of its own

#: A glyph missing from every font is an error in the log, not a silent gap.
PREAMBLE = "\n" + render_tex("preamble.tex")

#: The book's LaTeX theme and its class (copied next to the .tex by Sphinx).
#: The class puts the table of contents after the front matter
#: (``\proceedingstableofcontents``, where `book.prune_for_print` asks for it):
#: front matter and contents have roman page numbers, the papers arabic ones
#: from 1, and the contents get a bookmark that the full volume (volume.py)
#: uses to find the front matter.
LATEX_TEMPLATES = Path(__file__).parent / "templates" / "latex"
BOOK_THEME = "proceedings"
BOOK_CLASS = LATEX_TEMPLATES / "proceedingsbook.cls"
#: `core.config.PAPER_SIZES` as class options.
PAPER_OPTIONS = {"a4": "a4paper", "letter": "letterpaper"}

#: Two indexes with imakeidx, loaded before hyperref (``extrapackages``).  Shell
#: escape is off, so imakeidx cannot run the indexer itself (``noautomatic``;
#: ``quiet`` drops its "remember to run" warning): latexmk finds each
#: ``.idx`` from the "Writing index file" lines in the log and runs Sphinx's
#: ``$makeindex`` (xindy with sphinx.xdy, which adds the hyperlinks) on it.
#: Sphinx's own general index stays: it holds any ``{index}`` entries of the
#: pages and prints nothing when there are none (``noclearpage``: Sphinx's
#: ``sphinxtheindex`` starts a new page itself, so an empty index adds none).  Used only while conf.py sets
#: neither ``makeindex`` nor ``printindex``; otherwise the entries go to the
#: one general index, topics under "Topics".
IMAKEIDX = "\\usepackage[noautomatic,quiet]{imakeidx}\n\\indexsetup{noclearpage}\n"


LATEXMKRC_MARK = "# sphinx-proceedings: untrusted text"
#: Appended to Sphinx's latexmkrc: kpathsea reads these variables from the
#: environment, and they override texmf.cnf (restricted shell escape would
#: still allow a few commands; "f" allows none).
LATEXMKRC = f"""
{LATEXMKRC_MARK}: no shell escape, no reads or writes outside this folder.
$ENV{{'shell_escape'}} = 'f';
$ENV{{'openin_any'}} = 'p';
$ENV{{'openout_any'}} = 'p';
$pdflatex = 'xelatex -no-shell-escape ' . $ENV{{'LATEXOPTS'}} . ' %O %S';
$xelatex = 'xelatex -no-shell-escape --no-pdf ' . $ENV{{'LATEXOPTS'}} . ' %O %S';
$latex = 'xelatex -no-shell-escape --no-pdf ' . $ENV{{'LATEXOPTS'}} . ' %O %S';
"""


def title_page(config: Config, roman: bool = False) -> str:
    """A title page: workshop, "Book of abstracts", conference, date and place.

    With ``roman``, the pages after it (front matter, contents) count i, ii ...
    """
    settings = proceedings_config(config)
    return render_tex("titlepage.tex.jinja", project=config.project, author=config.author,
                      details=(settings.conference, settings.date, settings.place), roman=roman)


def paper_size(config: Config) -> str:
    """``proceedings_book_paper_size`` as a LaTeX class option."""
    return PAPER_OPTIONS[proceedings_config(config).book_paper_size]


def short_name(config: Config) -> str:
    """The workshop's name in running heads: the setting, html_short_title, or project."""
    given = proceedings_config(config).short_name.strip()
    if given:
        return given
    if user_set(config, "html_short_title") and config.html_short_title:
        return str(config.html_short_title)
    return str(config.project)


def organizers(config: Config) -> list[str]:
    return [name.strip() for name in proceedings_config(config).organizers if name.strip()]


def book_title_page(config: Config) -> str:
    """The book's title page, a page of its own; the pages after it count i, ii ..."""
    settings = proceedings_config(config)
    return render_tex("book-titlepage.tex.jinja", project=config.project,
                      details=(settings.conference, settings.date, settings.place),
                      editors=organizers(config))


def book_preamble(config: Config) -> str:
    return "\n" + render_tex("book-preamble.tex.jinja", short_name=short_name(config),
                              one_per_page=proceedings_config(config).book_one_paper_per_page)


def configure_latex(app: Sphinx, config: Config) -> None:
    """``config-inited``: defaults for the LaTeX builder (anything conf.py sets wins)."""
    if not user_set(config, "latex_engine"):
        config.latex_engine = "xelatex"
    book = not user_set(config, "latex_documents")
    elements = dict(config.latex_elements or {})
    if config.latex_engine == "xelatex":
        elements.setdefault("fontpkg", FONTS)
        elements.setdefault("cmappkg", "")  # cmap is for pdfTeX only
    ours = PREAMBLE + (book_preamble(config) if book else "")
    elements["preamble"] = ours + elements.get("preamble", "")  # conf.py's own comes last
    elements.setdefault("maketitle", book_title_page(config) if book else title_page(config))
    elements.setdefault("tocdepth", r"\setcounter{tocdepth}{1}")  # papers are listed
    if not {"makeindex", "printindex"} & set(elements):
        elements.update(SPLIT_INDEXES)
        elements["extrapackages"] = elements.get("extrapackages", "") + IMAKEIDX
    if book:
        elements.setdefault("tableofcontents", CONTENTS_LATER)
        elements.setdefault("fncychap", "")  # the class styles chapters
        elements.setdefault("geometry", render_tex("book-geometry.tex"))
        if not elements.get("papersize"):
            elements["papersize"] = paper_size(config)
        config.latex_theme_path = [*config.latex_theme_path, str(LATEX_TEMPLATES / "themes")]
        config.latex_additional_files = [*config.latex_additional_files, str(BOOK_CLASS)]
    config.latex_elements = elements
    if book:
        config.latex_documents = [(book_docname(config), f"{file_stem(config.project)}.tex",
                                   config.project, config.author, BOOK_THEME)]


def set_pdf_metadata(app: Sphinx) -> None:
    """``builder-inited``, once the papers are read: the book PDF's document information.

    Title (project), author (the organizers, or conf.py's author), subject
    (book of abstracts, conference, date, place) and keywords (the topics).
    hyperref writes them before the first page, so they go into the preamble
    of the builder's template context, which the writer copies per document.
    """
    config = app.config
    documents = config.latex_documents or []
    context = getattr(app.builder, "context", None)
    if app.builder.name != "latex" or not isinstance(context, dict) or not documents \
            or documents[0][0] != book_docname(config):
        return
    domain = app.env.get_domain("proceedings")
    proc = getattr(domain, "model", None)
    used = {slug for paper in getattr(proc, "papers", ()) for slug in paper.topics}
    keywords = [t.title for t in getattr(proc, "topics", ()) if t.slug in used]
    settings = proceedings_config(config)
    subject = ", ".join(value for value in ("Book of abstracts", settings.conference,
                                            settings.date, settings.place) if value.strip())
    context["preamble"] = context.get("preamble", "") + "\n" + render_tex(
        "pdf-metadata.tex.jinja", title=config.project,
        author=", ".join(organizers(config)) or config.author, subject=subject,
        keywords=", ".join(keywords))


def harden_latexmk(app: Sphinx, exception: Exception | None) -> None:
    """Append the no-shell-escape, paranoid-file-access settings to latexmkrc."""
    if exception is not None or app.builder.name != "latex":
        return
    if app.config.latex_engine != "xelatex":
        logger.warning("sphinx-proceedings hardens only XeLaTeX runs; latexmkrc left as is",
                       type="proceedings", subtype="latex")
        return
    rc = Path(app.outdir) / "latexmkrc"
    try:
        text = rc.read_text(encoding="utf-8") if rc.exists() else ""
        if LATEXMKRC_MARK not in text:
            rc.write_text(text + LATEXMKRC, encoding="utf-8")
    except OSError as exc:
        logger.warning(f"cannot write {rc}: {exc}", type="proceedings", subtype="latex")


def setup_latex(app: Sphinx) -> None:
    add_paper_nodes(app)
    app.connect("config-inited", configure_latex)
    app.connect("builder-inited", set_pdf_metadata, priority=600)  # after generate.py
    app.connect("doctree-resolved", prune_for_print)
    app.connect("build-finished", harden_latexmk)
