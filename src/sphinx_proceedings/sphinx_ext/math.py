"""Math in HTML as MathML written at build time (render/mathml.py), not MathJax.

Registered as the HTML math renderer ``mathml`` and chosen unless conf.py sets
``html_math_renderer``: pages then load no math script at all, and formulas
show typeset offline and from disk.  A formula that does not convert is shown
as its TeX source in code style and reported (``proceedings.math``).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from sphinx_proceedings.render.mathml import tex_to_mathml
from sphinx_proceedings.sphinx_ext._workarounds import user_set
from sphinx_proceedings.sphinx_ext.cards import paper_card

logger = logging.getLogger(__name__)


def _in_card(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, paper_card):
            return True
        parent = parent.parent
    return False


def _converted(self: Any, node: nodes.Element, tex: str, display: bool) -> str:
    mathml = tex_to_mathml(tex, display)
    if mathml is not None:
        return mathml
    # An abstract folded into a card is the paper page's too: reported there, once.
    if not _in_card(node):
        logger.warning(f"formula not converted to MathML, shown as TeX: {tex.strip()[:80]!r}",
                       type="proceedings", subtype="math", location=node)
    return f'<code class="proceedings-tex">{self.encode(tex.strip())}</code>'


def visit_math(self: Any, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_converted(self, node, node.astext(), False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: Any, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    for part in (p for p in node.astext().split("\n\n") if p.strip()):
        self.body.append(_converted(self, node, part, True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def choose_mathml(app: Sphinx, config: Config) -> None:
    """``config-inited``: MathML unless the site chose a renderer itself."""
    if not user_set(config, "html_math_renderer"):
        config.html_math_renderer = "mathml"


def setup_math(app: Sphinx) -> None:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", choose_mathml)
