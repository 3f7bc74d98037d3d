"""The ``{schedule}`` directive and its calendar files: Sphinx glue only.

The schedule is read with the papers (``core/schedule.py``, at
``builder-inited``), so its problems are reported once, by the same code
``proceedings check`` runs.  The directive renders ``schedule.md.jinja`` in
place; two roles of its own mark the times (``<time datetime>`` in HTML, for
the reader's time-zone switch) and the calendar links (resolved per builder,
dropped outside HTML).  The iCalendar files are written at the end of HTML
builds, each only when its bytes changed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole, SphinxDirective
from sphinx.util.osutil import relative_uri

from sphinx_proceedings.core.files import write_atomic
from sphinx_proceedings.core.schedule import SCHEDULE_FILE
from sphinx_proceedings.render.schedule import (
    CALENDAR_FOLDER,
    schedule_context,
    schedule_signature,
)
from sphinx_proceedings.sphinx_ext.config import base_url, papers_dir
from sphinx_proceedings.sphinx_ext.domain import ProceedingsDomain
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)
HTML_FORMAT = "html"


class schedule_time(nodes.inline):  # noqa: N801 - docutils node naming
    """A time of the day; HTML writes ``<time datetime="...">``, others the text."""


class schedule_calendar(nodes.inline):  # noqa: N801 - docutils node naming
    """A link to a calendar file; made relative per page, dropped outside HTML."""


def visit_schedule_time(self: Any, node: schedule_time) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_schedule_time(self: Any, node: schedule_time) -> None:
    self.body.append("</time>")


class ScheduleTimeRole(ReferenceRole):
    """``{schedule-time}`08:15 <2024-05-11T08:15+02:00>```: shown text, machine time."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            datetime.fromisoformat(self.target)
        except ValueError:
            message = self.inliner.reporter.warning(
                f"schedule-time: {self.target!r} is not an ISO date and time", line=self.lineno)
            return [nodes.Text(self.title)], [message]
        node = schedule_time("", self.title, classes=["proceedings-time"])
        node["datetime"] = self.target
        return [node], []


class ScheduleCalendarRole(ReferenceRole):
    """``{schedule-calendar}`text <file.ics>```: a link to one of the calendar files."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if "/" in self.target or not self.target.endswith(".ics"):
            message = self.inliner.reporter.warning(
                f"schedule-calendar: {self.target!r} is not a calendar file name", line=self.lineno)
            return [nodes.Text(self.title)], [message]
        node = schedule_calendar("", self.title, classes=["proceedings-ics"])
        node["file"] = self.target
        return [node], []


def _pages(env: BuildEnvironment) -> dict[str, str]:
    """Documents showing the schedule, with the signature of what they show
    (domain data: pickled with the environment, cleared and merged per document)."""
    return ProceedingsDomain.of(env).schedule_pages


class ScheduleDirective(SphinxDirective):
    """The day's program from ``papers/schedule.yml``, as a table."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        state = build_state(self.env)
        proc = state.model
        schedule = proc.schedule
        _pages(self.env)[self.env.current_document.docname] = schedule_signature(
            schedule, proc.by_key) + state.templates_digest
        if schedule is None:
            path = state.schedule_file
            if not path.is_file():  # a broken file's problems are already reported
                logger.warning(f"schedule: there is no {path.name} in the papers folder to show",
                               location=(self.env.current_document.docname, self.lineno),
                               type="proceedings", subtype="schedule-missing")
            return [nodes.paragraph("", "The schedule is not available yet.",
                                    classes=["proceedings-empty"])]
        assert state.templates is not None  # set at builder-inited (generate.py)
        template = state.templates.get_template("schedule.md.jinja")
        text = template.render(**schedule_context(schedule, proc.by_key))
        container = nodes.container(classes=["proceedings-schedule-block"])
        container += self.parse_text_to_nodes(text)
        return [container]


def note_file(app: Sphinx) -> None:
    """``builder-inited``: where the schedule file would be (build state, never pickled)."""
    build_state(app.env).schedule_file = papers_dir(app) / SCHEDULE_FILE


