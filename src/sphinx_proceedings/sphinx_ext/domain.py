"""The ``proceedings`` Sphinx domain: papers, topics and authors as objects.

Generated pages declare their object (``{proceedings:paper} KEY``); roles
``{paper}``, ``{topic}`` and ``{author}`` link to them with the current
title as link text (resolved at write time, so a title edit re-renders
referring pages without re-reading them).  Objects reach ``objects.inv`` for
intersphinx, and the topic and author indexes are `Domain.indices`, so they
also reach the LaTeX output.  Each object is also a standard label
(`label_for`: ``paper-KEY``, ``topic-SLUG``, ``author-SLUG``), so a project
without this extension can link to it with ``:ref:`` through intersphinx.

What documents declare and link lives in the domain data (per document,
merged after parallel reads); the current build's `Proceedings` is in the
build state (state.py), never pickled with the environment.  The domain's
HTML and LaTeX index pages are empty, so Sphinx writes none, unless asked for
(`_PaperIndex.wanted`): the generated author and topic pages are the indexes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from sphinx_proceedings.core.model import Proceedings
from sphinx_proceedings.core.text import slug_for
from sphinx_proceedings.sphinx_ext._workarounds import add_std_label
from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.state import build_state

OBJECT_TYPES = ("paper", "topic", "author")
IndexContent = tuple[list[tuple[str, list[IndexEntry]]], bool]
logger = logging.getLogger(__name__)


def signature(proc: Proceedings, objtype: str, name: str) -> tuple[str, str] | None:
    """``(display name, change signature)`` of an object in the current data."""
    if objtype == "paper" and name in proc.by_key:
        paper = proc.by_key[name]
        return paper.plain_title, repr(paper.display_signature)
    if objtype == "topic" and name in proc.topic_by_slug:
        title = proc.topic_by_slug[name].title
        return title, title
    if objtype == "author" and name in proc.authors:
        author = proc.authors[name]
        return author.name, author.name
    return None


def label_for(objtype: str, name: str) -> str:
    """The standard label of an object: ``paper-KEY``, ``topic-SLUG``, ``author-SLUG``.

    Keys and slugs are lowercase ASCII words and hyphens, so the label is what
    Sphinx's own label normalisation would make of it.
    """
    return f"{objtype}-{name}".lower()


def declare(env: BuildEnvironment, objtype: str, name: str, docname: str,
            where: nodes.Node | str | None = None) -> bool:
    """Make ``docname`` the page of object ``name`` (False: no such object).

    Besides the domain object, the page gets a standard label that points at
    the page itself (no anchor) with the object's plain-text name as its title,
    unless another page of the site has that label (a warning at ``where``).
    """
    domain = ProceedingsDomain.of(env)
    found = signature(domain.model, objtype, name)
    if found is None:
        return False
    domain.note_object(objtype, name, docname, *found)
    label = label_for(objtype, name)
    other = add_std_label(env, label, docname, found[0])
    if other is not None:
        logger.warning(
            f"label {label!r} is already defined in {other}; the generated page "
            f"keeps its {{{objtype}}} role but not this label",
            location=where, type="proceedings", subtype="label")
    return True


class ObjectDeclaration(SphinxDirective):
    """``{proceedings:paper} KEY``: this page is the paper (topic, author) KEY (`declare`)."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        objtype = self.name.partition(":")[2] or self.name
        name = self.arguments[0].strip()
        if not declare(self.env, objtype, name, self.env.current_document.docname,
                       self.get_location()):
            self.state.document.reporter.warning(f"unknown {objtype} {name!r}", line=self.lineno)
        return []


class ProceedingsXRefRole(XRefRole):
    """An xref role that needs no domain prefix: ``{paper}`key```."""

    innernodeclass = nodes.inline

    def __init__(self, objtype: str) -> None:
        super().__init__(warn_dangling=True)
        self.objtype = objtype

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.name = f"proceedings:{self.objtype}"
        return super().run()

    def process_link(self, env, refnode, has_explicit_title, title, target):  # type: ignore[override]
        target = target.strip()
        if self.objtype == "author":
            target = slug_for(target)
        return title, target


