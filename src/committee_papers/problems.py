"""Problems in the data, as values with a location.

Every check adds to one `Problems` list instead of raising, so a clerk sees every mistake in
one run. Only the command line and the MkDocs adapter turn them into text for people.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Loc = tuple[str | int, ...]


def field_name(loc: Loc) -> str:
    """`('agenda', 3, 'number')` -> `agenda[3].number`, the way a clerk reads a path."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake (an error: nothing is built) or one doubt (a warning: worth a look)."""

    path: str
    line: int
    field: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: warning: {text}" if self.level == WARNING else f"{where}: {text}"


@dataclass(eq=False)
class LineMap:
    """Line numbers of the values in one file, keyed by their path inside the document.

    Pickled with its lines packed as bytes of their own, unpickled only when they are read
    (`_PackedLineMap`): the load cache keeps every file's map with its papers, and a build
    reads a map only to point at a problem. Ten years of papers have some 10,000 maps of
    tens of lines each: unpickling the meeting folders' units took 1.34 s with them and
    1.13 s without, and the build's memory after loading 100 MB less."""

    path: str
    lines: dict[Loc, int] = field(default_factory=dict)

    def __reduce__(self) -> tuple[Any, tuple[str, bytes]]:
        return _packed_map, (self.path, pickle.dumps(self.lines, pickle.HIGHEST_PROTOCOL))

    def __copy__(self) -> LineMap:
        return LineMap(self.path, self.lines)

    def __deepcopy__(self, memo: dict[int, Any]) -> LineMap:
        return LineMap(self.path, copy.deepcopy(self.lines, memo))

    def __eq__(self, other: object) -> bool:
        """Equal maps, packed or not."""
        if not isinstance(other, LineMap):
            return NotImplemented
        return (self.path, self.lines) == (other.path, other.lines)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass made it

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest parent that has one (e.g. a missing field)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line:
                return line
        return 0


class _PackedLineMap(LineMap):
    """A `LineMap` as unpickled: its lines are unpickled when first read, and pickled again
    as the same bytes while they were never read."""

    def __init__(self, path: str, packed: bytes) -> None:
        self.path = path
        self._packed: bytes | None = packed
        self._lines: dict[Loc, int] = {}

    @property  # type: ignore[override]
    def lines(self) -> dict[Loc, int]:
        if self._packed is not None:
            self._lines, self._packed = pickle.loads(self._packed), None
        return self._lines

    @lines.setter
    def lines(self, value: dict[Loc, int]) -> None:
        self._lines, self._packed = value, None

    def __reduce__(self) -> tuple[Any, tuple[str, bytes]]:
        if self._packed is not None:
            return _packed_map, (self.path, self._packed)
        return super().__reduce__()


def _packed_map(path: str, packed: bytes) -> LineMap:
    """A `LineMap` from its pickle (`LineMap.__reduce__`)."""
    return _PackedLineMap(path, packed)


@dataclass
class Problems:
    found: list[Problem] = field(default_factory=list)

    def add(
        self,
        where: LineMap | str,
        loc: Loc,
        message: str,
        line: int | None = None,
        level: str = ERROR,
    ) -> None:
        if isinstance(where, LineMap):
            path, number = where.path, where.line_of(loc) if line is None else line
        else:
            path, number = where, line or 0
        self.found.append(Problem(path, number, field_name(loc), message, level))

    def warn(self, where: LineMap | str, loc: Loc, message: str, line: int | None = None) -> None:
        """A doubt worth a clerk's look that does not stop the build."""
        self.add(where, loc, message, line=line, level=WARNING)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.level == WARNING]

    def __bool__(self) -> bool:
        """True when there are errors: warnings alone never stop a build."""
        return any(p.level == ERROR for p in self.found)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.found)))

    def __len__(self) -> int:
        return len(set(self.found))

    def extend(self, others: Iterable[Problem]) -> None:
        self.found.extend(others)


class DataError(Exception):
    """Raised once, after loading, when the data has problems; carries all of them."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__(format_problems(problems))


def format_problems(problems: Problems) -> str:
    lines = [str(p) for p in problems]
    count, warned = len(problems.errors), len(problems.warnings)
    summary = f"{count} problem{'s' if count != 1 else ''} found in the papers"
    if warned:
        summary += f", and {warned} warning{'s' if warned != 1 else ''}"
    lines.append(summary + ".")
    return "\n".join(lines)


def problems_as_json(problems: Problems) -> str:
    return json.dumps([asdict(p) for p in problems], indent=2)


def display_path(path: Path) -> str:
    """Paths relative to the working folder when they are below it: shorter, and no server paths.

    Symbolic links are not followed, so a link is named where the clerk sees it.
    """
    absolute = os.path.normpath(os.path.abspath(path))
    cwd = _resolved(os.getcwd())
    if absolute == cwd:
        return "."
    if cwd == "/" or absolute.startswith(cwd + os.sep):
        return absolute[len(cwd) :].lstrip(os.sep)
    return str(path)


@functools.lru_cache(maxsize=8)
def _resolved(folder: str) -> str:
    """The working folder with its links resolved: asked once, not for each of 40,000 files."""
    return str(Path(folder).resolve())
