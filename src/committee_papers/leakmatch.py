"""The leak guard's comparing: one spelling for all text, and every fragment looked for at once.

Withheld fragments and output files are compared in one folded form (`fold`): entities
decoded, typography and markup punctuation flattened, spacing collapsed, case folded. File
texts are folded as UTF-8 bytes (`fold_bytes`): most output is ASCII without entities, and
for it the whole fold is two C passes over the bytes (`bytes.translate`, then split and
join), with the same result as the full path (tests/test_leakscan.py proves it on every
character that matters).

`Matcher` finds every fragment in a folded text in one pass, as whole words, overlapping
matches included. The pass is Hyperscan's (Intel's SIMD multi-literal matcher, `hyperscan`
on PyPI), about three times faster per byte than an Aho-Corasick automaton
(ahocorasick-rs) on the papers' text; ahocorasick-rs remains the engine where Hyperscan
has no wheel (it is x86-64 only). Both report every occurrence, overlapping ones included.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

_TYPOGRAPHY = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2026": "...",
    "\u00ab": '"',
    "\u00bb": '"',
}
_MARKUP = "*_#|>`[]()~\\<"
#: Typography to plain characters, and Markdown and markup punctuation to spaces.
_FOLD = str.maketrans({**_TYPOGRAPHY, **dict.fromkeys(_MARKUP, " ")})
#: The same, one character at a time, for text that is not ASCII (where `translate` with a
#: table is slow): no replacement is itself replaced, so the order does not matter.
_FOLD_PAIRS = [*_TYPOGRAPHY.items(), *((c, " ") for c in _MARKUP)]
#: Markup punctuation folded on the bytes before decoding (ASCII bytes are never part of a
#: UTF-8 sequence). `#`, `&` and `;` stay: entities need them, and are decoded later.
_BYTE_PUNCT = _MARKUP.replace("#", "").encode()
_BYTES_FOLD = bytes.maketrans(_BYTE_PUNCT, b" " * len(_BYTE_PUNCT))
#: The whole fold of ASCII text without entities, in one table: upper case to lower (what
#: `casefold` does to ASCII), markup punctuation and every ASCII character `str.split`
#: takes for a space (\x1c to \x1f too) to a space; runs of spaces are then made one.
_ASCII_FOLD = bytes(
    b + 32 if 65 <= b <= 90 else 32 if b < 128 and (chr(b) in _MARKUP or chr(b).isspace()) else b
    for b in range(256)
)
_SPACES = re.compile(b"  +")
#: One pass, where replacing `--` until none is left took one pass per halving of a run.
_DASHES = re.compile(b"--+")
#: Text not ASCII is folded in pieces of about this many bytes.
_PIECE = 1 << 16
#: Typography as UTF-8, to its plain ASCII.
_TYPOGRAPHY_B = [(char.encode(), plain.encode()) for char, plain in _TYPOGRAPHY.items()]
#: Joins texts that must not run into each other: folding keeps it, no fragment holds it.
APART = " \x00 "
APART_B = APART.encode()
#: Longer fragments are looked for by their first bytes, then compared whole (Hyperscan
#: takes literals of up to 16,000 bytes).
_HEAD = 8000
_ASCII_ALNUM = bytes(1 if chr(b).isalnum() else 0 for b in range(128))


def normalise(text: str) -> str:
    """One spelling for comparing: entities, typography, markup and spacing do not matter."""
    if "&" in text:
        text = html.unescape(text)
    if text.isascii():
        text = text.translate(_FOLD)
    else:
        for char, plain in _FOLD_PAIRS:
            if char in text:
                text = text.replace(char, plain)
    while "--" in text:  # a run of dashes is one (faster than a regex where CSS has many)
        text = text.replace("--", "-")
    return " ".join(text.split())


def fold(text: str) -> str:
    """Normalised and case-folded: the form fragments and file texts are compared in."""
    return normalise(text).casefold()


def encode(text: str) -> bytes:
    """Folded text as the bytes the matcher reads (lone surrogates kept, as in the text)."""
    return text.encode("utf-8", errors="surrogatepass")


def fold_bytes(data: bytes) -> bytes:
    """`fold` of UTF-8 bytes, as UTF-8 bytes.

    ASCII without an `&` (most output) is folded in one table and two C passes. Anything
    else is folded a piece at a time, cut at spaces (no entity, run of dashes or word spans
    one, so the pieces fold as the whole does), so that one rare character or entity does
    not send a whole file down the slow path.
    """
    if data.isascii() and b"&" not in data:
        return _fold_ascii(data.translate(_ASCII_FOLD))
    if len(data) <= _PIECE:
        return _fold_piece(data)
    return b" ".join(filter(None, map(_fold_piece, _pieces(data))))


def _fold_piece(data: bytes) -> bytes:
    """Without an `&` (no entity to decode) the fold is done on the bytes: ASCII in one
    table, typography by its UTF-8 sequences (each starts with a lead byte, so a match is
    always the character a decoder would read); only text still not ASCII is decoded, to be
    split on Unicode's spaces and case-folded. With an `&`, entities are decoded first."""
    if b"&" in data:
        return encode(fold(data.translate(_BYTES_FOLD).decode("utf-8", errors="replace")))
    data = data.translate(_ASCII_FOLD)
    if not data.isascii():
        for sequence, plain in _TYPOGRAPHY_B:
            if sequence in data:
                data = data.replace(sequence, plain)
        if not data.isascii():
            text = data.decode("utf-8", errors="replace")
            while "--" in text:
                text = text.replace("--", "-")
            return encode(" ".join(text.split()).casefold())
    return _fold_ascii(data)


