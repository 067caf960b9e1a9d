"""Loading decision records, the forward plan and notices into the model.

    data/decisions/<id>.yml     one executive or officer decision record each
    data/forward-plan.yml       key decisions, keyed by forward-plan reference
    data/notices.yml            private-meeting, general-exception and special-urgency notices

All three are optional: a council without executive arrangements has none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import DecisionRecord, ForwardPlanEntry, Notice
from .problems import LineMap, Problems
from .validation import build

Reader = Callable[[Path], tuple[Any, LineMap]]


def load_decisions(folder: Path, read: Reader, problems: Problems) -> dict[str, DecisionRecord]:
    records: dict[str, DecisionRecord] = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        raw, where = read(path)
        if isinstance(raw, dict):
            if "id" in raw:
                problems.add(where, ("id",), f"a decision's id is its file name ({path.stem!r})")
            raw = {**raw, "id": path.stem}
        record = build(DecisionRecord, raw, where, problems)
        if record:
            record.source = where.path
            records[record.id] = record
    return records


def _optional(
    path: Path, read: Reader, problems: Problems, kind: type, expected: str
) -> tuple[Any, LineMap | None]:
    """The YAML of an optional file, or None when it is absent, empty or not a `kind`."""
    if not path.exists():
        return None, None
    raw, where = read(path)
    if raw is not None and not isinstance(raw, kind):
        problems.add(where, (), f"expected {expected}")
        return None, where
    return raw, where


def load_forward_plan(path: Path, read: Reader, problems: Problems) -> dict[str, ForwardPlanEntry]:
    entries: dict[str, ForwardPlanEntry] = {}
    raw, where = _optional(
        path, read, problems, dict, "a mapping of forward-plan references to key decisions"
    )
    if raw is None or where is None:
        return entries
    for ref, value in raw.items():
        if isinstance(value, dict):
            value = {**value, "ref": str(ref)}
        entry = build(ForwardPlanEntry, value, where, problems, base=(ref,))
        if entry:
            entry.source = where.path
            entries[entry.ref] = entry
    return entries


def load_notices(path: Path, read: Reader, problems: Problems) -> list[Notice]:
    notices: list[Notice] = []
    raw, where = _optional(path, read, problems, list, "a list of notices")
    if raw is None or where is None:
        return notices
    for index, value in enumerate(raw):
        notice = build(Notice, value, where, problems, base=(index,))
        if notice:
            notice.source, notice.position = where.path, index
            notices.append(notice)
    return notices
