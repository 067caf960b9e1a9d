"""The page cache: each generated page's final HTML, reused while nothing it shows changed.

Past meetings do not change, so most pages of an archive come out of a build byte for byte
as they went in. Drawing them again (the engine's HTML, then the theme) is most of a build.
The cache keeps each generated page's final HTML with two things:

- a **static key**: a hash of everything outside the data that shapes the page (the build's
  settings, the theme and templates, the package's own code and its libraries' versions, the
  council's `site.yml`, all folded into one *global key*) and of the page itself (its
  address, its front matter, and the papers its drawing function was handed);
- a **record of its reads** (tracing.py): which papers the drawing looked up, which whole
  collections it walked, which queries it asked with their answers, and how it used the
  as-of date, each with a fingerprint of what it saw.

A later build reuses the HTML when the static key is equal and every recorded read gives the
same fingerprint again. Replaying reads is cheap (the fingerprints of every paper of a
500-meeting archive cost 0.1 s; drawing one page costs about 8 ms of engine and more of
theme), and since the record is made by the drawing itself rather than guessed from the data,
a page whose inputs changed is never reused. `PAPERS_PAGE_CACHE_VERIFY=1` proves it on a
build: every reused page is drawn again and must give the same engine HTML.

The cache is a folder (`.cache/pages/` beside mkdocs.yml by default) holding one
sub-folder per global key: `index.pickle` (address -> entry) and the HTML files named by
their own hash, which are never written in place. Nothing here imports MkDocs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import importlib.metadata
import logging
import mmap
import os
import pickle
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from . import forked, placing, tracing
from .cachefolders import modified
from .leakparts import Segment
from .model import Papers

log = logging.getLogger("mkdocs.plugins.committee_papers")

#: Bumped when the format of the index or the meaning of a key changes.
FORMAT = 2
#: Libraries whose version changes the bytes of a page.
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-macros-plugin",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "markupsafe",
    "pydantic",
    "pygal",
)
#: Collections of the projected model whose reads are recorded, by name.
MODEL_COLLECTIONS = ("people", "bodies", "meetings", "reports", "decisions", "forward_plan")
#: The laid-out PDFs' lookups (page ranges, packs, report PDFs), when packs are built.
PDF_COLLECTIONS = ("packs", "ranges", "reports")
#: Global-key folders kept (a build and `mkdocs serve` each use their own); others are
#: removed once unused for STALE_KEY_SECONDS (another build may be reading them).
KEEP_KEYS = 4
STALE_KEY_SECONDS = 3600
#: HTML files no entry names are removed once this old (a concurrent build may still use them).
STALE_BLOB_SECONDS = 24 * 3600
#: The folder is cleared out (`_prune`) by a build when it last was this long ago: doing so
#: lists every file of it (some 100,000 at ten years of papers, 0.25 s at the end of every
#: re-build), where what it removes has been unused for an hour or a day.
PRUNE_EVERY_SECONDS = 3600
#: The file whose time says when the folder was last cleared out.
PRUNED = ".pruned"
#: A page's copy that a build reuses is marked in use (its time of change set to now) when
#: last marked longer ago than this: marking all 45,000 of ten years of papers on every
#: build cost 0.5 s, where looking at their times costs a tenth of that.
MARK_AFTER_SECONDS = STALE_BLOB_SECONDS // 4
#: The files of a global key's folder that are not pages: the entries, and the fingerprints
#: of papers as loaded (Fingerprints.known).
INDEX = "index.pickle"
PRINTS = "prints.pickle"
#: Fingerprints kept of keys no paper has any more, beyond a quarter of the papers, before
#: they are dropped (`Fingerprints.to_keep`): a small archive's edits are few.
STALE_PRINTS_ALLOWED = 1_000
#: The index's changes since it was last written whole: the reads added, the entries
#: added or changed, the pages gone (`PageCache._delta`).
DELTA = "index-delta.pickle"
#: The index is written whole again once its changes reach this share of it (reads or
#: entries). Pickling the whole of ten years of papers' index in a fork took 0.9 s of the
#: guard's step on every re-build, where a new meeting changes some 60 entries and adds
#: some 1,500 reads: its changes are written in 0.02 s.
DELTA_SHARE = 0.1
#: What the index and fingerprints are written as (then a name of the build's own) before
#: the build has passed (`save_beside`).
PENDING = ".pending"
VERIFY_ENV = "PAPERS_PAGE_CACHE_VERIFY"
#: Cached pages placed by helper processes (`PageCache.place_beside`) from this many on.
PLACE_APART = 2_000
#: Helpers placing them, each a share of the pages in order. A link waits for the disk when
#: the files are no longer in the system's memory (the cache's folder, the copy's inode,
#: the page's folder): at ten years of papers one process took 4.7 s to place 45,000 pages
#: after the system had dropped its cached files, while a re-build's pages step waited.
PLACE_HELPERS = 4


class OutputsMade(NamedTuple):
    """What making the output files through the cache changed in it, as a fork hands it
    back (buildfork.py, `PageCache.take_outputs`): each file made afresh (its static
    key, its reads as (read, fingerprint) pairs, its engine digest, its stored copy's
    name), every file made or reused, how many were reused, the larger outputs' parts
    used, the fingerprints of papers as loaded that were learnt on the way, and the
    larger outputs' segments (`PageCache.compose`)."""

    made: dict[str, tuple[bytes, tuple[tuple[Any, ...], ...], bytes, str]]
    outputs: set[str]
    reused: int
    pieces: set[str]
    learnt: dict[bytes, bytes]
    composed: dict[str, tuple[Segment, ...]] | None = None


_ABSENT = b"absent"

#: Fields of a paper that no page shows, left out of its fingerprint: where it was read
#: from, named as messages name files (relative to where the command runs, so a build run
#: from another folder would otherwise see every meeting changed: 8,151 pages of ten years
#: drawn again with nothing changed).
NOT_SHOWN = frozenset({"source"})


class StaleCacheError(RuntimeError):
    """Under PAPERS_PAGE_CACHE_VERIFY, a reused page's engine HTML differs from a fresh one."""


class Entry(NamedTuple):
    """One page or output file: its static key, the reads it made (numbers of the cache's
    table of reads, `PageCache.table`), a digest of its engine HTML, its stored copy.
    A tuple, kept in the index as a plain tuple: at ten years of papers the index's
    102,000 entries and its table load in 0.3 s, where dataclasses holding every page's
    reads took 2.4 s."""

    static: bytes
    reads: tuple[int, ...]
    engine: bytes
    blob: str


