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
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import settled

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
    return sphinx_build(target)[0]


def sphinx_build(site: Path) -> tuple[Path, str]:
    """Build ``site`` as organizers do; the HTML folder and what the build said."""
    out = site / "_build" / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", str(site), str(out)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser") / "site")


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP from a thread; its address."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with serving(built) as address:
        yield address


@pytest.fixture(scope="module")
def browser(chromium):
    """The shared Chromium (tests/conftest.py), under the name these tests use."""
    return chromium


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
    return tab.locator("li.proceedings-paper-item:visible .proceedings-card-title a").all_inner_texts()


def test_listing_items_carry_filter_data(built: Path):
    soup = BeautifulSoup((built / PAGES["listing"]).read_text(encoding="utf-8"), "html.parser")
    form = soup.select_one("form.proceedings-filter")
    assert form.has_attr("hidden"), "the form stays hidden without JavaScript"
    topics = [o["value"] for o in form.select("select[name=topic] option")]
    assert topics == ["", "simulation", "neural-operators", "graphs", "discovery"]
    items = {li.select_one(".proceedings-card-title a").get_text():
             (li["data-topics"], li["data-presentation"], li["data-authors"])
             for li in soup.select("li.proceedings-paper-item")}
    assert items["Graph Kernels for Pretend Turbulence"] == (
        "graphs simulation", "poster", "łukasz nowak; carola-bibiane schonlieb; ayse cetin")
    assert items["Discovering PDEs – Quickly"][:2] == ("discovery", "oral")


def test_topic_filter_shows_only_that_topic(page, server):
    page.goto(server + PAGES["listing"])
    assert len(visible_titles(page)) == 3
    page.select_option("form.proceedings-filter select[name=topic]", "graphs")
    assert sorted(visible_titles(page)) == [
        "Graph Kernels for Pretend Turbulence", "Higher-Order Graph Flows with ∇ Operators"]
    assert parse_qs(urlparse(page.url).query) == {"topic": ["graphs"]}
    assert page.locator("section#proceedings-papers-oral").is_hidden(), "an empty group is hidden"
    page.select_option("form.proceedings-filter select[name=presentation]", "poster")
    assert visible_titles(page) == ["Graph Kernels for Pretend Turbulence"]
    assert parse_qs(urlparse(page.url).query) == {"topic": ["graphs"], "presentation": ["poster"]}
    assert "Showing 1 of 3" in page.locator(".proceedings-filter-status").inner_text()


def test_a_broad_topic_shows_its_narrower_topics_papers(page, server):
    page.goto(server + PAGES["listing"] + "?topic=simulation")
    assert sorted(visible_titles(page)) == [
        "Graph Kernels for Pretend Turbulence", "Higher-Order Graph Flows with ∇ Operators"]


def test_author_filter_ignores_case_and_accents(page, server):
    page.goto(server + PAGES["listing"])
    page.fill("form.proceedings-filter input[name=author]", "SCHONLIEB")
    page.wait_for_function("() => location.search.includes('author=')")
    assert sorted(visible_titles(page)) == [
        "Graph Kernels for Pretend Turbulence", "Higher-Order Graph Flows with ∇ Operators"]
    assert parse_qs(urlparse(page.url).query) == {"author": ["SCHONLIEB"]}
    page.goto(server + PAGES["listing"] + "?author=%C3%87etin")
    assert visible_titles(page) == ["Graph Kernels for Pretend Turbulence"]


def test_headings_and_page_contents_follow_the_filter(page, server):
    page.goto(server + PAGES["listing"] + "?topic=graphs")
    headings = page.locator("article section:visible > h2").all_inner_texts()
    assert [h.rstrip("#").strip() for h in headings] == ["Spotlights (1)", "Posters (1)"]
    toc = page.locator(".bd-toc a.nav-link:visible").all_inner_texts()
    assert toc == ["Spotlights (1)", "Posters (1)"]
    page.select_option("form.proceedings-filter select[name=topic]", "")
    toc = page.locator(".bd-toc a.nav-link:visible").all_inner_texts()
    assert toc == ["Spotlights (1)", "Orals (1)", "Posters (1)"]


