"""The public values of each paper as loaded, kept between builds by the paper's load key.

The guard's secrets step (guard.secrets) must know every value the public papers hold: a
withheld string that is also public is no secret. At ten years of papers that is a walk of
1.65 million strings under 840,000 objects and the digests of their 375,000 distinct
values, some 1.9 s of every re-build's fork to learn what one new meeting added. Nearly
all of it (96%) lies under papers the projection keeps as loaded: every report, and each
meeting or body with nothing withheld in it. Such a paper, loaded from unchanged files,
holds the very strings it held when the last build walked it (load.origins keys it by its
files and the code: loaded papers are never changed after loading; namedmemo.py keeps
whom they name on the same ground).

So this memo keeps, for each such paper by its key, the sorted 64-bit digests of its
distinct strings (guardrecord.value_digests). The next build takes them for every paper
whose key it knows and walks only the papers loaded afresh, those the projection made,
and what is not under a paper (the site, people, decisions outside meetings). Values kept
only by digest are never searched for fragments: the secrets memo (secretsmemo.py) holds
them already, and a build finding otherwise walks everything (guard.secrets).

The file is one pickle in the guard's folder, written whole under another name and put in
place in one step, and named by the code's fingerprint: a file that cannot be read, or
from other code, only means walking everything again.
"""

from __future__ import annotations

from pathlib import Path

from . import codememo

_FORMAT = 1
_PREFIX = "public-units-"


def path_for(folder: Path) -> Path:
    return codememo.path_for(folder, _PREFIX)


def load(folder: Path) -> dict[bytes, bytes]:
    """Each paper's digests (an array of 64-bit digests as bytes) by its load key; empty
    when there is no memo, it is damaged, or it was made by other code."""
    return codememo.load_table(folder, _PREFIX, _FORMAT, "units", _digests)


def _digests(value: object) -> bool:
    """64-bit digests as bytes (a damaged file could hold anything)."""
    return type(value) is bytes and len(value) % 8 == 0


def save(folder: Path, units: dict[bytes, bytes]) -> None:
    """Keep this build's papers' digests for the next; a folder that cannot be written
    is let be (the next build walks everything)."""
    codememo.save(folder, _PREFIX, {"format": _FORMAT, "units": units})
