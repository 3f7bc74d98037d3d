"""The PDF book of abstracts: what the extension sets up for Sphinx's LaTeX builder.

``sphinx-build -M latexpdf`` (and ``proceedings build pdf``) should give a
printable book without any LaTeX in ``conf.py``.  So, unless the organizers set
them themselves, this module picks XeLaTeX (Unicode names need no LICR
tricks), Noto fonts with a CJK fallback (ö ł ç ř and CJK names print,
rather than vanish as missing glyphs), a title page from the ``proceedings_*``
settings and one ``latex_documents`` entry whose root is a generated page,
``proceedings/book``.

The book's order is title page, front matter (the homepage, organizers and
committee: ``proceedings_book_front_matter``), table of contents, then the
papers grouped by presentation type or topic (``proceedings_book_group_by``),
then the index.  Sphinx inlines toctrees depth first, so a homepage's toctree
would pull every page in before the homepage's own text; the book page lists
what it wants, and `prune_for_print` re-orders the assembled tree: each page
once, front-matter pages without the pages their toctrees pulled in.

The web site's topic and author pages would add hundreds of short pages to a
printed book; the PDF drops them and puts ``\\index`` entries for authors and
topics on each paper instead, so the book ends with an author index and a topic
index with page numbers (`SPLIT_INDEXES`).

Untrusted text reaches LaTeX only through Sphinx's LaTeX writer, which escapes
it; math is whatever `markup.md_title` and `abstracts.sanitize_abstract`
accepted.  As a second wall, the generated ``latexmkrc`` runs XeLaTeX with
shell escape off and kpathsea's paranoid file access (no absolute paths, no
``..``), so even a TeX file read or ``\\write18`` that slipped through fails.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.texescape import escape
from text_unidecode import unidecode

from .domain import ProceedingsDomain
from .latex import plain_title
from .markup import md_text
from .model import PRESENTATION_LABELS, PRESENTATIONS, Paper, Proceedings
from .reader import docname_for

logger = logging.getLogger(__name__)

#: Fonts from Debian's fonts-noto-core / fonts-noto-cjk when present; XeLaTeX's
#: defaults (Latin Modern, which also has ł and ř) otherwise.  XeTeX has no
#: font fallback, so ucharclasses (part of TeX Live's xetex collection)
#: switches to the CJK font for Han, kana and Hangul characters (and to Noto
#: Sans Math for arrows and operators such as ∇ in plain-text titles).  It
#: switches without a group (a group left open by a CJK character at the end
#: of a list item breaks the list) and then restores the surrounding family.
FONTS = r"""
\IfFontExistsTF{Noto Serif}{\setmainfont{Noto Serif}}{}
\IfFontExistsTF{Noto Sans}{\setsansfont{Noto Sans}}{}
\IfFontExistsTF{Noto Sans Mono}{\setmonofont{Noto Sans Mono}[Scale=MatchLowercase]}{}
\def\proceedingsSwitch#1{\edef\proceedingsFamily{\csname f@family\endcsname}#1}
\def\proceedingsBack{\fontfamily{\proceedingsFamily}\selectfont}
\IfFileExists{ucharclasses.sty}{%
  \usepackage[Latin,Greek,GeneralPunctuation,CJK,Arrows,MathematicalOperators]{ucharclasses}%
  \IfFontExistsTF{Noto Serif CJK SC}{%
    \newfontfamily\proceedingsCJKfont{Noto Serif CJK SC}[AutoFakeSlant=0.2]%
    \setTransitionsForCJK{\proceedingsSwitch\proceedingsCJKfont}{\proceedingsBack}}{}%
  \IfFontExistsTF{Noto Sans Math}{%
    \newfontfamily\proceedingsSymbolfont{Noto Sans Math}[AutoFakeSlant=0.2,AutoFakeBold=1.5]%
    \setTransitionsFor{Arrows}{\proceedingsSwitch\proceedingsSymbolfont}{\proceedingsBack}%
    \setTransitionsFor{MathematicalOperators}{\proceedingsSwitch\proceedingsSymbolfont}%
      {\proceedingsBack}}{}%
}{}
"""

#: A glyph missing from every font is an error in the log, not a silent gap.
PREAMBLE = r"""
\tracinglostchars=2
"""

#: The book's table of contents comes after the front matter (`prune_for_print`
#: puts ``\proceedingstableofcontents`` there): front matter and contents
#: have roman page numbers, the papers arabic ones from 1, and the contents
#: get a bookmark that the full volume (volume.py) uses to find the front matter.
BOOK_PREAMBLE = r"""
\makeatletter
\newcommand{\proceedingstableofcontents}{%
  \if@openright\cleardoublepage\else\clearpage\fi
  \pdfbookmark[0]{\contentsname}{proceedings-contents}%
  \begingroup\parskip\z@skip
    \ifdefined\sphinxtableofcontentshook\sphinxtableofcontentshook\fi
    \tableofcontents
  \endgroup
  \if@openright\cleardoublepage\else\clearpage\fi
  \pagenumbering{arabic}}
