"""The workshop's day as data: ``papers/schedule.yml`` read into frozen dataclasses.

The file is parsed into PyYAML's node tree, not into Python values: every
scalar keeps the text the organizer typed (``9:30`` stays a time instead of
YAML 1.1's sexagesimal 570) and its line, so each problem names
``schedule.yml:LINE``.  `read_schedule` is the one validation both the
build and ``proceedings check`` run; it never raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sphinx_proceedings.core.model import Paper, Problem, Source
from sphinx_proceedings.core.people import photo_file, web_link
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.yaml_nodes import NodeReader, compose

SCHEDULE_FILE = "schedule.yml"
MAX_SCHEDULE_BYTES = 1024 * 1024
#: The item types, each with the name shown when an item has no title.
ITEM_TYPES: dict[str, str] = {
    "opening": "Opening remarks",
    "invited-talk": "Invited talk",
    "contributed-talk": "Contributed talk",
    "poster-session": "Poster session",
    "panel": "Panel discussion",
    "break": "Break",
    "lunch": "Lunch",
    "closing": "Closing remarks",
    "networking": "Networking",
    "other": "Session",
}
TOP_FIELDS = ("date", "timezone", "name", "location", "speakers", "items")
SPEAKER_FIELDS = ("name", "affiliation", "url", "ref", "photo")
ITEM_FIELDS = ("id", "start", "end", "type", "title", "speakers", "papers", "note")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")


@dataclass(frozen=True)
class Speaker:
    """Someone items name: an invited speaker, a panelist."""

    name: str
    affiliation: str = ""
    url: str = ""
    ref: str = ""  # a Sphinx label: the speaker's card ({speakers}) or a hand-written one
    photo: Path | None = None  # a picture inside papers/ (core/people.py checks it)


@dataclass(frozen=True)
class Item:
    """One slot of the day, in the event's local (wall-clock) time."""

    id: str
    type: str
    title: str
    start: datetime  # naive: local time on the schedule's date
    end: datetime | None  # None: open-ended (only the last item)
    source: Source
    speakers: tuple[str, ...] = ()  # names, as in `Schedule.speakers`
    papers: tuple[str, ...] = ()  # citation keys
    note: str = ""


@dataclass(frozen=True)
class Schedule:
    """The day: its date, its time zone and its items in time order."""

    date: date
    timezone: str  # IANA name; "" when missing or unknown (reported)
    items: tuple[Item, ...]
    source: Source
    speakers: tuple[Speaker, ...] = ()
    name: str = ""
    location: str = ""

    @property
    def zone(self) -> tzinfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    def aware(self, moment: datetime) -> datetime | None:
        """A local time with the event's zone attached, or None without a zone."""
        zone = self.zone
        return moment.replace(tzinfo=zone) if zone else None

    def speaker(self, name: str) -> Speaker | None:
        wanted = _name_key(name)
        return next((s for s in self.speakers if _name_key(s.name) == wanted), None)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def session_papers(self, item: Item, papers: Mapping[str, Paper]) -> list[Paper]:
        """The item's papers: those it names, then those whose ``session`` is its id."""
        named = [papers[k] for k in item.papers if k in papers]
        by_session = sorted((p for p in papers.values() if p.session == item.id and p not in named),
                            key=lambda p: (_board_key(p.board), p.title.casefold(), p.key))
        return named + by_session


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _board_key(board: str) -> tuple[int, int, str]:
    """Boards in number order (``2`` before ``10``), papers without one last."""
    digits = re.match(r"\d+", board)
    return (0 if board else 1, int(digits.group()) if digits else 0, board)


def _time_of_day(text: str, day: date, allow_midnight: bool) -> datetime | None:
    """``HH:MM`` on ``day``; ``24:00`` (the next midnight) only as an end."""
    if allow_midnight and text in ("24:00", "24:00:00"):
        return datetime.combine(day, time()) + timedelta(days=1)
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.combine(day, datetime.strptime(text, pattern).time())
        except ValueError:
            continue
    return None


def _exists(moment: datetime, zone: tzinfo) -> bool:
    """False for a wall-clock time skipped when clocks are put forward."""
    there = moment.replace(tzinfo=zone)
    return there.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment


def clock(moment: datetime, day: date) -> str:
    """``HH:MM`` of a local time on ``day``; the midnight that ends it is ``24:00``."""
    return "24:00" if moment.date() > day else moment.strftime("%H:%M")


def _zone(reader: NodeReader, fields: dict, root: yaml.Node) -> str:
    """The IANA time zone name, or "" (reported) when missing or unknown."""
    name = reader.text(fields, "timezone")
    if not name:
        reader.problem(fields["timezone"][1] if "timezone" in fields else root,
                       "missing time zone: add 'timezone:' with an IANA name such as "
                       "Europe/Vienna", ProblemKind.SCHEDULE_TIMEZONE)
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.problem(fields["timezone"][1], f"unknown time zone {name!r}: use an IANA name "
                       "such as Europe/Vienna or America/New_York", ProblemKind.SCHEDULE_TIMEZONE)
        return ""
    return name


