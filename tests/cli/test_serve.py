"""``proceedings serve`` ends every process it started, whichever signal stops it.

Each test starts the real command on a free port, waits for the preview to
answer, sends one signal to ``serve`` alone (as ``kill``, a process manager or
a closing terminal would), then checks that ``serve`` exited, that none of the
processes it started is left, and that nothing listens on the port any more.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from sphinx_proceedings.cli.app import main

#: Upper bounds for waits, not expectations: a first build of a tiny site.
START_LIMIT = 180.0
STOP_LIMIT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def nobody_listens(port: int) -> bool:
    """Binding the port works only when no socket listens on it."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "site"
    result = CliRunner().invoke(main, ["new", str(root), "--title", "Serving Test"])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=lambda s: s.name)
def test_any_stop_signal_ends_every_process(site: Path, stop: signal.Signals,
                                            tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-c", "from sphinx_proceedings.cli import main; main()",
               "-C", str(site), "serve", "--port", str(port)]
    log = tmp_path / "serve.log"  # a file, not a pipe: an orphan could hold a pipe open
    with log.open("wb") as sink:
        serve = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                 start_new_session=True)  # our own signals must not reach it
    try:
        deadline = time.monotonic() + START_LIMIT
        while not answers(port):
            assert serve.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the preview never answered"
            time.sleep(0.2)
        started = psutil.Process(serve.pid).children(recursive=True)
        assert started, "serve started no process"
        assert any("sphinx_autobuild" in " ".join(p.cmdline()) for p in started)

        os.kill(serve.pid, stop)
        status = serve.wait(timeout=STOP_LIMIT)
        output = log.read_text(errors="replace")
        assert status == 0, output
        assert "Stopped." in output
        gone, alive = psutil.wait_procs(started, timeout=STOP_LIMIT)
        assert alive == [], f"left running: {[p.cmdline() for p in alive]}"
        assert not answers(port)
        assert nobody_listens(port)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        for process in psutil.process_iter(["cmdline"]):
            if f"--port {port} " in " ".join(process.info["cmdline"] or []):
                process.kill()  # only what this test started, by its unique port
