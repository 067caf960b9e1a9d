"""Where a build keeps what it may reuse next time (pages, search indexes, the guard's
record), and whether it can.

A cache only ever saves work, so a cache folder that cannot be written is never a failed
build: the work is done again and the log says why.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.committee_papers")


def cache_folder(root: Path, setting: str | bool, default: str) -> Path | None:
    """A cache setting as a folder below the project folder `root` (where mkdocs.yml is):
    false is none, true the default (an environment variable can only switch a setting
    off as `false`: YAML reads "" as unset)."""
    if not setting:
        return None
    folder = setting if isinstance(setting, str) else default
    return root / folder


def writable(folder: Path | None, what: str) -> Path | None:
    """`folder` when a cache can be kept in it, else None, saying why. Logged at INFO, as
    --strict fails a build on a warning."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        log.info(
            f"{what} not kept: {folder} cannot be written ({error.strerror or error}); "
            "every build does all of its work again"
        )
        return None
    return folder


def modified(path: Path) -> float:
    """When `path` was last written; 0 when it is gone (so it sorts and ages as the oldest)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
