"""Putting a file into a site as a hard link to a kept copy, or as a copy of it.

The page cache's pages, the outputs' kept copies and the search store's indexes all reach
the site this way: a hard link is one system call and no bytes, and nothing ever writes
into a site file in place (every later write replaces a file), so sharing an inode is
safe. Where the two folders are on different file systems the bytes are copied.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path


def link(source: Path | str, target: Path | str) -> bool:
    """Make `target` a hard link to `source`, replacing a file already there; False when
    the two cannot be linked (another file system)."""
    for _ in range(2):
        try:
            os.link(source, target)
            return True
        except FileExistsError:
            os.unlink(target)
        except OSError:
            return False
    return False


def link_or_copy(source: Path | str, target: Path | str) -> bool:
    """`link`, or else a copy of `source` in blocks (never held whole) replacing what is at
    `target`; True when linked."""
    if link(source, target):
        return True
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    shutil.copyfile(source, target)
    return False
