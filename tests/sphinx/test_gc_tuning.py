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
