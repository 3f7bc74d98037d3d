"""``add`` and ``import`` accept and refuse exactly what ``check`` does, with its words.

Each case puts a paper in through the command, and the same paper straight into
``papers/``, and compares what the command said with what ``check`` says of the
paper (kind and message; the place differs: the input file, or ``papers/``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.importers import bibwriter
from sphinx_proceedings.importers.openreview.load import load_export

LINE = re.compile(r"^(?P<where>.+?): (?P<level>error|warning|advice): (?P<message>.*) "
                  r"\[proceedings\.(?P<kind>[a-z-]+)\]$")


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def said(output: str, about: str | None = None) -> set[tuple[str, str, str]]:
    """(level, kind, message) of each problem line, optionally only those naming ``about``."""
    found = set()
    for text in output.splitlines():
        match = LINE.match(text)
        if match and match["level"] != "advice" and (about is None or about in text):
            found.add((match["level"], match["kind"], match["message"]))
    return found


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("judgement") / "site"
    assert run("new", root, "--title", "Judged", "--year", "2024").exit_code == 0
    shutil.rmtree(next(p for p in (root / "papers").iterdir() if p.is_dir()))
    (root / "papers" / "schedule.yml").unlink(missing_ok=True)  # it names the example paper
    return root


@pytest.fixture
def site(empty_site: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(empty_site, root)
    return root


def entry(**fields: str) -> str:
    body = {"title": "{Tides} on a GPU", "author": "Okafor, Tomas", "year": "2024",
            "url": "https://example.org/tides", "abstract": "Tides, $\\omega$ and more."}
    body.update(fields)
    lines = "".join(f"  {name} = {{{value}}},\n" for name, value in body.items() if value)
    return f"@inproceedings{{okafor2024tides,\n{lines}}}\n"


CASES = {
    "clean": entry(),
    "no abstract nor forum": entry(abstract="", url=""),
    "script in the abstract": entry(abstract="Tides <script>alert(1)</script>."),
    "unsafe link": entry(code="javascript:alert(1)"),
    "malformed link": entry(video="www.example.org/v"),
    "unknown topic and presentation": entry(topics="nowhere", presentation="keynote"),
    "no title": entry(title=""),
    "local file add does not copy": entry(poster="poster-final.pdf"),
    "field too long": entry(keywords="x" * 70_000),
    "too many authors": entry(author=" and ".join(f"A{i} B" for i in range(501))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_add_says_and_decides_what_check_does(site: Path, tmp_path: Path, case: str) -> None:
    text = CASES[case]
    # The paper as check sees it when it is put into papers/ by hand.
    by_hand = tmp_path / "by-hand"
    shutil.copytree(site, by_hand)
    (by_hand / "papers" / "okafor2024tides").mkdir()
    (by_hand / "papers" / "okafor2024tides" / "paper.bib").write_text(text, encoding="utf-8")
    checked = run("-C", by_hand, "check")
    expected = said(checked.output, "papers/okafor2024tides/")

    bib = tmp_path / "new.bib"
    bib.write_text(text, encoding="utf-8")
    added = run("-C", site, "add", bib)
    assert said(added.output) == expected, added.output
    refused = any(level == "error" for level, _, _ in expected)
    assert (added.exit_code == 1) is refused, added.output
    assert (site / "papers" / "okafor2024tides").exists() is not refused
    if not refused:  # what was added reads back with the same warnings
        again = run("-C", site, "check")
        assert said(again.output, "okafor2024tides") == expected
        assert again.exit_code == 0


def note(ident: str, **content: object) -> dict:
    base: dict[str, object] = {"title": f"Paper {ident}", "authors": ["Ann Bell"],
                               "abstract": "Short.", "venue": "ICLR 2024 Workshop Poster"}
    base.update(content)
    return {"id": ident, "forum": ident,
            "content": {k: {"value": v} for k, v in base.items() if v is not None}}


NOTES = [
    note("CleanNote1"),
    note("ScriptNote2", abstract="Tides <script>alert(1)</script>.\n\n```{raw} html\n<b>\n```"),
    note("NoAbsNote3", abstract=None),
    note("ManyNote4", authors=[f"A{i} B{i}" for i in range(501)]),
    note("HugeNote5", abstract="word " * 60_000),
]


def test_import_says_and_decides_what_check_does(site: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(NOTES, indent=1), encoding="utf-8")
    imported = run("-C", site, "import", "openreview", export)
    assert imported.exit_code == 1  # two errors
    lines = imported.output.splitlines()
    records = {r.forum: r for r in load_export(export).records}
    keys = {p.name for p in (site / "papers").iterdir() if p.is_dir()}
    checked = run("-C", site, "check").output
    for ident, record in records.items():
        at = f"{export}:{record.line}: "
        from_import = said("\n".join(t for t in lines if t.startswith(at)))
        written = [k for k in keys if f"id={ident}" in (site / "papers" / k / "paper.bib").read_text()]
        if ident == "ManyNote4":  # refused: nothing written; check refuses the same file
            assert written == []
            key = re.search(r"entry '([^']+)'", next(t for t in lines if t.startswith(at)))[1]
            folder = tmp_path / "by-hand" / "papers" / key
            shutil.copytree(site, tmp_path / "by-hand")
            folder.mkdir()
            (folder / "paper.bib").write_text(bibwriter.render_entry(
                key, list(bibwriter.record_fields(record, "").items())), encoding="utf-8")
            expected = said(run("-C", tmp_path / "by-hand", "check").output, f"/{key}/")
            assert from_import == expected and {lvl for lvl, _, _ in expected} == {"error"}
            continue
        assert len(written) == 1, ident
        expected = said(checked, f"papers/{written[0]}/")
        if ident == "HugeNote5":  # imported without the abstract it could not keep
            assert ("error", "too-large") in {(lvl, kind) for lvl, kind, _ in from_import}
            assert not (site / "papers" / written[0] / "abstract.md").exists()
            from_import = {p for p in from_import if p[1] != "too-large"}
        assert from_import == expected, (ident, imported.output, checked)
    assert any(kind == "abstract-markup" for _, kind, _ in said(checked))
