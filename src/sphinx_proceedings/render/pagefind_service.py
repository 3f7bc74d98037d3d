"""A Pagefind index made in two steps: most pages first, the last few when they exist.

``python -m sphinx_proceedings.render.pagefind_service OUTPUT FIRST [--exclude SELECTOR ...]``
starts Pagefind as a service (its Python API, ``pagefind.index``, runs the binary
named by the environment variable ``PAGEFIND_BINARY_PATH``) and indexes the pages
under the folder FIRST at once.  It then waits for one line on its standard
input: a folder holding the remaining pages, which it indexes before writing the
whole index to OUTPUT; an empty line or the end of the input stops it without
writing anything.  Both folders are read as ``pagefind --site`` reads a site.

A build after an edit starts it with the pages the edit cannot change while Sphinx
is still working (sphinx_ext/pagefind_index.py), so Pagefind's reading of those
pages, about half its time, happens on the other core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys

GLOB = "**/*.html"
#: Longest a step may take: a service that died mid-way must not hold the build forever.
STEP_SECONDS = 600


class _Stopped(Exception):
    """No remaining pages came: the index is not written."""


async def index_in_two_steps(output: str, first: str, excluded: list[str]) -> bool:
    """Index ``first``, then the folder read from standard input, and write the
    index to ``output``; False when told to stop instead."""
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(exclude_selectors=excluded, output_path=output)
    try:
        async with PagefindIndex(config=config) as index:  # writes the index when left
            await asyncio.wait_for(index.add_directory(first, glob=GLOB), STEP_SECONDS)
            rest = (await asyncio.to_thread(sys.stdin.readline)).strip()
            if not rest:
                raise _Stopped
            await asyncio.wait_for(index.add_directory(rest, glob=GLOB), STEP_SECONDS)
    except _Stopped:
        return False
    return True


def _runs(binary: str) -> bool:
    try:
        return subprocess.run([binary, "--version"], capture_output=True, timeout=60,
                              check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pagefind_service", description=__doc__.split("\n")[0])
    parser.add_argument("output", help="where the index is written")
    parser.add_argument("first", help="the folder of pages indexed at once")
    parser.add_argument("--exclude", nargs="*", default=[], help="selectors Pagefind ignores")
    args = parser.parse_args(argv)
    binary = os.environ.get("PAGEFIND_BINARY_PATH")
    if binary and not _runs(binary):  # the service API would wait for it forever
        print(f"pagefind_service: {binary} does not run", file=sys.stderr)
        return 2
    asyncio.run(index_in_two_steps(args.output, args.first, args.exclude))
    return 0


if __name__ == "__main__":
    sys.exit(main())
