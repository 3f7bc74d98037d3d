"""People as cards: organizers (``people.yml``) and the schedule's speakers.

A card shows a photo when the site gives one, else the person's initials; the
name (linked to their page), the affiliations, and for a speaker when they
speak (linked to the schedule's row).  `people_text` fills the MyST template
``people.md.jinja`` in, which a site may override in ``_templates/proceedings/``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sphinx_proceedings.core.people import Profile
from sphinx_proceedings.core.schedule import Schedule, Speaker
from sphinx_proceedings.render.art import monogram
from sphinx_proceedings.render.schedule import item_label, span_text, zone_label

TEMPLATE = "people.md.jinja"
#: What a speaker's line on their card calls an item of each type.
ROLES = {"invited-talk": "Invited talk", "panel": "Panelist", "contributed-talk": "Talk"}


@dataclass(frozen=True)
class When:
    """An item a speaker is part of: ``Invited talk, 08:30–09:00`` (CEST)."""

    text: str
    zone: str
    label: str  # the schedule row's Sphinx label


@dataclass(frozen=True)
class PersonCard:
    name: str
    url: str
    affiliations: tuple[str, ...]
    photo: str  # the picture's path as the page refers to it, or ""
    initials: str
    label: str = ""  # a Sphinx label for the card (a speaker's ``ref``)
    when: tuple[When, ...] = ()


def _affiliations(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _card(person: Profile | Speaker, photo: Callable[[Path], str], label: str = "",
          when: tuple[When, ...] = ()) -> PersonCard:
    return PersonCard(person.name, person.url, _affiliations(person.affiliation),
                      photo(person.photo) if person.photo else "", monogram(person.name),
                      label, when)


def profile_cards(people: tuple[Profile, ...], photo: Callable[[Path], str]) -> list[PersonCard]:
    """The cards of a group of ``people.yml``, in the file's order."""
    return [_card(person, photo) for person in people]


def speaker_cards(schedule: Schedule, types: tuple[str, ...],
                  photo: Callable[[Path], str]) -> list[PersonCard]:
    """The speakers named by items of ``types`` (all types when empty), in the order
    of the schedule's ``speakers`` list, each with the items they are part of.

    A speaker's ``ref`` labels one card only: the one that lists their first item
    (someone giving a talk and sitting on the panel appears in both lists).
    """
    zone = zone_label(schedule).split(",")[0]
    found: dict[Speaker, list[When]] = {}
    first: dict[Speaker, str] = {}
    for item in schedule.items:
        for name in item.speakers:
            speaker = schedule.speaker(name)
            if speaker is None:
                continue
            first.setdefault(speaker, item.type)
            if not types or item.type in types:
                role = ROLES.get(item.type, item.title)
                found.setdefault(speaker, []).append(
                    When(f"{role}, {span_text(schedule, item)}", zone, item_label(item)))
    return [_card(speaker, photo,
                  speaker.ref if not types or first[speaker] in types else "",
                  tuple(found[speaker]))
            for speaker in schedule.speakers if speaker in found]


def people_text(templates: jinja2.Environment, cards: list[PersonCard]) -> str:
    """The cards as MyST (a grid of sphinx-design cards)."""
    return templates.get_template(TEMPLATE).render(people=cards)


def people_signature(cards: list[PersonCard], templates: str) -> str:
    """What a page of cards shows (``templates``: the templates' digest): when it
    changes, the page is read again."""
    return hashlib.sha256((repr(cards) + templates).encode("utf-8")).hexdigest()
