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


def load_forward_plan(path: Path, read: Reader, problems: Problems) -> dict[str, ForwardPlanEntry]:
    entries: dict[str, ForwardPlanEntry] = {}
    if not path.exists():
        return entries
    raw, where = read(path)
    if raw is None:
        return entries
    if not isinstance(raw, dict):
        problems.add(where, (), "expected a mapping of forward-plan references to key decisions")
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
    if not path.exists():
        return notices
    raw, where = read(path)
    if raw is None:
        return notices
    if not isinstance(raw, list):
        problems.add(where, (), "expected a list of notices")
        return notices
    for index, value in enumerate(raw):
        notice = build(Notice, value, where, problems, base=(index,))
        if notice:
            notice.source, notice.position = where.path, index
            notices.append(notice)
    return notices
