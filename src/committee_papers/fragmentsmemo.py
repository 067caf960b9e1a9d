"""The fragments of each withheld value, kept between builds by the value's digest.

The guard's secrets step cuts every withheld value into the fragments it looks for
(guard.fragments: split at sentence ends, cells and links, each piece folded). At ten years
of papers that is some 10,000 values and 55,000 fragments, 0.4 s of every re-build's fork,
where publishing one meeting adds a handful of values. A value's fragments depend on the
value alone and on this code.

So this memo keeps, for each withheld value of the last build by its 64-bit digest (as
guardrecord gives them), its fragments; the next build cuts only the values it has not
seen. It holds this build's values only: one no longer withheld is forgotten.

The file is one pickle in the guard's folder, written whole under another name and put in
place in one step, and named by the code's fingerprint (codememo.py): a file that cannot be
read, or from other code, only means cutting every value again. It holds withheld text, as
the secrets memo beside it does; the guard's folder is never published.
"""

from __future__ import annotations

from pathlib import Path

from . import codememo

_FORMAT = 1
_PREFIX = "fragments-"

#: A value's fragments, in order (sorted: the same in every process).
Cut = tuple[str, ...]


def load(folder: Path) -> dict[int, Cut]:
    """Each value's fragments by its digest; empty when there is no memo, it is damaged, or
    it was made by other code."""
    return codememo.load_table(folder, _PREFIX, _FORMAT, "values", _cut)


def _cut(value: object) -> bool:
    """A tuple of strings (a damaged file could hold anything)."""
    return type(value) is tuple and all(type(piece) is str for piece in value)


def save(folder: Path, values: dict[int, Cut]) -> None:
    """Keep this build's values' fragments for the next; a folder that cannot be written
    is let be (the next build cuts every value)."""
    codememo.save(folder, _PREFIX, {"format": _FORMAT, "values": values})
