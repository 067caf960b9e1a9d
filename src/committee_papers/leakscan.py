"""Reading every public output file once, fast, for the leak guard (guard.py).

The guard's cost is the size of the output: 23,529 files and about 330 MB on a 500-meeting
council. Each file is turned into one text, its name first, in which every way a reader or
a machine could get a withheld sentence out of it reads as the sentence's normalised form:

- HTML and XML: the text with tags removed (so `<em>` inside a sentence hides nothing),
  then the tags themselves (attributes, comments); the theme's own lines, the same on every
  page, are read on the first pages only.
- JSON (the open data, Pagefind's page fragments): escapes decoded (`\\n`, `\\"`, `\\u2019`),
  then read as HTML, since values hold HTML too.
- gzip, whatever the name; iCalendar unfolded and unescaped; PDF through its text, metadata
  and outline (pypdf).

Each text is folded as UTF-8 bytes, in a few C passes where it has no entity, and every
withheld fragment is looked for at once (leakmatch.py: the fold, and the matcher).

`scan_cached` keeps the names of clean files by content hash in a cache folder, so an
incremental build reads only the files that changed (see docs/incremental.md).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import itertools
import os
import re
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol, TypeVar

from . import forked, guardrecord, leakparts, sitelisting
from .forked import Forked
from .leakmatch import APART, APART_B, Matcher, fold, fold_bytes, fold_text
from .leakparts import Composed
from .sitelisting import ByFolder

_T = TypeVar("_T")

__all__ = ["APART", "Matcher", "fold", "scan_cached", "scan_files", "site_files", "theme_of"]

#: A tag starts with a letter, `/`, `!` or `?` after `<` (a `<` before a space is text).
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
_TAG_B = re.compile(rb"<[A-Za-z/!?][^>]*>")
#: The tags that can hold text: those with attributes, and comments (not `</p>` or `<tr>`).
_TAG_WITH_TEXT_B = re.compile(rb"<[A-Za-z?][^>\s]*\s[^>]*>|<![^>]*>")
#: Files with no text to leak (images are checked through their alt text in the HTML).
BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot"}
_JSON = {".json", ".pf_fragment"}
_MARKUP_FILES = {".html", ".htm", ".xml", ".svg", ".rss", ".atom"}
_CALENDAR = {".ics", ".ical", ".ifb"}
#: Lines at least this long that repeat on the first pages are the theme's, read once;
#: lines of markup alone (no text between tags) are, whatever their length.
_THEME_LINE = 40
_LEARN_FROM = 12
#: Shorter words in a search index cannot hold a fragment (MIN_CHARS in guard.py), even
#: with their length byte in front. Each word with the space before it: the regex engine
#: then jumps from space to space instead of trying every byte of a short run.
_INDEX_WORD = re.compile(rb" [^ ]{8,}")
#: JSON's one-letter escapes (a backslash reads as a space: it folds to one anyway).
_JSON_ESCAPE = re.compile(rb'\\(["\\/bfnrt])')
_JSON_ESCAPED = {b"\\": b" ", b'"': b'"', b"/": b"/", b"n": b"\n", b"t": b"\t", b"r": b"\r"}
_JSON_ESCAPED |= {b"b": b" ", b"f": b" "}
_JSON_UNICODE = re.compile(
    rb"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})"
)


class LeakCheckError(Exception):
    """An output file could not be read, so it could not be proved free of withheld text."""


class Finder(Protocol):
    """What a scan looks for: `Matcher`, or guard.Secrets (fragments with their papers)."""

    @property
    def fragments(self) -> list[str]: ...

    def find(self, text: bytes) -> set[str]: ...


# --- one file, one text -------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """Lines the theme repeats on every page, each with what stands for it once read."""

    lines: dict[bytes, bytes] = field(default_factory=dict)

    #: Stripped blocks of the theme met on two pages or more, by their bytes (`strip_page`).
    blocks: dict[bytes, bytes] = field(default_factory=dict)
    #: Hashes of the blocks met once: a block is remembered from its second sighting, so a
    #: block of one page's own (its title, its table of contents) is never held.
    once: set[int] = field(default_factory=set)

    def strip(self, data: bytes) -> bytes:
        if not self.lines:
            return data
        lines = data.split(b"\n")
        return b"\n".join(map(self.lines.get, lines, lines))

    def strip_page(self, data: bytes) -> bytes:
        """`strip` of a page's theme, cheaper: the same or more text.

        The page's own content (`<article>` to `</article>`, as the theme writes it) is kept
        whole: the theme's lines inside it are few, and keeping a line only reads more (a
        line the theme stands for, kept, is read as it is). Around it the theme is stripped
        block by block (`_BLOCKS`, always at the start of a line, so the blocks' strips put
        together are the whole strip); a block met before, byte for byte, is not split into
        lines again: the primary navigation, the tabs and the footer are the same bytes on
        thousands of pages."""
        if not self.lines:
            return data
        start, end = data.find(b"<article"), data.rfind(b"</article>")
        if start < 0 or end < start:
            return self.strip(data)
        start = data.rfind(b"\n", 0, start) + 1
        end = data.find(b"\n", end)
        if end < 0:
            end = len(data)
        return self._strip_blocks(data[:start]) + data[start:end] + self._strip_blocks(data[end:])

    def _strip_blocks(self, data: bytes) -> bytes:
        cuts = [0]
        for mark in _BLOCKS:
            at = data.find(mark, cuts[-1])
            if at > 0:
                cuts.append(data.rfind(b"\n", 0, at) + 1)
        cuts.append(len(data))
        return b"".join(self._strip_block(data[a:b]) for a, b in itertools.pairwise(cuts))

    def _strip_block(self, block: bytes) -> bytes:
        stripped = self.blocks.get(block)
        if stripped is not None:
            return stripped
        stripped = self.strip(block)
        key = hash(block)
        if key in self.once:
            if len(self.blocks) < _MAX_BLOCKS:
                self.blocks[block] = stripped
        else:
            self.once.add(key)
        return stripped


#: Where the theme's big blocks start (mkdocs-material's header, tabs, primary navigation,
#: table of contents): the page before and after its content is stripped block by block.
#: Only a speed-up: wherever they are, or if they are missing, the strip is the same.
_BLOCKS = (
    b"<header ",
    b'<nav class="md-tabs"',
    b'<nav class="md-nav md-nav--primary',
    b'<div class="md-sidebar md-sidebar--secondary',
)
#: Distinct theme blocks remembered (there are a few dozen; the bound keeps a site whose
#: blocks all differ from holding them).
_MAX_BLOCKS = 1024


def learn_theme(pages: Iterable[bytes]) -> Theme:
    """Lines that repeat across the first pages: the theme's, the same on every page.

    A line of markup alone is dropped (the text around it reads as it did with the tags
    removed); a longer line with text becomes a separator, so no sentence runs across it.
    """
    counts: dict[bytes, int] = {}
    for data in pages:
        for line in set(data.split(b"\n")):
            counts[line] = counts.get(line, 0) + 1
    lines: dict[bytes, bytes] = {}
    for line, count in counts.items():
        if count < 2:
            continue
        if not _TAG_B.sub(b"", line).strip():
            lines[line] = b""
        elif len(line) >= _THEME_LINE:
            lines[line] = APART_B
    return Theme(lines)


def first_pages(names: list[str]) -> list[str]:
    """The pages the theme is learnt from, and which are therefore read whole. Taken as
    they come: the whole list's pages were 0.05 s a call at ten years of papers, asked
    twice by each process reading a share of the site."""
    return list(itertools.islice((n for n in names if n.endswith(".html")), _LEARN_FROM))


@dataclass
class Reader:
    """Reads the files of one site: the theme learnt from its first pages, and the JSON
    strings already read (the open data repeats every title in several files: a string is
    looked at once, where it is first met, and a leak in it is reported there)."""

    theme: Theme = field(default_factory=Theme)
    whole: frozenset[str] = frozenset()
    #: Hashes of the JSON strings read. Ten years of open data hold some hundreds of MB of
    #: distinct strings; kept whole they made the guard's memory grow with the archive's
    #: text. The hash is the one `set()` has just computed (bytes keep it); two of a million
    #: strings sharing a 64-bit hash, so that one would go unread, is about a 1 in 10^7
    #: chance per build.
    seen: set[int] = field(default_factory=set)

    #: The strings of large JSON files proved clean by earlier builds (stable digests,
    #: `guardrecord.byte_digests`), not read again while the guard's record holds
    #: (guardrecord.kept); None when not kept. And the digests of those met in this build.
    known: set[int] | None = None
    learnt: set[int] = field(default_factory=set)

    #: Hashes of the tags with text read in pages (`_markup_once`).
    tags: set[int] = field(default_factory=set)

    #: Hits in the content of files read so far that others may repeat (`find`).
    same: dict[tuple[str, bytes], set[str]] = field(default_factory=dict)

    def text(self, name: str, data: bytes) -> bytes:
        """The folded text of one output file (UTF-8): its name, then every readable form."""
        head = fold_text(name)
        body = self._body(name, data)
        return head if body is None else head + APART_B + body

    def _body(self, name: str, data: bytes) -> bytes | None:
        """The folded text of a file's content (None when it has none to read)."""
        suffix = _suffix(name)
        if suffix in BINARY:
            return None
        if data[:2] == b"\x1f\x8b":  # gzip, whatever the name: sitemaps, search index chunks
            data = _gunzip(data)
            if suffix == ".gz":
                suffix = _suffix(name[: -len(suffix)])
        if data[:5] == b"%PDF-":
            return fold_text(APART.join(_pdf_text(data)))
        parts = []
        if data[:12] == b"pagefind_dcd":
            data = data[12:]
            if suffix == ".pf_index":
                data = _index_words(data)
        if suffix in _JSON:
            data = self._json_strings(data)
        elif suffix in _CALENDAR:
            parts.append(fold_text(_ics_text(data.decode("utf-8", errors="replace"))))
        elif suffix in _MARKUP_FILES:
            if name not in self.whole:
                data = self.theme.strip_page(data)
            parts.append(fold_bytes(self._markup_once(data)))
            return APART_B.join(parts)
        parts.append(fold_bytes(_markup_apart(data)))
        return APART_B.join(parts)

    def _markup_once(self, data: bytes) -> bytes:
        """`_markup_apart` of a page, each tag with text read once per site.

        A page's tags with attributes and its comments are a quarter of its text, and four
        in five of them are the same bytes on other pages (`<a href="../../committees/"
        class="md-nav__link">`). Each is read apart, as a JSON string is: an attribute's
        value lies inside one tag, and the tags were only ever read side by side with the
        text between them taken out, an order no reader sees. A tag met before (by hash, as
        JSON strings) is not read again, and a leak in it is reported where first met."""
        if b"<" not in data:
            return data
        seen = self.tags
        fresh = [tag for tag in set(_TAG_WITH_TEXT_B.findall(data)) if hash(tag) not in seen]
        seen.update(map(hash, fresh))
        fresh.sort()
        return _TAG_B.sub(b" ", data) + APART_B + APART_B.join(fresh)

    def find(self, matcher: Finder, name: str, data: bytes) -> set[str]:
        """`matcher.find(self.text(name, data))`, a large JSON file a window at a time.

        `api/all.json` of ten years is some 260 MB: split into strings, deduplicated,
        decoded and folded at once, it took over a gigabyte. Windows end just after a
        string (an even count of unescaped quotes from the start), so each string stays
        whole in one window, and a fragment never spans two strings: the same fragments
        are found."""
        suffix = _suffix(name)
        if suffix in _SAME_SUFFIXES and len(data) >= _SAME_MIN_BYTES:
            return matcher.find(fold_text(name)) | self._same_content(matcher, name, data)
        if len(data) <= _JSON_WINDOW or suffix != ".json":
            return matcher.find(self.text(name, data))
        return self.find_json(matcher, name, io.BytesIO(data))

    def find_json(self, matcher: Finder, name: str, file: Blocks) -> set[str]:
        """`find` of a large JSON file read from `file` a window at a time (`_json_windows`):
        a scan hands the file itself, so not even its bytes are held whole."""
        return matcher.find(fold_text(name)) | self._json_hits(matcher, file)

    def _json_hits(self, matcher: Finder, file: Blocks) -> set[str]:
        found: set[str] = set()
        for window in _json_windows(file):
            strings = self._json_strings(window, large=True)
            found |= matcher.find(fold_bytes(_markup_apart(strings)))
        return found

    def find_parts(
        self, matcher: Finder, name: str, path: str, proof: leakparts.Proof
    ) -> tuple[set[str], list[str]]:
        """`find_json` of a composed file proved to be its parts (leakparts.proved): only
        the segments not proved clean before are read, each as a JSON text of its own (it
        starts and ends outside a string). The fragments found, and the keys of the parts
        known or now proved clean."""
        found = matcher.find(fold_text(name))
        keys = [*proof.known, *proof.by_items]
        with open(path, "rb") as file:
            for offset, length, key in proof.to_read:
                file.seek(offset)
                hits = self._json_hits(matcher, io.BytesIO(file.read(length)))
                found |= hits
                if key is not None and not hits:
                    keys.append(key)
        return found, keys

    def _same_content(self, matcher: Finder, name: str, data: bytes) -> set[str]:
        """The hits in a file's content, read once for every file with the same bytes.

        Pagefind writes the same scripts, styles and WebAssembly beside each of its indexes
        (some 15 MB at 500 meetings, two dozen copies). Only kinds whose reading depends on
        the bytes alone take this way: not JSON (strings already read are skipped), markup
        (the theme's lines) or gzip (its content may be either)."""
        key = (_suffix(name), hashlib.sha256(data).digest())
        hits = self.same.get(key)
        if hits is None:
            body = self._body(name, data)
            hits = self.same[key] = set() if body is None else matcher.find(body)
        return hits

    def _json_strings(self, data: bytes, large: bool = False) -> bytes:
        """Every string of a JSON file (keys and values) not read before, escapes decoded,
        kept apart from each other as a parser would give them. In a `large` file (the
        whole open data: every build changes it) strings proved clean by an earlier build
        are not read again either."""
        if not large and b"\\" in data:
            # An escaped quote must not end a string: stand-ins first, decoded after (a
            # `large` file's windows have them already: `_json_windows`).
            data = data.replace(b"\\\\", b"\x01").replace(b'\\"', b"\x02")
        if large and self.known is not None:
            data = self._unknown_runs(data)
        parts = data.split(b'"')
        if _outside_strings(parts[0::2]):  # not JSON after all: read all of it
            return _json_unescaped(data.replace(b"\x01", b" ").replace(b"\x02", b'"'))
        strings = set(parts[1::2])
        if large and self.known is not None:
            digests = dict(zip(strings, guardrecord.byte_digests(strings), strict=True))
            self.learnt.update(digests.values())
            known = self.known
            strings = {piece for piece, digest in digests.items() if digest not in known}
        seen = self.seen
        fresh = [piece for piece in strings if hash(piece) not in seen]
        seen.update(map(hash, fresh))
        fresh.sort()
        joined = APART_B.join(fresh)
        # A backslash folds to a space anyway; an escaped quote is a quote.
        return _json_unescaped(joined.replace(b"\x01", b" ").replace(b"\x02", b'"'))

    def _unknown_runs(self, data: bytes) -> bytes:
        """The runs of `data` (`_json_runs`) not proved clean by an earlier build, side by
        side; every run's digest is learnt.

        Each string of a run lies whole in it, so a run with the bytes of one read in a
        clean build holds only strings read then: it stands as they do. At ten years of
        papers the open data's 53,000 items were split into 1.9 million strings and each
        string digested on every build, to find the few that a new meeting added; digesting
        a run of bytes costs no Python per string."""
        runs = _json_runs(data)
        known = self.known
        assert known is not None
        digests = guardrecord.run_digests(runs)
        self.learnt.update(digests)
        unknown = [run for run, digest in zip(runs, digests, strict=True) if digest not in known]
        return data if len(unknown) == len(runs) else b"".join(unknown)


