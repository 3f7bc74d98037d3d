"""The ``proceedings`` command: one module per group of subcommands, `app.py` the group."""

from sphinx_proceedings.cli.app import main

__all__ = ["main"]
