"""`mkdocs serve`'s temporary site folder, emptied without waiting for the disk.

Before each rebuild MkDocs empties the folder it serves from, removing some 500 folders of
the slice's pages one by one (`shutil.rmtree`). That takes little CPU but, on a busy disk,
1.5 to 2.5 seconds of waiting on every rebuild, before the edited page can be drawn. The
plugin empties it first, as MkDocs would, by moving each entry into a sibling folder (a
rename each, on the same file system) and removing that folder in a background thread
while the pages are drawn. MkDocs then finds the folder empty. Hidden entries stay, as
MkDocs leaves them. When an entry cannot be moved, MkDocs removes it as before.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading


class SiteSweeper:
    """Empties a site folder by moving its entries aside, removing them in the background."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    def empty(self, site_dir: str) -> int:
        """Move every entry of `site_dir` but hidden ones aside; how many were moved."""
        try:
            entries = [e for e in os.listdir(site_dir) if not e.startswith(".")]
        except OSError:
            return 0
        if not entries:
            return 0
        parent = os.path.dirname(os.path.abspath(site_dir))
        try:
            trash = tempfile.mkdtemp(prefix=".papers-old-site-", dir=parent)
        except OSError:
            return 0
        moved = 0
        for entry in entries:
            with contextlib.suppress(OSError):  # left for MkDocs to remove
                os.rename(os.path.join(site_dir, entry), os.path.join(trash, entry))
                moved += 1
        thread = threading.Thread(
            target=shutil.rmtree, args=(trash, True), name="papers-old-site", daemon=True
        )
        thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        return moved

    def wait(self, timeout: float = 60.0) -> None:
        """Let the removals finish (when serving stops)."""
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []
