"""The old site, kept whole for the next build to write into.

With directory addresses every page is a folder of its own (`meetings/<id>/index.html`):
ten years of papers are some 45,000 folders and 100,000 files, nearly all of them hard
links to the page cache's copies. A build writes a fresh site beside the live one, and
making those folders was its largest single cost after the pages were cached (about 120
microseconds a folder on this machine's ext4); linking every file into them again took
15 microseconds a file (1.5 s of system calls a re-build), and deleting the old site's files
once it was retired as long again, in the background.

So once a new site is live, the old one is kept for the next build: a process of its own
removes its search index (`pagefind/`: the search store keeps the indexes, searchindex.py),
lists its folders (`.dirs`) and its files (`.files`), then renames it
`.<site>.skeleton-<n>`, in that order, so that a skeleton with its final name is listed in
full. The next build moves it into place as its staging folder before the first page is
placed (`take`). A page or output file the build would link from the page cache's copy
that the old site holds as that copy already (the same inode, told by the list and the
check of the page cache: `Kept.holds`) is left as it is, for no system call where a link
took 15 microseconds; a file written any other way replaces the one there, never writes
into it (every writer does, and the plugin removes the files MkDocs itself writes first:
`clear`).
When everything is written, the old files this build did not make again are removed
(`remove_stale`: a page gone or withheld since is not published), then each folder that
holds no file (`prune`). Where the job has not finished, the build makes its folders as
before.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

#: List the folders of `$1` into `$2` and its other files, each with its inode, into `$2`
#: with the suffix `.files` for `.dirs` (NUL-separated, relative to `$1`), that list first;
#: each file's type (`%y`: `f` a plain file) into `.types`, a letter a file in the same
#: order. Just before, an empty `.began` is made: its time of change is a time before any
#: folder was listed (`Listed`).
_LIST = (
    ' && : > "${2%.dirs}.began"'
    ' && find "$1" -mindepth 1 -type d -fprintf "$2.tmp" "%P\\0"'
    ' -o -fprintf "${2%.dirs}.files.tmp" "%P\\0%i\\0" -fprintf "${2%.dirs}.types.tmp" "%y"'
    ' && mv -f "${2%.dirs}.types.tmp" "${2%.dirs}.types"'
    ' && mv -f "${2%.dirs}.files.tmp" "${2%.dirs}.files" && mv -f "$2.tmp" "$2"'
)
#: What a failed job removes: its folder and its lists.
_UNDO = (
    ' rm -f "$2.tmp" "$2" "${2%.dirs}.files.tmp" "${2%.dirs}.files"'
    ' "${2%.dirs}.types.tmp" "${2%.dirs}.types" "${2%.dirs}.began";'
)
#: Remove the search index of `$1` (the old site), list the rest (`_LIST`) and rename it
#: `$3`; on any failure delete it instead. `mv -T` never moves into a folder. (`pagefind`
#: is searchindex.INDEX_DIR, not imported: the warm-up helper imports this module and
#: starts in 30 ms.)
JOB_TEXT = (
    'rm -rf -- "$1/pagefind"' + _LIST + ' && mv -T "$1" "$3" || { rm -rf -- "$1";' + _UNDO + " }"
)
#: How the job shows in /proc/<pid>/cmdline (publish.clean_leftovers leaves it be).
JOB = JOB_TEXT.encode()
#: Make `$1` a copy of the live site `$4` but its search index, every file a hard link to
#: the live one's, list it (`_LIST`) and rename it `$3`: the skeleton a first build leaves,
#: having no old site to keep.
COPY_TEXT = (
    'mkdir -- "$1" && cd -- "$4"'
    ' && find . -mindepth 1 -maxdepth 1 ! -name pagefind -exec cp -al -t "$1" -- {} +'
    " && cd /" + _LIST + ' && mv -T "$1" "$3"'
    ' || { cd /; rm -rf -- "$1";' + _UNDO + " }"
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
    """Start making `old` (the site just replaced, renamed aside) a skeleton for the next
    build of `target`; False when this system cannot (no sh, find, rm or mv)."""
    return _start(("sh", "find", "rm", "mv"), JOB_TEXT, old, target)


def copy_of(target: Path) -> bool:
    """Start making a skeleton of the site just published at `target` for its next build,
    when no old site was retired to make one of (the first build into `target`): that
    build then finds its pages and folders already there, as every later one does. The
    copy (hard links) is made in a process of its own once the site is live, under a name
    the next build's clean-up leaves alone while the job runs. False when this system
    cannot (no sh, find, cp, rm, mkdir or mv)."""
    tools = ("sh", "find", "cp", "rm", "mkdir", "mv")
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


#: The suffix of the file beside a skeleton that lists its folders; `FILES`, its files;
#: `TYPES`, their types; `BEGAN`, the empty file made just before they were listed.
LISTING = ".dirs"
FILES = ".files"
TYPES = ".types"
BEGAN = ".began"


def _beside(skeleton: Path, suffix: str) -> Path:
    """The file of `suffix` beside a skeleton (`LISTING`, `FILES`, `TYPES`, `BEGAN`)."""
    return skeleton.with_name(skeleton.name + suffix)


def listing_of(skeleton: Path) -> Path:
    """The file beside a skeleton that lists its folders (NUL-separated, relative to it)."""
    return _beside(skeleton, LISTING)


def files_of(skeleton: Path) -> Path:
    """The file beside a skeleton that lists its files, written before `listing_of`."""
    return _beside(skeleton, FILES)


def _listed_by(path: Path) -> Path:
    """The skeleton a listing (`listing_of`, `files_of`, ...) lists; another path as it is."""
    for suffix in (LISTING, FILES, TYPES, BEGAN):
        if path.name.endswith(suffix):
            return path.with_name(path.name.removesuffix(suffix))
    return path


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


@dataclass(frozen=True)
class Listed:
    """The old site as its job listed it, for the leak guard's listing of the site
    (`leakscan.site_listing`), which the build's own changes to `Kept.files` never touch.

    A folder is known to hold exactly what it held when listed while its time of last
    change is before `began` (the time of change of a file made just before the listing
    began): adding, removing or renaming anything in a folder sets that time to the
    clock's time then, which is `began` or later for any change after the listing. The
    clock's time is coarse (a tick of some milliseconds), so a folder changed within the
    tick `began` was made in has that same time, and is not known. Listing the 38,000
    folders of ten years of reports took the guard 0.5 s of every re-build, where asking
    each folder's time of change takes 0.1 s.
    """

    folders: frozenset[str]
    #: Every file (relative path -> inode), as listed.
    files: dict[str, int]
    #: Those that were not plain files (links, pipes): their folders are listed again.
    odd: frozenset[str]
    #: `.began`'s time of last change, in nanoseconds.
    began: int


@dataclass(frozen=True)
class Kept:
    """The old site moved into place as a build's staging folder (`take`): its folders, and
    its files with their inodes, relative to it, and the device it is on. `files` loses
    each file removed before a writer that cannot write over it (`clear`), so that it is
    never taken for one still there (`holds`). `listed` is the listing as it was, when
    its stamp was kept (`Listed`)."""

    folders: frozenset[str]
    files: dict[str, int]
    device: int
    listed: Listed | None = None

    def holds(self, path: str, inode: int | None, device: int | None) -> bool:
        """Whether the file at `path` is the file `inode` of `device` (a page cache's copy
        that would be linked there): then it is left as it is. Told by the listing, with
        no system call: nothing else writes into the staging folder, and a file that is
        still listed there keeps its inode in use."""
        return inode is not None and device == self.device and self.files.get(path) == inode


def take(target: Path, staging: Path) -> Kept | None:
    """Move the newest finished skeleton into place as `staging` (which must be absent or
    still empty); what it holds. None when there is none, or it cannot be used (a skeleton
    whose files are not listed: its files could not be told apart from this build's)."""
    for folder in ready(target):
        listed, files = listing_of(folder), files_of(folder)
        types, began = _beside(folder, TYPES), _beside(folder, BEGAN)
        try:
            # All of it known before the move: once moved, the staging folder holds the
            # old site's files, and a build that then took it for empty would publish them.
            folders, inodes = frozenset(_names(listed.read_bytes())), _inodes(files.read_bytes())
            kept = Kept(
                folders,
                inodes,
                os.stat(folder).st_dev,
                _as_listed(folders, inodes, types, began),
            )
            if os.path.lexists(staging):
                if os.listdir(staging):
                    return None  # something was written already: build as before
                os.rmdir(staging)
            os.rename(folder, staging)
        except (OSError, ValueError):
            continue
        for listing in (listed, files, types, began):
            with contextlib.suppress(OSError):
                listing.unlink()
        return kept
    return None


def _as_listed(
    folders: frozenset[str], files: dict[str, int], types: Path, began: Path
) -> Listed | None:
    """The listing as the guard may take it (`Listed`), asked before this build writes
    anything; None without its types and stamp (a skeleton listed by an older version, or
    a list cut short), or with the clock behind the stamp."""
    try:
        letters = types.read_bytes()
        stamp = os.stat(began).st_mtime_ns
    except OSError:
        return None
    if len(letters) != len(files) or time.time_ns() <= stamp:
        # A clock now behind the stamp was set back since the listing: a folder this build
        # writes into could then be given a time before it, and be taken as unchanged.
        return None
    odd = frozenset(path for path, kind in zip(files, letters, strict=True) if kind != ord("f"))
    return Listed(folders, dict(files), odd, stamp)


def _names(listing: bytes) -> list[str]:
    return [os.fsdecode(name) for name in listing.split(b"\0") if name]


def _inodes(listing: bytes) -> dict[str, int]:
    """A files' list (`%P\\0%i\\0` each) as path -> inode."""
    words = listing.split(b"\0")
    if words[-1] != b"" or len(words) % 2 != 1:
        raise ValueError("a files' list cut short")
    pairs = iter(words[:-1])
    return {os.fsdecode(path): int(inode) for path, inode in zip(pairs, pairs, strict=True)}


def clear(staging: Path, kept: Kept, paths: Iterable[str]) -> None:
    """Remove the kept files at `paths` (relative to `staging`) before they are written by
    a writer that writes into a file in place (MkDocs): a kept file is a hard link to the
    page cache's copy and to the live site's file. Where the old site holds a folder at
    one of `paths`, or a file where one of them needs a folder (a downloadable file that
    became a page of the same address, or back), that goes too (`_make_room`)."""
    root = os.path.join(staging, "")
    wanted = set(paths)
    for path in kept.files.keys() & wanted:
        del kept.files[path]  # no longer there: never `holds` it
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root + path)
    _make_room(root, kept, wanted)


