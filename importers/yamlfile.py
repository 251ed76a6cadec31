"""Reading the project's own YAML formats (wijkteams, organisaties) alike: recognised by a
top-level key, composed without YAML 1.1's guesses, with a located problem when unreadable.

Composing is bounded (:class:`BoundedLoader`): YAML's aliases let a file of 558 bytes stand
for a billion nodes ("billion laughs"), which the formats would expand when they read the
nodes into rows. The nodes are counted as if every alias were expanded, while composing, and
the file is refused at the alias that passes the limit, before anything is expanded."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent

from importers.base import ParsedFile
from importers.formats import head_text
from importers.limits import InputRefused, Limits, current, read_bounded


def has_top_key(path: Path, key: str) -> bool:
    """A ``.yaml``/``.yml`` file with a top-level ``key:`` line. The YAML itself is only
    checked when it is parsed, so that a syntax error is reported with its line instead of
    'format not recognised'."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    head = head_text(path)
    return head is not None and re.search(rf"""(?m)^["']?{re.escape(key)}["']?\s*:""", head) is not None


class BoundedLoader(yaml.BaseLoader):
    """PyYAML's base loader (every scalar text) whose composer keeps count: the nodes as if
    aliases were expanded (``yaml_nodes``), the nesting through aliases too (``depth``), the
    length of a value (``field_bytes``); and a key twice in one mapping is refused, since
    only one of the two values would be read."""

    def __init__(self, text: str, limits: Limits | None = None) -> None:
        super().__init__(text)
        self.limits = limits or current()
        self.count = self.depth = self.deepest = 0
        #: the expanded size and height of each anchored node, once composed
        self.expanded: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """One node, counted; an alias counts as the whole node it stands for."""
        lim, event = self.limits, self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:  # an unknown alias is PyYAML's error
                if id(target) not in self.expanded:
                    raise InputRefused(f"alias *{event.anchor} verwijst naar zichzelf", line=line)
                size, height = self.expanded[id(target)]
                self._grow(size, self.depth + height, line)
            return super().compose_node(parent, index)
        if isinstance(event, ScalarEvent) and len(event.value) > lim.field_bytes:
            raise lim.refused("field_bytes", f"een waarde van {len(event.value)} tekens", line=line)
        before, deepest = self.count, self.deepest
        self.depth += 1
        self.deepest = self.depth
        self._grow(1, self.depth, line)
        node = super().compose_node(parent, index)
        if (
            node is not None
            and isinstance(event, (MappingStartEvent, SequenceStartEvent, ScalarEvent))
            and event.anchor
        ):
            self.expanded[id(node)] = (self.count - before, self.deepest - self.depth + 1)
        self.depth -= 1
        self.deepest = max(deepest, self.deepest)
        if isinstance(node, yaml.MappingNode):
            _unique_keys(node)
        return node

    def _grow(self, nodes: int, depth: int, line: int) -> None:
        self.count += nodes
        self.deepest = max(self.deepest, depth)
        if self.count > self.limits.yaml_nodes:
            what = "de YAML telt, met elke alias uitgeschreven, te veel knopen"
            raise self.limits.refused("yaml_nodes", what, line=line)
        if depth > self.limits.depth:
            raise self.limits.refused("depth", "de YAML is te diep genest", line=line)


def _unique_keys(node: yaml.MappingNode) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                reason = (
                    f"sleutel '{key.value}' komt twee keer voor in één mapping: welke geldt is niet te zeggen"
                )
                raise InputRefused(reason, line=key.start_mark.line + 1, field=str(key.value))
            seen.add(key.value)


def compose(path: Path, parsed: ParsedFile, limits: Limits | None = None) -> yaml.Node | None:
    """The file as YAML nodes (every scalar stays text: no ``nee`` → False, no octal phone
    numbers), or ``None`` with the problem, and its line, in ``parsed``."""
    try:
        loader = BoundedLoader(read_bounded(path, limits).decode("utf-8-sig"), limits)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except UnicodeDecodeError as exc:
        parsed.problem(None, "", "", f"geen geldige UTF-8: {exc.reason}")
    except InputRefused as exc:
        parsed.report.problems.append(exc.problem(str(path)))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        parsed.problem(mark.line + 1 if mark else None, "", "", f"geen geldige YAML: {exc}")
    return None