\makeatother
"""
#: Docnames looked for, in this order, when the front matter is not configured.
FRONT_MATTER_CANDIDATES = ("organizers", "organisers", "organization", "committee",
                           "program-committee", "programme-committee")
BOOK_NAME = "book"


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
AUTHOR_INDEX, TOPIC_INDEX = "authors", "topics"
SPLIT_INDEXES = {
    "makeindex": ("\\makeindex\n"
                  f"\\makeindex[name={AUTHOR_INDEX},title=Author index]\n"
                  f"\\makeindex[name={TOPIC_INDEX},title=Topic index]\n"),
    "printindex": f"\\printindex[{AUTHOR_INDEX}]\n\\printindex[{TOPIC_INDEX}]\n\\printindex\n",
}


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


def _user_set(config: Config, name: str) -> bool:
    """Whether conf.py or ``-D`` gave ``name`` a value (then we leave it alone)."""
    raw = getattr(config, "_raw_config", {})
    overrides = getattr(config, "_overrides", {})
    return name in raw or name in overrides


def _tex(text: str) -> str:
    return escape(" ".join(str(text).split()), "xelatex")


def title_page(config: Config, roman: bool = False) -> str:
    """A title page: workshop, "Book of abstracts", conference, date and place.

    With ``roman``, the pages after it (front matter, contents) count i, ii ...
    """
    lines = [
        r"\begin{titlepage}",
        r"\centering",
        r"\vspace*{0.18\textheight}",
        rf"{{\Huge\bfseries {_tex(config.project)}\par}}",
        r"\vspace{1.5em}",
        r"{\Large Book of abstracts\par}",
        r"\vspace{3em}",
    ]
    for value in (config.proceedings_conference, config.proceedings_date,
                  config.proceedings_place):
        if str(value).strip():
            lines.append(rf"{{\large {_tex(value)}\par}}\vspace{{0.5em}}")
    lines += [r"\vfill", rf"{{\normalsize {_tex(config.author)}\par}}",
              r"\end{titlepage}", r"\pagenumbering{roman}" if roman else r"\setcounter{page}{1}"]
    return "\n".join(lines) + "\n"


#: ``latex_elements["tableofcontents"]`` while the book puts its own contents
#: after the front matter; any other value (the organizers') is left alone.
CONTENTS_LATER = "% sphinx-proceedings: the contents follow the front matter\n"
GROUP_BY = ("presentation", "topic")


def book_docname(config: Config) -> str:
    return f"{config.proceedings_output_dir.strip('/')}/{BOOK_NAME}"


def group_by(config: Config) -> str:
    value = str(config.proceedings_book_group_by or "presentation").strip().lower()
    return value if value in GROUP_BY else "presentation"


def book_groups(proc: Proceedings, how: str = "presentation") -> list[tuple[str, str, list[Paper]]]:
    """``(id, heading, papers)`` in print order; every paper exactly once.

    By presentation type (spotlights, orals, posters, then any other type), or
    by each paper's first topic in ``topics.yml`` order, then "Other papers".
    The full volume (volume.py) uses the same order, so its page ranges match.
    """
    groups: dict[str, list[Paper]] = {}
    titles: dict[str, str] = {}
    if how == "topic":
        for topic in proc.topics:
            groups[topic.slug], titles[topic.slug] = [], topic.title
        for paper in proc.papers:
            first = next((s for s in paper.topics if s in groups), "other")
            groups.setdefault(first, []).append(paper)
        titles["other"] = "Other papers"
    else:
        for kind in PRESENTATIONS:
            groups[kind] = []
        for paper in proc.papers:
            groups.setdefault(paper.presentation, []).append(paper)
        titles = {kind: PRESENTATION_LABELS.get(kind, kind.title()) + "s" for kind in groups}
    return [(key, titles[key], papers) for key, papers in groups.items() if papers]


def front_matter(config: Config, srcdir: Path) -> list[str]:
    """Docnames printed before the contents: configured, or homepage + organizers/committee."""
    given = config.proceedings_book_front_matter
    if given is not None:
        return [str(name).strip().strip("/").removesuffix(".md").removesuffix(".rst")
                for name in given if str(name).strip()]
    suffixes = list(config.source_suffix or {".rst": "restructuredtext"})
    found = [config.root_doc]
    for name in FRONT_MATTER_CANDIDATES:
        if any((srcdir / f"{name}{suffix}").is_file() for suffix in suffixes):
            found.append(name)
    return found


def book_page(config: Config, proc: Proceedings, srcdir: Path, marker: str) -> str:
    """The generated LaTeX root: a toctree of the front matter, then every paper.

    Written only for the LaTeX builder (`build.generate`), so the web site
    never sees it; ``orphan`` keeps Sphinx from asking for it in a toctree.
    """
    prefix = config.proceedings_output_dir.strip("/")
    entries = [f"/{name}" for name in front_matter(config, srcdir)]
    for _key, _title, papers in book_groups(proc, group_by(config)):
        entries += [f"/{prefix}/papers/{docname_for(p.key)}" for p in papers]
    lines = ["---", "orphan: true", "---", marker, "", f"# {md_text(config.project)}", "",
             "```{toctree}", ":maxdepth: 2", "", *dict.fromkeys(entries), "```"]
    return "\n".join(lines) + "\n"


def book_files(app: Sphinx, proc: Proceedings, marker: str) -> dict[str, str]:
    """The book page by path in the output folder, when this build makes the book."""
    config = app.config
    documents = config.latex_documents or []
    if app.builder.name != "latex" or not documents or documents[0][0] != book_docname(config):
        return {}
    return {f"{BOOK_NAME}.md": book_page(config, proc, Path(app.srcdir), marker)}


def configure_latex(app: Sphinx, config: Config) -> None:
    """Defaults for the LaTeX builder (anything conf.py sets wins); connects the rest.

    The extension's ``setup`` connects only this function, at ``config-inited``.
    """
    app.connect("doctree-resolved", prune_for_print)
    app.connect("build-finished", harden_latexmk)
    if str(config.proceedings_book_group_by).strip().lower() not in GROUP_BY:
        logger.warning(f"proceedings_book_group_by must be one of {', '.join(GROUP_BY)}, "
                       f"not {config.proceedings_book_group_by!r}; grouping by presentation",
                       type="proceedings", subtype="config")
    if not _user_set(config, "latex_engine"):
        config.latex_engine = "xelatex"
    book = not _user_set(config, "latex_documents")
    elements = dict(config.latex_elements or {})
    if config.latex_engine == "xelatex":
        elements.setdefault("fontpkg", FONTS)
        elements.setdefault("cmappkg", "")  # cmap is for pdfTeX only
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE + (BOOK_PREAMBLE if book else "")
    elements.setdefault("maketitle", title_page(config, roman=book))
    elements.setdefault("tocdepth", r"\setcounter{tocdepth}{1}")  # papers are listed
    if not {"makeindex", "printindex"} & set(elements):
        elements.update(SPLIT_INDEXES)
        elements["extrapackages"] = elements.get("extrapackages", "") + IMAKEIDX
    if book:
        elements.setdefault("tableofcontents", CONTENTS_LATER)
    config.latex_elements = elements
    if book:
        stem = "".join(c if c.isalnum() else "-" for c in config.project.lower()).strip("-")
        config.latex_documents = [(book_docname(config), f"{stem or 'proceedings'}.tex",
                                   config.project, config.author, "manual")]
    if not _user_set(config, "latex_domain_indices"):
        # The author and topic pages are left out of the PDF; their index
        # entries are in the author and topic indexes instead (see `prune_for_print`).
        config.latex_domain_indices = False


def _index_text(text: str) -> str:
    r"""Text for ``\index{...}``: TeX-escaped, with xindy's special characters quoted."""
    value = _tex(text).replace(r"\{", r"\sphinxleftcurlybrace{}")
    value = value.replace(r"\}", r"\sphinxrightcurlybrace{}")
    for char in '"@!':
        value = value.replace(char, '"' + char)
    return value.replace("|", r"\textbar{}")


