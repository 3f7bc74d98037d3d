"""A long-lived child process that ends when the command that started it does.

``proceedings serve`` runs sphinx-autobuild, which runs Sphinx builds of its
own.  Left to the defaults, a SIGTERM (``kill``, an editor's stop button, a
process manager) or a SIGHUP (the terminal closing) ends ``serve`` alone and
the server lives on as an orphan, holding its port.  So the child starts in a
session and process group of its own, and whichever of SIGINT, SIGTERM and
SIGHUP reaches ``serve``, the whole group is asked to stop, given a few
seconds, then killed.  Ctrl-C in a terminal reaches only ``serve`` (the
child's group is not the terminal's), so it too goes this one way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: How long the server may take to shut down before it is killed.
GRACE_SECONDS = 10.0


class _Stop(Exception):
    """Raised by the signal handler to leave the wait for the child."""


def run_in_group(command: Sequence[str], cwd: Path) -> tuple[int | None, int | None]:
    """Run ``command`` until it exits or we are told to stop; end its whole group.

    Returns the child's exit status (None when we stopped it) and the signal
    that stopped us (None when the child exited by itself).
    """
    received: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        raise _Stop

    def note(signum: int, frame: FrameType | None) -> None:
        received.append(signum)  # while cleaning up: noted, cleanup goes on

    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    child: subprocess.Popen[bytes] | None = None
    status: int | None = None
    try:
        child = subprocess.Popen(list(command), cwd=cwd, start_new_session=True)
        status = child.wait()
    except _Stop:
        pass
    finally:
        for sig in STOP_SIGNALS:
            signal.signal(sig, note)
        try:
            if child is not None:
                end_group(child)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    return status, (received[0] if received else None)


def end_group(child: subprocess.Popen[bytes]) -> None:
    """Stop every process in ``child``'s group: SIGTERM, a grace period, SIGKILL."""
    group = child.pid  # start_new_session: the child leads its own group
    _signal_group(group, signal.SIGTERM)
    try:
        child.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        child.wait()
    # The leader is gone; a build it started may still be finishing.
    deadline = time.monotonic() + GRACE_SECONDS
    while _group_exists(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    _signal_group(group, signal.SIGKILL)


def _signal_group(group: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, sig)


def _group_exists(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
