"""Which people each paper names, kept between builds by the paper's load key.

The projection gives a page only to people something public names (projection.
_people_named): it walks every string of the public papers, 1.65 million at ten years of
papers, about 1.5 s of every build, to publish one meeting. A paper as loaded from
unchanged files is the same paper (load.origins keys it by its files), and the projection
keeps such papers as they are when nothing in them is withheld. So the people such a paper
names are kept under its key, with the set of people's ids they were found among; the next
build takes them for every paper whose key it knows, and walks only the papers loaded
afresh or copied by the projection. The result is the one walking everything gives
(`tests/test_namedmemo.py`).

The file is one pickle in the load cache's folder, written whole under another name and put
in place in one step, and named by the code's fingerprint: a file that cannot be read, from
other code, or made with other people's ids, only means walking everything again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import codememo

_FORMAT = 1


class NamedMemo:
    """The people named under each paper as loaded, by its key (load.origins)."""

    def __init__(
        self,
        origins: dict[int, tuple[Any, bytes]],
        people: Iterable[str],
        kept: dict[bytes, frozenset[str]] | None = None,
    ) -> None:
        self.origins = origins
        self.people = _people_key(people)
        self.kept = kept or {}
        #: What this build found or took, for the next one: papers gone are not kept.
        self.learnt: dict[bytes, frozenset[str]] = {}
        #: Papers walked in this build because their key was unknown (for tests).
        self.walked = 0

    def key(self, paper: Any) -> bytes | None:
        """The paper's load key, when it is the very paper loaded under it."""
        origin = self.origins.get(id(paper))
        return origin[1] if origin is not None and origin[0] is paper else None

    def known(self, key: bytes) -> frozenset[str] | None:
        found = self.kept.get(key)
        if found is not None:
            self.learnt[key] = found
        return found

    def learn(self, key: bytes, names: frozenset[str]) -> None:
        self.walked += 1
        self.learnt[key] = names


_PREFIX = "people-named-"


def path_for(folder: Path) -> Path:
    return codememo.path_for(folder, _PREFIX)


def load(folder: Path, origins: dict[int, tuple[Any, bytes]], people: Iterable[str]) -> NamedMemo:
    """The memo kept in `folder`, or an empty one (none, damaged, other people's ids)."""
    memo = NamedMemo(origins, people)
    saved = codememo.load(folder, _PREFIX)
    if isinstance(saved, dict) and (saved.get("format"), saved.get("people")) == (
        _FORMAT,
        memo.people,
    ):
        kept = saved.get("named")
        if isinstance(kept, dict):
            memo.kept = kept
    return memo


def save(folder: Path, memo: NamedMemo) -> None:
    """Keep what this build found, for the next; a folder that cannot be written is let be.
    A build that walked no paper learnt nothing: the file is not written again (a paper
    gone stays in it, under a key no paper will have, until a build walks one)."""
    if not memo.walked:
        return
    codememo.save(folder, _PREFIX, {"format": _FORMAT, "people": memo.people, "named": memo.learnt})


def _people_key(people: Iterable[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for person in sorted(people):
        digest.update(person.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest()
