"""Reproducible output: two clean builds of the same inputs are byte-identical.

The builds run in different folders (no absolute path may leak into a page),
with ``SOURCE_DATE_EPOCH`` set, and the second one sees every directory
listed in reverse order, so no output may depend on filesystem order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: Citation exports; the search index (pagefind) is compared by its own test, if any.
EXPORTS = (".bib", ".ris", ".csl.json")


def outputs(outdir: Path) -> dict[str, bytes]:
    """Generated pages, all HTML pages and the citation exports, by relative path."""
    return {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
        and (path.suffix == ".html" or path.name.endswith(EXPORTS))
        and "_static" not in path.parts
    }


def sources(srcdir: Path) -> dict[str, bytes]:
    generated = srcdir / "proceedings"
    return {str(p.relative_to(generated)): p.read_bytes() for p in sorted(generated.rglob("*.md"))}


@pytest.mark.parametrize("root", ["basic", "hostile"])
def test_two_clean_builds_are_identical(site, build, monkeypatch, root):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")  # 2024-05-01
    first = build(site(root, "first-build"))

    listing = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(sorted(listing(self), reverse=True)))
    second = build(site(root, "second/elsewhere"))

    one, two = outputs(Path(first.outdir)), outputs(Path(second.outdir))
    assert any(name.startswith("proceedings/papers/") for name in one)
    assert any(name.endswith(".bib") for name in one), "citation exports are compared too"
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []
    assert sources(Path(first.srcdir)) == sources(Path(second.srcdir))
    for name, data in one.items():
        assert b"first-build" not in data and b"elsewhere" not in data, name
