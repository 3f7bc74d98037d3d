"""Property tests: random and mutated inputs never crash the reader or the sanitiser.

Whatever the bytes, `read_proceedings` and `judge_abstract` return; every
problem names the file it came from and, where it has a line, a line that
exists.  A sanitised abstract, sanitised again, has nothing left to refuse.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sphinx_proceedings.core.checks import judge_abstract
from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.reader import read_proceedings
from sphinx_proceedings.core.safety import strip_controls
from sphinx_proceedings.render.abstracts import abstract_myst
from sphinx_proceedings.render.markup import md_title

FAST = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

SEED_BIB = """@inproceedings{doe2024fuzz,
  title = {Fuzzing {PDE} Solvers with $\\nabla$ -- Quickly},
  author = {Doe, Jane and van der Berg, Jan and {Imaginary Lab}},
  year = {2024},
  topics = {simulation},
  presentation = {spotlight},
  url = {https://example.org/forum},
  abstract = {We fuzz $u_t = u_{xx}$ and *more*.},
}

@article{roe2024other,
  title = "Another " # "title",
  author = {Roe, Rick},
}
"""
SEED_TOPICS = """topics:
  - slug: simulation
    title: Learning to simulate
    description: Surrogates.
  - slug: operators
    title: Neural operators
    parent: simulation
    aliases: [FNO]
"""
SEED_ABSTRACT = """We study $\\partial_t u = \\Delta u$ and show *nothing*, see [here](https://example.org).

$$
\\int_\\Omega |\\nabla u|^2
$$

- a list
- of items
"""
#: Fragments that steer parsers into their odd corners.
FRAGMENTS = [
    "{", "}", "@", ",", "=", "\"", "#", "%", "\\", "$", "$$", "\n", "\n\n", "and", " and ",
    "@string{x = {y}}", "@comment{", "@preamble{", "{\\\"o}", "\\input{/etc/passwd}",
    "```{include} /etc/passwd\n```\n", ":::{raw} html\n:::\n", "<script>", "</div>",
    "{raw}`x`", "{{ project }}", "(t)=", "[x](javascript:alert(1))", "<javascript:x>",
    "![i](data:x)", "{.c #i}", "\u202e", "\u0000", "\x1b", "\ufeff", "---", "- ", ": ", "&a",
    "*a", "!!python/object:os.system", "[", "]", "  ", "\t", "^^5c", "\\begin{", "\r\n",
]


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> str:
    """``seed`` with a few fragments inserted, characters dropped or slices repeated."""
    text = seed
    for _ in range(draw(st.integers(0, 8))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "repeat", "text"]))
        if action == "insert":
            text = text[:pos] + draw(st.sampled_from(FRAGMENTS)) + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        elif action == "repeat":
            text = text[:pos] * 2 + text[pos:]
        else:
            text = text[:pos] + draw(st.text(max_size=20)) + text[pos:]
    return text


def any_text(seed: str) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=300), mutated(seed),
                     st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))


def assert_located(problems: tuple[Problem, ...] | list[Problem], files: dict[str, str]) -> None:
    """Every problem names one of ``files``; a line, when given, exists there."""
    for problem in problems:
        assert isinstance(problem, Problem)
        path = str(problem.source.path)
        assert path in files or any(path == str(Path(f).parent) for f in files), problem
        if problem.source.line is not None and path in files:
            lines = len(files[path].splitlines()) + 1  # YAML also breaks lines at \r
            assert 1 <= problem.source.line <= lines, (problem, lines)


def read_files(files: dict[str, str | bytes]) -> tuple:
    """Write ``files`` under a fresh ``papers/`` and read them."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8", errors="surrogatepass"))
        return read_proceedings(root / "papers"), root


@FAST
@given(any_text(SEED_BIB))
def test_volume_bibtex_never_crashes(text):
    proceedings, _ = read_files({"papers/volume.bib": text})
    assert_located(proceedings.problems, {"papers/volume.bib": text})
    for paper in proceedings.papers:
        assert paper.title and paper.authors
        assert "\u202e" not in paper.title + "".join(a.name for a in paper.authors)


@FAST
@given(any_text(SEED_BIB.split("\n\n")[0]), any_text(SEED_ABSTRACT))
def test_paper_folder_never_crashes(bib, abstract):
    files = {"papers/doe2024fuzz/paper.bib": bib, "papers/doe2024fuzz/abstract.md": abstract}
    proceedings, _ = read_files(files)
    assert_located(proceedings.problems, files)


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    files = {"papers/volume.bib": data, "papers/topics.yml": data}
    proceedings, _ = read_files(files)
    text = data.decode("utf-8", errors="replace")
    assert_located(proceedings.problems, {name: text for name in files})


@FAST
@given(any_text(SEED_TOPICS))
def test_topics_yaml_never_crashes(text):
    files = {"papers/topics.yml": text, "papers/volume.bib": SEED_BIB}
    proceedings, _ = read_files(files)
    assert_located(proceedings.problems, files)
    slugs = {t.slug for t in proceedings.topics}
    for topic in proceedings.topics:
        assert topic.parent is None or topic.parent in slugs
        assert topic.slug in proceedings.descendants(topic.slug)


@settings(max_examples=150, deadline=1000)
@given(any_text(SEED_ABSTRACT), st.integers(1, 500))
def test_sanitized_abstract_is_safe_and_located(text, first_line):
    source = Source(Path("papers/x.bib"), first_line)
    text, _ = strip_controls(text)  # as the reader does before judging
    verdict = judge_abstract(text, source)
    safe = abstract_myst(text, verdict.refused)
    last = first_line + text.count("\n") + 1
    for problem in verdict.problems:
        assert problem.source.path == source.path
        assert problem.source.line is not None and first_line <= problem.source.line <= last
    again = judge_abstract(safe, source)
    assert again.problems == (), (safe, again.problems)
    assert abstract_myst(safe, again.refused) == safe.strip()
    assert "\u202e" not in safe and "\x00" not in safe


@settings(max_examples=200, deadline=1000)
@given(any_text("Flows with $\\nabla$ and $u_t$ -- {Fast} `x` <b>"))
@example("$<A>$\\")  # math first and a backslash last: dollarmath looked past the start
def test_escaped_titles_hold_no_markup(text):
    shown = md_title(text)
    assert "\n" not in shown
    assert judge_abstract(shown, Source(Path("t"), 1)).problems == (), shown
