"""``papers/schedule.yml`` read into the model, and every problem with its line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from textwrap import dedent

import pytest

from sphinx_proceedings.core.model import Paper, Person, Source
from sphinx_proceedings.core.schedule import read_schedule

PATH = Path("papers/schedule.yml")
PAPERS = {
    "wave2024talk": Paper("wave2024talk", "Waves That Talk", (Person("Ines", "Talker"),),
                          Source(Path("papers/volume.bib"), 1)),
    "board2024poster": Paper("board2024poster", "A Poster", (Person("Bea", "Board"),),
                             Source(Path("papers/volume.bib"), 9), session="posters", board="7"),
}


def read(text: str, papers: dict | None = None):
    return read_schedule(PATH, dedent(text), PAPERS if papers is None else papers)


def said(problem) -> str:
    """``path:line: level: message`` (its kind is checked in tests/core/test_problems.py)."""
    return f"{problem.source}: {problem.level}: {problem.message}"


def messages(text: str, papers: dict | None = None) -> list[str]:
    return [said(p) for p in read(text, papers)[1]]


GOOD = """\
    date: 2024-05-11
    timezone: Europe/Vienna
    name: Test Workshop
    speakers:
      - {name: Ada Lovelace, ref: speaker-ada, affiliation: Engines}
    items:
      - {start: "09:45", end: "10:00", type: Contributed talk, papers: wave2024talk}
      - {start: 8:30, end: 9:00, type: invited-talk, speakers: ada  lovelace}
      - {start: "10:00", end: "10:30", type: poster-session, id: posters, title: Posters}
      - {start: "23:00", type: networking, note: for registered attendees}
