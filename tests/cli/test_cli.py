"""The ``proceedings`` command through its real entry point (click's CliRunner)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner, Result

from sphinx_proceedings.cli.app import main
from sphinx_proceedings.core import files
from sphinx_proceedings.core.reader import read_proceedings

DATA = Path(__file__).parents[1] / "data" / "openreview"
EXAMPLE = "castellano2024learning"
V2_KEYS = {"baek2024stability", "fournier2024physics", "fournier2024physicsb",
           "kowalczyk2024neural", "marchetti2024spectral"}


def run(*args: str | Path, cwd: Path | None = None) -> Result:
    """Invoke the command as a user would; never lets an exception escape."""
    argv = [str(a) for a in args]
    if cwd is not None:
        argv = ["-C", str(cwd), *argv]
    result = CliRunner().invoke(main, argv, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and mtime."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    result = run("new", root, "--title", "Machine Learning for Waves", "--short-name",
                 "ML4Waves", "--year", "2024")
    assert result.exit_code == 0, result.output
    return root


def parsed(path: Path) -> dict[str, str]:
    entry = bibtexparser.parse_file(str(path)).entries[0]
    return {f.key: str(f.value) for f in entry.fields} | {"ID": entry.key}


# -- help and usage ------------------------------------------------------------------
@pytest.mark.parametrize("command", [[], ["new"], ["import", "openreview"], ["add"], ["check"],
                                     ["build"], ["serve"], ["stats"]])
def test_every_command_documents_its_exit_status(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Exit status:" in result.output and "2  bad usage" in result.output


def test_installed_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "proceedings"
    done = subprocess.run([str(script), "new", str(tmp_path / "s"), "--title", "Scripted"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([str(script), "check", "--strict"], cwd=tmp_path / "s",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 error(s), 0 warning(s)" in done.stdout


def test_outside_a_site_is_a_usage_error(tmp_path: Path) -> None:
    result = run("import", "openreview", DATA / "notes_v2.json", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no conf.py" in result.output


# -- new -----------------------------------------------------------------------------
def test_new_writes_a_complete_site(site: Path) -> None:
    expected = {"conf.py", "requirements.txt", ".gitignore", ".github/workflows/site.yml",
                "source/index.md", "source/call-for-papers.md", "source/schedule.md",
                "source/speakers.md", "source/organizers.md", "papers/topics.yml",
                "papers/schedule.yml", "papers/people.yml", f"papers/{EXAMPLE}/paper.bib",
                f"papers/{EXAMPLE}/abstract.md", "_templates/.gitkeep"}
    assert expected <= set(snapshot(site))
    assert "source/proceedings/" in (site / ".gitignore").read_text()
    workflow = (site / ".github/workflows/site.yml").read_text()
    assert "proceedings build all" in workflow and "actions/deploy-pages" in workflow
    assert "project = 'Machine Learning for Waves'" in (site / "conf.py").read_text()
    assert parsed(site / "papers" / EXAMPLE / "paper.bib")["ID"] == EXAMPLE


def test_new_then_check_is_clean(site: Path) -> None:
    result = run("check", "--strict", cwd=site)
    assert result.exit_code == 0, result.output
    assert "1 papers, 2 topics: 0 error(s), 0 warning(s)" in result.output


def test_new_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run("new", tmp_path, "--title", "X")
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_new_accepts_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("new", tmp_path / "empty", "--title", "X").exit_code == 0
    assert (tmp_path / "empty" / "conf.py").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]  # no temporary folder left


# -- import --------------------------------------------------------------------------
def test_import_api_v2(site: Path) -> None:
    result = run("import", "openreview", DATA / "notes_v2.json", cwd=site)
    assert result.exit_code == 0, result.output
    papers = site / "papers"
    assert {p.name for p in papers.iterdir() if p.is_dir()} == V2_KEYS | {EXAMPLE}
    spot = parsed(papers / "marchetti2024spectral" / "paper.bib")
    assert spot["title"] == "Spectral Surrogates for the Wave Equation on Curved Domains"
    assert spot["openreview"] == "Wv3SpotA01" and spot["presentation"] == "spotlight"
    assert spot["booktitle"] == "Machine Learning for Waves" and spot["year"] == "2024"
    abstract = (papers / "marchetti2024spectral" / "abstract.md").read_text()
    assert abstract.startswith("We approximate solutions of $\\partial_{tt} u = c^2 \\Delta u$")
    # The note without abstract: no abstract.md, a warning, still imported.
    assert not (papers / "kowalczyk2024neural" / "abstract.md").exists()
    # Said as `check` says it, at the note's line in the export.
    line = next(i for i, text in enumerate((DATA / "notes_v2.json").read_text().splitlines(), 1)
                if "Wv3NoAbsE05" in text)
    assert (f"{DATA / 'notes_v2.json'}:{line}: warning: entry 'kowalczyk2024neural' has no "
            "abstract; its page links to the forum instead [proceedings.no-abstract]"
            ) in result.output.splitlines()
    # The duplicate title: both imported, the second key gets a suffix; reported.
    assert parsed(papers / "fournier2024physicsb" / "paper.bib")["openreview"] == "Wv3PostD04"
    assert "same title as note 3" in result.output
    # Rejected, withdrawn and desk-rejected notes are skipped and counted.
    for label in ("skipped: rejected", "skipped: withdrawn", "skipped: desk-rejected"):
        assert label in result.output
    assert not list(papers.glob(".staging-*"))
    # The reader understands what was written.
    proceedings = read_proceedings(papers)
    assert not [p for p in proceedings.problems if p.level == "error"]
    marchetti = proceedings.by_key["marchetti2024spectral"]
    assert [a.name for a in marchetti.authors][2] == "Søren Ødegaard"
    assert proceedings.by_key["baek2024stability"].presentation == "oral"


def test_import_api_v1(site: Path) -> None:
    result = run("import", "openreview", DATA / "notes_v1.json", cwd=site)
    assert result.exit_code == 0, result.output
    tidal = parsed(site / "papers" / "alsayed2023multiscale" / "paper.bib")
    assert tidal["presentation"] == "spotlight" and tidal["year"] == "2023"
    assert (site / "papers" / "lindholm2023adjoint" / "abstract.md").is_file()
    assert "skipped: rejected" in result.output


def test_import_openreview_bibtex(site: Path) -> None:
    result = run("import", "openreview", DATA / "export.bib", cwd=site)
    assert result.exit_code == 0, result.output
    entry = parsed(site / "papers" / "fournier2024physics" / "paper.bib")
    assert entry["author"] == "Élodie Fournier and Kwame Asante"
    assert entry["url"] == "https://openreview.net/forum?id=Wv3PostC03"


def test_bibtex_then_json_keeps_keys(site: Path) -> None:
    assert run("import", "openreview", DATA / "export.bib", cwd=site).exit_code == 0
    result = run("import", "openreview", DATA / "notes_v2.json", "--force", cwd=site)
    assert result.exit_code == 0, result.output
    names = {p.name for p in (site / "papers").iterdir() if p.is_dir()}
    assert names == V2_KEYS | {EXAMPLE}
    assert (site / "papers" / "fournier2024physics" / "abstract.md").is_file()


def test_malformed_json_is_a_clear_error(site: Path) -> None:
    before = snapshot(site / "papers")
    result = run("import", "openreview", DATA / "malformed.json", cwd=site)
    assert result.exit_code == 2
    assert "malformed.json:8:7: malformed JSON" in result.output
    assert snapshot(site / "papers") == before


def test_reimport_changes_nothing(site: Path) -> None:
    assert run("import", "openreview", DATA / "notes_v2.json", cwd=site).exit_code == 0
    before = snapshot(site / "papers")
    result = run("import", "openreview", DATA / "notes_v2.json", cwd=site)
    assert result.exit_code == 0, result.output
    assert snapshot(site / "papers") == before  # bytes and mtimes
    assert "Wrote" not in result.output
    assert not list((site / "papers").glob(".staging-*"))


def test_updated_export_updates_only_what_changed(site: Path) -> None:
    assert run("import", "openreview", DATA / "notes_v2.json", cwd=site).exit_code == 0
    # The organizer assigns a topic by hand; an update must keep it.
    bib = site / "papers" / "baek2024stability" / "paper.bib"
    bib.write_text(bib.read_text().replace("presentation", "topics = {simulation},\n  "
                                                           "presentation"))
    before = snapshot(site / "papers")

    # Without --force: only the new paper is written; changed ones are listed, exit 1.
    result = run("import", "openreview", DATA / "notes_v2_updated.json", cwd=site)
    assert result.exit_code == 1
    assert "differs" in result.output and "--force" in result.output
    after = snapshot(site / "papers")
    assert {k for k in after if after[k] != before.get(k)} == {
        "marchetti2024wavelet/paper.bib", "marchetti2024wavelet/abstract.md"}

    result = run("import", "openreview", DATA / "notes_v2_updated.json", "--force", cwd=site)
    assert result.exit_code == 0, result.output
    final = snapshot(site / "papers")
    assert {k for k in final if final[k] != after[k]} == {
        "baek2024stability/paper.bib", "fournier2024physics/abstract.md"}
    assert "baek2024stability  (title)" in result.output
    assert "fournier2024physics  (abstract)" in result.output
    fields = parsed(bib)
    assert fields["title"] == "On the Stability of Learned Time Steppers for Waves"
    assert fields["topics"] == "simulation"


def test_dry_run_writes_nothing(site: Path) -> None:
    before = snapshot(site / "papers")
    result = run("import", "openreview", DATA / "notes_v2.json", "--dry-run", cwd=site)
    assert result.exit_code == 0
    assert "Dry run" in result.output and "new" in result.output
    assert snapshot(site / "papers") == before


class _Boom(OSError):
    pass


def _fail_on_install(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """Make the transaction's install step fail once ``after`` files are in place."""
    real = files.Transaction._install
    calls = {"n": 0}

    def install(self: files.Transaction, staged: Path, target: Path) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise _Boom(28, "No space left on device", str(target))
        real(self, staged, target)

    monkeypatch.setattr(files.Transaction, "_install", install)


