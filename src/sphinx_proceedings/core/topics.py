"""The curated topic vocabulary, ``papers/topics.yml``.

Read with PyYAML's safe loader; each mapping remembers its line, and the
items of the ``topics:`` list are located through the composed node tree, so
every problem can name ``topics.yml:LINE``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sphinx_proceedings.core.model import Problem, Source, Topic
from sphinx_proceedings.core.problems import ProblemKind

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """Safe loader whose mappings carry their 1-based line number."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _load(text: str) -> tuple[Any, yaml.Node | None]:
    """The document's data and its root node (whose marks give lines)."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _item_lines(root: yaml.Node | None) -> list[int]:
    """1-based line of each item of the top-level ``topics:`` sequence."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "topics" \
                and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _topics_line(root: yaml.Node | None) -> int:
    """Line of the ``topics:`` key if there is one, else of the document."""
    if isinstance(root, yaml.MappingNode):
        for key, _ in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "topics":
                return key.start_mark.line + 1
    return root.start_mark.line + 1 if root is not None else 1


def read_topics(path: Path, text: str) -> tuple[list[Topic], list[Problem]]:
    """Topics declared in ``text`` (the content of ``path``), and problems."""
    problems: list[Problem] = []

    def problem(message: str, line: int | None) -> None:
        problems.append(Problem(ProblemKind.TOPICS, message, Source(path, line or 1)))

    try:
        data, root = _load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem(f"cannot parse YAML: {getattr(exc, 'problem', None) or exc}",
                mark.line + 1 if mark else 1)
        return [], problems
    except RecursionError:
        problem("cannot parse YAML: nested too deeply", 1)
        return [], problems
    if data is None:
        return [], problems
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        problem("expected a mapping with a 'topics:' list", _topics_line(root))
        return [], problems

    topics: dict[str, Topic] = {}
    lines = _item_lines(root)
    for number, item in enumerate(data["topics"]):
        if not isinstance(item, dict):
            line = lines[number] if number < len(lines) else _topics_line(root)
            what = "an empty item" if item is None else f"{type(item).__name__} {_short(item)}"
            problem(f"each topic must be a mapping with 'slug' and 'title', not {what}", line)
            continue
        line = item.get(_LINE)
        slug, title = item.get("slug"), item.get("title")
        if not isinstance(slug, str) or not _SLUG.match(slug):
            problem(f"topic slug {_short(slug)} must be lowercase letters, digits and hyphens", line)
            continue
        if not isinstance(title, str) or not title.strip():
            problem(f"topic {slug!r} has no title", line)
            continue
        if slug in topics:
            problem(f"duplicate topic slug {slug!r}", line)
            continue
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            aliases = [aliases]
        parent = item.get("parent")
        topics[slug] = Topic(
            slug=slug,
            title=title.strip(),
            description=str(item.get("description") or "").strip(),
            parent=str(parent) if parent else None,
            aliases=tuple(str(a) for a in aliases),
            source=Source(path, line),
        )

    # Parents must exist and must not form a cycle.
    for slug, topic in list(topics.items()):
        if topic.parent is None:
            continue
        if topic.parent not in topics:
            problem(f"topic {slug!r} has unknown parent {topic.parent!r}", topic.source.line)
            topics[slug] = _without_parent(topic)
            continue
        seen, current = {slug}, topic.parent
        while current is not None:
            if current in seen:
                problem(f"topic {slug!r} is its own ancestor", topic.source.line)
                topics[slug] = _without_parent(topic)
                break
            seen.add(current)
            current = topics[current].parent if current in topics else None
    return list(topics.values()), problems


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _without_parent(topic: Topic) -> Topic:
    return Topic(topic.slug, topic.title, topic.description, None, topic.aliases, topic.source)
