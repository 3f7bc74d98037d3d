"""Keep Python's garbage collector from rescanning the environment (opt-in).

A build holds a large, long-lived object graph (Sphinx's environment, our
`Proceedings`) and creates millions of short-lived docutils nodes.  With the
default settings CPython's collector walks the long-lived graph again and
again.  `gc.freeze` moves what is alive once the environment is loaded, and
again once every document is read, into a permanent generation the collector
skips; `gc.unfreeze` at the end gives it back, so several builds in one
process (tests, sphinx-autobuild) do not accumulate frozen garbage.  Parallel
workers forked after a freeze also share those pages instead of copying them.

It is off unless ``proceedings_freeze_gc = True``: the collector's own time
drops, but whole builds measured with and without it differ by less than this
machine's noise (``benchmarks/README.md``).

One pause is always made: while Sphinx unpickles its environment (between
``config-inited`` and ``builder-inited``), the collector is disabled.  Every
object unpickled stays alive, yet each burst of allocations would start a
collection scanning all of them again: at 1,000 papers loading takes 0.43 s
with the collector and 0.08 s without, on every build after the first.  The
loaded environment is then frozen (`resume`) and given back at the end.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_proceedings.sphinx_ext.config import proceedings_config
from sphinx_proceedings.sphinx_ext.state import build_state

#: Whether `pause_while_loading` disabled the collector (and `resume` must enable it).
_paused = False


def pause_while_loading(app: Sphinx, config: object) -> None:
    """``config-inited``, last: Sphinx loads the pickled environment next."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(app: Sphinx) -> None:
    """``builder-inited``, first: the environment is loaded.  A loaded environment
    is frozen before the collector runs again, or its first collection would scan
    it all at once (0.2 s at 1,000 papers); `unfreeze` gives it back at the end."""
    global _paused
    if _paused:
        _paused = False
        if getattr(app, "fresh_env_used", True) is False:  # None or absent: not known
            gc.freeze()
        gc.enable()


def resume_if_stopped(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: Sphinx stopped before ``builder-inited``."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def freeze_after_loading(app: Sphinx) -> None:
    """``builder-inited``: the pickled environment is loaded; it lives to the end.

    No collection first: a freshly loaded environment holds little garbage,
    and a full collection of it costs a third of a second per 1,000 papers.
    """
    if proceedings_config(app.config).freeze_gc:
        gc.freeze()


def count_documents(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: remember whether this build reads anything."""
    build_state(env).documents_read = len(docnames)


def freeze_after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: every document is read; writing only adds short-lived objects.

    Reading leaves garbage (parsed documents), so it is collected first; when
    nothing was read there is nothing new to collect or freeze.
    """
    if proceedings_config(app.config).freeze_gc and build_state(env).documents_read:
        gc.collect()
        gc.freeze()
    return []


def unfreeze(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: hand the frozen objects back to the collector."""
    gc.unfreeze()


def setup_gc_tuning(app: Sphinx) -> None:
    app.connect("config-inited", pause_while_loading, priority=1000)
    app.connect("builder-inited", resume, priority=0)
    app.connect("build-finished", resume_if_stopped, priority=0)
    app.connect("builder-inited", freeze_after_loading, priority=900)  # after generate
    app.connect("env-before-read-docs", count_documents)
    app.connect("env-updated", freeze_after_reading, priority=900)
    app.connect("build-finished", unfreeze, priority=1000)
