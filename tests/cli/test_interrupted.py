"""Nothing lost: imports and adds interrupted part-way leave ``papers/`` as it was.

`tests/test_cli.py` covers a full disk during a new import and during a
``--force`` update.  Here: Ctrl-C (KeyboardInterrupt) and errors at every
stage (while staging, at the first, a middle and the last install) for
``import openreview`` (JSON and BibTeX, new papers and updates) and ``add``
(several entries, and ``--force`` over an existing paper with its PDF).  The
tree is compared by the SHA-256 of every file and the list of every path,
folders included, so a leftover empty folder or staging area is caught.
Running the command again afterwards gives exactly what an uninterrupted run
gives, and a further run changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.core import files

DATA = Path(__file__).parents[1] / "data" / "openreview"
CONF = 'project = "Waves"\nproceedings_year = "2024"\nproceedings_booktitle = "Waves 2024"\n'
TOPICS = "topics:\n  - slug: simulation\n    title: Simulation\n"
EXISTING = """@inproceedings{okafor2024tides,
  title = {Tides on a {GPU}},
  author = {Okafor, Tomas},
  year = {2024},
  topics = {simulation},
}
"""
ENTRIES = """@inproceedings{okafor2024tides,
  title = {Tides on a {GPU}, revised},
  author = {Okafor, Tomas and Lind, Maja},
  year = {2024},
  abstract = {Tides, $\\omega$ and more.},
}

@inproceedings{lind2024surf,
  title = {Surf Zones},
  author = {Lind, Maja},
  year = {2024},
  abstract = {Breaking waves.},
}