#: Where `_json_runs` may cut: before an item of an array that is a value of the top
#: object, as `to_json` writes the open data (two spaces a level; a line break is never
#: inside a string). A JSON text of another shape is one run.
_RUN_START = b"\n    {\n"


def _json_runs(data: bytes) -> list[bytes]:
    """`data` (a window of `_json_windows`: escaped quotes already stand-ins) cut before
    items (`_RUN_START`), at places with an even count of quotes before them: each run then
    starts outside a string and holds its strings whole, whatever the text is."""
    pieces = data.split(_RUN_START)
    runs: list[bytes] = []
    pending: list[bytes] = []
    quotes = 0
    for piece in pieces:
        pending.append(piece)
        quotes += piece.count(b'"')
        if quotes % 2 == 0:
            runs.append(_RUN_START.join(pending))
            pending = []
    if pending:
        runs.append(_RUN_START.join(pending))
    return runs


def _json_windows(file: Blocks) -> Iterator[bytes]:
    """A JSON text in windows of about `_JSON_WINDOW` bytes, each ending outside a string
    (`_window_end`), with escaped backslashes and quotes already stand-ins (as
    `_json_strings` makes them; doing it again there changes nothing), so that every quote
    left bounds a string. Read a block at a time: a run of backslashes is never split
    between blocks, so the stand-ins are those of the whole text."""
    buffer, pending, end_of_file = b"", b"", False
    while True:
        end = _window_end(buffer)
        if end:
            yield buffer[:end]
            buffer = buffer[end:]
            continue
        if end_of_file:
            if buffer:
                yield buffer
            return
        block = file.read(_JSON_WINDOW)
        end_of_file = not block
        data = pending + block
        kept = len(data) if end_of_file else len(data.rstrip(b"\\"))
        data, pending = data[:kept], data[kept:]
        buffer += data.replace(b"\\\\", b"\x01").replace(b'\\"', b"\x02")


def _window_end(buffer: bytes) -> int:
    """Where the window at the start of `buffer` ends; 0 when more must be read first.

    Before an item of the open data (`_RUN_START`) with an even count of quotes before it:
    a window then holds whole runs (`_json_runs`), so an item inserted early in the file
    shifts no run after it (each is known by its digest as it was), and its strings whole.
    A JSON text of another shape, with no such place for `_RUN_WAIT` windows, ends a window
    just after a string instead (an even count of quotes up to and with it). Windows of a
    megabyte, not more: each is passed over several times (stand-ins, quotes, runs,
    digests), and at that size the passes read from the processor's cache."""
    end = _outside_string(buffer, _RUN_START)
    if end != -1:
        return end
    if len(buffer) < _RUN_WAIT * _JSON_WINDOW:
        return 0
    # Just after a closing quote (an even count up to and with it); 0 while there is none.
    return _outside_string(buffer, b'"', past=1) + 1


def _outside_string(buffer: bytes, mark: bytes, past: int = 0) -> int:
    """The first `mark` from `_JSON_WINDOW` on with an even count of quotes before it (and
    `past` bytes of it), or -1."""
    end = buffer.find(mark, _JSON_WINDOW)
    while end != -1 and buffer.count(b'"', 0, end + past) % 2:
        end = buffer.find(mark, end + 1)
    return end


def _large_json(path: str) -> bool:
    """A JSON file read a window at a time from the file (`Reader.find_json`)."""
    return _large_size(path, os.stat(path).st_size)


def _large_size(path: str, size: int) -> bool:
    """`_large_json` of a file of `size` bytes."""
    return path[-5:].lower() == ".json" and size > _JSON_WINDOW


def _markup_apart(data: bytes) -> bytes:
    """The text as read, markup removed; then the markup: attributes and comments."""
    if b"<" not in data:
        return data
    markup = b" ".join(_TAG_WITH_TEXT_B.findall(data))
    return _TAG_B.sub(b" ", data) + APART_B + markup


#: Kinds of file read once for all files of the same bytes (`Reader._same_content`).
_SAME_SUFFIXES = {".js", ".css", ".pagefind", ".wasm", ".map", ".txt"}
_SAME_MIN_BYTES = 4096

#: Bytes of a large JSON file read at once (`Reader.find`), and the size from which a JSON
#: file is large. At ten years of papers only `api/all.json` (265 MB) is; its windows of
#: 8 MB took 1.4 s where windows of 1 MB ending before an item took 1.0 s (`_window_end`).
_JSON_WINDOW = 1024 * 1024
#: Windows' worth of a JSON text read without a place before an item before a window ends
#: just after a string instead.
_RUN_WAIT = 4


try:  # ISA-L's inflate: about twice as fast as zlib's, the same bytes (pyproject.toml)
    from isal import isal_zlib as _inflate
except ImportError:  # no wheel for this machine
    _inflate = zlib  # type: ignore[assignment]


