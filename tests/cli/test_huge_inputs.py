"""Huge inputs are handled, or refused with a clear message, within seconds.

A 50 MB volume file (many entries, or one entry with a 50 MB abstract) goes
through the reader and ``proceedings check``; an entry with 10,000 authors and
a 5 MB abstract goes through ``proceedings import openreview`` (API v1, v2 and
BibTeX) and ``proceedings add``.  Files are generated in ``tmp_path``.  The
reader and ``check`` run in a subprocess with a timeout, so a slow path fails
the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sphinx_proceedings.cli.app import main

#: "Within seconds": generous for a loaded two-core machine.
LIMIT = 20.0
MB = 1024 * 1024
AUTHORS = [f"Author{i} Surname{i}" for i in range(10_000)]
ABSTRACT = ("We bound $\\|u_t\\|$ for waves. " * (5 * MB // 30 + 1))[: 5 * MB]
CONF = 'project = "Huge"\nproceedings_year = "2024"\nproceedings_booktitle = "Huge Workshop"\n'
TOPICS = "topics:\n  - slug: waves\n    title: Waves\n"
ENTRY = """@inproceedings{{k{i}x2024,
  title = {{On the {{PDE}} number {i}}},
  author = {{Doe, Jane and Roe, Rick}},
  year = {{2024}},
  topics = {{waves}},
  url = {{https://openreview.net/forum?id=id{i}}},
  abstract = {{{abstract}}},
}}

"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "papers").mkdir(parents=True)
    (root / "conf.py").write_text(CONF)
    (root / "papers" / "topics.yml").write_text(TOPICS)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_limited(label: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """A Python subprocess that must finish within LIMIT seconds."""
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, *map(str, args)], capture_output=True,
                                text=True, timeout=LIMIT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{label} on a 50 MB volume file took more than {LIMIT:.0f} s")
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "internal error" not in result.stderr + result.stdout
    print(f"{label}: {time.monotonic() - started:.1f} s")
    return result


def line_of(path: Path, needle: str) -> int:
    text = path.read_text()
    return text.count("\n", 0, text.index(needle)) + 1


def invoke(root: Path, *args: str | Path) -> Result:
    """The command in-process, timed: it must answer within LIMIT seconds."""
    started = time.monotonic()
    result = CliRunner().invoke(main, ["-C", str(root), *map(str, args)])
    assert time.monotonic() - started < LIMIT, f"{args} took too long"
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


READER = """
import sys
from pathlib import Path
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
proceedings = read_proceedings(Path(sys.argv[1]), ReaderSettings())
print(len(proceedings.papers))
for problem in proceedings.problems:
    if problem.level == "error":
        print(problem)
"""


def many_entries(path: Path, size: int = 50 * MB) -> int:
    """A volume file of ``size`` bytes made of ordinary entries; returns their number."""
    abstract = "Some words about $u_t = u_{xx}$ and more. " * 12
    parts, total = [], 0
    while total < size:
        part = ENTRY.format(i=len(parts), abstract=abstract)
        parts.append(part)
        total += len(part)
    path.write_text("".join(parts))
    return len(parts)


def one_entry(path: Path, size: int = 50 * MB) -> None:
    """A volume file of ``size`` bytes holding one entry with a giant abstract."""
    path.write_text(ENTRY.format(i=0, abstract="x " * (size // 2)))


def handled_or_refused(output: str, papers: int, volume: str) -> None:
    """Either every paper was read, or the file was refused with a reason and a limit."""
    lines = output.splitlines()
    if int(lines[0]) == papers:
        return
    assert int(lines[0]) == 0, output[:2000]
    assert any(volume in line and "limit" in line for line in lines[1:]), output[:2000]


# -- 50 MB volume files ---------------------------------------------------------------
@pytest.mark.parametrize("shape", ["many entries", "one entry"])
def test_reader_on_a_50_mb_volume(site: Path, shape: str) -> None:
    volume = site / "papers" / "volume.bib"
    if shape == "many entries":
        count = many_entries(volume)
    else:
        one_entry(volume)
        count = 1
    result = run_limited("the reader", "-c", READER, site / "papers")
    assert result.returncode == 0, result.stderr[-3000:]
    handled_or_refused(result.stdout, count, "papers/volume.bib")
    if shape == "one entry" and result.stdout.startswith("1\n"):
        # Read: the paper stays, without its abstract, and the error says why.
        assert "papers/volume.bib:7: error: entry 'k0x2024': field 'abstract' has " \
            "52,428,800 characters; the limit is" in result.stdout


@pytest.mark.parametrize("shape", ["many entries", "one entry"])
def test_check_on_a_50_mb_volume(site: Path, shape: str) -> None:
    volume = site / "papers" / "volume.bib"
    if shape == "many entries":
        many_entries(volume)
    else:
        one_entry(volume)
    result = run_limited("proceedings check", "-m", "sphinx_proceedings.cli.app", "-C", site, "check")
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert " error(s), " in result.stdout.splitlines()[-1]
    if shape == "one entry" or result.returncode == 1:
        assert "papers/volume.bib:" in result.stdout
        assert "limit" in result.stdout


# -- 10,000 authors and a 5 MB abstract through import and add -------------------------
def note(ident: str, authors: list[str], abstract: str, v2: bool) -> dict:
    content = {"title": f"Paper {ident}", "authors": authors, "abstract": abstract,
               "venue": "ICLR 2024 Workshop Poster"}
    if v2:
        content = {name: {"value": value} for name, value in content.items()}
    return {"id": ident, "forum": ident, "content": content}


@pytest.mark.parametrize("v2", [True, False], ids=["api-v2", "api-v1"])
def test_import_json_with_huge_notes(site: Path, tmp_path: Path, v2: bool) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps([note("ManyAuth1", AUTHORS, "Short.", v2),
                                  note("HugeAbs2", ["Ann Bell"], ABSTRACT, v2),
                                  note("Both3", AUTHORS, ABSTRACT, v2)], indent=1))
    assert export.stat().st_size > 10 * MB
    result = invoke(site, "import", "openreview", export)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    # The words of `check`, located at each note in the export.
    line = line_of(export, '"ManyAuth1"')
    assert any(text.startswith(f"{export}:{line}: error: entry '") and text.endswith(
        "': field 'author' has 267,775 characters; the limit is 262,144; entry skipped "
        "[proceedings.too-large]") for text in lines), lines
    line = line_of(export, '"HugeAbs2"')
    # abstract.md would hold the abstract and a final newline: 5,242,881 bytes.
    assert f"{export}:{line}: error: entry 'bell2024paper': abstract has 5,242,881 bytes; the " \
        "limit is 262,144; abstract ignored [proceedings.too-large]" in lines
    line = line_of(export, '"Both3"')
    assert any(text.startswith(f"{export}:{line}: error: entry '") and "'author' has" in text
               for text in lines), lines
    # Only the paper the site can read was written, and it reads back cleanly.
    assert sorted(p.name for p in (site / "papers").iterdir()) == ["bell2024paper",
                                                                   "topics.yml"]
    check = invoke(site, "check")
    assert " 0 error(s)" in check.output, check.output
    # A second run changes nothing and reports the same refusals.
    before = snapshot(site / "papers")
    again = invoke(site, "import", "openreview", export)
    assert again.exit_code == 1 and "Wrote" not in again.output
    assert snapshot(site / "papers") == before


def test_import_openreview_bibtex_with_huge_entries(site: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.bib"
    export.write_text(
        "@inproceedings{many2024,\n title={Many},\n author={" + " and ".join(AUTHORS)
        + "},\n year={2024},\n url={https://openreview.net/forum?id=ManyAuth1}\n}\n\n"
        "@inproceedings{huge2024,\n title={Huge},\n author={Ann Bell},\n year={2024},\n"
        " url={https://openreview.net/forum?id=HugeAbs2},\n abstract={" + ABSTRACT + "}\n}\n")
    before = snapshot(site / "papers")
    result = invoke(site, "import", "openreview", export)
    assert result.exit_code == 1, result.output
    assert f"{export}:1: error: entry 'many2024': field 'author' has " in result.output
    line = line_of(export, "@inproceedings{huge2024")
    assert f"{export}:{line}: error: entry 'huge2024': field 'abstract' has 5,242,880 " \
        "characters" in result.output
    written = {k for k in snapshot(site / "papers")} - set(before)
    assert written == {"bell2024huge/paper.bib"}
    assert " 0 error(s)" in invoke(site, "check").output


@pytest.mark.parametrize("what", ["authors", "abstract", "both"])
def test_add_refuses_huge_entries(site: Path, tmp_path: Path, what: str) -> None:
    authors = AUTHORS if what in ("authors", "both") else AUTHORS[:2]
    abstract = ABSTRACT if what in ("abstract", "both") else "Short."
    bib = tmp_path / "new.bib"
    bib.write_text("@inproceedings{huge2024paper,\n title={Huge},\n author={"
                   + " and ".join(authors) + "},\n year={2024},\n abstract={" + abstract + "}\n}\n")
    before = snapshot(site / "papers")
    result = invoke(site, "add", bib)
    assert result.exit_code == 1, result.output
    line = 5 if what == "abstract" else 3  # the line of the field too long
    assert result.output.startswith(f"{bib}:{line}: error: entry 'huge2024paper': ")
    assert "Nothing was added." in result.output
    field = {"authors": "'author' has ", "abstract": "'abstract' has 5,242,880"}.get(what, "")
    assert field in result.output
    assert snapshot(site / "papers") == before


def test_add_with_too_many_short_authors(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "new.bib"
    names = " and ".join(f"A{i} B" for i in range(10_000))  # under the field size limit
    assert len(names) < 256 * 1024
    bib.write_text("@inproceedings{many2024paper,\n title={Many},\n author={" + names
                   + "},\n year={2024}\n}\n")
    result = invoke(site, "add", bib)
    assert result.exit_code == 1, result.output
    assert f"{bib}:3: error: entry 'many2024paper' has 10,000 authors; at most 500 are " \
        "supported; entry skipped [proceedings.too-large]" in result.output
    assert not (site / "papers" / "many2024paper").exists()


def test_add_refuses_a_huge_abstract_file(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "new.bib"
    bib.write_text("@inproceedings{small2024paper,\n title={Small},\n author={Ann Bell},\n"
                   " year={2024}\n}\n")
    abstract = tmp_path / "abstract.md"
    abstract.write_text(ABSTRACT)
    before = snapshot(site / "papers")
    result = invoke(site, "add", bib, "--abstract", abstract)
    assert result.exit_code == 2
    assert f"{abstract}: file is 5,242,880 bytes; the limit is 262,144" in result.output
    assert snapshot(site / "papers") == before
