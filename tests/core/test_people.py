"""``papers/people.yml`` and the speakers' photos: read into the model, problems at their lines."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from sphinx_proceedings.core import people as people_module
from sphinx_proceedings.core.people import read_people
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.schedule import read_schedule

PATH = Path("papers/people.yml")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "_photos").mkdir()
    (tmp_path / "_photos" / "ada.jpg").write_bytes(b"\xff\xd8\xff" + b"0" * 64)
    return tmp_path


def read(text: str, root: Path | None = None):
    return read_people(PATH, dedent(text), root)


def said(problems) -> list[str]:
    return [f"{p.source}: {p.kind.value}: {p.message}" for p in problems]


def test_groups_in_file_order_with_their_people(root: Path):
    groups, problems = read("""\
        organizers:
          - name: Ada Lovelace
            affiliation: Analytical Engines; Royal Society
            url: https://example.org/ada
            photo: _photos/ada.jpg
          - {name: Grace Hopper}
        committee:
          - {name: Emmy Noether}
        """, root)
    assert problems == []
    assert [name for name, _ in groups] == ["organizers", "committee"]
    ada, grace = groups[0][1]
    assert (ada.name, ada.affiliation, ada.url) == (
        "Ada Lovelace", "Analytical Engines; Royal Society", "https://example.org/ada")
    assert ada.photo == root / "_photos" / "ada.jpg"
    assert ada.source.line == 2 and grace.photo is None and grace.url == ""


def test_each_problem_at_its_line(root: Path):
    groups, problems = read("""\
        organizers:
          - {name: Ada, url: "javascript:alert(1)"}
          - {affiliation: Nobody}
          - {name: Grace, email: grace@example.org}
          - {name: Hedy, photo: /etc/passwd.jpg}
          - {name: Lise, photo: ../outside.png}
          - {name: Mary, photo: _photos/portrait.gif}
          - {name: Emmy, photo: _photos/missing.png}
        Program Committee:
          - {name: Emmy}
        organizers:
          - {name: Twice}
        volunteers: everyone
        """, root)
    assert said(problems) == [
        "papers/people.yml:2: people-ignored: 'url' 'javascript:alert(1)' is not an http(s) "
        "address; ignored",
        "papers/people.yml:3: people-field: a person in 'organizers' needs a 'name'; left out",
        "papers/people.yml:4: people-ignored: unknown field 'email' in a person; ignored "
        "(fields: name, affiliation, url, photo)",
        "papers/people.yml:5: people-ignored: 'photo' '/etc/passwd.jpg' must be a file beside "
        "the file, e.g. photos/name.jpg; ignored",
        "papers/people.yml:6: people-ignored: 'photo' '../outside.png' must be a file beside "
        "the file, e.g. photos/name.jpg; ignored",
        "papers/people.yml:7: people-ignored: 'photo' '_photos/portrait.gif' is not a picture "
        "(.jpg, .jpeg, .png, .webp); ignored",
        "papers/people.yml:8: people-ignored: 'photo' '_photos/missing.png': no such file; ignored",
        "papers/people.yml:9: people-field: group name 'Program Committee' may only use lowercase "
        "letters, digits and single hyphens; left out",
        "papers/people.yml:11: people-field: group 'organizers' given twice; the first is used",
        "papers/people.yml:13: people-field: group 'volunteers' must be a list of people",
    ]
    assert [p.name for p in groups[0][1]] == ["Ada", "Grace", "Hedy", "Lise", "Mary", "Emmy"]
    assert all(p.photo is None and p.url == "" for p in groups[0][1])
    assert {p.kind for p in problems} <= {ProblemKind.PEOPLE_FIELD, ProblemKind.PEOPLE_IGNORED}


def test_a_photo_too_large_is_ignored(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(people_module, "MAX_PHOTO_BYTES", 16)
    groups, problems = read("organizers:\n  - {name: Ada, photo: _photos/ada.jpg}\n", root)
    assert groups[0][1][0].photo is None
    assert "larger than" in problems[0].message


def test_a_photo_through_a_link_out_of_the_folder_is_ignored(root: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    outside.write_bytes(b"\x89PNG")
    (root / "_photos" / "link.png").symlink_to(outside)
    groups, problems = read("organizers:\n  - {name: Ada, photo: _photos/link.png}\n", root)
    assert groups[0][1][0].photo is None and "no such file" in problems[0].message


@pytest.mark.parametrize(("text", "expected"), [
    ("organizers: [\n", "people-yaml: cannot parse YAML"),
    ("- just a list\n", "people-field: the file must map group names"),
    ("", "people-field: the file must map group names"),
])
def test_unusable_files(text: str, expected: str):
    groups, problems = read(text)
    assert groups == ()
    assert expected in said(problems)[0]


def test_no_file_no_groups_no_problems():
    assert read_people(PATH, None) == ((), [])


def test_speakers_photos_are_checked_the_same_way(root: Path):
    schedule, problems = read_schedule(Path("papers/schedule.yml"), dedent("""\
        date: 2024-05-11
        timezone: Europe/Vienna
        speakers:
          - {name: Ada, photo: _photos/ada.jpg}
          - {name: Grace, photo: _photos/grace.png}
        items:
          - {start: "08:30", end: "09:00", type: invited-talk, speakers: [Ada, Grace]}
        """), {}, root)
    assert schedule.speakers[0].photo == root / "_photos" / "ada.jpg"
    assert schedule.speakers[1].photo is None
    assert said(problems) == ["papers/schedule.yml:5: schedule-ignored: 'photo' "
                              "'_photos/grace.png': no such file; ignored"]
