"""What the leak guard's secrets step remembers between builds, so a re-build does not fold
and search ten years of public text again.

A withheld fragment is secret when no public value contains it (guard.secrets). Finding
which do means searching every public value for every candidate fragment: at ten years of
papers 375,000 values (219 MB of text) for 55,000 fragments, with an automaton that takes
seconds to make. A re-build that publishes one meeting changes a handful of each.

So the memo keeps, from the build that made it:

- the sorted 64-bit digests of its public values (as guardrecord keeps them);
- the candidate fragments it looked for, and which of them it found (public ones);
- those values' text, folded and kept apart, in files of their own (`segments`);
- the compiled automaton of the fragments it looked for, with them in order (`engine`).

A later build whose public values include every value of the memo's (they only grew:
most re-builds) knows without searching that a fragment found then is public still (the
value it was found in is still public), and that one looked for then and not found is
public now only if a value added since holds it. Only the added values are searched for
every fragment, and only fragments never looked for are searched for in the kept text. A
build whose values lost one (an edit, a paper withheld again) searches everything, as a
first build does, and starts a new memo. The result is the one searching everything
gives (`tests/test_secretsmemo.py`).

The files are written whole under new names and the memo replaced in one step; a missing
or damaged file only means searching everything again.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import tempfile
import uuid
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .guardrecord import stored, write_whole
from .leakmatch import APART_B

MEMO = "secrets.json"
_SEGMENT = "secrets-text-"
_ENGINE = "secrets-engine-"
_DIGESTS = "secrets-public-"
#: Text files kept before they are joined into one (each re-build adds one).
MAX_SEGMENTS = 32
#: Bytes of kept text read at a time (cut at a boundary between values).
_WINDOW = 8 << 20


@dataclass
class Memo:
    #: Sorted digests of the public values the memo was made from.
    public: array
    #: The candidate fragments looked for in those values, and those found there.
    checked: frozenset[str]
    found: frozenset[str]
    #: Files (in the memo's folder) holding those values' folded text, kept apart.
    segments: list[str] = field(default_factory=list)
    #: A file holding a compiled automaton and the fragments it was made for, in order.
    engine: str | None = None


def load(folder: Path) -> Memo | None:
    """The memo of the last build, or None (none yet, damaged, or a file gone)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        saved = json.loads((folder / MEMO).read_text(encoding="utf-8"))
        names = [saved["public"], *saved["segments"]]
        if saved["engine"] is not None:
            names.append(saved["engine"])
        if not all(_own(name) and (folder / name).is_file() for name in names):
            return None
        public = array("Q")
        public.frombytes((folder / saved["public"]).read_bytes())
        return Memo(
            public,
            frozenset(saved["checked"]),
            frozenset(saved["found"]),
            list(saved["segments"]),
            saved["engine"],
        )
    return None


def engine(folder: Path, memo: Memo) -> tuple[list[str], bytes] | None:
    """The memo's compiled automaton: (its fragments in order, its bytes), or None."""
    if memo.engine is None:
        return None
    with contextlib.suppress(OSError, ValueError, pickle.UnpicklingError, EOFError):
        fragments, compiled = pickle.loads((folder / memo.engine).read_bytes())
        if isinstance(fragments, list) and isinstance(compiled, bytes):
            return fragments, compiled
    return None


def text(folder: Path, memo: Memo) -> Iterator[bytes]:
    """The memo's folded text in pieces of about `_WINDOW` bytes, each ending where one
    value ends (a fragment never spans two values, so searching piece by piece finds what
    searching the whole would)."""
    for name in memo.segments:
        with (folder / name).open("rb") as handle:
            rest = b""
            while block := handle.read(_WINDOW):
                data = rest + block
                cut = data.rfind(APART_B)
                if cut < 0:
                    rest = data
                    continue
                yield data[:cut]
                rest = data[cut + len(APART_B) :]
            if rest:
                yield rest


def save(
    folder: Path,
    public: array,
    checked: Iterable[str],
    found: Iterable[str],
    segments: list[str],
    engine: str | None,
) -> None:
    """Write the memo (files named by `add_segment` and `add_engine` already written), then
    remove the files it no longer names."""
    folder.mkdir(parents=True, exist_ok=True)
    digests = stored(folder, _DIGESTS, public.tobytes())
    payload = {
        "public": digests,
        "checked": sorted(checked),
        "found": sorted(found),
        "segments": segments,
        "engine": engine,
    }
    write_whole(folder, json.dumps(payload).encode("utf-8"), MEMO)
    kept = {digests, *segments, engine}
    for old in folder.iterdir():
        if _own(old.name) and old.name not in kept:
            with contextlib.suppress(OSError):
                old.unlink()


class Segment:
    """Folded text kept as it is made (pieces of whole values, kept apart), in a new file
    under a name of its own once closed: ten years of it is 219 MB, never held whole, and
    not hashed either (a first build pays for writing it, and nothing more)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by close())
            "wb", dir=folder, prefix="secrets-", suffix=".tmp", delete=False
        )
        self.empty = True

    def add(self, piece: bytes) -> None:
        if not self.empty:
            self.file.write(APART_B)
        self.file.write(piece)
        self.empty = False

    def close(self) -> str:
        """Put the file in place; return its name."""
        self.file.close()
        name = f"{_SEGMENT}{uuid.uuid4().hex}.bin"
        os.replace(self.file.name, self.folder / name)
        return name


def joined(folder: Path, segments: list[str]) -> list[str]:
    """`segments`, joined into one file once there are more than MAX_SEGMENTS."""
    if len(segments) <= MAX_SEGMENTS:
        return segments
    memo = Memo(array("Q"), frozenset(), frozenset(), segments)
    one = Segment(folder)
    for piece in text(folder, memo):
        one.add(piece)
    return [one.close()]


def add_engine(folder: Path, fragments: list[str], compiled: bytes) -> str:
    """Keep a compiled automaton with its fragments; return its file's name."""
    return stored(folder, _ENGINE, pickle.dumps((fragments, compiled), protocol=5))


def _own(name: str) -> bool:
    return "/" not in name and name.startswith((_SEGMENT, _ENGINE, _DIGESTS))
