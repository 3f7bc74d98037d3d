"""Pinning the extension's code for a benchmark (shared by run.py and profile.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"


def snapshot(code: str) -> tuple[str, Path | None]:
    """Pin the extension's code for the whole benchmark.

    ``head`` exports the committed ``src/`` (``git archive``) into ``work/``
    and puts it first on ``PYTHONPATH``, so edits others make to the working
    tree during a long run cannot change what is measured.  ``tree`` uses
    the installed (editable) package as it is; any other value names a commit.
    """
    rev = "HEAD" if code in ("head", "tree") else code
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev],
                            capture_output=True, text=True, check=False).stdout.strip()
    if code == "tree":
        return f"{commit}+tree", None
    target = WORK / f"code-{commit}"
    if not (target / "src").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return commit, target / "src"


def pin_from_argv() -> str:
    """Apply ``--code`` from the command line before the extension is imported; the commit.

    The pinned ``src/`` goes first on ``sys.path`` and on ``PYTHONPATH`` (for
    the ``python -m sphinx`` subprocesses).
    """
    code = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else "head"
    commit, src = snapshot(code)
    if src is not None:
        sys.path.insert(0, str(src))
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
    return commit
