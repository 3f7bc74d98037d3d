"""The ``proceedings`` command: scaffold, import, check, build and serve a site.

Every subcommand exits 0 when all is well, 1 when it found problems (or did
not do everything asked) and 2 for bad usage or input it cannot read.  Errors
are messages naming the file and position, never tracebacks (set
``PROCEEDINGS_DEBUG=1`` to see one for an internal error).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import bibtexparser
import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from . import openreview
from .authors import parse_authors
from .checks import DEFAULT_WORD_LIMIT, CheckSettings, extra_checks
from .files import Transaction, UnsafePath
from .keys import allocate_keys, base_key
from .latex import to_unicode
from .model import PRESENTATION_LABELS, Paper, Problem, Proceedings
from .reader import KEY_PATTERN, ReaderSettings, read_proceedings
from .safety import read_text_file
from .scaffold import SiteExists, create_site

EXIT_STATUS = """\b
Exit status:
  0  success
  1  problems found, or not everything was done (see the messages)
  2  bad usage, or input that cannot be read"""

MAX_ABSTRACT_BYTES = 256 * 1024
MAX_PDF_BYTES = 200 * 1024 * 1024


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


class Failure(Exception):
    """Stop the command with a message and an exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def fail(message: str, status: int = 2) -> NoReturn:
    raise Failure(message, status)


class _Main(click.Group):
    """Turns every error into a message and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Failure as exc:
            _err().print(f"[bold red]error:[/] {escape(exc.message)}")
            ctx.exit(exc.status)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _err().print("[yellow]interrupted[/]")
            ctx.exit(130)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _err().print(f"[bold red]error:[/] {escape(where + (exc.strerror or str(exc)))}")
            ctx.exit(2)
        except Exception as exc:
            if os.environ.get("PROCEEDINGS_DEBUG"):
                raise
            _err().print(f"[bold red]internal error:[/] {escape(type(exc).__name__)}: "
                         f"{escape(str(exc))} (set PROCEEDINGS_DEBUG=1 for a traceback, and "
                         "please report it)")
            ctx.exit(2)


# -- the site -------------------------------------------------------------------------
@dataclass
class Site:
    """A site's folders and the conf.py values the commands use."""

    root: Path
    srcdir: Path
    papers_dir: Path
    config: dict[str, Any] = field(default_factory=dict)

    def setting(self, name: str, default: Any) -> Any:
        value = self.config.get(name, default)
        return default if value is None else value

    @property
    def reader_settings(self) -> ReaderSettings:
        return ReaderSettings(
            year=str(self.setting("proceedings_year", "")),
            booktitle=str(self.setting("proceedings_booktitle", "")),
            forum_url=str(self.setting("proceedings_forum_url",
                                       "https://openreview.net/forum?id={id}")),
            pdf_url=str(self.setting("proceedings_pdf_url", "")),
        )

    def rel(self, path: Path) -> str:
        """A path as messages show it: relative to the site root when inside."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def _read_conf(conf: Path) -> dict[str, Any]:
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    try:
        namespace = eval_config_file(conf, Tags())
    except Exception as exc:
        first = str(exc).strip().splitlines()[:1]
        _err().print(f"[yellow]warning:[/] {escape(str(conf))}: cannot evaluate conf.py "
                     f"({escape(first[0] if first else type(exc).__name__)}); using defaults")
        return {}
    return {k: v for k, v in namespace.items() if k.startswith(("proceedings_", "project"))}


def find_site(start: Path, papers: Path | None = None, need_conf: bool = True) -> Site:
    """The site around ``start``: the nearest folder upwards holding conf.py."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "conf.py").is_file():
            config = _read_conf(folder / "conf.py")
            srcdir = folder / "source" if (folder / "source").is_dir() else folder
            papers_dir = papers or folder / str(config.get("proceedings_papers_dir", "papers"))
            return Site(folder, srcdir, papers_dir, config)
    if papers is not None:
        return Site(start, start, papers, {})
    if not need_conf and (start / "papers").is_dir():
        return Site(start, start, start / "papers", {})
    fail(f"no conf.py in {start} or any folder above it: run this inside a site made by "
         "'proceedings new' (or give --papers)")


