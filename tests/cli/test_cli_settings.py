"""The command reads conf.py's settings through the same ProceedingsConfig as the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sphinx_proceedings.cli.app import main


def run(*args: str | Path, cwd: Path):
    result = CliRunner().invoke(main, ["-C", str(cwd), *map(str, args)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    assert run("new", root, "--title", "Waves", "--year", "2024", cwd=tmp_path).exit_code == 0
    return root


@pytest.mark.parametrize(("line", "named"), [
    ("proceedings_abstract_word_limit = 0", "proceedings_abstract_word_limit"),
    ("proceedings_submissions = 'many'", "proceedings_submissions"),
    ("proceedings_book_group_by = 'colour'", "proceedings_book_group_by"),
])
@pytest.mark.parametrize("command", [["check"], ["stats"]])
def test_a_wrong_setting_is_exit_2_naming_it(site: Path, line: str, named: str,
                                            command: list[str]) -> None:
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\n{line}\n")
    result = run(*command, cwd=site)
    assert result.exit_code == 2
    assert f"conf.py: wrong setting: {named} must be" in result.output


def test_settings_from_conf_reach_the_commands(site: Path) -> None:
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nproceedings_papers_dir = 'inputs'\nproceedings_submissions = 40\n")
    (site / "papers").rename(site / "inputs")
    result = run("stats", cwd=site)
    assert result.exit_code == 0, result.output
    assert "acceptance rate" in result.output
