"""Guards for untrusted input: file reads that stay inside the project, and links.

Inputs come from authors (BibTeX, OpenReview).  These helpers never raise on
bad data: they return a readable reason the caller turns into a `Problem`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class ReadError:
    """Why a file could not be read, with the line where that is known."""

    message: str
    line: int | None = None


def safe_child(path: Path, root: Path) -> Path | None:
    """``path`` resolved, or None when it (or a symlink in it) leaves ``root``."""
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError):
        return None
    return resolved if resolved.is_relative_to(root.resolve()) else None


def read_text_file(path: Path, root: Path, max_bytes: int) -> str | ReadError:
    """UTF-8 text of ``path`` (a BOM is dropped), or why it cannot be used."""
    if safe_child(path, root) is None:
        return ReadError("refusing to read a file outside papers/ (symbolic link?)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ReadError(f"file is {size:,} bytes; the limit is {max_bytes:,} "
                             "(split a large volume into several .bib files)")
        data = path.read_bytes()
    except OSError as exc:
        return ReadError(f"cannot read file: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ReadError(f"file is not valid UTF-8 (byte {exc.start}); save it as UTF-8", line)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return ReadError("file contains a NUL byte", line)
    return text


#: Invisible characters that reorder or hide text ("Trojan source" bidi
#: overrides, isolates and direction marks) or that no text needs (C0
#: controls but tab, newline and carriage return; DEL).  The one list: the
#: reader, ``add`` and the page filters (`markup.clean_text`) all use it.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> tuple[str, int | None]:
    """``text`` without bidi controls and control characters, and the line of
    the first one removed (None when there was none), so callers can warn."""
    first = _CONTROLS.search(text)
    if first is None:
        return text, None
    return _CONTROLS.sub("", text), text.count("\n", 0, first.start()) + 1


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def check_url(raw: str) -> tuple[str, str | None]:
    """``(url, None)`` for an http(s) URL or a relative path, else a reason."""
    url = raw.strip()
    if any(_invisible(c) or c in "<>\"'`\\" for c in url):
        return url, "URL contains spaces, quotes, backslashes or invisible characters"
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" of an IPv6 host
        return url, f"{url!r} is not a valid URL"
    if parts.scheme in ("http", "https"):
        if not parts.netloc:
            return url, f"{url!r} has no host"
        return url, None
    if parts.scheme or url.startswith(("//", "/", "\\")):
        return url, f"only http(s) links and relative paths are allowed, not {url!r}"
    if ".." in Path(parts.path).parts:
        return url, f"relative path {url!r} leaves the paper's folder"
    return url, None


#: TeX control sequences that may read or write files, run commands, redefine
#: the language, or make links (MathJax's \href).  Math using any is refused.
UNSAFE_TEX = frozenset({
    "input", "include", "includeonly", "openin", "openout", "read", "readline", "write",
    "immediate", "closein", "closeout", "catcode", "def", "edef", "gdef", "xdef", "let",
    "futurelet", "newcommand", "renewcommand", "providecommand", "DeclareRobustCommand",
    "newenvironment", "renewenvironment", "csname", "endcsname", "expandafter",
    "makeatletter", "special", "directlua", "latelua", "write18", "ShellEscape",
    "href", "url", "class", "style", "cssId", "html", "htmlData", "require", "unicode",
    "scantokens", "lowercase", "uppercase", "input@path", "verb", "usepackage",
    "documentclass", "begingroup", "endgroup", "afterassignment", "jobname", "pdfobj",
    "pdfliteral", "pdffiledump", "pdffilesize", "IfFileExists", "InputIfFileExists",
    "loop", "repeat", "message", "errmessage", "typeout",
})


def unsafe_tex(tex: str) -> str | None:
    """The first forbidden control sequence in ``tex``, or None when it is safe."""
    for name in re.findall(r"\\([A-Za-z@]+|.)", tex):
        if name in UNSAFE_TEX:
            return "\\" + name
    if "^^" in tex:  # TeX's ^^ notation can spell any control sequence
        return "^^"
    return None