def _speakers(reader: NodeReader, fields: dict, root: Path | None) -> tuple[Speaker, ...]:
    if "speakers" not in fields:
        return ()
    node = fields["speakers"][1]
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, "'speakers' must be a list of people", ProblemKind.SCHEDULE_FIELD)
        return ()
    found: dict[str, Speaker] = {}
    for entry in node.value:
        data = reader.mapping(entry, SPEAKER_FIELDS, "a speaker")
        if data is None:
            continue
        name = reader.text(data, "name")
        ref = reader.text(data, "ref")
        if not name:
            reader.problem(entry, "a speaker needs a 'name'", ProblemKind.SCHEDULE_FIELD)
            continue
        if _name_key(name) in found:
            reader.problem(entry, f"speaker {name!r} is listed twice", ProblemKind.SCHEDULE_SPEAKER)
            continue
        if ref and not _LABEL.match(ref):
            reader.problem(data["ref"][1], f"'ref' {ref!r} is not a Sphinx label; ignored",
                           ProblemKind.SCHEDULE_IGNORED)
            ref = ""
        found[_name_key(name)] = Speaker(
            name, reader.text(data, "affiliation"),
            web_link(reader, data, ProblemKind.SCHEDULE_IGNORED), ref,
            photo_file(reader, data, root, ProblemKind.SCHEDULE_IGNORED))
    return tuple(found.values())


def _item(reader: NodeReader, node: yaml.Node, day: date) -> tuple[Item | None, bool]:
    """One item (None when it has no usable start: reported), and whether it gave
    an end that could not be used (reported too)."""
    data = reader.mapping(node, ITEM_FIELDS, "an item")
    if data is None:
        return None, False
    line = node.start_mark.line + 1
    raw_type = reader.text(data, "type")
    kind = re.sub(r"[\s_]+", "-", raw_type.lower())
    if not raw_type:
        reader.problem(node, f"item has no 'type' (one of: {', '.join(ITEM_TYPES)})",
                       ProblemKind.SCHEDULE_TYPE)
        kind = "other"
    elif kind not in ITEM_TYPES:
        reader.problem(data["type"][1], f"unknown type {raw_type!r} (one of: "
                       f"{', '.join(ITEM_TYPES)}); shown as 'other'", ProblemKind.SCHEDULE_TYPE)
        kind = "other"
    title = reader.text(data, "title") or ITEM_TYPES[kind]
    times: dict[str, datetime | None] = {"start": None, "end": None}
    for which in times:
        text = reader.text(data, which)
        if not text:
            continue
        times[which] = _time_of_day(text, day, allow_midnight=which == "end")
        if times[which] is None:
            reader.problem(data[which][1], f"{which} {text!r} is not a time of the day "
                           "(HH:MM, from 00:00 to 24:00); " + ("item left out" if which == "start"
                                                                else "end ignored"),
                           ProblemKind.SCHEDULE_TIME)
    start, end = times["start"], times["end"]
    if start is None:
        if "start" not in data:
            reader.problem(node, f"item {title!r} has no 'start' (HH:MM); left out",
                           ProblemKind.SCHEDULE_TIME)
        return None, False
    if end is not None and end <= start:
        reader.problem(data["end"][1], f"item {title!r} ends at {clock(end, day)}, not after "
                       f"it starts at {clock(start, day)}; its end is ignored", ProblemKind.SCHEDULE_TIME)
        end = None
    item_id = reader.text(data, "id") or start.strftime("%H%M")
    if not _ID.match(item_id):
        reader.problem(data["id"][1], f"id {item_id!r} may only use lowercase letters, digits "
                       "and single hyphens; the start time is used", ProblemKind.SCHEDULE_FIELD)
        item_id = start.strftime("%H%M")
    return Item(item_id, kind, title, start, end, Source(reader.path, line),
                reader.names(data, "speakers"), reader.names(data, "papers"),
                reader.text(data, "note")), end is None and "end" in data


def _span(item: Item, day: date) -> str:
    end = f"–{clock(item.end, day)}" if item.end else ""
    return f"{clock(item.start, day)}{end}"


