"""The favicon and banner the site draws for itself (render/art.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sphinx_proceedings.render.art import banner_svg, colour, favicon_svg, monogram, readable_on

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("name", "letters"), [
    ("AI4DiffEqtnsInSci", "AI"), ("ML4Waves", "ML"), ("Machine Learning for Waves", "ML"),
    ("corl", "CO"), ("", "?"), ("é", "É")])
def test_monogram(name: str, letters: str):
    assert monogram(name) == letters


def test_favicon_is_svg_with_the_monogram_in_a_readable_colour():
    root = ET.fromstring(favicon_svg("AI4DiffEqtnsInSci", "#0a7d91"))
    assert root.tag == f"{SVG}svg"
    text = root.find(f"{SVG}text")
    assert text.text == "AI"
    assert root.find(f"{SVG}rect").get("fill") == "#0a7d91"
    assert text.get("fill") == "#ffffff"  # white on dark teal; dark on a pale colour:
    assert readable_on("#abdde6") == "#14181e"


def test_hostile_names_and_colours_stay_text():
    svg = favicon_svg('<script>alert(1)</script>', 'red" onload="x')
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}rect").get("fill") == "#0a7d91"  # not a colour: the default
    assert "<script>" not in svg
    assert colour("#abc", "#000") == "#abc"
    assert colour("url(x)", "#000") == "#000"


def test_banner_is_deterministic_small_and_seed_dependent():
    first = banner_svg(0, "#0a7d91", "#8045e5")
    assert first == banner_svg(0, "#0a7d91", "#8045e5")
    assert first != banner_svg(1, "#0a7d91", "#8045e5")
    root = ET.fromstring(first)
    paths = root.findall(f".//{SVG}path")
    assert len(paths) >= 20
    assert len(first.encode()) < 20_000
    stops = [s.get("stop-color") for s in root.iter(f"{SVG}stop")]
    assert stops == ["#0a7d91", "#8045e5"]
