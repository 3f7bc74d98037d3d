"""One parser from a BibTeX field value to the inline tree (`inline`).

The value is LaTeX, read with pylatexenc's latexwalker; the text between its
commands may carry HTML tags (PMLR and OpenReview exports do), read with the
standard library's HTML parser against an allow-list; bare URLs are found by
linkify-it.  The conventions, documented in the README ("What we do with your
LaTeX and HTML"):

- a ``%`` is a literal percent sign unless it starts a line (then it starts
  a LaTeX comment, left out with a note);
- accents, special letters and logos become Unicode text;
- ``\\emph``/``\\textit``, ``\\textbf``, ``\\textsc``, ``\\texttt``, sub- and
  superscripts, and ``<em>``/``<i>``, ``<b>``/``<strong>``, ``<sup>``, ``<sub>``,
  ``<code>`` are kept as styles; ``\\href``, ``\\url``, ``<a href>`` and bare
  URLs become links; ``\\\\``, ``<br>`` and ``<p>`` become breaks;
- ``$..$``, ``\\(..\\)``, ``$$..$$``, ``\\[..\\]`` and AMS environments are math;
- ``\\cite`` and its relatives become a visible placeholder, with a note;
- an unknown command keeps the text of its argument, with a warning naming it;
- any other HTML tag is shown as the text it is, never as markup.

Nothing is dropped without a `Problem`.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from linkify_it import LinkifyIt
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import MacroSpec

from sphinx_proceedings.core.inline import Break, Builder, Citation, Inline, Link, Math, Node, Span, Text
from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.core.safety import check_url, unsafe_tex
from sphinx_proceedings.core.text import escape_percent

#: ``\name{...}`` kept as a style.
STYLE_MACROS = {
    "emph": "emph", "textit": "emph", "textsl": "emph", "mkbibemph": "emph",
    "mkbibitalic": "emph", "textbf": "strong", "mkbibbold": "strong",
    "textsc": "smallcaps", "texttt": "code", "textsuperscript": "sup",
    "mkbibsuperscript": "sup", "textsubscript": "sub",
}
#: Old-style switches, ``{\em ...}``: the style lasts to the end of the group.
SWITCHES = {"em": "emph", "it": "emph", "itshape": "emph", "sl": "emph", "slshape": "emph",
            "bf": "strong", "bfseries": "strong", "sc": "smallcaps", "scshape": "smallcaps",
            "tt": "code", "ttfamily": "code"}
#: Commands whose argument is just text here.
TRANSPARENT = frozenset({"mbox", "hbox", "text", "textrm", "textsf", "textup", "textnormal",
                         "textmd", "autocap", "NoCaseChange", "footnote"})
QUOTES = frozenset({"enquote", "mkbibquote"})
LOGOS = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2ε", "BibTeX": "BibTeX",
         "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX",
         "ConTeXt": "ConTeXt", "AmS": "AMS", "AmSTeX": "AMS-TeX", "METAFONT": "METAFONT",
         "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX"}
#: biblatex's punctuation commands, which pylatexenc does not know.
SYMBOLS = {"slash": "/", "hyphen": "-", "textendash": "–", "textemdash": "—", "newblock": " "}
CITES = frozenset({"cite", "citet", "citep", "citealt", "citealp", "citeauthor", "citeyear",
                   "citeyearpar", "Cite", "Citet", "Citep", "parencite", "Parencite", "textcite",
                   "Textcite", "autocite", "Autocite", "footcite", "smartcite", "nocite",
                   "citenum", "fullcite"})
LINE_BREAKS = frozenset({"\\", "newline", "linebreak"})
#: Math environments, written as such in the tree (MyST's amsmath extension reads them).
MATH_ENVIRONMENTS = frozenset(
    name + star for name in ("equation", "align", "alignat", "gather", "multline", "flalign",
                             "eqnarray", "math", "displaymath") for star in ("", "*"))

_HTML_STYLES = {"em": "emph", "i": "emph", "b": "strong", "strong": "strong",
                "sup": "sup", "sub": "sub", "code": "code"}
#: Fuzzy (scheme-less) links are taken only with a path, ``www.`` or one of these.
_FUZZY_TLDS = frozenset({"com", "org", "net", "edu", "io", "gov", "dev"})


def _walker_context():
    """pylatexenc's defaults plus the arguments of the commands handled here."""
    specs = [MacroSpec(name, "{") for name in (*STYLE_MACROS, *TRANSPARENT - {"footnote"},
                                                *QUOTES)]
    specs += [MacroSpec("href", "{{"), MacroSpec("url", "{"), MacroSpec("footnote", "[{")]
    specs += [MacroSpec(name, "*[[{") for name in CITES]
    specs += [MacroSpec(name, "") for name in (*LOGOS, *SYMBOLS, *SWITCHES)]
    db = get_default_latex_context_db()  # a new database each call: ours alone
    db.add_context_category("sphinx-proceedings", macros=specs, prepend=True)
    return db