def _gunzip(data: bytes) -> bytes:
    """The content of a gzip file, every member of it; the bytes as they are if it is not
    gzip after all (they are read as they are)."""
    reader = _inflate.decompressobj(wbits=31)  # a gzip header; one member, as Pagefind writes
    with contextlib.suppress(zlib.error, _inflate.error):
        content = reader.decompress(data)
        if reader.eof and not reader.unused_data:
            return content
    with contextlib.suppress(OSError, EOFError, zlib.error):
        return gzip.decompress(data)  # more members, or something wrong: the thorough way
    return data


def _outside_strings(gaps: list[bytes]) -> bytes:
    """What lies between the strings of a JSON text besides punctuation, numbers, `true`,
    `false` and `null`: nothing, in JSON."""
    rest = b"".join(gaps).translate(None, b" \t\r\n{}[]:,0123456789.-+eE")
    return rest.replace(b"tru", b"").replace(b"fals", b"").replace(b"null", b"")  # e gone


def file_text(name: str, data: bytes, theme: Theme | None = None) -> bytes:
    """The folded text of one output file on its own (see `Reader.text`)."""
    return Reader(theme or Theme()).text(name, data)


#: Bytes that can be part of a word in a Pagefind word index (lower-case letters, digits,
#: UTF-8), every other byte a gap: the words come out without the binary around them.
_WORD_BYTES = bytes(b if (48 <= b <= 57 or 97 <= b <= 122 or b >= 0x80) else 32 for b in range(256))


#: The first letter of each word after any bytes of 0x80 and above (CBOR's length byte, as
#: `r.lstrip(high)[1:]` of each word, in one C pass).
_LENGTH_LETTER = re.compile(rb"(?<![^ ])[\x80-\xff]*[^ ]")


def _index_words(data: bytes) -> bytes:
    """The words of a Pagefind word index (CBOR), one space between each.

    In CBOR a short word is preceded by its length, a byte that reads as a letter (`g` for
    seven letters), so the runs are given twice: as they are, then without their first
    letter. Word indexes hold single words, so no fragment is lost by the order.
    """
    words = b"".join(_INDEX_WORD.findall(b" " + data.translate(_WORD_BYTES)))[1:]
    return words + b" " + _LENGTH_LETTER.sub(b"", words)


def _json_unescaped(data: bytes) -> bytes:
    """JSON's string escapes decoded in place, so a sentence reads as it would when parsed."""
    if b"\\" not in data:
        return data
    data = _JSON_ESCAPE.sub(_one_letter_escape, data)  # one pass, left to right, as a parser
    if b"\\u" in data:
        data = _JSON_UNICODE.sub(_unicode_escape, data)
    return data


def _one_letter_escape(match: re.Match[bytes]) -> bytes:
    return _JSON_ESCAPED[match[1]]


def _unicode_escape(match: re.Match[bytes]) -> bytes:
    """One `\\uXXXX` (or a surrogate pair of them) as UTF-8; a lone surrogate as `?`."""
    if match[3]:
        char = chr(int(match[3], 16))
    else:
        high, low = int(match[1], 16), int(match[2], 16)
        char = chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return char.encode("utf-8", errors="replace")


def _ics_text(raw: str) -> str:
    """iCalendar as a calendar app shows it: long lines unfolded (RFC 5545 3.1) and text
    escapes undone (3.3.11), so a sentence split across folded lines is still found."""
    unfolded = re.sub(r"\r?\n[ \t]", "", raw)
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], unfolded)


def _pdf_text(data: bytes) -> Iterator[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        yield " ".join(page.extract_text() or "" for page in reader.pages)
        yield str(reader.metadata or "")
        yield " ".join(_outline_titles(reader.outline))
    except Exception as error:  # an unreadable PDF cannot be proved clean
        raise LeakCheckError(f"could not read the PDF: {error}") from error


def _outline_titles(outline: Any) -> Iterator[str]:
    for entry in outline:
        if isinstance(entry, list):
            yield from _outline_titles(entry)
        else:
            yield str(getattr(entry, "title", ""))


# --- a whole site -------------------------------------------------------------------------


def site_files(
    site_dir: Path, inodes: dict[str, int] | None = None, leave: tuple[str, ...] = ()
) -> list[str]:
    """Every file of a built site, relative to it, in a stable order (as `Path.rglob` with
    `is_file` gives them: links to files count, links to folders are not followed).

    `inodes`, when given, is filled with each file's inode number (free: the folder listing
    holds it); a symbolic link to a file gets none, so it is always read. The folders
    `leave` (relative, ending in "/") are not listed, nor the files it names."""
    found: list[str] = []
    _walk_files(str(site_dir), "", found, inodes, leave)
    return sorted(found)


def _walk_files(
    folder: str,
    prefix: str,
    found: list[str],
    inodes: dict[str, int] | None = None,
    leave: tuple[str, ...] = (),
) -> None:
    sitelisting.walk(folder, prefix, found, inodes, leave)


def _suffix(name: str) -> str:
    """`Path(name).suffix.lower()` without making a Path (24,000 files, two calls each)."""
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


def _root(site_dir: Path) -> str:
    """The site folder as a string that a file's name is appended to."""
    return os.path.join(os.fspath(site_dir), "")


def _content_key(name: str, data: bytes) -> str:
    """What the cache knows a clean file by: its name and bytes. SHA-256, which this
    machine's processor computes at about 1.7 GB/s against BLAKE2b's 0.6 (a cold build
    hashes every file, some 330 MB at 500 meetings); the bytes are not copied to be
    hashed after the name."""
    digest = hashlib.sha256(name.encode() + b"\x00")
    digest.update(data)
    return digest.hexdigest()[:32]


class Blocks(Protocol):
    """What a large JSON file is read from: a file, or a reading that also hashes it."""

    def read(self, size: int, /) -> bytes: ...


class _KeyedReading:
    """A large JSON file read a block at a time (`_json_windows`), its key (`_large_key`)
    made from the same blocks: `api/all.json` of ten years (265 MB) changes with every
    meeting, and hashing it before reading it was a second pass over it, on the re-build's
    last step."""

    def __init__(self, name: str, file: BinaryIO) -> None:
        self._file, self._size = file, 0
        self._digest = hashlib.sha256(name.encode() + b"\x00")

    def read(self, size: int) -> bytes:
        block = self._file.read(size)
        self._digest.update(block)
        self._size += len(block)
        return block

    def key(self) -> str:
        """The key of every byte read (the whole file, once `_json_windows` is done)."""
        return _large_key(self._size, self._digest.hexdigest())


def _large_key(size: int, hexdigest: str) -> str:
    """What the cache knows a clean large JSON file by: its size, then its name and bytes
    hashed as `_content_key` hashes them. The size is read first (`_large_key_if_clean`):
    a file of a size no clean file had is read, and hashed as it is read, without a pass
    before."""
    return f"{size}:{hexdigest[:32]}"


def _large_sizes(clean: set[str]) -> set[str]:
    """The sizes of the large files among the clean keys (their keys start with it), so a
    large file of another size is read at once instead of hashed first. Some 150,000 keys
    at ten years of papers: made only by a share that meets a large file to hash."""
    return {key.partition(":")[0] for key in clean if ":" in key}


def _large_key_if_clean(name: str, path: str, clean: set[str], sizes: set[str]) -> str | None:
    """A large file's key when some clean large file had its size (`sizes`) and it is one
    of them (hashed from the file a block at a time, never held whole); None when it must
    be read (and its key made while it is: `_KeyedReading`)."""
    size = os.stat(path).st_size
    if str(size) not in sizes:
        return None
    with open(path, "rb") as file:
        reading = _KeyedReading(name, file)
        while reading.read(1 << 20):
            pass
    key = reading.key()
    return key if key in clean else None


def _stored_key(name: str, stored: str) -> str:
    """What the cache knows a file linked from the page cache by: its name and the stored
    copy's name (the hash of its bytes). Never a content key: a file's name holds no NUL,
    so `name + NUL + bytes` and `name + 0x01 + ...` cannot be the same input."""
    return hashlib.sha256(name.encode() + b"\x01stored:" + stored.encode()).hexdigest()[:32]


def _read(path: str) -> bytes:
    """A file's bytes: one read of its size (no file object, no buffer copied), then reads
    until the end, so a file that grew or a short read still gives every byte."""
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(handle, os.fstat(handle).st_size + 1)]
        while chunks[-1]:
            chunks.append(os.read(handle, 1 << 20))
    finally:
        os.close(handle)
    return chunks[0] if len(chunks) == 2 else b"".join(chunks)