@dataclass
class Plan:
    """What the cache decided for one build: the pages it serves and the ones to draw."""

    hits: dict[str, Entry] = field(default_factory=dict)
    statics: dict[str, bytes] = field(default_factory=dict)
    #: The inode of each hit's copy, as the check found it (siteskeleton.Kept.holds).
    inodes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _digest(*parts: bytes) -> bytes:
    """The parts' hash, each part told by its length. SHA-256, cut to 16 bytes: it takes
    every drawn page's engine HTML and every output file made (some 2 GB in a first build
    of ten years of papers), and where the processor computes it (SHA-NI, ARMv8's SHA2) it
    is twice as fast as BLAKE2b on pages' sizes (8.7 us against 16.2 us for 15 KB here),
    and as fast on a few bytes."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()[:16]


#: What a read of the table gives in this build, as `PageCache._fresh` holds it: not asked
#: yet, the same as when recorded, or something else.
_UNASKED, _SAME, _OTHER = 0, 1, 2


def _answers(count: int) -> mmap.mmap:
    """`count` answers, all `_UNASKED`, in memory shared with every fork made after (an
    anonymous shared mapping): a re-build's fork checks the output files against the same
    table of reads while this process checks the pages (buildfork.py), and they share
    57,000 of their reads at ten years of papers. Each read gives the same answer in
    either process (the same papers, date and code), so whichever asks a read first
    answers it for both; a byte is written whole, so the other sees it unasked or
    answered."""
    return mmap.mmap(-1, max(count, 1))


def library_versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


def folder_digest(folders: Iterable[Path]) -> bytes:
    """A hash of the names and bytes of every file under `folders` (theme overrides,
    templates, this package's code): editing any of them changes every page's key."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            h.update(f"missing:{folder}".encode())
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return h.digest()


class Fingerprints:
    """Fingerprints of values the drawing of pages saw, memoised for one build.

    A paper (a pydantic model) is fingerprinted field by field once per build; the memo keeps
    the object alive so its id is never reused by another object within the build.
    """

    def __init__(
        self,
        origins: dict[int, tuple[Any, bytes]] | None = None,
        known: dict[bytes, bytes] | None = None,
    ) -> None:
        self._models: dict[int, tuple[Any, bytes]] = {}
        self._collections: dict[int, tuple[Any, bytes]] = {}
        self._frozen: dict[int, tuple[Any, bytes]] = {}
        self._busy: set[int] = set()
        #: Papers as loaded from the load cache's units, by id, with a key naming their
        #: files (load.origins), and the fingerprints of such keys from the last build: a
        #: paper still as loaded from unchanged files has the fingerprint it had then.
        self.origins = origins or {}
        self.known = known or {}
        #: The fingerprints of this build's papers by those keys that were not `known`:
        #: made here, or taken from a process that made them. The next build is given
        #: these and the `known` ones of papers still loaded from the same files
        #: (`to_keep`), so a fork hands back only what it made (some hundreds of papers
        #: for a new meeting, where it had handed back the 90,000 it read).
        self.learnt: dict[bytes, bytes] = {}
        #: Asked once, before the first frozen dataclass of the kinds awaited is
        #: fingerprinted here, to give their fingerprints made elsewhere
        #: (`take_frozen_prints`; `awaiting`).
        self._awaited: Callable[[], Any] | None = None
        self._awaited_kinds: tuple[type, ...] = ()

    def of(self, value: Any) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value, 0)
        return h.digest()

    def prime(self, papers: Papers) -> None:
        """Fingerprint every paper of `papers` now, in the order of MODEL_COLLECTIONS.

        A first build has no fingerprints from a last one, and three processes drew from
        the same papers (the build process, the pages' worker, the fork making the
        outputs): each fingerprinted every paper it read from scratch, some 3.3 s of CPU
        each at ten years of papers. Primed once in the build process, the memo is the
        worker's too (forked later), and the fork is handed what it learnt (`learnt`,
        buildfork.BuildFork.go). A re-build knows its papers' fingerprints (`known`)."""
        for name in MODEL_COLLECTIONS:
            for value in dict.values(getattr(papers, name)):
                self.of(value)

    def frozen_prints(self, values: Iterable[Any]) -> list[bytes]:
        """The fingerprint of each frozen dataclass of `values` as a field of another value
        gives it, in order, for a process holding the same values (`take_frozen_prints`)."""
        return [self._dataclass(value, 0) for value in values]

    def awaiting(self, take: Callable[[], Any], kinds: tuple[type, ...]) -> None:
        """Have `take` called once, just before the first frozen dataclass of `kinds` not
        known here is fingerprinted, to give their fingerprints (`take_frozen_prints`): a
        re-build's fork sends the decisions register's while the build process checks its
        page cache, and most pages read no decision, so the check waits for them only when
        a page does (it waited 0.4 s before its first page at ten years of papers). Only
        for `kinds`: the search page's choices, another frozen dataclass, came first and
        the check waited 0.45 s there for prints it did not need."""
        self._awaited, self._awaited_kinds = take, kinds

    def take_frozen_prints(self, values: Iterable[Any], prints: Iterable[bytes]) -> None:
        """Take `frozen_prints` another process made of the same frozen dataclasses: a
        re-build's fork fingerprints the decisions register for its feeds and open data,
        and the build process checks its year and month pages against the same register
        (25,000 decisions, 0.7 s of CPU at ten years of papers)."""
        for value, digest in zip(values, prints, strict=True):
            if not type(value).__dataclass_params__.frozen:
                raise TypeError(f"not a frozen dataclass: {type(value).__qualname__}")
            self._frozen[id(value)] = (value, digest)

    def model(self, obj: BaseModel) -> bytes:
        """Every field of a paper, those left out of its JSON (a report's text, a meeting's
        minutes) included; a reference back to a paper being fingerprinted counts as its
        type only (a version names its report)."""
        found = self._models.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        if id(obj) in self._busy:
            return b"cycle:" + type(obj).__qualname__.encode()
        origin = self.origins.get(id(obj))
        if origin is not None and origin[0] is obj:
            digest = self.known.get(origin[1])
            if digest is None:
                digest = self.learnt[origin[1]] = self._model(obj)
            self._models[id(obj)] = (obj, digest)
            return digest
        return self._model(obj)

    def to_keep(self) -> dict[bytes, bytes]:
        """The fingerprints for the next build (`known` then): those `known` and those
        learnt in this one; empty when nothing was learnt (the next build has `known` as
        it is). A paper's key names its files, so an edited unit's papers leave their old
        keys behind: once those are more than a quarter as many as the papers (and
        `STALE_PRINTS_ALLOWED`), only the keys of this build's papers are kept (a pass over
        every key, not made on every build)."""
        if not self.learnt:
            return {}
        kept = {**self.known, **self.learnt}
        if len(kept) > len(self.origins) * 5 // 4 + STALE_PRINTS_ALLOWED:
            current = {key for _, key in self.origins.values()}
            kept = {key: digest for key, digest in kept.items() if key in current}
        return kept

    def _model(self, obj: BaseModel) -> bytes:
        self._busy.add(id(obj))
        try:
            h = hashlib.blake2b(digest_size=16)
            h.update(type(obj).__qualname__.encode())
            for name, value in obj.__dict__.items():
                if name in NOT_SHOWN:
                    continue
                h.update(name.encode() + b"=")
                self._feed(h, value, 0)
            self._feed(h, obj.__pydantic_extra__, 0)
            digest = h.digest()
        finally:
            self._busy.discard(id(obj))
        self._models[id(obj)] = (obj, digest)
        return digest

    def _dataclass(self, value: Any, depth: int) -> bytes:
        """Every field of a dataclass; kept for the build when it is frozen (a decision of
        the register is fingerprinted by its year page, its month page and its open data)."""
        frozen = type(value).__dataclass_params__.frozen
        if frozen:
            found = self._frozen.get(id(value))
            if (
                found is None
                and self._awaited is not None
                and isinstance(value, self._awaited_kinds)
            ):
                take, self._awaited = self._awaited, None
                take()
                found = self._frozen.get(id(value))
            if found is not None and found[0] is value:
                return found[1]
        h = hashlib.blake2b(digest_size=16)
        h.update(type(value).__qualname__.encode())
        for name in _field_names(type(value)):
            self._feed(h, getattr(value, name), depth + 1)
        digest = h.digest()
        if frozen:
            self._frozen[id(value)] = (value, digest)
        return digest

    def collection(self, mapping: dict[Any, Any]) -> bytes:
        found = self._collections.get(id(mapping))
        if found is not None and found[0] is mapping:
            return found[1]
        digest = self.of(dict(dict.items(mapping)))
        self._collections[id(mapping)] = (mapping, digest)
        return digest

    def _feed(self, h: Any, value: Any, depth: int) -> None:
        if depth > 50:
            raise ValueError("value too deep to fingerprint")
        # The common exact types first, fed as the general branches below feed them: a
        # ten-year archive's papers are some ten million values, and the chain of
        # isinstance tests was most of the cost of checking the cache.
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data) + data)
            return
        if kind is list or kind is tuple:
            h.update(b"l%d:" % len(value))
            for item in value:
                self._feed(h, item, depth + 1)
            return
        if kind is int or kind is float:
            h.update(b"n" + repr(value).encode() + b";")
            return
        if kind is dict:
            h.update(b"D%d:" % len(value))
            for key, item in value.items():
                self._feed(h, key, depth + 1)
                self._feed(h, item, depth + 1)
            return
        if kind is dt.date:
            h.update(b"d" + dt.date.isoformat(value).encode())
            return
        if value is None:
            h.update(b"N")
            return
        # The rest by the sort of their type, worked out once a type (`_sort_of`): a
        # paper, an enum, a flag or a frozen dataclass took a chain of isinstance tests
        # each time, some 600,000 values for the decisions register alone.
        sort = _SORTS.get(kind)
        if sort is None:
            sort = _SORTS[kind] = _sort_of(value)
        if sort == _MODEL:
            h.update(b"m" + self.model(value))
        elif sort == _ENUM:
            h.update(b"E" + kind.__qualname__.encode())
            self._feed(h, value.value, depth + 1)
        elif sort == _BOOL:
            h.update(b"T" if value else b"F")
        elif sort == _DATACLASS:
            h.update(b"c" + self._dataclass(value, depth))
        elif sort == _NUMBER:
            h.update(b"n" + repr(value).encode() + b";")
        elif sort == _STR:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data) + data)
        elif sort == _BYTES:
            h.update(b"b%d:" % len(value) + value)
        elif sort == _DATETIME:
            h.update(b"t" + dt.datetime.isoformat(value).encode())
        elif sort == _DATE:
            h.update(b"d" + dt.date.isoformat(value).encode())
        elif sort == _TIME:
            h.update(b"h" + value.isoformat().encode())
        elif sort == _LIST:
            h.update(b"l%d:" % len(value))
            for item in value:
                self._feed(h, item, depth + 1)
        elif sort == _DICT:
            h.update(b"D%d:" % dict.__len__(value))
            for key, item in dict.items(value):
                self._feed(h, key, depth + 1)
                self._feed(h, item, depth + 1)
        elif sort == _SET:
            h.update(b"S%d:" % len(value))
            for digest in sorted(self.of(item) for item in value):
                h.update(digest)
        elif sort == _RENDERER:
            h.update(b"R")  # the drawing machinery: its code and templates are in the global key
        elif sort == _CALLABLE:
            self._feed_callable(h, value, depth)
        else:
            # Unknown: its type and repr. A repr with an address only costs a redraw.
            h.update(b"r" + kind.__qualname__.encode() + repr(value).encode())

    def _feed_callable(self, h: Any, fn: Any, depth: int) -> None:
        """A drawing function: its code and everything it was given (defaults, closure)."""
        code = getattr(fn, "__code__", None)
        if code is None:
            bound = getattr(fn, "__self__", None)
            h.update(b"f" + getattr(fn, "__qualname__", type(fn).__qualname__).encode())
            if bound is not None:
                self._feed(h, bound, depth + 1)
            return
        h.update(b"f" + fn.__module__.encode() + fn.__qualname__.encode() + code.co_code)
        self._feed(h, fn.__defaults__, depth + 1)
        self._feed(h, fn.__kwdefaults__, depth + 1)
        for cell in fn.__closure__ or ():
            self._feed(h, cell.cell_contents, depth + 1)


