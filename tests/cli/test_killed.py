"""``kill -9`` at any moment of an import or add: the next run cleans up.

A killed process cannot roll back, so it leaves its ``.staging-*`` folder
(and, if it was installing, some new files and the old ones aside in the
staging folder's ``old/``).  The next transaction in ``papers/`` undoes it
from the staging folder's journal and removes the folder (core/files.py).
Each test runs the command in a child process that stops at a chosen step
(a patched `files.Transaction` method that signals and then sleeps), kills
it with SIGKILL, and runs the command again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_interrupted import files_written, invoke, prepare, tree

from sphinx_proceedings.core import files

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sphinx_proceedings.cli.app import main
    from sphinx_proceedings.core import files

    method, stop_after, ready = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    real = getattr(files.Transaction, method)
    calls = [0]

    def stopping(self, *args):
        result = real(self, *args)
        calls[0] += 1
        if calls[0] == stop_after:
            ready.write_text("stopped")
            time.sleep(600)  # until killed
        return result

    setattr(files.Transaction, method, stopping)
    main(sys.argv[4:])
""")


def run_and_kill(root: Path, command: list[str], method: str, stop_after: int,
                 tmp_path: Path) -> None:
    """Run ``command`` in a child process and SIGKILL it after the ``stop_after``-th
    call of ``Transaction.<method>``."""
    ready = tmp_path / f"ready-{method}-{stop_after}"
    child = subprocess.Popen([sys.executable, "-c", CHILD, method, str(stop_after), str(ready),
                              "-C", str(root), *command],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not ready.exists():
            if child.poll() is not None:
                pytest.fail(f"the command ended before the step: {child.stderr.read()!r}")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def staging(root: Path) -> list[Path]:
    return sorted((root / "papers").glob(f"{files.STAGING_PREFIX}*"))


@pytest.mark.parametrize("scenario", ["import json", "import update", "add with pdf"])
@pytest.mark.parametrize("step", ["stage", "first install", "last install"])
def test_a_killed_run_is_cleaned_up_by_the_next(tmp_path: Path, scenario: str,
                                                step: str) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    reference = tmp_path / "reference"
    command = prepare(reference, inputs, scenario)
    total = files_written(reference, command)
    method, stop_after = {"stage": ("stage", 1), "first install": ("_install", 1),
                          "last install": ("_install", total)}[step]

    root = tmp_path / "site"
    assert prepare(root, inputs, scenario) == command
    before = tree(root / "papers")
    run_and_kill(root, command, method, stop_after, tmp_path)
    assert len(staging(root)) == 1, "the killed run left its staging folder"

    # Any transaction there first undoes the dead one: papers/ is as it was.
    with files.Transaction(root / "papers") as transaction:
        assert len(transaction.recovered) == 1
    assert tree(root / "papers") == before

    # And running the command again gives what an uninterrupted run gives.
    run_and_kill(root, command, method, stop_after, tmp_path)
    assert invoke(root, command).exit_code == 0
    assert staging(root) == []
    assert tree(root / "papers") == tree(reference / "papers")


def test_a_second_writer_is_refused_while_one_runs(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    root = tmp_path / "site"
    command = prepare(root, inputs, "add entries")
    before = tree(root / "papers")
    with files.Transaction(root / "papers"):
        result = invoke(root, command)
        assert result.exit_code == 1
        assert "being written by another process" in result.output
        assert f"pid {os.getpid()}" in result.output
    lock = root / "papers" / files.LOCK_NAME
    assert not lock.exists(), "the lock file goes when its transaction ends"
    assert tree(root / "papers") == before
    assert invoke(root, command).exit_code == 0
