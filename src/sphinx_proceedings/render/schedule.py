"""The schedule as readers see it: times with their zone, rows of the table,
and the slots a paper's own page mentions.

Everything here is text for templates (no Sphinx): the ``schedule`` directive
renders ``schedule.md.jinja`` with `schedule_context`, and the paper pages
show `paper_slots`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sphinx_proceedings.core.model import Paper
from sphinx_proceedings.core.schedule import Item, Schedule, clock

#: sphinx-design colours of each item type's badge.
BADGE_COLOURS: dict[str, str] = {
    "opening": "secondary",
    "invited-talk": "primary",
    "contributed-talk": "success",
    "poster-session": "warning",
    "panel": "info",
    "break": "light",
    "lunch": "light",
    "closing": "secondary",
    "networking": "secondary",
    "other": "secondary",
}
#: How a paper's page names the slot its paper is presented in.
SLOT_NAMES = {"contributed-talk": "Talk", "invited-talk": "Talk", "poster-session": "Poster"}
CALENDAR_FOLDER = "calendar"
DAY_FILE = "schedule.ics"


def item_label(item: Item) -> str:
    """The Sphinx label of an item's row (links from paper pages land there)."""
    return f"schedule-{item.id}"


def item_file(item: Item) -> str:
    """The item's calendar file, inside `CALENDAR_FOLDER`."""
    return f"schedule-{item.id}.ics"


def utc_offset(moment: datetime) -> str:
    """``UTC+2``, ``UTC-3:30``, ``UTC`` for an aware time."""
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(schedule: Schedule) -> str:
    """``CEST, UTC+2``: the zone's abbreviation on the day and its offset."""
    first = schedule.items[0].start if schedule.items else datetime.combine(
        schedule.date, datetime.min.time()).replace(hour=12)
    aware = schedule.aware(first)
    if aware is None:
        return ""
    abbreviation = aware.tzname() or ""
    offset = utc_offset(aware)
    # Zones without a letter abbreviation give one like "-03": the offset says it all.
    return offset if not abbreviation[:1].isalpha() or abbreviation == offset \
        else f"{abbreviation}, {offset}"


def zone_city(schedule: Schedule) -> str:
    """``Vienna`` for ``Europe/Vienna``: how readers name the event's time."""
    return schedule.timezone.rsplit("/", 1)[-1].replace("_", " ")


def day_text(schedule: Schedule) -> str:
    """``Saturday 11 May`` (English, whatever the machine's locale)."""
    day = schedule.date
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
               "Sunday")[day.weekday()]
    month = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")[day.month - 1]
    return f"{weekday} {day.day} {month}"


def span_text(schedule: Schedule, item: Item) -> str:
    """``09:45–10:00`` or ``from 17:15``."""
    start = clock(item.start, schedule.date)
    return f"{start}–{clock(item.end, schedule.date)}" if item.end else f"from {start}"


def iso(schedule: Schedule, moment: datetime) -> str:
    """The machine-readable time: with its UTC offset when the zone is known."""
    aware = schedule.aware(moment)
    return (aware or moment).isoformat(timespec="minutes")


@dataclass(frozen=True)
class Slot:
    """Where a paper is presented, as its page says it."""

    kind: str  # "Talk", "Poster", or the item's title
    when: str  # "09:45–10:00, Saturday 11 May"
    zone: str  # "CEST, UTC+2"
    label: str  # the schedule row's Sphinx label
    board: str = ""


def paper_slots(schedule: Schedule | None, papers: Mapping[str, Paper]) -> dict[str, list[Slot]]:
    """Every paper's slots in the day, by key, in time order."""
    slots: dict[str, list[Slot]] = {}
    if schedule is None:
        return slots
    zone = zone_label(schedule)
    for item in schedule.items:
        kind = SLOT_NAMES.get(item.type, item.title)
        when = f"{span_text(schedule, item)}, {day_text(schedule)}"
        if item.type == "poster-session":  # "Poster: Poster session 1, 10:00–10:30, ..."
            when = f"{item.title}, {when}"
        for paper in schedule.session_papers(item, papers):
            board = paper.board if paper.session == item.id else ""
            slots.setdefault(paper.key, []).append(Slot(kind, when, zone, item_label(item), board))
    return slots


@dataclass(frozen=True)
class Row:
    """One row of the schedule table."""

    item: Item
    label: str
    colour: str
    start: tuple[str, str]  # (shown, machine-readable)
    end: tuple[str, str] | None
    speakers: list[tuple[str, str, str]]  # (name, Sphinx label, URL)
    talks: list[tuple[str, str, bool]]  # (paper key, first author's slug, more authors)
    posters: list[tuple[str, str]]  # (paper key, board)
    calendar: str  # file name, "" without a time zone


def schedule_context(schedule: Schedule, papers: Mapping[str, Paper]) -> dict[str, object]:
    """What ``schedule.md.jinja`` renders."""
    rows = []
    for item in schedule.items:
        speakers = []
        for name in item.speakers:
            found = schedule.speaker(name)
            speakers.append((found.name, found.ref, found.url) if found else (name, "", ""))
        listed = schedule.session_papers(item, papers)
        talks, posters = [], []
        for paper in listed:
            if item.type == "poster-session":
                posters.append((paper.key, paper.board if paper.session == item.id else ""))
            else:
                talks.append((paper.key, paper.authors[0].slug, len(paper.authors) > 1))
        rows.append(Row(
            item, item_label(item), BADGE_COLOURS[item.type],
            (clock(item.start, schedule.date), iso(schedule, item.start)),
            (clock(item.end, schedule.date), iso(schedule, item.end)) if item.end else None,
            speakers, talks, posters, item_file(item) if schedule.zone else ""))
    return {
        "schedule": schedule, "rows": rows, "zone": zone_label(schedule),
        "city": zone_city(schedule), "day": day_text(schedule),
        "day_file": DAY_FILE if schedule.zone else "",
    }


def schedule_signature(schedule: Schedule | None, papers: Mapping[str, Paper]) -> str:
    """Changes when anything the schedule table shows changes (titles aside:
    those are links filled in when pages are written)."""
    if schedule is None:
        return ""
    sessions = sorted((p.key, p.session, p.board, p.authors[0].slug if p.authors else "")
                      for p in papers.values() if p.session)
    named = sorted({k for i in schedule.items for k in i.papers})
    present = [(k, papers[k].authors[0].slug, len(papers[k].authors)) for k in named if k in papers]
    text = repr((schedule, sessions, present))
    return hashlib.sha256(text.encode()).hexdigest()
