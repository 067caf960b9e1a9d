"""A cold load's meeting folders, read by two processes.

A build with no load cache to go on reads and validates every file. That happens on the
first build of an archive, and on the first build after an upgrade, whose code keys a new
cache. It took 24 s at 3,200 meetings on one core while the other had nothing to do.

So a fork of the loader reads the later part of the meeting folders. It sends back each
folder's unit pickled, as the load cache stores it. Meanwhile the build process reads the
earlier part. Then it takes the fork's units as if it had loaded them itself
(`LoadCache.adopt`), in the folders' order, and the cache stores the fork's pickles as
they are.

A fork that fails to answer (killed, out of memory, an error) has its folders read by the
build process instead: the result is the same either way, only slower. A load with
anything in its cache, a small one, `mkdocs serve`'s, or one on a machine with one core
is not forked.

A warm load (a re-build: nearly every folder unchanged) has little to read but still two
things to do for every folder: work out its key (the stat of each of its files, some
40,000 at ten years of papers) and unpickle its stored unit (some 290 MB). Neither needs
the other until they are compared, so a fork works out the keys (`ReadAhead`) while the
build process unpickles every stored unit ahead; a unit is then taken only where the
fork's key is the stored one, and every other folder is loaded by the build process as
before. A fork that does not answer leaves every folder to the build process.

The checks between files (references, deadlines, links, placeholders: 0.8 s at ten years of
papers) read the papers loaded and add problems, nothing else, so a build runs them in a
fork too (`ChecksBeside`) while the build process saves its load cache and projects the
papers; it takes their problems before it goes on, and lists them with the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import forked
from .loadcache import CacheStats, LoadCache, pickled, unpickled
from .problems import Problem

#: Fewer meeting folders to read than this are read by the build process alone: a fork
#: and the pickles of its units cost more than a few hundred folders take to read.
FORK_UNITS = 200
#: The fork's part: the last folders, a little under half, as it also pickles its units.
FORK_SHARE = 0.45

#: What loading one folder gives: its unit (or None) and the problems found outside it.
Loaded = tuple[Any, list[Problem]]


@dataclass
class _Answer:
    """What the fork sends back: each folder's unit pickled, and what its cache learnt."""

    units: dict[str, tuple[bytes, list[Problem]]] = field(default_factory=dict)
    stats: CacheStats = field(default_factory=CacheStats)
    kept: dict[str, bytes] = field(default_factory=dict)
    seen_files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    seen_units: set[str] = field(default_factory=set)


class Fork:
    """The fork reading `names` (unit names), and what it handed back."""

    def __init__(self, names: list[str], units: LoadCache, load: Callable[[str], Loaded]) -> None:
        self.names = set(names)
        self.units = units
        self.child = forked.Forked(_loaded, names, units, load, name="papers-load")
        self.answer: _Answer | None = None
        self.done = False

    def take(self, name: str) -> Loaded | None:
        """The unit `name` as the fork loaded it, taken into the load cache; None when the
        fork did not load it (then the caller loads it)."""
        if name not in self.names:
            return None
        answer = self._answer()
        if answer is None or name not in answer.units:
            return None
        blob, problems = answer.units.pop(name)
        unit = unpickled(blob)
        key = answer.kept.get(name)
        if key is not None:
            self.units.adopt(name, key, unit, blob)
        return unit, problems

    def _answer(self) -> _Answer | None:
        if not self.done:
            self.done = True
            self.answer = self.child.answer()[1]
            if self.answer is not None:
                self.units.absorb(self.answer.stats, self.answer.seen_files, self.answer.seen_units)
        return self.answer


def _second_core() -> bool:
    """Whether a fork can work beside the build process: the system forks, and has a
    second core for it (on one, a fork only splits the same core and costs its start)."""
    return (os.cpu_count() or 1) >= 2 and forked.available()


