"""Real-world name and LaTeX cases: BibTeX names to Unicode people."""

import pytest

from sphinx_proceedings.core.names import parse_authors
from sphinx_proceedings.core.text import slug_for

CASES = [
    # (BibTeX author field, expected display names)
    (r"Sch{\"o}nlieb, Carola-Bibiane", ["Carola-Bibiane Schönlieb"]),
    (r"Carola-Bibiane Sch{\"o}nlieb", ["Carola-Bibiane Schönlieb"]),
    ("Schönlieb, Carola-Bibiane", ["Carola-Bibiane Schönlieb"]),
    (r"{\L}ukasz Kaiser", ["Łukasz Kaiser"]),
    (r"{\c{C}}etin, Ay{\c{s}}e", ["Ayşe Çetin"]),
    (r"van der Berg, Jan", ["Jan van der Berg"]),
    (r"Jan van der Berg", ["Jan van der Berg"]),
    (r"{Deep Learning Collective}", ["Deep Learning Collective"]),
    (r"{Barnes and Noble, Inc.}", ["Barnes and Noble, Inc."]),
    (r"Ng, Andrew and LeCun, Yann", ["Andrew Ng", "Yann LeCun"]),
    (r"King, Jr., Martin Luther", ["Martin Luther King, Jr."]),
    (r"Ji{\v{r}}{\'\i} Matou{\v{s}}ek", ["Jiří Matoušek"]),
    (r"Fran{\c c}ois Rozet", ["François Rozet"]),
    (r"Marta D'Elia and M{\"u}ller, J{\"o}rg", ["Marta D'Elia", "Jörg Müller"]),
    ("田中, 太郎", ["太郎 田中"]),
    (r"de la Fuente, Ana", ["Ana de la Fuente"]),
]


@pytest.mark.parametrize(("field", "expected"), CASES)
def test_names_become_unicode(field, expected):
    assert [p.name for p in parse_authors(field)] == expected


def test_spellings_merge_to_one_slug():
    a, b, c = (parse_authors(f)[0] for f in (
        r"Sch{\"o}nlieb, Carola-Bibiane", "Carola-Bibiane Sch{\\\"o}nlieb",
        "Schönlieb, Carola-Bibiane"))
    assert a.slug == b.slug == c.slug == "carola-bibiane-schonlieb"


def test_particles_are_kept_apart():
    (person,) = parse_authors("van der Berg, Jan")
    assert (person.given, person.von, person.family) == ("Jan", "van der", "Berg")
    assert person.bibtex == "van der Berg, Jan"


def test_slug_folds_letters_nfkd_cannot():
    assert slug_for("Łukasz Çetin") == "lukasz-cetin"
