"""What the extension does when a build starts: read inputs, write pages.

Runs at ``builder-inited``, before Sphinx lists the source files, so newly
generated pages are read in the same build.  The inputs are parsed once per
build (not once per page) and the `Proceedings` is kept on the domain.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from sphinx_proceedings.core import memo
from sphinx_proceedings.core.model import Problem, Proceedings
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.pdf.volume import plan_volume, with_page_ranges
from sphinx_proceedings.render.pages import (
    MARKER,
    PageSettings,
    changed_papers,
    render_pages,
    sync_files,
    template_environment,
)
from sphinx_proceedings.sphinx_ext import cache
from sphinx_proceedings.sphinx_ext.book import book_files, group_by
from sphinx_proceedings.sphinx_ext.config import base_url, output_dir, papers_dir
from sphinx_proceedings.sphinx_ext.domain import ProceedingsDomain

logger = logging.getLogger(__name__)


def report(problem: Problem) -> None:
    """A problem as a Sphinx warning that names file and line."""
    where = problem.source
    if where.line:
        logger.warning(problem.message, location=str(where),
                       type="proceedings", subtype=problem.code)
        return
    logger.warning(f"{where.path}: {problem.message}",
                   type="proceedings", subtype=problem.code)


def _edited_only(cached: cache.Cached | None, context: str, proceedings: Proceedings,
                 output: Path) -> set[str] | None:
    """Keys of the papers whose pages alone need rendering, or None to render all.

    Only when the last pass was made with the same settings and templates and
    all its files are still there (`pages.changed_papers` decides the rest).
    """
    if cached is None or cached.context != context:
        return None
    if not all((output / name).is_file() for name in cached.files):
        return None
    return changed_papers(cached.proceedings, proceedings)


def generate(app: Sphinx) -> None:
    """``builder-inited``: read ``papers/`` and write the generated pages."""
    config = app.config
    source = papers_dir(app)
    if not source.is_dir():
        logger.warning(f"papers folder {source} does not exist; no paper pages are generated",
                       type="proceedings", subtype="layout")
    template_dirs = tuple(Path(app.confdir) / d for d in config.templates_path)
    domain: ProceedingsDomain = app.env.get_domain("proceedings")  # type: ignore[assignment]
    domain.templates = template_environment(template_dirs)  # type: ignore[attr-defined]
    output = output_dir(app)
    context = cache.context_digest(app, template_dirs)
    digest = cache.fingerprint(context, source)
    domain.fingerprint = digest  # type: ignore[attr-defined]  # lets exports skip work too
    cached = cache.load(app)
    if cache.is_current(cached, digest, output):
        assert cached is not None
        domain.model = cached.proceedings
        domain.lists_unchanged = True  # type: ignore[attr-defined]  # incremental.py skips checks
        for problem in cached.problems:
            report(problem)
        logger.info(f"[proceedings] inputs unchanged: {len(cached.files)} pages kept as they are")
        return

    settings = ReaderSettings(
        year=str(config.proceedings_year or ""),
        booktitle=config.proceedings_booktitle,
        forum_url=config.proceedings_forum_url,
        pdf_url=config.proceedings_pdf_url,
    )
    memos = cache.load_memos(app)
    memo.start(memos.results)
    reader_memo = dict(memos.reader)
    proceedings = read_proceedings(source, settings, reader_memo)  # unchanged files are not re-read
    if config.proceedings_volume_page_ranges:  # pages in the full volume (volume.py)
        proceedings = with_page_ranges(proceedings, plan_volume(proceedings, group_by(config)))
    domain.model = proceedings

    prefix = config.proceedings_output_dir.strip("/")
    page_settings = PageSettings(
        output_dir=output, prefix=prefix, template_dirs=template_dirs,
        base_url=base_url(config), html_suffix=config.html_file_suffix or ".html",
        related=config.proceedings_related_papers, submissions=config.proceedings_submissions,
    )
    only = _edited_only(cached, context, proceedings, output)
    # Nothing that lists or links show changed: incremental.py need not look.
    domain.lists_unchanged = only is not None  # type: ignore[attr-defined]
    files, page_problems = render_pages(proceedings, page_settings, Path(app.srcdir), only)
    files.update(book_files(app, proceedings, MARKER))  # the PDF's root page, LaTeX only
    result = sync_files(page_settings.output_dir, files, partial=only is not None)
    all_files = set(files) | set(cached.files) if only is not None and cached else set(files)
    problems = (*proceedings.problems, *page_problems, *result.problems)
    for problem in problems:
        report(problem)
    if not result.problems:  # saved at the end of the build (cache.save_pending)
        domain.pending = (  # type: ignore[attr-defined]
            cache.Cached(digest, context, proceedings, tuple(problems), tuple(sorted(all_files))),
            reader_memo)
    logger.info(
        f"[proceedings] {len(proceedings.papers)} papers, {len(proceedings.topics)} topics, "
        f"{len(proceedings.authors)} authors: {len(result.written)} pages written, "
        f"{result.unchanged} unchanged, {len(result.removed)} removed"
        + (f" ({len(only)} edited papers' pages rendered)" if only is not None else "")
    )
