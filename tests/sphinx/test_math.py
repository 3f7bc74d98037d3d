"""Math in HTML pages is MathML made at build time: no script, no network."""

from __future__ import annotations

from pathlib import Path

from conftest import html, warnings


def test_formulas_are_mathml_and_no_math_script_is_loaded(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/papers/berg2024discovery")
    maths = page.select(".proceedings-abstract math")
    assert maths and maths[0]["display"] == "inline"
    assert "".join(maths[0].stripped_strings) == "ut=uxx"
    for path in Path(app.outdir).rglob("*.html"):
        assert "mathjax" not in path.read_text(encoding="utf-8").lower().replace(
            "mathjax_ignore", ""), path
    assert warnings(app) == []


def test_a_formula_that_does_not_convert_is_shown_as_tex_and_reported(site, build):
    root = site("basic")
    (root / "papers/nowak2024graph/abstract.md").write_text(
        "Kernels with $\\madeupoperator k$ hops.\n", encoding="utf-8")
    app = build(root)
    page = html(app, "proceedings/papers/nowak2024graph")
    code = page.select_one(".proceedings-abstract code.proceedings-tex")
    assert code.get_text() == "\\madeupoperator k"
    found = [w for w in warnings(app) if "[proceedings.math]" in w]
    assert len(found) == 1 and "madeupoperator" in found[0]


def test_a_site_may_keep_mathjax(site, build):
    app = build(site("basic"), confoverrides={"html_math_renderer": "mathjax"})
    page = html(app, "proceedings/papers/berg2024discovery")
    assert not page.select("math")
    assert any("mathjax" in (s.get("src") or "") for s in page.select("script"))