def outdated_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """``env-get-outdated``: pages whose schedule now shows something else."""
    state = build_state(env)
    current = schedule_signature(state.model.schedule, state.model.by_key) + state.templates_digest
    return sorted(d for d, sig in _pages(env).items()
                  if sig != current and d not in removed and d not in changed)


def check_shown(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: a schedule that no page shows leaves paper pages'
    links to it dangling; say where to put the directive."""
    proc = build_state(env).model
    if proc.schedule is not None and not _pages(env):
        logger.warning("no page shows this schedule: put a ```{schedule}``` directive on "
                       "the schedule page", location=str(proc.schedule.source),
                       type="proceedings", subtype="schedule-page")


def unshown_slot(app: Sphinx, env: BuildEnvironment, node: nodes.Element,
                 contnode: nodes.Element) -> nodes.Node | None:
    """``missing-reference``: a paper's slot without a schedule page stays plain text
    (`check_shown` has said why once)."""
    target = node.get("reftarget", "")
    if node.get("reftype") == "ref" and target.startswith("schedule-") and not _pages(env):
        return contnode
    return None


def resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: calendar links relative to this page, or gone outside HTML."""
    html = app.builder.format == HTML_FORMAT
    for node in list(doctree.findall(schedule_calendar)):
        if not html:
            paragraph = node.parent
            if "proceedings-schedule-calendar" in paragraph.get("classes", []):
                paragraph.parent.remove(paragraph)
            else:
                node.parent.remove(node)
            continue
        uri = relative_uri(app.builder.get_target_uri(docname), f"{CALENDAR_FOLDER}/{node['file']}")
        node.replace_self(nodes.reference("", node.astext(), refuri=uri, classes=node["classes"]))


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                    doctree: nodes.document | None) -> None:
    """``html-page-context``: the time-zone switch, only on pages with a schedule."""
    if pagename in _pages(app.env):
        app.add_js_file("proceedings-schedule.js", loading_method="defer")
        app.add_css_file("proceedings-schedule.css")


def _stamp(path: Path) -> datetime:
    """When the schedule last changed: ``SOURCE_DATE_EPOCH`` (reproducible builds),
    else the file's time; never the build's time, which would rewrite every file."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC)


def write_calendars(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the calendar files beside the HTML, each only when changed;
    files of items no longer in the schedule are removed."""
    pages = sorted(_pages(app.env))
    if exception is not None or app.builder.format != HTML_FORMAT or not pages:
        return
    proc = build_state(app.env).model
    schedule = proc.schedule
    folder = Path(app.outdir) / CALENDAR_FOLDER
    files: dict[str, bytes] = {}
    if schedule is not None:
        base = base_url(app.config)
        page_url = base + app.builder.get_target_uri(pages[0]) if base else ""
        name = schedule.name or app.config.project
        # Imported here: icalendar takes 30-90 ms to import, a cost every build
        # would pay even when the site has no schedule.
        from sphinx_proceedings.render.calendar import calendar_files

        files = calendar_files(schedule, proc.by_key, page_url, name,
                               _stamp(papers_dir(app) / SCHEDULE_FILE))
    written = 0
    for file_name, data in sorted(files.items()):
        path = folder / file_name
        if path.is_file() and path.read_bytes() == data:
            continue
        write_atomic(path, data, durable=False)  # rewritten by the next build if lost
        written += 1
    if folder.is_dir():
        for old in folder.glob("schedule*.ics"):
            if old.name not in files:
                old.unlink()
    if files:
        logger.info(f"[proceedings] calendar files: {written} written, "
                    f"{len(files) - written} unchanged")


def setup_schedule(app: Sphinx) -> None:
    """Wire the schedule into Sphinx (called from the extension's ``setup``)."""
    app.add_directive("schedule", ScheduleDirective)
    app.add_role("schedule-time", ScheduleTimeRole())
    app.add_role("schedule-calendar", ScheduleCalendarRole())
    app.add_node(schedule_time, html=(visit_schedule_time, depart_schedule_time))
    app.add_node(schedule_calendar)
    app.connect("builder-inited", note_file)
    app.connect("env-get-outdated", outdated_pages)
    app.connect("env-check-consistency", check_shown)
    app.connect("missing-reference", unshown_slot)
    app.connect("doctree-resolved", resolve_links)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", write_calendars)
