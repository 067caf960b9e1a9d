"""A pickle kept between builds beside a cache, named by the code's fingerprint.

The memos keyed by papers as loaded (namedmemo.py, publicmemo.py) hold what this code made
of them: another version of the code must not take them. So each file's name carries the
code's fingerprint (loadcache.code_fingerprint); it is written whole under another name and
put in place in one step. The files of the `KEPT` codes that wrote last are kept, older
ones removed: builds by two versions in turn (a branch and main, or `bench/rebuild.py
--codes`) each find their own, where keeping only the last writer's made each of them
work everything out again. A file that cannot be read or written only means working
everything out again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .cachefolders import modified
from .loadcache import code_fingerprint

#: How many versions of the code keep their file beside a cache (the newest writers').
KEPT = 3


def path_for(folder: Path, prefix: str) -> Path:
    return folder / f"{prefix}{code_fingerprint()[:16]}.pickle"


def load(folder: Path, prefix: str) -> Any:
    """What this code kept under `prefix` in `folder`, or None (none, or unreadable)."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return pickle.loads(path_for(folder, prefix).read_bytes())
    return None


def load_table(
    folder: Path, prefix: str, version: int, name: str, valid: Callable[[Any], bool]
) -> dict[Any, Any]:
    """The table `name` of what this code kept under `prefix` in the format `version`,
    when every value of it passes `valid` (a damaged file could hold anything); else
    empty."""
    saved = load(folder, prefix)
    if isinstance(saved, dict) and saved.get("format") == version:
        table = saved.get(name)
        if isinstance(table, dict) and all(valid(value) for value in table.values()):
            return table
    return {}


def save(folder: Path, prefix: str, payload: Any) -> None:
    """Keep `payload` for the next build; a folder that cannot be written is let be."""
    target = path_for(folder, prefix)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return
    for old in _by_age(folder.glob(f"{prefix}*.pickle"))[KEPT:]:
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


def _by_age(paths: Iterable[Path]) -> list[Path]:
    """`paths` newest first by the time each was written (one gone meanwhile: oldest)."""
    return sorted(paths, key=modified, reverse=True)
