"""The book of abstracts' arrangement: which pages make the printed book, and in what order.

A separate idea from configuring LaTeX (latex.py, which imports from
here and never the other way round): build.py writes the book page from it and
the full volume (volume.py) follows the same order, so page ranges match.
The book is the title page, the front matter (homepage, organizers, committee:
``proceedings_book_front_matter``), the contents, the papers grouped by
presentation type or topic (``proceedings_book_group_by``), then the indexes.
Sphinx inlines toctrees depth first, so `prune_for_print` re-orders the
assembled tree: each page once, front matter without the pages its toctrees
pulled in, no web-only topic and author pages (each paper carries ``\\index``
entries for its authors and topics instead).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from text_unidecode import unidecode

from sphinx_proceedings.core.model import (
    PRESENTATION_LABELS,
    PRESENTATIONS,
    Paper,
    Person,
    Proceedings,
    docname_for,
)
from sphinx_proceedings.core.text import plain_title
from sphinx_proceedings.render.pages import template_environment
from sphinx_proceedings.sphinx_ext.book_papers import (
    WEB_ONLY_SECTIONS,
    bookmark_text,
    paper_for_print,
)
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.print_pages import for_print, welcome_title
from sphinx_proceedings.sphinx_ext.rendering import tex_text
from sphinx_proceedings.sphinx_ext.state import build_state

#: Docnames looked for, in this order, when the front matter is not configured.
FRONT_MATTER_CANDIDATES = ("schedule", "programme", "program", "organizers", "organisers",
                           "organization", "committee", "program-committee",
                           "programme-committee")
BOOK_NAME = "book"

#: ``latex_elements["tableofcontents"]`` while the book puts its own contents
#: after the front matter; any other value (the organizers') is left alone.
CONTENTS_LATER = "% sphinx-proceedings: the contents follow the front matter\n"

#: The book's two extra indexes (names for imakeidx, see latex_output.IMAKEIDX).
AUTHOR_INDEX, TOPIC_INDEX = "authors", "topics"
SPLIT_INDEXES = {
    "makeindex": ("\\makeindex\n"
                  f"\\makeindex[name={AUTHOR_INDEX},title=Author index]\n"
                  f"\\makeindex[name={TOPIC_INDEX},title=Topic index]\n"),
    "printindex": f"\\printindex[{AUTHOR_INDEX}]\n\\printindex[{TOPIC_INDEX}]\n\\printindex\n",
}


def book_docname(config: Config) -> str:
    return f"{proceedings_config(config).prefix}/{BOOK_NAME}"


def group_by(config: Config) -> str:
    return proceedings_config(config).book_group_by


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
    """Docnames printed before the contents: configured, or homepage + schedule,
    organizers and committee pages."""
    given = proceedings_config(config).book_front_matter
    if given is not None:
        return [str(name).strip().strip("/").removesuffix(".md").removesuffix(".rst")
                for name in given if str(name).strip()]
    suffixes = list(config.source_suffix or {".rst": "restructuredtext"})
    found = [config.root_doc]
    for name in FRONT_MATTER_CANDIDATES:
        if any((srcdir / f"{name}{suffix}").is_file() for suffix in suffixes):
            found.append(name)
    return found


def book_page(config: Config, proc: Proceedings, srcdir: Path, marker: str,
              template_dirs: tuple[Path, ...] = ()) -> str:
    """The generated LaTeX root (``book.md.jinja``): a toctree of the front matter, then every paper.

    Written only for the LaTeX builder (`build.generate`), so the web site
    never sees it; ``orphan`` keeps Sphinx from asking for it in a toctree.
    """
    prefix = proceedings_config(config).prefix
    entries = [f"/{name}" for name in front_matter(config, srcdir)]
    for _key, _title, papers in book_groups(proc, group_by(config)):
        entries += [f"/{prefix}/papers/{p.docname}" for p in papers]
    text = template_environment(template_dirs).get_template("book.md.jinja").render(
        marker=marker, project=config.project, entries=list(dict.fromkeys(entries)))
    return text.rstrip() + "\n"


def book_files(app: Sphinx, proc: Proceedings, marker: str) -> dict[str, str]:
    """The book page by path in the output folder, when this build makes the book."""
    config = app.config
    documents = config.latex_documents or []
    if app.builder.name != "latex" or not documents or documents[0][0] != book_docname(config):
        return {}
    template_dirs = tuple(Path(app.confdir) / d for d in config.templates_path)
    return {f"{BOOK_NAME}.md": book_page(config, proc, Path(app.srcdir), marker, template_dirs)}


def _index_text(text: str) -> str:
    r"""Text for ``\index{...}``: TeX-escaped, with xindy's special characters quoted."""
    value = tex_text(text).replace(r"\{", r"\sphinxleftcurlybrace{}")
    value = value.replace(r"\}", r"\sphinxrightcurlybrace{}")
    for char in '"@!':
        value = value.replace(char, '"' + char)
    return value.replace("|", r"\textbar{}")