def _fold_ascii(data: bytes) -> bytes:
    if b"--" in data:  # a run of dashes is one: most pages have some (`cp-outcome--agreed`)
        data = _DASHES.sub(b"-", data)
    if b"  " in data:
        data = _SPACES.sub(b" ", data)
    return data.strip(b" ")


def _pieces(data: bytes) -> Iterator[bytes]:
    """`data` cut at a space after every `_PIECE` bytes (folding never joins across one)."""
    start = 0
    while True:
        cut = data.find(b" ", start + _PIECE)
        if cut < 0:
            yield data[start:]
            return
        yield data[start:cut]
        start = cut + 1


def fold_text(text: str) -> bytes:
    """`fold` of a text, as the bytes the matcher reads."""
    return fold_bytes(encode(text))


# --- the matcher --------------------------------------------------------------------------


class Matcher:
    """Every fragment (already folded) at once; finds them as whole words."""

    def __init__(self, fragments: list[str], compiled: bytes | None = None) -> None:
        """`compiled` is what `compiled()` gave for the same fragments in an earlier build
        (the automaton of ten years of withheld text takes seconds to make, a millisecond
        to load); made afresh when it cannot be loaded."""
        self.fragments = fragments
        #: Fragments that start with a NUL (or are empty) have no head for the engine:
        #: looked for whole with `bytes.find`.
        self._headless = [i for i, f in enumerate(fragments) if not f or f[0] == "\x00"]
        #: Each fragment's bytes and head, made when a match needs them (`_parts`). Made
        #: for every fragment at once, they cost the build process 0.4 s each time it took
        #: ten years of secrets from its fork (secretsahead.py), to check the few matches
        #: of the files its guard read last.
        self._made: dict[int, tuple[bytes, bytes]] = {}
        self._engine: Engine | None = None
        if len(self._headless) < len(fragments):
            loaded = _loaded_engine(compiled) if compiled else None
            self._engine = loaded or self._new_engine()

    def _new_engine(self) -> Engine:
        """The engine made for every fragment with a head."""
        headless = set(self._headless)
        with_head = [i for i in range(len(self.fragments)) if i not in headless]
        return _engine([_head(encode(self.fragments[i])) for i in with_head], with_head)

    def _parts(self, index: int) -> tuple[bytes, bytes]:
        """A fragment's bytes, and what the engine looks for of it: its head, or the whole
        where it has none."""
        made = self._made.get(index)
        if made is None:
            whole = encode(self.fragments[index])
            made = self._made[index] = (whole, _head(whole) or whole)
        return made

    def __getstate__(self) -> dict[str, Any]:
        # The compiled automaton travels with it: loaded in a millisecond, where making it
        # again for ten years of fragments takes seconds (secretsahead.py sends one).
        return {"fragments": self.fragments, "compiled": self.compiled()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["fragments"], state.get("compiled"))  # type: ignore[misc]

    def compiled(self) -> bytes | None:
        """The engine as bytes to keep (None where it cannot be kept: no Hyperscan)."""
        dump = getattr(self._engine, "dump", None)
        return dump() if dump is not None else None

    def find(self, text: bytes | str) -> set[str]:
        """The fragments in folded `text` as whole words (a name inside a longer word is not
        it); overlapping matches count, so a near miss cannot hide a real one."""
        data = encode(text) if isinstance(text, str) else text
        found: set[str] = set()
        ends = self._engine(data) if self._engine is not None else []
        ends.extend(_ends_by_find(data, {i: self._parts(i)[0] for i in self._headless}))
        fragments = self.fragments
        for index, end in ends:
            fragment = fragments[index]
            if fragment in found:
                continue
            whole, head = self._parts(index)
            start = end - len(head)
            stop = start + len(whole)
            if stop != end and data[start:stop] != whole:
                continue
            if _word_around(data, start, stop):
                found.add(fragment)
        return found