def _scan_share(
    site_dir: Path,
    names: list[str],
    share: list[str],
    stored: Mapping[str, tuple[str, int]],
    inodes: dict[str, int],
    clean: set[str],
    matcher: Finder,
    known: set[int] | None = None,
    early: EarlyScan | None = None,
    noting: EarlyScan | None = None,
    composed: Composed | None = None,
    covered: Set[str] | None = None,
    stop: Callable[[], bool] | None = None,
) -> tuple[dict[str, set[str]], list[str], set[int]]:
    """`scan_cached`'s reading of the files `share` (of the site's `names`): the fragments
    found in each file that has any, the keys of the files found or known clean, and the
    digests of the strings of large JSON files met (`Reader.known`). A file `early` read
    (`scan_early`) that is still what it was then is taken as read; `noting` receives
    each file read or hashed here, with what it was before it was read. A large file
    `composed` names is read by its parts when it is proved to be them (leakparts.py);
    a part made of the files whose stored copies are `covered` (every share of the scan
    reads or knows them) is not read. `stop`, asked every `STOP_EVERY` files, ends the
    reading early (a reading `noting` what it read, which another scan ends)."""
    reader: Reader | None = None  # learnt from the site's first pages once one file is read
    found: dict[str, set[str]] = {}
    now_clean: list[str] = []
    root = _root(site_dir)
    sizes: set[str] | None = None  # of the clean large files: made when one is first met
    for count, name in enumerate(share):
        if stop is not None and count % STOP_EVERY == 0 and stop():
            break
        path = root + name
        data: bytes | None = None
        key: str | None = None
        copy = _stored_copy(name, stored, inodes)
        if copy is not None:
            key = _stored_key(name, copy)
            if key in clean:
                now_clean.append(key)
                continue
        info = os.stat(path)
        taken = early.files.get(name) if early is not None else None
        if taken is not None and taken[0] == _identity(info):
            _, key, hits = taken
            if hits:
                found[name] = hits
            elif key is not None:
                now_clean.append(key)
                if early is not None:
                    now_clean.extend(early.parts.get(name, ()))
            continue
        large = _large_size(path, info.st_size)
        if key is None:  # not linked from a store: known by its bytes
            if large:
                if sizes is None:
                    sizes = _large_sizes(clean)
                key = _large_key_if_clean(name, path, clean, sizes)
            else:
                data = _read(path)
                key = _content_key(name, data)
            if key is not None and key in clean:
                now_clean.append(key)
                if noting is not None:
                    noting.files[name] = (_identity(info), key, set())
                continue
        if reader is None:
            reader = Reader(theme_of(site_dir, names), frozenset(first_pages(names)))
            reader.known = known
        proof = None
        if large and composed is not None and name in composed:
            proof = leakparts.proved(name, path, *composed[name], clean, covered)
        if proof is not None:
            hits, parts = reader.find_parts(matcher, name, path, proof)
            key = _large_key(proof.size, proof.hexdigest)
            if noting is not None:
                noting.files[name] = (_identity(info), key, hits)
                noting.parts[name] = parts
            if hits:
                found[name] = hits
            else:
                now_clean.append(key)
                now_clean.extend(parts)
            continue
        if large:
            with open(path, "rb") as file:
                reading = _KeyedReading(name, file)
                hits = reader.find_json(matcher, name, reading)
                key = key or reading.key()
        else:
            hits = reader.find(matcher, name, _read(path) if data is None else data)
        if noting is not None:
            noting.files[name] = (_identity(info), key, hits)
        if hits:
            found[name] = hits
        elif key is not None:
            now_clean.append(key)
    return found, now_clean, reader.learnt if reader is not None else set()


#: Files linked from a store (the page cache, the search store): site name -> the stored
#: copy's name (the hash of its bytes) and its inode (`scan_cached`'s `stored`).
Stored = dict[str, tuple[str, int]]

#: What a file was when the guard read it early: inode, size, last change (nanoseconds).
Identity = tuple[int, int, int]


def _identity(info: os.stat_result) -> Identity:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass
class EarlyScan:
    """The files `scan_early` read (or hashed) while the build still wrote others: each
    with what it was before it was read (`Identity`), its key for the record (None: not
    known, a file with a leak), and the fragments found in it; and the digests of the
    JSON strings met. Each result is the file's against the secrets of this build, so it
    stands whatever record the scan that ends the reading loads (another build's guard,
    of another output folder, may have rewritten it meanwhile)."""

    files: dict[str, tuple[Identity, str | None, set[str]]] = field(default_factory=dict)
    learnt: set[int] = field(default_factory=set)
    #: The keys of the parts of a composed file read by its parts (leakparts.py) known or
    #: proved clean, by the file's name: they stand while the file is what it was.
    parts: dict[str, list[str]] = field(default_factory=dict)

    def joined(self, other: EarlyScan) -> EarlyScan:
        """This reading and `other` (of other files, by another process) as one."""
        return EarlyScan(
            {**self.files, **other.files}, self.learnt | other.learnt, {**self.parts, **other.parts}
        )


#: What `scan_early` read, or how to get it: a callable is asked once the scan has listed
#: the site and loaded its record, so the build process does that while its fork still
#: reads (the fork's reading ended a re-build; `sitefinish.SiteFinish._guard`).
Early = EarlyScan | Callable[[], EarlyScan | None] | None


