"""The ``{speakers}`` and ``{people}`` directives on a fixture site (tests/roots/test-people)."""

from __future__ import annotations

from pathlib import Path

from conftest import edit, html, warnings


def names(page) -> list[str]:
    return [c.select_one("strong").get_text() for c in page.select(".proceedings-person")]


def test_speakers_by_type_with_photo_or_initials_and_when(site, build):
    app = build(site("people"))
    page = html(app, "speakers")
    lists = page.select(".proceedings-people")
    assert [names(grid) for grid in lists] == [["Ada Lovelace", "Grace Hopper"],
                                               ["Ada Lovelace", "Alan Turing"]]
    ada = lists[0].select_one(".proceedings-person")
    photo = ada.select_one("img.proceedings-person-photo")
    assert photo["alt"] == "" and (Path(app.outdir) / photo["src"]).is_file()
    assert "Analytical Engines · Royal Society" in ada.get_text()
    when = ada.select_one(".proceedings-person-when a")
    assert when.get_text(" ", strip=True) == "Invited talk, 08:30–09:00"
    assert when["href"] == "schedule.html#schedule-0830"
    grace = lists[0].select(".proceedings-person")[1]
    initials = grace.select_one(".proceedings-person-initials")
    assert initials.get_text() == "GH" and initials["aria-hidden"] == "true"
    assert grace.select_one("strong a")["href"] == "https://example.org/grace"


def test_schedule_links_land_on_the_speakers_card(site, build):
    app = build(site("people"))
    schedule = html(app, "schedule")
    links = {a.get_text(): a["href"] for a in schedule.select("a") if "speakers.html#" in a["href"]}
    assert links == {"Ada Lovelace": "speakers.html#speaker-ada",
                     "Alan Turing": "speakers.html#panelist-turing"}
    page = html(app, "speakers")
    assert len(page.select("#speaker-ada")) == 1, "one card carries the label"
    assert page.select_one("#speaker-ada").find_parent(class_="proceedings-person")


def test_organizers_from_people_yml(site, build):
    app = build(site("people"))
    page = html(app, "organizers")
    assert names(page) == ["Émilie du Châtelet", "Mary Somerville", "Sophie Germain"]
    assert page.select_one(".proceedings-person img")["src"].startswith("_images/")
    said = warnings(app)
    assert [w for w in said if "people.yml" in w] == [
        "papers/people.yml:7: WARNING: 'url' 'javascript:alert(1)' is not an http(s) address; "
        "ignored [proceedings.people-ignored]",
        "papers/people.yml:8: WARNING: a person in 'organizers' needs a 'name'; left out "
        "[proceedings.people-field]"]
    assert any("'_photos/missing.png': no such file" in w for w in said)
    assert not any("_photos" in w and "paper.bib" in w for w in said), "_photos is no paper"


def test_unknown_group_type_and_missing_schedule(site, build):
    root = site("people")
    with (root / "organizers.md").open("a", encoding="utf-8") as page:
        page.write("\n```{people} volunteers\n```\n")
    app = build(root)
    assert any("people: no group 'volunteers'" in w for w in warnings(app))
    with (root / "speakers.md").open("a", encoding="utf-8") as page:
        page.write("\n```{speakers}\n:type: keynote\n```\n")
    app = build(root)
    assert any("unknown item type(s) keynote" in w for w in warnings(app))



def test_an_edit_of_people_yml_reads_only_the_pages_showing_it(site, build, make_app):
    root = site("people")
    build(root)
    edit(root / "papers/people.yml", "Académie des sciences", "Académie royale")
    app = make_app("html", srcdir=root)
    assert sorted(app.builder.read()) == ["organizers"]
    app = make_app("html", srcdir=root)
    app.build()
    assert "Académie royale" in html(app, "organizers").get_text()
    edit(root / "papers/schedule.yml", "Royal Society", "Royal Institution")
    app = make_app("html", srcdir=root)
    assert "speakers" in app.builder.read()


def test_a_template_edit_reads_the_pages_that_render_it_again(site, build, make_app):
    root = site("people")
    folder = root / "_templates" / "proceedings"
    folder.mkdir(parents=True)
    template = folder / "people.md.jinja"
    template.write_text("{% for p in people %}- {{ p.name }} (first)\n{% endfor %}\n",
                        encoding="utf-8")
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\ntemplates_path = ["_templates"]\n')
    app = build(root)
    assert "Mary Somerville (first)" in html(app, "organizers").get_text()
    edit(template, "(first)", "(second)")
    app = make_app("html", srcdir=root)
    app.build()
    assert "Mary Somerville (second)" in html(app, "organizers").get_text()
    assert "Ada Lovelace (second)" in html(app, "speakers").get_text()
