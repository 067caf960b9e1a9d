"""The files a re-build links read from the disk while it loads the papers.

A re-build of ten years of papers links some 100,000 files it does not read: each page and
output file the page cache keeps (pagecache.py: its check asks each page's copy when it was
last marked, the helpers link it into the site, placing.py) into the 45,000 folders of the
old site kept for it (siteskeleton.py). Each link needs the copy's inode and the folder's.
After a pause (a clerk publishing the next morning, or a machine that dropped cached files
it had not read for a while) those are on the disk, and the check and the helpers read them
one by one: with the kernel's caches dropped, asking for the 103,000 copies took 1.7 s
(0.45 s cached) and opening the 45,500 kept folders 1.5 s, on this machine.

The build's first seconds load, project and describe the papers: work for the processor,
with the disk mostly idle. So the plugin begins this helper first (`begin`): it asks for
each copy's inode (the page cache's newest key folder, the one a re-build of the same
settings uses) and lists each kept folder (the guard's listing of the site reads their
entries), a thread for the copies and two for the folders, at the lowest priority. Once
read they are in the kernel's caches when the check, the helpers and the guard come to
them. It reads and never writes, and ends with the build (parentdeath.py). Measured at
ten years of papers, one archive, with and without it in turn: cold, the pages step 5.1 s
against 6.4 s and the re-build 14.4 s against 15.1 s (the load 0.2 s longer: the two read
the disk at once); cached, 12.3 s against 12.4 s, the same CPU (bench/RESULTS.md, "A cold
re-build's files read while the papers load", and "Where a cold re-build waits").
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import parentdeath, siteskeleton

#: What the helper reads: every entry of a folder (`FILES`), or the folders named in a
#: listing (`FOLDERS`, a skeleton's NUL-separated `.dirs`, relative to the folder); and
#: the data of files a re-build reads whole: a file, or each file of a folder (`WHOLE`),
#: or a page cache key folder's index and the open data's kept parts (`PARTS`).
FILES = "--files"
FOLDERS = "--folders"
WHOLE = "--whole"
PARTS = "--parts"


#: The helper, while it runs.
Warming = subprocess.Popen[bytes]


def begin(
    page_cache: Path | None,
    site: Path,
    load_file: Path | None = None,
    guard_folder: Path | None = None,
) -> Warming | None:
    """The helper begun for a build of `site` with its page cache in `page_cache` (None:
    no page cache): the newest key folder's copies, and the newest finished skeleton of
    `site` (siteskeleton.ready); with those, the data a re-build reads whole: the load
    cache's `load_file`, the key folder's index and kept parts and the guard's folder.
    None when there is no key folder nor skeleton (a new project's first build)."""
    # Imported here: the helper process imports this module and starts in 30 ms.
    from .pagecache import key_folders_by_use

    newest = key_folders_by_use(page_cache)[:1] if page_cache is not None else []
    kept = siteskeleton.ready(site)[:1]
    folder = newest[0] if newest else None
    whole = [(WHOLE, load_file), (PARTS, folder), (WHOLE, guard_folder)]
    data = [(flag, path) for flag, path in whole if path is not None]
    return start(folder, kept[0] if kept else None, data)


def command(
    cache_folder: Path | None,
    skeleton: Path | None,
    data: Sequence[tuple[str, Path]] = (),
) -> list[str] | None:
    """The helper's command line for a page cache's newest key folder and a finished
    skeleton (siteskeleton.ready), and what is read whole (`data`: `WHOLE` or `PARTS`, and
    a path), or None when there is no key folder nor skeleton: a first build."""
    args = []
    if cache_folder is not None:
        args += [FILES, os.fspath(cache_folder)]
    if skeleton is not None:
        args += [FOLDERS, os.fspath(skeleton), os.fspath(siteskeleton.listing_of(skeleton))]
    if not args:
        return None
    for flag, path in data:
        args += [flag, os.fspath(path)]
    return [sys.executable, "-m", "committee_papers.warmup", str(os.getpid()), *args]


def start(
    cache_folder: Path | None, skeleton: Path | None, data: Sequence[tuple[str, Path]] = ()
) -> Warming | None:
    """The helper begun on the page cache's `cache_folder` (its newest key's folder) and a
    finished `skeleton`, and `data` (`command`); None when there is nothing to read or it
    cannot begin (the build goes on without it)."""
    line = command(cache_folder, skeleton, data)
    if line is None:
        return None
    try:
        return subprocess.Popen(
            line,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def stop(process: Warming | None) -> None:
    """End the helper if it still runs (a build that ended before it) and reap it."""
    if process is not None:
        parentdeath.stop(process)


#: Entries read between looks at whether the last of them came from the disk (`_Batches`).
BATCH = 1000


class _Batches:
    """Tells a reader to stop once a batch of `BATCH` entries was read without waiting for
    the disk (the thread blocked for less than `WARM_WAIT` an entry: `_blocked`): the files
    are in memory already, as they are when the last build was minutes ago, and reading
    them all would be of no use. Going on where nothing came from the disk, the helper
    took 0.9 s of CPU from a re-build of ten years of papers, and 0.3 to 0.6 s of its time
    (SCHED_IDLE or nice 19 alike: it was 10.5 to 10.7 s without the helper, 10.9 to 11.4 s
    with it). The thread's block reads (`ru_inblock`) told it before, but they count file
    data only: a folder's entries and an inode are read from the disk without a block
    counted, and the helper stopped after its first thousand folders, cold or not."""

    def __init__(self) -> None:
        self.count = 0
        self._blocked = _blocked()

    def done(self) -> bool:
        """Count one entry read; whether to stop."""
        self.count += 1
        if self.count % BATCH:
            return False
        before, self._blocked = self._blocked, _blocked()
        return self._blocked - before < WARM_WAIT * BATCH


#: Time a thread may block an entry, in nanoseconds, and its reads still be taken for
#: reads from memory: a folder or an inode read from this machine's disk took 40 to 100
#: microseconds; from memory the thread does not block, but for another thread of the
#: helper holding the interpreter a moment.
WARM_WAIT = 15_000


def _blocked() -> int:
    """Nanoseconds this thread has spent neither running nor waiting for a processor (the
    kernel's schedstat: time on a processor, time waiting to run) since some fixed moment:
    blocked, waiting for the disk. Where the kernel does not say, the time it has not run:
    waiting for a processor then counts as blocked, and an idle-priority helper on busy
    processors reads on."""
    now = time.monotonic_ns()
    try:
        with open("/proc/thread-self/schedstat", "rb") as stats:
            ran, waited, _ = stats.read().split()
        return now - int(ran) - int(waited)
    except (OSError, ValueError):
        return now - time.thread_time_ns()


def read_files(folder: str) -> int:
    """Each entry of `folder` asked for its inode (lstat), until a batch of them is found
    in memory (`_Batches`); how many."""
    batches = _Batches()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                entry.stat(follow_symlinks=False)
                if batches.done():
                    break
    return batches.count


def read_folders(root: str, listing: str, share: int = 0, shares: int = 1) -> int:
    """Each folder named in the file `listing` (NUL-separated, relative to `root`) listed,
    which reads its inode and its entries, until a batch of them is found in memory
    (`_Batches`); how many. Only every `shares`-th folder from the `share`-th: several
    threads each read a share, the disk answering them at once (45,000 folders listed in
    3.7 s by one thread with the caches dropped, 1.8 s by four). The entries are what the
    guard's listing of the site reads (leakscan.py): that listing took 3.7 s of a cold
    re-build, against 1.0 s with them in memory. (When a re-build made its folders afresh,
    opening each one was enough, and listing them cost 2.6 s more for nothing.)"""
    try:
        with open(listing, "rb") as source:
            names = source.read().split(b"\0")[share::shares]
    except OSError:
        return 0
    base = os.path.join(os.fsencode(root), b"")
    batches = _Batches()
    for name in names:
        if name:
            with contextlib.suppress(OSError), os.scandir(base + name) as entries:
                for _ in entries:
                    pass
                if batches.done():
                    break
    return batches.count


#: Threads listing the old site's folders, each a share of them (`read_folders`).
FOLDER_THREADS = 2


def read_whole(path: str) -> int:
    """The data of the file `path`, or of each file of the folder `path`, asked of the disk
    ahead (`_ahead`); how many files. A re-build reads the load cache (300 MB at ten years
    of papers), the guard's memos (310 MB) and the page cache's index and kept parts
    (300 MB) whole, a part at a time, in the order it needs them: with the kernel's caches
    dropped, it took 15.0 s against 11.0 s with them in memory, and 11.9 s when they alone
    had been read first (0.9 s to read them in one go, the disk reading ahead of each)."""
    if not os.path.isdir(path):
        return int(_ahead(path))
    return _folder_ahead(path, lambda name: True)


def read_parts(folder: str) -> int:
    """`read_whole` of a page cache key folder's files that a re-build reads whole: its
    index and fingerprints (`*.pickle`) and the open data's kept parts (`piece-*`), not
    the 100,000 copies it links; how many."""
    return _folder_ahead(folder, lambda name: name.endswith(".pickle") or name.startswith("piece-"))


def _folder_ahead(folder: str, wanted: Callable[[str], bool]) -> int:
    """`_ahead` of each plain file of `folder` whose name is `wanted`, in the order of
    their names; how many."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        files = [
            entry.path
            for entry in entries
            if wanted(entry.name) and entry.is_file(follow_symlinks=False)
        ]
        return sum(_ahead(file) for file in sorted(files))
    return 0


def _ahead(path: str) -> bool:
    """Ask the kernel to read the file `path` into memory now (`POSIX_FADV_WILLNEED`: it
    reads in the background, nothing is copied here); whether it was asked."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        return True
    except (AttributeError, OSError):  # no such advice here: left to the build's reads
        return False
    finally:
        os.close(descriptor)


def _read_data(jobs: list[tuple[str, str]]) -> None:
    """`read_whole` or `read_parts` of each of `jobs`, in turn (the order the build needs
    them in)."""
    for flag, path in jobs:
        (read_whole if flag == WHOLE else read_parts)(path)


def lowest_priority() -> None:
    """Run only on a core nothing else wants (SCHED_IDLE, for this thread and those it
    starts), or else at the lowest nice value. At nice 19 the helper still took its share
    of a busy core: with the files already in memory (every read a hit, so of no use) a
    re-build of ten years of papers took 11.4 and 11.0 s with it against 10.7 and 10.5 s
    without."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(19)


def main(argv: list[str]) -> int:
    """`PARENT [--files FOLDER] [--folders ROOT LISTING] [--whole PATH] [--parts FOLDER]...`:
    read them, a thread for the files, `FOLDER_THREADS` for the folders and one for the
    data read whole at once (each waits for the disk, not for the others), at the lowest
    priority."""
    parent, *rest = argv
    parentdeath.end_with(int(parent))
    lowest_priority()
    jobs: list[threading.Thread] = []
    data: list[tuple[str, str]] = []
    while rest:
        if rest[0] in (WHOLE, PARTS) and len(rest) >= 2:
            data.append((rest[0], rest[1]))
            rest = rest[2:]
        elif rest[0] == FILES and len(rest) >= 2:
            jobs.append(threading.Thread(target=read_files, args=(rest[1],)))
            rest = rest[2:]
        elif rest[0] == FOLDERS and len(rest) >= 3:
            for share in range(FOLDER_THREADS):
                args = (rest[1], rest[2], share, FOLDER_THREADS)
                jobs.append(threading.Thread(target=read_folders, args=args))
            rest = rest[3:]
        else:
            return 2  # not a command line `command` makes
    if data:  # first: the load cache is the first thing the build reads
        jobs.insert(0, threading.Thread(target=_read_data, args=(data,)))
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
