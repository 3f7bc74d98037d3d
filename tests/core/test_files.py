"""Reading the build's own pickled files (core/files.py; its writes: tests/render/test_sync_files.py)."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pytest

from sphinx_proceedings.core.files import read_pickle


def test_a_pickle_is_read_back_and_the_collector_runs_again(tmp_path: Path):
    path = tmp_path / "memo.pickle"
    value = {"papers": [("key", i, [str(i)] * 3) for i in range(20_000)]}
    path.write_bytes(pickle.dumps(value))
    assert gc.isenabled()
    assert read_pickle(path) == value
    assert gc.isenabled()


def test_a_damaged_pickle_raises_and_leaves_the_collector_as_it_was(tmp_path: Path):
    path = tmp_path / "damaged.pickle"
    path.write_bytes(pickle.dumps(list(range(100)))[:-10])
    with pytest.raises((pickle.UnpicklingError, EOFError)):
        read_pickle(path)
    assert gc.isenabled()
    gc.disable()
    try:  # paused by someone else: still paused after
        path.write_bytes(pickle.dumps([1, 2]))
        assert read_pickle(path) == [1, 2]
        assert not gc.isenabled()
    finally:
        gc.enable()
