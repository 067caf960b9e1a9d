"""Small edits to a clerk's meeting.yml that keep its comments, quotes and layout.

The file is the clerk's: ruamel.yaml's round-trip mode rewrites only what changes, so a
new agenda item or status does not reflow the rest (PyYAML would drop every comment).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

#: Items that close Part 1: new reports go before them.
CLOSING = {"urgent-business", "exclusion"}


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _edit(path: Path) -> tuple[YAML, Any]:
    yaml = _yaml()
    return yaml, yaml.load(path.read_text(encoding="utf-8"))


def set_status(path: Path, status: str) -> None:
    yaml, doc = _edit(path)
    doc["status"] = status
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(doc, out)


def add_report_item(path: Path, report_id: str, late: bool) -> str:
    """Insert an item presenting `report_id` before the closing items; return its number.

    Whole-number items after it move down by one (4 -> 5, 4a -> 5a): the agenda is not yet
    minuted (the caller checks), so no other file refers to those numbers.
    """
    yaml, doc = _edit(path)
    agenda = doc.get("agenda")
    if agenda is None:
        doc["agenda"] = agenda = []
    at = next(
        (
            i
            for i, item in enumerate(agenda)
            if str(item.get("kind", "")) in CLOSING or int(item.get("part", 1) or 1) == 2
        ),
        len(agenda),
    )
    # Numbers keep the clerk's quoting ("5" or '5'): ruamel gives each its own string type.
    quoted = type(agenda[0]["number"]) if agenda and isinstance(agenda[0]["number"], str) else str
    if at < len(agenda):
        number = _digits(agenda[at]["number"]) or str(at + 1)
        for item in agenda[at:]:
            item["number"] = quoted(_shift(str(item["number"])))
    else:
        last = max((int(_digits(i["number"]) or 0) for i in agenda), default=0)
        number = str(last + 1)
    item = CommentedMap(number=quoted(number), report=report_id, purpose="decision")
    if late:
        item["late"] = True
        item["late_reason"] = "TO DO: why this paper could not wait for the next meeting."
    agenda.insert(at, item)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(doc, out)
    return number


def _digits(number: Any) -> str:
    found = re.match(r"\d+", str(number))
    return found.group() if found else ""


def _shift(number: str) -> str:
    found = re.match(r"(\d+)([a-z]?)$", number)
    if not found:
        return number
    return f"{int(found.group(1)) + 1}{found.group(2)}"