class _PaperIndex(Index):
    """An A-to-Z index whose entries (topics, authors) each list their papers."""

    objtype = ""

    def groups(self, proc: Proceedings) -> Iterator[tuple[str, str, str, list[str]]]:
        """``(letter, display, object name, paper keys)`` per entry, in order."""
        raise NotImplementedError

    def wanted(self) -> bool:
        """Whether this index gets a page: ``proceedings_domain_indices``, or named
        in ``html_domain_indices`` / ``latex_domain_indices``.

        Sphinx writes a domain index page only when it has content, and renders
        it again on every build, even a no-op one (seconds at 10,000 authors); the
        generated ``authors/index`` and ``topics/index`` pages list the same.
        """
        config = self.domain.env.config
        if proceedings_config(config).domain_indices:
            return True
        name = f"{self.domain.name}-{self.name}"
        return any(not isinstance(chosen, bool) and name in chosen
                   for chosen in (config.html_domain_indices, config.latex_domain_indices))

    def generate(self, docnames: Iterable[str] | None = None) -> IndexContent:
        if not self.wanted():
            return [], True
        domain = cast(ProceedingsDomain, self.domain)
        proc, objects = domain.model, domain.objects
        content: dict[str, list[IndexEntry]] = {}
        for letter, display, name, keys in self.groups(proc):
            where = objects.get((self.objtype, name))
            if where is None:
                continue
            entries = content.setdefault(letter, [])
            entries.append(IndexEntry(display, 1, where[0], "", "", "", ""))
            for key in keys:
                target = objects.get(("paper", key))
                if target:
                    title = proc.by_key[key].plain_title
                    entries.append(IndexEntry(title, 2, target[0], "", "", "", ""))
        return sorted(content.items()), True


class TopicIndex(_PaperIndex):
    name = "topicindex"
    localname = "Topic index"
    shortname = "topics"
    objtype = "topic"

    def groups(self, proc: Proceedings) -> Iterator[tuple[str, str, str, list[str]]]:
        for topic in sorted(proc.topics, key=lambda t: t.title.casefold()):
            keys = [p.key for p in proc.papers_for_topic(topic.slug)]
            yield topic.title[:1].upper(), topic.title, topic.slug, keys


class AuthorIndex(_PaperIndex):
    name = "authorindex"
    localname = "Author index"
    shortname = "authors"
    objtype = "author"

    def groups(self, proc: Proceedings) -> Iterator[tuple[str, str, str, list[str]]]:
        for slug, author in proc.authors.items():
            person = author.person
            family = person.family or author.name
            display = f"{family}, {person.given}" if person.given else family
            yield (person.sort_key[0][:1] or "#").upper(), display, slug, list(author.papers)


