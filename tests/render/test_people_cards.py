"""People cards without Sphinx: who is shown, in which order, with what."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from sphinx_proceedings.core.people import Profile
from sphinx_proceedings.core.schedule import read_schedule
from sphinx_proceedings.render.pages import template_environment
from sphinx_proceedings.render.people import people_signature, people_text, profile_cards, speaker_cards

SCHEDULE, _ = read_schedule(Path("papers/schedule.yml"), dedent("""\
    date: 2024-05-11
    timezone: Europe/Vienna
    speakers:
      - {name: Grace Hopper, url: "https://example.org/grace"}
      - {name: Ada Lovelace, ref: speaker-ada, affiliation: Engines; Royal Society}
      - {name: Alan Turing, ref: panelist-turing}
      - {name: Nobody Named}
    items:
      - {start: "08:30", end: "09:00", type: invited-talk, speakers: Ada Lovelace}
      - {start: "09:00", end: "09:30", type: invited-talk, speakers: Grace Hopper}
      - {start: "10:30", end: "11:15", type: panel, speakers: [Alan Turing, Ada Lovelace]}
    """), {})


def photo(path: Path) -> str:
    return f"../{path.name}"


def test_speakers_of_a_type_in_the_lists_order_with_when_they_speak():
    talks = speaker_cards(SCHEDULE, ("invited-talk",), photo)
    assert [c.name for c in talks] == ["Grace Hopper", "Ada Lovelace"]
    ada = talks[1]
    assert ada.affiliations == ("Engines", "Royal Society") and ada.initials == "AL"
    assert [(w.text, w.zone, w.label) for w in ada.when] == [
        ("Invited talk, 08:30–09:00", "CEST", "schedule-0830")]
    panel = speaker_cards(SCHEDULE, ("panel",), photo)
    assert [c.name for c in panel] == ["Ada Lovelace", "Alan Turing"]
    assert panel[0].when[0].text == "Panelist, 10:30–11:15"


def test_a_speakers_label_is_on_the_card_of_their_first_item_only():
    talks = speaker_cards(SCHEDULE, ("invited-talk",), photo)
    panel = speaker_cards(SCHEDULE, ("panel",), photo)
    assert talks[1].label == "speaker-ada" and panel[0].label == ""
    assert panel[1].label == "panelist-turing"
    everyone = speaker_cards(SCHEDULE, (), photo)
    assert [c.name for c in everyone] == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]
    assert len(everyone[1].when) == 2 and everyone[1].label == "speaker-ada"


def test_people_cards_and_their_myst():
    cards = profile_cards((Profile("Émilie du Châtelet", "Académie", "https://example.org/e",
                                   Path("/site/papers/_photos/e.png")),
                           Profile("Mary *Somerville*")), photo)
    assert cards[0].photo == "../e.png" and cards[1].photo == ""
    text = people_text(template_environment(()), cards)
    assert "```{image} ../e.png" in text and ":alt:" in text
    assert "[Émilie du Châtelet](<https://example.org/e>)" in text
    assert 'aria-hidden="true">MS</span>' in text
    assert "Mary \\*Somerville\\*" in text, "names are text, not markup"


def test_the_signature_follows_cards_and_templates():
    cards = profile_cards((Profile("Ada"),), photo)
    assert people_signature(cards, "t1") == people_signature(list(cards), "t1")
    assert people_signature(cards, "t1") != people_signature(cards, "t2")
    assert people_signature(cards, "t1") != people_signature(
        profile_cards((Profile("Ada", "Engines"),), photo), "t1")
