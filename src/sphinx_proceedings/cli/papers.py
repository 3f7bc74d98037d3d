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
    install_files,
    out,
    papers_option,
    print_problems,
    site_of,
)
from sphinx_proceedings.core.checks import (
    MAX_ABSTRACT_BYTES,
    EntryRules,
    field_too_long,
    judge_entry,
    judge_sizes,
    key_ok,
)
from sphinx_proceedings.core.model import Paper, Person, Problem, Proceedings, Source
from sphinx_proceedings.core.names import allocate_keys, base_key, parse_authors
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.reader import CONTROLS_REMOVED, read_proceedings
from sphinx_proceedings.core.safety import read_text_file, strip_controls
from sphinx_proceedings.importers import bibwriter
from sphinx_proceedings.importers.openreview import load as openreview

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
    status: str  # "new", "update", "same", "volume", "refused"
    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _norm(value: str) -> str:
    return " ".join(value.split())


def _merged(existing: Paper, imported: dict[str, str]) -> dict[str, str]:
    """An imported paper's fields updated from the export; what the organizer added stays."""
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
    return merged


def _plan_record(site: Site, key: str, record: openreview.Record, existing: Paper | None,
                 booktitle: str, rules: EntryRules, export: Path) -> _Planned:
    """The files of one record, and how they differ from what is on disk.

    The paper that would be written is judged as ``check`` will judge it, with
    the same words, located at the record in the export.
    """
    if existing is not None and existing.source.path.name != "paper.bib":
        return _Planned(key, record, {}, "volume")
    where = Source(export, record.line)
    # Escaping (pylatexenc) is slow on huge values and never shortens one: what is
    # over a size limit as plain text is refused before, in the judgement's words.
    sizes = judge_sizes(key, {"title": record.title, "author": " and ".join(record.authors),
                              "keywords": ", ".join(record.keywords)}, where)
    if not sizes.usable:
        return _Planned(key, record, {}, "refused", problems=list(sizes.problems))
    imported = bibwriter.record_fields(record, booktitle)
    fields = imported if existing is None else _merged(existing, imported)
    abstract = bibwriter.abstract_text(record.abstract) if record.abstract else None
    judged = judge_entry(key, fields, where, rules, abstract=abstract)
    problems = [Problem(p.kind, p.message, where) for p in judged.problems]
    if not judged.usable:
        return _Planned(key, record, {}, "refused", problems=problems)
    abstract = abstract if judged.abstract is not None else None  # ignored when too large
    folder = f"{key}"
    if existing is None:
        files = {f"{folder}/paper.bib": bibwriter.render_entry(key, list(imported.items()))
                 .encode("utf-8")}
        if abstract is not None:
            files[f"{folder}/abstract.md"] = abstract.encode("utf-8")
        return _Planned(key, record, files, "new", problems=problems)

    old = dict(existing.raw_fields)
    changed = [name for name in bibwriter.IMPORTED_FIELDS
               if _norm(old.get(name, "")) != _norm(fields.get(name, ""))]
    files = {}
    if changed:
        files[f"{folder}/paper.bib"] = bibwriter.render_entry(
            key, list(fields.items()), existing.entry_type).encode("utf-8")
    if abstract is not None:
        path = site.papers_dir / folder / "abstract.md"
        current = path.read_bytes() if path.is_file() else None
        if current != abstract.encode("utf-8"):
            files[f"{folder}/abstract.md"] = abstract.encode("utf-8")
            changed.append("abstract")
    return _Planned(key, record, files, "update" if files else "same", changed, problems)


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
            counts.update(print_problems([Problem(
                ProblemKind.EXPORT_DUPLICATE, f"{record.where}: forum id {record.forum} appears "
                "twice; the first note is used", Source(export, record.line))]))
            continue
        records[record.forum] = record
    wanted = {ident: base_key(r.authors[0], r.year, r.title) for ident, r in records.items()}
    fixed = {ident: by_forum[ident].key for ident in records if ident in by_forum}
    keys = allocate_keys(wanted, _taken_keys(site, proceedings), fixed)
    rules = EntryRules(frozenset(t.slug for t in proceedings.topics), settings.forum_url,
                       settings.pdf_url)
    plans = [_plan_record(site, keys[ident], records[ident], by_forum.get(ident),
                          booktitle or settings.booktitle, rules, export)
             for ident in sorted(records, key=lambda i: keys[i])]
    counts.update(print_problems(sorted((p for plan in plans for p in plan.problems),
                                        key=lambda p: (p.source.line or 0, p.message))))

    _report_import(site, data, plans, force)
    to_write = {path: content for plan in plans
                if plan.status == "new" or (plan.status == "update" and force)
                for path, content in plan.files.items()}
    pending = [p for p in plans if p.status == "update" and not force]
    if dry_run:
        out().print("[bold]Dry run:[/] nothing was written.")
    elif to_write:
        install_files(site, to_write)
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
        elif plan.status == "refused":
            console.print(f"[red]refused[/]   {papers}/{plan.key}  {title}")
    status = Counter(p.status for p in plans)
    table = Table(title=f"Import of {escape(str(data.path))} ({data.form})", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("accepted papers in the export", str(len(plans)))
    table.add_row("new", str(status["new"]))
    table.add_row("updated" if force else "changed (need --force)", str(status["update"]))
    table.add_row("unchanged", str(status["same"] + status["volume"]))
    if status["refused"]:
        table.add_row("refused (see the errors)", str(status["refused"]))
    for kind, label in openreview.SKIP_LABELS.items():
        if data.skipped[kind]:
            table.add_row(f"skipped: {label}", str(data.skipped[kind]))
    without = sum(1 for p in plans if p.record.abstract is None)
    if without:
        table.add_row("without abstract", str(without))
    console.print(table)


# -- add ------------------------------------------------------------------------------
def _read_input(path: Path, limit: int) -> str:
    """A UTF-8 input file without the control characters the reader would strip."""
    result = read_text_file(path, path.parent, limit)
    if not isinstance(result, str):
        where = f"{path}:{result.line}" if result.line else str(path)
        fail(f"{where}: {result.message}")
    text, line = strip_controls(result)
    if line is not None:
        print_problems([Problem(ProblemKind.CONTROL_CHARACTERS, CONTROLS_REMOVED,
                                Source(path, line))])
    return text


def _first_author(fields: dict[str, str]) -> Person | None:
    """The first author, to make a key from; None when the field is unusable."""
    if field_too_long("author", fields.get("author", "")):
        return None
    try:
        authors = parse_authors(fields.get("author", ""))
    except ValueError:
        return None
    return authors[0] if authors else None


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
    replaced by a generated one).  An abstract field stays in paper.bib
    (LaTeX, as the entry wrote it); --abstract gives abstract.md (Markdown).
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
    rules = EntryRules(frozenset(known), site.reader_settings.forum_url,
                       site.reader_settings.pdf_url)
    present = {"paper.bib"} | ({"paper.pdf"} if pdf is not None else set())  # files add writes
    for entry in entries:
        line = (entry.start_line or 0) + 1
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        where = f"{bibfile}:{line}"
        key = entry.key
        first = _first_author(fields) if not key_ok(key) else None
        if first is not None:
            wanted = base_key(first, fields.get("year", ""), fields.get("title", ""))
            key = allocate_keys({"new": wanted}, taken)["new"]
            click.echo(f"{where}: warning: key {entry.key!r} cannot name a folder; using {key!r}")
        if slugs:
            fields["topics"] = ", ".join(slugs)
        # The paper as it will be written, judged as `check` will judge it.
        judged = judge_entry(
            key, fields, Source(bibfile, line), rules,
            lines={f.key.lower(): f.start_line + 1 for f in entry.fields
                   if f.start_line is not None},
            abstract=extra_abstract,
            abstract_source=Source(abstract_file, 1) if abstract_file else None,
            local_file=lambda name, key=key: name in present or (
                force and (site.papers_dir / key / name).exists()))
        if judged.errors:
            errors += [str(p) for p in judged.problems]
            continue
        print_problems(list(judged.problems))
        if key in files or (key in taken and not force):
            errors.append(f"{where}: error: paper {key!r} exists already (use --force to "
                          "replace it)")
            continue
        if key in proceedings.by_key and proceedings.by_key[key].source.path.name != "paper.bib":
            errors.append(f"{where}: error: paper {key!r} is defined in a volume file "
                          f"({proceedings.by_key[key].source}); not added")
            continue
        taken.add(key)
        # An abstract field stays in paper.bib, where it means what add judged
        # (LaTeX); abstract.md holds Markdown (--abstract).
        from_field = judged.abstract_format == "bibtex"
        kept = [(f.key, str(f.value)) for f in entry.fields if f.key.lower() != "abstract"
                or (from_field and "abstract" not in judged.ignored)]
        if slugs:
            kept = [(k, v) for k, v in kept if k.lower() != "topics"] + [("topics",
                                                                          ", ".join(slugs))]
        files[f"{key}/paper.bib"] = bibwriter.render_entry(key, kept, entry.entry_type).encode()
        if judged.abstract is not None and not from_field:
            files[f"{key}/abstract.md"] = bibwriter.abstract_text(judged.abstract).encode()
        if pdf is not None:
            files[f"{key}/paper.pdf"] = pdf
        if force and (site.papers_dir / key).is_dir():
            for stale in ("abstract.md", "paper.pdf"):
                if (site.papers_dir / key / stale).exists() and f"{key}/{stale}" not in files:
                    click.echo(f"{where}: note: keeping the existing {key}/{stale}")
    if errors:
        for message in errors:
            click.echo(message)
        err().print("[red]Nothing was added.[/]")
        ctx.exit(1)
    install_files(site, files)
    for key in sorted({path.split("/")[0] for path in files}):
        out().print(f"[green]added[/] {escape(site.rel(site.papers_dir))}/{key}")