def test_failed_import_leaves_papers_unchanged(site: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(site / "papers")
    _fail_on_install(monkeypatch, after=4)
    result = run("import", "openreview", DATA / "notes_v2.json", cwd=site)
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "left as it was" in result.output
    assert snapshot(site / "papers") == before
    assert sorted(p.name for p in (site / "papers").iterdir()) == [
        EXAMPLE, "people.yml", "schedule.yml", "topics.yml"]


def test_failed_update_restores_the_old_files(site: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("import", "openreview", DATA / "notes_v2.json", cwd=site).exit_code == 0
    before = snapshot(site / "papers")
    _fail_on_install(monkeypatch, after=3)
    result = run("import", "openreview", DATA / "notes_v2_updated.json", "--force", cwd=site)
    assert result.exit_code == 1
    assert snapshot(site / "papers") == before


# -- add -----------------------------------------------------------------------------
ENTRY = """@inproceedings{okafor2024tides,
  title = {Tides on a {GPU}},
  author = {Okafor, Tomas and M{\\"u}ller, J{\\"o}rg},
  year = {2024},
  abstract = {Tides, $\\omega$ and more.},
}
"""


def test_add_one_paper(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "new.bib"
    bib.write_text(ENTRY)
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(b"%PDF-1.5\n%fake\n")
    result = run("add", bib, "--pdf", pdf, "--topics", "simulation", cwd=site)
    assert result.exit_code == 0, result.output
    folder = site / "papers" / "okafor2024tides"
    fields = parsed(folder / "paper.bib")
    # The abstract field stays in paper.bib, where it is LaTeX as add judged it.
    assert fields["topics"] == "simulation" and fields["abstract"] == "Tides, $\\omega$ and more."
    assert not (folder / "abstract.md").exists()
    assert (folder / "paper.pdf").read_bytes() == pdf.read_bytes()
    assert run("check", cwd=site).exit_code == 0


def test_add_refuses_to_overwrite_without_force(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "new.bib"
    bib.write_text(ENTRY.replace("okafor2024tides", EXAMPLE))
    before = snapshot(site / "papers")
    result = run("add", bib, cwd=site)
    assert result.exit_code == 1
    assert "exists already" in result.output and "Nothing was added" in result.output
    assert snapshot(site / "papers") == before
    result = run("add", bib, "--force", cwd=site)
    assert result.exit_code == 0, result.output
    assert parsed(site / "papers" / EXAMPLE / "paper.bib")["title"] == "Tides on a {GPU}"


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("@article{x,\n title={open\n", [], "new.bib:1: cannot parse"),
        ("% nothing here\n", [], "no BibTeX entry"),
        (ENTRY, ["--topics", "nonsense"], "unknown topic(s) nonsense"),
        (ENTRY + ENTRY.replace("okafor2024tides", "other2024x"), ["--abstract", "new.bib"],
         "exactly one entry"),
    ],
)
def test_add_rejects_bad_input(site: Path, tmp_path: Path, content: str, options: list[str],
                               message: str) -> None:
    bib = tmp_path / "new.bib"
    bib.write_text(content)
    before = snapshot(site / "papers")
    result = run("add", bib, *[str(tmp_path / o) if o.endswith(".bib") else o for o in options],
                 cwd=site)
    assert result.exit_code == 2
    assert message in result.output
    assert snapshot(site / "papers") == before


def test_add_replaces_a_key_that_cannot_name_a_folder(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "new.bib"
    bib.write_text(ENTRY.replace("okafor2024tides", "../../escape"))
    result = run("add", bib, cwd=site)
    assert result.exit_code == 0, result.output
    assert (site / "papers" / "okafor2024tides" / "paper.bib").is_file()
    assert not (tmp_path / "escape").exists()


# -- check and stats -----------------------------------------------------------------
def test_check_reports_problems_with_positions(site: Path) -> None:
    bib = site / "papers" / EXAMPLE / "paper.bib"
    bib.write_text(bib.read_text().replace("topics       = {neural-operators},\n", "")
                   .replace("Okafor, Tomas", "OKAFOR, TOMAS"))
    result = run("check", cwd=site)
    assert result.exit_code == 0  # warnings only
    lines = result.output.splitlines()
    assert (f"papers/{EXAMPLE}/paper.bib:1: advice: paper '{EXAMPLE}' has no topic "
            "[proceedings.no-topic]") in lines
    assert any("written in capitals" in line for line in lines)
    assert any(line.startswith("papers/topics.yml:") and "has no paper" in line
               for line in lines)
    assert run("check", "--strict", cwd=site).exit_code == 1


def test_check_errors_exit_1(site: Path) -> None:
    folder = site / "papers" / "wrongname"
    folder.mkdir()
    (folder / "paper.bib").write_text("@article{other, title={T}, author={A B}}\n")
    result = run("check", cwd=site)
    assert result.exit_code == 1
    assert "papers/wrongname/paper.bib:1: error:" in result.output
    assert "1 error(s)" in result.output


def test_check_reads_the_word_limit_from_conf(site: Path) -> None:
    conf = site / "conf.py"
    conf.write_text(conf.read_text().replace("= 300", "= 20"))
    result = run("check", cwd=site)
    assert f"papers/{EXAMPLE}/abstract.md:1: advice: abstract of '{EXAMPLE}' has" in \
        result.output
    assert "the limit is 20" in result.output
    assert "the limit is 500" not in run("check", "--word-limit", "500", cwd=site).output


def test_check_without_papers_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text("project = 'x'\n")
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no papers folder" in result.output


def test_stats(site: Path) -> None:
    assert run("import", "openreview", DATA / "notes_v2.json", cwd=site).exit_code == 0
    result = run("stats", cwd=site)
    assert result.exit_code == 0, result.output
    for text in ("Papers by presentation", "Spotlight", "Papers by topic", "Neural operators",
                 "Élodie Fournier", "gaussian processes"):
        assert text in result.output


def test_unexpected_errors_are_messages(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sphinx_proceedings.cli.app as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "read_proceedings", broken)
    monkeypatch.delenv("PROCEEDINGS_DEBUG", raising=False)
    result = run("stats", cwd=site)
    assert result.exit_code == 2
    assert "internal error: RuntimeError: a bug" in result.output


def test_paths_cannot_escape(tmp_path: Path) -> None:
    with files.Transaction(tmp_path) as transaction:
        for bad in ("../x", "/etc/passwd", "a/../../x", ""):
            with pytest.raises(files.UnsafePath):
                transaction.stage(bad, b"x")
    os.symlink(tmp_path.parent, tmp_path / "link")
    with pytest.raises(files.UnsafePath):
        files.inside(tmp_path, "link/x")


def test_new_with_an_awkward_title(tmp_path: Path) -> None:
    title = 'Workshop "on" {PDEs} & 50% \\x'
    result = run("new", tmp_path / "s", "--title", title, "--short-name", "W's")
    assert result.exit_code == 0, result.output
    namespace: dict[str, object] = {}
    exec(compile((tmp_path / "s" / "conf.py").read_text(), "conf.py", "exec"), namespace)
    assert namespace["project"] == title and namespace["proceedings_booktitle"] == title
    assert run("check", "--strict", cwd=tmp_path / "s").exit_code == 0
    proceedings = read_proceedings(tmp_path / "s" / "papers")
    assert proceedings.papers[0].booktitle == title


def test_add_refuses_links_to_local_files_it_would_not_copy(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "local.bib"
    bib.write_text("@inproceedings{okafor2024waves,\n  title = {Waves},\n"
                   "  author = {Okafor, Ada},\n  poster = {@{https://example.org/x}},\n}\n",
                   encoding="utf-8")
    result = run("add", bib, cwd=site)
    assert result.exit_code == 1
    # (url, code and video name web pages only: see test_text_fields.test_link_rule)
    assert (f"{bib}:4: error: entry 'okafor2024waves': field 'poster' names the local file "
            "'@{https://example.org/x}', which does not exist; link dropped "
            "[proceedings.missing-file]") in result.output
    assert not (site / "papers/okafor2024waves").exists()


def test_add_without_any_entry_names_the_file_and_line(site: Path, tmp_path: Path) -> None:
    bib = tmp_path / "none.bib"
    bib.write_text("inproceedings{x, title={No at sign}}\n", encoding="utf-8")
    result = run("add", bib, cwd=site)
    assert result.exit_code == 2
    assert f"{bib}:1: no BibTeX entry found" in result.output
