"""The old site's folders, emptied of files, kept for the next build to write into.

With directory addresses every page is a folder of its own (`meetings/<id>/index.html`):
ten years of papers are some 45,000 folders. A build writes a fresh site beside the live
one, and making those folders was its largest single cost after the pages were cached
(about 120 microseconds a folder on this machine's ext4, where linking a file into one
takes 15): 5 to 7 seconds of a re-build that makes no new page but a dozen.

Once a new site is live, the old one is retired: a process of its own deletes every file
of it (never a folder) and lists its folders, then renames it `.<site>.skeleton-<n>` with
the list beside it (`.dirs`), in that order, so a skeleton that has its final name holds no
file at all. The next build moves it into place as its staging folder before the first page
is placed (`take`), and when everything is written removes each of its folders that holds
no file (`prune`): a folder of a paper withheld since, or of a page gone, is not published
as an empty folder. Where the job has not finished, the build makes its folders as before.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

#: Empty `$1` of everything but folders, list its folders into `$2` (NUL-separated), and
#: rename it `$3`; on any failure delete it instead. `mv -T` never moves into a folder.
JOB_TEXT = (
    'find "$1" ! -type d -delete'
    ' && find "$1" -mindepth 1 -type d -printf "%P\\0" > "$2.tmp"'
    ' && mv -f "$2.tmp" "$2" && mv -T "$1" "$3"'
    ' || { rm -rf -- "$1"; rm -f "$2.tmp" "$2"; }'
)
#: How the job shows in /proc/<pid>/cmdline (publish.clean_leftovers leaves it be).
JOB = JOB_TEXT.encode()
#: Make `$1` the folders of the live site `$4` (none of its files), list them into `$2` and
#: rename `$1` to `$3`: the skeleton a first build leaves, having no old site to empty.
COPY_TEXT = (
    'find "$4" -mindepth 1 -type d -printf "%P\\0" > "$2.tmp"'
    ' && mkdir -- "$1" && cd -- "$1" && xargs -0 -r mkdir -p -- < "$2.tmp"'
    ' && cd / && mv -f "$2.tmp" "$2" && mv -T "$1" "$3"'
    ' || { cd /; rm -rf -- "$1"; rm -f "$2.tmp" "$2"; }'
)
COPY = COPY_TEXT.encode()


def _prefix(target: Path) -> str:
    return f".{target.name}.skeleton-"


def aside(target: Path) -> Path:
    """A new name beside `target` for a folder set aside: an old site being deleted or
    emptied, or a skeleton being made (`.<site>.old-<pid>-<n>`: publish.clean_leftovers
    removes such folders unless their job still runs)."""
    return target.parent / f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}"


def retire(old: Path, target: Path) -> bool:
    """Start emptying `old` (the site just replaced, renamed aside) into a skeleton for
    the next build of `target`; False when this system cannot (no sh, find or mv)."""
    return _start(("sh", "find", "mv"), JOB_TEXT, old, target)


def copy_of(target: Path) -> bool:
    """Start making a skeleton of the site just published at `target` for its next build,
    when no old site was retired to make one of (the first build into `target`): that
    build then places its pages into folders already made, as every later one does. The
    folders are made in a process of its own once the site is live, under a name the next
    build's clean-up leaves alone while the job runs. False when this system cannot (no sh,
    find, xargs, mkdir or mv)."""
    tools = ("sh", "find", "xargs", "mkdir", "mv")
    return _start(tools, COPY_TEXT, aside(target), target, target)


def _start(tools: tuple[str, ...], script: str, work: Path, target: Path, *more: Path) -> bool:
    """Start `script` in a session of its own on `work`, a new skeleton's list and its
    name beside `target`, and `more`; False when a tool it needs is missing."""
    if not all(shutil.which(tool) for tool in tools):
        return False
    name = f"{_prefix(target)}{os.getpid()}-{time.monotonic_ns()}"
    skeleton = target.parent / name
    listing = listing_of(skeleton)
    subprocess.Popen(
        ["sh", "-c", script, "sh", *map(str, (work, listing, skeleton, *more))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return True


#: The suffix of the file beside a skeleton that lists its folders.
LISTING = ".dirs"


def listing_of(skeleton: Path) -> Path:
    """The file beside a skeleton that lists its folders (NUL-separated, relative to it)."""
    return skeleton.with_name(skeleton.name + LISTING)


def _listed_by(path: Path) -> Path:
    """The skeleton a listing (`listing_of`) lists; another path as it is."""
    return path.with_name(path.name.removesuffix(LISTING))


def ready(target: Path) -> list[Path]:
    """The finished skeletons beside `target`, newest first."""
    found = []
    for listing in target.parent.glob(f"{_prefix(target)}*{LISTING}"):
        folder = _listed_by(listing)
        with contextlib.suppress(OSError):
            if folder.is_dir() and not folder.is_symlink():
                found.append((listing.stat().st_mtime, folder))
    return [folder for _, folder in sorted(found, reverse=True)]


def leftovers(target: Path) -> list[Path]:
    """What skeletons beside `target` other than the newest finished one left: older
    skeletons, and lists whose folder is gone (to delete under the build's lock)."""
    keep = ready(target)[:1]
    found = []
    stale = time.time() - 24 * 3600
    for path in target.parent.glob(f"{_prefix(target)}*"):
        if path.name.endswith(".tmp"):  # a running job's list, unless a day old (killed)
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < stale:
                    found.append(path)
            continue
        folder = _listed_by(path)
        if folder not in keep:
            found.append(path)
    return found


def take(target: Path, staging: Path) -> set[str] | None:
    """Move the newest finished skeleton into place as `staging` (which must be absent or
    still empty); its folders, relative to it. None when there is none, or it cannot be used."""
    for folder in ready(target):
        listed = listing_of(folder)
        try:
            folders = {os.fsdecode(d) for d in listed.read_bytes().split(b"\0") if d}
            if os.path.lexists(staging):
                if os.listdir(staging):
                    return None  # something was written already: build as before
                os.rmdir(staging)
            os.rename(folder, staging)
        except OSError:
            continue
        with contextlib.suppress(OSError):
            listed.unlink()
        return folders
    return None


def prune(staging: Path, folders: set[str], used: Iterable[str]) -> int:
    """Remove each of the skeleton's `folders` that holds no file now, deepest first (so a
    folder emptied by that goes too); `used` are folders known to hold a file (the pages
    placed in them), which are not looked at. Returns how many were removed."""
    held = set(used)
    removed = 0
    root = os.path.join(staging, "")
    for folder in sorted(folders - held, key=lambda f: f.count("/"), reverse=True):
        try:
            os.rmdir(root + folder)
            removed += 1
        except OSError:  # holds a file (or a folder that does), or gone already
            pass
    return removed
