"""Where a build puts short-lived trees of small files: in memory when the system has room.

Why: a file system without a journal (the ext4 of this project's build machine, and of
many virtual machines) passes over every inode freed in the last seconds to minutes, one
buffer lookup each, whenever it allocates a new one (`recently_deleted` in ext4's inode
allocator). The search step writes each group's pages as a tree of indexed parts for
Pagefind and removes it once indexed: some 90,000 files and folders made and removed at
ten years of papers, after which every folder and file of the site and its caches cost
more to create. In memory (tmpfs) a removed file leaves nothing to pass over, and a
group's tree is a few megabytes. bench/RESULTS.md has the measurements.

`TMPDIR`, when set, is obeyed: a machine whose owner chose a temporary folder keeps it.
"""

from __future__ import annotations

import os

#: Linux's folder in memory (tmpfs), for every user.
MEMORY = "/dev/shm"
#: Room the memory folder must have free, so a scratch tree never fills it.
MIN_FREE = 256 * 1024 * 1024


def folder() -> str | None:
    """The folder for a scratch tree (`tempfile`'s `dir=`): the memory folder when it is
    there, writable and has MIN_FREE bytes free, and no TMPDIR is set; else None (the
    system's temporary folder)."""
    if os.environ.get("TMPDIR") or not os.path.isdir(MEMORY) or not os.access(MEMORY, os.W_OK):
        return None
    try:
        stats = os.statvfs(MEMORY)
    except OSError:
        return None
    return MEMORY if stats.f_bavail * stats.f_frsize >= MIN_FREE else None