#: The sorts of value `Fingerprints._feed` tells apart beyond the common exact types, in
#: the order it tests them (`_sort_of`), and each type's sort once worked out.
(
    _MODEL,
    _ENUM,
    _BOOL,
    _NUMBER,
    _STR,
    _BYTES,
    _DATETIME,
    _DATE,
    _TIME,
    _DATACLASS,
    _LIST,
    _DICT,
    _SET,
    _RENDERER,
    _CALLABLE,
    _OTHER,
) = range(16)
_SORTS: dict[type, int] = {}


def _sort_of(value: Any) -> int:
    """The sort of `value`, by the tests `Fingerprints._feed` made of every value in turn;
    each depends on the value's type only, so it is worked out once a type."""
    if isinstance(value, BaseModel):  # before the rest: most values left are papers
        return _MODEL
    if isinstance(value, enum.Enum):
        return _ENUM
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, (int, float)):
        return _NUMBER
    if isinstance(value, str):
        return _STR
    if isinstance(value, bytes):
        return _BYTES
    if isinstance(value, dt.datetime):
        return _DATETIME
    if isinstance(value, dt.date):
        return _DATE
    if isinstance(value, dt.time):
        return _TIME
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _DATACLASS
    if isinstance(value, (list, tuple)):
        return _LIST
    if isinstance(value, dict):
        return _DICT
    if isinstance(value, (set, frozenset)):
        return _SET
    if _is_renderer(value):
        return _RENDERER
    if callable(value):
        return _CALLABLE
    return _OTHER


def _named(pages: dict[str, Entry]) -> Iterable[tuple[str, str]]:
    """Each page's (name of the cache's copy, path in the site), for `placing`."""
    return ((entry.blob, path) for path, entry in pages.items())


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in dataclasses.fields(kind))


def _is_renderer(value: Any) -> bool:
    return isinstance(value, _renderer_types())


@functools.cache
def _renderer_types() -> tuple[type, ...]:
    from .render import Renderer  # imported when first needed, as before: a heavy import
    from .view import View

    return (Renderer, View)


@functools.cache
def _owner_kinds() -> tuple[type, type, type]:
    """The kinds of object whose queries a later build can ask again, besides the papers.
    Imported when first asked: they import this module's callers (view.py imports
    searchindex.py, which imports this module)."""
    from .decisions import DecisionsView
    from .listing import ListingView
    from .view import View

    return View, DecisionsView, ListingView


