"""Reading one file of a council's data, refusing what could hurt the build.

Each refusal is one message a clerk can act on, never a traceback: a folder where a file
should be, a file too big to be a paper, a binary file or one that is not UTF-8, and
anything that resolves outside the data folder through a symbolic link (a link could
otherwise publish any file the build can read).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The largest file read from data/: far above any real report (a long one is ~200 KB).
MAX_BYTES = 5 * 1024 * 1024


class Unreadable(Exception):
    """A data file that cannot be read as text; the message says why, for the clerk."""


def outside(path: Path, root: Path) -> bool:
    """True when `path` resolves (through symbolic links) to somewhere outside `root`."""
    if ".." not in path.parts and _plainly_inside(os.path.abspath(path), os.path.abspath(root)):
        return False
    resolved, top = path.resolve(), root.resolve()
    return resolved != top and top not in resolved.parents


def _plainly_inside(path: str, root: str) -> bool:
    """`path` is written below `root` and nothing between them is a symbolic link.

    Then it resolves inside `root` wherever `root` itself leads; this asks the file system
    about the few names below `root` instead of resolving every folder above it (40,000 files
    in a ten-year archive).
    """
    if not path.startswith(root.rstrip(os.sep) + os.sep):
        return path == root
    parts = path[len(root.rstrip(os.sep)) + 1 :].split(os.sep)
    current = root
    for part in parts:
        current = os.path.join(current, part)
        if os.path.islink(current):
            return False
    return True


def read_text(path: Path, root: Path) -> str:
    """The text of `path`, a file below `root`; FileNotFoundError when it does not exist."""
    if outside(path, root):
        raise Unreadable(
            f"is a symbolic link (or inside one) to {path.resolve()}, outside the data folder;"
            " copy the file into the data folder instead"
        )
    if path.is_dir():
        raise Unreadable("is a folder; expected a file")
    if path.exists() and not path.is_file():
        raise Unreadable("is not a regular file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Unreadable(
            f"is {size / 1024 / 1024:.1f} MB; a file may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB (split it, or link to the document instead)"
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise Unreadable("is a binary file, not text; expected UTF-8 text (YAML, Markdown, CSV)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Unreadable(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save it as UTF-8"
        ) from None
