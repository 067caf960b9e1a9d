"""The leak guard: a backstop that proves no withheld text reached the public output.

The public site is made from the public projection (projection.py), so withheld papers are
absent before any template runs. The guard does not trust that. It collects every string of
the full papers that the projection does not keep (titles, headings, names, amounts, table
cells, file names, text), leaves out those that also occur anywhere in the public papers
(inside a longer public sentence or table row too: then they are not secret), and looks
for the rest in every output file's name and bytes: HTML text, attributes and comments,
JSON, XML, compressed files (the search index too) and PDF text.

Text is compared normalised (entities decoded, typography and Markdown punctuation
flattened, spacing collapsed, case folded), so markup cannot hide a match. Every withheld
fragment goes into one Aho-Corasick automaton (pyahocorasick), and each output file is
read once, so the cost grows with the size of the output, not with the output times the
number of secrets. The theme's own lines, which repeat on every page, are learnt from the
first pages and not read again, and files are read on every core.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import io
import json
import multiprocessing
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import ahocorasick
from pydantic import BaseModel

from .model import AgendaItem, Appendix, Body, Meeting, MinuteItem, Papers, Person, Report

#: Fragments shorter than this (after normalising) are too common to prove a leak.
MIN_CHARS = 8
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
#: Typography to plain characters, and Markdown and markup punctuation to spaces, in one
#: table: a single pass in C.
_FOLD = str.maketrans({**_TYPOGRAPHY, **dict.fromkeys("*_#|>`[]()~\\<", " ")})
_DASHES = re.compile(r"-{2,}")
_TAG = re.compile(r"<[^>]*>")
#: Where one withheld value splits into fragments: sentence ends, lines, table cells, links.
# A single line break in Markdown is not a boundary (officers wrap lines anywhere): a piece
# cut there ("this site.") can also be the end of a public heading in the search index.
_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n+|\n(?=\s*(?:[-*+#>|]|\d+[.)]\s))|\||\[|\]|\(|\)")
_WORDLIKE = re.compile(r"\w")
#: Joins texts that must not run into each other: folding keeps it, no fragment holds it.
_APART = " \x00 "
#: Lines at least this long that repeat on the first pages are the theme's, read once.
_THEME_LINE = 40
_LEARN_FROM = 12
#: Files with no text to leak (images are checked through their alt text in the HTML).
_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot"}


@dataclass(frozen=True, order=True)
class Leak:
    file: str
    paper: str
    fragment: str

    def __str__(self) -> str:
        return f'{self.file}: contains text of {self.paper}: "{self.fragment[:80]}"'


def normalise(text: str) -> str:
    """One spelling for comparing: entities, typography, markup and spacing do not matter."""
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_FOLD)
    if "--" in text:
        text = _DASHES.sub("-", text)
    return " ".join(text.split())


def _fold(text: str) -> str:
    return normalise(text).casefold()


def fragments(value: str) -> set[str]:
    """The pieces of one withheld value long enough to identify it, normalised."""
    found = {_fold(value)}
    found.update(_fold(piece) for piece in _SPLIT.split(value))
    return {f for f in found if len(f) >= MIN_CHARS and _WORDLIKE.search(f)}


# --- what is withheld ---------------------------------------------------------------------


def _label(obj: Any, owner: str) -> str:
    """The paper a string belongs to, for the guard's report."""
    if isinstance(obj, Report):
        return f"report {obj.id!r}"
    if isinstance(obj, Appendix):
        return f"appendix {obj.label} of report {obj.report_id!r}"
    if isinstance(obj, Meeting):
        return f"meeting {obj.id!r}"
    if isinstance(obj, AgendaItem):
        return f"agenda item {obj.number} of {owner}"
    if isinstance(obj, MinuteItem):
        return f"minute {obj.item} of {owner}"
    if isinstance(obj, Person):
        return f"person {obj.id!r}"
    if isinstance(obj, Body):
        return f"body {obj.id!r}"
    return owner


