"""Reading YAML so that every value keeps its line number.

Scalars stay strings (no implicit dates, numbers or booleans): YAML would turn `2026-11-31`
into an exception without a line, `exempt: [3]` into an int and `no` into False. The model
converts and validates them, and the line map lets its errors point at the right line.
"""

from __future__ import annotations

from typing import Any

import yaml

from .problems import LineMap, Loc, Problems
from .yamlerrors import continuation_traps, explain

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

_DEFAULT_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """libyaml's loader without tag resolution: every value is read as written (see above).

    PyYAML asks Python to guess the type of every scalar (a dozen regular expressions each);
    nothing here uses those guesses, and at ten years of papers they were a third of parsing.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]


_NULLS = {"", "~", "null", "Null", "NULL"}


def parse_yaml(text: str, where: LineMap, problems: Problems, first_line: int = 1) -> Any | None:
    """Parse `text`; on a syntax error record it (with its line) and return None."""
    try:
        if _refuse_aliases(text, where, problems, first_line):
            return None
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        line, message = explain(error, text, first_line)
        problems.add(where, (), message, line=line)
        return None
    if node is None:
        return None
    return _Reader(text, where, problems, first_line - 1).read(node, ())


def _refuse_aliases(text: str, where: LineMap, problems: Problems, first_line: int) -> bool:
    """Record one problem for the YAML aliases (`*name`) of a file, so none is expanded.

    An alias repeats another value; nested ones grow exponentially ("billion laughs") and a
    recursive one never ends. Clerks have no need of them: the model has ids for sharing.
    """
    if "*" not in text:
        return False
    aliases = [e for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent)]
    if aliases:
        first, more = aliases[0], len(aliases) - 1
        others = f" (and {more} more in this file)" if more else ""
        problems.add(
            where,
            (),
            f"YAML alias *{first.anchor} is not allowed{others}; write the values out in full",
            line=first.start_mark.line + first_line,
        )
    return bool(aliases)


class _Reader:
    """Turns a composed YAML node tree into Python values, recording each value's line."""

    def __init__(self, text: str, where: LineMap, problems: Problems, offset: int):
        self.text, self.where, self.problems, self.offset = text, where, problems, offset

    def read(self, node: yaml.Node, loc: Loc) -> Any:
        where, offset = self.where, self.offset
        where.lines.setdefault(loc, node.start_mark.line + 1 + offset)
        if isinstance(node, yaml.ScalarNode):
            for index, message in continuation_traps(node, self.text):
                self.problems.add(where, loc, message, line=index + 1 + offset)
            if node.style is None and node.value in _NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.read(child, (*loc, i)) for i, child in enumerate(node.value)]
        return self._mapping(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        where, offset = self.where, self.offset
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            key_loc = (*loc, key)
            line = key_node.start_mark.line + 1 + offset
            if key in result:
                self.problems.add(where, key_loc, "appears twice in the same mapping", line=line)
                continue
            where.lines[key_loc] = line
            result[key] = self.read(value_node, key_loc)
        return result


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split a Markdown file into (front matter, body, line where the body starts)."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None, text, 1
