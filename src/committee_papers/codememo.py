"""A pickle kept between builds beside a cache, named by the code's fingerprint.

The memos keyed by papers as loaded (namedmemo.py, publicmemo.py) hold what this code made
of them: another version of the code must not take them. So each file's name carries the
code's fingerprint (loadcache.code_fingerprint); it is written whole under another name and
put in place in one step, and a file of other code is removed once this code has written
its own. A file that cannot be read or written only means working everything out again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import Any

from .loadcache import code_fingerprint


def path_for(folder: Path, prefix: str) -> Path:
    return folder / f"{prefix}{code_fingerprint()[:16]}.pickle"


def load(folder: Path, prefix: str) -> Any:
    """What this code kept under `prefix` in `folder`, or None (none, or unreadable)."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return pickle.loads(path_for(folder, prefix).read_bytes())
    return None


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
    for old in folder.glob(f"{prefix}*.pickle"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()