"""


def test_a_good_schedule_is_read_in_time_order() -> None:
    schedule, problems = read(GOOD)
    assert problems == []
    assert schedule.date == date(2024, 5, 11) and schedule.timezone == "Europe/Vienna"
    assert [(i.id, i.type, i.title) for i in schedule.items] == [
        ("0830", "invited-talk", "Invited talk"),
        ("0945", "contributed-talk", "Contributed talk"),
        ("posters", "poster-session", "Posters"),
        ("2300", "networking", "Networking"),
    ]
    talk = schedule.items[0]
    # Unquoted 8:30 is YAML 1.1's sexagesimal 510; the file's text is what counts.
    assert talk.start == datetime(2024, 5, 11, 8, 30) and talk.end == datetime(2024, 5, 11, 9)
    assert talk.source == Source(PATH, 8)
    assert schedule.speaker(talk.speakers[0]).ref == "speaker-ada"
    assert schedule.items[-1].end is None
    assert schedule.aware(talk.start).utcoffset().total_seconds() == 2 * 3600
    posters = schedule.item("posters")
    assert [p.key for p in schedule.session_papers(posters, PAPERS)] == ["board2024poster"]


def test_24_00_ends_the_day() -> None:
    schedule, problems = read("""\
        date: 2024-05-11
        timezone: UTC
        items:
          - {start: "23:00", end: "24:00", type: networking}
    """, papers={})
    assert problems == []
    assert schedule.items[0].end == datetime(2024, 5, 12, 0, 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("date: 2024-05-11\nitems:\n  - {start: '08:00', end: '09:00', type: opening}\n",
     "papers/schedule.yml:1: error: missing time zone: add 'timezone:' with an IANA name such "
     "as Europe/Vienna"),
    ("date: 2024-05-11\ntimezone: Europe/Viena\nitems:\n  - {start: '08:00', type: opening}\n",
     "papers/schedule.yml:2: error: unknown time zone 'Europe/Viena': use an IANA name such as "
     "Europe/Vienna or America/New_York"),
    ("timezone: UTC\nitems: []\n",
     "papers/schedule.yml:1: error: missing 'date' (the day of the event, YYYY-MM-DD)"),
    ("date: 11 May\ntimezone: UTC\n",
     "papers/schedule.yml:1: error: date '11 May' is not a date (YYYY-MM-DD)"),
    ("date: 2024-05-11\ntimezone: UTC\nitems: [\n",
     "papers/schedule.yml:4: error: cannot parse YAML: expected the node content, but found "
     "'<stream end>'"),
    ("- just\n- a list\n", "papers/schedule.yml:1: error: the schedule must be a mapping of fields"),
])
def test_unusable_files_say_why(text: str, expected: str) -> None:
    assert messages(text)[0] == expected


def test_each_problem_names_its_line() -> None:
    text = """\
        date: 2024-05-11
        timezone: Europe/Vienna
        speakers:
          - {name: Ada Lovelace, url: "javascript:alert(1)"}
        items:
          - {start: "08:15", end: "08:45", type: opening}
          - {start: "08:30", end: "09:00", type: invited-talk, speakers: Grace Hoper}
          - {start: "09:00", end: "09:30", type: contributed-talk, papers: [nosuch2024paper]}
          - {start: "25:00", end: "25:30", type: break}
          - {start: "10:00", end: "09:50", type: lunch}
          - {start: "11:00", type: keynote, room: A}
          - {start: "12:00", end: "12:30", type: closing, id: "0830"}
          - {start: "12:30", end: "13:00", type: closing, id: "0830"}
    """
    assert messages(text) == [
        "papers/schedule.yml:4: warning: 'url' 'javascript:alert(1)' is not an http(s) address; "
        "ignored",
        "papers/schedule.yml:7: error: item 'Invited talk' (08:30–09:00) overlaps 'Opening "
        "remarks' (08:15–08:45, line 6)",
        "papers/schedule.yml:7: error: unknown speaker 'Grace Hoper' in item 'Invited talk' (not "
        "in the file's 'speakers' list)",
        "papers/schedule.yml:8: error: unknown paper 'nosuch2024paper' in item 'Contributed talk' "
        "(no such citation key in papers/)",
        "papers/schedule.yml:9: error: end '25:30' is not a time of the day (HH:MM, from 00:00 to "
        "24:00); end ignored",
        "papers/schedule.yml:9: error: start '25:00' is not a time of the day (HH:MM, from 00:00 "
        "to 24:00); item left out",
        "papers/schedule.yml:10: error: item 'Lunch' ends at 09:50, not after it starts at 10:00; "
        "its end is ignored",
        "papers/schedule.yml:11: error: item 'Session' has no end; only the last item may leave "
        "it out (taken as 12:00)",
        "papers/schedule.yml:11: warning: unknown field 'room' in an item; ignored (fields: id, "
        "start, end, type, title, speakers, papers, note)",
        "papers/schedule.yml:11: error: unknown type 'keynote' (one of: opening, invited-talk, "
        "contributed-talk, poster-session, panel, break, lunch, closing, networking, other); "
        "shown as 'other'",
        "papers/schedule.yml:12: error: id '0830' is used by an earlier item; ids must be unique "
        "(this one is taken as '0830-2')",
        "papers/schedule.yml:13: error: id '0830' is used by an earlier item; ids must be unique "
        "(this one is taken as '0830-3')",
        "papers/volume.bib:9: warning: entry 'board2024poster': session 'posters' is the id of no "
        "item in papers/schedule.yml",
    ]


def test_the_rest_of_a_broken_schedule_is_kept() -> None:
    schedule, _ = read("""\
        date: 2024-05-11
        timezone: Europe/Viena
        items:
          - {start: "08:00", end: "09:00", type: opening}
          - {start: "09:00", type: lunch}
          - {start: "10:00", end: "11:00", type: closing}
    """)
    assert schedule.timezone == "" and schedule.zone is None
    assert [i.end.hour for i in schedule.items] == [9, 10, 11]


def test_a_time_the_clocks_skip_is_reported() -> None:
    assert messages("""\
        date: 2024-03-31
        timezone: Europe/Vienna
        items:
          - {start: "02:30", end: "03:30", type: opening}
    """, papers={}) == ["papers/schedule.yml:4: error: 02:30 does not exist on 2024-03-31 in Europe/Vienna "
             "(the clocks jump forward)"]


def test_sessions_without_a_schedule_or_a_board_without_a_session() -> None:
    papers = {**PAPERS, "lone2024board": Paper("lone2024board", "Lone", (Person("L", "One"),),
                                               Source(Path("papers/volume.bib"), 20), board="3")}
    schedule, problems = read_schedule(PATH, None, papers)
    assert schedule is None
    assert [said(p) for p in problems] == [
        "papers/volume.bib:9: warning: entry 'board2024poster': session 'posters' is given, but "
        "there is no papers/schedule.yml",
        "papers/volume.bib:20: warning: entry 'lone2024board': board '3' given without a "
        "session; not shown",
    ]


def test_hostile_yaml_gives_messages_not_tracebacks() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nitems: *c\ndate: 2024-05-11\ntimezone: UTC\n"
    schedule, problems = read(bomb, papers={})
    assert problems and all(p.source.path == PATH for p in problems)
    assert messages("date: 2024-05-11\ntimezone: UTC\nitems:\n  - !!python/object:os.system {}\n")
    assert messages("\t- tab") and messages("date: [" * 200)
