"""The W3C Nu HTML Checker (npm ``vnu-jar``, run with Java) on each page type.

Needs ``java`` and ``tests/.node/node_modules/vnu-jar`` (``.ci/run`` installs
both: ``npm install --prefix tests/.node vnu-jar axe-core``); skips, saying
so, when either is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_browser import PAGES, build_site

VNU = Path(__file__).parents[1] / ".node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def checker() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is missing (apt-get install default-jre-headless)")
    if not VNU.exists():
        pytest.skip(f"{VNU} is missing (npm install --prefix tests/.node vnu-jar)")
    return [java, "-jar", str(VNU)]


def vnu_errors(checker: list[str], files: list[str]) -> list[str]:
    """The checker's errors on ``files``, one line each (file, line, message, extract)."""
    result = subprocess.run([*checker, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '')}]"
              for m in messages if m.get("type") == "error"]
    assert errors or result.returncode == 0, result.stderr  # no errors, yet a failure: say why
    return errors


def test_pages_have_no_html_errors(checker, tmp_path):
    out = build_site(tmp_path / "site")
    files = [str(out / PAGES[name]) for name in ("home", "paper", "topic", "author", "listing", "search")]
    files.append(str(out / "proceedings/papers/berg2024discovery.html"))  # MathML in the abstract
    errors = vnu_errors(checker, files)
    assert errors == [], "\n".join(errors)
