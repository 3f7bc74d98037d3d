"""One ProceedingsConfig: registered with Sphinx, checked at config time, documented."""

from __future__ import annotations

import dataclasses as dc
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from sphinx.cmd.build import build_main
from sphinx.errors import ConfigError

from sphinx_proceedings.cli.common import find_site
from sphinx_proceedings.core.config import (
    DEFAULTS,
    PREFIX,
    ConfigValueError,
    ProceedingsConfig,
    default_of,
    documented_default,
    settings,
)
from sphinx_proceedings.sphinx_ext.config import proceedings_config

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize(("name", "value"), [
    ("proceedings_related_papers", "five"),
    ("proceedings_related_papers", -1),
    ("proceedings_submissions", True),
    ("proceedings_search", "yes"),
    ("proceedings_book_group_by", "colour"),
    ("proceedings_event", {"name": "W", "start": "2024-05-11"}),
    ("proceedings_event", {"name": "W", "attendance": "remote"}),
    ("proceedings_output_dir", "../elsewhere"),
    ("proceedings_papers_dir", ""),
    ("proceedings_forum_url", "https://example.org/{forum}"),
    ("proceedings_book_front_matter", "index"),
    ("proceedings_year", 2024.5),
    ("proceedings_accepted", {"talk": 2}),
    ("proceedings_accepted", {"poster": -1}),
    ("proceedings_accepted_url", "openreview.net/group"),
    ("proceedings_colors", {"light": ["teal"]}),
    ("proceedings_colors", {"sepia": ["#123456"]}),
    ("proceedings_banner_seed", "seven"),
    ("proceedings_sphinx_search", 1),
])
def test_a_wrong_value_is_one_config_error_naming_it(site, make_app, name, value):
    srcdir = site("basic")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\n{name} = {value!r}\n")
    with pytest.raises(ConfigError, match=name) as caught:
        make_app("html", srcdir=srcdir)
    assert str(caught.value).count(PREFIX) == 1


def test_several_wrong_values_are_named_in_one_error(site, make_app):
    with pytest.raises(ConfigError) as caught:
        make_app("html", srcdir=site("basic"), confoverrides={
            "proceedings_related_papers": [5], "proceedings_search": 1})
    message = str(caught.value)
    assert "proceedings_related_papers" in message and "proceedings_search" in message


def test_sphinx_build_stops_with_the_message(site, capsys):
    srcdir = site("basic")
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nproceedings_book_group_by = "colour"\n')
    status = build_main(["-q", "-b", "html", str(srcdir), str(srcdir / "_build" / "html")])
    assert status == 2
    error = capsys.readouterr().err
    assert error.count("proceedings_book_group_by must be one of 'presentation', 'topic', "
                       "not 'colour'") == 1
    assert "Configuration error" in error


def test_values_are_normalised_once(site, build):
    app = build(site("basic"), confoverrides={"proceedings_year": 2023,
                                             "proceedings_book_group_by": " Topic",
                                             "proceedings_book_front_matter": ["index"]})
    settings_ = proceedings_config(app.config)
    assert (settings_.year, settings_.book_group_by) == ("2023", "topic")
    assert settings_.book_front_matter == ("index",)
    assert proceedings_config(app.config) is settings_  # made once while nothing changes


def test_every_setting_is_registered_with_its_default_and_help(site, make_app):
    app = make_app("html", srcdir=site("basic"))
    registered = {item.name for item in app.config if item.name.startswith(PREFIX)}
    assert registered == {PREFIX + item.name for item in settings()}
    for item in settings():
        option = app.config.values[PREFIX + item.name]
        assert option.default == default_of(item)
        assert option.description == item.metadata["help"]


def test_the_command_and_sphinx_read_the_same_settings(site, build):
    root = site("pdf")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nproceedings_book_group_by = "topic"\nproceedings_related_papers = 2\n')
    app = build(root)
    assert find_site(root).settings == proceedings_config(app.config) != DEFAULTS


def test_core_object_lists_problems():
    with pytest.raises(ConfigValueError) as caught:
        ProceedingsConfig.from_values({"proceedings_submissions": "12", "unrelated": 1})
    assert caught.value.problems == [
        ("proceedings_submissions", "must be a whole number of at least 0, not '12' (str)")]


def _readme_settings() -> dict[str, str]:
    """Setting name -> the Default column of the README's configuration table."""
    tokens = MarkdownIt("commonmark").enable("table").parse(README.read_text(encoding="utf-8"))
    rows: list[list[str]] = []
    cells: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            cells = []
        elif token.type in ("td_open", "th_open") and cells is not None:
            cells.append(tokens[i + 1].content)
        elif token.type == "tr_close" and cells is not None:
            rows.append(cells)
    found: dict[str, str] = {}
    for cells in rows:
        if cells and cells[0].startswith(f"`{PREFIX}") and len(cells) == 4:
            for name in cells[0].split(", "):
                found[name.strip("`")] = cells[2]
    return found


def test_readme_table_lists_every_setting_with_its_default():
    documented = _readme_settings()
    assert set(documented) == {PREFIX + item.name for item in settings()}
    for item in settings():
        assert documented[PREFIX + item.name] == documented_default(item), item.name


def test_defaults_are_valid_and_immutable():
    assert ProceedingsConfig() == DEFAULTS
    with pytest.raises(dc.FrozenInstanceError):
        DEFAULTS.search = False  # type: ignore[misc]
