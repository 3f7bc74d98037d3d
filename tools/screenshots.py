"""Screenshots of a built site in headless Chromium, for checking the look by eye.

Serves the HTML output on 127.0.0.1 with ``python -m http.server`` and photographs
each page at desktop (1280 px) and phone (375 px) width in light and dark mode.
Uses Playwright's Python API with the system Chromium (Debian's ``chromium``
package): no browser download.

    python tools/screenshots.py                          # the default page set
    python tools/screenshots.py --pages index schedule   # only these
    python tools/screenshots.py --widths 375 --modes dark --full-page
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: One page of each kind the site has (generated pages are resolved at run time).
DEFAULT_PAGES = [
    "index",
    "call-for-papers",
    "speakers",
    "schedule",
    "organizers",
    "committee",
    "proceedings/index",
    "proceedings/topics/index",
    "proceedings/authors/index",
    "proceedings/search",
    "proceedings/papers/*",
    "proceedings/topics/*",
    "proceedings/authors/*",
]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A port nobody listens on, so two runs never collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on localhost only for as long as the block runs."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def resolve_pages(html: Path, patterns: list[str]) -> list[str]:
    """Page names; a ``*`` pattern picks the first matching page (sorted), skipping indexes."""
    pages = []
    for pattern in patterns:
        if "*" not in pattern:
            if (html / f"{pattern}.html").is_file():
                pages.append(pattern)
            else:
                print(f"skipped {pattern}: not built", file=sys.stderr)
            continue
        matches = sorted(p for p in html.glob(f"{pattern}.html") if p.stem != "index")
        if matches:
            pages.append(matches[0].relative_to(html).with_suffix("").as_posix())
        else:
            print(f"skipped {pattern}: no page matches", file=sys.stderr)
    return pages


def shoot(page: Page, out: Path, stem: str, full_page: bool, tile: int) -> list[Path]:
    """Screenshot the page whole, as its first screen, or as tiles of ``tile`` px."""
    if not (full_page and tile):
        target = out / f"{stem}.png"
        page.screenshot(path=str(target), full_page=full_page)
        return [target]
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.evaluate("document.documentElement.scrollHeight")
    if width > page.viewport_size["width"]:
        print(f"{stem}: page is {width} px wide, wider than the viewport", file=sys.stderr)
    targets = []
    for number, top in enumerate(range(0, height, tile), start=1):
        target = out / f"{stem}-{number}.png"
        clip = {"x": 0, "y": top, "width": width, "height": min(tile, height - top)}
        page.screenshot(path=str(target), full_page=True, clip=clip)
        targets.append(target)
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=Path("_build/html"),
                        help="built site (default: _build/html)")
    parser.add_argument("--out", type=Path, default=Path("_build/screenshots"),
                        help="folder for the PNG files (default: _build/screenshots)")
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES,
                        help="page names without .html; '*' picks one matching page")
    parser.add_argument("--widths", nargs="+", type=int, default=[1280, 375])
    parser.add_argument("--modes", nargs="+", choices=["light", "dark"],
                        default=["light", "dark"])
    parser.add_argument("--height", type=int, default=0,
                        help="viewport height; 0 means 800 on desktop, 812 on a phone")
    parser.add_argument("--full-page", action="store_true",
                        help="capture the whole page instead of the first screen")
    parser.add_argument("--tile", type=int, default=0,
                        help="with --full-page: cut the page into PNGs this tall (easier to view)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("needs the 'playwright' Python package (pip install playwright); "
              "do not run 'playwright install': the system chromium is used", file=sys.stderr)
        return 2
    if not (args.html / "index.html").is_file():
        print(f"{args.html} has no index.html: build the site first", file=sys.stderr)
        return 2

    pages = resolve_pages(args.html, args.pages)
    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.html) as base, sync_playwright() as pw:
        # Playwright starts Chromium with a fresh temporary profile of its own.
        browser = pw.chromium.launch(executable_path=args.chromium, headless=True,
                                     args=CHROMIUM_FLAGS)
        try:
            for width in args.widths:
                height = args.height or (812 if width < 600 else 800)
                for mode in args.modes:
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        device_scale_factor=1, color_scheme=mode,
                        is_mobile=width < 600, has_touch=width < 600,
                    )
                    page = context.new_page()
                    for name in pages:
                        page.goto(f"{base}{name}.html", wait_until="networkidle")
                        # The theme reads the mode from localStorage; set it explicitly.
                        page.evaluate(
                            "m => document.documentElement.dataset.theme = m", mode)
                        page.wait_for_timeout(150)
                        stem = f"{name.replace('/', '__')}-{width}-{mode}"
                        for target in shoot(page, args.out, stem, args.full_page, args.tile):
                            print(target)
                    context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
