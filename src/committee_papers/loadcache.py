"""A parse cache for loading the papers: unchanged files are not read, parsed or validated again.

Ten years of papers are some 40,000 files; reading, parsing and validating them all took most
of a minute, on every build and every `mkdocs serve` rebuild. The loader hands this cache
*units*: one body file, or one meeting folder (meeting.yml, minutes.yml, its reports,
appendices and earlier versions). A unit's result (the model objects, the line numbers of
every value, the problems found in those files alone) is kept in one SQLite file under
`.cache/load/`, keyed by the SHA-256 of every file of the unit, so:

- a unit is used only when every one of its files has the same bytes as when it was stored;
  a file is hashed again when its size, modification time, inode or change time differ, or
  when it was modified within `RACY_SECONDS` of being recorded (the "racy git" problem: an
  edit in the same clock tick keeps the time), so a touched but unchanged file is hashed,
  not parsed;
- a unit whose files have errors is never stored: it is read again on every load, so its
  mistakes are always reported from the files as they are;
- the cache is keyed by the code too (every source file of this package and the versions
  of Python, pydantic, PyYAML and holidays), by the data folder and by how paths are shown
  (the working folder), so a new version or another folder never sees another's entries;
- a cache that cannot be read (corrupt, locked, from another version) is ignored and
  rebuilt, never trusted: it only ever saves time.

Units holding a symbolic link are never cached (what a link points to can change without
the unit's files changing). The values are pickles the build itself wrote into the
project's own `.cache/` folder, as trusted as the code beside it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from .collector import turn_on

#: A file modified this close to being recorded may change again within the same clock tick.
RACY_SECONDS = 3.0

#: A data folder's cache not written for this long is removed when another is written.
STALE_DAYS = 14

#: How much of the cache file SQLite reads through a memory map (`LoadCache._open`).
MMAP_BYTES = 1 << 30

T = TypeVar("T")


@cache
def code_fingerprint() -> str:
    """Every source file of this package, the libraries whose objects are pickled, and
    `holidays`, whose answers are kept (workdays.remember_in)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".yml"} and path.is_file():
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    for name in ("pydantic", "pydantic_core", "PyYAML", "holidays"):
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover
            digest.update(name.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def cache_file(folder: Path | str, data: Path | str) -> Path:
    """The file in `folder` of the load cache of the data folder `data`: one a version of
    the code, data folder and working folder (the shown paths are kept in the values)."""
    from .problems import display_path

    key = "\0".join([code_fingerprint(), os.path.abspath(data), display_path(Path(data))])
    return Path(folder) / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.sqlite"


def _stat_key(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}:{stat.st_ctime_ns}"


@dataclass
class CacheStats:
    """What the last load took from the cache, for benchmarks and tests."""

    hits: int = 0
    misses: int = 0
    uncached: int = 0
    hashed: int = 0
    stored: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def warm(self) -> bool:
        """Most units came from the cache (a re-build), not from their files."""
        return self.hits > self.misses + self.uncached


@dataclass
class UnitMemory:
    """The units of the last load, kept in a long-lived process (`mkdocs serve`).

    A serve rebuild then takes an unchanged unit as the very objects it made last time:
    no SQLite read, no unpickling (1.5 s at 3,200 meetings), no write of the cache. The
    same rule decides as with the file: a unit is reused only while the SHA-256 of each of
    its files is the same (taken from the file's stat when that is unchanged and not racy).
    The loaded objects are never changed after loading (the projection copies what it
    changes), so handing the same ones to the next build is safe.
    """

    #: The data folder and cache they were loaded from: another folder starts afresh.
    source: tuple[str, str] | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    units: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    #: What the checks between files found in each paper (`links.check_links`).
    checks: dict[str, Any] = field(default_factory=dict)
    #: What a part of the data (the meeting folders) gave the last load (`load._Section`).
    sections: dict[str, Any] = field(default_factory=dict)
    #: Paths changed since the last load, as a watcher saw them (`servewatch.py`); None
    #: when not known: every file's stat is then checked.
    changed: set[str] | None = None


class LoadCache:
    """Results of loading units of the data folder, reused while their files are unchanged.

    `folder=None` gives a cache that computes every unit (the loader's behaviour without
    a cache). Use it as a context manager: what changed is written when the load ends.
    With `memory` (a `UnitMemory` the caller keeps between loads), a warm memory replaces
    the SQLite file entirely: units come from it and nothing is written.
    """

    def __init__(
        self, folder: Path | str | None, data: Path | str, memory: UnitMemory | None = None
    ) -> None:
        self.data = Path(data)
        self.root = os.path.abspath(data)
        self.stats = CacheStats()
        self.db: sqlite3.Connection | None = None
        self.files: dict[str, tuple[str, bytes]] = {}
        self.seen_files: dict[str, tuple[str, bytes]] = {}
        #: Units computed in this load, pickled one at a time when the cache is written.
        self.new_units: dict[str, tuple[bytes, Any]] = {}
        #: Pickles of new units made already (by a fork of the loader, loadfork.py).
        self.pickles: dict[str, bytes] = {}
        #: In a fork of the loader, the build process's connection, kept open (`detach`).
        self._parents_db: sqlite3.Connection | None = None
        self.seen_units: set[str] = set()
        self.path: Path | None = None
        self.memory = memory
        #: Units of this load (name -> (key, value)), for the memory.
        self.kept: dict[str, tuple[bytes, Any]] = {}
        if folder is not None:
            self.path = cache_file(folder, data)
        source = (self.root, str(self.path))
        if memory is not None and memory.source != source:
            memory.source, memory.files, memory.units = source, {}, {}
            memory.checks, memory.sections = {}, {}
        self.warm = memory is not None and bool(memory.files)
        if self.warm:
            assert memory is not None
            self.files = memory.files
        elif self.path is not None:
            self._open()

    def _open(self) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10)
            # Read through a memory map rather than read calls into SQLite's own cache: a
            # re-build reads some 290 MB of stored units at ten years of papers, 0.1 s
            # less so (the mapping goes when the load closes the file, in `save`). The file
            # is never truncated (no vacuum), which is what makes a mapping unsafe.
            db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            db.execute(
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, stat TEXT, sha BLOB)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS units (name TEXT PRIMARY KEY, key BLOB, value BLOB)"
            )
            self.files = {
                path: (stat, sha) for path, stat, sha in db.execute("SELECT * FROM files")
            }
            self.db = db
        except (sqlite3.Error, OSError, ValueError):
            self._discard()

    def _discard(self) -> None:
        """Forget a cache that cannot be read; it is written afresh at the end of the load."""
        if self.db is not None:
            self.db.close()
        self.db, self.files = None, {}
        if self.path is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # --- units ------------------------------------------------------------------------------

    def unit(self, name: str, paths: list[Path] | None, compute: Callable[[], tuple[T, bool]]) -> T:
        """The result of `compute()` for the unit `name` made of the files `paths`.

        `compute` returns its value and whether it may be stored (False when the files have
        errors). `paths=None` means the unit cannot be cached (it holds a symbolic link).
        """
        cached = self.path is not None or self.memory is not None
        key = self.key_of(paths) if cached and paths is not None else None
        if key is None:
            self.stats.uncached += 1
            return compute()[0]
        self.seen_units.add(name)
        stored = self._remembered(name, key)
        if stored is None and not self.warm:
            stored = self._stored(name, key)
        if stored is not None:
            self.take_stored(name, key, stored)
            return stored
        self.stats.misses += 1
        self.stats.missed.append(name)
        value, storable = compute()
        if storable:
            self.kept[name] = (key, value)
            if not self.warm and self.path is not None:
                # Pickled when written, not now: ten years of papers pickled at once held
                # some 300 MB of pickles beside the papers (the loaded objects are never
                # changed after loading, so the pickle is the same either way).
                self.new_units[name] = (key, value)
        return value

    @property
    def cold(self) -> bool:
        """Nothing to go on: no file known, so every unit is read (loadfork.py)."""
        return not self.files and not self.warm

    def detach(self) -> None:
        """In a fork of the loader: read no unit from the cache file (the SQLite connection
        belongs to the build process; it is kept, not closed, and the fork ends without
        closing it), and count afresh what this process loads."""
        self._parents_db, self.db = self.db, None
        self.stats = CacheStats()

    def adopt(self, name: str, key: bytes, value: Any, pickled: bytes) -> None:
        """Keep the unit `name` that a fork computed from files whose key is `key`, as
        `unit` keeps one it computed (`pickled` is stored as it is)."""
        self.kept[name] = (key, value)
        if not self.warm and self.path is not None:
            self.new_units[name] = (key, value)
            self.pickles[name] = pickled

    def absorb(
        self,
        stats: CacheStats,
        seen_files: dict[str, tuple[str, bytes]],
        seen_units: set[str],
    ) -> None:
        """Count what a fork's load of some units found, as if this load had done it."""
        self.stats.hits += stats.hits
        self.stats.misses += stats.misses
        self.stats.uncached += stats.uncached
        self.stats.hashed += stats.hashed
        self.stats.missed.extend(stats.missed)
        self.seen_files.update(seen_files)
        self.seen_units |= seen_units

    def touched_folders(self, parent: Path) -> set[str] | None:
        """Names of the folders in `parent` with a changed path, when a watcher told which
        paths changed since the last load (None: not known, check every file)."""
        if not self.warm or self.memory is None or self.memory.changed is None:
            return None
        inside = os.path.abspath(parent) + os.sep
        return {
            path[len(inside) :].split(os.sep, 1)[0]
            for path in self.memory.changed
            if path.startswith(inside)
        }

    def kept_unit(self, name: str) -> Any | None:
        """The remembered value of a unit none of whose files changed (the caller knows from
        `touched_folders`), or None when there is none: it is then loaded as usual."""
        known = self.memory.units.get(name) if self.warm and self.memory is not None else None
        if known is None:
            return None
        self.take_stored(name, *known)
        return known[1]

    def keep_units(self, names: Iterable[str]) -> None:
        """Keep the remembered units `names`, none of whose files changed (the caller knows
        from `touched_folders`), as `kept_unit` keeps one."""
        assert self.memory is not None
        remembered, count = self.memory.units, 0
        for name in names:
            self.kept[name] = remembered[name]
            self.seen_units.add(name)
            count += 1
        self.stats.hits += count

    def stored_units(self, prefix: str) -> dict[str, tuple[bytes, Any]]:
        """Every stored unit whose name starts with `prefix`, unpickled, with its key, read
        before it is known whether their files are unchanged (loadfork.ReadAhead). Read a
        row at a time: ten years of meeting folders are some 290 MB of pickles, never held
        at once. A row that cannot be read is left out (it is loaded from its files)."""
        found: dict[str, tuple[bytes, Any]] = {}
        if self.db is None:
            return found
        # Names of one kind sort together: "meeting:" up to the next character, ";".
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        try:
            with no_gc():
                for name, key, blob in self.db.execute(
                    "SELECT name, key, value FROM units WHERE name >= ? AND name < ?",
                    (prefix, end),
                ):
                    with contextlib.suppress(Exception):  # damaged: loaded from its files
                        found[name] = (key, pickle.loads(blob))
        except sqlite3.Error:
            pass
        return found

    def take_stored(self, name: str, key: bytes, value: Any) -> None:
        """Keep the unit `name`, stored or remembered under the key `key` its files still
        have: `unit` and `kept_unit` take theirs so, and a read-ahead (`stored_units`) its."""
        self.seen_units.add(name)
        self.stats.hits += 1
        self.kept[name] = (key, value)

    def _remembered(self, name: str, key: bytes) -> Any | None:
        if self.memory is None:
            return None
        known = self.memory.units.get(name)
        return known[1] if known is not None and known[0] == key else None

    def _stored(self, name: str, key: bytes) -> Any | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT key, value FROM units WHERE name = ?", (name,)).fetchone()
            if row is None or row[0] != key:
                return None
            return unpickled(row[1])
        except Exception:  # a damaged row or file: compute it again, never trust it
            return None

    def key_of(self, paths: list[Path]) -> bytes | None:
        """The key of a unit made of the files `paths`: the SHA-256 of each by its path, or
        None when one cannot be read."""
        return _unit_key(self._sha(path) for path in sorted(paths))

    def folder_key(self, folder: Path) -> bytes | None:
        """`key_of(unit_files(folder))`, worked out on plain strings: a warm load's fork
        keys every meeting folder (42,000 files at ten years of papers) while the build
        process reads the stored units, and the paths made, normalised and compared as
        `Path`s twice a file were half of its 0.6 s of CPU. None as `key_of` or
        `unit_files` give it (a symbolic link, a file unread)."""
        if os.path.islink(folder):
            return None
        top = os.path.abspath(folder)
        found = _file_entries(top)
        if found is None:
            return None
        # The order `sorted(paths)` gives `Path`s: by their parts, not their text.
        found.sort(key=lambda entry: entry.path.split(os.sep))
        cut = len(self.root) + 1 if (top + os.sep).startswith(self.root + os.sep) else 0
        return _unit_key(self._entry_sha(entry, entry.path[cut:]) for entry in found)

    def _entry_sha(self, entry: os.DirEntry[str], rel: str) -> tuple[str, bytes | None]:
        """`_sha` of a listed file, from the listing's own stat (the lstat `_sha` takes)."""
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError:  # gone meanwhile: no key, as `_sha` gives none
            return rel, None
        return rel, self._sha_of(entry.path, rel, stat)

    def _relative(self, path: Path) -> str:
        text = os.path.abspath(path)
        return text[len(self.root) + 1 :] if text.startswith(self.root + os.sep) else text

    def _sha(self, path: Path) -> tuple[str, bytes | None]:
        """A file's path relative to the data folder, and the SHA-256 of its bytes, from
        its recorded stat when that is still the same (None: it cannot be read)."""
        rel = self._relative(path)
        try:
            stat = os.stat(path, follow_symlinks=False)
        except OSError:
            return rel, None
        return rel, self._sha_of(path, rel, stat)

    def _sha_of(self, path: str | Path, rel: str, stat: os.stat_result) -> bytes | None:
        key = _stat_key(stat)
        known = self.files.get(rel)
        if known is not None and known[0] == key:
            self.seen_files[rel] = known
            return known[1]
        try:
            with open(path, "rb") as file:
                sha = hashlib.file_digest(file, "sha256").digest()  # in chunks: any size
        except OSError:
            return None
        self.stats.hashed += 1
        racy = time.time_ns() - stat.st_mtime_ns < RACY_SECONDS * 1e9
        self.seen_files[rel] = ("" if racy else key, sha)
        return sha

    # --- writing ----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the units computed in this load and forget units and files no longer seen."""
        if self.memory is not None:
            if self.memory.changed is not None and self.warm:
                # Files of units taken whole from memory were not looked at: keep their stat.
                self.memory.files.update(self.seen_files)
            else:
                self.memory.files = self.seen_files
            self.memory.units = self.kept
        if self.path is None or self.warm:
            return
        try:
            if self.db is None:
                self._discard()
                self._open()
            if self.db is None:
                return
            with self.db:
                # Only the rows that changed: a re-build of ten years of papers sees some
                # 40,000 files, nearly all as they were (rewriting all took 0.1 s).
                known, seen = self.files, self.seen_files
                self.db.executemany(
                    "DELETE FROM files WHERE path = ?", [(path,) for path in known - seen.keys()]
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                    [
                        (path, stat, sha)
                        for path, (stat, sha) in seen.items()
                        if known.get(path) != (stat, sha)
                    ],
                )
                names = {row[0] for row in self.db.execute("SELECT name FROM units")}
                self.db.executemany(
                    "DELETE FROM units WHERE name = ?", [(n,) for n in names - self.seen_units]
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO units VALUES (?, ?, ?)",
                    (
                        (name, key, self.pickles.get(name) or pickled(value))
                        for name, (key, value) in self.new_units.items()
                    ),
                )
            self.stats.stored = len(self.new_units)
            _prune(self.path)
        except (sqlite3.Error, OSError):
            pass  # another build holds it, or the disk is full: the next load computes again
        finally:
            if self.db is not None:
                self.db.close()
                self.db = None

    def __enter__(self) -> LoadCache:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.save()
        elif self.db is not None:
            self.db.close()
            self.db = None