class PageRecorder:
    """Collects the reads of one page's drawing (see tracing.Recorder)."""

    def __init__(self, cache: PageCache) -> None:
        self.cache = cache
        self.paused = 0
        self.reads: dict[tuple[Any, ...], Any] = {}
        #: The query `can_replay` was last asked about, with its name (`query_name`).
        self._asked: tuple[Any, tuple[Any, ...], dict[str, Any], Any] | None = None

    def _note(self, key: tuple[Any, ...], make: Callable[[], Any]) -> None:
        if key in self.reads:
            return
        self.paused += 1
        try:
            self.reads[key] = make()
        finally:
            self.paused -= 1

    def item(self, collection: str, key: Any, value: Any, present: bool) -> None:
        self._note(
            ("i", collection, key),
            lambda: self.cache.prints.of(value) if present else _ABSENT,
        )

    def whole(self, collection: str, mapping: dict[Any, Any]) -> None:
        self._note(("a", collection), lambda: self.cache.prints.collection(mapping))

    def can_replay(self, owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        # Named once a query: `tracing.query` asks this, runs the query with the recorder
        # paused (no other query is asked of it meanwhile), then calls `query` with the
        # same objects. Some ten queries a page: 450,000 for ten years of papers' pages.
        named = self.cache.query_name(owner, args, kwargs)
        self._asked = (owner, args, kwargs, named)
        return named is not None

    def query(
        self, owner: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any
    ) -> bool:
        asked, self._asked = self._asked, None
        if asked is not None and asked[0] is owner and asked[1] is args and asked[2] is kwargs:
            named = asked[3]
        else:
            named = self.cache.query_name(owner, args, kwargs)
        if named is None:
            return False
        self._note(("q", named[0], name, named[1]), lambda: self.cache.prints.of(result))
        return True

    def date_compared(self, op: str, other: dt.date, result: bool) -> None:
        self.reads.setdefault(("c", op, other.toordinal()), result)

    def date_part(self, name: str, value: int) -> None:
        self.reads.setdefault(("p", name), value)

    def date_used(self) -> None:
        self.reads.setdefault(("d",), self.cache.as_of.toordinal())


class PageCache:
    """One build's view of the cache folder (see the module's docstring)."""

    def __init__(
        self,
        folder: Path,
        global_key: bytes,
        origins: dict[int, tuple[Any, bytes]] | None = None,
        prints: Fingerprints | None = None,
    ) -> None:
        """`prints`, when given, are fingerprints made for these `origins` before the
        cache was opened (`Fingerprints.prime`): the cache goes on with them."""
        self.root = folder
        self.key = global_key
        self.folder = folder / global_key.hex()[:24]
        self.entries: dict[str, Entry] = {}
        #: Every distinct read the entries made, with what it gave: (read, fingerprint).
        #: Pages share most of their reads (a ten-year archive: 600,000 reads of 160,000
        #: distinct ones), so each is kept, and checked, once, and entries name them by
        #: number: the index is 28 MB instead of 46, and checking an entry is a walk over
        #: small numbers instead of hashing nested tuples.
        self.table: list[tuple[tuple[Any, ...], Any]] = []
        self._numbers: dict[tuple[tuple[Any, ...], Any], int] | None = None
        #: What each read of the table as loaded gives in this build (`_answers`); a
        #: read added since (numbered `_table_loaded` or later) is what this build gives.
        self._fresh = _answers(0)
        self._table_loaded = 0
        #: The table's length, and the entries', when it was last compacted (`_write_index`).
        self._compacted_at = (0, 0)
        #: The index as last written whole (`DELTA`): its name, the table's length, and
        #: its entries as loaded (an entry still that object is unchanged since); None
        #: when there is none to write changes against.
        self._whole: tuple[str, int, dict[str, Entry]] | None = None
        self._owners: dict[tuple[Any, ...], Any] = {}
        #: The collection a paper of each type was last found in (`_ref`).
        self._kinds: dict[type, str] = {}
        self._names: set[str] | None = None
        self._inodes: dict[str, int] | None = None
        known = self._known_prints() if origins else None
        if prints is None:
            prints = Fingerprints(origins, known)
        else:
            prints.known = known or {}
        self.prints = prints
        self.papers: Papers | None = None
        self.view: Any = None
        self.as_of = dt.date.min
        self.collections: dict[str, dict[Any, Any]] = {}
        self.verify = os.environ.get(VERIFY_ENV, "") not in ("", "0", "false")
        self.stored = 0
        #: The helpers placing cached pages (`place_beside`), each with its pages.
        self._placing: list[tuple[placing.Helper, dict[str, Entry]]] = []
        #: A fork writing the index (`save_beside`), with the pages, if one is begun.
        self._saving: tuple[forked.Forked[list[str]] | _Written | None, set[str], str] | None
        self._saving = None
        #: Output files made through the cache in this build, and how many were reused.
        self.outputs: set[str] = set()
        self.outputs_reused = 0
        #: The output files made afresh in this build (their entries say the rest).
        self.outputs_made: set[str] = set()
        #: Parts of larger outputs used in this build (`piece`), by file name.
        self.pieces: set[str] = set()
        #: The larger outputs written from parts in this build (`compose`): site path ->
        #: each segment's length, and the part it is a copy of, by file name (or None).
        self.composed: dict[str, tuple[Segment, ...]] = {}
        #: Pages drawn in this build whose site file becomes their cache copy (`adopt`):
        #: site path -> (address, stored name, size in bytes).
        self.written: dict[str, tuple[str, str, int]] = {}
        saved = _unpickled(self.folder / INDEX, "index unreadable; drawing every page")
        wanted = (FORMAT, global_key)
        if isinstance(saved, dict) and (saved.get("format"), saved.get("key")) == wanted:
            try:
                entries = {uri: Entry(*fields) for uri, fields in saved["entries"].items()}
                table = list(saved["reads"])
            except (KeyError, TypeError, AttributeError) as error:
                log.info(f"Page cache: {INDEX}: index unreadable; drawing every page ({error})")
            else:
                token = saved.get("token")
                if isinstance(token, str):
                    self._whole = (token, len(table), dict(entries))
                    self._apply_delta(token, entries, table)
                self.entries, self.table = entries, table
                self._fresh, self._table_loaded = _answers(len(table)), len(table)
                with contextlib.suppress(TypeError, ValueError):
                    reads, kept = saved.get("compacted")
                    self._compacted_at = (int(reads), int(kept))

    def _apply_delta(self, token: str, entries: dict[str, Entry], table: list[Any]) -> None:
        """The changes written since the index was last written whole (`DELTA`), applied
        to what it holds; none when they were written against another whole index (a
        build of the same settings into another site wrote it since): that index's
        entries are then those of a build before, which only costs drawing again."""
        delta = _unpickled(self.folder / DELTA, "changes unreadable; the index as it was")
        if not isinstance(delta, dict) or delta.get("base") != token:
            return
        try:
            if delta["from"] != len(table):
                return
            changed = {uri: Entry(*fields) for uri, fields in delta["entries"].items()}
            added = list(delta["reads"])
            gone = list(delta["gone"])
        except (KeyError, TypeError, AttributeError) as error:
            log.info(f"Page cache: {DELTA}: changes unreadable; the index as it was ({error})")
            return
        table.extend(added)
        for uri in gone:
            entries.pop(uri, None)
        entries.update(changed)

    def _known_prints(self) -> dict[bytes, bytes]:
        """The last build's fingerprints of papers as loaded (Fingerprints.known); none
        when unreadable. Under the global key's folder: new code starts afresh."""
        known = _unpickled(self.folder / PRINTS, "fingerprints unreadable; made again")
        return known if isinstance(known, dict) else {}

    # --- the model the pages are drawn from ----------------------------------------------

    def trace(self, papers: Papers, view: Any) -> None:
        """Make the projected model report its reads: the collections become TracedDicts
        (in place, so every holder of `papers` sees them) and PDFs' lookups too."""
        for name in MODEL_COLLECTIONS:
            mapping = getattr(papers, name)
            if not isinstance(mapping, tracing.TracedDict):
                object.__setattr__(papers, name, tracing.TracedDict(name, mapping))
            self.collections[name] = getattr(papers, name)
        pdfs = getattr(view, "pdfs", None)
        if pdfs is not None:
            for name in PDF_COLLECTIONS:
                mapping = getattr(pdfs, name)
                traced_name = f"pdf.{name}"
                if not isinstance(mapping, tracing.TracedDict):
                    mapping = tracing.TracedDict(traced_name, mapping)
                    setattr(pdfs, name, mapping)
                self.collections[traced_name] = mapping
        self.papers = papers
        self.view = view
        self.as_of = dt.date(view.policy.as_of.year, view.policy.as_of.month, view.policy.as_of.day)

    def query_name(
        self, owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """The owner and the arguments of a query as a later build can name them again, or
        None if it cannot; its read is ("q", owner, the method's name, arguments)."""
        view_kind, decisions_kind, listing_kind = _owner_kinds()
        if owner is self.papers:
            who: tuple[Any, ...] = ("papers",)
        elif isinstance(owner, view_kind) and owner.papers is self.papers:
            who = ("view", owner.base)
        elif isinstance(owner, decisions_kind) and owner.papers is self.papers:
            who = ("decisions",)
        elif isinstance(owner, listing_kind) and owner.papers is self.papers:
            who = ("listing", owner.base)
        else:
            return None
        refs = []
        for value in args:
            ref = self._ref(value)
            if ref is None:
                return None
            refs.append(ref)
        if kwargs:
            for keyword, value in sorted(kwargs.items()):
                ref = self._ref(value)
                if ref is None:
                    return None
                refs.append(("k", keyword, ref))
        return who, tuple(refs)

    def _ref(self, value: Any) -> tuple[Any, ...] | None:
        if value is None or isinstance(value, (str, int, float, bool)):
            if isinstance(value, enum.Enum):
                return None
            return ("v", value)
        if isinstance(value, tracing.TracedDate):
            return None
        if type(value) is dt.date:
            return ("t", value.toordinal())
        ident = getattr(value, "id", None)
        if isinstance(value, BaseModel) and isinstance(ident, str):
            # The collection a paper of its type was found in is asked first: each holds
            # papers of its own type, so it is the one the walk below would find.
            kind = type(value)
            guess = self._kinds.get(kind)
            if guess is not None and dict.get(self.collections.get(guess, {}), ident) is value:
                return ("o", guess, ident)
            for name in MODEL_COLLECTIONS:
                if dict.get(self.collections.get(name, {}), ident) is value:
                    self._kinds[kind] = name
                    return ("o", name, ident)
        return None

    def _resolve(self, ref: tuple[Any, ...]) -> Any:
        kind = ref[0]
        if kind == "v":
            return ref[1]
        if kind == "t":
            return dt.date.fromordinal(ref[1])
        if kind == "o":
            found = dict.get(self.collections[ref[1]], ref[2])
            if found is None:
                raise LookupError(ref)
            return found
        raise LookupError(ref)

    # --- deciding -------------------------------------------------------------------------

    def static_key(self, src_uri: str, front_matter: str, render: Callable[..., Any]) -> bytes:
        return _digest(self.key, src_uri.encode(), front_matter.encode(), self.prints.of(render))

    def plan(self, specs: Iterable[Any]) -> Plan:
        """Which pages can be served from the cache, with the static key of every page."""
        start = time.process_time()
        plan = Plan()
        with contextlib.suppress(OSError):
            os.utime(self.folder)  # in use: no other build's clean-up removes it
        folder = os.path.join(self.folder, "")
        mark_before = time.time() - MARK_AFTER_SECONDS
        for spec in specs:
            static = self.static_key(spec.src_uri, spec.front_matter(), spec.render)
            plan.statics[spec.src_uri] = static
            entry = self.entries.get(spec.src_uri)
            if entry is None or entry.static != static:
                _why(spec.src_uri, "new page" if entry is None else "static key")
                continue
            changed = self._changed(entry)
            if changed is not None:
                _why(spec.src_uri, f"read {self.table[changed][0]!r}")
                continue
            blob = folder + entry.blob
            try:
                found = os.stat(blob)
                if found.st_mtime < mark_before:
                    os.utime(blob)  # in use: not removed by another build's clean-up
            except OSError:  # gone: drawn again
                continue
            plan.hits[spec.src_uri] = entry
            plan.inodes[spec.src_uri] = found.st_ino
        plan.seconds = time.process_time() - start
        return plan

    def _changed(self, entry: Entry) -> int | None:
        """The first of an entry's reads that gives something else in this build, if any
        (each read of the table is asked once a build, by this process or a fork sharing
        its answers: pages share many reads)."""
        fresh, loaded = self._fresh, self._table_loaded
        for number in entry.reads:
            if number >= loaded:
                continue  # added by this build: what it gives
            answer = fresh[number]
            if answer == _UNASKED:
                read, seen = self.table[number]
                answer = fresh[number] = _SAME if self.now(read) == seen else _OTHER
            if answer == _OTHER:
                return number
        return None

    def _numbered(self, reads: Iterable[tuple[tuple[Any, ...], Any]]) -> tuple[int, ...]:
        """The table's numbers of a drawing's reads (new ones are added: they are what this
        build gives, so they are fresh)."""
        numbers = self._numbers
        if numbers is None:
            numbers = self._numbers = {pair: n for n, pair in enumerate(self.table)}
        found = []
        for pair in reads:
            number = numbers.get(pair)
            if number is None:
                number = numbers[pair] = len(self.table)
                self.table.append(pair)
            found.append(number)
        return tuple(found)

    def now(self, read: tuple[Any, ...]) -> Any:
        """What a recorded read gives in this build (a query that cannot be asked again
        gives a value equal to nothing)."""
        try:
            return self._now_uncached(read)
        except Exception:
            return object()

    def _now_uncached(self, read: tuple[Any, ...]) -> Any:
        kind = read[0]
        if kind == "i":
            mapping = self.collections[read[1]]
            value = dict.get(mapping, read[2], _ABSENT)
            return _ABSENT if value is _ABSENT else self.prints.of(value)
        if kind == "a":
            return self.prints.collection(self.collections[read[1]])
        if kind == "q":
            who, name, refs = read[1], read[2], read[3]
            owner = self._owner(who)
            args, kwargs = [], {}
            for ref in refs:
                if ref[0] == "k":
                    kwargs[ref[1]] = self._resolve(ref[2])
                else:
                    args.append(self._resolve(ref))
            previous = tracing.start(None)
            try:
                result = getattr(owner, name)(*args, **kwargs)
            finally:
                tracing.start(previous)
            return self.prints.of(result)
        if kind == "c":
            return getattr(dt.date, read[1])(self.as_of, dt.date.fromordinal(read[2]))
        if kind == "p":
            return getattr(self.as_of, read[1])
        if kind == "d":
            return self.as_of.toordinal()
        raise LookupError(read)

    def _owner(self, who: tuple[Any, ...]) -> Any:
        owner = self._owners.get(who)
        if owner is None:
            owner = self._owners[who] = self._new_owner(who)
        return owner

    def _new_owner(self, who: tuple[Any, ...]) -> Any:
        from .decisions import DecisionsView

        if who[0] == "papers":
            return self.papers
        if who[0] == "view":
            return self.view.at(who[1])
        if who[0] == "listing":
            return self.view.at(who[1]).listing
        return DecisionsView(self.papers, self.view.policy)

    # --- drawing and keeping ----------------------------------------------------------------

    def draw(self, draw: Callable[[], Any]) -> tuple[Any, tuple[tuple[Any, ...], Any]]:
        """Draw a page's engine HTML (or make an output file) while recording its reads."""
        recorder = PageRecorder(self)
        previous = tracing.start(recorder)
        try:
            html = draw()
        finally:
            tracing.start(previous)
        return html, tuple(recorder.reads.items())

    def check(self, src_uri: str, entry: Entry, draw: Callable[[], str]) -> None:
        """Under PAPERS_PAGE_CACHE_VERIFY: a reused page must draw the same engine HTML."""
        fresh = _digest(str(draw()).encode())
        if fresh != entry.engine:
            raise StaleCacheError(
                f"page cache: {src_uri} was reused but its HTML has changed; "
                "a read of this page is not recorded (see docs/incremental.md)"
            )

    def read(self, entry: Entry) -> str:
        return (self.folder / entry.blob).read_text(encoding="utf-8")

    def reuse(self, src_uri: str, entry: Entry, dest: str | None = None) -> str:
        """A reused page that MkDocs writes itself (one of the nav's): its cached HTML, and
        with `dest` its site file becomes the cache's copy once written (`adopt`)."""
        html = self.read(entry)
        if dest is not None:
            self.written[dest] = (src_uri, entry.blob, len(html.encode("utf-8")))
        return html

    def place(self, pages: dict[str, Entry]) -> None:
        """Put cached pages into the output folder: path -> entry.

        Each file is a hard link to the cache's copy (one system call, no bytes read or
        written), or a copy where the two folders are on different file systems. Nothing
        writes into either in place: cache files are written once under their own hash, and
        every later write to the site replaces a file instead of changing it (outputs.write).
        A file already there (placed by a helper that did not finish) is replaced.
        """
        placing.place_files(self.folder, _named(pages))

    def place_beside(self, pages: dict[str, Entry]) -> None:
        """`place(pages)` by `PLACE_HELPERS` helper processes while this one goes on (MkDocs
        draws the changed pages meanwhile: placing.py says why not here, in a thread or in
        forks); several keep the disk busier than one when links wait for it. `placed`
        waits for them; few pages are placed here at once."""
        if len(pages) < PLACE_APART:
            self.place(pages)
            return
        for run in forked.runs(list(pages.items()), PLACE_HELPERS):
            share = dict(run)
            self._placing.append((placing.start(self.folder, _named(share)), share))

    def placed(self) -> None:
        """Wait for `place_beside`'s helpers; the pages of one that did not place its whole
        share are placed here (each replacing what is there)."""
        helpers, self._placing = self._placing, []
        for helper, share in helpers:
            helper.wait(lambda share=share: self.place(share))

    def stored_inodes(self) -> dict[str, int]:
        """The inode of every file of the cache's folder, by name (one listing of the folder:
        the guard knows a site file linked from here by its stored name, see
        leakscan.scan_cached). The names are also what `_listed` answers from, so the
        outputs step does not list the folder again right after the pages step."""
        try:
            with os.scandir(self.folder) as entries:
                inodes = {entry.name: entry.inode() for entry in entries}
        except OSError:
            inodes = {}
        self._names = set(inodes)
        self._inodes = inodes
        return inodes

    @functools.cached_property
    def device(self) -> int | None:
        """The device the cache's folder is on (None: it cannot be asked): its copies'
        inodes name files of that device only (siteskeleton.Kept.holds)."""
        try:
            return os.stat(self.folder).st_dev
        except OSError:
            return None

    def listed_inodes(self) -> dict[str, int]:
        """`stored_inodes` as last listed (listed now when it was not): the copies
        stored since are not in it."""
        if self._inodes is None:
            self.stored_inodes()
        assert self._inodes is not None
        return self._inodes

    def keep(
        self,
        src_uri: str,
        static: bytes,
        reads: tuple[Any, ...],
        engine: str,
        output: str,
        dest: str | None = None,
    ) -> None:
        """Store a freshly drawn page's final HTML and what it read.

        With `dest` (the file MkDocs is about to write these bytes to) nothing is written
        here: `adopt` later makes that file and the cache's copy one inode, so a full build
        writes each page once, and the guard knows the site's file by its stored name from
        the first build on (otherwise the first re-build reads every page once again).
        """
        if dest is not None:
            record = written_record(src_uri, reads, engine, output)
            self.keep_written(src_uri, static, dest, *record)
            return
        self._store(src_uri, static, reads, _digest(engine.encode()), _page_bytes(output))
        self.stored += 1

    def keep_written(
        self,
        src_uri: str,
        static: bytes,
        dest: str,
        reads: tuple[Any, ...],
        made: bytes,
        blob: str,
        size: int,
    ) -> None:
        """`keep` with a `dest`, from the page's `written_record`: made here, or by the
        process that drew and wrote the page (prerender.BothEnds), since the reads are
        numbered in this process's table."""
        self.entries[src_uri] = Entry(static, self._numbered(reads), made, blob)
        self.written[dest] = (src_uri, blob, size)
        self.stored += 1

    def adopt(self) -> dict[str, str]:
        """After MkDocs has written the pages kept with a `dest`: each site file and the
        cache's copy of its bytes become one inode. A page whose bytes the cache holds
        already is replaced by a link to that copy; otherwise the site's file is linked
        into the cache under its name. Returns site path -> stored name for the files that
        now share the cache's inode. Where links fail (another file system) the bytes are
        copied; a file that is not what was kept (another size) is left out of the cache.
        """
        shared: dict[str, str] = {}
        if self.written:
            self.folder.mkdir(parents=True, exist_ok=True)
        for dest, (src_uri, blob, size) in self.written.items():
            path = self.folder / blob
            try:
                if os.stat(dest).st_size != size:
                    raise ValueError(dest)
                if _share(dest, path):
                    shared[dest] = blob
            except (OSError, ValueError):
                log.info(f"Page cache: {src_uri} was not written as drawn; not kept")
                del self.entries[src_uri]
        self.written = {}
        return shared

    def _store(
        self, name: str, static: bytes, reads: tuple[Any, ...], made: bytes, data: bytes
    ) -> None:
        blob = _blob_name(name, data)
        path = self.folder / blob
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            _written(path, data)
        if self._names is not None:
            self._names.add(blob)
        self.entries[name] = Entry(static, self._numbered(reads), made, blob)

    def output(
        self, path: str, make: Callable[[], bytes], handed: Any = None
    ) -> tuple[bytes, str | None]:
        """An output file (outputs.unit): the cache's copy and its path when its key and
        every read are unchanged, else made now while recording its reads, and kept. The
        path is a string: ten years of open data are 53,000 such files, and a `Path` made
        and turned back into a string for each took a re-build's fork 0.6 s."""
        static = _digest(self.key, b"output:" + path.encode(), self.prints.of(handed))
        self.outputs.add(path)
        entry = self.entries.get(path)
        fresh = entry is not None and entry.static == static and self._changed(entry) is None
        if fresh:
            assert entry is not None
            blob = self._copy(entry)
            # Not read: the file is linked from the copy, and what needs its bytes reads
            # them (OutputFile.content); ten years of open data are 53,000 such files.
            if entry.blob in self._listed():
                if self.verify and make() != Path(blob).read_bytes():
                    raise StaleCacheError(
                        f"page cache: {path} was reused but has changed; "
                        "a read of it is not recorded (see docs/incremental.md)"
                    )
                self.outputs_reused += 1
                return b"", blob
        data, reads = self.draw(make)
        self._store(path, static, reads, _digest(data), data)
        self.outputs_made.add(path)
        return data, self._copy(self.entries[path])  # linked, not written twice

    def copy_of(self, path: str) -> str | None:
        """The copy of the output file (or page) `path` that its entry names, as `output`
        links it; None when it has no entry."""
        entry = self.entries.get(path)
        return None if entry is None else self._copy(entry)

    def _copy(self, entry: Entry) -> str:
        """The path of the cache's copy an entry names (a string: see `output`)."""
        return self._folder_str + entry.blob

    @functools.cached_property
    def _folder_str(self) -> str:
        """The cache's folder as a string a stored name is appended to."""
        return os.path.join(self.folder, "")

    def outputs_done(self, learnt_before: Iterable[bytes] = ()) -> OutputsMade:
        """What making the outputs changed here, for the process this one was forked from
        (`take_outputs`); `learnt_before` are the fingerprints it knew when it forked."""
        known = set(learnt_before)
        learnt = {key: print_ for key, print_ in self.prints.learnt.items() if key not in known}
        made = {}
        for path in self.outputs_made:
            entry = self.entries[path]
            reads = tuple(self.table[number] for number in entry.reads)
            made[path] = (entry.static, reads, entry.engine, entry.blob)
        return OutputsMade(
            made,
            set(self.outputs),
            self.outputs_reused,
            set(self.pieces),
            learnt,
            dict(self.composed),
        )

    def take_outputs(self, done: OutputsMade) -> None:
        """Make this cache as if it had made the outputs itself (a fork made them): the
        files made afresh get their entries (their reads numbered in this table), and the
        index keeps every output used, the parts used and the fingerprints learnt."""
        for path, (static, reads, made, blob) in done.made.items():
            self.entries[path] = Entry(static, self._numbered(reads), made, blob)
            self.outputs_made.add(path)
            if self._names is not None:
                self._names.add(blob)
        self.outputs |= done.outputs
        self.outputs_reused += done.reused
        self.pieces |= done.pieces
        self.prints.learnt.update(done.learnt)
        self.composed.update(done.composed or {})

    def _listed(self) -> set[str]:
        """The names of the folder's files as last listed (`stored_inodes`, or now when it
        was not: one listing, where a check of each output's copy took 56,000 system calls
        at ten years of papers); copies this build stores are added as they are written."""
        if self._names is None:
            self.stored_inodes()
        assert self._names is not None
        return self._names

    def piece(self, key: str, make: Callable[[], bytes]) -> bytes | Path:
        """A part of a larger output (outputs.piece), kept under `key` while builds use it:
        the kept file, or the bytes `make` gives (kept for the next build)."""
        name = self.piece_name(key)
        self.pieces.add(name)
        path = self.folder / name
        if path.is_file():
            return path
        data = make()
        self.folder.mkdir(parents=True, exist_ok=True)
        _written(path, data)
        return data

    @staticmethod
    def piece_name(key: str) -> str:
        """The name of the file a part is kept in (`piece`), in the cache's folder."""
        return f"piece-{key}.json"

    def compose(self, path: str, segments: Iterable[Segment]) -> None:
        """Note that the output `path` was written as `segments`, each a copy of the kept
        part it names (or None): the guard proves the file against them and reads only
        the parts it has not proved clean before (leakparts.py)."""
        self.composed[path] = tuple(segments)

    def save(self, pages: Iterable[str]) -> None:
        """Write the index (entries of this build's pages only) and clear out what no build
        uses any more: old global keys' folders, and unnamed HTML files a day old."""
        pages = set(pages)
        self._write_index(pages)
        self._prune(pages)

    def save_beside(self, pages: Iterable[str]) -> None:
        """`save(pages)` begun in a fork of this process (the guard reads the site
        meanwhile, on one core): the fork writes the index under other names, which `saved`
        puts in place or throws away once the build has passed or not. At ten years of
        papers the index is some 100,000 entries and 160,000 reads, 1.3 s to pickle."""
        pages = set(pages)
        # Named by this build: builds into other sites may share the cache's folder.
        suffix = f"{PENDING}-{uuid.uuid4().hex}"
        fork: forked.Forked[list[str]] | _Written | None
        delta = self._delta(self._kept_entries(pages))
        if delta is not None:  # a few changes: written here at once
            fork = _Written(self._write_delta(delta, suffix))
        elif forked.available():
            fork = forked.Forked(self._write_index, pages, suffix, name="page-cache-index")
        else:
            fork = None
        self._saving = (fork, pages, suffix)

    def saved(self, passed: bool) -> None:
        """After `save_beside`: put the index in place and clear out (`passed`), or throw it
        away. A fork that does not answer means writing the index here."""
        saving, self._saving = self._saving, None
        if saving is None:
            return
        fork, pages, suffix = saving
        done, written = fork.answer() if fork is not None else (False, None)
        if not passed:
            for name in written or ():
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / (name + suffix))
            return
        if done and written is not None:
            for name in written:
                os.replace(self.folder / (name + suffix), self.folder / name)
            if INDEX in written:
                _changes_dropped(self.folder)
        else:
            self._write_index(pages)
        self._prune(pages)

    @property
    def saving(self) -> bool:
        """Whether `save_beside` has begun an index that `saved` has not yet settled."""
        return self._saving is not None

    def stop_forks(self) -> None:
        """Stop the helpers still placing pages and the fork writing the index (the build
        failed)."""
        helpers, self._placing = self._placing, []
        saving, self._saving = self._saving, None
        for helper, _ in helpers:
            helper.stop()
        if saving and saving[0] is not None:
            saving[0].stop()

    def _kept_entries(self, pages: set[str]) -> dict[str, Entry]:
        wanted = pages | self.outputs
        return {uri: entry for uri, entry in self.entries.items() if uri in wanted}

    def _must_compact(self, entries: dict[str, Entry]) -> bool:
        """Whether the table is compacted before the index is written (`COMPACT_GROWN`)."""
        compacted = self._compacted_at
        return (
            len(self.table) > compacted[0] * COMPACT_GROWN
            or len(entries) < compacted[1] * COMPACT_KEPT
        )

    def _delta(self, entries: dict[str, Entry]) -> dict[str, Any] | None:
        """The index's changes since it was last written whole (the kept `entries`), to
        write as `DELTA`; None when it must be written whole: none was, its table is to be
        compacted (numbered afresh), or the changes have reached `DELTA_SHARE` of it."""
        if self._whole is None or self._must_compact(entries):
            return None
        token, length, whole = self._whole
        changed = {uri: tuple(e) for uri, e in entries.items() if whole.get(uri) is not e}
        gone = [uri for uri in whole if uri not in entries]
        added = self.table[length:]  # the table only grows between compactions
        limit = DELTA_SHARE * max(length, 1), DELTA_SHARE * max(len(whole), 1)
        if len(added) > limit[0] or len(changed) + len(gone) > limit[1]:
            return None
        return {
            "format": FORMAT,
            "key": self.key,
            "base": token,
            "from": length,
            "reads": added,
            "entries": changed,
            "gone": gone,
        }

    def _write_index(self, pages: set[str], suffix: str = "") -> list[str]:
        """Write the index, whole or its changes (`DELTA`), and the fingerprints (each name
        with `suffix`); the names written. Without a suffix they are in place at once."""
        table, entries = self.table, self._kept_entries(pages)
        delta = self._delta(entries)
        if delta is not None:
            return self._write_delta(delta, suffix)
        compacted = self._compacted_at
        if self._must_compact(entries):
            table, entries = _compacted(table, entries)
            compacted = (len(table), len(entries))
        self.folder.mkdir(parents=True, exist_ok=True)
        _pickled(
            self.folder / (INDEX + suffix),
            {
                "format": FORMAT,
                "key": self.key,
                "token": uuid.uuid4().hex,
                "reads": table,
                "entries": {uri: tuple(entry) for uri, entry in entries.items()},
                "compacted": compacted,
            },
        )
        if not suffix:
            _changes_dropped(self.folder)
        return [INDEX, *self._write_prints(suffix)]

    def _write_delta(self, delta: dict[str, Any], suffix: str) -> list[str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        _pickled(self.folder / (DELTA + suffix), delta)
        return [DELTA, *self._write_prints(suffix)]

    def _write_prints(self, suffix: str) -> list[str]:
        kept = self.prints.to_keep()
        if not kept:
            return []
        _pickled(self.folder / (PRINTS + suffix), kept)
        return [PRINTS]

    def _prune(self, pages: set[str]) -> None:
        """Clear out what no build uses any more: old global keys' folders, and unnamed
        files of this key's folder a day old; when last done `PRUNE_EVERY_SECONDS` ago."""
        stamp = self.folder / PRUNED
        with contextlib.suppress(OSError):
            if time.time() - stamp.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return
        named = {entry.blob for entry in self._kept_entries(pages).values()} | self.pieces
        old = time.time() - STALE_BLOB_SECONDS
        for path in self.folder.iterdir():
            if path.name not in (INDEX, DELTA, PRINTS, PRUNED) and path.name not in named:
                try:
                    if path.stat().st_mtime < old:
                        path.unlink()
                except OSError:
                    pass
        folders = key_folders_by_use(self.root)
        unused = time.time() - STALE_KEY_SECONDS
        for folder in folders[KEEP_KEYS:]:
            if last_used(folder) < unused:
                shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            stamp.touch()


#: The table of reads is compacted (`_compacted`) when it has grown to this many times its
#: length when last compacted, or the entries kept have fallen to this share of theirs
#: then (pages gone take their reads with them). A read no kept entry makes is never asked
#: (entries name theirs), so until then it only takes room; compacting renumbered ten
#: years of reads and entries in 1 s of every re-build (in the fork that writes the index),
#: where publishing a meeting adds some 1% to the table.
COMPACT_GROWN = 1.25
COMPACT_KEPT = 0.8


def _compacted(
    table: list[tuple[tuple[Any, ...], Any]], entries: dict[str, Entry]
) -> tuple[list[tuple[tuple[Any, ...], Any]], dict[str, Entry]]:
    """The reads the kept entries make, numbered afresh, and the entries so numbered: the
    table keeps no read of a page gone or drawn again."""
    used = sorted(set().union(*(entry.reads for entry in entries.values())))
    if len(used) == len(table):
        return table, entries
    renumber = {old: new for new, old in enumerate(used)}.__getitem__
    return [table[n] for n in used], {
        uri: Entry(e.static, tuple(map(renumber, e.reads)), e.engine, e.blob)
        for uri, e in entries.items()
    }


class _Written:
    """An index written by the build process itself, answering as the fork that writes a
    whole index does (`PageCache.save_beside`)."""

    def __init__(self, written: list[str]) -> None:
        self.written = written

    def answer(self) -> tuple[bool, list[str]]:
        return True, self.written

    def stop(self) -> None:
        """Nothing runs: the files written are thrown away by `PageCache.saved`."""


def _changes_dropped(folder: Path) -> None:
    """The changes file removed once a whole index is in place (written against another
    index, it would be passed over anyway)."""
    with contextlib.suppress(OSError):
        os.unlink(folder / DELTA)


def _unpickled(path: Path, damaged: str) -> Any:
    """What a cache file holds, or None when it is missing or damaged (`damaged` is logged:
    a damaged file only costs work again, never a wrong page)."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:
        log.info(f"Page cache: {path.name}: {damaged} ({error})")
        return None


def _written(path: Path, data: bytes) -> None:
    """Write a cache file whole under another name, then put it in place in one step."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _pickled(path: Path, value: Any) -> None:
    """Write a cache file whole under another name, then put it in place in one step."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def content_digest(data: bytes) -> str:
    """The hash of a file's bytes that names the cache's copy of it: whoever holds a site
    file linked from the cache knows its hash from the name (searchindex's manifests).
    SHA-256 cut to 20 bytes, for its speed on pages (`_digest`)."""
    return hashlib.sha256(data).hexdigest()[:40]


def named_digest(blob: str) -> str:
    """The hash of a cache file's bytes (`content_digest`), read from its name."""
    return blob.partition(".")[0]


def written_record(
    src_uri: str, reads: tuple[Any, ...], engine: str, output: str
) -> tuple[tuple[Any, ...], bytes, str, int]:
    """What `PageCache.keep_written` needs of a page about to be written with `output`:
    its reads, the digest of its engine HTML, its stored name and its size."""
    data = _page_bytes(output)
    return reads, _digest(engine.encode()), _blob_name(src_uri, data), len(data)


def _page_bytes(output: str) -> bytes:
    """A page's bytes, as MkDocs writes its HTML to the file."""
    return output.encode("utf-8", "xmlcharrefreplace")


def _blob_name(name: str, data: bytes) -> str:
    """A cache file's name: the hash of its bytes, with the suffix of what it is."""
    suffix = ".html" if name.endswith(".md") else Path(name).suffix
    return content_digest(data) + suffix


def _share(dest: str, stored: Path) -> bool:
    """Make the site file `dest` and the cache file `stored` (the same bytes) one inode:
    True when they are; False when the bytes had to be copied (another file system)."""
    try:
        os.link(dest, stored)  # the cache learns the page from the site's file
        return True
    except FileExistsError:
        pass  # the cache holds these bytes already: the site's file becomes that copy
    except OSError:
        temporary = stored.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(dest, temporary)
        os.replace(temporary, stored)
        return False
    temporary = f"{dest}.{os.getpid()}.tmp"
    try:
        os.link(stored, temporary)
    except OSError:
        return False
    os.replace(temporary, dest)
    return True


def _why(src_uri: str, reason: str) -> None:
    log.debug(f"Page cache: drawing {src_uri}: {reason}")


def key_folders_by_use(root: Path) -> list[Path]:
    """The global keys' folders of the page cache `root`, the one a build used last first
    (a build marks its key's folder in use, `PageCache.plan`, and writes its index there)."""
    try:
        folders = [path for path in root.iterdir() if path.is_dir()]
    except OSError:
        return []
    folders.sort(key=last_used, reverse=True)
    return folders


def last_used(folder: Path) -> float:
    """When a build last used a global key's folder: the later of the folder's time of
    change and its index's."""
    return max(modified(folder), modified(folder / INDEX))


def never_kept_prints(folder: Path) -> bool:
    """Whether no build has kept fingerprints of papers in the page cache `folder` (under
    any global key): a first build, whose papers are worth fingerprinting once before
    its processes fork (`Fingerprints.prime`)."""
    return next(folder.glob(f"*/{PRINTS}"), None) is None


def engine_key(papers: Papers, folders: Iterable[Path], settings: Iterable[str]) -> bytes:
    """The global key: what every page depends on that the reads do not record.

    `settings` are the adapter's own (the MkDocs configuration as it stands after the
    plugin's changes); the engine adds its code, its templates and the theme overrides (in
    `folders`), the libraries' versions, the council's site.yml and the notices.
    """
    prints = Fingerprints()
    package = Path(__file__).resolve().parent
    return _digest(
        f"format={FORMAT}".encode(),
        library_versions().encode(),
        folder_digest([package, *folders]),
        prints.of(papers.site),
        prints.of(list(papers.notices)),
        *(setting.encode() for setting in settings),
    )
