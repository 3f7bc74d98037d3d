"""What every ``proceedings`` subcommand shares: messages, failures, the site.

Errors become one-line messages and exit statuses (0 ok, 1 problems found,
2 bad usage or unreadable input), never tracebacks; `find_site` locates the
site (the folder with ``conf.py``) and its settings: the same `ProceedingsConfig`
the Sphinx build reads, made from the conf.py that Sphinx's own evaluator runs.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape

from sphinx_proceedings.core.config import DEFAULTS, ConfigValueError, ProceedingsConfig
from sphinx_proceedings.core.files import RollbackError, Transaction, UnsafePath
from sphinx_proceedings.core.model import Problem
from sphinx_proceedings.core.reader import ReaderSettings

EXIT_STATUS = """\b
Exit status:
  0  success
  1  problems found, or not everything was done (see the messages)
  2  bad usage, or input that cannot be read"""

MAX_ABSTRACT_BYTES = 256 * 1024
MAX_PDF_BYTES = 200 * 1024 * 1024


def out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


class Failure(Exception):
    """Stop the command with a message and an exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def fail(message: str, status: int = 2) -> NoReturn:
    raise Failure(message, status)


class Main(click.Group):
    """Turns every error into a message and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Failure as exc:
            err().print(f"[bold red]error:[/] {escape(exc.message)}")
            ctx.exit(exc.status)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            err().print("[yellow]interrupted[/]")
            ctx.exit(130)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            err().print(f"[bold red]error:[/] {escape(where + (exc.strerror or str(exc)))}")
            ctx.exit(2)
        except Exception as exc:
            if os.environ.get("PROCEEDINGS_DEBUG"):
                raise
            err().print(f"[bold red]internal error:[/] {escape(type(exc).__name__)}: "
                         f"{escape(str(exc))} (set PROCEEDINGS_DEBUG=1 for a traceback, and "
                         "please report it)")
            ctx.exit(2)


# -- the site -------------------------------------------------------------------------
@dataclass
class Site:
    """A site's folders, its ``proceedings_*`` settings and its ``project`` name."""

    root: Path
    srcdir: Path
    papers_dir: Path
    settings: ProceedingsConfig = DEFAULTS
    project: str = "Proceedings"

    @property
    def reader_settings(self) -> ReaderSettings:
        return self.settings.reader_settings()

    def rel(self, path: Path) -> str:
        """A path as messages show it: relative to the site root when inside."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def read_conf(conf: Path) -> dict[str, Any]:
    """conf.py's ``proceedings_*`` and ``project`` values ({} when it cannot run)."""
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    try:
        namespace = eval_config_file(conf, Tags())
    except Exception as exc:
        first = str(exc).strip().splitlines()[:1]
        err().print(f"[yellow]warning:[/] {escape(str(conf))}: cannot evaluate conf.py "
                     f"({escape(first[0] if first else type(exc).__name__)}); using defaults")
        return {}
    return {k: v for k, v in namespace.items() if k.startswith(("proceedings_", "project"))}


def find_site(start: Path, papers: Path | None = None, need_conf: bool = True) -> Site:
    """The site around ``start``: the nearest folder upwards holding conf.py."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "conf.py").is_file():
            values = read_conf(folder / "conf.py")
            try:
                settings = ProceedingsConfig.from_values(values)
            except ConfigValueError as error:
                fail(f"{folder / 'conf.py'}: wrong setting: " + "; ".join(
                    f"{name} {reason}" for name, reason in error.problems))
            srcdir = folder / "source" if (folder / "source").is_dir() else folder
            papers_dir = papers or folder / settings.papers_dir
            project = str(values.get("project") or "Proceedings")
            return Site(folder, srcdir, papers_dir, settings, project)
    if papers is not None:
        return Site(start, start, papers)
    if not need_conf and (start / "papers").is_dir():
        return Site(start, start, start / "papers")
    fail(f"no conf.py in {start} or any folder above it: run this inside a site made by "
         "'proceedings new' (or give --papers)")


def site_of(ctx: click.Context, papers: Path | None = None, need_conf: bool = True) -> Site:
    return find_site(ctx.obj or Path.cwd(), papers, need_conf)


def print_problems(problems: list[Problem]) -> Counter:
    """One ``path:line: level: message [proceedings.kind]`` line per problem; counts by level."""
    counts: Counter = Counter()
    for problem in problems:
        counts[problem.level] += 1
        click.echo(str(problem))
    return counts


papers_option = click.option(
    "--papers", type=click.Path(path_type=Path, file_okay=False),
    help="The papers folder (default: proceedings_papers_dir of conf.py, else papers/).")


def install_files(site: Site, files: dict[str, bytes]) -> None:
    """Install ``files`` (relative to papers/) all at once, or fail leaving papers/ unchanged."""
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
