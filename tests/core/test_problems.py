"""The kinds of problem: listed once (`ProblemKind`), documented in the README, all used."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.problems import LEVELS, SCOPES, ProblemKind

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "sphinx_proceedings"


def readme_table() -> list[tuple[str, str, str, str]]:
    """Rows of the README's table of warnings."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Warnings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [tuple(cell.strip() for cell in row.strip("|").split(" | ")) for row in rows]


def test_readme_table_is_the_enum() -> None:
    expected = [(f"`{k.value}`", k.level, k.scope, k.description) for k in ProblemKind]
    assert readme_table() == expected


def test_every_kind_has_a_known_level_scope_and_one_line() -> None:
    for kind in ProblemKind:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", kind.value), kind
        assert kind.level in LEVELS and kind.scope in SCOPES, kind
        assert "\n" not in kind.description and kind.description.endswith("."), kind
        assert kind.subtype == f"proceedings.{kind.value}"
    # Advice is exactly what `check` alone reports; nothing else may be check-only.
    assert {k for k in ProblemKind if k.level == "advice"} == \
        {k for k in ProblemKind if k.scope == "check"}


def test_a_problem_takes_level_and_subtype_from_its_kind() -> None:
    problem = Problem(ProblemKind.NO_ABSTRACT, "entry 'x' has no abstract", Source(Path("a.bib"), 3))
    assert problem.level == "warning"
    assert str(problem) == "a.bib:3: warning: entry 'x' has no abstract [proceedings.no-abstract]"


def _subtype_literals() -> list[tuple[str, str]]:
    """``subtype="..."`` string literals in the package's warning calls."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "subtype" \
                    and isinstance(node.value, ast.Constant):
                found.append((path.name, node.value.value))
    return found


def test_every_subtype_the_extension_logs_is_a_kind() -> None:
    literals = _subtype_literals()
    assert literals, "the scan finds the literal subtypes of sphinx_ext/"
    kinds = {k.value for k in ProblemKind}
    assert [(name, value) for name, value in literals if value not in kinds] == []


def test_every_kind_is_used_somewhere() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                       if p.name != "problems.py")
    literals = {value for _, value in _subtype_literals()}
    unused = [k for k in ProblemKind
              if f"ProblemKind.{k.name}" not in source and k.value not in literals]
    assert unused == []