def test_sort_by_title_and_first_author_in_one_list(page, server):
    page.goto(server + PAGES["listing"] + "?sort=title")
    assert visible_titles(page) == ["Discovering PDEs – Quickly",
                                    "Graph Kernels for Pretend Turbulence",
                                    "Higher-Order Graph Flows with ∇ Operators"]
    assert page.locator("article section:visible > h2").count() == 0, "one list, no groups"
    page.select_option("form.proceedings-filter select[name=sort]", "author")
    # Berg, Eliasof, Nowak: by family name.
    assert visible_titles(page) == ["Discovering PDEs – Quickly",
                                    "Higher-Order Graph Flows with ∇ Operators",
                                    "Graph Kernels for Pretend Turbulence"]
    assert parse_qs(urlparse(page.url).query) == {"sort": ["author"]}
    page.select_option("form.proceedings-filter select[name=sort]", "")
    assert visible_titles(page) == ["Higher-Order Graph Flows with ∇ Operators",
                                    "Discovering PDEs – Quickly",
                                    "Graph Kernels for Pretend Turbulence"]


def test_filter_in_the_address_is_applied_on_load(page, server):
    page.goto(server + PAGES["listing"] + "?topic=discovery")
    assert visible_titles(page) == ["Discovering PDEs – Quickly"]
    assert page.locator("select[name=topic]").input_value() == "discovery"
    page.goto(server + PAGES["listing"] + "?topic=graphs&presentation=poster&sort=title&author=nowak")
    assert visible_titles(page) == ["Graph Kernels for Pretend Turbulence"]
    assert page.locator("select[name=sort]").input_value() == "title"
    assert page.locator("input[name=author]").input_value() == "nowak"
    page.goto(server + PAGES["listing"] + "?topic=no-such-topic")
    assert len(visible_titles(page)) == 3


def test_the_abstract_folds_out_on_the_listing(page, server):
    page.goto(server + PAGES["listing"])
    card = page.locator("li.proceedings-paper-item").first
    abstract = card.locator(".proceedings-card-abstract-text")
    assert abstract.is_hidden()
    card.locator(".proceedings-card-abstract summary").click()
    assert abstract.is_visible() and abstract.locator("math").count() == 2


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
    assert (built / "pagefind" / "pagefind.js").exists(), "pagefind did not run"


RESULT_LINKS = ".proceedings-search-results .proceedings-card-title a"


def result_links(tab) -> list[str]:
    tab.locator(RESULT_LINKS).first.wait_for(timeout=10_000)
    return [a.get_attribute("href") for a in tab.locator(RESULT_LINKS).all()]


def search_for(tab, words: str) -> None:
    tab.fill("#proceedings-search-input", words)


