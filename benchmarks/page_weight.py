"""Page weight of a built site: requests, bytes and gzip bytes per page, in Chromium.

Serves the HTML output on 127.0.0.1, opens each page in a fresh browser context
(empty cache) with the system Chromium, waits until the network is idle and adds
up every response the page caused: its count, its body bytes and those bytes
gzipped (level 6, what a typical static host sends).  A request that leaves
127.0.0.1 is counted separately and aborted, so the numbers describe the site
alone and the run needs no network.

    python benchmarks/page_weight.py _build/html
    python benchmarks/page_weight.py _build/html --pages index proceedings/index --json out.json
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEFAULT_PAGES = {
    "home": "index.html",
    "listing": "proceedings/index.html",
    "paper": "proceedings/papers/eliasof2024data.html",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(root: Path, pages: dict[str, str], chromium: str = "/usr/bin/chromium") -> dict:
    """``{name: {requests, bytes, gzip, external}}`` for each page."""
    from playwright.sync_api import sync_playwright

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    results: dict[str, dict] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for name, path in pages.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                external: list[str] = []

                def route(request_route, request, external=external) -> None:
                    if request.url.startswith(base) or request.url.startswith("data:"):
                        request_route.continue_()
                    else:
                        external.append(request.url)
                        request_route.abort()

                context.route("**/*", route)
                tab = context.new_page()
                responses = []
                tab.on("response", lambda response, found=responses: found.append(response))
                tab.goto(base + path, wait_until="networkidle")
                total = packed = 0
                for response in responses:
                    try:
                        body = response.body()
                    except Exception:  # noqa: BLE001, S112 - redirects and aborted requests have none
                        continue
                    total += len(body)
                    packed += len(gzip.compress(body, 6))
                results[name] = {"requests": len(responses), "bytes": total, "gzip": packed,
                                 "external": len(external)}
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the HTML output folder")
    parser.add_argument("--pages", nargs="*", help="paths relative to the output folder")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    pages = {p: p for p in args.pages} if args.pages else DEFAULT_PAGES
    results = measure(args.root, pages)
    print("| Page | Requests | Bytes | Gzip | Off-site |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(f"| {name} | {r['requests']} | {r['bytes']:,} | {r['gzip']:,} | {r['external']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