def scan_early(
    site_dir: Path,
    matcher: Finder,
    cache_dir: Path,
    stored: Mapping[str, tuple[str, int]] | None = None,
    public: array | None = None,
    leave: tuple[str, ...] = (),
    linked_from: Mapping[int, str] | None = None,
    only: Iterable[str] | None = None,
    composed: Composed | None = None,
    stop: Callable[[], bool] | None = None,
) -> EarlyScan:
    """`scan_cached`'s reading begun while the build still writes the files below the
    folders `leave` (the search index): every other file is read now (by the build's
    fork, buildfork.py), and `scan_cached(early=...)` then reads only what is new or not
    what it was when read here. So the guard's last step, once the site is whole,
    reads the search index's new files and what changed since, not the open data's 265
    MB: it never takes a result for a file without that file's inode, size and time of
    change being those it had before it was read. `linked_from` (a store's files: inode ->
    stored name) adds to `stored` each site file that is one of them. With `only`, just
    those files (the ones there) are read, the site not listed: another process reads the
    rest early, leaving them (`leave` names folders, or files). `composed` as in
    `_scan_share`. With `stop`, the reading ends once it says so, and what was read so
    far is the answer (a first build's fork reads while Pagefind leaves a core idle, until
    the guard's last step asks: buildfork.py)."""
    inodes: dict[str, int] = {}
    if only is None:
        # Not even listed: the search index's folders are moved in while this reads.
        names = site_files(site_dir, inodes, leave)
    else:
        names = [name for name in only if os.path.isfile(os.path.join(site_dir, name))]
    stored = dict(stored or {})
    if linked_from:
        for name, inode in inodes.items():
            if inode in linked_from:
                stored[name] = (linked_from[inode], inode)
    _, clean, _, known = _recorded(cache_dir, matcher, public)
    early = EarlyScan()
    _, _, early.learnt = _scan_share(
        site_dir,
        names,
        names,
        stored,
        inodes,
        clean,
        matcher,
        known,
        noting=early,
        composed=composed,
        stop=stop,
    )
    return early


#: A site of this many files or more is read by two processes on a machine of two cores or
#: more (a full build of ten years of papers reads some 150,000 files, 1.8 GB, while the
#: other core has nothing left to do); a smaller one by the build process alone.
PARALLEL_FILES = 20_000
#: ... unless fewer than this many of them are not the stores' copies (most are then known
#: clean without reading): a fork of the build process costs it more than they take to
#: read. The guard's last step of a re-build lists the search index's 51,000 files at ten
#: years of papers, of which the month re-indexed (some 1,500) are new.
PARALLEL_READS = 4_000


#: What reading a file costs, in nanoseconds of CPU a byte, measured by kind on a full build
#: of ten years of papers (its size included its own costs besides: `FILE_NS` is small): a
#: page 17 (its theme, known, is skipped), the search index's files 39 (each one gzip), any
#: other 30 (the open data's JSON 29, its bulk file 31).
HTML_BYTE_NS = 17
INDEX_BYTE_NS = 39
OTHER_BYTE_NS = 30
FILE_NS = 2_000
#: How many files a reading that may be stopped (`_scan_share`'s `stop`) reads between
#: two questions: some 40 ms of a first build's pages.
STOP_EVERY = 64
#: Proving the open data's bulk file from the items its runs are made of, a byte.
PROOF_BYTE_NS = 4


def _proof_cost(size: int) -> int:
    """What proving a composed file from its parts costs, in nanoseconds of CPU: its items
    read again from their stored copies, put together and compared (`leakparts.made_of`)."""
    return size * PROOF_BYTE_NS + FILE_NS


def _read_cost(name: str, size: int) -> int:
    """What reading a file of this name and size costs, in nanoseconds of CPU."""
    if name.endswith(".html"):
        per_byte = HTML_BYTE_NS
    elif name.rpartition(".")[2].startswith("pf_"):  # Pagefind's .pf_fragment, .pf_index...
        per_byte = INDEX_BYTE_NS
    else:
        per_byte = OTHER_BYTE_NS
    return size * per_byte + FILE_NS


def _shares(
    names: list[str],
    site_dir: Path | None = None,
    composed: Set[str] = frozenset(),
    read_before: Set[str] = frozenset(),
) -> list[list[str]]:
    """The files to read, as one share per process: every other file to each of two, so
    each gets pages, open data and index files alike; or, given `site_dir` (a scan that
    reads every file), shares of about the same cost (`_even_shares`; `composed` files
    are proved from their parts, most of them made of other files read, not read; files
    `read_before`, early, are taken as read while they are what they were)."""
    two = len(names) >= PARALLEL_FILES and (os.cpu_count() or 1) >= 2 and forked.available()
    if not two:
        return [names]
    if site_dir is None:
        return forked.dealt(names, 2)
    return _even_shares(names, site_dir, composed, read_before)


def _not_stored(
    names: list[str], stored: Mapping[str, tuple[str, int]], inodes: Mapping[str, int]
) -> int:
    """How many of `names` are not their store's copy (`_stored_copy`): the files a scan
    that knows the rest clean may have to read."""
    return sum(1 for name in names if _stored_copy(name, stored, inodes) is None)


def _stored_copy(
    name: str, stored: Mapping[str, tuple[str, int]], inodes: Mapping[str, int]
) -> str | None:
    """The stored name of the site file `name` when it is its store's copy (the same inode
    as listed), else None."""
    link = stored.get(name)
    return link[0] if link is not None and inodes.get(name) == link[1] else None


def _covered(
    names: list[str], stored: Mapping[str, tuple[str, int]], inodes: Mapping[str, int]
) -> set[str]:
    """The stored names of the site files `names` that are their store's copies: what a
    part of a composed file may be proved made of (leakparts.made_of)."""
    copies = (_stored_copy(name, stored, inodes) for name in names)
    return {copy for copy in copies if copy is not None}


def _even_shares(
    names: list[str],
    site_dir: Path,
    composed: Set[str] = frozenset(),
    read_before: Set[str] = frozenset(),
) -> list[list[str]]:
    """Two shares of `names` of about the same cost of reading (`_read_cost`), each in the
    order of `names`: the dearest files first, each to the share costing less so far.
    Dealt in turn, the open data's bulk file (265 MB at ten years of papers,
    8 s of reading) made the build process's share 5 s longer than its fork's in a full
    build, with the second core idle meanwhile. One `stat` a file: 0.4 s for 153,000 files,
    done only when every file is read (else most are known without reading)."""
    root = _root(site_dir)
    costs: list[int] = []
    for name in names:
        try:
            size = os.stat(root + name).st_size
        except OSError:  # gone since listed: reading it will say so
            size = 0
        if name in read_before:
            costs.append(FILE_NS)
        elif name in composed:
            costs.append(_proof_cost(size))
        else:
            costs.append(_read_cost(name, size))
    order = sorted(range(len(names)), key=costs.__getitem__, reverse=True)
    owner = [0] * len(names)
    for index, share in zip(order, _dealt_by_cost(costs[i] for i in order), strict=True):
        owner[index] = share
    return [[n for n, o in zip(names, owner, strict=True) if o == share] for share in (0, 1)]


def _dealt_by_cost(costs: Iterable[int]) -> list[int]:
    """The share (0 or 1) of each of `costs` in turn, each to the share costing less so
    far: given the dearest first, two shares of about the same cost."""
    owners: list[int] = []
    loads = [0, 0]
    for cost in costs:
        share = 0 if loads[0] <= loads[1] else 1
        owners.append(share)
        loads[share] += cost
    return owners


def _in_forks(work: Callable[[list[str]], _T], shares: list[list[str]]) -> list[_T]:
    """`work` of each share: the first in this process, each other in a fork of it (the
    matcher, the record and the site's listing shared as they are, nothing pickled but the
    answers: forked.py). A fork that fails to answer has its share done here instead, so a
    worker lost to the system never means a file unread."""
    children = [(share, Forked(work, share)) for share in shares[1:]]
    results = [work(shares[0])]
    for share, child in children:
        results.append(child.result(lambda share=share: work(share)))
    return results


def theme_of(site_dir: Path, names: list[str]) -> Theme:
    root = _root(site_dir)
    return learn_theme(_read(root + name) for name in first_pages(names))


def scan_files(
    site_dir: Path, names: list[str], matcher: Finder, theme: Theme
) -> dict[str, set[str]]:
    """The fragments found in each file (named relative to `site_dir`) that has any."""
    reader = Reader(theme, frozenset(first_pages(names)))
    found: dict[str, set[str]] = {}
    root = _root(site_dir)
    for name in names:
        path = root + name
        if _large_json(path):
            with open(path, "rb") as file:
                hits = reader.find_json(matcher, name, file)
        else:
            hits = reader.find(matcher, name, _read(path))
        if hits:
            found[name] = hits
    return found


def scan_cached(
    site_dir: Path,
    matcher: Finder,
    cache_dir: Path,
    names: list[str] | None = None,
    stored: Mapping[str, tuple[str, int]] | None = None,
    public: array | None = None,
    early: Early = None,
    composed: Composed | None = None,
    ahead: ScanAhead | None = None,
) -> dict[str, set[str]]:
    """`scan_files` for an incremental build: files proved clean before are not read again.

    A file is skipped when its bytes (by hash) were found clean against a set of fragments
    that held every fragment looked for now, or, with new fragments, when the public values
    have only grown since every file was last read (`public`: the sorted digests of this
    build's public values; guardrecord.py says why that is enough). The cache folder keeps
    one record, rewritten after each scan with the clean files of this one. Only clean
    results are kept: a file with a leak is read every time.

    `stored` names the files the build linked from a content-addressed store (the page
    cache): site name -> (the stored file's name, which is the hash of its bytes, and its
    inode). Such a file is known by that name without reading it, when the site's file is
    still that very inode (a file written or replaced since is another inode, and is read);
    a store's files are written once and never changed in place. At ten years of papers
    this spares reading and hashing some 100,000 unchanged files on every re-build.

    `early` is what `scan_early` read while the build was still writing some files: a
    file still as it was then is taken as read there; the site is listed again here, so
    a file new or changed since is read, as is every file of a scan without it. Given as a
    callable, it is asked once the site is listed and the record loaded.

    `composed` names large files the build wrote from stored parts (the open data's bulk
    file): each is read by its parts when it is proved to be them (leakparts.py).

    `ahead` is `scan_ahead`'s scan of every file but the folders it left (the search
    index, made meanwhile): only those folders are listed and read here.
    """
    if ahead is not None:
        inodes: dict[str, int] = {}
        names = _files_under(site_dir, ahead.left, inodes)
    else:
        inodes = None
    part = _scan_part(
        site_dir,
        matcher,
        cache_dir,
        names,
        stored,
        public,
        early,
        composed,
        inodes=inodes,
        theme_names=ahead.theme_names if ahead is not None else None,
    )
    if ahead is not None:
        part = ahead.part.joined(part)
    if part.found:
        # A scan that found a leak proves no file clean: a JSON string is read only where it
        # is first met, so a second file holding the same leaked string was not looked at
        # and would otherwise be remembered as clean once the first file is mended.
        return part.found
    # A build whose large JSON files were all known clean by their bytes read none of
    # their strings: the strings kept before still stand for them.
    guardrecord.save(
        cache_dir,
        matcher.fragments,
        part.clean,
        public,
        part.monotone or part.every_file_read,
        part.strings or part.known,
    )
    return part.found


@dataclass
class _Part:
    """What `_scan_part` found of some of a site's files: the fragments found by file, the
    keys of the files proved clean, the JSON strings learnt, and what the record said."""

    found: dict[str, set[str]]
    clean: list[str]
    strings: set[int]
    known: set[int]
    monotone: bool
    every_file_read: bool
    #: The files read or known.
    names: list[str]

    def joined(self, other: _Part) -> _Part:
        """This part and `other` (of other files of the same site, against the same
        record) as one."""
        return _Part(
            {**self.found, **other.found},
            [*self.clean, *other.clean],
            self.strings | other.strings,
            self.known,
            self.monotone,
            self.every_file_read,
            [*self.names, *other.names],
        )


def _scan_part(
    site_dir: Path,
    matcher: Finder,
    cache_dir: Path,
    names: list[str] | None,
    stored: Mapping[str, tuple[str, int]] | None,
    public: array | None,
    early: Early,
    composed: Composed | None,
    leave: tuple[str, ...] = (),
    inodes: dict[str, int] | None = None,
    theme_names: list[str] | None = None,
) -> _Part:
    """`scan_cached`'s reading of `names` (or of every file of the site but `leave`), on
    two cores where there are many; the record is loaded, not saved. `inodes`: those of
    `names`, listed already; `theme_names`: the site's pages the theme is learnt from,
    where `names` are not all of the site (`first_pages`)."""
    if inodes is None:
        inodes = {}
        if names is None:
            names = site_files(site_dir, inodes if stored else None, leave)
        elif stored:
            site_files(site_dir, inodes)
    assert names is not None
    stored = stored or {}
    _, clean, monotone, known = _recorded(cache_dir, matcher, public)
    every_file_read = not clean
    read_early = early() if callable(early) else early
    # Only a scan that reads every file reads the composed file's parts (no part is known
    # clean): elsewhere the parts to read are the few a change made.
    covered = _covered(names, stored, inodes) if composed and every_file_read else None

    def scan_share(share: list[str]) -> tuple[dict[str, set[str]], list[str], set[int]]:
        return _scan_share(
            site_dir,
            names if theme_names is None else theme_names,
            share,
            stored,
            inodes,
            clean,
            matcher,
            known,
            read_early,
            composed=composed,
            covered=covered,
        )

    found: dict[str, set[str]] = {}
    now_clean: list[str] = []
    strings: set[int] = set(read_early.learnt) if read_early is not None else set()
    proved_by_items = set(composed or ()) if covered else set()
    read_before = read_early.files.keys() if read_early is not None else frozenset()
    if every_file_read or _not_stored(names, stored, inodes) >= PARALLEL_READS:
        shares = _shares(names, site_dir if every_file_read else None, proved_by_items, read_before)
    else:
        shares = [names]
    for hits, keys, learnt in _in_forks(scan_share, shares):
        found.update(hits)
        now_clean.extend(keys)
        strings |= learnt
    return _Part(found, now_clean, strings, known, monotone, every_file_read, names)


@dataclass
class ScanAhead:
    """`scan_ahead`'s reading: what it found, and the folders it left."""

    part: _Part
    left: tuple[str, ...]

    @property
    def theme_names(self) -> list[str]:
        """The pages the theme is learnt from: the site's first, none of them in `left`."""
        return first_pages(self.part.names)


def scan_ahead(
    site_dir: Path,
    matcher: Finder,
    cache_dir: Path,
    left: tuple[str, ...],
    stored: Mapping[str, tuple[str, int]] | None = None,
    public: array | None = None,
    composed: Composed | None = None,
    listed: ByFolder | None = None,
) -> ScanAhead:
    """`scan_cached`'s listing and reading of every file but those below the folders
    `left` (each ending in "/"), done while the build still writes there and nowhere else:
    a re-build's search index. `scan_cached(ahead=...)` then lists and reads only those
    folders, once they are whole, and keeps the record of both. In a re-build the build
    process waits for Pagefind meanwhile: the guard's listing of 150,000 files and its
    reading of what changed were the build's last step, once the index was made.

    Where most files are known clean (a re-build), each of two processes lists its own
    share of the site's top folders as well as reading it (`_walked_shares`): listed
    whole by the build process, the site took 0.5 s of its interpreter, which the search
    index's thread shares while Pagefind runs. With `listed` (the old site's listing by
    folder, the site being the old one written into: `sitelisting.by_folder`), each folder
    unchanged since is taken from it (sitelisting.py)."""
    loaded = _recorded(cache_dir, matcher, public)
    tops = _top_shares(site_dir, left) if loaded.clean else None
    if tops is None:
        part = _scan_part(site_dir, matcher, cache_dir, None, stored, public, None, composed, left)
    else:
        part = _walked_shares(site_dir, matcher, loaded, tops, stored, composed, left, listed)
    return ScanAhead(part, left)


#: A folder's weight when the site's top folders are shared (`_top_shares`): its count of
#: folders (its `st_nlink`: a page is a folder of its own) and of this many files, had a
#: folder of pages as many; at least one.
_Top = tuple[str, str, bool, int]


def _top_shares(site_dir: Path, leave: tuple[str, ...]) -> list[list[_Top]] | None:
    """The site's top entries (name, path, whether a folder, inode) dealt to two processes,
    the folders with the most folders inside first, each to the share with fewer so far
    (a page is a folder of its own: its `st_nlink` counts them, one `stat` a folder); None
    when the site is small or there is one core (`_shares`)."""
    if (os.cpu_count() or 1) < 2 or not forked.available():
        return None
    entries: list[tuple[int, _Top]] = []
    with os.scandir(site_dir) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                name = entry.name + "/"
                if name not in leave:
                    weight = entry.stat(follow_symlinks=False).st_nlink
                    entries.append((weight, (name, entry.path, True, 0)))
            elif entry.is_file() and entry.name not in leave:
                inode = 0 if entry.is_symlink() else entry.inode()
                entries.append((1, (entry.name, entry.path, False, inode)))
    if sum(weight for weight, _ in entries) < PARALLEL_FILES // 4:
        return None
    entries.sort(key=lambda item: (-item[0], item[1][0]))
    shares: list[list[_Top]] = [[], []]
    for (_, top), share in zip(entries, _dealt_by_cost(w for w, _ in entries), strict=True):
        shares[share].append(top)
    return shares


def _walked_shares(
    site_dir: Path,
    matcher: Finder,
    loaded: _Recorded,
    tops: list[list[_Top]],
    stored: Mapping[str, tuple[str, int]] | None,
    composed: Composed | None,
    leave: tuple[str, ...],
    by_folder: ByFolder | None = None,
) -> _Part:
    """`_scan_part` of a re-build, each process listing its own share of the top folders
    (`_top_shares`) before reading it, from `by_folder` where a folder is unchanged since
    (sitelisting.py); the theme is learnt from the site's first pages either way
    (`_first_site_pages`)."""
    stored = stored or {}
    _, clean, monotone, known = loaded
    theme_names = _first_site_pages(site_dir, leave)

    def walk_and_scan(
        share: list[_Top],
    ) -> tuple[dict[str, set[str]], list[str], set[int], list[str]]:
        names: list[str] = []
        inodes: dict[str, int] = {}
        for name, path, folder, inode in share:
            if folder:
                sitelisting.walk(path, name, names, inodes, leave, by_folder)
            else:
                names.append(name)
                if inode:
                    inodes[name] = inode
        hits, keys, learnt = _scan_share(
            site_dir, theme_names, names, stored, inodes, clean, matcher, known, composed=composed
        )
        return hits, keys, learnt, names

    found: dict[str, set[str]] = {}
    now_clean: list[str] = []
    strings: set[int] = set()
    every: list[str] = []
    for hits, keys, learnt, names in _in_forks(walk_and_scan, tops):
        found.update(hits)
        now_clean.extend(keys)
        strings |= learnt
        every.extend(names)
    return _Part(found, now_clean, strings, known, monotone, not clean, sorted(every))


def _first_site_pages(site_dir: Path, leave: tuple[str, ...]) -> list[str]:
    """`first_pages` of the site's files but `leave`, as `site_files` would list them,
    listing only as far as they go: a folder's entries in the order of their names as
    `site_files` gives them (a folder's name ending in "/"), so the walk meets the files in
    the order of the whole sorted list. Only pages and folders are kept and sorted: the
    open data's folders, which sort before the first pages, hold 53,000 other files at ten
    years of papers (0.3 s of a re-build's guard when each was kept and sorted)."""
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        keyed: list[tuple[str, str, bool]] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".html") and entry.is_file():
                    keyed.append((prefix + name, entry.path, False))
                elif entry.is_dir(follow_symlinks=False):
                    keyed.append((prefix + name + "/", entry.path, True))
        for name, path, is_folder in sorted(keyed):
            if len(found) >= _LEARN_FROM or name in leave:
                continue
            if is_folder:
                walk(path, name)
            else:
                found.append(name)

    walk(str(site_dir), "")
    return found


class _Recorded(NamedTuple):
    """The guard's record as a scan takes it (`guardrecord.recorded`), with the strings of
    the open data proved clean, which stay so exactly as files do (guardrecord.py)."""

    record: guardrecord.Record | None
    clean: set[str]
    monotone: bool
    known: set[int]


def _recorded(cache_dir: Path, matcher: Finder, public: array | None) -> _Recorded:
    record, clean, monotone = guardrecord.recorded(cache_dir, matcher.fragments, public)
    known = record.strings if record is not None and clean else set()
    return _Recorded(record, clean, monotone, known)


def _files_under(site_dir: Path, folders: tuple[str, ...], inodes: dict[str, int]) -> list[str]:
    """Every file below `folders` of the site (each relative, ending in "/"), as
    `site_files` names them, with their inodes."""
    found: list[str] = []
    root = _root(site_dir)
    for folder in folders:
        if os.path.isdir(root + folder):
            _walk_files(root + folder, folder, found, inodes)
    return sorted(found)