@article{berg2024deep,
  title = {Deep Water},
  author = {van der Berg, Jan},
  year = {2024},
}
"""


class Interrupted(OSError):
    """A write error in the middle of a command (a full disk, say)."""


def tree(folder: Path) -> dict[str, str]:
    """Every path under ``folder``: files by SHA-256 of their bytes, folders as '/'."""
    return {str(p.relative_to(folder)): "/" if p.is_dir() else
            hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def make_site(root: Path) -> Path:
    (root / "papers" / "okafor2024tides").mkdir(parents=True)
    (root / "conf.py").write_text(CONF)
    (root / "papers" / "topics.yml").write_text(TOPICS)
    (root / "papers" / "okafor2024tides" / "paper.bib").write_text(EXISTING)
    (root / "papers" / "okafor2024tides" / "paper.pdf").write_bytes(b"%PDF-1.4\n%old\n")
    return root


def invoke(root: Path, args: list[str]) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def fail_at(monkeypatch: pytest.MonkeyPatch, method: str, call: int,
            error: Callable[[], BaseException]) -> dict[str, int]:
    """Make the ``call``-th call (1-based) of ``Transaction.<method>`` raise ``error()``."""
    real = getattr(files.Transaction, method)
    calls = {"n": 0}

    def wrapper(self: files.Transaction, *args: object) -> object:
        calls["n"] += 1
        if calls["n"] == call:
            raise error()
        return real(self, *args)

    monkeypatch.setattr(files.Transaction, method, wrapper)
    return calls


# Each scenario: a command, and what to run first (on both the interrupted and the
# reference site) so that the command has something to update.
SCENARIOS: dict[str, tuple[list[list[str]], list[str]]] = {
    "import json": ([], ["import", "openreview", str(DATA / "notes_v2.json")]),
    "import bibtex": ([], ["import", "openreview", str(DATA / "export.bib")]),
    "import update": ([["import", "openreview", str(DATA / "notes_v2.json")]],
                      ["import", "openreview", str(DATA / "notes_v2_updated.json"), "--force"]),
    "add entries": ([], ["add", "{bib}", "--force"]),
    "add with pdf": ([], ["add", "{single}", "--force", "--pdf", "{pdf}", "--abstract",
                          "{abstract}"]),
}
FAILURES: dict[str, tuple[str, Callable[[], BaseException], int]] = {
    "ctrl-c": ("_install", KeyboardInterrupt, 130),
    "disk full": ("_install", lambda: Interrupted(28, "No space left on device"), 1),
    "staging ctrl-c": ("stage", KeyboardInterrupt, 130),
    "staging error": ("stage", lambda: Interrupted(5, "Input/output error"), 1),
}


def prepare(root: Path, inputs: Path, scenario: str) -> list[str]:
    """A site with the scenario's earlier runs done; the command's arguments."""
    make_site(root)
    (inputs / "entries.bib").write_text(ENTRIES)
    (inputs / "single.bib").write_text(ENTRIES.split("\n\n")[0] + "\n")
    (inputs / "paper.pdf").write_bytes(b"%PDF-1.7\n%new\n")
    (inputs / "abstract.md").write_text("A new abstract.\n")
    before, command = SCENARIOS[scenario]
    for args in before:
        assert invoke(root, args).exit_code == 0
    names = {"bib": inputs / "entries.bib", "single": inputs / "single.bib",
             "pdf": inputs / "paper.pdf", "abstract": inputs / "abstract.md"}
    return [a.format(**{k: str(v) for k, v in names.items()}) for a in command]


def files_written(root: Path, command: list[str]) -> int:
    """How many files an uninterrupted run installs (on a scratch copy of the inputs)."""
    seen = {"n": 0}
    real = files.Transaction._install

    def count(self: files.Transaction, staged: Path, target: Path) -> None:
        seen["n"] += 1
        real(self, staged, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files.Transaction, "_install", count)
        assert invoke(root, command).exit_code == 0
    return seen["n"]


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_interrupted_command_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             scenario: str, failure: str) -> None:
    reference = tmp_path / "reference"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    command = prepare(reference, inputs, scenario)
    total = files_written(reference, command)
    assert total >= 2
    method, error, status = FAILURES[failure]

    for call in sorted({1, (total + 1) // 2, total}):
        root = tmp_path / f"site-{call}"
        assert prepare(root, inputs, scenario) == command
        before = tree(root / "papers")
        with pytest.MonkeyPatch.context() as patch:
            fail_at(patch, method, call, error)
            result = invoke(root, command)
        assert result.exit_code == status, result.output
        if status == 130:
            assert "interrupted" in result.output
        else:
            assert "left as it was" in result.output
        assert tree(root / "papers") == before, f"changed after a failure at file {call}"

        # Running again does what an uninterrupted run does; once more changes nothing.
        assert invoke(root, command).exit_code == 0
        assert tree(root / "papers") == tree(reference / "papers")
        if command[0] == "import":
            stamps = mtimes(root / "papers")
            again = invoke(root, command)
            assert again.exit_code == 0 and "Wrote" not in again.output
            assert mtimes(root / "papers") == stamps
        else:
            assert invoke(root, command).exit_code == 0  # --force: same bytes again
            assert tree(root / "papers") == tree(reference / "papers")


def test_add_without_force_after_an_interruption_adds_once(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path / "site")
    bib = tmp_path / "new.bib"
    bib.write_text(ENTRIES.split("\n\n", 1)[1])  # two new papers
    before = tree(root / "papers")
    with pytest.MonkeyPatch.context() as patch:
        fail_at(patch, "_install", 2, KeyboardInterrupt)
        assert invoke(root, ["add", str(bib)]).exit_code == 130
    assert tree(root / "papers") == before
    assert invoke(root, ["add", str(bib)]).exit_code == 0
    after = tree(root / "papers")
    assert {"lind2024surf", "berg2024deep"} <= set(after)
    again = invoke(root, ["add", str(bib)])
    assert again.exit_code == 1 and "exists already" in again.output
    assert tree(root / "papers") == after


def test_failed_rollback_step_still_restores_the_rest(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when the failing install had already moved the old file aside."""
    root = tmp_path / "papers"
    (root / "a").mkdir(parents=True)
    (root / "a" / "paper.bib").write_bytes(b"old a")
    (root / "b.bib").write_bytes(b"old b")
    before = tree(root)

    def half_install(self: files.Transaction, staged: Path, target: Path) -> None:
        if target.name == "paper.bib":
            target.write_bytes(b"half written")  # a partial write, then the failure
            raise Interrupted(28, "No space left on device")
        files.os.replace(staged, target)

    monkeypatch.setattr(files.Transaction, "_install", half_install)
    with pytest.raises(Interrupted), files.Transaction(root) as transaction:
        transaction.stage("b.bib", b"new b")
        transaction.stage("a/paper.bib", b"new a")
        transaction.stage("c/new.md", b"new c")
        transaction.commit()
    assert tree(root) == before


def test_a_failed_rollback_keeps_the_old_files_and_says_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second failure while undoing must not delete the only copy of the old file."""
    root = make_site(tmp_path / "site")
    bib = tmp_path / "new.bib"
    bib.write_text(ENTRIES)
    real_replace = files.os.replace

    def install(self: files.Transaction, staged: Path, target: Path) -> None:
        if target.parent.name == "okafor2024tides" and target.name == "paper.bib":
            raise Interrupted(28, "No space left on device")  # after its backup was made
        real_replace(staged, target)

    def replace(source: Path, target: Path) -> None:
        if "old" in Path(source).parts:  # restoring a backup fails too
            raise Interrupted(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(files.Transaction, "_install", install)
    monkeypatch.setattr(files.os, "replace", replace)
    result = invoke(root, ["add", str(bib), "--force"])
    assert result.exit_code == 1
    assert "could not restore" in result.output and "previous versions are kept in" in result.output
    kept = list((root / "papers").glob(".staging-*/old/okafor2024tides/paper.bib"))
    assert [p.read_text() for p in kept] == [EXISTING]


def test_a_transaction_that_made_papers_removes_it(tmp_path: Path) -> None:
    root = tmp_path / "site" / "papers"
    with pytest.raises(KeyboardInterrupt), files.Transaction(root) as transaction:
        transaction.stage("a/paper.bib", b"x")
        raise KeyboardInterrupt
    assert not (tmp_path / "site").exists()