def _prune(kept: Path) -> None:
    """Remove the caches of data folders not loaded for `STALE_DAYS` (e.g. tests' folders)."""
    stale = time.time() - STALE_DAYS * 86400
    for path in kept.parent.glob("*.sqlite"):
        with contextlib.suppress(OSError):
            if path != kept and path.stat().st_mtime < stale:
                path.unlink()


def pickled(value: Any) -> bytes:
    """A unit as the cache stores it."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpickled(blob: bytes) -> Any:
    """A unit from its stored pickle, with no cycle collection while its objects are made."""
    with no_gc():
        return pickle.loads(blob)


@contextmanager
def no_gc() -> Iterator[None]:
    """No cycle collection while millions of objects are made and kept.

    Python's collector runs every 700 new objects and walks the older ones again and again;
    loading ten years of papers creates millions of objects that all live until the build
    ends, so collecting meanwhile frees nothing and cost a large part of loading. After a
    large load the objects alive are frozen (`gc.freeze`): the collector no longer walks
    them, which cost seconds at each full collection of the build. Reference counting still
    frees them when they are dropped (the papers hold no reference cycles). Small loads (the
    tests load small councils hundreds of times) leave the collector as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            turn_on()  # what a large load made frozen first (collector.FREEZE_AFTER)


def _unit_key(shas: Iterable[tuple[str, bytes | None]]) -> bytes | None:
    """A unit's key from each of its files' relative path and SHA-256, in order; None at
    the first file that cannot be read (the rest are not asked)."""
    digest = hashlib.sha256()
    for rel, sha in shas:
        if sha is None:
            return None
        digest.update(rel.encode() + b"\0" + sha)
    return digest.digest()


def _file_entries(top: str) -> list[os.DirEntry[str]] | None:
    """The listing entry of every file below the folder `top`, or None when a symbolic link
    (or a pipe, a device) is among them."""
    found: list[os.DirEntry[str]] = []
    folders = [top]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return None
                if entry.is_dir():
                    folders.append(entry.path)
                elif entry.is_file():
                    found.append(entry)
                else:  # a pipe or device: the loader refuses it, each time
                    return None
    return found


def unit_files(folder: Path) -> list[Path] | None:
    """Every file below `folder`, or None when a symbolic link is among them (not cached)."""
    if os.path.islink(folder):
        return None
    found = _file_entries(str(folder))
    return None if found is None else [Path(entry.path) for entry in found]