class ProceedingsDomain(Domain):
    """Papers, topics and authors of the proceedings."""

    name = "proceedings"
    label = "Proceedings"
    object_types = {t: ObjType(t, t) for t in OBJECT_TYPES}
    directives = {t: ObjectDeclaration for t in OBJECT_TYPES}
    roles = {t: ProceedingsXRefRole(t) for t in OBJECT_TYPES}
    indices = [TopicIndex, AuthorIndex]
    initial_data: dict[str, Any] = {
        "objects": {},  # (objtype, name) -> (docname, display name, signature)
        "refs": {},  # docname -> sorted [(objtype, name)] it links to
        "lists": {},  # docname -> [(query, which papers, what cards show)] (directives.py)
        "schedules": {},  # docname -> signature of the schedule it shows (schedule.py)
        "people": {},  # docname -> signature of the people cards it shows (people.py)
        "topic-menus": {},  # docname -> whether its toctree showed the topic index (navigation.py)
    }
    dangling_warnings = {t: f"unknown {t} %(target)r" for t in OBJECT_TYPES}
    data_version = 2  # 2: lists keep two signatures

    @classmethod
    def of(cls, env: BuildEnvironment) -> ProceedingsDomain:
        return cast(ProceedingsDomain, env.get_domain(cls.name))

    @property
    def model(self) -> Proceedings:
        """The current build's papers, topics and authors (read at builder-inited)."""
        return build_state(self.env).model

    @property
    def schedule_pages(self) -> dict[str, str]:
        return self.data.setdefault("schedules", {})  # absent in environments of older releases

    @property
    def people_pages(self) -> dict[str, str]:
        return self.data.setdefault("people", {})

    @property
    def objects(self) -> dict[tuple[str, str], tuple[str, str, str]]:
        return self.data["objects"]

    def note_object(self, objtype: str, name: str, docname: str, display: str,
                    sig: str) -> None:
        self.objects[(objtype, name)] = (docname, display, sig)

    def clear_doc(self, docname: str) -> None:
        for key, value in list(self.objects.items()):
            if value[0] == docname:
                del self.objects[key]
        self.data["refs"].pop(docname, None)
        self.data["lists"].pop(docname, None)
        self.schedule_pages.pop(docname, None)
        self.people_pages.pop(docname, None)
        self.data.setdefault("topic-menus", {}).pop(docname, None)

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        for key, value in otherdata["objects"].items():
            if value[0] in docnames:
                self.objects[key] = value
        for part in ("refs", "lists", "schedules", "people", "topic-menus"):
            for docname, value in otherdata.get(part, {}).items():
                if docname in docnames:
                    self.data.setdefault(part, {})[docname] = value

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        refs = {
            (node["reftype"], node["reftarget"])
            for node in document.findall(pending_xref)
            if node.get("refdomain") == self.name
        }
        if refs:
            self.data["refs"][docname] = sorted(refs)
        else:
            self.data["refs"].pop(docname, None)

    def _link_text(self, objtype: str, target: str) -> nodes.Node:
        found = signature(self.model, objtype, target)
        return nodes.inline("", found[0] if found else target)

    def _lookup(self, objtype: str, target: str) -> tuple[str, str] | None:
        """``(objtype, name)`` for a target, accepting topic aliases and titles."""
        if (objtype, target) in self.objects:
            return objtype, target
        if objtype == "topic":
            wanted = target.casefold()
            for topic in self.model.topics:
                names = {topic.title.casefold(), *(a.casefold() for a in topic.aliases)}
                if wanted in names and ("topic", topic.slug) in self.objects:
                    return "topic", topic.slug
        if objtype == "author" and ("author", slug_for(target)) in self.objects:
            return "author", slug_for(target)
        return None

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                     typ: str, target: str, node: pending_xref, contnode: Element) -> Element | None:
        found = self._lookup(typ, target)
        if found is None:
            return None
        docname, display, _ = self.objects[found]
        if not node.get("refexplicit"):
            contnode = nodes.inline("", "", self._link_text(*found), classes=contnode["classes"])
        return make_refnode(builder, fromdocname, docname, "", contnode, display)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref, contnode: Element) -> list[tuple[str, Element]]:
        results = []
        for objtype in OBJECT_TYPES:
            found = self._lookup(objtype, target)
            if found:
                docname, display, _ = self.objects[found]
                text = contnode if node.get("refexplicit") else self._link_text(*found)
                results.append((f"proceedings:{objtype}",
                                make_refnode(builder, fromdocname, docname, "", text, display)))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (objtype, name), (docname, display, _) in sorted(self.objects.items()):
            yield name, display, objtype, docname, "", 1


def setup_domain(app: Sphinx) -> None:
    app.add_domain(ProceedingsDomain)
    for objtype in OBJECT_TYPES:  # {paper}, {topic}, {author} without the domain prefix
        app.add_role(objtype, ProceedingsXRefRole(objtype))
