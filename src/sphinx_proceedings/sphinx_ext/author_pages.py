"""Author pages written from the model at write time, never read as documents.

An author page (``<prefix>/authors/<slug>``, about 70 % of a site's pages) is
a heading, a count, paper cards and co-author links: nothing Sphinx needs to
parse.  So no MyST file is generated for it; instead (issue 15):

* the author objects and their ``author-<slug>`` labels are registered from
  the model once documents are read (`register_authors`), so ``{author}``,
  ``:ref:`` and objects.inv keep the same addresses;
* at ``html-collect-pages`` each page goes through the theme's ``page.html``
  with the body from ``author.html.jinja`` (render/author_page.py), the same
  cards as every list (cards.py), breadcrumbs, prev/next in the order the
  authors index lists them, and a small doctree of what the page says, so
  sphinxext-opengraph describes it as before (`write_author_pages`);
* a page is written only when its digest changed (kept in the store): a no-op
  or an abstract edit writes none, a title edit the pages of that paper's
  authors, a template, theme or setting change all; pages of authors who are
  gone are deleted.

Sphinx's search never indexed them (they were ``nosearch``) and Pagefind skips
them (search.py), as before.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.locale import _ as translated
from sphinx.util import logging
from sphinx.util.docutils import new_document
from sphinx.util.parallel import ParallelTasks, parallel_available

from sphinx_proceedings import __version__
from sphinx_proceedings.core.model import Author, Paper, Proceedings
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.render.author_page import CardItem, author_body, author_toc
from sphinx_proceedings.render.card import Link, card_environment, filter_data
from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext._workarounds import add_std_label, drop_std_label, note_page_parents
from sphinx_proceedings.sphinx_ext.cards import card_html, card_of
from sphinx_proceedings.sphinx_ext.citations import HTML_BUILDERS
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.directives import topic_closure
from sphinx_proceedings.sphinx_ext.domain import ProceedingsDomain, label_for, signature
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)
#: Domain data: the labels `register_authors` made, to forget those of authors gone.
LABELS = "author-labels"
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def author_page(prefix: str, slug: str) -> str:
    return f"{prefix}/authors/{slug}"


def settings_digest(config: Config) -> str:
    """The settings a page is written with, taken before pages are written: the theme
    fills in some of its options as it writes, which would make the digest vary."""
    values = sorted((item.name, _stable(item.value)) for item in config
                    if item.rebuild in {"html", "env"})
    return hashlib.sha256(repr(values).encode()).hexdigest()


def register_authors(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: every author of the model is an object and a label on their page
    (and the settings' digest is taken, see `settings_digest`)."""
    build_state(env).settings_digest = settings_digest(env.config)
    domain = ProceedingsDomain.of(env)
    proc = build_state(env).model
    prefix = proceedings_config(env.config).prefix
    wanted = {slug: author_page(prefix, slug) for slug in proc.authors}
    for (objtype, name), (docname, _, _) in list(domain.objects.items()):
        if objtype == "author" and docname not in env.all_docs and name not in wanted:
            del domain.objects[(objtype, name)]
    made: dict[str, str] = domain.data.setdefault(LABELS, {})
    for label, docname in list(made.items()):
        if label.removeprefix("author-") not in wanted:
            drop_std_label(env, label, docname)
            del made[label]
    for slug, docname in wanted.items():
        found = signature(proc, "author", slug)
        assert found is not None
        domain.note_object("author", slug, docname, *found)
        label = label_for("author", slug)
        other = add_std_label(env, label, docname, found[0])
        if other is not None:
            logger.warning(f"label {label!r} is already defined in {other}; the author page "
                           "keeps its {author} role but not this label",
                           type="proceedings", subtype="label")
        else:
            made[label] = docname
    return []


@dataclass
class _Chain:
    """Where the author pages sit among the documents, as if the authors index's
    toctree named them (it did until issue 15): parents, and the pages around them."""

    index: str
    pages: list[str]
    parents: list[dict[str, str]] = field(default_factory=list)  # as seen from a page in the folder
    after: str | None = None  # the document after the last author page

    def page_of(self, slug: str) -> str:
        return f"{self.index.removesuffix('index')}{slug}"


def _title(app: Sphinx, docname: str) -> str:
    return app.builder.render_partial(app.env.titles[docname])["title"]  # type: ignore[attr-defined]


def _chain(app: Sphinx, proc: Proceedings) -> _Chain | None:
    prefix = proceedings_config(app.config).prefix
    index = f"{prefix}/authors/index"
    if not proc.authors or index not in app.env.all_docs:
        return None
    relations = app.env.collect_relations()
    chain = _Chain(index, [author_page(prefix, slug) for slug in proc.authors])
    related = relations.get(index)
    chain.after = related[2] if related else None
    ancestors = [index]
    while related and related[0]:
        ancestors.append(related[0])
        related = relations.get(related[0])
    ancestors = ancestors[:-1] if len(ancestors) > 1 else ancestors  # no link to the root page
    first = chain.pages[0]
    chain.parents = [{"link": app.builder.get_relative_uri(first, name), "title": _title(app, name)}
                     for name in reversed(ancestors)]
    return chain