_CONTEXT = _walker_context()
_TO_TEXT = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_LINKIFY = LinkifyIt(options={"fuzzy_email": False})


class _Html(HTMLParser):
    """Allow-listed HTML tags into the builder; any other tag stays text."""

    def __init__(self, walk: _Walk) -> None:
        super().__init__(convert_charrefs=True)
        self.walk = walk
        self.b = walk.b
        self.refused_links = 0

    def flush(self) -> None:
        self.close()  # processes what is buffered (an unfinished tag becomes text)
        self.reset()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_STYLES:
            self.b.open(_HTML_STYLES[tag])
        elif tag == "br":
            self.b.add(Break())
        elif tag == "p":
            self.b.add(Break(paragraph=True))
        elif tag == "a":
            href = str(dict(attrs).get("href") or "")
            url = self.walk.link_target(href, "an <a> tag")
            if url and not self.b.is_open("link"):
                self.b.open("link", url)
            else:
                self.refused_links += 1
        else:
            self.refuse(tag)
            self.b.text(self.get_starttag_text() or f"<{tag}>")

    def refuse(self, tag: str) -> None:
        self.walk.problem(ProblemKind.HTML_TAG, f"HTML tag <{tag}> is not allowed; shown as text",
                          once=f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p"):
            self.handle_starttag(tag, attrs)
        else:
            self.refuse(tag)
            self.b.text(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.b.add(Break(paragraph=True))
        elif tag == "br":
            self.b.add(Break())
        elif tag == "a" and self.refused_links:
            self.refused_links -= 1
        elif not self.b.close(_HTML_STYLES.get(tag, "link" if tag == "a" else "-")):
            self.b.text(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.b.text(data)

    def parse_html_declaration(self, i: int) -> int:
        """``<!...>``; the standard parser raises on some malformed ones: then ``<!`` is text."""
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            self.b.text(self.rawdata[i:i + 2])
            return i + 2

    def handle_comment(self, data: str) -> None:
        self.b.text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.b.text(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.b.text(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.b.text(f"<![{data}]>")


class _Walk:
    """One field value through latexwalker, the HTML parser and linkify."""

    def __init__(self, value: str, source: Source, what: str) -> None:
        self.value = value
        self.source = source
        self.what = what
        self.b = Builder()
        self.html = _Html(self)
        self.problems: list[Problem] = []
        self.reported: set[str] = set()
        self.pos = 0

    def problem(self, kind: ProblemKind, message: str, once: str = "") -> None:
        if once:
            if once in self.reported:
                return
            self.reported.add(once)
        line = (self.source.line or 1) + self.value.count("\n", 0, self.pos)
        self.problems.append(Problem(kind, f"{self.what}: {message}",
                                     Source(self.source.path, line)))

    def link_target(self, raw: str, how: str) -> str:
        """The URL to link to, or "" (reported) when it is not a web address."""
        url, reason = check_url(raw)
        if reason is None and not urlsplit(url).scheme:
            reason = f"{url!r} is not an http(s) address"
        if reason:
            self.problem(ProblemKind.UNSAFE_LINK, f"link from {how} refused ({reason}); its text "
                         "is kept")
            return ""
        return url

    # -- LaTeX nodes --------------------------------------------------------------
    def nodes(self, nodelist) -> None:
        depth = self.b.depth()
        for node in nodelist or ():
            self.node(node)
        self.html.flush()
        self.b.close_to(depth)

    def node(self, node) -> None:
        self.pos = node.pos or self.pos
        if isinstance(node, LatexCharsNode | LatexSpecialsNode):
            self.chars(_TO_TEXT.nodelist_to_text([node]))
            return
        self.html.flush()
        if isinstance(node, LatexGroupNode):
            self.nodes(node.nodelist)
        elif isinstance(node, LatexCommentNode):
            self.problem(ProblemKind.LATEX_COMMENT, "the line starting with % is a LaTeX comment "
                         f"and is left out ({node.comment.strip()[:40]!r})")
        elif isinstance(node, LatexMathNode):
            tex = "".join(n.latex_verbatim() for n in node.nodelist or ())
            self.math(tex, node.displaytype == "display", "", node.latex_verbatim())
        elif isinstance(node, LatexEnvironmentNode):
            name, source = node.environmentname, node.latex_verbatim()
            if name in MATH_ENVIRONMENTS and source.rstrip().endswith(f"\\end{{{name}}}"):
                self.math(source, True, name, source)
            elif name in MATH_ENVIRONMENTS:
                self.problem(ProblemKind.UNSAFE_MATH, f"\\begin{{{name}}} without "
                             f"\\end{{{name}}}; shown as text")
                self.b.text(source)
            else:
                self.problem(ProblemKind.UNKNOWN_LATEX, f"LaTeX environment "
                             f"{node.environmentname!r} is not supported; its text is kept",
                             once=node.environmentname)
                self.nodes(node.nodelist)
        elif isinstance(node, LatexMacroNode):
            self.macro(node)

    def chars(self, text: str) -> None:
        parts = text.replace("\r\n", "\n").split("\n\n")
        for i, part in enumerate(parts):
            if i:
                self.html.flush()
                self.b.add(Break(paragraph=True))
            self.html.feed(part)

    def math(self, tex: str, display: bool, environment: str, source: str) -> None:
        bad = unsafe_tex(tex)
        if bad or not tex.strip():
            if bad:
                self.problem(ProblemKind.UNSAFE_MATH, f"math using {bad} is not allowed; shown "
                             "as text")
            self.b.text(source)
            return
        self.b.add(Math(tex.strip(), display, environment))

    def arg(self, node) -> None:
        if isinstance(node, LatexGroupNode):
            self.nodes(node.nodelist)
        elif node is not None:
            self.nodes([node])

    def macro(self, node: LatexMacroNode) -> None:
        name = node.macroname
        args = [a for a in (node.nodeargd.argnlist if node.nodeargd else ()) if a is not None]
        if name in STYLE_MACROS or name in TRANSPARENT or name in QUOTES:
            depth = self.b.depth()
            if name in STYLE_MACROS:
                self.b.open(STYLE_MACROS[name])
            self.b.text("“" if name in QUOTES else "")
            self.arg(args[-1] if args else None)
            self.b.close_to(depth)
            self.b.text("”" if name in QUOTES else "")
        elif name in SWITCHES:
            self.b.open(SWITCHES[name])
        elif name == "href" and len(args) == 2:
            url = self.link_target(_raw(args[0]), "\\href")
            depth = self.b.depth()
            if url and not self.b.is_open("link"):
                self.b.open("link", url)
            self.arg(args[1])
            self.b.close_to(depth)
        elif name == "url" and args:
            raw = _raw(args[0])
            url = self.link_target(raw, "\\url")
            self.b.add(Link(url, (Text(raw),)) if url else Text(raw))
        elif name in CITES:
            keys = tuple(k.strip() for k in _raw(args[-1]).split(",") if k.strip()) if args else ()
            self.b.add(Citation(keys))
            self.problem(ProblemKind.CITATION,
                         f"\\{name} shown as the placeholder {Citation(keys).text!r}")
        elif name in LINE_BREAKS:
            self.b.add(Break())
        elif name == "par":
            self.b.add(Break(paragraph=True))
        elif name in LOGOS:
            self.b.text(LOGOS[name] + (" " if node.macro_post_space else ""))
        elif name in SYMBOLS:
            self.b.text(SYMBOLS[name])
        elif _TO_TEXT.latex_context.get_macro_spec(name) is not None:
            self.known(node, args)
        else:
            self.problem(ProblemKind.UNKNOWN_LATEX, f"unknown LaTeX command \\{name}; its "
                         "argument's text is kept", once="\\" + name)
            for arg in args:
                self.arg(arg)

    def known(self, node: LatexMacroNode, args: list) -> None:
        """A command pylatexenc converts (accents, letters, symbols): its Unicode text."""
        try:
            self.b.text(_TO_TEXT.node_to_text(node))
        except Exception:  # a spec that expected other arguments: keep what the arguments say
            for arg in args:
                self.arg(arg)

    # -- result -------------------------------------------------------------------
    def run(self) -> Inline:
        try:
            nodes, _, _ = LatexWalker(self.value, latex_context=_CONTEXT,
                                      tolerant_parsing=True).get_latex_nodes()
        except Exception as exc:  # tolerant parsing rarely raises; untrusted input may still
            self.problem(ProblemKind.UNKNOWN_LATEX, f"cannot read the LaTeX ({exc}); shown as "
                         "text")
            self.b.text(self.value)
            return self.b.result()
        self.nodes(nodes)
        return linkify(self.b.result())


def _raw(node) -> str:
    """An argument's source text, with ``\\%`` and friends unescaped (URLs, keys)."""
    if isinstance(node, LatexGroupNode):
        text = "".join(n.latex_verbatim() for n in node.nodelist or ())
    else:
        text = node.latex_verbatim() if node is not None else ""
    for char in "%_#&$~":
        text = text.replace("\\" + char, char)
    return "".join(text.split())


def linkify(nodes: Inline) -> Inline:
    """Bare URLs in text (not in links or code) as links."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text):
            out.extend(_split_links(node.text))
        elif isinstance(node, Span) and node.style != "code":
            out.append(Span(node.style, linkify(node.children)))
        else:
            out.append(node)
    return tuple(out)


def _split_links(text: str) -> list[Node]:
    matches = _LINKIFY.match(text) if _LINKIFY.pretest(text) else None
    out: list[Node] = []
    pos = 0
    for m in matches or ():
        shown = text[m.index:m.last_index]
        url = m.url
        if not m.schema:  # no scheme written: only what clearly is a web address
            host = urlsplit("//" + shown).hostname or ""
            if "/" not in shown and not shown.startswith("www.") and \
                    host.rsplit(".", 1)[-1].lower() not in _FUZZY_TLDS:
                continue
            url = "https://" + shown
        if check_url(url)[1] is not None or not url.lower().startswith(("http://", "https://")):
            continue
        if m.index > pos:
            out.append(Text(text[pos:m.index]))
        out.append(Link(url, (Text(shown),)))
        pos = m.last_index
    if pos < len(text):
        out.append(Text(text[pos:]))
    return out


def parse_field(value: str, source: Source, what: str = "") -> tuple[Inline, tuple[Problem, ...]]:
    """A BibTeX field value as a tree, and what the reader should say about it.

    ``source`` is where the value starts (file and line); ``what`` begins each
    message (``entry 'x': field 'abstract'``).
    """
    walk = _Walk(escape_percent(value), source, what or "text")
    tree = walk.run()
    return tree, tuple(walk.problems)
