"""The schedule page in Debian's Chromium: the reader's time-zone switch.

The fixture site ``test-schedule`` (Vienna, 11 May 2024, CEST = UTC+2) is built
with ``sphinx-build -W -n`` and opened in browser contexts with a chosen time
zone (Playwright's ``timezone_id``).  Skips like ``test_browser.py``.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import settled
from test_browser import ARTIFACTS, AXE, ROOTS, WIDTHS, browser  # noqa: F401 - a fixture
from test_html_validity import checker, vnu_errors  # noqa: F401 - a fixture

PAGE = "schedule.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("schedule") / "site"
    shutil.copytree(ROOTS / "test-schedule", target)
    out = target / "_build" / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", str(target),
         str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    out = built

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def open_in(browser, served):  # noqa: F811 - the imported fixture
    """Open the schedule page in a context with the given time zone (and options)."""
    contexts = []
    errors: list[str] = []

    def go(zone: str, **options):
        context = browser.new_context(timezone_id=zone, **options)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(served + PAGE)
        return tab

    yield go
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def first_times(tab, count: int = 3) -> list[str]:
    return tab.locator("table.proceedings-schedule td:first-child").all_inner_texts()[:count]


def test_reader_in_new_york_switches_to_their_time(open_in):
    tab = open_in("America/New_York")
    assert first_times(tab) == ["08:15–08:30", "08:30–09:00", "09:45–10:00"]
    assert tab.locator(".proceedings-zone-name").inner_text() == "Vienna time, CEST, UTC+2"
    tab.get_by_role("button", name="My time zone").click()
    # 08:15 in Vienna (UTC+2) is 02:15 in New York (EDT, UTC-4).
    assert first_times(tab) == ["02:15–02:30", "02:30–03:00", "03:45–04:00"]
    assert tab.locator(".proceedings-zone-name").inner_text() == \
        "your time, America/New York (EDT, UTC-4)"
    assert tab.get_by_role("button", name="My time zone").get_attribute("aria-pressed") == "true"
    tab.reload()  # the choice is remembered
    assert first_times(tab, 1) == ["02:15–02:30"]
    tab.get_by_role("button", name="Event time").click()
    assert first_times(tab, 1) == ["08:15–08:30"]


def test_a_reader_a_day_ahead_sees_the_date(open_in):
    tab = open_in("Pacific/Auckland")  # UTC+12 in May: the evening's networking is on the 12th
    tab.get_by_role("button", name="My time zone").click()
    last = tab.locator("table.proceedings-schedule td:first-child").last.inner_text()
    assert last.startswith("from 03:15") and "12" in last and "May" in last


def test_no_switch_where_the_reader_is_in_the_events_zone(open_in):
    tab = open_in("Europe/Vienna")
    assert tab.locator(".proceedings-zone-switch").count() == 0
    assert first_times(tab, 1) == ["08:15–08:30"]


def test_without_javascript_the_event_times_show(open_in):
    tab = open_in("America/New_York", java_script_enabled=False)
    assert first_times(tab) == ["08:15–08:30", "08:30–09:00", "09:45–10:00"]
    assert tab.locator(".proceedings-zone-switch").count() == 0
    assert tab.locator(".proceedings-zone-name").inner_text() == "Vienna time, CEST, UTC+2"


def test_the_talk_link_lands_on_its_row(open_in, served):
    tab = open_in("UTC")
    tab.goto(served + "proceedings/papers/wave2024talk.html")
    tab.get_by_role("link", name="Talk: 09:45–10:00, Saturday 11 May").click()
    assert tab.url.endswith("schedule.html#schedule-0945")
    from playwright.sync_api import expect  # waits for the page to settle (seen failing under load)

    expect(tab.locator("#schedule-0945")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_schedule_screenshots_and_no_sideways_scroll(browser, served, width: str):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900},
                                  timezone_id="America/New_York")
    tab = context.new_page()
    tab.goto(served + PAGE)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"schedule-{width}.png"
    tab.screenshot(path=str(path), full_page=True)
    overflow = tab.evaluate("(a => a.scrollWidth - a.clientWidth)(document.querySelector('article'))")
    context.close()
    assert overflow <= 1, f"the schedule scrolls sideways at {WIDTHS[width]} px"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_reports_no_violations_on_the_schedule(open_in, mode: str):
    """With the time-zone buttons showing; nothing excluded."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (npm install --prefix tests/.node axe-core)")
    tab = open_in("America/New_York", color_scheme=mode)
    tab.evaluate("m => document.documentElement.dataset.theme = m", mode)
    settled(tab)
    tab.add_script_tag(path=str(AXE))
    script = ("axe.run().then(r => r.violations.map("
              "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))")
    violations = tab.evaluate(script)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes'][:5]}" for v in violations)



def test_schedule_and_slot_pages_are_valid_html(checker, built: Path):  # noqa: F811
    files = [str(built / PAGE), str(built / "proceedings/papers/board2024twelve.html")]
    errors = vnu_errors(checker, files)
    assert errors == [], "\n".join(errors)
