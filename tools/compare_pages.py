"""Compare two builds of a site page by page, as readers get them (parsed HTML).

For each HTML page under ``--pages`` (default: every page) in both builds:
the ``<title>``, the ``<meta>`` tags and the main content (``<article>``, else
``<main>``, else ``<body>``), each with white space normalised.  Prints one line
per differing page with the first difference, then a count; exits 1 if any
page differs.  Used for issue 15 (paper pages built from the model, not MyST):

    python tools/compare_pages.py BEFORE/_build/html AFTER/_build/html --pages 'proceedings/papers/*.html'
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def page_parts(path: Path) -> dict[str, str]:
    """What a reader gets from one page, in comparable pieces."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    title = soup.title.get_text() if soup.title else ""
    metas = sorted(_norm(str(sorted(tag.attrs.items()))) for tag in soup.find_all("meta"))
    main = soup.find("article") or soup.find("main") or soup.body or soup
    return {"title": _norm(title), "meta": "\n".join(metas), "content": _norm(str(main))}


def first_difference(before: str, after: str) -> str:
    """A short view of where two strings part."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"{before[max(0, i1 - 60):i2 + 60]!r} -> {after[max(0, j1 - 60):j2 + 60]!r}"
    return ""


def compare(before: Path, after: Path, pattern: str) -> tuple[int, int, list[str]]:
    """``(pages compared, pages differing, report lines)``."""
    names = sorted({p.relative_to(before) for p in before.glob(pattern)}
                   | {p.relative_to(after) for p in after.glob(pattern)})
    lines, differing = [], 0
    for name in names:
        old, new = before / name, after / name
        if not old.is_file() or not new.is_file():
            differing += 1
            lines.append(f"{name}: only in {'after' if new.is_file() else 'before'}")
            continue
        a, b = page_parts(old), page_parts(new)
        for part in ("title", "meta", "content"):
            if a[part] != b[part]:
                differing += 1
                lines.append(f"{name}: {part}: {first_difference(a[part], b[part])}")
                break
    return len(names), differing, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--pages", default="**/*.html", help="glob of pages, relative to each build")
    args = parser.parse_args(argv)
    count, differing, lines = compare(args.before, args.after, args.pages)
    print("\n".join(lines))
    print(f"{count} pages compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
