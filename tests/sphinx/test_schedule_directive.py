"""The ``{schedule}`` directive, paper pages' slots and the calendar files in real builds."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
from click.testing import CliRunner
from conftest import html, warnings

from sphinx_proceedings.cli.app import main


def rows(app) -> list[tuple[str, str]]:
    table = html(app, "schedule").select_one("table.proceedings-schedule")
    return [tuple(td.get_text(" ", strip=True) for td in tr.find_all("td"))
            for tr in table.select("tbody tr")]


def test_schedule_table(site, build):
    app = build(site("schedule"), confoverrides={"nitpicky": True})
    assert warnings(app) == []
    assert [r[0] for r in rows(app)] == ["08:15 – 08:30", "08:30 – 09:00", "09:45 – 10:00",
                                          "10:00 – 10:30", "10:30 – 11:15", "12:45 – 13:45",
                                          "from 17:15"]
    page = html(app, "schedule")
    times = [t["datetime"] for t in page.select("table.proceedings-schedule time")]
    assert times[:2] == ["2024-05-11T08:15+02:00", "2024-05-11T08:30+02:00"]
    assert page.select_one(".proceedings-zone-name").get_text() == "Vienna time, CEST, UTC+2"
    cells = {r[0]: r[1] for r in rows(app)}
    assert cells["08:15 – 08:30"] == "Opening remarks the organizers .ics"
    assert cells["09:45 – 10:00"] == "Contributed talk Waves That Talk , by Ines Talker et al. .ics"
    assert cells["10:30 – 11:15"].startswith("Panel discussion Ada Lovelace , Grace Hopper and "
                                             "Alan Turing")
    badge = page.find("span", class_="sd-badge", string="Invited talk")
    assert "sd-bg-primary" in badge["class"]
    links = {a.get_text(): a["href"] for a in page.select("table.proceedings-schedule a")}
    assert links["Ada Lovelace"] == "speakers.html#speaker-ada"
    assert links["Grace Hopper"] == "https://example.org/grace"
    assert links["Waves That Talk"] == "proceedings/papers/wave2024talk.html"
    assert links["Ines Talker"] == "proceedings/authors/ines-talker.html"
    # A poster session lists its papers by board number, then those without one.
    posters = page.select("details.proceedings-session-papers li")
    assert [li.get_text(" ", strip=True) for li in posters] == [
        "Board 3: A Poster on Board Three", "Board 12: A Poster on Board Twelve",
        "A Poster Without a Board"]
    assert page.find("tr", id=None).find(id="schedule-0815") is None  # the header row
    assert page.find(id="schedule-posters-1") is not None


def test_paper_pages_link_back_to_their_slot(site, build):
    app = build(site("schedule"))
    talk = html(app, "proceedings/papers/wave2024talk").select_one(".proceedings-slots")
    assert talk.get_text(" ", strip=True) == "Talk: 09:45–10:00, Saturday 11 May (CEST, UTC+2)"
    assert talk.find("a")["href"] == "../../schedule.html#schedule-0945"
    poster = html(app, "proceedings/papers/board2024twelve").select_one(".proceedings-slots")
    assert poster.get_text(" ", strip=True) == (
        "Poster: Poster session 1, 10:00–10:30, Saturday 11 May (CEST, UTC+2), board 12")
    assert poster.find("a")["href"] == "../../schedule.html#schedule-posters-1"
    assert html(app, "proceedings/papers/late2024poster").select_one(".proceedings-slots") \
        .get_text(" ", strip=True).endswith("(CEST, UTC+2)")


def test_calendar_files_are_written_and_linked(site, build):
    app = build(site("schedule"))
    out = Path(app.outdir)
    page = html(app, "schedule")
    day = page.select_one(".proceedings-schedule-calendar a")
    assert day.get_text() == "the whole day" and day["href"] == "calendar/schedule.ics"
    row_links = [a["href"] for a in page.select("table.proceedings-schedule a.proceedings-ics")]
    assert row_links[:2] == ["calendar/schedule-0815.ics", "calendar/schedule-0830.ics"]
    assert all((out / href).is_file() for href in row_links)
    calendar = icalendar.Calendar.from_ical((out / "calendar/schedule-0830.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2024-05-11T08:30:00+02:00"
    assert str(event["URL"]) == "https://example.org/ws/schedule.html#schedule-0830"
    assert str(event["SUMMARY"]) == "Invited talk: Ada Lovelace · Schedule Workshop"
    script = page.find("script", src=re.compile("proceedings-schedule.js"))
    assert script is not None and (out / "_static/proceedings-schedule.js").is_file()
    # Only the schedule page loads the script.
    assert html(app, "index").find("script", src=re.compile("proceedings-schedule")) is None


def test_an_edit_rewrites_what_changed(site, build):
    root = site("schedule")
    app = build(root)
    out = Path(app.outdir)

    def stamps() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in (out / "calendar").iterdir()}

    before = stamps()
    volume = root / "papers" / "volume.bib"
    volume.write_text(volume.read_text().replace("board = {12}", "board = {1}"))
    app = build(root)
    posters = html(app, "schedule").select("details.proceedings-session-papers li")
    assert posters[0].get_text(" ", strip=True) == "Board 1: A Poster on Board Twelve"
    after = stamps()
    assert {name for name in before if before[name] != after[name]} == {
        "schedule.ics", "schedule-posters-1.ics"}  # the board is in the session's description

    schedule = root / "papers" / "schedule.yml"
    schedule.write_text(schedule.read_text().replace('start: "09:45"', 'start: "09:40"'))
    app = build(root)
    assert "09:40 – 10:00" in [r[0] for r in rows(app)]
    talk = html(app, "proceedings/papers/wave2024talk").select_one(".proceedings-slots")
    assert "Talk: 09:40–10:00" in talk.get_text() and "#schedule-0940" in talk.find("a")["href"]
    assert (out / "calendar/schedule-0940.ics").is_file()
    assert not (out / "calendar/schedule-0945.ics").exists()


def _build_warnings(app) -> set[tuple[str, str]]:
    found = set()
    for line in warnings(app):
        match = re.match(r"^(papers/\S+:\d+): WARNING: (.*) \[proceedings\.schedule-[a-z]+\]$", line)
        if match:
            found.add(match.groups())
    return found


def test_check_and_build_report_the_same_problems(site, build):
    root = site("schedule-broken")
    app = build(root)
    built = _build_warnings(app)
    result = CliRunner().invoke(main, ["-C", str(root), "check"], catch_exceptions=False)
    assert result.exit_code == 1
    checked = {m.group(1, 2) for m in (re.match(r"^(papers/\S+:\d+): (?:error|warning): (.*) "
                                                r"\[proceedings\.[a-z-]+\]$", line)
                                       for line in result.output.splitlines()) if m}
    assert built == checked
    assert ("papers/schedule.yml:2", "unknown time zone 'Europe/Viena': use an IANA name such as "
            "Europe/Vienna or America/New_York") in built
    assert ("papers/schedule.yml:7", "item 'Invited talk' (08:30–09:00) overlaps 'Opening "
            "remarks' (08:15–08:45, line 6)") in built
    assert ("papers/schedule.yml:8", "unknown speaker 'Grace Hoper' in item 'Invited talk' (not "
            "in the file's 'speakers' list)") in built
    assert ("papers/schedule.yml:9", "unknown paper 'nosuch2024paper' in item 'Contributed "
            "talk' (no such citation key in papers/)") in built
    assert ("papers/volume.bib:7", "entry 'lost2024poster': session 'posters-9' is the id of no "
            "item in papers/schedule.yml") in built
    assert len(built) == 10
    # The rest still builds: times as written, no zone, no calendar files.
    assert rows(app)[0][0] == "08:15 – 08:45"
    page = html(app, "schedule")
    assert page.select_one(".proceedings-schedule-zone").get_text(strip=True) == \
        "Times are local times at the event."
    assert page.select("a.proceedings-ics") == []
    assert not (Path(app.outdir) / "calendar").exists()


def test_a_missing_schedule_file_is_one_warning(site, build):
    root = site("schedule")
    (root / "papers" / "schedule.yml").unlink()
    (root / "papers" / "volume.bib").write_text(
        re.sub(r"\s*session = \{posters-1\},|\s*board = \{\d+\},", "",
               (root / "papers" / "volume.bib").read_text()))
    app = build(root)
    assert [w.split(": ", 1)[1] for w in warnings(app)] == [
        "WARNING: schedule: there is no schedule.yml in the papers folder to show "
        "[proceedings.schedule-missing]"]
    assert "not available" in html(app, "schedule").select_one(".proceedings-empty").get_text()


def test_a_schedule_no_page_shows_is_one_warning(site, build):
    root = site("schedule")
    (root / "schedule.md").write_text("# Schedule\n\nNot yet.\n")
    app = build(root)
    assert warnings(app) == [
        "papers/schedule.yml:1: WARNING: no page shows this schedule: put a ```{schedule}``` "
        "directive on the schedule page [proceedings.schedule-page]"]
    talk = html(app, "proceedings/papers/wave2024talk").select_one(".proceedings-slots")
    assert talk.get_text(" ", strip=True).startswith("Talk: 09:45–10:00") and talk.find("a") is None


def test_latex_output_has_no_calendar_links(site, build):
    app = build(site("schedule"), "latex",
                confoverrides={"proceedings_book_front_matter": ["index", "schedule"]})
    assert warnings(app) == []
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert ".ics" not in tex and "calendar" not in tex
    assert "08:15" in tex and "Poster session 1" in tex
