"""``proceedings import openreview`` and ``proceedings add``: papers in, safely.

All files of one command are staged and installed together (`files.Transaction`):
a failure part-way leaves ``papers/`` exactly as it was, and nothing existing
is overwritten without ``--force``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import click
from rich.markup import escape
from rich.table import Table

from sphinx_proceedings.cli.common import (
    EXIT_STATUS,
    Main,
    Site,
    err,
    fail,
    out,
    papers_option,
    print_problems,
    site_of,
)
from sphinx_proceedings.core.files import RollbackError, Transaction, UnsafePath
from sphinx_proceedings.core.model import Paper, Proceedings
from sphinx_proceedings.core.names import allocate_keys, base_key, parse_authors
from sphinx_proceedings.core.reader import (
    KEY_PATTERN,
    LINK_FIELDS,
    MAX_AUTHORS,
    field_too_long,
    read_proceedings,
)
from sphinx_proceedings.core.safety import check_url, read_text_file, strip_controls
from sphinx_proceedings.core.text import to_unicode
from sphinx_proceedings.importers import bibwriter
from sphinx_proceedings.importers.openreview import load as openreview

MAX_ABSTRACT_BYTES = 256 * 1024
MAX_PDF_BYTES = 200 * 1024 * 1024


# -- import ---------------------------------------------------------------------------
@click.group("import", cls=Main)
def import_() -> None:
    """Bring accepted papers in from other tools."""


@dataclass
class _Planned:
    key: str
    record: openreview.Record
    files: dict[str, bytes]
    status: str  # "new", "update", "same", "volume"
    changed: list[str] = field(default_factory=list)


def _norm(value: str) -> str:
    return " ".join(value.split())


def _plan_record(site: Site, key: str, record: openreview.Record, existing: Paper | None,
                 booktitle: str) -> _Planned:
    """The files of one record, and how they differ from what is on disk."""
    imported = bibwriter.record_fields(record, booktitle)
    folder = f"{key}"
    abstract = bibwriter.abstract_text(record.abstract) if record.abstract else None
    if existing is None:
        files = {f"{folder}/paper.bib": bibwriter.render_entry(key, list(imported.items()))
                 .encode("utf-8")}
        if abstract is not None:
            files[f"{folder}/abstract.md"] = abstract.encode("utf-8")
        return _Planned(key, record, files, "new")
    if existing.source.path.name != "paper.bib":
        return _Planned(key, record, {}, "volume")

    old = dict(existing.raw_fields)
    merged: dict[str, str] = {}
    for name in bibwriter.IMPORTED_FIELDS:
        if name in ("year", "booktitle") and old.get(name, "").strip():
            merged[name] = old[name]  # the organizer's value wins
        elif name in imported:
            merged[name] = imported[name]
    for name, value in old.items():
        if name not in bibwriter.IMPORTED_FIELDS:
            merged[name] = value
    changed = [name for name in bibwriter.IMPORTED_FIELDS
               if _norm(old.get(name, "")) != _norm(merged.get(name, ""))]
    files = {}
    if changed:
        files[f"{folder}/paper.bib"] = bibwriter.render_entry(
            key, list(merged.items()), existing.entry_type).encode("utf-8")
    if abstract is not None:
        path = site.papers_dir / folder / "abstract.md"
        current = path.read_bytes() if path.is_file() else None
        if current != abstract.encode("utf-8"):
            files[f"{folder}/abstract.md"] = abstract.encode("utf-8")
            changed.append("abstract")
    return _Planned(key, record, files, "update" if files else "same", changed)


def _existing_by_forum(proceedings: Proceedings) -> dict[str, Paper]:
    found: dict[str, Paper] = {}
    for paper in proceedings.papers:
        ident = paper.openreview or openreview.forum_id_from_url(paper.url)
        if ident:
            found.setdefault(ident, paper)
    return found


def _taken_keys(site: Site, proceedings: Proceedings) -> set[str]:
    names = {p.name for p in site.papers_dir.iterdir()} if site.papers_dir.is_dir() else set()
    return names | set(proceedings.by_key)


@import_.command("openreview", epilog=EXIT_STATUS)
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--force", is_flag=True,
              help="Update papers that were imported before and changed in the export.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--year", help="Year for notes whose venue names none (default: conf.py's).")
@click.option("--booktitle", help="booktitle of new papers (default: conf.py's).")
@papers_option
@click.pass_context
def import_openreview(ctx: click.Context, export: Path, force: bool, dry_run: bool,
                      year: str | None, booktitle: str | None, papers: Path | None) -> None:
    """Write papers/<key>/paper.bib and abstract.md for each accepted paper of EXPORT.

    EXPORT is a JSON list of notes (OpenReview API v2, values wrapped as
    {"value": ...}, or API v1) or OpenReview's BibTeX.  Rejected, withdrawn and
    desk-rejected notes are skipped and counted.  A paper keeps its key across
    imports (matched by its OpenReview id); importing the same export again
    changes nothing.  Papers that changed in the export are listed and only
    rewritten with --force.  If writing fails part-way, papers/ is left as it was.
    """
    site = site_of(ctx, papers)
    settings = site.reader_settings
    try:
        data = openreview.load_export(export, year or settings.year)
    except openreview.ExportError as exc:
        fail(str(exc))
    counts = print_problems(data.problems)
    proceedings = (read_proceedings(site.papers_dir, settings) if site.papers_dir.is_dir()
                   else Proceedings())
    by_forum = _existing_by_forum(proceedings)

    records: dict[str, openreview.Record] = {}
    for record in data.records:
        if record.forum in records:
            click.echo(f"{export}: warning: {record.where}: forum id {record.forum} appears "
                       "twice; the first note is used")
            counts["warning"] += 1
            continue
        records[record.forum] = record
    wanted = {ident: base_key(r.authors[0], r.year, r.title) for ident, r in records.items()}
    fixed = {ident: by_forum[ident].key for ident in records if ident in by_forum}
    keys = allocate_keys(wanted, _taken_keys(site, proceedings), fixed)
    plans = [_plan_record(site, keys[ident], records[ident], by_forum.get(ident),
                          booktitle or settings.booktitle)
             for ident in sorted(records, key=lambda i: keys[i])]

    _report_import(site, data, plans, force)
    to_write = {path: content for plan in plans
                if plan.status == "new" or (plan.status == "update" and force)
                for path, content in plan.files.items()}
    pending = [p for p in plans if p.status == "update" and not force]
    if dry_run:
        out().print("[bold]Dry run:[/] nothing was written.")
    elif to_write:
        _commit(site, to_write)
    if pending and not dry_run:
        err().print(f"[yellow]{len(pending)} imported paper(s) differ from the export and were "
                     "not changed; run again with --force to update them.[/]")
    if counts["error"] or (pending and not dry_run):
        ctx.exit(1)


def _report_import(site: Site, data: openreview.Export, plans: list[_Planned],
                   force: bool) -> None:
    console = out()
    papers = site.rel(site.papers_dir)
    for plan in plans:
        title = escape(plan.record.title)
        if plan.status == "new":
            console.print(f"[green]new[/]       {papers}/{plan.key}  {title}")
        elif plan.status == "update":
            verb = "[cyan]updated[/]  " if force else "[yellow]differs[/]  "
            console.print(f"{verb} {papers}/{plan.key}  ({', '.join(plan.changed)})")
        elif plan.status == "volume":
            console.print(f"[dim]kept      {plan.key} (in a volume file; not changed)[/]")
    status = Counter(p.status for p in plans)
    table = Table(title=f"Import of {escape(str(data.path))} ({data.form})", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("accepted papers in the export", str(len(plans)))
    table.add_row("new", str(status["new"]))
    table.add_row("updated" if force else "changed (need --force)", str(status["update"]))
    table.add_row("unchanged", str(status["same"] + status["volume"]))
    for kind, label in openreview.SKIP_LABELS.items():
        if data.skipped[kind]:
            table.add_row(f"skipped: {label}", str(data.skipped[kind]))
    without = sum(1 for p in plans if p.record.abstract is None)
    if without:
        table.add_row("without abstract", str(without))
    console.print(table)


def _commit(site: Site, files: dict[str, bytes]) -> None:
    """Install ``files`` under papers/ all at once, or fail leaving it unchanged."""
    try:
        with Transaction(site.papers_dir) as transaction:
            for relative, content in sorted(files.items()):
                transaction.stage(relative, content)
            transaction.commit()
    except UnsafePath as exc:
        fail(str(exc))
    except RollbackError as exc:
        fail(f"writing under {site.rel(site.papers_dir)}/ failed and {exc}", 1)
    except OSError as exc:
        fail(f"writing {exc.filename or site.rel(site.papers_dir)} failed "
             f"({exc.strerror or exc}); papers/ was left as it was", 1)
    out().print(f"Wrote {len(files)} file(s) under {escape(site.rel(site.papers_dir))}/.")


# -- add ------------------------------------------------------------------------------
def _read_input(path: Path, limit: int) -> str:
    """A UTF-8 input file without the control characters the reader would strip."""
    result = read_text_file(path, path.parent, limit)
    if not isinstance(result, str):
        where = f"{path}:{result.line}" if result.line else str(path)
        fail(f"{where}: {result.message}")
    text, line = strip_controls(result)
    if line is not None:
        click.echo(f"{path}:{line}: warning: invisible control characters removed")
    return text


def _bad_link(fields: dict[str, str], has_pdf: bool) -> str | None:
    """Why a link field would make the added paper fail ``check``, or None.

    ``add`` copies only paper.bib, the abstract and ``--pdf``: a relative link
    to any other local file would point at nothing.
    """
    for name in LINK_FIELDS:
        value = fields.get(name, "").strip()
        if not value:
            continue
        url, message = check_url(value)
        if message:
            return f"field {name!r}: {message}"
        if not url.startswith(("http://", "https://")) and not (name == "pdf" and has_pdf):
            return (f"field {name!r} names the local file {url!r}, which add does not copy; "
                    "use a web link (or --pdf for the paper's PDF)")
    return None


@click.command(epilog=EXIT_STATUS)
@click.argument("bibfile", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--abstract", "abstract_file", type=click.Path(path_type=Path, dir_okay=False,
              exists=True), help="Markdown file with the abstract (single-entry BIBFILE only).")
@click.option("--pdf", "pdf_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The paper's PDF, copied to paper.pdf (single-entry BIBFILE only).")
@click.option("--topics", help="Comma-separated topic slugs from topics.yml.")
@click.option("--force", is_flag=True, help="Replace papers that already exist.")
@papers_option
@click.pass_context
def add(ctx: click.Context, bibfile: Path, abstract_file: Path | None, pdf_file: Path | None,
        topics: str | None, force: bool, papers: Path | None) -> None:
    """Add the paper(s) of BIBFILE as papers/<key>/ folders.

    Each entry keeps its citation key (a key unusable as a folder name is
    replaced by a generated one).  An abstract field moves to abstract.md.
    Nothing is written if any entry is invalid or exists already (without --force).
    """
    site = site_of(ctx, papers)
    text = _read_input(bibfile, openreview.MAX_EXPORT_BYTES)
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:
        fail(f"{bibfile}: cannot parse BibTeX: {exc}")
    if library.failed_blocks:
        block = library.failed_blocks[0]
        fail(f"{bibfile}:{(block.start_line or 0) + 1}: cannot parse this BibTeX entry")
    entries = list(library.entries)
    if not entries:
        fail(f"{bibfile}:1: no BibTeX entry found (an entry starts with @, e.g. @inproceedings{{key, ...}})")
    if len(entries) > 1 and (abstract_file or pdf_file):
        fail("--abstract and --pdf need a BIBFILE with exactly one entry")

    proceedings = (read_proceedings(site.papers_dir, site.reader_settings)
                   if site.papers_dir.is_dir() else Proceedings())
    slugs = [s for s in re.split(r"[,;\s]+", topics or "") if s]
    known = {t.slug for t in proceedings.topics}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        fail(f"unknown topic(s) {', '.join(unknown)}; topics.yml has: "
             f"{', '.join(sorted(known)) or 'none'}")
    extra_abstract = _read_input(abstract_file, MAX_ABSTRACT_BYTES) if abstract_file else None
    pdf = None
    if pdf_file:
        if pdf_file.stat().st_size > MAX_PDF_BYTES:
            fail(f"{pdf_file}: larger than {MAX_PDF_BYTES:,} bytes")
        pdf = pdf_file.read_bytes()
        if not pdf.startswith(b"%PDF-"):
            fail(f"{pdf_file}: not a PDF file")

    errors: list[str] = []
    files: dict[str, bytes] = {}
    taken = _taken_keys(site, proceedings)
    for entry in entries:
        line = (entry.start_line or 0) + 1
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        where = f"{bibfile}:{line}"
        # Sizes first (converting a huge field takes minutes); the reader has the same limits.
        too_long = next(filter(None, (field_too_long(name, value)
                                      for name, value in sorted(fields.items()))), None)
        if too_long:
            errors.append(f"{where}: entry {entry.key!r}: {too_long}")
            continue
        try:
            authors = parse_authors(fields.get("author", ""))
        except ValueError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if not to_unicode(fields.get("title", "")) or not authors:
            errors.append(f"{where}: entry {entry.key!r} needs a title and an author")
            continue
        if len(authors) > MAX_AUTHORS:
            errors.append(f"{where}: entry {entry.key!r} has {len(authors):,} authors, more "
                          f"than the {MAX_AUTHORS} supported")
            continue
        bad_link = _bad_link(fields, pdf is not None)
        if bad_link:
            errors.append(f"{where}: entry {entry.key!r}: {bad_link}")
            continue
        key = entry.key
        if not KEY_PATTERN.match(key):
            wanted = base_key(authors[0], fields.get("year", ""), fields.get("title", ""))
            key = allocate_keys({"new": wanted}, taken)["new"]
            click.echo(f"{where}: warning: key {entry.key!r} cannot name a folder; using {key!r}")
        if key in files or (key in taken and not force):
            errors.append(f"{where}: paper {key!r} exists already (use --force to replace it)")
            continue
        if key in proceedings.by_key and proceedings.by_key[key].source.path.name != "paper.bib":
            errors.append(f"{where}: paper {key!r} is defined in a volume file "
                          f"({proceedings.by_key[key].source}); not added")
            continue
        taken.add(key)
        abstract = extra_abstract
        if abstract is None and fields.get("abstract", "").strip():
            abstract = to_unicode(fields["abstract"])
        kept = [(f.key, str(f.value)) for f in entry.fields if f.key.lower() != "abstract"]
        if slugs:
            kept = [(k, v) for k, v in kept if k.lower() != "topics"] + [("topics",
                                                                          ", ".join(slugs))]
        files[f"{key}/paper.bib"] = bibwriter.render_entry(key, kept, entry.entry_type).encode()
        if abstract is not None:
            files[f"{key}/abstract.md"] = bibwriter.abstract_text(abstract).encode()
        if pdf is not None:
            files[f"{key}/paper.pdf"] = pdf
        if force and (site.papers_dir / key).is_dir():
            for stale in ("abstract.md", "paper.pdf"):
                if (site.papers_dir / key / stale).exists() and f"{key}/{stale}" not in files:
                    click.echo(f"{where}: note: keeping the existing {key}/{stale}")
    if errors:
        for message in errors:
            click.echo(f"{message}".replace(": ", ": error: ", 1))
        err().print("[red]Nothing was added.[/]")
        ctx.exit(1)
    _commit(site, files)
    for key in sorted({path.split("/")[0] for path in files}):
        out().print(f"[green]added[/] {escape(site.rel(site.papers_dir))}/{key}")


