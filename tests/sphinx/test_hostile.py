"""Hostile inputs: payloads in every field must not reach the pages as markup.

The fixture ``tests/roots/test-hostile`` holds the text payloads; this module
adds what git should not carry (symbolic links, NUL bytes, invalid UTF-8,
megabyte-sized files) to a private copy, builds it once and then checks the
parsed HTML of every page and the warnings.
"""

from __future__ import annotations

import json
import shutil
import time
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOTS
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from sphinx_proceedings.core.reader import read_proceedings

SECRET = "TOP-SECRET-OUTSIDE-THE-PROJECT"
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset")
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _bib(key: str, extra: str = "") -> str:
    return (f"@inproceedings{{{key},\n  title = {{Generated {key}}},\n"
            f"  author = {{Doe, Jane}},\n  url = {{https://example.org/{key}}},\n{extra}}}\n")


def add_generated_payloads(root: Path, outside: Path) -> None:
    """Payloads that must not live in git: links out of the project, bad bytes, big files."""
    papers = root / "papers"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "escape2024link").mkdir()
    (outside / "escape2024link" / "paper.bib").write_text(_bib("escape2024link"), encoding="utf-8")
    (outside / "evil.bib").write_text(_bib("outside2024volume", f"  note = {{{SECRET}}},\n"),
                                      encoding="utf-8")
    # Symbolic links under papers/ that point outside the project.
    (papers / "escape2024link").symlink_to(outside / "escape2024link", target_is_directory=True)
    (papers / "outside.bib").symlink_to(outside / "evil.bib")
    (papers / "hostile2024abstract" / "paper.pdf").symlink_to(outside / "secret.txt")
    (papers / "linked2024abstract").mkdir()
    (papers / "linked2024abstract" / "paper.bib").write_text(_bib("linked2024abstract"), encoding="utf-8")
    (papers / "linked2024abstract" / "abstract.md").symlink_to(outside / "secret.txt")
    # A NUL byte on line 3 and an invalid UTF-8 byte on line 2.
    (papers / "nul2024bytes").mkdir()
    (papers / "nul2024bytes" / "paper.bib").write_bytes(
        b"@inproceedings{nul2024bytes,\n  title = {Nul},\n  author = {A\x00B},\n}\n")
    (papers / "latin2024bytes").mkdir()
    (papers / "latin2024bytes" / "paper.bib").write_bytes(
        b"@inproceedings{latin2024bytes,\n  title = {Caf\xe9 \xff},\n  author = {Doe, Jane},\n}\n")
    (papers / "nul2024abstract").mkdir()
    (papers / "nul2024abstract" / "paper.bib").write_text(_bib("nul2024abstract"), encoding="utf-8")
    (papers / "nul2024abstract" / "abstract.md").write_bytes(b"Fine.\n\nNot \x00 fine.\n")
    # A 5 MB abstract file, a 5 MB abstract field and 10,000 authors.
    (papers / "huge2024abstract").mkdir()
    (papers / "huge2024abstract" / "paper.bib").write_text(_bib("huge2024abstract"), encoding="utf-8")
    (papers / "huge2024abstract" / "abstract.md").write_text("Many $x^2$ words. " * 300_000,
                                                              encoding="utf-8")
    authors = " and ".join(f"Author{i}, A." for i in range(10_000))
    (papers / "huge.bib").write_text(
        _bib("hugefield2024abstract", "  abstract = {" + "Many words. " * 450_000 + "},\n")
        + "\n" + _bib("many2024authors").replace("Doe, Jane", authors),
        encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> SphinxTestApp:
    """The hostile site, built once for every test of this module."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / "site"
    shutil.copytree(ROOTS / "test-hostile", root)
    add_generated_payloads(root, base / "outside")
    app = SphinxTestApp("html", srcdir=root, status=StringIO(), warning=StringIO())
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def pages(app: SphinxTestApp) -> dict[str, BeautifulSoup]:
    out = Path(app.outdir)
    return {str(p.relative_to(out)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in sorted(out.rglob("*.html")) if "_static" not in p.parts}


def page(app: SphinxTestApp, docname: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8"),
                         "html.parser")


def warning_lines(app: SphinxTestApp) -> list[str]:
    return strip_escape_sequences(app.warning.getvalue()).splitlines()


def test_no_script_from_input(hostile):
    mathjax = hostile.config.mathjax_path
    for name, soup in pages(hostile).items():
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":  # data: must parse, cannot break out
                assert "<" not in script.get_text(), name
                json.loads(script.get_text())
                continue
            assert "alert(" not in script.get_text(), name
            src = script.get("src")
            if src and src != mathjax:
                assert "://" not in src and not src.startswith("//"), (name, src)
                assert (Path(hostile.outdir) / name).parent.joinpath(src.split("?")[0]).is_file()


def test_no_event_handlers_frames_or_dangerous_urls(hostile):
    for name, soup in pages(hostile).items():
        assert not soup.find_all(["iframe", "frame", "object", "embed"]), name
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                assert not attribute.lower().startswith("on"), (name, tag)
                if attribute in URL_ATTRIBUTES:
                    url = "".join(str(value).split()).lower()
                    assert not url.startswith(BAD_SCHEMES), (name, tag)


def test_no_file_from_outside_is_read(hostile):
    passwd = Path("/etc/passwd")
    first_line = passwd.read_text(errors="replace").splitlines()[0] if passwd.is_file() else SECRET
    for path in Path(hostile.outdir).rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert SECRET not in text, path
            assert first_line not in text, path
    generated = Path(hostile.srcdir) / "proceedings"
    assert sorted(p.stem for p in (generated / "papers").glob("*.paper")) == [
        "hostile2024abstract", "hostile2024autolink", "hostile2024relative", "hostile2024rtl",
        "hostile2024script", "hostile2024subtle", "huge2024abstract", "hugefield2024abstract",
        "linked2024abstract", "nul2024abstract", "volume2024abstract"]
    assert not (Path(hostile.outdir) / "_downloads").exists()


def test_no_bidirectional_overrides_reach_pages(hostile):
    for name, soup in pages(hostile).items():
        assert not set(BIDI) & set(str(soup)), name
    title = page(hostile, "proceedings/papers/hostile2024rtl").select_one("article h1")
    assert "Reversed txt.exe Title" in title.get_text()


def test_payloads_are_shown_as_text(hostile):
    paper = page(hostile, "proceedings/papers/hostile2024script")
    title = paper.select_one("article h1").get_text()
    assert "<script>alert(" in title and "</script> Scripts" in title
    assert "\\input" in title
    assert not paper.select(".proceedings-links a"), "every link field was hostile"
    keywords = paper.select_one(".proceedings-keywords").get_text()
    assert "<iframe src=javascript:alert(1)></iframe>" in keywords
    authors = [a.get_text() for a in paper.select(".proceedings-authors a")]
    assert "<img src=x onerror=alert('author')>" in authors


@pytest.mark.parametrize("key", ["hostile2024abstract", "hostile2024subtle", "hostile2024autolink",
                                 "hostile2024relative", "volume2024abstract"])
def test_refused_abstracts_are_plain_text(hostile, key):
    abstract = page(hostile, f"proceedings/papers/{key}").select_one(".proceedings-abstract")
    assert abstract is not None
    assert not abstract.find_all("a"), abstract
    assert not abstract.select("[id], .d-none"), abstract
    assert abstract.get_text(strip=True)


def test_innocent_math_survives_in_refused_abstract(hostile):
    abstract = page(hostile, "proceedings/papers/hostile2024abstract").select_one(
        ".proceedings-abstract")
    assert "{include} /etc/passwd" in abstract.get_text()
    assert len(abstract.select(".math")) == 1, "u_t = u_{xx} stays math, \\input does not"


EXPECTED_WARNINGS = [
    ("papers/hostile2024script/paper.bib:8:", "field 'url': only http(s) links"),
    ("papers/hostile2024script/paper.bib:9:", "field 'code': only http(s) links"),
    ("papers/hostile2024script/paper.bib:10:", "field 'pdf': relative path"),
    ("papers/hostile2024script/paper.bib:11:", "field 'poster': only http(s) links"),
    ("papers/hostile2024script/paper.bib:12:", "field 'slides': only http(s) links"),
    ("papers/hostile2024script/paper.bib:13:", "field 'video': URL contains"),
    ("papers/hostile2024script/paper.bib:15:", "openreview id"),
    ("papers/hostile2024script/paper.bib:6:", "unknown topic '../../etc'"),
    ("papers/topics.yml:12:", "topic slug '../../etc'"),
    ("papers/topics.yml:14:", "unknown parent '../../../etc/passwd'"),
    ("papers/volume.bib:1:", "citation key '../../evil'"),
    ("papers/volume.bib:6:", "citation key '/etc/passwd'"),
    ("papers/volume.bib:14:", "HTML tag <script> is not allowed; shown as text"),
    ("papers/hostile2024abstract/abstract.md:3:", "a directive is not allowed"),
    ("papers/hostile2024abstract/abstract.md:9:", "a directive is not allowed"),
    ("papers/hostile2024abstract/abstract.md:13:", "a directive is not allowed"),
    ("papers/hostile2024abstract/abstract.md:24:", "raw HTML is not allowed"),
    ("papers/hostile2024abstract/abstract.md:30:", "link refused: only http(s) links and relative paths "
     "are allowed, not 'javascript:alert(1)'"),
    ("papers/hostile2024abstract/abstract.md:30:", "not 'data:text/html"),
    ("papers/hostile2024abstract/abstract.md:32:", "an image is not allowed"),
    ("papers/hostile2024abstract/abstract.md:34:", "a MyST role is not allowed"),
    ("papers/hostile2024abstract/abstract.md:36:", "math using \\input is not allowed"),
    ("papers/hostile2024abstract/abstract.md:36:", "a substitution"),
    ("papers/hostile2024subtle/abstract.md:1:", "attributes"),
    ("papers/hostile2024autolink/abstract.md:1:", "link refused"),
    ("papers/hostile2024relative/abstract.md:1:", "only http(s) links are allowed"),
    ("papers/hostile2024rtl/paper.bib:2:", "bidirectional override characters removed"),
    ("papers/hostile2024rtl/abstract.md:1:", "bidirectional override characters removed"),
    ("papers/escape2024link", "symbolic link points outside papers/"),
    ("papers/outside.bib", "symbolic link points outside papers/"),
    ("papers/hostile2024abstract/paper.pdf", "symbolic link points outside papers/"),
    ("papers/linked2024abstract/abstract.md", "refusing to read a file outside papers/"),
    ("papers/nul2024bytes/paper.bib:3:", "NUL byte"),
    ("papers/latin2024bytes/paper.bib:2:", "not valid UTF-8"),
    ("papers/nul2024abstract/abstract.md:3:", "NUL byte"),
    ("papers/huge2024abstract/abstract.md", "the limit is"),
    ("papers/huge.bib:5:", "field 'abstract' has 5,400,000 characters"),
    ("papers/huge.bib:10:", "'many2024authors' has 10,000 authors"),
]


@pytest.mark.parametrize(("where", "what"), EXPECTED_WARNINGS)
def test_each_payload_is_reported_with_file_and_line(hostile, where, what):
    lines = warning_lines(hostile)
    assert any(where in line and what in line for line in lines), "\n".join(lines)


def test_no_traceback(hostile):
    text = hostile.warning.getvalue() + hostile.status.getvalue()
    assert "Traceback" not in text and "Exception occurred" not in text


def test_huge_inputs_are_read_within_seconds(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(ROOTS / "test-hostile", root)
    add_generated_payloads(root, tmp_path / "outside")
    start = time.perf_counter()
    proceedings = read_proceedings(root / "papers")
    assert time.perf_counter() - start < 20
    assert "many2024authors" not in proceedings.by_key
    assert proceedings.by_key["hugefield2024abstract"].abstract is None
    assert proceedings.by_key["huge2024abstract"].abstract is None