def _check_items(reader: NodeReader, items: list[Item], schedule_zone: str, day: date,
                 speakers: tuple[Speaker, ...], papers: Mapping[str, Paper],
                 bad_ends: set[Item]) -> list[Item]:
    """Order, open ends, overlaps and references; returns the items as they are used.

    An item whose end was unusable (``bad_ends``, already reported) lasts until
    the next one starts."""
    items.sort(key=lambda i: (i.start, i.source.line or 0))
    zone = ZoneInfo(schedule_zone) if schedule_zone else None
    known = {_name_key(s.name) for s in speakers}
    seen_ids: set[str] = set()
    out: list[Item] = []
    latest: Item | None = None  # the earlier item that ends last
    for index, item in enumerate(items):
        line = item.source.line
        if item.id in seen_ids:
            unique = next(f"{item.id}-{n}" for n in range(2, len(items) + 2)
                          if f"{item.id}-{n}" not in seen_ids)
            reader.problem(line, f"id {item.id!r} is used by an earlier item; ids must be "
                           f"unique (this one is taken as {unique!r})", ProblemKind.SCHEDULE_FIELD)
            item = replace(item, id=unique)
        seen_ids.add(item.id)
        if item.end is None and index + 1 < len(items):
            following = items[index + 1].start
            if item not in bad_ends:
                reader.problem(line, f"item {item.title!r} has no end; only the last item may "
                               f"leave it out (taken as {clock(following, day)})", ProblemKind.SCHEDULE_TIME)
            item = replace(item, end=following)
        if latest is not None and (latest.end is None or latest.end > item.start):
            reader.problem(line, f"item {item.title!r} ({_span(item, day)}) overlaps "
                           f"{latest.title!r} ({_span(latest, day)}, line {latest.source.line})",
                           ProblemKind.SCHEDULE_OVERLAP)
        if latest is None or latest.end is not None and (item.end is None or item.end > latest.end):
            latest = item
        if zone is not None:
            for moment in (item.start, item.end):
                if moment is not None and not _exists(moment, zone):
                    reader.problem(line, f"{clock(moment, day)} does not exist on {day} in "
                                   f"{schedule_zone} (the clocks jump forward)", ProblemKind.SCHEDULE_TIME)
        for name in item.speakers:
            if _name_key(name) not in known:
                reader.problem(line, f"unknown speaker {name!r} in item {item.title!r} (not "
                               "in the file's 'speakers' list)", ProblemKind.SCHEDULE_SPEAKER)
        for key in item.papers:
            if key not in papers:
                reader.problem(line, f"unknown paper {key!r} in item {item.title!r} (no "
                               "such citation key in papers/)", ProblemKind.SCHEDULE_PAPER)
        out.append(item)
    return out


def check_sessions(path: Path | None, schedule: Schedule | None,
                   papers: Mapping[str, Paper]) -> list[Problem]:
    """Papers whose ``session`` names no item, or that give a ``board`` without one."""
    problems = []
    for paper in papers.values():
        if paper.session and (schedule is None or schedule.item(paper.session) is None):
            where = f"the id of no item in {path}" if schedule else f"given, but there is no {path}"
            problems.append(Problem(ProblemKind.SCHEDULE_SESSION, f"entry {paper.key!r}: "
                                    f"session {paper.session!r} is {where}", paper.source))
        if paper.board and not paper.session:
            problems.append(Problem(ProblemKind.SCHEDULE_SESSION, f"entry {paper.key!r}: "
                                    f"board {paper.board!r} given without a session; not shown",
                                    paper.source))
    return problems


def read_schedule(path: Path, text: str | None, papers: Mapping[str, Paper],
                  root: Path | None = None) -> tuple[Schedule | None, list[Problem]]:
    """The schedule in ``text`` (the content of ``path``; None: no such file, or
    unreadable and reported) and every problem in it, papers' ``session`` included.

    ``papers`` (by key) lets references be checked.  The schedule is None
    when the file has no usable date; a missing or unknown time zone still
    gives one, with times shown as written and no calendar files.  Speakers'
    photos are looked up under ``root`` (the papers folder).
    """
    reader = NodeReader(path, ProblemKind.SCHEDULE_FIELD, ProblemKind.SCHEDULE_IGNORED)
    top = compose(reader, text, ProblemKind.SCHEDULE_YAML) if text is not None else None
    schedule = None
    if top is not None:
        schedule = _schedule(reader, top, papers, root)
    elif text is not None and not reader.problems:
        reader.problem(1, "the file is empty: give 'date', 'timezone' and 'items'",
                       ProblemKind.SCHEDULE_FIELD)
    problems = reader.problems + check_sessions(path, schedule, papers)
    return schedule, sorted(problems, key=lambda p: (str(p.source.path), p.source.line or 0,
                                                    p.message))


def _schedule(reader: NodeReader, top: yaml.Node, papers: Mapping[str, Paper],
              root: Path | None) -> Schedule | None:
    fields = reader.mapping(top, TOP_FIELDS, "the schedule")
    if fields is None:
        return None
    raw_date = reader.text(fields, "date")
    try:
        day = date.fromisoformat(raw_date)
    except ValueError:
        where = fields["date"][1] if "date" in fields else top
        reader.problem(where, f"date {raw_date!r} is not a date (YYYY-MM-DD)" if raw_date else
                       "missing 'date' (the day of the event, YYYY-MM-DD)", ProblemKind.SCHEDULE_FIELD)
        return None
    zone = _zone(reader, fields, top)
    speakers = _speakers(reader, fields, root)
    items: list[Item] = []
    bad_ends: set[Item] = set()
    node = fields.get("items", (None, None))[1]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.problem(node or top, "'items' must be a list of the day's items",
                       ProblemKind.SCHEDULE_FIELD)
    else:
        for entry in node.value:
            item, bad_end = _item(reader, entry, day)
            if item is not None:
                items.append(item)
                if bad_end:
                    bad_ends.add(item)
    items = _check_items(reader, items, zone, day, speakers, papers, bad_ends)
    return Schedule(day, zone, tuple(items), Source(reader.path, 1), speakers,
                    reader.text(fields, "name"), reader.text(fields, "location"))
