"""Every page type of the real site in Chromium and the Nu HTML Checker.

The real site (``real_site``: built once per session, strictly, as the README
says) is served from a thread.  Each page type is checked at phone and desktop
width in light and dark mode with axe-core, no rule or element excluded; the
navbar search is used as a reader uses it; the page title lines up on every
page type, with or without the "On this page" column.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import settled
from test_browser import AXE, WIDTHS
from test_focus import real_server  # noqa: F401 - the real site, served
from test_html_validity import checker, vnu_errors  # noqa: F401 - java and vnu.jar

from sphinx_proceedings.cli.scaffold import create_site

#: One page of each type; ``None`` is looked up in the built site (author pages
#: are named by the author's slug).
PAGES: dict[str, str | None] = {
    "home": "index.html",
    "listing": "proceedings/index.html",
    "paper": "proceedings/papers/wei2024generative.html",
    "topic": "proceedings/topics/simulation.html",
    "topics-index": "proceedings/topics/index.html",
    "author": None,
    "authors-index": "proceedings/authors/index.html",
    "schedule": "schedule.html",
    "speakers": "speakers.html",
    "organizers": "organizers.html",
    "search": "proceedings/search.html",
    "call-for-papers": "call-for-papers.html",
}
RESULT_LINKS = ".proceedings-search-results .proceedings-card-title a"


def page_path(site: Path, name: str) -> str:
    """The page of this type, relative to the site; an author is the first one listed."""
    fixed = PAGES[name]
    if fixed is not None:
        return fixed
    index = BeautifulSoup((site / "proceedings/authors/index.html").read_text(encoding="utf-8"),
                          "html.parser")
    first = index.select_one("article a.reference.internal[href$='.html']")
    return f"proceedings/authors/{first['href']}"



@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def result_links(opened) -> list[str]:
    opened.locator(RESULT_LINKS).first.wait_for(timeout=10_000)
    return [a.get_attribute("href") for a in opened.locator(RESULT_LINKS).all()]


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_on_any_page_type(chromium, real_site: Path,
                                           real_server: str,  # noqa: F811
                                           name: str, width: str, mode: str):
    """No rule or element excluded; no sideways scroll, no failed request either."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (npm install --prefix tests/.node axe-core)")
    context = chromium.new_context(viewport={"width": WIDTHS[width], "height": 900},
                                   color_scheme=mode)
    opened = context.new_page()
    failed: list[str] = []  # a missing favicon was a 404 on every page
    opened.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
              or "searchindex.js" in r.url else None)
    query = "?search=operator" if name == "search" else ""  # results and filters on show
    opened.goto(real_server + page_path(real_site, name) + query)
    opened.evaluate("m => document.documentElement.dataset.theme = m", mode)
    if query:
        result_links(opened)
    overflow = opened.evaluate("document.documentElement.scrollWidth - innerWidth")
    settled(opened)
    opened.add_script_tag(path=str(AXE))
    violations = opened.evaluate(
        "axe.run().then(r => r.violations.map("
        "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))")
    context.close()
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes'][:5]}"
                                       for v in violations)
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {WIDTHS[width]} px"
    assert failed == [], "no request fails, and Sphinx's search index is not loaded"


def test_every_page_type_is_valid_html(checker, real_site: Path):  # noqa: F811
    files = [str(real_site / page_path(real_site, name)) for name in PAGES]
    errors = vnu_errors(checker, files)
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("width", WIDTHS)
def test_title_and_text_line_up_on_every_page_type(chromium, real_site: Path,
                                                   real_server: str, width: str):  # noqa: F811
    """With or without "On this page", the title starts and the text ends at the same x."""
    context = chromium.new_context(viewport={"width": WIDTHS[width], "height": 900})
    opened = context.new_page()
    edges = {}
    for name in PAGES:
        opened.goto(real_server + page_path(real_site, name))
        edges[name] = opened.evaluate("""() => {
            const box = s => document.querySelector(s).getBoundingClientRect();
            return [Math.round(box('article h1').left), Math.round(box('article').right),
                    !!document.querySelector('#pst-page-toc-nav a')];
        }""")
    context.close()
    with_toc = {name for name, (_, _, toc) in edges.items() if toc}
    assert with_toc and with_toc != set(PAGES), "both kinds of page are measured"
    assert len({(left, right) for left, right, _ in edges.values()}) == 1, edges


def test_a_new_sites_pages_line_up_too(chromium, tmp_path: Path):
    """``proceedings new``: the hand-written pages have no empty left sidebar either."""
    root = tmp_path / "site"
    create_site(root, "Machine Learning for Waves", "ML4Waves")
    out = root / "_build" / "html"
    built = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(root),
                            str(root / "source"), str(out)], capture_output=True, text=True,
                           timeout=600)
    assert built.returncode == 0, built.stderr
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    opened = chromium.new_page(viewport={"width": 1280, "height": 900})
    left = {}
    for name in ("index", "call-for-papers", "speakers", "schedule", "organizers",
                 "proceedings/index", "proceedings/topics/index"):
        opened.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{name}.html")
        left[name] = opened.evaluate(
            "Math.round(document.querySelector('article h1').getBoundingClientRect().left)")
    opened.close()
    httpd.shutdown()
    httpd.server_close()
    assert len(set(left.values())) == 1, left


@pytest.mark.parametrize(("words", "paper"), [
    ("Generative", "papers/wei2024generative.html"),           # a word of the title
    ("Schönlieb", "papers/eliasof2024data.html"),              # an author
    ("Molecular dynamics", "papers/liu2024multigrained.html"),  # a topic
], ids=["title-word", "author", "topic"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_navbar_search_finds_a_paper(chromium, real_server: str,  # noqa: F811
                                         words: str, paper: str, width: str):
    context = chromium.new_context(viewport={"width": WIDTHS[width], "height": 900})
    opened = context.new_page()
    opened.goto(real_server + "proceedings/papers/eliasof2024data.html")
    opened.locator("a.proceedings-search-button:visible").first.click()
    opened.wait_for_url("**/proceedings/search.html")
    opened.locator("#proceedings-search-input").fill(words)
    found = result_links(opened)
    context.close()
    assert paper in found, found
    assert len(found) == len(set(found)), f"a paper is found once: {found}"


def test_a_filtered_address_restores_the_filter(tab, real_server: str):  # noqa: F811
    tab.goto(real_server + "proceedings/index.html?topic=graph-networks&sort=title")
    titles = tab.locator("li.proceedings-paper-item:visible .proceedings-card-title a")
    assert titles.count() == 2
    assert tab.locator("select[name=topic]").input_value() == "graph-networks"
    assert tab.locator("select[name=sort]").input_value() == "title"
    tab.goto(real_server + "proceedings/search.html?search=equation&topic=Neural+operators")
    assert result_links(tab) == ["papers/liuschiaffini2024neural.html"]
    assert tab.locator("#proceedings-search-input").input_value() == "equation"
    assert tab.locator("input[name=topic][value='Neural operators']").is_checked()
    assert parse_qs(urlparse(tab.url).query) == {"search": ["equation"],
                                                 "topic": ["Neural operators"]}
