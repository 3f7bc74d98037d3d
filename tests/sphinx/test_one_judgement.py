"""``proceedings check`` and the Sphinx build report the same problems, word for word.

Both read ``papers/`` through the same judgement (`core.checks`), so on every
fixture site the set of (file, line, kind, message) of check's errors and
warnings equals the set of the build's ``proceedings.*`` warnings.  Advice is
check's own level (never in the build); kinds whose scope is "build" (the
output folder, Pagefind, settings) are the build's own (none occur here).
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOTS
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences
from test_hostile import add_generated_payloads

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.core.problems import ProblemKind

Found = tuple[str, int | None, str, str]  # path, line, kind, message

_CHECK_LINE = re.compile(r"^(?P<where>.+?): (?P<level>error|warning|advice): (?P<message>.*) "
                         r"\[proceedings\.(?P<kind>[a-z-]+)\]$")
_BUILD_LINE = re.compile(r"^(?:(?P<where>\S.*?): )?WARNING: (?P<message>.*) "
                         r"\[proceedings\.(?P<kind>[a-z-]+)\]$")
SITES = sorted(p.name.removeprefix("test-") for p in ROOTS.glob("test-*"))


def _located(where: str) -> tuple[str, int | None]:
    path, _, line = where.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (where, None)


def check_problems(root: Path) -> tuple[set[Found], set[Found]]:
    """``proceedings check``'s errors and warnings, and its advice, from its output."""
    result = CliRunner().invoke(main, ["-C", str(root), "check"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    judged, advice = set(), set()
    lines = result.output.splitlines()
    for text in lines[:-1]:  # the last line is the summary
        match = _CHECK_LINE.match(text)
        assert match, f"not a problem line: {text!r}"
        found = (*_located(match["where"]), match["kind"], match["message"])
        (advice if match["level"] == "advice" else judged).add(found)
        assert ProblemKind(match["kind"]).level == match["level"]
    assert re.fullmatch(r"\d+ papers, \d+ topics: \d+ error\(s\), \d+ warning\(s\), \d+ advice",
                        lines[-1]), lines[-1]
    return judged, advice


def build_problems(root: Path) -> set[Found]:
    """The ``proceedings.*`` warnings of an HTML build of the site."""
    app = SphinxTestApp("html", srcdir=root, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    found = set()
    for text in strip_escape_sequences(app.warning.getvalue()).splitlines():
        match = _BUILD_LINE.match(text)
        if not match:
            assert "[proceedings." not in text, text
            continue
        if ProblemKind(match["kind"]).scope == "build":
            continue
        message = match["message"]
        if match["where"]:
            path, line = _located(match["where"])
        else:  # no line: the path leads the message
            path, _, message = message.partition(": ")
            line = None
        found.add((path, line, match["kind"], message))
    return found


@pytest.mark.parametrize("name", [*SITES, "hostile-with-payloads"])
def test_check_and_build_report_the_same_problems(name: str, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(ROOTS / f"test-{name.removesuffix('-with-payloads')}", root)
    if name == "hostile-with-payloads":  # links out of the project, NUL bytes, huge files
        add_generated_payloads(root, tmp_path / "outside")
    judged, advice = check_problems(root)
    built = build_problems(root)
    assert built == judged, (sorted(judged - built), sorted(built - judged))
    assert all(ProblemKind(kind).level == "advice" for _, _, kind, _ in advice)
    assert not {kind for _, _, kind, _ in built} & {k.value for k in ProblemKind
                                                   if k.level == "advice"}


def test_fixtures_cover_every_judged_kind(tmp_path: Path) -> None:
    """The sites above exercise each kind that check and the build share (no vacuous equality)."""
    seen = set()
    for name in SITES:
        root = tmp_path / name
        shutil.copytree(ROOTS / f"test-{name}", root)
        judged, advice = check_problems(root)
        seen |= {kind for _, _, kind, _ in judged | advice}
    root = tmp_path / "payloads"
    shutil.copytree(ROOTS / "test-hostile", root)
    add_generated_payloads(root, tmp_path / "outside")
    seen |= {kind for _, _, kind, _ in check_problems(root)[0]}
    shared = {k.value for k in ProblemKind if k.scope in ("check and build", "check")}
    # Tested in tests/core instead: bad-names (bibtexparser's name splitter accepts nearly
    # anything; test_judgement.py), a schedule.yml that is no YAML or lacks its date
    # (test_schedule.py: a fixture with them would have no schedule to show), a
    # people.yml that is no YAML (tests/core/test_people.py: no group would be shown).
    assert shared - seen == {"bad-names", "schedule-yaml", "schedule-field", "people-yaml"}


def test_script_and_raw_block_in_an_abstract_are_reported_by_both(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(ROOTS / "test-judged", root)
    expected = {
        ("papers/script2024abstract/abstract.md", 3, "abstract-markup",
         "raw HTML is not allowed in an abstract; the abstract is shown as plain text"),
        ("papers/script2024abstract/abstract.md", 5, "abstract-markup",
         "a directive is not allowed in an abstract; the abstract is shown as plain text"),
        ("papers/volume.bib", 5, "html-tag",
         "entry 'volume2024raw': field 'abstract': HTML tag <script> is not allowed; shown as "
         "text"),
    }
    assert expected <= check_problems(root)[0]
    assert expected <= build_problems(root)
