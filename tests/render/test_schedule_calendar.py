"""The schedule as text and as iCalendar files, read back with ``icalendar``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from sphinx_proceedings.core.model import Source
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.schedule import Item, Schedule
from sphinx_proceedings.render.calendar import calendar_files
from sphinx_proceedings.render.schedule import paper_slots, utc_offset, zone_label

REPO = Path(__file__).resolve().parents[2]
STAMP = datetime(2024, 4, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def real():
    """The real workshop's papers and schedule, as the build reads them."""
    proceedings = read_proceedings(REPO / "papers")
    assert [str(p) for p in proceedings.problems if "schedule" in p.kind.value] == []
    assert proceedings.schedule is not None
    return proceedings


def one_item_schedule(zone: str, day: date = date(2024, 5, 11)) -> Schedule:
    start = datetime.combine(day, datetime.min.time()).replace(hour=9)
    item = Item("0900", "opening", "Opening remarks", start, start + timedelta(minutes=15),
                Source(Path("s.yml"), 1))
    return Schedule(day, zone, (item,), Source(Path("s.yml"), 1))


@pytest.mark.parametrize(("zone", "label"), [
    ("Europe/Vienna", "CEST, UTC+2"),
    ("Asia/Kolkata", "IST, UTC+5:30"),
    ("America/Sao_Paulo", "UTC-3"),  # its abbreviation is "-03": the offset says it all
    ("UTC", "UTC"),
    ("", ""),
])
def test_zone_label(zone: str, label: str) -> None:
    assert zone_label(one_item_schedule(zone)) == label


def test_offsets_in_winter_and_summer() -> None:
    winter = one_item_schedule("Europe/Vienna", date(2024, 1, 20))
    assert zone_label(winter) == "CET, UTC+1"
    assert utc_offset(datetime(2024, 1, 1, tzinfo=UTC)) == "UTC"


def test_paper_pages_name_their_talk(real) -> None:
    slots = paper_slots(real.schedule, real.by_key)
    (talk,) = slots["wei2024generative"]
    assert f"{talk.kind}: {talk.when}" == "Talk: 09:45–10:00, Saturday 11 May"
    assert (talk.zone, talk.label) == ("CEST, UTC+2", "schedule-0945")
    assert set(slots) == {"wei2024generative", "eliasof2024data", "liuschiaffini2024neural",
                          "liu2024multigrained"}


def test_real_calendar_in_utc_is_vienna_minus_two_hours(real) -> None:
    files = calendar_files(real.schedule, real.by_key, "https://example.org/schedule.html",
                           "AI4DiffEqtnsInSci", STAMP)
    day = icalendar.Calendar.from_ical(files["schedule.ics"])
    events = day.walk("VEVENT")
    assert len(events) == len(real.schedule.items) == 21
    (zone,) = day.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Vienna"
    for item, event in zip(real.schedule.items, events, strict=True):
        start = event.decoded("DTSTART")
        assert start.astimezone(UTC).replace(tzinfo=None) == item.start - timedelta(hours=2)
        if item.end is not None:
            end = event.decoded("DTEND")
            assert end.astimezone(UTC).replace(tzinfo=None) == item.end - timedelta(hours=2)
        else:
            assert "DTEND" not in event
    first = events[0]
    assert first.decoded("DTSTART").astimezone(UTC) == datetime(2024, 5, 11, 6, 15, tzinfo=UTC)
    talk = next(e for e in events if "Generative PDE Control" in str(e["SUMMARY"]))
    assert str(talk["URL"]) == "https://example.org/schedule.html#schedule-0945"
    assert "Long Wei" in str(talk["DESCRIPTION"])
    assert str(talk["LOCATION"]) == "Vienna, Austria (hybrid)"


def test_one_file_per_item_with_one_event(real) -> None:
    files = calendar_files(real.schedule, real.by_key, "", "", STAMP)
    assert len(files) == 22 and "schedule-0815.ics" in files
    calendar = icalendar.Calendar.from_ical(files["schedule-1430.ics"])
    (panel,) = calendar.walk("VEVENT")
    assert str(panel["SUMMARY"]) == ("Panel discussion: Kevin Carlberg, Marta D’Elia, Shirley Ho, "
                                     "Max Welling")
    assert panel.decoded("DTSTART").astimezone(UTC).hour == 12
    assert len({str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["UID"])
                for data in files.values() if data is not files["schedule.ics"]}) == 21


def test_calendar_files_depend_only_on_their_inputs(real) -> None:
    first = calendar_files(real.schedule, real.by_key, "", "X", STAMP)
    assert first == calendar_files(real.schedule, real.by_key, "", "X", STAMP)


def test_no_calendar_without_a_time_zone() -> None:
    assert calendar_files(one_item_schedule(""), {}, "", "", STAMP) == {}
