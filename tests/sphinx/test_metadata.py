"""Head metadata: Highwire tags, JSON-LD, canonical links, Open Graph, sitemap, robots.txt."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import html, warnings

from sphinx_proceedings.sphinx_ext.metadata import json_ld

BASE = "https://example.org/workshop/"
EVENT = {"name": "Test Workshop on Imaginary Equations", "start_date": "2024-05-11",
         "location": "Messe Wien", "address": "Vienna, Austria", "attendance": "mixed"}


def metas(page, name: str) -> list[str]:
    return [m["content"] for m in page.head.find_all("meta", attrs={"name": name})]


def ld(page) -> list[dict]:
    return [json.loads(s.string) for s in page.head.find_all("script", type="application/ld+json")]


def test_highwire_tags_on_paper_page(site, build):
    app = build(site("basic"), confoverrides={"nitpicky": True})
    assert warnings(app) == []
    page = html(app, "proceedings/papers/nowak2024graph")
    assert metas(page, "citation_title") == ["Graph Kernels for Pretend Turbulence"]
    assert metas(page, "citation_author") == ["Nowak, Łukasz", "Schönlieb, Carola-Bibiane", "Çetin, Ayşe"]
    assert metas(page, "citation_publication_date") == ["2024"]
    assert metas(page, "citation_conference_title") == ["Test Workshop on Imaginary Equations"]
    assert metas(page, "citation_abstract_html_url") == [BASE + "proceedings/papers/nowak2024graph.html"]
    assert metas(page, "citation_keywords") == ["Graph networks"]
    (pdf,) = metas(page, "citation_pdf_url")
    assert pdf.startswith(BASE + "_downloads/") and pdf.endswith("/paper.pdf")
    assert (Path(app.outdir) / pdf.removeprefix(BASE)).is_file()

    other = html(app, "proceedings/papers/eliasof2024data")
    assert metas(other, "citation_author")[2] == "van der Berg, Jan"
    assert metas(other, "citation_keywords") == [
        "graph networks; diffusion; Graph networks; Neural operators"]
    assert metas(other, "citation_title") == ["Higher-Order Graph Flows with ∇ Operators"]
    assert metas(other, "citation_pdf_url") == []  # neither a local PDF nor a pdf field


def test_scholarly_article_json_ld(site, build):
    app = build(site("basic"))
    (article,) = ld(html(app, "proceedings/papers/eliasof2024data"))
    assert article["@type"] == "ScholarlyArticle"
    assert article["headline"] == "Higher-Order Graph Flows with ∇ Operators"
    assert [a["name"] for a in article["author"]] == [
        "Miriam Eliasof", "Carola-Bibiane Schönlieb", "Jan van der Berg"]
    assert article["url"] == BASE + "proceedings/papers/eliasof2024data.html"
    assert article["isPartOf"]["name"] == "Test Workshop on Imaginary Equations"
    assert article["about"] == ["Graph networks", "Neural operators"]
    assert article["sameAs"] == "https://openreview.net/forum?id=abcDEF1234"
    assert ld(html(app, "proceedings/topics/graphs")) == []


def test_event_json_ld_on_homepage(site, build):
    app = build(site("basic"), confoverrides={"proceedings_event": EVENT})
    (event,) = ld(html(app, "index"))
    assert event["@type"] == "Event"
    assert event["name"] == EVENT["name"] and event["startDate"] == "2024-05-11"
    assert event["location"] == {"@type": "Place", "name": "Messe Wien", "address": "Vienna, Austria"}
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert event["url"] == BASE


def test_no_event_without_configuration(site, build):
    app = build(site("basic"))
    assert ld(html(app, "index")) == []


def test_canonical_open_graph_sitemap_robots(site, build):
    app = build(site("basic"))
    page = html(app, "proceedings/papers/eliasof2024data")
    assert page.head.find("link", rel="canonical")["href"] == BASE + "proceedings/papers/eliasof2024data.html"
    og = {m["property"]: m["content"] for m in page.head.find_all("meta", property=True)}
    assert og["og:url"] == BASE + "proceedings/papers/eliasof2024data.html"
    assert og["og:title"].startswith("Higher-Order Graph Flows")
    assert metas(page, "twitter:card") == ["summary"]
    assert len(metas(page, "description")) == 1
    out = Path(app.outdir)
    tree = ET.parse(out / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)}
    assert BASE + "proceedings/papers/eliasof2024data.html" in urls
    assert BASE + "index.html" in urls
    assert BASE + "search.html" not in urls
    robots = (out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots and f"Sitemap: {BASE}sitemap.xml" in robots


def test_own_robots_txt_is_kept(site, build):
    root = site("basic")
    (root / "_extra").mkdir()
    (root / "_extra/robots.txt").write_text("User-agent: *\nDisallow: /\n")
    app = build(root, confoverrides={"html_extra_path": ["_extra"]})
    assert (Path(app.outdir) / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_without_base_url_no_absolute_metadata(site, build):
    root = site("basic")
    conf = root / "conf.py"
    conf.write_text(conf.read_text().replace('html_baseurl = "https://example.org/workshop/"', ""))
    app = build(root)
    assert warnings(app) == []
    out = Path(app.outdir)
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()
    page = html(app, "proceedings/papers/nowak2024graph")
    assert metas(page, "citation_title") == ["Graph Kernels for Pretend Turbulence"]
    assert metas(page, "citation_abstract_html_url") == [] and metas(page, "citation_pdf_url") == []
    assert page.head.find("link", rel="canonical") is None
    assert page.head.find("meta", property="og:url") is None


def test_hostile_title_cannot_break_out_of_head(site, build):
    root = site("basic")
    folder = root / "papers/evil2024script"
    folder.mkdir()
    title = 'Evil </script><script>alert(1)</script> "quoted" & <b>bold</b>'
    (folder / "paper.bib").write_text(
        "@inproceedings{evil2024script,\n  title = {" + title + "},\n"
        "  author = {Mallory, Eve},\n  topics = {graphs},\n}\n", encoding="utf-8")
    (folder / "abstract.md").write_text("Nothing </script> here.\n", encoding="utf-8")
    app = build(root)
    page = html(app, "proceedings/papers/evil2024script")
    injected = [s for s in page.find_all("script")
                if "alert(1)" in (s.string or "") and s.get("type") != "application/ld+json"]
    assert injected == []
    (article,) = ld(page)
    assert "</script>" in article["headline"]
    assert metas(page, "citation_title") == [article["headline"]]
    assert not page.find("b", string="bold")


def test_json_ld_escapes_markup_characters():
    text = json_ld({"name": "</script><!-- & >"})
    body = text.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == {"name": "</script><!-- & >"}