def _index_entry(*levels: str, index: str = "") -> str:
    r"""``\index`` with an ASCII sort key per level, so Ł sorts with L and 王 as Wang.

    ``index`` names one of imakeidx's indexes; empty means the general one.
    """
    parts = [f"{_index_text(unidecode(lv).strip() or lv)}@\\spxentry{{{_index_text(lv)}}}"
             for lv in levels]
    return "\\index" + (f"[{index}]" if index else "") + "{" + "!".join(parts) + "}"


def split_indexes(config: Config) -> bool:
    """Whether the book prints separate author and topic indexes (`SPLIT_INDEXES`)."""
    elements = config.latex_elements or {}
    return all(elements.get(key) == value for key, value in SPLIT_INDEXES.items())


def index_entries(paper: Paper, proc: Proceedings, split: bool = True) -> str:
    """The LaTeX index entries of one paper: its authors and its topics.

    With ``split``, each goes to its own index; otherwise all go to the
    general index, the topics under "Topics".
    """
    out = []
    for person in paper.authors:
        family = person.family or person.name
        name = f"{family}, {person.given}" if person.given else family
        out.append(_index_entry(name, index=AUTHOR_INDEX if split else ""))
    for slug in paper.topics:
        topic = proc.topic_by_slug.get(slug)
        if topic is not None:
            out.append(_index_entry(topic.title, index=TOPIC_INDEX) if split
                       else _index_entry("Topics", topic.title))
    return "".join(out)


