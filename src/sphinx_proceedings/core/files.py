"""Writes that cannot leave a half-done state behind.

`write_atomic` replaces one file through a temporary file and `os.replace`.
`Transaction` stages many files in a hidden folder inside the target tree,
then installs them; if anything fails, every file already installed is put
back as it was, so ``papers/`` stays byte-for-byte unchanged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A path that would leave the folder it must stay in."""


class RollbackError(OSError):
    """A failed transaction could not put every old file back (rare: a second failure)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Mode of a new regular file (temporary files are created 0600)."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    return 0o777 & ~_umask()


def inside(root: Path, relative: str | PurePosixPath) -> Path:
    """``root / relative``, refusing absolute paths, ``..`` and symlinks out."""
    rel = PurePosixPath(str(relative).replace("\\", "/"))
    if rel.is_absolute() or not rel.parts or any(p in ("..", ".", "") for p in rel.parts):
        raise UnsafePath(f"refusing path {str(relative)!r}: it must stay inside {root}")
    target = root.joinpath(*rel.parts)
    resolved_root = root.resolve()
    if not target.resolve(strict=False).is_relative_to(resolved_root):
        raise UnsafePath(f"refusing path {str(relative)!r}: it leads outside {root} "
                         "(symbolic link?)")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (readers see old or new, never half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, file_mode())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Transaction:
    """Install a set of files under ``root`` all together, or not at all.

    Use as a context manager: `stage` files, then `commit`.  Leaving the
    block without a commit (or with a failed one) leaves ``root`` as it was;
    the hidden staging folder (``.staging-*``, ignored by the reader) is
    always removed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staged: dict[PurePosixPath, Path] = {}
        self.staging: Path | None = None
        self.created_root: list[Path] = []
        self.committed = False

    def __enter__(self) -> Transaction:
        missing = [self.root, *self.root.parents]
        self.created_root = [d for d in missing if not d.exists()]
        self.root.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if not self.committed:
            # Folders made only for this transaction go too (papers/ did not exist).
            for folder in self.created_root:
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def stage(self, relative: str, data: bytes) -> None:
        """Write ``data`` into the staging area for ``root/relative``."""
        assert self.staging is not None, "use Transaction as a context manager"
        inside(self.root, relative)  # validate now, before anything is installed
        rel = PurePosixPath(relative)
        temp = self.staging.joinpath("new", *rel.parts)
        temp.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename makes it visible
        os.chmod(temp, file_mode())
        self.staged[rel] = temp

    def _install(self, staged: Path, target: Path) -> None:
        """Move one staged file into place (a seam for failure tests)."""
        os.replace(staged, target)

    def commit(self) -> list[PurePosixPath]:
        """Install every staged file; on failure restore all and re-raise."""
        assert self.staging is not None, "use Transaction as a context manager"
        installed: list[tuple[Path, Path | None]] = []
        created_dirs: list[Path] = []
        try:
            for rel in sorted(self.staged):
                target = inside(self.root, rel)
                missing = []
                parent = target.parent
                while not parent.exists():
                    missing.append(parent)
                    parent = parent.parent
                for folder in reversed(missing):
                    folder.mkdir(mode=dir_mode())
                    created_dirs.append(folder)
                backup = None
                if target.exists() or target.is_symlink():
                    backup = self.staging.joinpath("old", *rel.parts)
                    backup.parent.mkdir(parents=True, exist_ok=True)
                # Record before moving anything: an interruption at any point is undone.
                installed.append((target, backup))
                if backup is not None:
                    os.replace(target, backup)
                self._install(self.staged[rel], target)
        except BaseException:
            self._rollback(installed, created_dirs)
            raise
        self.committed = True
        return sorted(self.staged)

    def _rollback(self, installed: list[tuple[Path, Path | None]],
                  created_dirs: list[Path]) -> None:
        """Put every old file back; if that fails, keep the backups and say where."""
        failed: list[str] = []
        for target, backup in reversed(installed):
            try:
                if backup is None:
                    target.unlink(missing_ok=True)
                elif backup.exists() or backup.is_symlink():
                    os.replace(backup, target)
                # else: the old file was never moved; it is still in place.
            except OSError as exc:
                failed.append(f"{target} ({exc.strerror or exc})")
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if failed:
            kept, self.staging = self.staging, None  # __exit__ must not delete the backups
            self.committed = True
            raise RollbackError(f"could not restore {', '.join(failed)}; the previous "
                                f"versions are kept in {kept / 'old'}")
