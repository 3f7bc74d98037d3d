"""The data: papers/ read into frozen dataclasses, and checked. No Sphinx, docutils or click here."""
