"""The real site's people cards in Chromium: every card shown, a schedule link lands on one."""

from __future__ import annotations

import pytest
from test_focus import real_server  # noqa: F401 - the real site, served

PAGES = ("speakers", "organizers")



@pytest.mark.parametrize("name", PAGES)
def test_people_pages_show_every_card(chromium, real_server: str, name: str):  # noqa: F811
    """axe and vnu check these pages with every other page type (test_real_site_browser.py)."""
    tab = chromium.new_page()
    tab.goto(real_server + f"{name}.html")
    cards = tab.locator(".proceedings-person:visible").count()
    tab.close()
    assert cards == 12


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
