"""The package's layers: what each may import.

``core/`` is the data and ``render/`` its text forms; both are used by the
command and by Sphinx alike, so neither may pull in Sphinx, docutils or click,
and ``core/`` never reaches up into a later layer.  Checked on the source
(``ast``), so an import hidden inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sphinx_proceedings"
FRAMEWORKS = ("sphinx", "docutils", "click")
#: layer -> the package's own layers it may import
ALLOWED = {
    "core": ("core",),
    "render": ("core", "render"),
}


def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path.name}: relative import; the package imports absolutely")
    return names


def modules_of(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_no_framework(layer):
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules_of(layer) for name in imported_modules(path)
        if name.split(".")[0] in FRAMEWORKS
    ]
    assert not offenders


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_lower_layers(layer):
    offenders = []
    for path in modules_of(layer):
        for name in imported_modules(path):
            parts = name.split(".")
            if parts[0] == "sphinx_proceedings" and len(parts) > 1 and parts[1] not in ALLOWED[layer]:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offenders


def test_checker_sees_a_forbidden_import(tmp_path):
    """The checks above can fail: a module importing Sphinx is reported."""
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from sphinx.util import logging\n")
    assert "sphinx.util" in imported_modules(module)
