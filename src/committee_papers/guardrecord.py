"""What the leak guard remembers between builds: the files it proved clean, and why they stay so.

`leakscan.scan_cached` reads only the files it has not proved clean. A file proved clean
against some withheld fragments stays clean against fewer; against a new fragment it was
never checked. A new fragment is withheld text that no public paper contains now (guard.py
drops fragments found in public text). A file unchanged since it was proved clean was made
from the public papers of that build, so it can hold the new fragment only if that text was
public then and is not now: some public value has gone since. So the record also keeps a
64-bit digest of every public value of the last build, and whether the public values have
only grown, build after build, since the last build that read every file (`monotone`).
While they have, the clean files stay clean against new fragments too and only new and
changed files are read; once any public value goes (an edit, a report made exempt, a date
that withholds again), the next new fragment makes the guard read every file, as before.

One thing a full build sees that this cannot: a new fragment equal to text that pages make
up rather than take from the papers (a count, a label; dates in their printed forms are in
the public values). A full build refuses it as a leak; a re-build does not read the
unchanged pages that hold it. Such a fragment is no withheld text reaching the public.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RECORD = "leakscan.json"
_DIGESTS = "leakscan-public-"


@dataclass
class Record:
    #: The fragments the clean files were proved clean against.
    fragments: frozenset[str]
    #: The keys of those files (leakscan: name and bytes, or name and stored copy).
    clean: set[str]
    #: Sorted digests of the public values of the build that wrote the record, if known.
    public: array | None = None
    #: The public values have only grown since the last build that read every file.
    monotone: bool = False


def digests(values: Iterable[str]) -> array:
    """Sorted 64-bit digests of `values`, without repeats."""
    blake2b = hashlib.blake2b
    made = {
        int.from_bytes(blake2b(v.encode("utf-8", "surrogatepass"), digest_size=8).digest())
        for v in values
    }
    return array("Q", sorted(made))


def within(old: array, new: array) -> bool:
    """Every digest of `old` is in `new` (both sorted, without repeats)."""
    if len(old) > len(new):
        return False
    at = 0
    for digest in old:
        at = bisect.bisect_left(new, digest, at)
        if at == len(new) or new[at] != digest:
            return False
    return True


def load(folder: Path) -> Record | None:
    """The record of the last clean scan, or None (none yet, or unreadable: read all)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        saved = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        record = Record(frozenset(saved["fragments"]), set(saved["clean"]))
        name = saved.get("public")
        if isinstance(name, str) and name.startswith(_DIGESTS) and "/" not in name:
            with contextlib.suppress(OSError, ValueError):
                public = array("Q")
                public.frombytes((folder / name).read_bytes())
                record.public = public
                record.monotone = saved.get("monotone") is True
        return record
    return None


def kept(
    record: Record | None, fragments: Iterable[str], public: array | None
) -> tuple[set[str], bool]:
    """The files still proved clean for this build, and whether the public values have only
    grown since every file was last read (known only with `public`)."""
    if record is None:
        return set(), False
    grown = public is not None and record.public is not None and within(record.public, public)
    monotone = record.monotone and grown
    if set(fragments) <= record.fragments or monotone:
        return record.clean, monotone
    return set(), False


def save(
    folder: Path,
    fragments: Iterable[str],
    clean: Iterable[str],
    public: array | None,
    monotone: bool,
) -> None:
    """Write the record of a clean scan: each file written whole under a new name, then the
    record replaced in one step (builds of other output folders may share the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    payload: dict[str, object] = {"fragments": sorted(fragments), "clean": sorted(clean)}
    if public is not None:
        data = public.tobytes()
        name = f"{_DIGESTS}{hashlib.sha256(data).hexdigest()[:32]}.bin"
        if not (folder / name).exists():
            _write(folder, data, name)
        payload.update(public=name, monotone=monotone)
    _write(folder, json.dumps(payload).encode("utf-8"), RECORD)
    for old in folder.glob(f"{_DIGESTS}*.bin"):
        if old.name != payload.get("public"):
            with contextlib.suppress(OSError):
                old.unlink()


def _write(folder: Path, data: bytes, name: str) -> None:
    with tempfile.NamedTemporaryFile(
        "wb", dir=folder, prefix="leakscan-", suffix=".tmp", delete=False
    ) as partial:
        partial.write(data)
    os.replace(partial.name, folder / name)
