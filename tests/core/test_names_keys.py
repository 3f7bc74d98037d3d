"""Citation keys of imported papers: readable, deterministic and stable."""

from __future__ import annotations

import pytest

from sphinx_proceedings.core.names import allocate_keys, base_key, family_part, parse_authors, title_word


@pytest.mark.parametrize(
    ("author", "title", "key"),
    [
        # The keys of the real workshop's spotlights.
        ("Moshe Eliasof", "Data-driven Higher Order Differential Equations Inspired Graph "
         "Neural Networks", "eliasof2024data"),
        ("Shengchao Liu", "A Multi-Grained Symmetric Differential Equation Model for Learning "
         "Protein-Ligand Binding Dynamics", "liu2024multigrained"),
        ("Miguel Liu-Schiaffini", "Neural operators with localized integral and differential "
         "kernels", "liuschiaffini2024neural"),
        ("Long Wei", "Generative PDE Control", "wei2024generative"),
        # Stop words, accents, math and particles.
        ("Carola-Bibiane Schönlieb", "On the $\\nabla$-Schrödinger Équation",
         "schonlieb2024schrodinger"),
        ("Jan van der Berg", "Towards Self-Supervised Flows", "vanderberg2024selfsupervised"),
        ("Łukasz Nowak", "The 3 Bodies", "nowak2024bodies"),
        ("", "", "anonymous2024untitled"),
    ],
)
def test_base_key(author: str, title: str, key: str) -> None:
    assert base_key(author, "2024", title) == key


def test_base_key_accepts_a_parsed_person() -> None:
    person = parse_authors(r"Sch{\"o}nlieb, Carola-Bibiane")[0]
    assert base_key(person, "2024", "Deep Priors") == "schonlieb2024deep"
    assert family_part("Søren Ødegaard") == "odegaard"


def test_title_word_skips_only_stop_words_and_math() -> None:
    assert title_word("$E=mc^2$ and the Ether") == "ether"
    assert title_word("Beyond the Mesh") == "mesh"
    assert title_word("Non-Local Operators") == "nonlocal"
    assert title_word("Physics-Informed Kernels") == "physics"


def test_duplicates_get_suffixes_in_id_order() -> None:
    wanted = {"id3": "a2024x", "id1": "a2024x", "id2": "a2024x"}
    assert allocate_keys(wanted, taken=[]) == {"id1": "a2024x", "id2": "a2024xb",
                                               "id3": "a2024xc"}


def test_allocation_does_not_depend_on_export_order() -> None:
    first = allocate_keys({"b": "k", "a": "k", "c": "m"}, taken=["m"])
    second = allocate_keys({"c": "m", "a": "k", "b": "k"}, taken=["m"])
    assert first == second == {"a": "k", "b": "kb", "c": "mb"}


def test_imported_papers_keep_their_keys() -> None:
    # "old" was imported as "k" before; a newcomer with the same base key must not take it,
    # even when its id sorts first.
    keys = allocate_keys({"aaa": "k", "old": "k"}, taken=["k"], fixed={"old": "k"})
    assert keys == {"old": "k", "aaa": "kb"}


def test_many_duplicates_never_run_out() -> None:
    wanted = {f"id{i:03d}": "same" for i in range(40)}
    keys = allocate_keys(wanted, taken=[])
    assert len(set(keys.values())) == 40
    assert keys["id000"] == "same" and keys["id001"] == "sameb" and keys["id025"] == "samez"
    assert keys["id026"] == "samez2"
