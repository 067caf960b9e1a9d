"""YAML's indentation errors in plain words, and the traps YAML does not report at all.

YAML reads structure from indentation. Its own messages ("mapping values are not allowed
here", "did not find expected key") name the parser's state, not the clerk's mistake, and
sometimes the line after the one to fix. Worse, a plain (unquoted) value that runs over
several lines swallows any indented line that follows, so a second resolution written
`- That ...` two spaces too far right silently becomes the end of the first. A line such as
`Note: ...` inside a value is an error YAML does report, as "mapping values are not allowed".
Both are explained here with the line to look at.
"""

from __future__ import annotations

import re

import yaml

INDENTED = "this line is indented differently from the lines around it"
_KEY_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]{0,40}:(\s|$)")


def explain(error: yaml.YAMLError, text: str, first_line: int) -> tuple[int, str]:
    """The line to look at (in the file) and what is wrong, for a YAML syntax error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    context_mark = getattr(error, "context_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    context_line = context_mark.line + first_line if context_mark is not None else line
    problem = getattr(error, "problem", None) or str(error)
    if problem.startswith("mapping values are not allowed"):
        source = _line(text, mark.line) if mark is not None else ""
        if ": " in source[: mark.column] if mark is not None else False:
            return line, (
                "this value contains ': ', which YAML reads as the start of another field: "
                'put the whole value in double quotes ("...") or start it with >-'
            )
        key = _KEY_LIKE.match(source.strip())
        name = f" {key.group(0).strip()!r}" if key else ""
        return line, (
            f"{INDENTED} (a likely indentation mistake): YAML read{name or ' it'} as a field "
            "inside the value on the line above, where no field can start; line it up with "
            "the fields it belongs with, or, if it is more of the text above, start that text "
            "with >-"
        )
    if problem == "did not find expected key":
        return line, (
            f"{INDENTED}: YAML expected another field of the mapping that starts at line "
            f"{context_line}, lined up with its fields"
        )
    if problem == "did not find expected '-' indicator":
        return line, (
            f"{INDENTED}: YAML expected another '- ' item of the list that starts at line "
            f"{context_line}, or a field lined up with the fields of the item above"
        )
    if problem == "could not find expected ':'":
        return context_line, (
            "this line is read as a new field but has no ':' (a likely indentation mistake): "
            "if it continues the text above, indent it further than that field's name; if "
            "it is a field, put ': ' after its name"
        )
    if "cannot start any token" in problem and "\t" in _line(text, mark.line if mark else 0):
        return line, "this line is indented with a tab; YAML needs spaces"
    reason = problem
    context = getattr(error, "context", None)
    if context and context_mark is not None and context_line != line:
        reason += f" ({context} at line {context_line})"
    return line, f"YAML syntax error: {reason}"


def continuation_traps(node: yaml.ScalarNode, text: str) -> list[tuple[int, str]]:
    """Continuation lines of a plain multi-line value that look like a list item: YAML joined
    them to the value, which is almost never what the clerk meant."""
    # Plain style is None from PyYAML's own parser and "" from libyaml's.
    if node.style or node.end_mark.line == node.start_mark.line:
        return []
    found = []
    for index in range(node.start_mark.line + 1, node.end_mark.line + 1):
        stripped = _line(text, index).strip()
        if stripped.startswith("- ") or stripped == "-":
            found.append(
                (
                    index,
                    "this line looks like a new list item but is read as more of the text "
                    "above it (a likely indentation mistake): line its '-' up with the '-' "
                    "of the item above, or start the text with >- if the '-' belongs to it",
                )
            )
    return found


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""