def start(names: list[str], units: LoadCache, load: Callable[[str], Loaded]) -> Fork | None:
    """A fork reading the last part of `names`, when the load is cold and large enough.
    Not in `mkdocs serve` (a load with a memory): its server's threads are running, and a
    fork copies none of them, only the locks they may hold; it loads cold once a start."""
    if len(names) < FORK_UNITS or not units.cold or units.memory is not None or not _second_core():
        return None
    share = names[len(names) - int(len(names) * FORK_SHARE) :]
    try:
        return Fork(share, units, load)
    except OSError:  # no second process to be had: the build process reads them all
        return None


def _loaded(names: list[str], units: LoadCache, load: Callable[[str], Loaded]) -> _Answer:
    """In the fork: load `names` with the cache reading no unit from its file."""
    units.detach()
    answer = _Answer()
    for name in names:
        unit, problems = load(name)
        answer.units[name] = (pickled(unit), problems)
    answer.stats = units.stats
    answer.kept = {name: units.kept[name][0] for name in names if name in units.kept}
    answer.seen_files = units.seen_files
    answer.seen_units = units.seen_units
    return answer


@dataclass
class _Keys:
    """What the key fork sends back: each unit's key (None: not to be taken from the
    cache), and what its cache learnt of the files' stat."""

    keys: dict[str, bytes | None] = field(default_factory=dict)
    stats: CacheStats = field(default_factory=CacheStats)
    seen_files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class ReadAhead:
    """A warm load's stored units, unpickled here while a fork works out the keys of
    their folders' files (`key_of(name)`: None where the unit is not to be taken from the
    cache, e.g. a link leading outside the data folder)."""

    def __init__(
        self, names: list[str], units: LoadCache, key_of: Callable[[str], bytes | None]
    ) -> None:
        self.units = units
        self.child = forked.Forked(_keyed, names, units, key_of, name="papers-keys")
        self.stored = units.stored_units("meeting:")
        self.keys: dict[str, bytes | None] | None = None

    def take(self, name: str) -> Any | None:
        """The stored unit `name` when its files still have its key, taken into the load
        cache; None otherwise (the caller loads it)."""
        if self.keys is None:
            done, answer = self.child.answer()
            self.keys = {}
            if done and answer is not None:
                self.keys = answer.keys
                self.units.absorb(answer.stats, answer.seen_files, set())
        key = self.keys.get(name)
        stored = self.stored.pop(name, None)
        if key is None or stored is None or stored[0] != key:
            return None
        self.units.take_stored(name, key, stored[1])
        return stored[1]


def read_ahead(
    names: list[str], units: LoadCache, key_of: Callable[[str], bytes | None]
) -> ReadAhead | None:
    """A `ReadAhead` of the units `names`, for a warm build's load of enough folders: not
    a cold one (`start`), not `mkdocs serve`'s (its memory holds the units already), not
    on one core."""
    if (
        len(names) < FORK_UNITS
        or units.cold
        or units.db is None
        or units.memory is not None
        or not _second_core()
    ):
        return None
    try:
        return ReadAhead(names, units, key_of)
    except OSError:  # no second process to be had: the build process does it all
        return None


def _keyed(names: list[str], units: LoadCache, key_of: Callable[[str], bytes | None]) -> _Keys:
    """In the fork: the key of each unit `names`, the cache reading no unit."""
    units.detach()
    keys = {name: key_of(name) for name in names}
    return _Keys(keys, units.stats, units.seen_files)


class ChecksBeside:
    """`check()` (the checks between files of a load) run by a fork while the build
    process goes on; `found()` waits for its problems, or checks here when it did not
    answer."""

    def __init__(self, check: Callable[[], list[Problem]]) -> None:
        self._check = check
        self._found: list[Problem] | None = None
        self.child = forked.Forked(check, name="papers-checks")

    def found(self) -> list[Problem]:
        """The problems the checks found (the same either way), waited for once."""
        if self._found is None:
            self._found = self.child.result(self._check)
        return self._found


def checks_beside(check: Callable[[], list[Problem]]) -> ChecksBeside | None:
    """A `ChecksBeside`, where the system forks and has a second core; None elsewhere
    (the caller checks there and then)."""
    if not _second_core():
        return None
    try:
        return ChecksBeside(check)
    except OSError:  # no second process to be had
        return None
