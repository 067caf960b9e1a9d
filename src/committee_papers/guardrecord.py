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
import os
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

RECORD = "leakscan.json"
_DIGESTS = "leakscan-public-"
_STRINGS = "leakscan-strings-"


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
    #: Digests of the strings, and of the runs of items, of large JSON files proved clean
    #: (leakscan.Reader.known): they stay clean when the files do.
    strings: set[int] = field(default_factory=set)


def digests(values: Iterable[str]) -> array:
    """Sorted 64-bit digests of `values`, without repeats."""
    return array("Q", sorted(set(value_digests(values))))


def value_digests(values: Iterable[str]) -> list[int]:
    """The 64-bit digest of each of `values`, in order."""
    return byte_digests(v.encode("utf-8", "surrogatepass") for v in values)


def byte_digests(pieces: Iterable[bytes]) -> list[int]:
    """A stable 64-bit digest of each of `pieces` (the same in every process and build)."""
    blake2b = hashlib.blake2b
    return [int.from_bytes(blake2b(piece, digest_size=8).digest()) for piece in pieces]


#: What a run's digest starts from: never the same input as a string's (`byte_digests`).
_RUN_SEED = hashlib.sha256(b"committee-papers json run\x00")


def run_digests(runs: Iterable[bytes]) -> list[int]:
    """A stable 64-bit digest of each run of a large JSON file (`leakscan._json_runs`), in
    its own domain: a run and a string with the same bytes have different digests. SHA-256
    (about three times BLAKE2b's speed here): the runs are the whole file, 265 MB at ten
    years of papers, where strings are short."""
    digests = []
    for run in runs:
        digest = _RUN_SEED.copy()
        digest.update(run)
        digests.append(int.from_bytes(digest.digest()[:8]))
    return digests


#: Past this many digests of `new` passed over between runs, `within` takes a set instead.
RUNS_APART = 2_000


def within(old: array, new: array) -> bool:
    """Every digest of `old` is in `new` (both sorted, without repeats).

    A re-build's public values are the last build's and a few more, so `new` is `old` with a
    few digests put in: it is walked in runs equal to `old`'s, each found by comparing their
    bytes (`_equal_run`), the digests between runs passed over by bisection. At ten years of
    papers (375,000 digests) the set of `new` this took before was 0.14 to 0.2 s of the
    build process's chain, and a walk in order value by value 0.3 s. Past `RUNS_APART`
    digests passed over (public values much changed) it takes the set."""
    if len(old) > len(new):
        return False
    found = _within_by_runs(old, new, RUNS_APART)
    return set(new).issuperset(old) if found is None else found


def _within_by_runs(old: array, new: array, limit: int) -> bool | None:
    """`within`, walking both in runs; None once more than `limit` digests are passed over."""
    old_bytes, new_bytes, size = old.tobytes(), new.tobytes(), old.itemsize
    i = j = passed = 0
    while i < len(old):
        run = _equal_run(
            old_bytes, new_bytes, i * size, j * size, min(len(old) - i, len(new) - j), size
        )
        i, j = i + run, j + run
        if i == len(old):
            break
        # old[i] is not new[j]: it can only be further on, past digests `old` lacks.
        at = bisect.bisect_left(new, old[i], j)
        if at == len(new) or new[at] != old[i]:
            return False
        passed += at - j
        if passed > limit:
            return None
        j = at
    return True


def _equal_run(a: bytes, b: bytes, start_a: int, start_b: int, most: int, size: int) -> int:
    """How many items of `size` bytes, at most `most`, are the same in `a` from `start_a`
    and in `b` from `start_b`: the run doubled while equal, then its end found by halving,
    each step comparing (in C) only the items not compared yet."""
    equal = length = 0
    while equal < most:
        length = min(max(2 * equal, 1), most)
        if _items(a, start_a, equal, length, size) != _items(b, start_b, equal, length, size):
            break
        equal = length
    else:
        return equal
    low, high = equal, length - 1  # items equal .. length - 1 hold the first difference
    while low < high:
        middle = (low + high + 1) // 2
        if _items(a, start_a, low, middle, size) == _items(b, start_b, low, middle, size):
            low = middle
        else:
            high = middle - 1
    return low


