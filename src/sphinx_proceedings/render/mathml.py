"""TeX formulas as MathML, made at build time: math that shows with no network.

Browsers draw MathML themselves (MathML Core), so a page needs no script, font
download or CDN to show ``$u_t = \\Delta u$`` typeset, even opened from disk.
latex2mathml does the conversion; its output is then parsed and written out
again keeping only MathML elements and harmless attributes, because formulas
come from abstracts (untrusted) and the converter copies ``\\text{...}`` and
``\\href`` arguments through as they are.  A formula that does not convert
cleanly (a syntax error, an environment or command the converter does not
know) gives None: the caller shows its TeX source and reports it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache

from latex2mathml.converter import convert

MATHML = "http://www.w3.org/1998/Math/MathML"
#: MathML Core's presentation elements (what latex2mathml writes); nothing else passes.
ELEMENTS = frozenset((
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded",
    "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none", "semantics",
    "annotation",
))
#: Presentation attributes; event handlers, links and styles are dropped with the formula.
ATTRIBUTES = frozenset((
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "accent",
    "accentunder", "columnalign", "columnspacing", "rowspacing", "columnlines", "rowlines", "frame",
    "framespacing", "displaystyle", "scriptlevel", "linethickness", "width", "height", "depth",
    "notation", "minsize", "maxsize", "symmetric", "largeop", "movablelimits", "form", "open",
    "close", "separators", "align", "mathsize", "mathcolor", "linebreak", "voffset", "columnspan",
    "rowspan", "bevelled", "side", "equalrows", "equalcolumns", "encoding",
))
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")


def _clean(element: ET.Element) -> bool:
    """Whether every element and attribute below ``element`` is allowed."""
    for node in element.iter():
        namespace, _, name = node.tag.rpartition("}")
        if namespace != "{" + MATHML or name not in ELEMENTS:
            return False
        if any(attr not in ATTRIBUTES for attr in node.attrib):
            return False
        if name in ("mi", "mo") and (node.text or "").startswith("\\"):
            return False  # a command the converter did not know, copied as text
    return True


@lru_cache(maxsize=8192)  # one formula shows on a paper's page and in its card's abstract
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """The formula as one ``<math>`` element, or None when it does not convert cleanly.

    A ``%`` is a percent sign: one-line formulas in abstracts have no TeX comments.
    """
    source = _UNESCAPED_PERCENT.sub(r"\\%", tex.strip())
    if not source:
        return None
    try:
        # The text starts with the converter's own <math>: no DTD, so no entity tricks.
        root = ET.fromstring(convert(source, display="block" if display else "inline"))  # noqa: S314
    except Exception:  # noqa: BLE001 - the converter's and the XML parser's many errors
        return None
    if not _clean(root):
        return None
    for node in root.iter():  # written out again from the checked tree, text escaped
        node.tag = node.tag.rpartition("}")[2]
    root.set("xmlns", MATHML)
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)