def _make_room(root: str, kept: Kept, paths: set[str]) -> None:
    """The old site's folder at each of `paths` removed with what it holds, and its file
    at a folder of one of them: MkDocs could write neither there, and the build would fail
    where a build without the old site passes. A path whose folder the old site holds is
    looked at no further (its folders above are folders too): one lookup for nearly all."""
    for folder in sorted(kept.folders & paths):
        shutil.rmtree(root + folder, ignore_errors=True)
        inside = os.path.join(folder, "")
        for path in [path for path in kept.files if path.startswith(inside)]:
            del kept.files[path]  # gone with it: never `holds` it
    for path in paths:
        folder = os.path.dirname(path)
        while folder and folder not in kept.folders:
            if kept.files.pop(folder, None) is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(root + folder)
                break
            folder = os.path.dirname(folder)


def remove_stale(staging: Path, kept: Kept, made: Callable[[str], bool]) -> int:
    """Remove the kept files this build did not make (`made(path)`: whether it wrote the
    file at a path, linked it or left it as it was, relative to `staging`): a page or
    output file gone, or withheld, since the old site was built. Returns how many were
    removed."""
    root = os.path.join(staging, "")
    removed = 0
    for path in [path for path in kept.files if not made(path)]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root + path)
            removed += 1
    return removed


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