def _site(ctx: click.Context, papers: Path | None = None, need_conf: bool = True) -> Site:
    return find_site(ctx.obj or Path.cwd(), papers, need_conf)


def _print_problems(problems: list[Problem]) -> Counter:
    """One ``path:line: level: message`` line per problem; counts by level."""
    counts: Counter = Counter()
    for problem in problems:
        counts[problem.level] += 1
        click.echo(str(problem))
    return counts


papers_option = click.option(
    "--papers", type=click.Path(path_type=Path, file_okay=False),
    help="The papers folder (default: proceedings_papers_dir of conf.py, else papers/).")


# -- the group ------------------------------------------------------------------------
@click.group(cls=_Main, epilog=EXIT_STATUS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sphinx-proceedings")
@click.option("-C", "--directory", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Run as if started in this folder.")
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """Make and maintain a workshop website with its proceedings."""
    ctx.obj = directory


# -- new ------------------------------------------------------------------------------
@main.command(epilog=EXIT_STATUS)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", required=True, help="The workshop's full title.")
@click.option("--short-name", help="A short name for navigation and footers (default: the title).")
@click.option("--year", help="The workshop's year (default: this year).")
def new(directory: Path, title: str, short_name: str | None, year: str | None) -> None:
    """Create a new workshop site in DIRECTORY (which must be absent or empty).

    The site has conf.py, hand-written pages under source/, papers/ with a topic
    list and one example paper, and a GitHub workflow that builds the HTML site
    and the PDF and publishes them on GitHub Pages.
    """
    if year is not None and not re.fullmatch(r"\d{4}", year):
        fail(f"--year must be four digits, not {year!r}")
    if not title.strip():
        fail("--title must not be empty")
    try:
        written = create_site(directory, title.strip(), (short_name or "").strip() or None, year)
    except SiteExists as exc:
        fail(str(exc))
    console = _out()
    console.print(f"Created [bold]{escape(str(directory))}[/] with {len(written)} files.")
    console.print(f"Next: cd {escape(str(directory))} && proceedings check && proceedings build")


# -- import ---------------------------------------------------------------------------
@main.group("import", cls=_Main)
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
    imported = openreview.record_fields(record, booktitle)
    folder = f"{key}"
    abstract = openreview.abstract_text(record.abstract) if record.abstract else None
    if existing is None:
        files = {f"{folder}/paper.bib": openreview.render_entry(key, list(imported.items()))
                 .encode("utf-8")}
        if abstract is not None:
            files[f"{folder}/abstract.md"] = abstract.encode("utf-8")
        return _Planned(key, record, files, "new")
    if existing.source.path.name != "paper.bib":
        return _Planned(key, record, {}, "volume")

    old = dict(existing.raw_fields)
    merged: dict[str, str] = {}
    for name in openreview.IMPORTED_FIELDS:
        if name in ("year", "booktitle") and old.get(name, "").strip():
            merged[name] = old[name]  # the organizer's value wins
        elif name in imported:
            merged[name] = imported[name]
    for name, value in old.items():
        if name not in openreview.IMPORTED_FIELDS:
            merged[name] = value
    changed = [name for name in openreview.IMPORTED_FIELDS
               if _norm(old.get(name, "")) != _norm(merged.get(name, ""))]
    files = {}
    if changed:
        files[f"{folder}/paper.bib"] = openreview.render_entry(
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
    site = _site(ctx, papers)
    settings = site.reader_settings
    try:
        data = openreview.load_export(export, year or settings.year)
    except openreview.ExportError as exc:
        fail(str(exc))
    counts = _print_problems(data.problems)
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
        _out().print("[bold]Dry run:[/] nothing was written.")
    elif to_write:
        _commit(site, to_write)
    if pending and not dry_run:
        _err().print(f"[yellow]{len(pending)} imported paper(s) differ from the export and were "
                     "not changed; run again with --force to update them.[/]")
    if counts["error"] or (pending and not dry_run):
        ctx.exit(1)


def _report_import(site: Site, data: openreview.Export, plans: list[_Planned],
                   force: bool) -> None:
    console = _out()
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
    except OSError as exc:
        fail(f"writing {exc.filename or site.rel(site.papers_dir)} failed "
             f"({exc.strerror or exc}); papers/ was left as it was", 1)
    _out().print(f"Wrote {len(files)} file(s) under {escape(site.rel(site.papers_dir))}/.")


# -- add ------------------------------------------------------------------------------
def _read_input(path: Path, limit: int) -> str:
    result = read_text_file(path, path.parent, limit)
    if not isinstance(result, str):
        where = f"{path}:{result.line}" if result.line else str(path)
        fail(f"{where}: {result.message}")
    return result


@main.command(epilog=EXIT_STATUS)
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
    site = _site(ctx, papers)
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
        fail(f"{bibfile}: no BibTeX entry found")
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
        try:
            authors = parse_authors(fields.get("author", ""))
        except ValueError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if not to_unicode(fields.get("title", "")) or not authors:
            errors.append(f"{where}: entry {entry.key!r} needs a title and an author")
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
        files[f"{key}/paper.bib"] = openreview.render_entry(key, kept, entry.entry_type).encode()
        if abstract is not None:
            files[f"{key}/abstract.md"] = openreview.abstract_text(abstract).encode()
        if pdf is not None:
            files[f"{key}/paper.pdf"] = pdf
        if force and (site.papers_dir / key).is_dir():
            for stale in ("abstract.md", "paper.pdf"):
                if (site.papers_dir / key / stale).exists() and f"{key}/{stale}" not in files:
                    click.echo(f"{where}: note: keeping the existing {key}/{stale}")
    if errors:
        for message in errors:
            click.echo(f"{message}".replace(": ", ": error: ", 1))
        _err().print("[red]Nothing was added.[/]")
        ctx.exit(1)
    _commit(site, files)
    for key in sorted({path.split("/")[0] for path in files}):
        _out().print(f"[green]added[/] {escape(site.rel(site.papers_dir))}/{key}")


# -- check ----------------------------------------------------------------------------
@main.command(epilog=EXIT_STATUS)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--word-limit", type=click.IntRange(min=1),
              help="Longest abstract, in words (default: proceedings_abstract_word_limit of "
              f"conf.py, else {DEFAULT_WORD_LIMIT}).")
@papers_option
@click.pass_context
def check(ctx: click.Context, strict: bool, word_limit: int | None, papers: Path | None) -> None:
    """Validate the papers and topics without building the site.

    Prints each problem as 'path:line: level: message', then a summary.  Beyond
    what breaks a build: duplicate titles, papers without a topic, abstracts over
    the word limit, malformed links, missing local files, odd author names and
    topics without papers.
    """
    site = _site(ctx, papers, need_conf=False)
    if not site.papers_dir.is_dir():
        fail(f"no papers folder at {site.papers_dir}")
    limit = word_limit or site.setting("proceedings_abstract_word_limit", DEFAULT_WORD_LIMIT)
    if not isinstance(limit, int) or limit < 1:
        fail(f"proceedings_abstract_word_limit in conf.py must be a positive integer, "
             f"not {limit!r}")
    proceedings = read_proceedings(site.papers_dir, site.reader_settings)
    problems = sorted([*proceedings.problems,
                       *extra_checks(proceedings, site.papers_dir, CheckSettings(limit))],
                      key=lambda p: (str(p.source.path), p.source.line or 0, p.message))
    counts = _print_problems(problems)
    summary = (f"{len(proceedings.papers)} papers, {len(proceedings.topics)} topics: "
               f"{counts['error']} error(s), {counts['warning']} warning(s)")
    failed = counts["error"] or (strict and counts["warning"])
    colour = "red" if failed else ("yellow" if counts["warning"] else "green")
    _out().print(f"[{colour}]{summary}[/]")
    if failed:
        ctx.exit(1)


# -- stats ----------------------------------------------------------------------------
@main.command(epilog=EXIT_STATUS)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many authors and keywords to list.")
@papers_option
@click.pass_context
def stats(ctx: click.Context, top: int, papers: Path | None) -> None:
    """Tables of papers by presentation and topic, authors, keywords and countries."""
    site = _site(ctx, papers, need_conf=False)
    if not site.papers_dir.is_dir():
        fail(f"no papers folder at {site.papers_dir}")
    proc = read_proceedings(site.papers_dir, site.reader_settings)
    console = _out()
    total = len(proc.papers)
    submissions = site.setting("proceedings_submissions", 0)

    table = Table(title="Papers by presentation")
    table.add_column("presentation")
    table.add_column("papers", justify="right")
    for kind, n in proc.counts().items():
        table.add_row(PRESENTATION_LABELS.get(kind, kind), str(n))
    table.add_row("[bold]total[/]", f"[bold]{total}[/]")
    if isinstance(submissions, int) and submissions > 0:
        table.add_row("submissions", str(submissions))
        table.add_row("acceptance rate", f"{100 * total / submissions:.0f}%")
    console.print(table)

    table = Table(title="Papers by topic (with sub-topics)")
    table.add_column("topic")
    table.add_column("papers", justify="right")
    for topic in proc.topics:
        indent = "  " if topic.parent else ""
        table.add_row(indent + escape(topic.title), str(len(proc.papers_for_topic(topic.slug))))
    table.add_row("[dim]no topic[/]", str(sum(1 for p in proc.papers if not p.topics)))
    console.print(table)

    authors = proc.authors
    table = Table(title=f"Authors: {len(authors)} people, "
                  f"{sum(len(p.authors) for p in proc.papers)} author slots")
    table.add_column("author")
    table.add_column("papers", justify="right")
    ranked = sorted(authors.values(), key=lambda a: (-len(a.papers), a.person.sort_key))
    for author in ranked[:top]:
        table.add_row(escape(author.name), str(len(author.papers)))
    console.print(table)

    keywords = Counter(k.casefold() for p in proc.papers for k in p.keywords)
    if keywords:
        table = Table(title="Most frequent keywords")
        table.add_column("keyword")
        table.add_column("papers", justify="right")
        for keyword, n in keywords.most_common(top):
            table.add_row(escape(keyword), str(n))
        console.print(table)

    countries: Counter = Counter()
    for paper in proc.papers:
        extra = dict(paper.extra)
        for name in ("countries", "country"):
            for value in re.split(r"[,;]| and ", extra.get(name, "")):
                if value.strip():
                    countries[to_unicode(value)] += 1
    if countries:
        table = Table(title="Countries")
        table.add_column("country")
        table.add_column("papers", justify="right")
        for country, n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(escape(country), str(n))
        console.print(table)
    if proc.problems:
        console.print(f"[yellow]{len(proc.problems)} input problem(s): run 'proceedings "
                      "check' for details[/]")


# -- build and serve ------------------------------------------------------------------
_PROGRESS = re.compile(r"^(?P<stage>[a-z][\w ]*?)\.\.\.\s+\[\s*(?P<pct>\d+)%\]\s*(?P<item>.*)$")
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE):")
_STAGE_PREFIX = re.compile(r"^[a-z][\w ]*\.\.\. (done )?")


def _sphinx(site: Site, args: list[str], what: str) -> tuple[int, list[str]]:
    """Run ``python -m sphinx`` with a progress display; returns status and warnings."""
    command = [sys.executable, "-m", "sphinx", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    warnings: list[str] = []
    tail: list[str] = []
    console = _err()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                  TextColumn("[dim]{task.fields[item]}"), console=console,
                  transient=True) as progress:
        task = progress.add_task(what, total=100, item="")
        process = subprocess.Popen(command, cwd=site.root, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                                   errors="replace", env=env)
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.rstrip("\n")
            match = _PROGRESS.match(line.strip())
            if match:
                progress.update(task, description=f"{what}: {match['stage']}",
                                completed=int(match["pct"]), item=match["item"][-50:])
            elif _WARNING.search(line):
                line = _STAGE_PREFIX.sub("", line)
                warnings.append(line)
                progress.console.print(f"[yellow]{escape(line)}[/]")
            elif line.strip():
                tail = (tail + [line])[-15:]
        status = process.wait()
    if status != 0 and not warnings:
        for line in tail:
            console.print(escape(line))
    return status, warnings


def _pdf_tools() -> str | None:
    """Why a PDF cannot be built here, or None."""
    if not shutil.which("latexmk"):
        return ("no TeX installation found (latexmk is missing); install TeX Live "
                "(e.g. apt-get install latexmk texlive-xetex texlive-latex-extra) to build the PDF")
    return None


@main.command(epilog=EXIT_STATUS)
@click.argument("target", type=click.Choice(["html", "pdf", "all"]), default="html")
@click.option("-j", "--jobs", default="auto", show_default=True,
              help="Parallel processes (a number or 'auto').")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on a warning).")
