"""Files other than pages, made from the same papers: feeds, calendars, open data, PDFs.

Each output module offers a generator `files(papers, policy) -> Iterable[OutputFile]`,
where `papers` is what the audience may see. The adapter writes them into the site folder
before the leak guard reads every file, so an output is checked like a page.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .. import forked
from ..leakparts import Segment
from .beside import Beside, apply

if TYPE_CHECKING:
    from ..model import Papers
    from ..policy import Policy


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site, at `path` relative to the site root."""

    path: str
    #: The file's bytes; empty when `source` holds them (a file too large to hold at once).
    data: bytes
    #: A file holding the output's bytes (the page cache's copy, or a temporary file the
    #: generator made), linked (or else copied) instead of written.
    source: Path | str | None = None
    #: `source` is removed once the generator goes on, so it is put in place at once.
    transient: bool = False

    def content(self) -> bytes:
        """The file's bytes, wherever they are held."""
        return self.data if self.data or self.source is None else Path(self.source).read_bytes()


class Memo(Protocol):
    """Keeps output files between builds (pagecache.PageCache.output)."""

    def output(
        self, path: str, make: Callable[[], bytes], handed: Any
    ) -> tuple[bytes, Path | str | None]: ...

    def piece(self, key: str, make: Callable[[], bytes]) -> bytes | Path: ...

    def piece_name(self, key: str) -> str: ...

    def compose(self, path: str, segments: Iterable[Segment]) -> None: ...


#: The memo of the build that is writing its outputs, or None (every file is made).
_memo: Memo | None = None


@contextlib.contextmanager
def remembered(memo: Memo | None) -> Iterator[None]:
    """While the outputs are made, let `memo` serve files whose inputs have not changed."""
    global _memo
    previous, _memo = _memo, memo
    try:
        yield
    finally:
        _memo = previous


def fork_writer() -> Beside | None:
    """A fork to put output files in place (`write`), where the system can fork. Made
    before any thread is started: a fork copies only the thread that makes it, and a lock
    held by another (a log line being written) would be held in the fork for ever."""
    return Beside() if forked.available() else None


def piece(key: str, make: Callable[[], bytes]) -> bytes | Path:
    """A part of a larger output (`api/all.json`) that `make` makes and `key` names (the
    names of the stored files it is made of): the memo's kept file of it, which a re-build
    copies instead of making the part again, or the bytes made (and kept by the memo)."""
    return make() if _memo is None else _memo.piece(key, make)


def piece_name(key: str) -> str | None:
    """The name of the file the memo keeps the part `key` in (`piece`), or None (no memo)."""
    return None if _memo is None else _memo.piece_name(key)


def compose(path: str, segments: Iterable[Segment]) -> None:
    """Tell the memo that the output `path` was written as `segments`: each one's length,
    and the kept part it is a copy of (`piece_name`), or None. The guard proves the file
    against the parts and reads only those it has not proved clean (leakparts.py)."""
    if _memo is not None:
        _memo.compose(path, segments)


def unit(path: str, make: Callable[[], bytes], handed: Any = None) -> OutputFile:
    """The file at `path`, made by `make` unless the memo holds it as `make` would make it.

    A generator makes each file that depends on a few papers (one meeting's JSON or
    calendar) through here, so a build that publishes one meeting makes that meeting's
    files again, not ten years of them. `handed` is what `make` was given that the memo
    cannot see it read (an object that is not one of the model's papers, e.g. a decision of
    the register): it is part of the file's key.
    """
    if _memo is None:
        return OutputFile(path, make())
    data, source = _memo.output(path, make, handed)
    return OutputFile(path, data, source)


Generator = Callable[["Papers", "Policy"], Iterable[OutputFile]]

#: Every output generator, in the order they run. Each module adds itself here.
GENERATORS: list[Generator] = []
#: Generators whose files depend on the papers alone, never on the page cache's memo: a
#: re-build's fork makes them once the guard's secrets are worked out, before it takes the
#: go (buildfork.py), and writes them with the others. A module adds itself here too.
AHEAD: list[Generator] = []


