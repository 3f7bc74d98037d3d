"""The built site in headless Chromium (Debian's), driven by Playwright.

The fixture site is built once with ``sphinx-build`` (the same command
organizers run, so Pagefind runs too) and served over HTTP from a thread.
Tests skip, saying why, when Chromium or Playwright is missing; they never
download a browser.  Screenshots land in ``tests/artifacts/`` (git-ignored).
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
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

ROOTS = Path(__file__).parents[1] / "roots"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = Path(__file__).parents[1] / ".node" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 375, "desktop": 1280}
PAGES = {
    "home": "index.html",
    "listing": "proceedings/index.html",
    "paper": "proceedings/papers/eliasof2024data.html",
    "topic": "proceedings/topics/simulation.html",
    "author": "proceedings/authors/carola-bibiane-schonlieb.html",
    "search": "proceedings/search.html",
}


def build_site(target: Path) -> Path:
    """Build the basic fixture site with sphinx-build; return the HTML folder."""
    shutil.copytree(ROOTS / "test-basic", target)
    out = target / "_build" / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", str(target), str(out)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def visible_titles(tab) -> list[str]:
    return tab.locator("li.proceedings-paper-item:visible a.reference").all_inner_texts()


def test_listing_items_carry_filter_data(built: Path):
    soup = BeautifulSoup((built / PAGES["listing"]).read_text(encoding="utf-8"), "html.parser")
    form = soup.select_one("form.proceedings-filter")
    assert form.has_attr("hidden"), "the form stays hidden without JavaScript"
    topics = [o["value"] for o in form.select("select[name=topic] option")]
    assert topics == ["", "simulation", "neural-operators", "graphs", "discovery"]
    items = {li.select_one("a").get_text(): (li["data-topics"], li["data-presentation"])
             for li in soup.select("li.proceedings-paper-item")}
    assert items["Graph Kernels for Pretend Turbulence"] == ("graphs simulation", "poster")
    assert items["Discovering PDEs – Quickly"] == ("discovery", "oral")


def test_topic_filter_shows_only_that_topic(page, server):
    page.goto(server + PAGES["listing"])
    assert len(visible_titles(page)) == 3
    page.select_option("form.proceedings-filter select[name=topic]", "graphs")
    assert sorted(visible_titles(page)) == [
        "Graph Kernels for Pretend Turbulence", "Higher-Order Graph Flows with ∇ Operators"]
    assert parse_qs(urlparse(page.url).query) == {"topic": ["graphs"]}
    assert page.locator("section#orals-1").is_hidden(), "a section left empty is hidden"
    page.select_option("form.proceedings-filter select[name=presentation]", "poster")
    assert visible_titles(page) == ["Graph Kernels for Pretend Turbulence"]
    assert parse_qs(urlparse(page.url).query) == {"topic": ["graphs"], "presentation": ["poster"]}
    assert "Showing 1 of 3" in page.locator(".proceedings-filter-status").inner_text()


def test_filter_in_the_address_is_applied_on_load(page, server):
    page.goto(server + PAGES["listing"] + "?topic=discovery")
    assert visible_titles(page) == ["Discovering PDEs – Quickly"]
    assert page.locator("select[name=topic]").input_value() == "discovery"
    page.goto(server + PAGES["listing"] + "?topic=no-such-topic")
    assert len(visible_titles(page)) == 3


def test_without_javascript_everything_is_listed(browser, server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(server + PAGES["listing"] + "?topic=discovery")
    assert len(tab.locator("li.proceedings-paper-item:visible").all()) == 3
    assert tab.locator("form.proceedings-filter").is_hidden()
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "listing", "paper", "topic", "author", "search"])
def test_screenshots(browser, server, name: str, width: str):
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    tab = context.new_page()
    tab.goto(server + PAGES[name])
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}.png"
    tab.screenshot(path=str(path), full_page=True)
    # The page content (not the theme's navbar, whose title is the fixture's) fits.
    overflow = tab.evaluate("(a => a.scrollWidth - a.clientWidth)(document.querySelector('article'))")
    context.close()
    assert path.stat().st_size > 0
    assert overflow <= 1, f"{name}'s content scrolls sideways at {WIDTHS[width]} px"


def test_math_is_typeset_from_disk_with_no_network(browser, built: Path):
    """A paper page opened as a file, every request that is not a local file refused."""
    context = browser.new_context()
    refused: list[str] = []

    def only_files(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    tab = context.new_page()
    tab.goto((built / "proceedings/papers/berg2024discovery.html").as_uri())
    formula = tab.locator(".proceedings-abstract math").first
    box = formula.bounding_box()
    # Typeset: a MathML box with the subscripts drawn smaller than the text around it.
    assert box is not None and box["width"] > 20
    sizes = tab.evaluate("""() => [...document.querySelector('.proceedings-abstract msub').children]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes[1] < sizes[0], f"the subscript is drawn smaller: {sizes}"
    text = tab.locator(".proceedings-abstract").inner_text()
    assert "$" not in text and "\\(" not in text
    context.close()
    assert refused == []


