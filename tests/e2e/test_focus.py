"""Keyboard focus on the real site's homepage: every stop of the Tab key is visible.

Tabs through the homepage of the real site (built once per session, strictly)
in Chromium and checks that each focused element draws an outline or a ring,
including the "Explore the workshop" cards (whole-card links) and the hero
buttons, whose focused text must stay readable.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_browser import CHROMIUM, WIDTHS

FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const card = e.closest('.sd-card');
  const styles = [getComputedStyle(e), card ? getComputedStyle(card) : null].filter(Boolean);
  const ring = styles.some(s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                             || (s.boxShadow && s.boxShadow !== 'none'));
  const s = getComputedStyle(e);
  return {tag: e.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          ring: ring, color: s.color, background: s.backgroundColor,
          hero: !!e.closest('.hero-actions')};
}"""


@pytest.fixture(scope="module")
def real_server(real_site: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(real_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _luminance(css: str) -> float:
    parts = [float(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
    linear = [(c / 255) / 12.92 if c / 255 <= 0.04045 else (((c / 255) + 0.055) / 1.055) ** 2.4
              for c in parts]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_on_the_homepage_shows_focus(real_server: str, width: str, mode: str):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900},
                                      color_scheme=mode)
        tab = context.new_page()
        tab.goto(real_server + "index.html")
        tab.evaluate("m => document.documentElement.dataset.theme = m", mode)
        stops, unseen = [], []
        for _ in range(80):
            tab.keyboard.press("Tab")
            state = tab.evaluate(FOCUS_STYLE)
            if state is None:
                continue
            if state["hero"]:  # the theme animates button colours: read them when settled
                tab.wait_for_timeout(400)
                state = tab.evaluate(FOCUS_STYLE)
            stops.append(state)
            if not state["ring"]:
                unseen.append(state)
        browser.close()
    cards = [s for s in stops if s["text"].startswith(("Call for papers", "Speakers", "Schedule"))]
    assert cards, "the Explore cards are reached with Tab"
    assert unseen == [], unseen
    for hero in (s for s in stops if s["hero"]):
        if hero["background"] in ("rgba(0, 0, 0, 0)", "transparent"):
            continue
        low, high = sorted((_luminance(hero["color"]), _luminance(hero["background"])))
        assert (high + 0.05) / (low + 0.05) >= 4.5, hero