@click.option("--clean", is_flag=True, help="Remove _build/ first (a full rebuild).")
@click.pass_context
def build(ctx: click.Context, target: str, jobs: str, strict: bool, clean: bool) -> None:
    """Build the site: _build/html for html, the PDF under _build/latex for pdf.

    Run it in the site's root folder (the one with conf.py) or below it.
    """
    if not (jobs == "auto" or jobs.isdigit() and int(jobs) > 0):
        fail(f"-j must be a positive number or 'auto', not {jobs!r}")
    site = _site(ctx)
    out = site.root / "_build"
    if clean:
        shutil.rmtree(out, ignore_errors=True)
    common = ["-c", str(site.root), "-j", jobs]
    if strict:
        common += ["-W", "--keep-going"]
    if target in ("pdf", "all"):
        reason = _pdf_tools()
        if reason:
            fail(reason, 1)
    console = _out()
    all_warnings: list[str] = []
    if target in ("html", "all"):
        status, warnings = _sphinx(site, ["-b", "html", *common, str(site.srcdir),
                                          str(out / "html")], "HTML")
        all_warnings += warnings
        if status != 0:
            why = " (warnings are errors with --strict)" if strict and warnings else ""
            fail(f"the HTML build failed{why}", 1)
        console.print(f"[green]HTML[/] written to {site.rel(out / 'html')}/ "
                      f"({len(warnings)} warning(s))")
    if target in ("pdf", "all"):
        status, warnings = _sphinx(site, ["-M", "latexpdf", str(site.srcdir), str(out),
                                          *common], "PDF")
        all_warnings += warnings
        if status != 0:
            fail(f"the PDF build failed (sphinx exit status {status}); see "
                 f"{site.rel(out / 'latex')}/ for the LaTeX log", 1)
        pdfs = sorted((out / "latex").glob("*.pdf"))
        console.print(f"[green]PDF[/] written: "
                      f"{', '.join(site.rel(p) for p in pdfs) or '(none found)'}")
    if strict and all_warnings:
        ctx.exit(1)


@main.command(epilog=EXIT_STATUS)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, open_browser: bool) -> None:
    """Preview the site, rebuilding and reloading the browser on every change.

    Watches source/, papers/ and _templates/ (sphinx-autobuild).  Stop with Ctrl-C.
    """
    site = _site(ctx)
    if shutil.which("sphinx-autobuild") is None and not _has_module("sphinx_autobuild"):
        fail("sphinx-autobuild is not installed (pip install sphinx-autobuild)")
    generated = site.srcdir / str(site.setting("proceedings_output_dir", "proceedings"))
    command = [sys.executable, "-m", "sphinx_autobuild", "-c", str(site.root),
               "--port", str(port), "--host", host, "--ignore", str(generated)]
    for watched in (site.papers_dir, site.root / "_templates", site.root / "conf.py"):
        if watched.exists():
            command += ["--watch", str(watched)]
    if open_browser:
        command.append("--open-browser")
    command += [str(site.srcdir), str(site.root / "_build" / "html")]
    _err().print(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        status = subprocess.call(command, cwd=site.root)
    except KeyboardInterrupt:
        status = 0
    ctx.exit(0 if status in (0, -2, 130) else 1)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


if __name__ == "__main__":  # pragma: no cover
    main()
