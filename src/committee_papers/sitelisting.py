"""The leak guard's listing of a re-built site, from the old site's listing where a folder
has not changed since.

The guard lists every file of the site with its inode before it reads what it has not
proved clean (leakscan.py). A re-build writes into the old site (siteskeleton.py), whose
folders and files a job listed once it was retired (`siteskeleton.Listed`), and changes a
few hundred of its 45,000 folders at ten years of papers. Opening and reading each folder
took the guard 0.5 s of every re-build for the 38,000 folders of the reports alone; asking
a folder for its time of last change takes a fifth of that. A folder whose time is before
the listing began holds exactly what it held then (`Listed` says why), so its files are
taken from the listing; any other folder is read as before, and each folder inside it is
asked in turn. The names and inodes are those a walk of every folder gives
(`tests/test_sitelisting.py`).
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .siteskeleton import Listed

#: Each listed folder, named as the guard's walk names it ("" the site, else its path
#: and "/"), with its files (name, inode) and the names of the folders inside it.
Folders = dict[str, tuple[list[tuple[str, int]], list[str]]]


#: A listing by folder, with the time before which a folder is known to hold what it lists
#: (`Listed.began`).
ByFolder = tuple[Folders, int]


def by_folder(listed: Listed) -> ByFolder:
    """`listed` by folder (`folders_of`), for `walk`."""
    return folders_of(listed), listed.began


def folders_of(listed: Listed) -> Folders:
    """`listed` by folder. A folder holding anything but plain files (a link) is left
    out, so that it is read: a walk tells a link from a file, the listing does not."""
    found: Folders = {"": ([], [])}
    for folder in listed.folders:
        found[folder + "/"] = ([], [])
    for folder in listed.folders:
        parent, _, name = folder.rpartition("/")
        inside = found.get(parent + "/" if parent else "")
        if inside is not None:
            inside[1].append(name)
    for path, inode in listed.files.items():
        parent, _, name = path.rpartition("/")
        inside = found.get(parent + "/" if parent else "")
        if inside is not None:
            inside[0].append((name, inode))
    for path in listed.odd:
        parent = path.rpartition("/")[0]
        found.pop(parent + "/" if parent else "", None)
    return found


def walk(
    folder: str,
    prefix: str,
    found: list[str],
    inodes: dict[str, int] | None,
    leave: tuple[str, ...],
    listed: ByFolder | None = None,
) -> None:
    """Every file below `folder` (named `prefix`) into `found`, with its inode (none for a
    link) into `inodes`, but the files and folders `leave` names, as `leakscan.site_files`
    lists them. With `listed` (the folders and the stamp of `Listed.began`), each folder
    unchanged since it was listed is taken from the listing."""
    known = None if listed is None else listed[0].get(prefix)
    if known is not None and listed is not None and _unchanged(folder, listed[1]):
        files, inside = known
        for name, inode in files:
            path = prefix + name
            if leave and path in leave:
                continue
            found.append(path)
            if inodes is not None:
                inodes[path] = inode
        for name in inside:
            below = f"{prefix}{name}/"
            if below not in leave:
                walk(f"{folder}/{name}", below, found, inodes, leave, listed)
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file():
                path = prefix + entry.name
                if leave and path in leave:
                    continue
                found.append(path)
                if inodes is not None and not entry.is_symlink():
                    inodes[path] = entry.inode()
            elif entry.is_dir(follow_symlinks=False):
                below = f"{prefix}{entry.name}/"
                if below not in leave:
                    walk(entry.path, below, found, inodes, leave, listed)


def _unchanged(folder: str, began: int) -> bool:
    """Whether `folder` is a folder last changed before the listing began."""
    try:
        info = os.stat(folder, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_mtime_ns < began
