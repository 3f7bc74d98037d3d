"""What the extension keeps during one build, typed, in one place.

Sphinx objects carry no attributes of ours: every module reaches this build's
data through `build_state(env)`.  It lives beside the environment (a weak
mapping keyed by it), so it is never pickled with it: reading it back from
the last build would be wrong, and the environment that parallel workers send
back would grow with the whole `Proceedings` (see store.py for what *is* kept
from one build to the next).  Forked parallel workers see the state of the
process they were forked from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.environment import BuildEnvironment

from sphinx_proceedings.core.model import Paper, Proceedings

if TYPE_CHECKING:
    from jinja2 import Environment

    from sphinx_proceedings.render.pages import PageSettings
    from sphinx_proceedings.sphinx_ext.store import Pending


@dataclass
class BuildState:
    """This build's data, from ``builder-inited`` (generate.py) to ``build-finished``."""

    #: The papers, topics and authors read from ``papers/``.
    model: Proceedings = field(default_factory=Proceedings)
    #: The page templates (the site's ``_templates/proceedings`` first).
    templates: Environment | None = None
    #: The paper card's HTML template environment (render/card.py), same folders.
    card_templates: Environment | None = None
    #: Cards made in this build, by (paper key, page folder, with abstract) (cards.py).
    cards: dict[tuple[str, str, bool], str] = field(default_factory=dict)
    #: Digest of every input of the generated pages (store.fingerprint).
    fingerprint: str = ""
    #: Digest of the page templates (store.templates_digest), part of what
    #: directives that render a template remember having shown.
    templates_digest: str = ""
    #: Nothing that lists or links show changed since the last build, but
    #: perhaps abstracts (which only lists with ``:abstracts:`` show).
    lists_unchanged: bool = False
    #: Objects whose display name changed: pages linking to them are re-written.
    changed_objects: set[tuple[str, str]] = field(default_factory=set)
    #: Toctree parents set aside for this build (incremental.skip_listing_rewrites).
    set_aside: dict[str, set[str]] = field(default_factory=dict)
    #: Where the author pages sit among the documents, once worked out
    #: (author_pages.author_chain; a 1-tuple, as None may be the answer).
    author_chain: tuple[Any] | None = None
    #: The HTML settings' digest, taken once documents are read (author_pages.py).
    settings_digest: str = ""
    #: The author pages' shared digest and each page's, saved once the build succeeded.
    author_digests: tuple[str, dict[str, str]] | None = None
    #: Keys of the papers whose edit shows only on their own pages (generate.py):
    #: None when other pages may change too.
    edited_papers: frozenset[str] | None = None
    #: The Pagefind run under way (pagefind_index.py), to the end of the build.
    pagefind: Any = None
    #: Whether this build's page collection looked at Pagefind (pagefind_index.py).
    pagefind_considered: bool = False
    #: What the search page is written from this build (search.py; "" unknown).
    search_page_digest: str = ""
    #: What to keep for the next build, saved once the build succeeded.
    pending: Pending | None = None
    #: What rendering pages needs from the configuration (paper_page.py too).
    page_settings: PageSettings | None = None
    #: Where ``papers/schedule.yml`` would be (schedule.py).
    schedule_file: Path = Path()
    #: Documents this build reads (gc_tuning.py).
    documents_read: int = 0
    _papers_by_page: tuple[Proceedings, dict[str, Paper]] | None = None
    _positions: tuple[Proceedings, dict[str, int]] | None = None

    def papers_by_page(self, prefix: str) -> dict[str, Paper]:
        """Paper by docname, built once per model."""
        if self._papers_by_page is None or self._papers_by_page[0] is not self.model:
            pages = {f"{prefix}/papers/{p.docname}": p for p in self.model.papers}
            self._papers_by_page = (self.model, pages)
        return self._papers_by_page[1]

    def listing_positions(self) -> dict[str, int]:
        """Each paper's place in listing order, worked out once per model."""
        if self._positions is None or self._positions[0] is not self.model:
            self._positions = (self.model, {p.key: i for i, p in enumerate(self.model.papers)})
        return self._positions[1]


_states: WeakKeyDictionary[BuildEnvironment, BuildState] = WeakKeyDictionary()


def build_state(env: BuildEnvironment) -> BuildState:
    """The state of the build ``env`` belongs to (a fresh one at first use)."""
    state = _states.get(env)
    if state is None:
        state = _states[env] = BuildState()
    return state