class Matchers:
    """Several matchers as one: a kept automaton, and one of the fragments added since."""

    def __init__(self, *parts: Matcher) -> None:
        self.parts = parts

    def find(self, text: bytes | str) -> set[str]:
        data = encode(text) if isinstance(text, str) else text
        found: set[str] = set()
        for part in self.parts:
            found |= part.find(data)
        return found


def _word_around(data: bytes, start: int, stop: int) -> bool:
    """Whether `data[start:stop]` is whole words: no letter or digit just before or after."""
    if start > 0:
        byte = data[start - 1]
        if byte < 0x80:
            if _ASCII_ALNUM[byte]:
                return False
        else:
            first = start - 1
            while first > 0 and 0x80 <= data[first] < 0xC0:  # back over continuation bytes
                first -= 1
            if data[first:start].decode("utf-8", errors="replace")[-1:].isalnum():
                return False
    if stop < len(data):
        byte = data[stop]
        if byte < 0x80:
            return not _ASCII_ALNUM[byte]
        return not data[stop : stop + 4].decode("utf-8", errors="replace")[:1].isalnum()
    return True


def _head(whole: bytes) -> bytes:
    """What the engine looks for of a fragment: up to its first NUL, at most `_HEAD`
    bytes (empty: it has no head)."""
    return whole.split(b"\x00", 1)[0][:_HEAD]


def _ends_by_find(data: bytes, wholes: dict[int, bytes]) -> list[tuple[int, int]]:
    ends = []
    for index, whole in wholes.items():
        at = data.find(whole)
        while at >= 0:
            ends.append((index, at + len(whole)))
            at = data.find(whole, at + 1)
    return ends


Engine = Callable[[bytes], list[tuple[int, int]]]


def _engine(patterns: list[bytes], ids: list[int]) -> Engine:
    """(id, end) of every occurrence of every pattern, overlapping ones included."""
    try:
        import hyperscan
    except ImportError:  # no wheel for this machine: the Aho-Corasick automaton instead
        return _aho_corasick(patterns, ids)
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=patterns, ids=ids, elements=len(patterns), literal=True)
    return _Hyperscan(database)


class _Hyperscan:
    """A compiled Hyperscan database as an Engine, which can be kept as bytes."""

    def __init__(self, database: Any) -> None:
        self.database = database

    def __call__(self, data: bytes) -> list[tuple[int, int]]:
        ends: list[tuple[int, int]] = []
        if data:
            self.database.scan(data, match_event_handler=_collect, context=ends)
        return ends

    def dump(self) -> bytes:
        import hyperscan

        return bytes(hyperscan.dumpb(self.database))


def _loaded_engine(compiled: bytes) -> Engine | None:
    """An engine from `_Hyperscan.dump`, or None (no Hyperscan here, or bytes it refuses:
    another version or platform)."""
    try:
        import hyperscan

        database = hyperscan.loadb(compiled, mode=hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
    except Exception:  # the caller compiles afresh
        return None
    return _Hyperscan(database)


def _collect(index: int, _start: int, end: int, _flags: int, ends: list[tuple[int, int]]) -> None:
    ends.append((index, end))


def _aho_corasick(patterns: list[bytes], ids: list[int]) -> Engine:
    import ahocorasick_rs

    automaton = ahocorasick_rs.BytesAhoCorasick(patterns)

    def scan(data: bytes) -> list[tuple[int, int]]:
        matches = automaton.find_matches_as_indexes(data, overlapping=True)
        return [(ids[index], end) for index, _start, end in matches]

    return scan