def test_pagefind_finds_a_paper_by_title(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"])
    search_for(page, "Pretend Turbulence")
    links = result_links(page)
    first = page.locator(RESULT_LINKS).first.inner_text()
    assert first == "Graph Kernels for Pretend Turbulence"
    assert links[0] == "papers/nowak2024graph.html"
    # Lists of titles (the listing, indexes, author pages) are not hits of their own.
    assert not [h for h in links if "/authors/" in h or h.endswith(("proceedings/index.html",
                                                                     "topics/index.html"))]
    facets = page.locator(".proceedings-facet > summary").all_inner_texts()
    assert facets == ["Topic", "Presentation", "Author"]


def test_a_paper_result_is_the_card_every_list_shows(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"] + "?search=Pretend+Turbulence")
    result_links(page)
    found = page.locator(".proceedings-search-results .proceedings-card").first
    assert found.locator(".proceedings-card-excerpt mark").count() >= 1
    card = found.evaluate("c => { const copy = c.cloneNode(true); "
                          "copy.querySelector('.proceedings-card-excerpt').remove(); "
                          "return copy.outerHTML; }")
    page.goto(server + PAGES["listing"])
    listed = page.locator("li[data-title^='graph kernels'] .proceedings-card").evaluate(
        "c => { const copy = c.cloneNode(true); "
        "copy.querySelector('.proceedings-card-abstract').remove(); return copy.outerHTML; }")
    # The listing and the search page are in one folder: the same addresses too.
    assert " ".join(card.split()) == " ".join(listed.split())


def test_search_finds_papers_by_author_and_topic_and_pages_by_their_words(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"] + "?search=Nowak")
    assert "papers/nowak2024graph.html" in result_links(page)
    # A parent topic's filter finds its children's papers (Graph networks is under it).
    page.goto(server + PAGES["search"] + "?search=kernels&topic=Learning+to+simulate")
    assert "papers/nowak2024graph.html" in result_links(page)
    page.goto(server + PAGES["search"] + "?search=kernels&topic=Equation+discovery")
    page.wait_for_function("() => document.querySelector('.proceedings-search-summary')"
                           ".textContent.startsWith('No result')")
    assert page.locator(RESULT_LINKS).count() == 0
    # A filter alone lists its papers.
    page.goto(server + PAGES["search"] + "?author=%C5%81ukasz+Nowak")
    assert result_links(page) == ["papers/nowak2024graph.html"]
    # A hand-written page is found by its own words.
    page.goto(server + PAGES["search"] + "?search=Test+Workshop")
    page.locator(".proceedings-page-result a").first.wait_for(timeout=10_000)
    found = [urlparse(h).path for h in
             (a.get_attribute("href") for a in page.locator(".proceedings-page-result a").all())]
    assert {"../", "../index.html"} & set(found), found


def test_search_query_and_filters_live_in_the_address(page, server, built: Path):
    needs_pagefind(built)
    page.goto(server + PAGES["search"])
    search_for(page, "kernels")
    result_links(page)
    page.wait_for_function("() => location.search.includes('search=kernels')")
    poster = "input[name=presentation][value=Poster]"
    page.locator(poster).check()
    page.wait_for_function("() => location.search.includes('presentation=Poster')")
    assert parse_qs(urlparse(page.url).query) == {"search": ["kernels"], "presentation": ["Poster"]}
    # And back: the address restores query, ticks and results.
    page.goto(page.url)
    assert page.locator("#proceedings-search-input").input_value() == "kernels"
    page.locator(poster).wait_for(state="attached", timeout=10_000)
    assert page.locator(poster).is_checked()
    assert all(h.endswith("nowak2024graph.html") for h in result_links(page))


def test_search_page_without_index_says_so(page, server, built: Path, tmp_path):
    page.route("**/pagefind/pagefind.js", lambda route: route.abort())
    page.goto(server + PAGES["search"])
    page.locator(".proceedings-search-fallback").wait_for(state="visible", timeout=10_000)
    assert page.locator("form.proceedings-search").is_hidden()


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
    if name == "listing":  # and a folded-out abstract
        tab.locator(".proceedings-card-abstract summary").first.click()
    settled(tab)
    tab.add_script_tag(path=str(AXE))
    script = ("axe.run().then(r => r.violations.map("
              "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))")
    violations = tab.evaluate(script)
    context.close()
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes'][:5]}" for v in violations)


def test_search_after_an_edit_finds_the_new_words_and_every_other_page(page, tmp_path):
    """After an abstract edit, Pagefind reads the other pages while Sphinx works and
    the edited page last (sphinx_ext/pagefind_index.py): one index holding both."""
    site = tmp_path / "site"
    build_site(site)
    (site / "papers/nowak2024graph/abstract.md").write_text(
        "Kernels that zyxglobin the turbulence.\n", encoding="utf-8")
    out, said = sphinx_build(site)
    assert "of them while Sphinx worked" in said
    with serving(out) as address:
        page.goto(address + PAGES["search"] + "?search=zyxglobin")
        assert result_links(page) == ["papers/nowak2024graph.html"]
        page.goto(address + PAGES["search"] + "?search=Discovering")
        assert "papers/berg2024discovery.html" in result_links(page)