def owned_strings(value: Any, owner: str = "the papers") -> Iterator[tuple[str, str]]:
    """(paper, string) for every string in a tree of models; enum values are vocabulary."""
    if isinstance(value, Enum):
        return
    if isinstance(value, str):
        yield owner, value
    elif isinstance(value, BaseModel):
        label = _label(value, owner)
        for item in value.__dict__.values():
            yield from owned_strings(item, label)
        if isinstance(value, Meeting) and value.minutes is not None:
            yield from owned_strings(value.minutes, f"minutes of {label}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from owned_strings(key, owner)
            yield from owned_strings(item, owner)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from owned_strings(item, owner)


def _public_words(shown: Papers) -> Iterator[str]:
    """Everything the public papers say, including dates in the forms pages print them."""
    for _, value in owned_strings(_roots(shown)):
        yield value
    for meeting in shown.meetings.values():
        for day in (meeting.date, meeting.published):
            if day is not None:
                yield f"{day.isoformat()} {day:%A} {day.day} {day:%B %Y}"


def _roots(papers: Papers) -> list[Any]:
    return [
        papers.site,
        papers.people,
        papers.bodies,
        papers.meetings,
        papers.reports,
        *_decision_roots(papers),
    ]


def _decision_roots(papers: Papers) -> list[Any]:
    return [papers.decisions, papers.forward_plan, papers.notices]


def _withheld_candidates(full: Papers) -> list[tuple[str, str]]:
    """(paper, string) of the papers, and of the people some paper names, in one walk.

    A person named by nothing is no secret: they are simply not shown.
    """
    found = list(
        owned_strings([full.site, full.bodies, full.meetings, full.reports, *_decision_roots(full)])
    )
    named = {value for _, value in found if value in full.people}
    people = {key: person for key, person in full.people.items() if key in named}
    return found + list(owned_strings(people))


@dataclass
class Secrets:
    """Withheld fragments, each with the paper it came from, ready to search for at once."""

    papers: dict[str, str]

    def __post_init__(self) -> None:
        self.automaton = _automaton(self.papers)

    def __len__(self) -> int:
        return len(self.papers)

    def __getstate__(self) -> dict[str, Any]:
        return {"papers": self.papers}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.papers = state["papers"]
        self.__post_init__()

    def find(self, text: str) -> set[str]:
        """The fragments in `text` (normalised), as whole words."""
        return set(_matches(self.automaton, text)) if self.papers else set()


def _automaton(found: dict[str, str]) -> Any:
    automaton = ahocorasick.Automaton()
    for fragment in found:
        automaton.add_word(fragment, fragment)
    if found:
        automaton.make_automaton()
    return automaton


def _matches(automaton: Any, text: str) -> Iterator[str]:
    """Fragments found in `text` as whole words (a name inside a longer word is not it)."""
    for end, fragment in automaton.iter(text):
        start = end - len(fragment) + 1
        before = text[start - 1] if start > 0 else " "
        after = text[end + 1] if end + 1 < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            yield fragment


def secrets(full: Papers, shown: Papers, also_public: Iterable[str] = ()) -> Secrets:
    """Every fragment of the withheld papers that the public papers do not also contain."""
    public_values = set(_public_words(shown)) | set(also_public)
    candidates: dict[str, str] = {}
    for paper, value in _withheld_candidates(full):
        if value in public_values:
            continue
        for fragment in fragments(value):
            candidates.setdefault(fragment, paper)
    found = Secrets(candidates)
    if candidates:
        for fragment in found.find(_fold(_APART.join(sorted(public_values)))):
            candidates.pop(fragment, None)
    return Secrets(candidates)


# --- reading every output file ------------------------------------------------------------


def readable_text(path: Path, name: str = "", theme: frozenset[str] = frozenset()) -> Iterator[str]:
    """The text a reader or a machine could get from one output file, in every form.

    Lines in `theme` (the theme's own, checked on the first pages) are not read again.
    """
    yield name or path.name
    suffix = path.suffix.lower()
    if suffix in _BINARY:
        return
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip, whatever the name: sitemaps, search index chunks
        with contextlib.suppress(OSError, EOFError, zlib.error):
            data = gzip.decompress(data)
        if suffix == ".gz":
            suffix = Path(path.stem).suffix.lower()
    if data[:5] == b"%PDF-":
        yield from _pdf_text(data)
        return
    raw = data.decode("utf-8", errors="replace")
    if theme:
        raw = "\n".join(_APART if line in theme else line for line in raw.split("\n"))
    if suffix in {".ics", ".ical", ".ifb"}:
        yield _ics_text(raw)
    if suffix == ".json":
        try:
            strings = list(_json_strings(json.loads(raw)))
        except ValueError:
            pass
        else:
            # Every key and value, decoded: what the raw bytes say, without escapes.
            yield _APART.join(strings)
            return
    yield raw  # attributes, comments, scripts: everything in the file
    if "<" in raw:
        yield _TAG.sub(" ", raw)  # the text as read, markup removed


def _ics_text(raw: str) -> str:
    """iCalendar as a calendar app shows it: long lines unfolded (RFC 5545 3.1) and text
    escapes undone (3.3.11), so a sentence split across folded lines is still found."""
    unfolded = re.sub(r"\r?\n[ \t]", "", raw)
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], unfolded)


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield _TAG.sub(" ", value) if "<" in value else value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _pdf_text(data: bytes) -> Iterator[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        yield " ".join(page.extract_text() or "" for page in reader.pages)
        yield str(reader.metadata or "")
        outline = reader.outline
        yield " ".join(_outline_titles(outline))
    except Exception as error:  # an unreadable PDF cannot be proved clean
        yield f"unreadable pdf {error}"
        raise LeakCheckError(f"could not read the PDF: {error}") from error


def _outline_titles(outline: Any) -> Iterator[str]:
    for entry in outline:
        if isinstance(entry, list):
            yield from _outline_titles(entry)
        else:
            yield str(getattr(entry, "title", ""))


class LeakCheckError(Exception):
    """An output file could not be read, so it could not be proved free of withheld text."""


def scan(site_dir: Path, found: Secrets, workers: int | None = None) -> list[Leak]:
    """Every place in `site_dir` (names and contents) where a withheld fragment appears."""
    if not len(found):
        return []
    paths = sorted(str(p.relative_to(site_dir)) for p in site_dir.rglob("*") if p.is_file())
    theme = _theme_lines(site_dir, paths)
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers < 2 or len(paths) < 200:
        return sorted(_scan_files(site_dir, paths, found, theme))
    chunks = [paths[i::workers] for i in range(workers)]
    # Spawned, not forked: a forked worker would inherit the build's lock on the output
    # folder and hold it after a killed build, so the next build could not start.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = pool.map(
            _scan_files, [site_dir] * workers, chunks, [found] * workers, [theme] * workers
        )
        return sorted(leak for part in parts for leak in part)


