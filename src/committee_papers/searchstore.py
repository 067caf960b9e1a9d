"""Search indexes kept between builds, so a re-build takes an unchanged group's index from here.

A group's index (`searchindex._index_group`) depends only on the bytes of its pages, the
Pagefind that made it and the code that put its files in order. A build that finds the same
key here moves the kept folder into the new site instead of running Pagefind or linking the
live site's files, as it did before; keeping them here has two more uses:

- The leak guard knows a linked file without reading it, as it knows the page cache's files
  (`leakscan.scan_cached`, `stored`): each kept file is recorded with the hash of its bytes
  and its inode. Linked from the live site instead, the 51,000 index files of ten years of
  papers (291 MB) were read and hashed by the guard on every re-build: the inode numbers of
  the old site, deleted after each build, are reused, so an inode there proves nothing.
- A site folder that was removed or replaced since still has its indexes reused.

Each group is a folder `<key>/` holding the index's files (hard links: no bytes copied) and
a listing `<key>.json` (each file's hash and inode), written last: a folder without its
listing is never used. Files here are never changed in place; a folder is made whole under a
temporary name and renamed. Keys unused for a day are removed.

A folder is not linked into the new site file by file: it is moved there whole (`take`,
one rename), and the same index in the old site, retired once the new one is live, is moved
back (`recover`). The live site and the store then hold the same files (the same inodes)
under two names, as hard links would, and a re-build makes no link for the 51,000 files of
131 unchanged groups, nor does deleting the old site remove them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import time
from importlib import metadata
from pathlib import Path

from .guardrecord import write_whole
from .leakscan import site_files

#: A kept index unused for this long is removed (a build and `mkdocs serve` of other
#: settings may use other keys meanwhile).
KEEP_SECONDS = 24 * 3600
#: The name of a file beside a site's file in the guard's terms: (its bytes' hash, inode).
Stored = tuple[str, int]


@functools.cache
def _salt() -> bytes:
    """What an index depends on besides its pages: Pagefind's version and the code that
    runs it and orders its output."""
    try:
        version = metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        version = "unknown"
    code = Path(__file__).with_name("searchindex.py").read_bytes()
    return version.encode() + b"\x00" + hashlib.sha256(code).digest()


@functools.cache
def made_by() -> str:
    """What makes indexes now, as text (`_salt`'s hash). Written beside each index made, so
    that an index made by another version of this code or of Pagefind (the live site's,
    just after an upgrade) is never taken for one this version would make."""
    return hashlib.sha256(_salt()).hexdigest()[:32]


def key(group: str, manifest: str) -> str:
    """The key of a group's index: its name, the hashes of its pages and `_salt`."""
    digest = hashlib.sha256(_salt())
    digest.update(group.encode() + b"\x00" + manifest.encode())
    return digest.hexdigest()[:32]


def file_digest(data: bytes) -> str:
    """The hash a kept file is known by (the guard's stored name for it)."""
    return "search-" + hashlib.sha256(data).hexdigest()[:40]


class SearchStore:
    """The kept indexes in `folder` (made when first written to)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def take(self, name: str, out: Path) -> dict[str, Stored] | None:
        """Move the index kept under `name` to `out` (which must not exist): one rename, its
        files as they are; the listing stays, and `recover` brings a copy back from the
        old site once the new one is published. Returns its files (relative to `out`)
        with their hashes and inodes; None when not kept whole (then `out` is absent)."""
        listing = self._listing(name)
        if listing is None:
            return None
        kept = self.folder / name
        try:
            if not self._as_listed(kept, listing):
                return None  # a file replaced since (another inode): not the bytes recorded
            out.parent.mkdir(parents=True, exist_ok=True)
            os.rename(kept, out)
        except OSError:  # gone, or moved by another build meanwhile: index again
            return None
        self.used.add(name)
        return listing

    def recover(self, name: str, folder: Path) -> bool:
        """Move `folder` (a group's index in the old site, retired once the new one is live)
        back in under `name`, when the store lacks it and its files are still those listed
        (same names and inodes); else it goes with the old site."""
        listing = self._listing(name)
        kept = self.folder / name
        if listing is None or os.path.lexists(kept):
            return False
        try:
            if not self._as_listed(folder, listing):
                return False
            os.rename(folder, kept)
        except OSError:
            return False
        self.used.add(name)
        return True

    def keep(self, name: str, out: Path) -> dict[str, Stored]:
        """Keep the index in `out` under `name` (hard links); its files as `take` gives them
        (none when it could not be kept: the guard then reads them)."""
        if self._listing(name) is not None and os.path.isdir(self.folder / name):
            self.used.add(name)
            return {}
        temporary = self.folder / f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        listing: dict[str, list[str | int]] = {}
        source, target = os.path.join(out, ""), os.path.join(temporary, "")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            inodes = _inodes(out)
            for folder in sorted({os.path.dirname(rel) for rel in inodes}):
                os.makedirs(target + folder, exist_ok=True)
            for rel in sorted(inodes):  # the listing's inode is the file read: one inode
                os.link(source + rel, target + rel)
                with open(target + rel, "rb") as file:
                    inode = os.fstat(file.fileno()).st_ino
                    if inode != inodes[rel]:
                        raise OSError("not linked")  # replaced meanwhile: keep nothing
                    listing[rel] = [file_digest(file.read()), inode]
            os.rename(temporary, self.folder / name)
            write_whole(self.folder, json.dumps({"files": listing}).encode(), f"{name}.json")
        except OSError:  # unwritable, another file system, or kept by another build meanwhile
            shutil.rmtree(temporary, ignore_errors=True)
            return {}
        self.used.add(name)
        return {rel: (str(digest), int(inode)) for rel, (digest, inode) in listing.items()}

    @staticmethod
    def _as_listed(folder: Path, listing: dict[str, Stored]) -> bool:
        """`folder` holds exactly the listed files, each still the inode listed."""
        return _inodes(folder) == {rel: inode for rel, (_, inode) in listing.items()}

    def prune(self) -> None:
        """Mark the keys used by this build as used now; remove those unused for a day, and
        what builds that stopped half way left (folders without a listing, temporary files)."""
        now = time.time()
        for name in self.used:
            with contextlib.suppress(OSError):
                os.utime(self.folder / f"{name}.json")
        try:
            with os.scandir(self.folder) as listing:
                entries = list(listing)
        except OSError:  # none yet, or unreadable
            return
        for entry in entries:
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime < KEEP_SECONDS:
                    continue
                folder = entry.is_dir(follow_symlinks=False)
                if folder and (self.folder / f"{entry.name}.json").exists():
                    continue  # kept: its listing's time says when it was last used
                if folder:
                    shutil.rmtree(entry.path, ignore_errors=True)
                    continue
                os.unlink(entry.path)  # the listing first: a folder without one is unused
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    shutil.rmtree(self.folder / entry.name.removesuffix(".json"), True)

    def _listing(self, name: str) -> dict[str, Stored] | None:
        try:
            files = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
            return {rel: (str(d), int(i)) for rel, (d, i) in files["files"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _inodes(folder: Path) -> dict[str, int]:
    """Every file under `folder`, relative to it, with its inode (the guard's listing of a
    site, `leakscan.site_files`); a link or anything else not a plain file is refused."""
    inodes: dict[str, int] = {}
    names = site_files(folder, inodes)
    if len(names) != len(inodes):
        raise OSError(f"not only plain files: {folder}")
    return inodes
