"""The workshop's people as data: ``papers/people.yml`` (and the schedule's speakers).

Organizers, a programme committee, volunteers: each group is a list of people
under its name, shown as cards by the ``{people}`` directive.  Invited speakers
and panelists are the ``speakers`` of ``schedule.yml`` (the ``{speakers}``
directive), which share the fields checked here: a link (``url``) and a
``photo``, a picture beside the file (no photo: the card shows initials).

    organizers:
      - name: Shima Alizadeh
        affiliation: AWS AI Labs
        url: https://www.linkedin.com/in/shima-alizadeh-4853b340/
        photo: photos/alizadeh.jpg      # optional

Read as PyYAML's node tree (see yaml_nodes.py), so every problem names its
line; the build and ``proceedings check`` run this same reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.safety import check_url, safe_child
from sphinx_proceedings.core.yaml_nodes import NodeReader, compose

PEOPLE_FILE = "people.yml"
MAX_PEOPLE_BYTES = 1024 * 1024
PERSON_FIELDS = ("name", "affiliation", "url", "photo")
#: Pictures a browser and the PDF book both show; no SVG (it may carry scripts).
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MAX_PHOTO_BYTES = 5 * 1024 * 1024
_GROUP = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Profile:
    """One person as a card shows them."""

    name: str
    affiliation: str = ""  # several separated by ";"
    url: str = ""
    photo: Path | None = None  # a picture inside papers/
    source: Source | None = None


def web_link(reader: NodeReader, fields: dict, kind: ProblemKind) -> str:
    """The ``url`` field when it is an http(s) address ("" otherwise: reported)."""
    url = reader.text(fields, "url")
    if url and (check_url(url)[1] or not url.startswith(("https://", "http://"))):
        reader.problem(fields["url"][1], f"'url' {url!r} is not an http(s) address; ignored",
                       kind)
        return ""
    return url


def photo_file(reader: NodeReader, fields: dict, root: Path | None,
               kind: ProblemKind) -> Path | None:
    """The ``photo`` field as a picture inside ``root`` (None otherwise: reported).

    Without a ``root`` (the file's folder is unknown) only the name is checked.
    """
    given = reader.text(fields, "photo")
    if not given:
        return None
    node = fields["photo"][1]
    relative = PurePosixPath(given.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or "://" in given:
        reader.problem(node, f"'photo' {given!r} must be a file beside the file, e.g. "
                       "photos/name.jpg; ignored", kind)
        return None
    if relative.suffix.lower() not in PHOTO_SUFFIXES:
        reader.problem(node, f"'photo' {given!r} is not a picture ({', '.join(PHOTO_SUFFIXES)});"
                       " ignored", kind)
        return None
    if root is None:
        return Path(*relative.parts)
    path = root / Path(*relative.parts)
    inside = safe_child(path, root)
    if inside is None or not inside.is_file():
        reader.problem(node, f"'photo' {given!r}: no such file; ignored", kind)
        return None
    if inside.stat().st_size > MAX_PHOTO_BYTES:
        reader.problem(node, f"'photo' {given!r} is larger than {MAX_PHOTO_BYTES // 2**20} MB; "
                       "ignored", kind)
        return None
    return path


def _group(reader: NodeReader, name: str, node: yaml.Node, root: Path | None) -> list[Profile]:
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, f"group {name!r} must be a list of people", ProblemKind.PEOPLE_FIELD)
        return []
    people: list[Profile] = []
    for entry in node.value:
        data = reader.mapping(entry, PERSON_FIELDS, "a person")
        if data is None:
            continue
        person = reader.text(data, "name")
        if not person:
            reader.problem(entry, f"a person in {name!r} needs a 'name'; left out",
                           ProblemKind.PEOPLE_FIELD)
            continue
        people.append(Profile(person, reader.text(data, "affiliation"),
                              web_link(reader, data, ProblemKind.PEOPLE_IGNORED),
                              photo_file(reader, data, root, ProblemKind.PEOPLE_IGNORED),
                              Source(reader.path, entry.start_mark.line + 1)))
    return people


def read_people(path: Path, text: str | None, root: Path | None = None,
                ) -> tuple[tuple[tuple[str, tuple[Profile, ...]], ...], list[Problem]]:
    """The groups of ``text`` (the content of ``path``; None: no such file) in file
    order, and every problem in it.  Photos are looked up under ``root``."""
    reader = NodeReader(path, ProblemKind.PEOPLE_FIELD, ProblemKind.PEOPLE_IGNORED)
    root_node = compose(reader, text, ProblemKind.PEOPLE_YAML) if text is not None else None
    groups: list[tuple[str, tuple[Profile, ...]]] = []
    if isinstance(root_node, yaml.MappingNode):
        for key, value in root_node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            if not _GROUP.match(name):
                reader.problem(key, f"group name {name!r} may only use lowercase letters, digits "
                               "and single hyphens; left out", ProblemKind.PEOPLE_FIELD)
            elif any(name == seen for seen, _ in groups):
                reader.problem(key, f"group {name!r} given twice; the first is used",
                               ProblemKind.PEOPLE_FIELD)
            else:
                groups.append((name, tuple(_group(reader, name, value, root))))
    elif root_node is not None or (text is not None and not reader.problems):
        reader.problem(root_node or 1, "the file must map group names (such as 'organizers') "
                       "to lists of people", ProblemKind.PEOPLE_FIELD)
    return tuple(groups), reader.problems
