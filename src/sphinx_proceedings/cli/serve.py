"""``proceedings serve``: a live preview that stops cleanly, however it is stopped.

sphinx-autobuild runs in a process group of its own (`cli.processes`):
SIGINT (Ctrl-C), SIGTERM and SIGHUP all end it and every build it started,
and free the port.  The browser, when asked for, is opened by ``serve``
itself once the port answers, so stopping the preview never closes it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import socket
import sys
import threading
import time
import webbrowser

import click

from sphinx_proceedings.cli.common import EXIT_STATUS, err, fail, site_of
from sphinx_proceedings.cli.processes import run_in_group

#: How long to wait for the first build before giving up on opening a browser.
BROWSER_WAIT_SECONDS = 300.0


@click.command(epilog=EXIT_STATUS)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, open_browser: bool) -> None:
    """Preview the site, rebuilding and reloading the browser on every change.

    Watches source/, papers/ and _templates/ (sphinx-autobuild).  Stop with
    Ctrl-C, or with SIGTERM or SIGHUP: the server and its builds stop too.
    """
    site = site_of(ctx)
    if shutil.which("sphinx-autobuild") is None \
            and importlib.util.find_spec("sphinx_autobuild") is None:
        fail("sphinx-autobuild is not installed (pip install sphinx-autobuild)")
    generated = site.srcdir / site.settings.output_dir
    command = [sys.executable, "-m", "sphinx_autobuild", "-c", str(site.root),
               "-d", str(site.root / "_build" / "doctrees"),
               "--port", str(port), "--host", host, "--ignore", str(generated)]
    for watched in (site.papers_dir, site.root / "_templates", site.root / "conf.py"):
        if watched.exists():
            command += ["--watch", str(watched)]
    command += [str(site.srcdir), str(site.root / "_build" / "html")]
    url = f"http://{host}:{port}/"
    err().print(f"Serving on {url} (Ctrl-C to stop)")
    if open_browser:
        threading.Thread(target=_open_when_listening, args=(host, port, url),
                         daemon=True).start()
    status, stopped_by = run_in_group(command, site.root)
    if stopped_by is not None:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            err().print("Stopped.")
        ctx.exit(0)
    ctx.exit(0 if status == 0 else 1)


def _open_when_listening(host: str, port: int, url: str) -> None:
    """Open ``url`` in a browser as soon as something listens on the port."""
    deadline = time.monotonic() + BROWSER_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                break
        except OSError:
            time.sleep(0.25)
    else:
        return
    webbrowser.open(url)
