"""``proceedings topics suggest``: a first draft of the topic vocabulary.

The grouping itself is `core.suggest`; this module prints it, and with
``--write`` installs ``papers/topics.yml`` and the papers' ``topics`` fields in
one transaction (`cli.common.install_files`): all of them or none.  A paper in
its own folder gets its ``paper.bib`` rewritten; a paper in a volume file gets
only its own entry replaced, the rest of the file stays byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import click
from bibtexparser.model import Entry
from rich.markup import escape

from sphinx_proceedings.cli.common import (
    EXIT_STATUS,
    Main,
    Site,
    err,
    fail,
    install_files,
    out,
    papers_option,
    site_of,
)
from sphinx_proceedings.core import suggest as suggesting
from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.text import plain_title
from sphinx_proceedings.importers.bibwriter import render_entry


@click.group("topics", cls=Main)
def topics() -> None:
    """Work on the topic vocabulary (papers/topics.yml)."""


@topics.command("suggest", epilog=EXIT_STATUS)
@click.option("-n", "--topics", "count", type=click.IntRange(min=2),
              help="How many topics to suggest (default: about one per eight papers, 2 to 12).")
@click.option("--terms", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Distinguishing terms shown per topic.")
@click.option("--members", type=click.IntRange(min=0), default=5, show_default=True,
              help="Papers listed per topic (0: all).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the clustering; the same seed and papers give the same topics.")
@click.option("--write", is_flag=True,
              help="Write papers/topics.yml and each paper's topics field.")
@click.option("--force", is_flag=True,
              help="With --write: replace a curated topics.yml and topics papers already have.")
@papers_option
@click.pass_context
def suggest(ctx: click.Context, count: int | None, terms: int, members: int, seed: int,
            write: bool, force: bool, papers: Path | None) -> None:
    """Suggest topics from the papers' titles, keywords and abstracts.

    Prints candidate topics, best first: a label, distinguishing terms and the
    papers that would belong, then what --write would change.  Needs the
    'suggest' extra (pip install 'sphinx-proceedings[suggest]').  Nothing
    curated is replaced without --force: not a topics.yml that declares topics,
    not a topics field a paper already has.
    """
    site = site_of(ctx, papers, need_conf=False)
    if not site.papers_dir.is_dir():
        fail(f"no papers folder at {site.papers_dir}")
    proceedings = read_proceedings(site.papers_dir, site.reader_settings)
    if proceedings.problems:
        err().print(f"[yellow]{len(proceedings.problems)} input problem(s) (papers with "
                    "errors are left out): run 'proceedings check' for details[/]")
    try:
        suggestion = suggesting.suggest(proceedings.papers, count, terms, seed)
    except (suggesting.MissingExtra, suggesting.NotEnoughText) as exc:
        fail(str(exc))
    _print_topics(suggestion, proceedings.by_key, members, seed)
    plan = suggesting.plan(proceedings, suggestion, force)
    _print_plan(site, plan, suggestion, write)
    if write and (plan.write_vocabulary or plan.written):
        install_files(site, _files(site, plan, suggestion))
    if write and plan.kept:
        err().print(f"[yellow]{_kept_summary(plan)}; run again with --force to replace "
                    "them.[/]")
        ctx.exit(1)


def _print_topics(suggestion: suggesting.Suggestion, by_key: dict[str, Paper], members: int,
                  seed: int) -> None:
    console = out()
    placed = sum(len(t.papers) for t in suggestion.topics)
    console.print(f"[bold]{len(suggestion.topics)} candidate topics[/] for {placed} papers "
                  f"(TF-IDF and k-means, seed {seed}), best first:")
    for rank, topic in enumerate(suggestion.topics, 1):
        console.print(f"\n{rank:2d}. [bold]{escape(topic.label)}[/]  [dim]slug[/] {topic.slug}"
                      f"  [dim]papers[/] {len(topic.papers)}  [dim]score[/] {topic.score:.2f}")
        console.print(f"    [dim]terms:[/] {escape(', '.join(topic.terms))}")
        shown = topic.papers if members == 0 else topic.papers[:members]
        for key in shown:
            console.print(f"    {escape(key)}  {escape(plain_title(by_key[key].title))}")
        if len(shown) < len(topic.papers):
            console.print(f"    [dim]... and {len(topic.papers) - len(shown)} more[/]")
    if suggestion.unplaced:
        console.print(f"\nNot placed (no words to go by): {escape(', '.join(suggestion.unplaced))}")


def _print_plan(site: Site, plan: suggesting.Plan, suggestion: suggesting.Suggestion,
                write: bool) -> None:
    console = out()
    vocabulary = site.rel(site.papers_dir / "topics.yml")
    will = "Writing" if write else "Would write"
    console.print()
    if plan.write_vocabulary:
        how = f"replacing {plan.curated_topics} curated topics" if plan.curated_topics else "new"
        console.print(f"{will} {vocabulary} ({len(suggestion.topics)} topics; {how})")
    else:
        console.print(f"[yellow]keep[/] {vocabulary}: it declares {plan.curated_topics} "
                      "topics (--force replaces it and every paper's topics)")
    for change in plan.changes:
        where = escape(f"{change.paper.source}")
        old = f"'{escape(change.old)}'" if change.old else "(none)"
        new = f"'{escape(', '.join(change.new))}'" if change.new else "(none)"
        verb = "[yellow]keep[/]  " if change.kept else ("set   " if write else "would set")
        console.print(f"{verb} topics of {escape(change.paper.key)}: {old} -> {new}  "
                      f"[dim]{where}[/]")
    if not write:
        console.print("[bold]Nothing written[/]: run with --write to write these changes.")


def _kept_summary(plan: suggesting.Plan) -> str:
    parts = [] if plan.write_vocabulary else ["topics.yml was kept"]
    if plan.kept:
        parts.append(f"{len(plan.kept)} paper(s) kept their topics")
    return " and ".join(parts)


def _files(site: Site, plan: suggesting.Plan,
           suggestion: suggesting.Suggestion) -> dict[str, bytes]:
    """The new content of every file to write, relative to papers/."""
    files: dict[str, bytes] = {}
    if plan.write_vocabulary:
        files["topics.yml"] = suggesting.topics_yaml(suggestion).encode("utf-8")
    by_file: dict[Path, list[suggesting.PaperChange]] = {}
    for change in plan.written:
        by_file.setdefault(_input_file(site, change.paper), []).append(change)
    root = site.papers_dir.resolve()
    for path, changes in sorted(by_file.items()):
        relative = path.resolve().relative_to(root).as_posix()
        files[relative] = _rewrite(path, changes).encode("utf-8")
    return files


def _input_file(site: Site, paper: Paper) -> Path:
    """The file a paper was read from (the reader shows it relative to the site)."""
    path = paper.source.path
    return path if path.is_absolute() else site.papers_dir.resolve().parent / path


def _rewrite(path: Path, changes: list[suggesting.PaperChange]) -> str:
    """``path`` with the ``topics`` of the entries in ``changes`` set.

    An entry without a ``topics`` field gets one added before its closing
    brace, everything else as written; an entry that has one is written anew
    by bibtexparser's writer (values kept, layout normalised).
    """
    text = path.read_text(encoding="utf-8")
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser's own bugs: nothing is written
        fail(f"{path}: cannot parse it again ({exc}); nothing was written", 1)
    entries = {(e.start_line or 0) + 1: e for e in library.entries}
    edits = []
    for change in changes:
        entry = entries.get(change.paper.source.line or 0)
        begin = starts[entry.start_line or 0] if entry is not None else 0
        if entry is None or entry.key != change.paper.key \
                or text[begin:begin + len(entry.raw)] != entry.raw:
            fail(f"{path}: cannot find the entry {change.paper.key!r} where it was read; "
                 "nothing was written (was the file edited meanwhile?)", 1)
        edits.append((begin, begin + len(entry.raw), _with_topics(entry, change.new)))
    for begin, end, rendered in sorted(edits, reverse=True):
        text = text[:begin] + rendered + text[end:]
    return text


def _with_topics(entry: Entry, topics: tuple[str, ...]) -> str:
    """The entry's text with ``topics`` as its topics field (none: no field)."""
    value = ", ".join(topics)
    has_field = any(f.key.lower() == "topics" for f in entry.fields)
    if not has_field and value and entry.raw.endswith(("}", ")")):
        body = entry.raw[:-1].rstrip()  # the raw text ends with its closing } or )
        separator = "" if body.endswith((",", "{", "(")) else ","
        return f"{body}{separator}\n  topics = {{{value}}}\n{entry.raw[-1]}"
    fields = [(f.key, str(f.value)) for f in entry.fields if f.key.lower() != "topics"]
    if value:
        fields.append(("topics", value))
    return render_entry(entry.key, fields, entry.entry_type).rstrip("\n")
