"""Downloadable citations: BibTeX, RIS and CSL-JSON per paper and per volume.

Reference managers import these files, so each comes from the data model
through a maintained writer: bibtexparser (via `export.bibtex_entry`, the
same entry the Cite block shows), rispy for RIS, and ``json`` over the
fields of the CSL-JSON schema.  The files are written into the HTML output
when the build finishes, each only when its bytes changed, at predictable
addresses beside the pages (``proceedings/papers/<key>.bib``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import rispy
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from sphinx_proceedings.core.memo import remembered
from sphinx_proceedings.core.model import Paper, Person, Proceedings, docname_for
from sphinx_proceedings.pdf.volume import page_range
from sphinx_proceedings.render.export import bibtex_entry
from sphinx_proceedings.sphinx_ext import store
from sphinx_proceedings.sphinx_ext._workarounds import download_name
from sphinx_proceedings.sphinx_ext.config import base_url, proceedings_config, publishes_papers
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)

#: (suffix, label) of the per-paper files, in the order the Cite block lists them.
FORMATS: tuple[tuple[str, str], ...] = (("bib", "BibTeX"), ("ris", "RIS"), ("csl.json", "CSL-JSON"))
VOLUME_NAME = "all-papers"
#: Where earlier releases kept their notes, in the output: removed when seen.
LEGACY_NOTES = (".citation-files", ".citation-files-inputs")
HTML_BUILDERS = frozenset({"html", "dirhtml"})
_SPACES = re.compile(r"\s+")


def _text(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def csl_name(person: Person) -> dict[str, str]:
    """A CSL name object; a name without given part is kept whole (``literal``)."""
    if not person.given:
        return {"literal": person.name}
    name = {"family": person.family, "given": person.given}
    if person.von:
        name["non-dropping-particle"] = person.von
    if person.suffix:
        name["suffix"] = person.suffix
    return name


def csl_item(paper: Paper, url: str = "", pdf_url: str = "") -> dict[str, object]:
    """The paper as one CSL-JSON item (``paper-conference``)."""
    item: dict[str, object] = {
        "id": paper.key,
        "type": "paper-conference",
        "title": paper.plain_title,
        "author": [csl_name(p) for p in paper.authors],
    }
    if paper.booktitle:
        item["container-title"] = _text(paper.booktitle)
    if paper.year.isdigit():
        item["issued"] = {"date-parts": [[int(paper.year)]]}
    if url or paper.url:
        item["URL"] = url or paper.url
    if paper.abstract:
        item["abstract"] = paper.plain_abstract
    span = page_range(paper)
    if span:
        item["page"] = span[0] if span[0] == span[1] else f"{span[0]}-{span[1]}"
    if paper.keywords:
        item["keyword"] = ", ".join(paper.keywords)
    doi = dict(paper.extra).get("doi")
    if doi:
        item["DOI"] = _text(doi)
    return item


def ris_record(paper: Paper, url: str = "", pdf_url: str = "") -> dict[str, object]:
    """The paper as one RIS record (``CPAPER``) for rispy."""
    record: dict[str, object] = {
        "type_of_reference": "CPAPER",
        "id": paper.key,
        "title": paper.plain_title,
        "authors": [p.bibtex.replace("{", "").replace("}", "") for p in paper.authors],
    }
    if paper.year:
        record["year"] = paper.year
    if paper.booktitle:
        record["secondary_title"] = _text(paper.booktitle)
    urls = [u for u in dict.fromkeys((url, paper.url)) if u]
    if urls:
        record["urls"] = urls
    if pdf_url:
        record["file_attachments1"] = pdf_url
    if paper.abstract:
        record["abstract"] = paper.plain_abstract
    span = page_range(paper)
    if span:
        record["start_page"], record["end_page"] = span
    if paper.keywords:
        record["keywords"] = list(paper.keywords)
    doi = dict(paper.extra).get("doi")
    if doi:
        record["doi"] = _text(doi)
    return record


def csl_json(items: list[dict[str, object]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its numbered header line (``1.``), which is not RIS."""

    def set_header(self, count: int) -> str:
        return ""


def ris_text(records: list[dict[str, object]]) -> str:
    return rispy.dumps(records, implementation=_RisWriter)


def paper_docname(prefix: str, paper: Paper) -> str:
    return f"{prefix}/papers/{paper.docname}"


@remembered
def _one_paper(paper: Paper, url: str, pdf: str) -> tuple[str, dict, dict, tuple[str, str, str]]:
    """One paper's entry, CSL item, RIS record and their three files (kept between builds)."""
    entry = bibtex_entry(paper, url)
    item, record = csl_item(paper, url, pdf), ris_record(paper, url, pdf)
    return entry, item, record, (entry + "\n", ris_text([record]), csl_json([item]))


