"""YAML read as PyYAML's node tree, so every value keeps its line and its text.

Values are not converted by YAML's rules (``9:30`` would be the integer 570
under YAML 1.1, ``no`` a boolean): callers get the text as typed, and each
problem names ``file:line``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sphinx_proceedings.core.model import Problem, Source
from sphinx_proceedings.core.problems import ProblemKind


def compose(reader: NodeReader, text: str, code: ProblemKind) -> yaml.Node | None:
    """The document's root node, or None (a syntax error is reported at its line)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reader.problem(mark.line + 1 if mark else 1,
                       f"cannot parse YAML: {exc.problem or exc.context or exc}", code)
    except (yaml.YAMLError, RecursionError) as exc:
        reader.problem(1, f"cannot parse YAML: {exc.__class__.__name__}", code)
    return None


class NodeReader:
    """Reads fields out of a composed YAML tree, collecting problems with their lines."""

    def __init__(self, path: Path, code: ProblemKind, ignored: ProblemKind) -> None:
        self.path = path
        self.field_code = code  # the kind of malformed fields
        self.ignored_code = ignored  # the kind of unknown fields, ignored
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | int | None, message: str, code: ProblemKind) -> None:
        line = node if isinstance(node, int) or node is None else node.start_mark.line + 1
        self.problems.append(Problem(code, message, Source(self.path, line or 1)))

    def mapping(self, node: yaml.Node, allowed: tuple[str, ...],
                what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries by key (with the key's node, for lines), or None."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of fields", self.field_code)
            return None
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if name in fields:
                self.problem(key, f"field {name!r} given twice; the first is used", self.field_code)
            elif name not in allowed:
                self.problem(key, f"unknown field {name!r} in {what}; ignored (fields: "
                             f"{', '.join(allowed)})", self.ignored_code)
            else:
                fields[name] = (key, value)
        return fields

    def text(self, fields: dict, name: str) -> str:
        """A field's text, one line ("" when absent or not text: reported)."""
        if name not in fields:
            return ""
        node = fields[name][1]
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"field {name!r} must be text", self.field_code)
            return ""
        return " ".join(str(node.value).split())

    def names(self, fields: dict, name: str) -> tuple[str, ...]:
        """A field holding one name or a list of names."""
        if name not in fields:
            return ()
        node = fields[name][1]
        values = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for value in values:
            if isinstance(value, yaml.ScalarNode) and str(value.value).strip():
                out.append(" ".join(str(value.value).split()))
            else:
                self.problem(value, f"field {name!r} must be a name or a list of names",
                             self.field_code)
        return tuple(out)
