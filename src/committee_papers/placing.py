"""Cached pages put into the site by small helper processes while the build goes on.

A build of ten years of papers whose old site is not kept (siteskeleton.py: the first, or
one after the page cache's key changed) places some 45,000 pages from the page cache (hard
links: `place_files`) while MkDocs draws the changed ones. That is 0.8 s of system calls, more when
they wait for the disk, and a thread could not overlap them with drawing (each call would
wait for the interpreter's lock), so the work goes to other processes. Forks of the build
process cost it about 75 ms each to copy its page tables (1.2 GB of memory at that size),
and while they lived every page either side wrote was copied; a helper started afresh
(`python -m committee_papers.placing`, some 30 ms, importing nothing but this module,
`filelinks` and `parentdeath`) shares nothing with it, and ends with the build process.
Each helper is handed its share as a file of NUL-separated names (the cache's copy, the
page's path) and says by its exit status whether it placed them all; a share whose helper
did not is placed by the build process (`Helper.wait`), each page replacing what is there.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from . import parentdeath
from .filelinks import link_or_copy


def place_files(folder: Path | str, pages: Iterable[tuple[str, str]]) -> None:
    """Each (name of a file of `folder`, target path) as a hard link to that file, or a copy
    where the two are on different file systems; the target's folder is made when missing."""
    made: set[str] = set()
    source = os.path.join(os.fspath(folder), "")
    for name, path in pages:
        parent = os.path.dirname(path)
        if parent not in made:
            try:  # one system call where the parent exists (nearly always)
                os.mkdir(parent)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            made.add(parent)
        link_or_copy(source + name, path)


class Helper:
    """A process placing a share of the pages (`start`)."""

    def __init__(self, process: subprocess.Popen[bytes] | None, listing: str | None) -> None:
        self.process = process
        self.listing = listing

    def wait(self, here: Callable[[], None]) -> None:
        """Wait for the helper; when it did not place its whole share (or never started),
        `here()` places it in this process."""
        ok = False
        if self.process is not None:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                ok = self.process.wait() == 0
        self._forget()
        if not ok:
            here()

    def stop(self) -> None:
        """End the helper, its share wanted no more (a build that failed)."""
        if self.process is not None:
            parentdeath.stop(self.process)
        self._forget()

    def _forget(self) -> None:
        if self.listing is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.listing)
            self.listing = None


def start(folder: Path | str, pages: Iterable[tuple[str, str]]) -> Helper:
    """A helper placing `pages` (name in `folder`, target path) begun; one that cannot be
    begun is a helper whose `wait` places them here."""
    listing = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", prefix="papers-placing-", suffix=".list", delete=False
        ) as out:
            listing = out.name
            out.write(b"\0".join(os.fsencode(part) for pair in pages for part in pair))
        process = subprocess.Popen(
            command(folder, listing), stdin=subprocess.DEVNULL, close_fds=True
        )
    except (OSError, subprocess.SubprocessError):
        return Helper(None, listing)
    return Helper(process, listing)


def command(folder: Path | str, listing: str) -> list[str]:
    """The helper's command line: this interpreter, running this module, told this
    process's id (it ends with this process: parentdeath.py)."""
    module = "committee_papers.placing"
    return [sys.executable, "-m", module, os.fspath(folder), listing, str(os.getpid())]


def main(argv: list[str]) -> int:
    """Place the pages listed in the file `argv[1]` from the folder `argv[0]`, ending with
    the process `argv[2]` (the build that started it), when given."""
    folder, listing, *parent = argv
    if parent:
        parentdeath.end_with(int(parent[0]))
    try:
        data = Path(listing).read_bytes()
        parts = [os.fsdecode(part) for part in data.split(b"\0")] if data else []
        if len(parts) % 2:
            return 2  # not a listing of pairs
        place_files(folder, zip(parts[0::2], parts[1::2], strict=True))
    except Exception:  # the build process places the share, and reports what goes wrong
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