def _title_math(title: nodes.title) -> None:
    r"""Math in a heading as ``\texorpdfstring``: typeset in the text, Unicode in bookmarks."""
    for math in list(title.findall(nodes.math)):
        tex = math.astext()
        text = plain_title(f"${tex}$")
        raw = nodes.raw("", rf"\texorpdfstring{{\protect\({tex}\protect\)}}{{{_tex(text)}}}",
                        format="latex")
        math.replace_self(raw)


def _target_doc(ref: nodes.reference) -> str | None:
    """The document an internal LaTeX reference points to (``%docname#anchor``)."""
    target = str(ref.get("refuri", ""))
    return target[1:].partition("#")[0] if target.startswith("%") else None


def _arrange_book(app: Sphinx, doctree: nodes.document,
                  parts: dict[str, addnodes.start_of_file], proc: Proceedings) -> set[str]:
    """Front matter, contents, then one chapter per group of papers; returns kept docnames.

    Every inlined page is taken out of wherever the depth-first inlining put
    it; only the front matter and the papers go back, each exactly once.
    """
    config = app.config
    prefix = config.proceedings_output_dir.strip("/")
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return set(parts)
    for part in parts.values():
        part.parent.remove(part)
    for child in list(top.children):
        if not isinstance(child, nodes.title):
            top.remove(child)
    kept = {book_docname(config)}
    for name in front_matter(config, Path(app.srcdir)):
        if name in parts and name not in kept:
            top.append(parts[name])
            kept.add(name)
    if config.latex_elements.get("tableofcontents") == CONTENTS_LATER:
        top.append(nodes.raw("", "\\proceedingstableofcontents\n", format="latex"))
    for key, heading, papers in book_groups(proc, group_by(config)):
        names = [f"{prefix}/papers/{docname_for(p.key)}" for p in papers]
        names = [name for name in names if name in parts and name not in kept]
        if not names:
            continue
        section = nodes.section("", nodes.title(heading, heading),
                                ids=[f"proceedings-group-{docname_for(key)}"])
        section["docname"] = book_docname(config)
        for name in names:
            section.append(parts[name])
            kept.add(name)
        top.append(section)
    return kept


def prune_for_print(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Shape the assembled LaTeX document into a book of abstracts.

    Runs on the LaTeX builder's single big doctree.  With the generated book
    page as root, the pages are re-ordered (`_arrange_book`); with a root of
    the organizers' own, only the web-only topic and author pages go.  Links
    to pages left out become text; each paper gets index entries for its
    authors and topics, loses its web-only "Cite" and "Related papers"
    sections, and its title math gets a bookmark-safe form.
    """
    if app.builder.name != "latex":
        return
    domain: ProceedingsDomain = app.env.get_domain("proceedings")  # type: ignore[assignment]
    proc = domain.model
    prefix = app.config.proceedings_output_dir.strip("/")
    papers = {f"{prefix}/papers/{docname_for(p.key)}": p for p in proc.papers}
    split = split_indexes(app.config)
    # Sphinx's inlined toctrees leave stale ``parent`` links; moving nodes needs true ones.
    for node in list(doctree.findall(nodes.Element)):
        for child in node.children:
            child.parent = node
    parts = {part["docname"]: part for part in doctree.findall(addnodes.start_of_file)}
    if docname == book_docname(app.config):
        kept = _arrange_book(app, doctree, parts, proc)
    else:
        web_only = (f"{prefix}/authors/", f"{prefix}/topics/")
        dropped = {name for name in parts if name.startswith(web_only)}
        for name in dropped:
            parts[name].parent.remove(parts[name])
        kept = {docname, *parts} - dropped
    for ref in list(doctree.findall(nodes.reference)):
        target = _target_doc(ref)
        if target is not None and target not in kept:
            ref.replace_self(nodes.inline("", "", *ref.children))

    for name, paper in papers.items():
        part = parts.get(name) if name in kept else None
        section = next(iter(part.findall(nodes.section)), None) if part else None
        if section is None:
            continue
        for sub in list(section.findall(nodes.section)):
            if {"cite", "related-papers"} & set(sub["ids"]) and sub.parent is not None:
                sub.parent.remove(sub)
        title = next(iter(section.findall(nodes.title)), None)
        if title is not None:
            _title_math(title)
            section.insert(section.index(title) + 1,
                           nodes.raw("", index_entries(paper, proc, split), format="latex"))


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
