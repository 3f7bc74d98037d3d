"""Property tests: hostile OpenReview exports and BibTeX never crash the command.

Random and mutated API v1/v2 JSON (wrong types everywhere, deep nesting, huge
strings, bytes that are not UTF-8) and OpenReview-style BibTeX go through
`openreview.load_export` and through ``proceedings import openreview``,
``proceedings add`` and ``proceedings check`` (click's CliRunner).  The result is
always exit 0, 1 or 2, never a traceback or an "internal error"; a refused
input names the file and a position; a broken paper on disk is reported with
its path and line.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.importers import bibwriter
from sphinx_proceedings.importers.openreview import load as openreview

FAST = settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

CONF = 'project = "Fuzz"\nproceedings_year = "2024"\nproceedings_booktitle = "Fuzz Workshop"\n'
TOPICS = "topics:\n  - slug: simulation\n    title: Simulation\n"

# -- strategies ----------------------------------------------------------------------
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_NASTY = st.sampled_from([
    "", " ", "\x00", "\u202e", "\ufeff", "<script>alert(1)</script>", "{", "}", "\\", "$",
    "$$", "and", " and ", "{\\\"o}", "\\input{/etc/passwd}", "../../etc/passwd", "/abs",
    "Rejected", "Withdrawn Submission", "Desk Rejected", "ICLR 2024 Workshop Spotlight",
    "Oral", "Poster", "Submitted to ICLR 2024", "~Jane_Doe1", "x" * 70, "é" * 3,
    "https://openreview.net/forum?id=abc", "javascript:alert(1)", "9999", "@", "%", "#",
])
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    _TEXT, _NASTY)
JSON = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(_TEXT, _NASTY), inner, max_size=4),
    st.fixed_dictionaries({"value": inner})), max_leaves=15)
FIELDS = ["title", "authors", "authorids", "abstract", "keywords", "TLDR", "pdf", "venue",
          "venueid", "decision"]
IDS = st.one_of(st.from_regex(r"\A[A-Za-z0-9_-]{1,12}\Z"), JSON)


def wrap(value: Any, v2: bool) -> Any:
    return {"value": value} if v2 else value


@st.composite
def notes(draw: st.DrawFn) -> list[Any]:
    """A list of notes shaped like API v1 or v2, with any field replaced by junk."""
    v2 = draw(st.booleans())
    result: list[Any] = []
    for number in range(draw(st.integers(0, 4))):
        content: dict[str, Any] = {
            "title": wrap(draw(st.sampled_from(["Neural operators for waves", "On PDEs", ""])),
                          v2),
            "authors": wrap(["Jane Doe", "Jan van der Berg"], v2),
            "abstract": wrap("We solve $u_t = u_{xx}$.", v2),
            "keywords": wrap(["waves", "operators"], v2),
            "venue": wrap(draw(_NASTY), v2),
            "pdf": wrap("/pdf/abc.pdf", v2),
        }
        for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
            content[name] = draw(JSON)
        note: Any = {"id": f"Note{number}x", "forum": draw(IDS), "content": content}
        if draw(st.integers(0, 9)) == 0:
            note = draw(JSON)  # not a note at all
        elif draw(st.integers(0, 5)) == 0:
            note["details"] = draw(JSON)
        result.append(note)
    return result


@st.composite
def export_bytes(draw: st.DrawFn) -> bytes:
    """A JSON export as bytes: valid, cut, spliced, deeply nested or not UTF-8."""
    data: Any = draw(notes())
    if draw(st.booleans()):
        data = {"notes": data} if draw(st.booleans()) else draw(JSON)
    raw = json.dumps(data, indent=draw(st.sampled_from([None, 1, 2]))).encode()
    action = draw(st.sampled_from(["keep", "keep", "cut", "insert", "bytes", "nest", "huge"]))
    pos = draw(st.integers(0, len(raw)))
    if action == "cut":
        raw = raw[:pos]
    elif action == "insert":
        raw = raw[:pos] + draw(st.sampled_from([b"{", b"]", b",", b'"', b"\\", b"\n", b"nul",
                                                b"\x00", b"1e999", b'"\\ud800"'])) + raw[pos:]
    elif action == "bytes":
        raw = raw[:pos] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80"])) \
            + raw[pos:]
    elif action == "nest":
        depth = draw(st.sampled_from([50, 2000, 100_000]))
        raw = b"[" * depth + b"]" * depth
    elif action == "huge":
        raw = json.dumps([{"id": "HugeNote1", "content": {
            "title": {"value": "T" * 300_000}, "authors": {"value": ["A B"] * 2000},
            "abstract": {"value": "a " * 400_000}}}]).encode()
    return raw


SEED_BIB = """@inproceedings{
doe2024neural,
title={Neural Operators for {PDE}s: $\\nabla u$ -- fast},
author={Jane Doe and Jan van der Berg and {\\'E}lodie Fournier},
booktitle={ICLR 2024 Workshop},
year={2024},
url={https://openreview.net/forum?id=Abc12_x},
abstract={We solve $u_t = u_{xx}$ {\\em quickly}.},
keywords={waves, operators}
}

@inproceedings{
roe2024other,
title={Another},
author={Rick Roe},
year={2024},
url={https://openreview.net/forum?id=Def34-y}
}
"""
FRAGMENTS = ["{", "}", "@", ",", "=", '"', "#", "%", "\\", "$", "\n", " and ", "and",
             "@string{x = {y}}", "@comment{", "{\\\"o}", "\\input{/etc/passwd}", "<script>",
             "\u202e", "\x00", "\ufeff", "url={javascript:alert(1)},",
             "url={https://openreview.net/forum?id=../../x},", "openreview={Zz9},",
             "note={Rejected},", "presentation={oral},", "year={99999},", "}}}}", "{{{{"]


@st.composite
def mutated_bib(draw: st.DrawFn) -> str:
    text = SEED_BIB
    for _ in range(draw(st.integers(0, 6))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "repeat"]))
        if action == "insert":
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS)) + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 30)):]
        else:
            text = text[:pos] * 2 + text[pos:]
    return text


# -- helpers -------------------------------------------------------------------------
def make_site(root: Path) -> Path:
    (root / "papers").mkdir(parents=True)
    (root / "conf.py").write_text(CONF)
    (root / "papers" / "topics.yml").write_text(TOPICS)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def invoke(root: Path, *args: str | Path) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output
    event(f"{args[0]}: exit {result.exit_code}")
    return result


def assert_positioned(result: Result, path: Path) -> None:
    """Exit 2 is a message naming the file and a line (and perhaps a column)."""
    if result.exit_code == 2:
        assert re.search(re.escape(str(path)) + r":\d+(:\d+)?: ", result.output), \
            result.output


_LINE = re.compile(r"^(?P<path>\S[^:\n]*):(?P<line>\d+): (?:error|warning): ", re.M)


def assert_problem_lines(result: Result) -> None:
    """Every 'path:line: level:' line of the output points at a line that exists."""
    for match in _LINE.finditer(result.output):
        path = Path(match["path"])
        if path.is_file():
            lines = path.read_bytes().count(b"\n") + 1
            assert 1 <= int(match["line"]) <= lines, match.group(0)


# -- parsing -------------------------------------------------------------------------
@QUICK
@given(raw=export_bytes())
def test_load_export_raises_only_export_errors(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_bytes(raw)
        try:
            export = openreview.load_export(path, "2024")
        except openreview.ExportError as exc:
            assert exc.path == path and exc.line is not None and exc.line >= 1, str(exc)
            return
        for record in export.records:
            assert record.title and record.authors and record.forum
            assert record.presentation in ("poster", "spotlight", "oral")
        for problem in export.problems:
            assert problem.source.path == path and problem.source.line, str(problem)


@QUICK
@given(text=mutated_bib())
def test_openreview_bibtex_raises_only_export_errors(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.bib"
        path.write_text(text, encoding="utf-8")
        try:
            export = openreview.load_export(path, "2024")
        except openreview.ExportError as exc:
            assert exc.path == path and exc.line is not None and exc.line >= 1, str(exc)
            return
        for record in export.records:
            entry = bibwriter.render_entry("k", list(bibwriter.record_fields(record,
                                                                               "B").items()))
            assert entry.startswith("@inproceedings{k,")
        for problem in export.problems:
            assert problem.source.line, str(problem)


# -- the command ---------------------------------------------------------------------
@FAST
@given(raw=export_bytes())
def test_import_json_never_crashes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_site(Path(folder) / "site")
        export = Path(folder) / "export.json"
        export.write_bytes(raw)
        result = invoke(root, "import", "openreview", export)
        assert_positioned(result, export)
        assert not list((root / "papers").glob(".staging-*"))
        if result.exit_code in (0, 1):
            # What was written reads back, and a second import changes nothing.
            again = invoke(root, "import", "openreview", export)
            assert "Wrote" not in again.output, again.output
            # The import writes only what the reader accepts.
            assert " 0 error(s)" in invoke(root, "check").output


@FAST
@given(text=mutated_bib())
def test_import_bibtex_never_crashes(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_site(Path(folder) / "site")
        export = Path(folder) / "export.bib"
        export.write_text(text, encoding="utf-8")
        result = invoke(root, "import", "openreview", export)
        assert_positioned(result, export)
        if result.exit_code in (0, 1):
            again = invoke(root, "import", "openreview", export)
            assert "Wrote" not in again.output, again.output
            assert " 0 error(s)" in invoke(root, "check").output


@FAST
@given(text=mutated_bib(),
       junk=st.sampled_from([b"", b"", b"", b"\xff\xfe", b"\x00", b"\xc3("]))
def test_add_never_crashes(text: str, junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_site(Path(folder) / "site")
        bib = Path(folder) / "new.bib"
        bib.write_bytes(text.encode() + junk)
        before = snapshot(root / "papers")
        result = invoke(root, "add", bib, "--topics", "simulation")
        assert_positioned(result, bib)
        if result.exit_code != 0:
            assert snapshot(root / "papers") == before  # all or nothing
        else:
            check = invoke(root, "check")
            assert_problem_lines(check)
            assert " 0 error(s)" in check.output, check.output
            assert "added" in result.output


@FAST
@given(text=mutated_bib(), topics=st.text(max_size=80), extra=st.binary(max_size=8))
def test_check_on_broken_papers_never_crashes(text: str, topics: str, extra: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_site(Path(folder) / "site")
        paper = root / "papers" / "doe2024neural"
        paper.mkdir()
        (paper / "paper.bib").write_bytes(text.encode() + extra)
        (paper / "abstract.md").write_bytes(b"We solve $u$." + extra)
        (root / "papers" / "volume.bib").write_text(text)
        (root / "papers" / "topics.yml").write_text(TOPICS + topics)
        for strict in ([], ["--strict"]):
            result = invoke(root, "check", *strict)
            assert result.exit_code in (0, 1)
            assert_problem_lines(result)
            assert re.search(r"\d+ papers, \d+ topics: \d+ error\(s\)", result.output)