def all_files(
    papers: Papers, policy: Policy, generators: Iterable[Generator] | None = None
) -> Iterator[OutputFile]:
    """The files of every generator, or of `generators` (a part of GENERATORS)."""
    for generate in GENERATORS if generators is None else generators:
        yield from generate(papers, policy)


def after_cache() -> list[Generator]:
    """The generators a re-build's fork runs once it has the page cache: all but AHEAD,
    in order."""
    return [generate for generate in GENERATORS if generate not in AHEAD]


#: Output files linked from a kept copy: site path -> the copy (a path, as a string where a
#: fork handed it back).
Linked = dict[str, "Path | str"]


def write(
    site_dir: Path,
    files: Iterable[OutputFile],
    linked: Linked | None = None,
    beside: Beside | None = None,
    written: set[str] | None = None,
    there: Callable[[str, str], bool] | None = None,
) -> int:
    """Write `files` below `site_dir`, refusing paths that would leave it; return the count.

    `linked`, when given, gets the path of each file made as a hard link to its `source`
    (and loses it again if a later file of the same path replaces it); `written` gets
    every file's path. `beside`, when given, is a fork that puts the files in place while
    they are made (beside.py); it is ended either way. `there(path, source)` says when
    the file at a path is its source already (the old site's: siteskeleton.py), which is
    then left as it is."""
    # Paths as strings: ten years of papers make some 57,000 files, most of them one link
    # each, where making and hashing `Path` objects cost more than the system calls.
    root = os.path.join(site_dir.resolve(), "")
    count = 0
    folders: set[str] = set()
    done: set[str] = set()  # the paths written so far
    fork = beside
    put = fork.put if fork is not None else apply
    try:
        for item in files:
            target = root + _inside(item.path)
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            if linked is not None:
                linked.pop(item.path, None)
            if written is not None:
                written.add(item.path)
            if fork is not None and item.transient:
                # Everything before it in place, then the rest here (a few files follow).
                _not_linked(linked, fork.finish())
                fork, put = None, apply
            # Replaced, never written in place: a file of the site may be a hard link to
            # the page cache's copy (pagecache.PageCache.place) or to the live site's.
            # Bytes only where there is no source: the fork's operations are kept until it
            # answers, and ten years of open data made afresh are some 200 MB.
            data = item.data if item.source is None else b""
            # The old site's file is left only where this build wrote nothing there yet.
            if there is not None and item.source is not None and item.path not in done:
                made = there(item.path, item.source) or put((item.path, target, item.source, data))
            else:
                made = put((item.path, target, item.source, data))
            done.add(item.path)
            if made is not False and linked is not None and item.source is not None:
                linked[item.path] = item.source
            count += 1
        if fork is not None:
            _not_linked(linked, fork.finish())
    except BaseException:
        if beside is not None:
            beside.stop()
        raise
    return count


def _not_linked(linked: Linked | None, paths: set[str]) -> None:
    """`linked` without the paths the fork copied or wrote rather than linked."""
    if linked is not None:
        for path in paths:
            linked.pop(path, None)


def _inside(path: str) -> str:
    """`path` normalised, refused if it would leave the site. Read from the name alone:
    the staging folder is made afresh by the build and holds no symbolic link, and ten
    years of papers make some 57,000 files, each of whose folders `resolve` would look up."""
    normal = os.path.normpath(path)
    if os.path.isabs(normal) or normal in (".", "..") or normal.startswith("../") or "\0" in normal:
        raise ValueError(f"output path {path!r} is outside the site")
    return normal


#: The output modules, imported here (at the end: they import this) so that each appends its
#: generator to GENERATORS.
MODULES = (
    "earlier_minutes",
    "images",
    "calendars",
    "feeds",
    "opendata",
    "robots",
)
for _name in MODULES:
    importlib.import_module(f"{__name__}.{_name}")
