"""sphinx-proceedings: accepted papers (BibTeX + abstracts) as a Sphinx proceedings site.

The package is layered; read it top-down:

- ``core/``: the data: reading ``papers/`` into frozen dataclasses, and judging them
  (no Sphinx, docutils or click);
- ``render/``: the data as text: MyST pages, citation exports (no Sphinx);
- ``sphinx_ext/``: the Sphinx glue (``setup`` wires it);
- ``pdf/``: the full volume; ``importers/``: OpenReview exports;
- ``cli/``: the ``proceedings`` command.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point; imports the glue only when Sphinx loads the extension."""
    from sphinx_proceedings.sphinx_ext.extension import setup as setup_extension

    return setup_extension(app)
