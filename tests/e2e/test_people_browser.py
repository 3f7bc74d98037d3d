"""The real site's people cards in Chromium (axe, phone and desktop, light and dark) and vnu."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from test_browser import AXE, CHROMIUM, WIDTHS
from test_focus import real_server  # noqa: F401 - the real site, served
from test_html_validity import checker  # noqa: F401 - java and vnu.jar

PAGES = ("speakers", "organizers")


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_people_pages_pass_axe(chromium, real_server: str, name: str, width: str,  # noqa: F811
                               mode: str):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (npm install --prefix tests/.node axe-core)")
    context = chromium.new_context(viewport={"width": WIDTHS[width], "height": 900},
                                   color_scheme=mode)
    tab = context.new_page()
    tab.goto(real_server + f"{name}.html")
    tab.evaluate("m => document.documentElement.dataset.theme = m", mode)
    cards = tab.locator(".proceedings-person").count()
    overflow = tab.evaluate("(a => a.scrollWidth - a.clientWidth)(document.querySelector('article'))")
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate("axe.run().then(r => r.violations.map("
                              "v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})))")
    context.close()
    assert cards == 12
    assert overflow <= 1, f"{name} scrolls sideways at {WIDTHS[width]} px"
    assert violations == [], violations


def test_a_schedule_link_lands_on_the_speakers_card(chromium, real_server: str):  # noqa: F811
    tab = chromium.new_page()
    tab.goto(real_server + "schedule.html")
    tab.locator("a[href='speakers.html#speaker-macke']").first.click()
    tab.wait_for_url("**/speakers.html#speaker-macke")
    card = tab.locator(".proceedings-person:has(#speaker-macke)")
    assert "Jakob Macke" in card.inner_text()
    assert tab.evaluate("() => getComputedStyle(document.querySelector("
                        "'.proceedings-person:has(:target)')).outlineStyle") != "none"
    tab.close()


def test_people_pages_have_no_html_errors(checker, real_site: Path):  # noqa: F811
    files = [str(real_site / f"{name}.html") for name in PAGES]
    result = subprocess.run([*checker, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []
