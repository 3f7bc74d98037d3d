"""The garbage collector skips the environment while a build runs, when asked (gc_tuning.py)."""

from __future__ import annotations

import gc


def test_objects_are_frozen_while_writing_and_given_back_after(site, make_app):
    srcdir = site("basic")
    app = make_app("html", srcdir=srcdir, confoverrides={"proceedings_freeze_gc": True})
    seen: list[int] = []
    app.connect("html-page-context", lambda *args: seen.append(gc.get_freeze_count()))
    app.build()
    assert seen and min(seen) > 0
    assert gc.get_freeze_count() == 0


def test_freezing_is_off_by_default(site, make_app):
    """A first build loads no environment: nothing is frozen without the option."""
    srcdir = site("basic")
    app = make_app("html", srcdir=srcdir)
    seen: list[int] = []
    app.connect("html-page-context", lambda *args: seen.append(gc.get_freeze_count()))
    app.build()
    assert seen and max(seen) == 0


def test_freezing_can_be_turned_off(site, make_app):
    srcdir = site("basic")
    app = make_app("html", srcdir=srcdir, confoverrides={"proceedings_freeze_gc": False})
    seen: list[int] = []
    app.connect("html-page-context", lambda *args: seen.append(gc.get_freeze_count()))
    app.build()
    assert seen and max(seen) == 0


def test_the_collector_is_paused_while_the_environment_loads(site, make_app, monkeypatch):
    """The second build unpickles Sphinx's environment with the collector off,
    and the collector runs again from ``builder-inited`` on."""
    import pickle

    import sphinx.application

    root = site("basic")
    make_app("html", srcdir=root).build()
    seen: dict[str, bool] = {}
    real_load = pickle.load

    def load(handle, *args, **kwargs):
        seen["loading"] = gc.isenabled()
        return real_load(handle, *args, **kwargs)

    monkeypatch.setattr(sphinx.application.pickle, "load", load)
    app = make_app("html", srcdir=root)
    assert seen == {"loading": False}
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the loaded environment, not scanned while it lives
    app.build()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
