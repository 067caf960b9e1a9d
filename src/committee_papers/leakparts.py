"""The open data's bulk file proved, for the leak guard, from the stored parts it was copied from.

`api/all.json` holds every public object: 265 MB at ten years of papers, changed by every
meeting. Its reading (runs of items known by their digests, leakscan.py) still cut the
whole file into runs on every re-build, 1.3 s of CPU on the chain that ends the build. The
outputs write the file as the text between lists and runs of items, each run kept in the
page cache as a part (outputs.piece), and say so (`outputs.compose`: each segment's length,
and the stored part it is a copy of, if any).

The guard does not take that on trust. `proved` compares the file, byte for byte, with the
stored parts it names; a part proved clean by an earlier scan (its `part_key` in the
guard's record, which stands as every clean file's key does) is not read again, and every
other segment is read. The file is proved only if every segment read ends outside a JSON
string (`balanced`: an even count of quotes not escaped, no escape left open), and a part
is only ever recorded clean after such a reading: each segment then starts and ends outside
a string, every string of the file lies whole in one segment, and a withheld fragment never
spans two strings. A file not proved (other bytes, a part missing, a segment not balanced)
is read whole, as before.

A part need not be read at all where it is made of files the same scan reads. A run of the
bulk file's list is its items' own files (`api/reports/<id>.json`, ...) indented one level
further and joined by commas (`run_text`): indenting adds spaces after line breaks, which
JSON has only between tokens, so every string of the run is a string of one of its items,
byte for byte. The outputs say which items a run is made of (`Run`); the guard makes the
run's text again from the stored copies of those items and compares it with the file's
bytes. It stands only where every item is a site file of the same scan (its stored copy,
the same inode: `covered`) with balanced quotes: the scan reads or knows each of those
files, and any leak in one is found there and stops the build. A first build of ten years
of papers so reads 265 MB less: the bulk file's 8 s of the guard's 43.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

#: A kept part that is a run of a list's items (`run_text`): whether it opens the list, and
#: the stored names of its items' files, in order.
Run = tuple[bool, tuple[str, ...]]
#: A segment of a composed file: its length, and the name of the stored part it is a copy
#: of (None: text between parts, or a part not kept); with a third member, the run of items
#: that part is made of.
Segment = tuple[int, "str | None"] | tuple[int, str, Run]
#: What a build says its composed files are: site name -> (the stored parts' folder, the
#: file's segments in order).
Composed = dict[str, tuple[str, Sequence[Segment]]]


@dataclass
class Proof:
    """A composed file proved to be its segments: its size and a hash of what it is made
    of (each part's name, and the bytes between parts), the keys of the parts known clean,
    and the segments to read (offset, length, and the part's key, or None for text between
    parts).

    The hash stands for the file's bytes in the guard's record, as the hash of a large
    file's bytes does (leakscan._large_key), without a pass of SHA-256 over 265 MB: the
    file was compared with the parts, and a part's name names its bytes. A later build
    with the same file hashes its bytes (leakscan._large_key_if_clean), which never gives
    this key: that file is then proved and read by its parts again, never skipped."""

    size: int = 0
    hexdigest: str = ""
    known: list[str] = field(default_factory=list)
    #: The keys of the parts made of files the same scan reads (their items), not read.
    by_items: list[str] = field(default_factory=list)
    to_read: list[tuple[int, int, str | None]] = field(default_factory=list)


def part_key(stored: str) -> str:
    """What the guard's record knows a clean stored part by: its name, which names its bytes
    (the page cache never writes a part twice). Never a file's content key (those hash a
    NUL after the name) or a stored page's key (`\\x01stored:`)."""
    return hashlib.sha256(b"\x02part:" + stored.encode()).hexdigest()[:32]


def balanced(data: bytes) -> bool:
    """Whether a JSON text that starts outside a string ends outside one: an even count of
    quotes not escaped, and no backslash left to escape what follows."""
    text = data.replace(b"\\\\", b"\x01")
    if text.endswith(b"\\"):
        return False
    return (text.count(b'"') - text.count(b'\\"')) % 2 == 0


def run_text(first: bool, items: Sequence[bytes]) -> bytes:
    """`items` (JSON texts indented by two, each ending in a line break) as a run of the
    items of a list nested one level down, as `json.dumps(..., indent=2)` writes them: the
    list's opening bracket before the first item of the list (`first`), a comma before any
    other, and each item indented four more spaces, without its final line break."""
    return b"".join(
        (b"[\n    " if first and at == 0 else b",\n    ") + item[:-1].replace(b"\n", b"\n    ")
        for at, item in enumerate(items)
    )


def made_of(data: bytes, run: Run, folder: str, covered: Set[str]) -> bool:
    """Whether `data` is `run_text` of the run's items, each one a file of `covered` (the
    stored copies of the site files the scan reads), with balanced quotes."""
    first, names = run
    items: list[bytes] = []
    for stored in names:
        if stored not in covered or "/" in stored:
            return False
        try:
            item = Path(folder, stored).read_bytes()
        except OSError:
            return False
        if not item.endswith(b"\n") or not balanced(item):
            return False
        items.append(item)
    return bool(items) and run_text(first, items) == data


def proved(
    name: str,
    path: str,
    folder: str,
    segments: Sequence[Segment],
    clean: set[str],
    covered: Set[str] | None = None,
) -> Proof | None:
    """`path` (site name `name`) proved to be `segments` of stored parts in `folder`, with
    what is left to read; None when it is not (it is then read whole). With `covered` (the
    stored names of the files the same scan reads), a part made of such files (`made_of`)
    is not read."""
    proof = Proof()
    digest = hashlib.sha256(b"\x03composed:" + name.encode())
    offset = 0
    try:
        with open(path, "rb") as file:
            for segment in segments:
                length, stored = segment[0], segment[1]
                run = segment[2] if len(segment) > 2 else None  # type: ignore[misc]
                data = file.read(length)
                if len(data) != length:
                    return None
                key = None
                if stored is not None:
                    if "/" in stored or Path(folder, stored).read_bytes() != data:
                        return None
                    key = part_key(stored)
                    digest.update(b"p%d:%s;" % (length, stored.encode()))
                else:
                    digest.update(b"b%d:" % length + data)
                if key is not None and key in clean:
                    proof.known.append(key)
                elif key is not None and run and covered and made_of(data, run, folder, covered):
                    proof.by_items.append(key)
                elif balanced(data):
                    proof.to_read.append((offset, length, key))
                else:
                    return None
                offset += length
            if file.read(1):
                return None
    except OSError:
        return None
    proof.size, proof.hexdigest = offset, digest.hexdigest()
    return proof
