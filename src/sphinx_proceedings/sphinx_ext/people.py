"""The ``{people}`` and ``{speakers}`` directives: people as cards (Sphinx glue).

``{people} organizers`` shows a group of ``papers/people.yml``; ``{speakers}``
the schedule's speakers, with ``:type: invited-talk`` (or ``panel``, several
separated by commas) those named by items of that type.  Both read what
generate.py read with the papers, so their problems are reported once, by the
code ``proceedings check`` runs.  What a page shows is kept per page: when
``people.yml`` or the schedule changes it, the page is read again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from sphinx_proceedings.core.model import Proceedings
from sphinx_proceedings.core.schedule import ITEM_TYPES
from sphinx_proceedings.render.people import (
    PersonCard,
    people_signature,
    people_text,
    profile_cards,
    speaker_cards,
)
from sphinx_proceedings.sphinx_ext.domain import ProceedingsDomain
from sphinx_proceedings.sphinx_ext.state import build_state

#: A directive's query: ("people", group) or ("speakers", "type,type").
Query = tuple[str, str]


def _photo_path(env: BuildEnvironment, docname: str) -> Callable[[Path], str]:
    """A picture's path as an image directive on ``docname`` refers to it."""
    folder = Path(env.srcdir, docname).parent

    def relative(photo: Path) -> str:
        return Path(os.path.relpath(photo, folder)).as_posix()

    return relative


def cards_for(proc: Proceedings, query: Query, env: BuildEnvironment,
              docname: str) -> list[PersonCard] | None:
    """The cards a query shows on a page (None: nothing to show it from)."""
    kind, value = query
    photo = _photo_path(env, docname)
    if kind == "people":
        group = proc.group(value)
        return None if group is None else profile_cards(group, photo)
    if proc.schedule is None:
        return None
    types = tuple(t for t in value.split(",") if t)
    return speaker_cards(proc.schedule, types, photo)


def _remember(env: BuildEnvironment, docname: str, query: Query, signature: str) -> None:
    pages = ProceedingsDomain.of(env).people_pages
    pages.setdefault(docname, []).append((query, signature))


def _types(value: str) -> str:
    chosen = [t.strip().lower().replace(" ", "-") for t in value.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in ITEM_TYPES]
    if unknown:
        raise ValueError(f"unknown item type(s) {', '.join(unknown)} "
                         f"(one of: {', '.join(ITEM_TYPES)})")
    return ",".join(chosen)


class _CardsDirective(SphinxDirective):
    def show(self, query: Query, missing: str) -> list[nodes.Node]:
        state = build_state(self.env)
        docname = self.env.current_document.docname
        cards = cards_for(state.model, query, self.env, docname)
        _remember(self.env, docname, query,
                  people_signature(cards or [], state.templates_digest))
        if cards is None:
            return [self.state.document.reporter.warning(missing, line=self.lineno)]
        if not cards:
            return [nodes.paragraph("", "Nobody to show yet.", classes=["proceedings-empty"])]
        assert state.templates is not None  # set at builder-inited (generate.py)
        container = nodes.container(classes=["proceedings-people-block"])
        container += self.parse_text_to_nodes(people_text(state.templates, cards))
        return [container]


class PeopleDirective(_CardsDirective):
    """A group of ``papers/people.yml`` as cards: ``{people} organizers``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        group = self.arguments[0].strip()
        return self.show(("people", group), f"people: no group {group!r} in the papers "
                                            "folder's people.yml")


class SpeakersDirective(_CardsDirective):
    """The schedule's speakers as cards, with when they speak."""

    option_spec = {"type": _types}

    def run(self) -> list[nodes.Node]:
        return self.show(("speakers", self.options.get("type", "")),
                         "speakers: there is no schedule.yml in the papers folder to show")


def outdated_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """``env-get-outdated``: pages whose cards now show something else."""
    state = build_state(env)
    stale = []
    for docname, shown in ProceedingsDomain.of(env).people_pages.items():
        if docname in removed or docname in changed:
            continue
        if any(people_signature(cards_for(state.model, tuple(query), env, docname) or [],
                                state.templates_digest) != signature
               for query, signature in shown):
            stale.append(docname)
    return sorted(stale)


def setup_people(app: Sphinx) -> None:
    app.add_directive("people", PeopleDirective)
    app.add_directive("speakers", SpeakersDirective)
    app.connect("env-get-outdated", outdated_pages)