def _first_pages(paths: list[str]) -> list[str]:
    return [p for p in paths if p.endswith(".html")][:_LEARN_FROM]


def _theme_lines(site_dir: Path, paths: list[str]) -> frozenset[str]:
    """Long lines that repeat across the first pages: the theme's, the same on every page.

    The first pages themselves are read whole, so these lines are read once too.
    """
    counts: dict[str, int] = {}
    pages = _first_pages(paths)
    for name in pages:
        text = (site_dir / name).read_text(encoding="utf-8", errors="replace")
        for line in set(text.split("\n")):
            if len(line) >= _THEME_LINE:
                counts[line] = counts.get(line, 0) + 1
    return frozenset(line for line, count in counts.items() if count > 1)


def _scan_files(
    site_dir: Path, names: list[str], found: Secrets, theme: frozenset[str]
) -> list[Leak]:
    leaks: set[Leak] = set()
    whole = set(_first_pages(names)) if theme else set()
    for name in names:
        skip = frozenset() if name in whole else theme
        for text in readable_text(site_dir / name, name, skip):
            for fragment in found.find(_fold(text)):
                leaks.add(Leak(name, found.papers[fragment], fragment))
    return sorted(leaks)


def check_site(
    site_dir: Path, full: Papers, shown: Papers, as_of: Any = None, also_public: Iterable[str] = ()
) -> list[Leak]:
    """The guard: leaks of withheld text in a public site (empty when clean)."""
    return scan(site_dir, secrets(full, shown, also_public))
