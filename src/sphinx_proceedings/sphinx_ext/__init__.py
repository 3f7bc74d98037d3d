"""The Sphinx glue: `extension.py` has `setup`, which wires the other modules together."""