def citation_files(proc: Proceedings, prefix: str, page_url: Callable[[str], str],
                   pdf_url: Callable[[Paper], str] = lambda paper: paper.pdf) -> dict[str, str]:
    """Every citation file's text, by path relative to the HTML output folder.

    ``page_url(docname)`` is the public address of a page ("" when unknown);
    the citations then point at the paper's forum page instead.
    """
    files: dict[str, str] = {}
    entries, items, records = [], [], []
    for paper in proc.papers:
        docname = paper_docname(prefix, paper)
        entry, item, record, texts = _one_paper(paper, page_url(docname), pdf_url(paper))
        for suffix, text in zip((".bib", ".ris", ".csl.json"), texts, strict=True):
            files[docname + suffix] = text
        entries.append(entry)
        items.append(item)
        records.append(record)
    volume = f"{prefix}/{VOLUME_NAME}"
    files[f"{volume}.bib"] = "\n\n".join(entries) + "\n" if entries else ""
    files[f"{volume}.ris"] = ris_text(records) if records else ""
    files[f"{volume}.csl.json"] = csl_json(items)
    return files


def write_changed(outdir: Path, files: dict[str, str], before: set[str]) -> list[str]:
    """Write the files whose bytes differ; remove those of ``before`` (the files
    written last time) that are gone now."""
    written = []
    for relpath, text in sorted(files.items()):
        path = outdir / relpath
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(relpath)
    for stale in sorted(before - set(files)):
        if stale and ".." not in stale:
            (outdir / stale).unlink(missing_ok=True)
    return written


def public_url(app: Sphinx, docname: str) -> str:
    """A page's public address, or "" when no base URL is configured."""
    base = base_url(app.config)
    return base + app.builder.get_target_uri(docname) if base else ""


def local_pdf_url(app: Sphinx, paper: Paper, doctree: nodes.document | None = None) -> str:
    """Public address of a PDF: the local file's download copy, else the ``pdf`` field.

    ``doctree`` is the paper page's, when the caller has it at hand.
    """
    attachment = paper.attachment("pdf")
    if attachment is None:
        return paper.pdf
    base = base_url(app.config)
    if not base:
        return ""
    docname = paper_docname(proceedings_config(app.config).prefix, paper)
    found = download_name(app.env, docname, attachment.path, doctree)
    return f"{base}_downloads/{found}" if found else ""


def _stamp_matches(app: Sphinx, inputs: str, outdir: Path) -> bool:
    """True when the files were written from these very inputs and are all there."""
    if store.citation_inputs(app) != f"{inputs} {outdir}":
        return False
    listed = (store.output_note(app, store.CITATION_FILES) or "").splitlines()
    return bool(listed) and all((outdir / name).is_file() for name in listed if name)


def write_citation_files(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the citation files of the HTML output."""
    if exception is not None or app.builder.name not in HTML_BUILDERS or not publishes_papers(app):
        return
    state = build_state(app.env)
    outdir = Path(app.outdir)
    inputs = state.fingerprint
    if inputs and _stamp_matches(app, inputs, outdir):
        logger.info("[proceedings] citation files: inputs unchanged")
        return
    prefix = proceedings_config(app.config).prefix
    files = citation_files(state.model, prefix, lambda d: public_url(app, d),
                           lambda p: local_pdf_url(app, p))
    before = set((store.output_note(app, store.CITATION_FILES) or "").splitlines())
    written = write_changed(outdir, files, before)
    if before != set(files):
        store.note_output(app, store.CITATION_FILES, "\n".join(sorted(files)))
    if inputs:
        store.note_citation_inputs(app, f"{inputs} {outdir}")
    for legacy in LEGACY_NOTES:
        (outdir / legacy).unlink(missing_ok=True)
    logger.info(f"[proceedings] citation files: {len(written)} written, "
                f"{len(files) - len(written)} unchanged")


class citation_links(nodes.paragraph):  # noqa: N801 - docutils node naming
    """Links to the citation files; resolved per builder, dropped outside HTML."""


def citation_links_node(key: str | None) -> citation_links:
    """The Download line of a Cite block (``key``) or of the papers page (``None``)."""
    node = citation_links("", classes=["proceedings-citation-files"])
    node["paper_key"] = key or ""
    return node


def resolve_citation_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: point the links at the files, relative to this page."""
    prefix = proceedings_config(app.config).prefix
    for node in list(doctree.findall(citation_links)):
        if app.builder.name not in HTML_BUILDERS:
            node.parent.remove(node)
            continue
        key = node["paper_key"]
        stem = f"{prefix}/papers/{docname_for(key)}" if key else f"{prefix}/{VOLUME_NAME}"
        here = app.builder.get_target_uri(docname)
        para = nodes.paragraph("", classes=node["classes"])
        para += nodes.strong("", "Download: " if key else "Download all citations: ")
        for i, (suffix, label) in enumerate(FORMATS):
            if i:
                para += nodes.Text(" · ")
            para += nodes.reference("", label, refuri=relative_uri(here, f"{stem}.{suffix}"),
                                    classes=["proceedings-citation-file"])
        node.replace_self(para)


def setup_citations(app: Sphinx) -> None:
    app.add_node(citation_links)
    app.connect("doctree-resolved", resolve_citation_links)
    app.connect("build-finished", write_citation_files)
