"""The ``proceedings`` command: scaffold, import, check, build and serve a site.

Every subcommand exits 0 when all is well, 1 when it found problems (or did
not do everything asked) and 2 for bad usage or input it cannot read.  Errors
are messages naming the file and position, never tracebacks (set
``PROCEEDINGS_DEBUG=1`` to see one for an internal error).  The subcommands
live in ``cli_import.py`` and ``cli_build.py``; shared pieces in ``cli_common.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from sphinx_proceedings.cli.build import build
from sphinx_proceedings.cli.common import EXIT_STATUS, Main, fail, out, papers_option, print_problems, site_of
from sphinx_proceedings.cli.papers import add, import_
from sphinx_proceedings.cli.scaffold import SiteExists, create_site
from sphinx_proceedings.cli.serve import serve
from sphinx_proceedings.cli.topics import topics
from sphinx_proceedings.core.checks import DEFAULT_WORD_LIMIT, CheckSettings, advice
from sphinx_proceedings.core.model import PRESENTATION_LABELS
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.text import to_unicode


# -- the group ------------------------------------------------------------------------
@click.group(cls=Main, epilog=EXIT_STATUS,
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
    console = out()
    console.print(f"Created [bold]{escape(str(directory))}[/] with {len(written)} files.")
    console.print(f"Next: cd {escape(str(directory))} && proceedings check && proceedings build")


# -- check ----------------------------------------------------------------------------
@main.command(epilog=EXIT_STATUS)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings and advice too.")
@click.option("--word-limit", type=click.IntRange(min=1),
              help="Longest abstract, in words (default: proceedings_abstract_word_limit of "
              f"conf.py, else {DEFAULT_WORD_LIMIT}).")
@papers_option
@click.pass_context
def check(ctx: click.Context, strict: bool, word_limit: int | None, papers: Path | None) -> None:
    """Validate the papers and topics without building the site.

    Prints each problem as 'path:line: level: message [proceedings.kind]', then a
    summary.  Errors and warnings are exactly those the build reports (the same
    judgement); advice is check's own: duplicate titles, papers without a topic,
    abstracts over the word limit, odd author names and topics without papers.
    """
    site = site_of(ctx, papers, need_conf=False)
    if not site.papers_dir.is_dir():
        fail(f"no papers folder at {site.papers_dir}")
    limit = word_limit or site.settings.abstract_word_limit  # checked when conf.py was read
    proceedings = read_proceedings(site.papers_dir, site.reader_settings)
    # The reader's problems are the build's warnings, word for word (one judgement).
    problems = sorted([*proceedings.problems, *advice(proceedings, CheckSettings(limit))],
                      key=lambda p: (str(p.source.path), p.source.line or 0, p.message))
    counts = print_problems(problems)
    summary = (f"{len(proceedings.papers)} papers, {len(proceedings.topics)} topics: "
               f"{counts['error']} error(s), {counts['warning']} warning(s), "
               f"{counts['advice']} advice")
    failed = counts["error"] or (strict and (counts["warning"] or counts["advice"]))
    colour = "red" if failed else ("yellow" if counts["warning"] or counts["advice"] else "green")
    out().print(f"[{colour}]{summary}[/]")
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
    site = site_of(ctx, papers, need_conf=False)
    if not site.papers_dir.is_dir():
        fail(f"no papers folder at {site.papers_dir}")
    proc = read_proceedings(site.papers_dir, site.reader_settings)
    console = out()
    total = len(proc.papers)
    submissions = site.settings.submissions

    table = Table(title="Papers by presentation")
    table.add_column("presentation")
    table.add_column("papers", justify="right")
    for kind, n in proc.counts().items():
        table.add_row(PRESENTATION_LABELS.get(kind, kind), str(n))
    table.add_row("[bold]total[/]", f"[bold]{total}[/]")
    if submissions > 0:
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



for command in (import_, add, build, serve, topics):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
