"""Small PNG images of a PDF book's title page, contents, first paper and author index.

Usage: python tools/book_pages.py BOOK.pdf PREFIX [--paper N] [--resolution 60]

Writes PREFIX-title.png, PREFIX-contents.png, PREFIX-paper.png and
PREFIX-authors.png with pdftoppm (poppler-utils), finding the pages by the
book's bookmarks ("Contents", the first group's first paper, "Author index").
The README's page images of docs/book/ are made with it.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader


def pages_to_show(reader: PdfReader, paper: int = 0) -> dict[str, int]:
    """Page indexes (from 0) of the title page, contents, a paper and the author index."""
    top = [item for item in reader.outline]
    found = {"title": 0}
    for position, item in enumerate(top):
        if isinstance(item, list):
            continue
        title = str(item.title)
        if title == "Contents":
            found["contents"] = reader.get_destination_page_number(item)
        elif title == "Author index":
            found["authors"] = reader.get_destination_page_number(item)
        elif "paper" not in found and position + 1 < len(top) and isinstance(top[position + 1], list) \
                and "contents" in found:
            papers = top[position + 1]
            chosen = papers[min(paper, len(papers) - 1)]
            found["paper"] = reader.get_destination_page_number(chosen)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("prefix", type=Path)
    parser.add_argument("--paper", type=int, default=0, help="which paper of the first group")
    parser.add_argument("--resolution", type=int, default=60)
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed (apt-get install poppler-utils)", file=sys.stderr)
        return 2
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    found = pages_to_show(PdfReader(args.book), args.paper)
    args.prefix.parent.mkdir(parents=True, exist_ok=True)
    for name, index in found.items():
        target = Path(f"{args.prefix}-{name}")
        subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(args.resolution),
                        "-f", str(index + 1), "-l", str(index + 1), str(args.book), str(target)],
                       check=True)
        print(f"{target}.png: page {index + 1}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