def _index_entry(*levels: str, index: str = "", sort: tuple[str, ...] = ()) -> str:
    r"""``\index`` with an ASCII sort key per level, so Ł sorts with L and 王 as Wang.

    ``index`` names one of imakeidx's indexes; empty means the general one.
    ``sort`` gives the sort keys (default: each level's own text).  Entries
    are set in the body font (Sphinx's ``\spxentry`` would make them typewriter).
    """
    keys = sort or levels
    parts = [f"{_index_text(unidecode(key).strip() or key)}@{_index_text(lv)}"
             for key, lv in zip(keys, levels, strict=True)]
    return "\\index" + (f"[{index}]" if index else "") + "{" + "!".join(parts) + "}"


def index_name(person: Person) -> str:
    """A name as the index prints it, particles first as BibTeX writes it: ``de Aguas, Johan``."""
    family = " ".join(p for p in (person.von, person.family) if p) or person.name
    last = f"{family}, {person.suffix}" if person.suffix else family
    return f"{last}, {person.given}" if person.given else last


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
        # Sorted as the site's author list (family name, then given name), so
        # "de Aguas, Johan" is found under A.
        sort = f"{person.family or person.name}, {person.given} {person.von}".strip(", ")
        out.append(_index_entry(index_name(person), index=AUTHOR_INDEX if split else "",
                                sort=(sort,)))
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
        raw = nodes.raw("", rf"\texorpdfstring{{\protect\({tex}\protect\)}}{{{tex_text(text)}}}",
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
    prefix = proceedings_config(config).prefix
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return set(parts)
    for part in parts.values():
        part.parent.remove(part)
    for child in list(top.children):
        if not isinstance(child, nodes.title):
            top.remove(child)
    kept = {book_docname(config)}
    # Front matter pages are listed in the contents, not their sub-headings
    # (proceedingsbook.cls; \proceedingstableofcontents lists papers again).
    top.append(nodes.raw("", "\\proceedingsfrontmatter\n", format="latex"))
    for name in front_matter(config, Path(app.srcdir)):
        if name in parts and name not in kept:
            top.append(parts[name])
            kept.add(name)
            if name == config.root_doc:
                welcome_title(parts[name], config.project)
    if config.latex_elements.get("tableofcontents") == CONTENTS_LATER:
        top.append(nodes.raw("", "\\proceedingstableofcontents\n", format="latex"))
    for key, heading, papers in book_groups(proc, group_by(config)):
        names = [f"{prefix}/papers/{p.docname}" for p in papers]
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
    proc = build_state(app.env).model
    prefix = proceedings_config(app.config).prefix
    papers = {f"{prefix}/papers/{p.docname}": p for p in proc.papers}
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

    for name, part in parts.items():
        if name in kept and name not in papers and name != docname:
            for_print(part)
    for name, paper in papers.items():
        part = parts.get(name) if name in kept else None
        section = next(iter(part.findall(nodes.section)), None) if part else None
        if section is None:
            continue
        for sub in list(section.findall(nodes.section)):
            if WEB_ONLY_SECTIONS & set(sub["ids"]) and sub.parent is not None:
                sub.parent.remove(sub)
        title = next(iter(section.findall(nodes.title)), None)
        bookmark = bookmark_text(title) if title is not None else paper.plain_title
        if title is not None:
            _title_math(title)
        paper_for_print(section, paper, proc, index_entries(paper, proc, split), bookmark)
