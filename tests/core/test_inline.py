"""The inline tree and its one parser: the conventions the README documents."""

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_proceedings.core.inline import (
    Break,
    Citation,
    Link,
    Math,
    Span,
    Text,
    math_to_unicode,
    plain_paragraphs,
    plain_text,
    walk,
)
from sphinx_proceedings.core.inline_parse import escape_percent, parse_field
from sphinx_proceedings.core.model import Source

WHERE = Source(Path("papers/volume.bib"), 10)


def parse(value):
    return parse_field(value, WHERE, "entry 'k': field 'abstract'")


@pytest.mark.parametrize(("source", "text"), [
    (r"I\~{n}igo", "Iñigo"),
    (r"B\l{}a\.{z}ej Osi\'{n}ski", "Błażej Osiński"),
    (r"{\TeX}: The Program", "TeX: The Program"),
    (r"The \TeX book and \LaTeX{} too", "The TeX book and LaTeX too"),
    (r"pages 1--22, ``quoted''", "pages 1–22, “quoted”"),
    (r"\enquote{Quoted}\slash not", "“Quoted”/not"),
    ("achieves a 69% reduction", "achieves a 69% reduction"),
    (r"already 50\% escaped", "already 50% escaped"),
    (r"$\mathcal{O}(n)$ time", "𝒪(n) time"),
    (r"\(\epsilon\)-greedy", "ε-greedy"),
])
def test_text_conventions(source, text):
    tree, problems = parse(source)
    assert plain_text(tree) == text
    assert not [p for p in problems if p.level != "info"]


def test_percent_in_math_is_a_percent_and_the_rest_survives():
    tree, _ = parse(r"with $\geq80%$ success rate, code: https://github.com/x/y.")
    assert Math(r"\geq80\%") in tree
    assert plain_text(tree) == "with ≥80% success rate, code: https://github.com/x/y."


def test_percent_starting_a_line_is_a_comment_with_a_note():
    tree, problems = parse("first line\n% an old sentence\nlast line")
    assert plain_text(tree) == "first line last line"
    assert [(p.level, p.source.line) for p in problems] == [("advice", 11)]
    assert "comment" in problems[0].message


def test_escape_percent():
    assert escape_percent("69% and \\% and \\\\%") == "69\\% and \\% and \\\\\\%"
    assert escape_percent("a\n  % note") == "a\n  % note"
    assert escape_percent("a\n% note", comments=False) == "a\n\\% note"


def test_styles_links_and_math():
    tree, problems = parse(r"\emph{a} \textbf{b} \textsc{c} \texttt{d} {\em e} "
                           r"\href{https://x.org/a_b}{see \emph{this}} \url{https://y.org/p%20q} "
                           r"\[x^2\] $$y$$ \begin{align*} a &= b \\ c \end{align*}")
    assert not problems
    assert Span("emph", (Text("a"),)) in tree
    assert Span("strong", (Text("b"),)) in tree
    assert Span("smallcaps", (Text("c"),)) in tree
    assert Span("code", (Text("d"),)) in tree
    assert Span("emph", (Text("e"),)) in tree
    assert Link("https://x.org/a_b", (Text("see "), Span("emph", (Text("this"),)))) in tree
    assert Link("https://y.org/p%20q", (Text("https://y.org/p%20q"),)) in tree
    maths = [n for n in tree if isinstance(n, Math)]
    assert [(m.display, m.environment) for m in maths] == [(True, ""), (True, ""), (True, "align*")]
    assert maths[2].tex.startswith(r"\begin{align*}")


def test_html_allow_list():
    tree, problems = parse("<em>last-iterate</em>, <i>i</i>, <b>1.6x-2x</b>, <strong>s</strong>, "
                           "x<sup>2</sup>, y<sub>i</sub>, <code>c</code>, line<br>break, "
                           '<a href="https://z.org">z</a> <p>para</p>')
    assert Span("emph", (Text("last-iterate"),)) in tree
    assert Span("strong", (Text("1.6x-2x"),)) in tree
    assert Span("sup", (Text("2"),)) in tree and Span("sub", (Text("i"),)) in tree
    assert Span("code", (Text("c"),)) in tree
    assert Break() in tree and Break(paragraph=True) in tree
    assert Link("https://z.org", (Text("z"),)) in tree
    assert not problems


def test_other_html_is_text_with_a_warning():
    tree, problems = parse('Text <script>alert("x")</script> <span class="a">b</span> and a<b')
    assert plain_text(tree) == 'Text <script>alert("x")</script> <span class="a">b</span> and a<b'
    assert not any(isinstance(n, Span | Link) for n in walk(tree))
    assert sorted(p.message.split(": ")[-1] for p in problems) == [
        "HTML tag <script> is not allowed; shown as text",
        "HTML tag <span> is not allowed; shown as text"]


def test_bare_urls_become_links_with_https():
    tree, _ = parse("page https://sayplan.github.io. and github.com/x/y, not 3D.ai or e.g.")
    links = [n for n in tree if isinstance(n, Link)]
    assert [n.url for n in links] == ["https://sayplan.github.io", "https://github.com/x/y"]
    assert plain_text(tree).endswith("not 3D.ai or e.g.")


def test_unsafe_links_keep_their_text_with_a_warning():
    tree, problems = parse(r"\href{javascript:alert(1)}{click} <a href='data:x'>here</a>")
    assert plain_text(tree) == "click here"
    assert not any(isinstance(n, Link) for n in walk(tree))
    assert len(problems) == 2 and all("refused" in p.message for p in problems)


def test_citations_are_placeholders_with_a_note():
    tree, problems = parse(r"as in \citet{smith2020,doe2021} and \cite[p.~3]{x}")
    assert Citation(("smith2020", "doe2021")) in tree
    assert "[citation: smith2020, doe2021]" in plain_text(tree)
    assert [p.level for p in problems] == ["advice", "advice"]


def test_unknown_macro_keeps_its_argument_once_per_macro():
    tree, problems = parse("real-world \\rebut{dynamics} and \\rebut{more},\n \\RV{with domain}")
    assert plain_text(tree) == "real-world dynamics and more, with domain"
    assert [(p.level, p.source.line, p.message.split(": ")[-1]) for p in problems] == [
        ("warning", 10, "unknown LaTeX command \\rebut; its argument's text is kept"),
        ("warning", 11, "unknown LaTeX command \\RV; its argument's text is kept")]
    assert problems[0].message.startswith("entry 'k': field 'abstract'")


def test_unsafe_math_is_text():
    tree, problems = parse(r"$\input{/etc/passwd}$")
    assert tree == (Text(r"$\input{/etc/passwd}$"),)
    assert "\\input" in problems[0].message


def test_paragraphs():
    tree, _ = parse("one\n\n  two\n\n\n three")
    assert plain_paragraphs(tree) == ["one", "two", "three"]
    assert plain_text(tree) == "one two three"


def test_math_to_unicode_keeps_what_unicode_cannot_say():
    assert math_to_unicode(r"\alpha^2") == "α²"
    assert math_to_unicode(r"\frac{a}{b}") == r"\frac{a}{b}"


def test_trees_pickle():
    tree, _ = parse(r"\emph{a} $x$ \href{https://x.org}{b} \cite{c}")
    assert pickle.loads(pickle.dumps(tree)) == tree


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n%$\\{}<>/&;#_^~`'\"emphurlcite()[]=:.")),
               max_size=80))
def test_any_input_gives_a_tree(value):
    tree, problems = parse(value)
    assert isinstance(tree, tuple)
    plain_text(tree)
    for problem in problems:
        assert problem.source.path == WHERE.path