def _neighbour(app: Sphinx, here: str, there: str, title: str) -> dict[str, str]:
    return {"link": app.builder.get_relative_uri(here, there), "title": title}


def link_author_chain(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                      doctree: object) -> None:
    """``html-page-context``: the authors index leads to the first author page, and the
    page after the last one back to it, as when they were documents."""
    if app.builder.name not in HTML_BUILDERS or not isinstance(doctree, nodes.document):
        return
    chain = author_chain(app)
    if chain is None:
        return
    proc = build_state(app.env).model
    if pagename == chain.index:
        first = next(iter(proc.authors.values()))
        context["next"] = _neighbour(app, pagename, chain.pages[0], html.escape(first.name))
        _relink(context, "N", chain.pages[0], context["next"]["title"], translated("next"))
    elif pagename == chain.after:
        last = next(reversed(proc.authors.values()))
        context["prev"] = _neighbour(app, pagename, chain.pages[-1], html.escape(last.name))
        _relink(context, "P", chain.pages[-1], context["prev"]["title"], translated("previous"))


def _relink(context: dict[str, Any], key: str, docname: str, title: str, text: str) -> None:
    links = [link for link in context.get("rellinks", []) if link[2] != key]
    context["rellinks"] = [*links, (docname, title, key, text)]


def _context_digest(app: Sphinx, chain: _Chain) -> str:
    """What every author page is made with besides its own content: versions, settings,
    templates (ours, the site's, the theme's), the menus and the breadcrumbs."""
    config, env = app.config, app.env
    templates = getattr(app.builder, "templates", None)
    newest = templates.newest_template_mtime() if hasattr(templates, "newest_template_mtime") else 0
    menu = [(name, env.titles[name].astext() if name in env.titles else "")
            for name in env.toctree_includes.get(config.root_doc, [])]
    parts = [__version__, sphinx.__version__, app.builder.name, build_state(env).settings_digest,
             repr(newest),
             build_state(env).templates_digest, repr(menu), repr(chain.parents),
             repr(chain.after and (chain.after, _title(app, chain.after)))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stable(value: object) -> str:
    """A setting's value as text that is the same in every run (sets sorted, no addresses)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_stable(k)}: {_stable(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(v) for v in value) + "]"
    return _ADDRESS.sub("", repr(value))


def _description_tree(pagename: str, author: Author, papers: list, coauthors: list[Author],
                      count: str) -> nodes.document:
    """What the page says, as a doctree: Open Graph's description is read from it."""
    document = new_document(pagename)
    section = nodes.section("", nodes.title("", author.name), nodes.paragraph("", count))
    cards = nodes.bullet_list()
    for paper in papers:
        names = ", ".join(person.name for person in paper.authors)
        cards += nodes.list_item("", nodes.paragraph(
            "", "", nodes.Text(paper.plain_title), nodes.raw("", "<br />", format="html"),
            nodes.Text(names)))
    section += cards
    if coauthors:
        line = nodes.paragraph()
        for i, other in enumerate(coauthors):
            line += nodes.Text(other.name) if i == 0 else [nodes.Text(", "), nodes.Text(other.name)]
        section += nodes.section("", nodes.title("", "Co-authors"), line)
    document += section
    return document


def write_author_pages(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write the author pages whose content changed; remove gone ones."""
    if app.builder.name not in HTML_BUILDERS:
        return []
    state = build_state(app.env)
    proc = state.model
    builder: Any = app.builder
    kept = store.load_page_digests(app)
    chain = author_chain(app)
    context = _context_digest(app, chain) if chain else ""
    if chain is not None:
        note_page_parents(dict.fromkeys(chain.pages, chain.index))
    digests: dict[str, str] = {}
    written = 0
    unchanged_model = (state.lists_unchanged and kept is not None and kept.context == context
                       and set(kept.pages) == set(chain.pages if chain else ()))
    if chain is not None and unchanged_model and all(
            os.path.isfile(builder.get_outfilename(page)) for page in chain.pages):
        assert kept is not None
        digests = dict(kept.pages)  # nothing an author page shows changed
    elif chain is not None:
        written = _write_pages(app, proc, chain, context, kept, digests)
    removed = [page for page in (kept.pages if kept else {}) if page not in digests]
    for page in removed:
        Path(builder.get_outfilename(page)).unlink(missing_ok=True)
    state.author_digests = (context, digests)
    if written or removed:
        logger.info(f"[proceedings] author pages: {written} written, "
                    f"{len(digests) - written} unchanged, {len(removed)} removed")
    return []


def _write_pages(app: Sphinx, proc: Proceedings, chain: _Chain, context: str,
                 kept: store.PageDigests | None, digests: dict[str, str]) -> int:
    state = build_state(app.env)
    builder: Any = app.builder
    templates = state.card_templates or card_environment(())
    before = kept.pages if kept is not None and kept.context == context else {}
    jobs: list[tuple[str, dict[str, Any], nodes.document]] = []
    authors = list(proc.authors.values())
    shown: dict[str, str] = {}  # paper key -> digest of its card and filter data here

    def paper_digest(paper: Paper, page: str) -> str:
        # Every author page is in one folder: a paper's card is the same on each.
        if paper.key not in shown:
            data = (card_of(builder, paper, page),
                    filter_data(paper, proc, topic_closure(proc, paper.topics)))
            shown[paper.key] = hashlib.sha256(repr(data).encode()).hexdigest()
        return shown[paper.key]

    for i, author in enumerate(authors):
        page = chain.pages[i]
        papers = proc.select(author=author.slug)
        coauthors = proc.coauthors(author.slug)
        links = [Link(other.name, builder.get_relative_uri(page, chain.page_of(other.slug)))
                 for other in coauthors]
        previous = (_neighbour(app, page, chain.index, _title(app, chain.index)) if i == 0 else
                    _neighbour(app, page, chain.pages[i - 1], html.escape(authors[i - 1].name)))
        following = (_neighbour(app, page, chain.pages[i + 1], html.escape(authors[i + 1].name))
                     if i + 1 < len(authors) else
                     _neighbour(app, page, chain.after, _title(app, chain.after))
                     if chain.after else None)
        # What the page is made from (the site's templates and settings are in
        # ``context``): a page is rendered only when this changed, not to find out.
        made_from = (author, [paper_digest(paper, page) for paper in papers], links,
                     previous, following)
        digest = hashlib.sha256(repr(made_from).encode()).hexdigest()
        digests[page] = digest
        if before.get(page) == digest and Path(builder.get_outfilename(page)).is_file():
            continue
        cards = [CardItem(card_html(builder, paper, page),
                          filter_data(paper, proc, topic_closure(proc, paper.topics)))
                 for paper in papers]
        body = author_body(templates, author, cards, links)
        count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''} in these proceedings."
        rellinks = list(builder.globalcontext.get("rellinks", []))
        if following:
            rellinks.append((chain.pages[i + 1] if i + 1 < len(authors) else chain.after,
                             following["title"], "N", translated("next")))
        rellinks.append((chain.pages[i - 1] if i else chain.index, previous["title"], "P",
                         translated("previous")))
        page_context = {
            "title": html.escape(author.name), "body": body, "metatags": "", "meta": {},
            "toc": author_toc(templates, author, bool(coauthors)), "display_toc": bool(coauthors),
            "parents": chain.parents, "prev": previous, "next": following, "rellinks": rellinks,
            "sourcename": "", "page_source_suffix": "",
        }
        jobs.append((page, page_context, _description_tree(page, author, papers, coauthors, count)))
    _handle_pages(app, jobs)
    return len(jobs)


def _handle_chunk(builder: Any, chunk: list[tuple[str, dict[str, Any], nodes.document]]) -> None:
    for page, page_context, tree in chunk:
        builder.handle_page(page, page_context, "page.html", event_arg=tree)


def _handle_pages(app: Sphinx, jobs: list[tuple[str, dict[str, Any], nodes.document]]) -> None:
    """Each page through the theme's template, in forked processes with ``-j``.

    Rendering the theme's frame is what an author page costs (about 7 CPU ms, the
    body well under one): at 1,000 papers 18 CPU s that would otherwise run in
    the main process alone (benchmarks/README.md, issue 15).
    """
    nproc = app.parallel
    if nproc > 1 and parallel_available and len(jobs) >= 4 * nproc:
        tasks = ParallelTasks(nproc)
        size = -(-len(jobs) // (4 * nproc))  # few large chunks: each costs a fork
        for chunk in (jobs[i:i + size] for i in range(0, len(jobs), size)):
            tasks.add_task(partial(_handle_chunk, app.builder), chunk)
        tasks.join()
    else:
        _handle_chunk(app.builder, jobs)


def save_digests(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: keep the pages' digests for the next build (if it succeeded)."""
    state = build_state(app.env)
    found, state.author_digests = state.author_digests, None
    state.author_chain = None
    if exception is None and found is not None:
        store.save_page_digests(app, *found)


def author_chain(app: Sphinx) -> _Chain | None:
    """Where the author pages sit, worked out once per build and process while pages
    are written (documents are all read by then; parallel writers work it out again)."""
    state = build_state(app.env)
    if state.author_chain is None:
        state.author_chain = (_chain(app, state.model),)
    return state.author_chain[0]


def warn_old_template(app: Sphinx) -> None:
    """``builder-inited``: a site's copy of ``author.md.jinja`` is no longer read; say so
    rather than let its edits vanish without a word."""
    for folder in app.config.templates_path:
        old = Path(app.confdir, folder, "proceedings", "author.md.jinja")
        if old.is_file():
            logger.warning(f"{old}: author pages are no longer MyST; this template is not "
                           "used; move its changes to a copy of author.html.jinja.",
                           type="proceedings",
                           subtype=ProblemKind.OLD_TEMPLATE.value)


def setup_author_pages(app: Sphinx) -> None:
    app.connect("builder-inited", warn_old_template)
    app.connect("env-updated", register_authors)
    app.connect("html-page-context", link_author_chain)
    app.connect("html-collect-pages", write_author_pages)
    app.connect("build-finished", save_digests)