def _items(data: bytes, start: int, first: int, end: int, size: int) -> bytes:
    """The bytes of items `first` to `end` (not included) of `size` bytes from `start`."""
    return data[start + first * size : start + end * size]


def load(folder: Path) -> Record | None:
    """The record of the last clean scan, or None (none yet, or unreadable: read all)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        saved = orjson.loads((folder / RECORD).read_bytes())
        record = Record(frozenset(saved["fragments"]), set(saved["clean"]))
        public = _digests_file(folder, saved.get("public"), _DIGESTS)
        if public is not None:
            record.public = public
            record.monotone = saved.get("monotone") is True
        strings = _digests_file(folder, saved.get("strings"), _STRINGS)
        record.strings = set(strings) if strings is not None else set()
        return record
    return None


def _digests_file(folder: Path, name: object, prefix: str) -> array | None:
    """The digests a record names (a file of its own), or None (none, or unreadable)."""
    if isinstance(name, str) and name.startswith(prefix) and "/" not in name:
        with contextlib.suppress(OSError, ValueError):
            digests = array("Q")
            digests.frombytes((folder / name).read_bytes())
            return digests
    return None


#: The last `recorded` answer: its key and value (one build asks twice in one process).
_LAST: list[Any] = [None, None]


def recorded(
    folder: Path, fragments: Iterable[str], public: array | None
) -> tuple[Record | None, set[str], bool]:
    """`load` and `kept` at once, remembered while the record file, the fragments and the
    public digests are those of the last call. A re-build's build process asks when it
    reads the open data's bulk file early and again in the guard's last step, the last
    thing the build waits for: at ten years of papers loading the record and testing the
    public digests took 0.5 s each time."""
    fragments = frozenset(fragments)
    try:
        info = (folder / RECORD).stat()
        mark: Any = (info.st_ino, info.st_mtime_ns, info.st_size)
    except OSError:
        mark = None
    digest = hashlib.sha256(public.tobytes()).digest() if public is not None else None
    key = (str(folder), mark, fragments, digest)
    if mark is not None and _LAST[0] == key:
        return _LAST[1]
    record = load(folder)
    answer = (record, *kept(record, fragments, public))
    _LAST[:] = [key, answer]
    return answer


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
    strings: Iterable[int] = (),
) -> None:
    """Write the record of a clean scan: each file written whole under a new name, then the
    record replaced in one step (builds of other output folders may share the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    # Lists of what are sets to `load`, in no order: sorting the 150,000 clean files and
    # 51,000 fragments of ten years of papers took 0.06 s of the guard's last step.
    payload: dict[str, object] = {"fragments": list(fragments), "clean": list(clean)}
    if public is not None:
        payload.update(public=_digests_stored(folder, public, _DIGESTS), monotone=monotone)
    payload["strings"] = _digests_stored(folder, array("Q", sorted(strings)), _STRINGS)
    # orjson: the record names every clean file of the site (some 150,000 keys at ten years
    # of papers); json.dumps took 0.18 s of the guard's last step, the build's last wait.
    write_whole(folder, orjson.dumps(payload), RECORD)
    for prefix, kept in ((_DIGESTS, payload.get("public")), (_STRINGS, payload["strings"])):
        for old in folder.glob(f"{prefix}*.bin"):
            if old.name != kept:
                with contextlib.suppress(OSError):
                    old.unlink()


def _digests_stored(folder: Path, digests: array, prefix: str) -> str:
    """Digests in a file of their own, named by their hash; its name."""
    return stored(folder, prefix, digests.tobytes())


def stored(folder: Path, prefix: str, data: bytes) -> str:
    """`data` in a file of `folder` named by `prefix` and the hash of the bytes (written
    once: a file of that name holds them already); its name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:32]}.bin"
    if not (folder / name).exists():
        write_whole(folder, data, name)
    return name


def write_whole(folder: Path, data: bytes, name: str) -> None:
    """Write `data` to `folder/name` under another name first, then put it in place."""
    with tempfile.NamedTemporaryFile(
        "wb", dir=folder, prefix="leakscan-", suffix=".tmp", delete=False
    ) as partial:
        partial.write(data)
    os.replace(partial.name, folder / name)