def needs_pagefind(built: Path) -> None:
    assert (built / "pagefind" / "pagefind-ui.js").exists(), "pagefind did not run"


def result_links(tab) -> list[str]:
    tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    return [a.get_attribute("href") for a in tab.locator(".pagefind-ui__result-link").all()]


def test_pagefind_finds_a_paper_by_title(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"])
    page.fill(".pagefind-ui__search-input", "Pretend Turbulence")
    links = result_links(page)
    first = page.locator(".pagefind-ui__result-link").first.inner_text()
    assert first == "Graph Kernels for Pretend Turbulence"
    assert links[0].endswith("proceedings/papers/nowak2024graph.html")
    # Lists of titles (the listing, indexes, author pages) are not hits of their own.
    assert not [h for h in links if "/authors/" in h or h.endswith(("proceedings/index.html",
                                                                     "topics/index.html"))]
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert {"topic", "presentation", "author"} <= {f.strip().lower() for f in filters}


def test_search_finds_papers_by_author_and_topic_and_pages_by_their_words(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"] + "?search=Nowak")
    assert any(h.endswith("papers/nowak2024graph.html") for h in result_links(page))
    # A parent topic's filter finds its children's papers (Graph networks is under it).
    page.goto(server + PAGES["search"] + "?search=kernels&topic=Learning+to+simulate")
    assert any(h.endswith("papers/nowak2024graph.html") for h in result_links(page))
    page.goto(server + PAGES["search"] + "?search=kernels&topic=Equation+discovery")
    page.locator(".pagefind-ui__message").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    assert page.locator(".pagefind-ui__result-link").count() == 0
    # A hand-written page is found by its own words.
    page.goto(server + PAGES["search"] + "?search=Test+Workshop")
    found = [urlparse(h).path for h in result_links(page)]
    assert {"/", "/index.html"} & set(found), found


def test_search_query_and_filters_live_in_the_address(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"])
    page.fill(".pagefind-ui__search-input", "kernels")
    result_links(page)
    page.wait_for_function("() => location.search.includes('search=kernels')")
    page.locator("input.pagefind-ui__filter-checkbox[name=presentation][value=Poster]").check()
    page.wait_for_function("() => location.search.includes('presentation=Poster')")
    assert parse_qs(urlparse(page.url).query) == {"search": ["kernels"], "presentation": ["Poster"]}
    # And back: the address restores query, ticks and results.
    page.goto(page.url)
    assert page.locator(".pagefind-ui__search-input").input_value() == "kernels"
    box = page.locator("input.pagefind-ui__filter-checkbox[name=presentation][value=Poster]")
    box.wait_for(state="attached", timeout=10_000)
    page.wait_for_function("() => document.querySelector("
                           "'input.pagefind-ui__filter-checkbox[name=presentation][value=Poster]').checked")
    assert all(h.endswith("nowak2024graph.html") for h in result_links(page))


def test_search_page_without_index_says_so(page, server, built: Path, tmp_path):
    page.route("**/pagefind/pagefind-ui.js", lambda route: route.abort())
    page.goto(server + PAGES["search"])
    assert page.locator(".proceedings-search-fallback").is_visible()


def test_navbar_search_and_ctrl_k_open_the_one_search(page, server, built: Path):
    assert not (built / "search.html").exists(), "Sphinx's search is off unless a site asks"
    page.goto(server + PAGES["paper"])
    page.locator(".bd-header a.proceedings-search-button").first.click()
    page.wait_for_url("**/proceedings/search.html")
    page.goto(server + PAGES["home"])
    page.keyboard.press("Control+k")
    page.wait_for_url("**/proceedings/search.html")


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "listing", "paper", "topic", "author", "search"])
def test_axe_reports_no_violations(browser, server, built: Path, name: str, width: str, mode: str):
    """Every page type, phone and desktop, light and dark: no rule or element excluded."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (npm install --prefix tests/.node axe-core)")
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=mode)
    tab = context.new_page()
    searching = name == "search" and (built / "pagefind" / "pagefind-ui.js").exists()
    tab.goto(server + PAGES[name] + ("?search=kernels" if searching else ""))
    tab.evaluate("m => document.documentElement.dataset.theme = m", mode)
    if searching:  # the results and filters are part of the page to check
        result_links(tab)
    tab.add_script_tag(path=str(AXE))
    script = ("axe.run().then(r => r.violations.map("
              "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))")
    violations = tab.evaluate(script)
    context.close()
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes'][:5]}" for v in violations)
