"""``proceedings build``: Sphinx with a progress display, then the PDF volume."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

from sphinx_proceedings.cli.common import EXIT_STATUS, Site, err, fail, out, site_of

# -- build ------------------------------------------------------------------------------
_PROGRESS = re.compile(r"^(?P<stage>[a-z][\w ]*?)\.\.\.\s+\[\s*(?P<pct>\d+)%\]\s*(?P<item>.*)$")
_WARNING = re.compile(r"(WARNING|ERROR|CRITICAL|SEVERE):")
_STAGE_PREFIX = re.compile(r"^[a-z][\w ]*\.\.\. (done )?")


def _sphinx(site: Site, args: list[str], what: str) -> tuple[int, list[str]]:
    """Run ``python -m sphinx`` with a progress display; returns status and warnings."""
    command = [sys.executable, "-m", "sphinx", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    warnings: list[str] = []
    tail: list[str] = []
    console = err()
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


def _missing_glyphs(site: Site, latex_dir: Path) -> list[str]:
    """Warnings for the characters XeLaTeX could not print, naming their papers."""
    from sphinx_proceedings.core.reader import read_proceedings
    from sphinx_proceedings.pdf.glyphs import glyph_problems

    logs = sorted(latex_dir.glob("*.log"))
    if not logs:
        return []
    proc = read_proceedings(site.papers_dir, site.reader_settings)
    return [f"{problem.source}: WARNING: {problem.message} [{problem.kind.subtype}]"
            for log in logs for problem in glyph_problems(log, proc)]


def _volume(site: Site, build_dir: Path) -> int:
    """Assemble the full volume after the book; returns how many papers were left out."""
    from sphinx_proceedings.core.reader import read_proceedings
    from sphinx_proceedings.core.text import file_stem
    from sphinx_proceedings.pdf.volume import VolumeError, VolumeInfo, build_volume, plan_volume

    proc = read_proceedings(site.papers_dir, site.reader_settings)
    plan = plan_volume(proc, site.settings.book_group_by)
    console, problems = out(), plan.problems()
    for problem in problems:
        where = site.rel(problem.source.path)
        err().print(f"[yellow]left out:[/] {escape(where)}: {escape(problem.message)}")
    project = site.project
    info = VolumeInfo(title=project, conference=site.settings.conference,
                      date=site.settings.date, place=site.settings.place)
    books = sorted((build_dir / "latex").glob("*.pdf"))
    stem = file_stem(project)
    book = next((b for b in books if b.stem == stem), books[0] if books else None)
    try:
        result = build_volume(plan, info, build_dir / "volume", book, f"{stem}-volume.pdf")
    except VolumeError as exc:
        fail(str(exc), 1)
    ranges = {e.paper.key: {"first": e.first, "last": e.last, "pdf": site.rel(e.path)}
              for e in plan.entries}
    (build_dir / "volume" / "page-ranges.json").write_text(
        json.dumps(ranges, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"[green]Volume[/] written to {site.rel(result.path)}: {result.papers} "
                  f"paper(s), {result.pages} pages; {len(problems)} paper(s) left out")
    return len(problems)


@click.command(epilog=EXIT_STATUS)
@click.argument("target", type=click.Choice(["html", "pdf", "volume", "all"]), default="html")
@click.option("-j", "--jobs", default="auto", show_default=True,
              help="Parallel processes (a number or 'auto').")
@click.option("--strict", is_flag=True,
              help="Treat warnings as errors, and report broken references (-W -n; exit 1).")
@click.option("--clean", is_flag=True, help="Remove _build/ first (a full rebuild).")
@click.pass_context
def build(ctx: click.Context, target: str, jobs: str, strict: bool, clean: bool) -> None:
    """Build the site: _build/html for html, the PDF under _build/latex for pdf.

    volume builds the PDF book, then joins every papers/<key>/paper.pdf into
    one volume under _build/volume/ with page numbers, contents and bookmarks
    (papers without a readable PDF are listed and left out).  Run it in the
    site's root folder (the one with conf.py) or below it.
    """
    if not (jobs == "auto" or jobs.isdigit() and int(jobs) > 0):
        fail(f"-j must be a positive number or 'auto', not {jobs!r}")
    site = site_of(ctx)
    build_dir = site.root / "_build"
    if clean:
        shutil.rmtree(build_dir, ignore_errors=True)
    common = ["-c", str(site.root), "-j", jobs]
    if strict:
        common += ["-W", "--keep-going", "-n"]
    if target in ("pdf", "volume", "all"):
        reason = _pdf_tools()
        if reason:
            fail(reason, 1)
    console = out()
    all_warnings: list[str] = []
    if target in ("html", "all"):
        # Sphinx's state goes beside the site, not into it: _build/html is what gets published.
        status, warnings = _sphinx(site, ["-b", "html", *common, "-d", str(build_dir / "doctrees"),
                                          str(site.srcdir), str(build_dir / "html")], "HTML")
        all_warnings += warnings
        if status != 0:
            why = " (warnings are errors with --strict)" if strict and warnings else ""
            fail(f"the HTML build failed{why}", 1)
        console.print(f"[green]HTML[/] written to {site.rel(build_dir / 'html')}/ "
                      f"({len(warnings)} warning(s))")
    if target in ("pdf", "volume", "all"):
        status, warnings = _sphinx(site, ["-M", "latexpdf", str(site.srcdir), str(build_dir),
                                          *common], "PDF")
        all_warnings += warnings
        if status != 0:
            fail(f"the PDF build failed (sphinx exit status {status}); see "
                 f"{site.rel(build_dir / 'latex')}/ for the LaTeX log", 1)
        pdfs = sorted((build_dir / "latex").glob("*.pdf"))
        for line in _missing_glyphs(site, build_dir / "latex"):
            warnings.append(line)
            all_warnings.append(line)
            err().print(f"[yellow]{escape(line)}[/]")
        console.print(f"[green]PDF[/] written: "
                      f"{', '.join(site.rel(p) for p in pdfs) or '(none found)'}")
    left_out = _volume(site, build_dir) if target == "volume" else 0
    if strict and (all_warnings or left_out):
        ctx.exit(1)
