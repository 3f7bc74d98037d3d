"""The schedule as iCalendar files: one for the whole day, one per item.

Built with the ``icalendar`` library.  Times carry the event's IANA zone
(``TZID=Europe/Vienna``) with a matching VTIMEZONE, so calendar programs
show them at the right instant wherever the reader is.  The output depends
only on its inputs (the stamp is passed in), so an unchanged schedule gives
byte-identical files and nothing is rewritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime

from icalendar import Calendar, Event

from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.core.schedule import Item, Schedule
from sphinx_proceedings.core.text import plain_title
from sphinx_proceedings.render.schedule import DAY_FILE, item_file, item_label

PRODID = "-//sphinx-proceedings//schedule//EN"


def _who(schedule: Schedule, item: Item, papers: Mapping[str, Paper]) -> str:
    """Speakers' names, else the titles of the papers presented (talks only)."""
    if item.speakers:
        return ", ".join(item.speakers)
    if item.type != "poster-session":
        return "; ".join(plain_title(papers[k].title) for k in item.papers if k in papers)
    return ""


def _description(schedule: Schedule, item: Item, papers: Mapping[str, Paper], url: str) -> str:
    lines = [item.note] if item.note else []
    for name in item.speakers:
        found = schedule.speaker(name)
        lines.append(f"{name} ({found.affiliation})" if found and found.affiliation else name)
    for paper in schedule.session_papers(item, papers):
        board = f"Board {paper.board}: " if paper.board and paper.session == item.id else ""
        authors = ", ".join(person.name for person in paper.authors)
        lines.append(f"{board}{plain_title(paper.title)} ({authors})")
    if url:
        lines.append(url)
    return "\n".join(lines)


def _event(schedule: Schedule, item: Item, papers: Mapping[str, Paper], page_url: str,
           name: str, stamp: datetime) -> Event:
    event = Event()
    who = _who(schedule, item, papers)
    summary = f"{item.title}: {who}" if who else item.title
    event.add("summary", f"{summary} · {name}" if name else summary)
    site = hashlib.sha256(name.encode()).hexdigest()[:12]  # stable across builds, unlike hash()
    event.add("uid", f"{schedule.date:%Y%m%d}-{item.id}-{site}@sphinx-proceedings")
    event.add("dtstamp", stamp)
    event.add("dtstart", schedule.aware(item.start))
    if item.end is not None:
        event.add("dtend", schedule.aware(item.end))
    url = f"{page_url}#{item_label(item)}" if page_url else ""
    description = _description(schedule, item, papers, url)
    if description:
        event.add("description", description)
    if schedule.location:
        event.add("location", schedule.location)
    if url:
        event.add("url", url)
    return event


def _calendar(schedule: Schedule, name: str, events: list[Event]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", schedule.timezone)
    for event in events:
        calendar.add_component(event)
    year = schedule.date.year  # a VTIMEZONE for the event's year, not decades of rules
    calendar.add_missing_timezones(date(year, 1, 1), date(year + 1, 1, 1))
    return calendar.to_ical()


def calendar_files(schedule: Schedule, papers: Mapping[str, Paper], page_url: str, name: str,
                   stamp: datetime) -> dict[str, bytes]:
    """Each calendar file's bytes by file name (`DAY_FILE` and one per item).

    Empty when the schedule has no usable time zone: times without one
    would land at a different instant in every reader's calendar.
    """
    if schedule.zone is None:
        return {}
    events = {item: _event(schedule, item, papers, page_url, name, stamp)
              for item in schedule.items}
    files = {item_file(item): _calendar(schedule, name, [event]) for item, event in events.items()}
    files[DAY_FILE] = _calendar(schedule, name, list(events.values()))
    return files
