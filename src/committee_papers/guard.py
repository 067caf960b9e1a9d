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
fragment goes into one Aho-Corasick automaton, and each output file is read once
(leakscan.py), so the cost grows with the size of the output, not with the output times
the number of secrets.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from . import fragmentsmemo, guardrecord, publicmemo, secretsmemo
from .leakmatch import APART, APART_B, Matcher, Matchers, fold, fold_text
from .leakparts import Composed
from .leakscan import Early, ScanAhead, scan_cached, scan_files, site_files, theme_of
from .model import AgendaItem, Appendix, Body, Meeting, MinuteItem, Papers, Person, Report

#: Fragments shorter than this (after normalising) are too common to prove a leak.
MIN_CHARS = 8
#: Where one withheld value splits into fragments: sentence ends, lines, table cells, links.
# A single line break in Markdown is not a boundary (officers wrap lines anywhere): a piece
# cut there ("this site.") can also be the end of a public heading in the search index.
_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n+|\n(?=\s*(?:[-*+#>|]|\d+[.)]\s))|\||\[|\]|\(|\)")
_WORDLIKE = re.compile(r"\w")


@dataclass(frozen=True, order=True)
class Leak:
    file: str
    paper: str
    fragment: str

    def __str__(self) -> str:
        return f'{self.file}: contains text of {self.paper}: "{self.fragment[:80]}"'


def _fold(text: str) -> str:
    return fold(text)


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
    found: list[tuple[str, str]] = []
    _walk(value, owner, found)
    return iter(found)


#: No object is public to `_walk` unless told.
_NONE: Mapping[int, Any] = MappingProxyType({})
#: Values with no text in them, skipped at once (the walk meets millions of them).
_ATOMS = frozenset({type(None), bool, int, float, dt.date, dt.datetime, dt.time})


def _walk(
    value: Any, owner: str, found: list[tuple[str, str]], public: Mapping[int, Any] = _NONE
) -> None:
    """`owned_strings` into a list: one plain recursion, the common cases tested first.
    Objects whose id is in `public` (walked in the public papers, so all they hold is
    public) are passed over."""
    kind = type(value)
    if kind is str:
        found.append((owner, value))
    elif kind in _ATOMS or isinstance(value, Enum):
        return
    elif isinstance(value, str):
        found.append((owner, value))
    elif id(value) in public:
        return
    elif isinstance(value, BaseModel):
        label = _label(value, owner)
        for item in value.__dict__.values():
            _walk(item, label, found, public)
        if kind is Meeting and value.minutes is not None:
            _walk(value.minutes, f"minutes of {label}", found, public)
    elif kind is list or kind is tuple or isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _walk(item, owner, found, public)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, owner, found, public)
            _walk(item, owner, found, public)


@dataclass
class PublicValues:
    """Everything the public papers say, dates in the forms pages print them included
    (`_public_values`): the values walked in this build as strings, with their digests in
    the same order, and those of papers taken from the memo (publicmemo.py) by digest only."""

    walked: set[str]
    #: The walked values in a fixed order, and their digests in that order.
    values: list[str]
    digests: list[int]
    taken: set[int]
    #: Every model and container walked, and every paper taken, by id (held, so no id is
    #: reused while it is): the projection keeps most of the papers' objects as they are,
    #: and every string under such an object is public (`_withheld_candidates`).
    shared: dict[int, Any]
    #: Each paper as loaded: the digests of its values, by its load key, for the memo.
    units: dict[bytes, bytes]

    def holds(self, value: str) -> bool:
        if value in self.walked:
            return True
        return bool(self.taken) and guardrecord.value_digests([value])[0] in self.taken


def _public_values(
    shown: Papers,
    also_public: Iterable[str],
    origins: Mapping[int, tuple[Any, bytes]],
    kept: Mapping[bytes, bytes],
) -> PublicValues:
    """Every value of the public papers (and `also_public`): each paper as loaded walked on
    its own (`origins`), or its digests taken from `kept` when its key is there; the rest
    (the site, people, papers the projection made, decisions outside meetings) walked."""
    shared: dict[int, Any] = {}
    loose: list[str] = [*also_public]
    fresh: dict[bytes, list[str]] = {}
    units: dict[bytes, bytes] = {}
    taken: set[int] = set()
    rest: list[Any] = [shown.site, shown.people]
    for mapping in (shown.bodies, shown.meetings, shown.reports):
        shared[id(mapping)] = mapping
        loose.extend(dict.keys(mapping))
        for paper in dict.values(mapping):
            origin = origins.get(id(paper))
            if origin is None or origin[0] is not paper:
                rest.append(paper)
            elif (known := kept.get(origin[1])) is not None:
                shared[id(paper)] = paper
                units[origin[1]] = known
                taken.update(memoryview(known).cast("Q"))
            else:
                strings = fresh[origin[1]] = []
                _walk_public(paper, strings, shared)
    rest.extend(_decision_roots(shown))
    _walk_public(rest, loose, shared)
    loose.extend(_dates(shown))
    walked = set(loose)
    for strings in fresh.values():
        walked.update(strings)
    values = list(walked)
    each = guardrecord.value_digests(values)
    if fresh:
        digest_of = dict(zip(values, each, strict=True))
        for key, strings in fresh.items():
            found = array("Q", sorted({digest_of[value] for value in strings}))
            units[key] = found.tobytes()
    return PublicValues(walked, values, each, taken, shared, units)


def _dates(shown: Papers) -> Iterator[str]:
    """The dates of the public meetings in the forms pages print them."""
    for meeting in dict.values(shown.meetings):
        for day in (meeting.date, meeting.published):
            if day is not None:
                yield f"{day.isoformat()} {day:%A} {day.day} {day:%B %Y}"


def _walk_public(value: Any, found: list[str], shared: dict[int, Any]) -> None:
    """`_walk` without the papers' labels (public text needs none), noting what it walked.

    A loop over a stack, not a recursion: ten years of public papers are 1.65 million
    strings under 840,000 models and containers, and a call for each took 1.3 s where the
    loop takes 0.8 s. The strings come in another order; they are a set to the guard."""
    stack = [value]
    pop, extend, append = stack.pop, stack.extend, found.append
    while stack:
        value = pop()
        kind = type(value)
        if kind is str:
            append(value)
        elif kind in _ATOMS:
            continue
        elif kind is list or kind is tuple:
            shared[id(value)] = value
            extend(value)
        elif kind is dict:
            shared[id(value)] = value
            extend(value.keys())
            extend(value.values())
        elif isinstance(value, Enum):
            continue
        elif isinstance(value, str):
            append(value)
        elif isinstance(value, BaseModel):
            shared[id(value)] = value
            extend(value.__dict__.values())  # minutes too: a field, not computed
        elif isinstance(value, list | tuple | set | frozenset):
            shared[id(value)] = value
            extend(value)
        elif isinstance(value, dict):
            shared[id(value)] = value
            extend(value.keys())
            extend(value.values())


def _decision_roots(papers: Papers) -> list[Any]:
    return [papers.decisions, papers.forward_plan, papers.notices]


def _withheld_candidates(
    full: Papers, public: Mapping[int, Any] | None = None, public_values: set[str] | None = None
) -> list[tuple[str, str]]:
    """(paper, string) of the papers, and of the people some paper names, in one walk.

    A person named by nothing is no secret: they are simply not shown. With `public` (the
    ids of the public objects: PublicValues.shared) and `public_values` (the public
    strings, or at least the people's ids among them), the objects the public papers hold
    as they are are passed over: every string under them is public, so none of them could
    be a candidate, and a person they name is named in `public_values`.
    """
    roots = [full.site, full.bodies, full.meetings, full.reports, *_decision_roots(full)]
    found: list[tuple[str, str]] = []
    _walk(roots, "the papers", found, _NONE if public is None else public)
    named = {value for _, value in found if value in full.people}
    if public_values is not None:
        named.update(value for value in public_values if value in full.people)
    people = {key: person for key, person in full.people.items() if key in named}
    return found + list(owned_strings(people))


@dataclass
class Secrets:
    """Withheld fragments, each with the paper it came from, ready to search for at once."""

    papers: dict[str, str]
    #: An automaton already made for these fragments or more (more are ignored when found).
    matcher: Matcher | Matchers | None = None
    #: Sorted digests of every public value (guardrecord.py), for a re-build's scan.
    public: array | None = None

    def __post_init__(self) -> None:
        if self.matcher is None:
            self.matcher = Matcher(list(self.papers))

    def __len__(self) -> int:
        return len(self.papers)

    @property
    def fragments(self) -> list[str]:
        return list(self.papers)

    def find(self, text: bytes) -> set[str]:
        """The fragments in `text` (folded, UTF-8), as whole words."""
        return self.matcher.find(text) & self.papers.keys()


def secrets(
    full: Papers,
    shown: Papers,
    also_public: Iterable[str] = (),
    digested: bool = False,
    memory: Path | None = None,
    origins: Mapping[int, tuple[Any, bytes]] | None = None,
) -> Secrets:
    """Every fragment of the withheld papers that the public papers do not also contain;
    `digested` adds the digests of every public value, for a re-build's scan. With
    `memory` (a folder), what the last build found is kept there and used (secretsmemo.py):
    the same result, without searching ten years of public text again; with `origins`
    too (load.origins), the public values of each paper as loaded are kept there and not
    walked again while its files are unchanged (publicmemo.py)."""
    kept = publicmemo.load(memory) if memory is not None and origins else {}
    if kept:
        found = _secrets(full, shown, also_public, digested, memory, origins or {}, kept)
        if found is not None:
            return found
    # No memo, or values kept only by digest that the secrets memo does not hold: walk all.
    found = _secrets(full, shown, also_public, digested, memory, origins or {}, {})
    assert found is not None  # nothing taken by digest: every value can be searched
    return found


def _secrets(
    full: Papers,
    shown: Papers,
    also_public: Iterable[str],
    digested: bool,
    memory: Path | None,
    origins: Mapping[int, tuple[Any, bytes]],
    kept: Mapping[bytes, bytes],
) -> Secrets | None:
    """`secrets`, taking the papers of `kept` (publicmemo.py) by their digests; None when
    that cannot give the answer searching every value gives (the secrets memo lacks them)."""
    public = _public_values(shown, also_public, origins, kept)
    named = {person for person in full.people if public.holds(person)}
    pairs = [
        (paper, value)
        for paper, value in _withheld_candidates(full, public.shared, named)
        if value not in public.walked
    ]
    each = guardrecord.value_digests(value for _, value in pairs)
    # A value kept by digest as public (publicmemo.py) is no secret either.
    withheld = [
        (pair, digest)
        for pair, digest in zip(pairs, each, strict=True)
        if digest not in public.taken
    ]
    candidates = _candidates(withheld, memory)
    found = _searched(candidates, public, digested, memory)
    if found is not None and memory is not None and origins and public.units.keys() != kept.keys():
        publicmemo.save(memory, public.units)
    return found


def _candidates(withheld: list[tuple[tuple[str, str], int]], memory: Path | None) -> dict[str, str]:
    """Every fragment of the `withheld` values ((paper, value), the value's digest), with
    the first paper holding it. Each value's fragments are taken from the last
    build's where it had the same value (fragmentsmemo.py), else cut now; the memo is
    written again when the values changed."""
    kept = fragmentsmemo.load(memory) if memory is not None else {}
    cuts: dict[int, fragmentsmemo.Cut] = {}
    candidates: dict[str, str] = {}
    for (paper, value), digest in withheld:
        cut = cuts.get(digest)
        if cut is None:
            cut = kept.get(digest)
            if cut is None:
                cut = tuple(sorted(fragments(value)))
            cuts[digest] = cut
        for fragment in cut:
            candidates.setdefault(fragment, paper)
    if memory is not None and cuts.keys() != kept.keys():
        fragmentsmemo.save(memory, cuts)
    return candidates


def _searched(
    candidates: dict[str, str], public: PublicValues, digested: bool, memory: Path | None
) -> Secrets | None:
    """The candidates not in any public value (`secrets`); None when some public values
    are known by digest only and the secrets memo cannot stand in for searching them."""
    values = public.values
    if memory is not None and candidates:
        try:
            return _remembered(candidates, values, memory, public.digests, public.taken)
        except OSError:  # the folder unwritable, or a kept file gone while read: search all
            pass
    if public.taken and candidates:
        return None
    digests = _every_digest(public.digests, public.taken)[1] if digested else None
    if not candidates:
        return Secrets(candidates, public=digests)
    everything = Matcher(list(candidates))
    found = _found_in(everything, sorted(values))
    # The same automaton serves: fragments that turned out public are dropped when found.
    return Secrets(_unfound(candidates, found), everything, digests)


def _remembered(
    candidates: dict[str, str],
    values: list[str],
    memory: Path,
    each: list[int] | None = None,
    taken: set[int] | frozenset[int] = frozenset(),
) -> Secrets | None:
    """`secrets` from the last build's memo: while the public values only grew, a fragment
    found then is public still, and one looked for then is public now only if an added
    value holds it; only fragments never looked for are searched for in the kept text.

    `values` in any order (`each`: their digests, when known): only the few added since are
    sorted (ten years of public values took 0.3 s to sort, on every build), and the long
    way sorts them all. `taken` are the digests of public values not among `values`
    (publicmemo.py): they must all be in the memo, which has searched them; if not, or
    when there is no memo to stand in for them, None."""
    if each is None:
        each = guardrecord.value_digests(values)
    now = set(each)
    now.update(taken)
    memo = secretsmemo.load(memory)
    # The digests `now` adds to the memo's answer both tests: the memo's are all in `now`
    # when the counts agree (`now` is the memo's and the added), and `taken`, all in
    # `now`, is within the memo's when it shares none of the added. Two passes over
    # 375,000 digests fewer: some 0.08 s of the fork's chain at ten years of papers.
    before = set(memo.public) if memo is not None else set()
    grown = now.difference(before)
    if memo is None or len(now) - len(grown) != len(before):
        return None if taken else _searched_all(candidates, values, _in_order(now), memory)
    if not grown.isdisjoint(taken):
        return None
    public = _grown(memo.public, grown)
    added = sorted(v for v, digest in zip(values, each, strict=True) if digest in grown)
    matcher, engine = _matcher(candidates, memory, memo)
    found = {fragment for fragment in candidates if fragment in memo.found}
    segments = list(memo.segments)
    if added:
        segment = secretsmemo.Segment(memory)
        found |= _found_in(matcher, added, segment)
        segments.append(segment.close())
    fresh = [fragment for fragment in candidates if fragment not in memo.checked]
    if fresh:
        looked_for = Matcher(fresh)
        for piece in secretsmemo.text(memory, memo):
            found |= looked_for.find(piece)
    found &= candidates.keys()
    segments = secretsmemo.joined(memory, segments)
    secretsmemo.save(memory, public, candidates, found, segments, engine)
    return Secrets(_unfound(candidates, found), matcher, public)


def _every_digest(each: Iterable[int], taken: Iterable[int]) -> tuple[set[int], array]:
    """The digests of every public value: those walked (`each`) and those taken from the
    memo (publicmemo.py), as a set and sorted, as the guard's record keeps them."""
    every = set(each)
    every.update(taken)
    return every, _in_order(every)


def _in_order(digests: set[int]) -> array:
    """`digests` sorted, as the guard's record and the secrets memo keep them."""
    return array("Q", sorted(digests))


#: Added digests past this share of the memo's are sorted with them all (`_grown`).
_GROWN_APART = 0.05


def _grown(old: array, added: set[int]) -> array:
    """`_in_order(set(old) | added)`, where `old` is sorted without repeats and `added`
    holds none of it: the few digests a re-build adds put into place among the memo's
    by bisection, the runs between copied whole. Sorting ten years of public values'
    375,000 digests took a re-build's fork 0.25 s, where it is last to end."""
    if len(added) > len(old) * _GROWN_APART:
        return _in_order(added.union(old))
    merged, start = array("Q"), 0
    for digest in sorted(added):
        at = bisect.bisect_left(old, digest, start)
        merged.extend(old[start:at])
        merged.append(digest)
        start = at
    merged.extend(old[start:])
    return merged


def _searched_all(
    candidates: dict[str, str], values: list[str], public: array, memory: Path
) -> Secrets:
    """`secrets` the long way, starting a memo: every public value searched and kept, in
    order (the same memo from the same values)."""
    values = sorted(values)
    everything, engine = _kept_matcher(candidates, memory)
    segment = secretsmemo.Segment(memory)
    found = _found_in(everything, values, segment)
    secretsmemo.save(memory, public, candidates, found, [segment.close()], engine)
    return Secrets(_unfound(candidates, found), everything, public)


def _found_in(
    matcher: Matcher | Matchers, values: list[str], keep: secretsmemo.Segment | None = None
) -> set[str]:
    """The fragments `matcher` finds in `values` (folded, kept apart), a chunk at a time;
    each chunk's text also goes into `keep`, when given."""
    found: set[str] = set()
    for chunk in _chunks(values):
        text = _public_text(chunk)
        found |= matcher.find(text)
        if keep is not None:
            keep.add(text)
    return found


def _unfound(candidates: dict[str, str], found: set[str]) -> dict[str, str]:
    """The candidates not found in public text: the secrets, with their papers."""
    return {fragment: paper for fragment, paper in candidates.items() if fragment not in found}


def _kept_matcher(candidates: dict[str, str], memory: Path) -> tuple[Matcher, str | None]:
    """A new automaton for every candidate, kept in `memory`; and its file's name."""
    everything = Matcher(list(candidates))
    compiled = everything.compiled()
    engine = secretsmemo.add_engine(memory, everything.fragments, compiled) if compiled else None
    return everything, engine


#: Fragments not in the kept automaton that are compiled apart; more, and all are compiled
#: into a new automaton that is kept instead.
_ADDED_APART = 2_000


def _matcher(
    candidates: dict[str, str], memory: Path, memo: secretsmemo.Memo
) -> tuple[Matcher | Matchers, str | None]:
    """An automaton for every candidate: the kept one and one of the fragments it lacks,
    or a new one (kept) when it lacks many or cannot be loaded. Fragments it has that are
    no longer candidates are found and dropped (Secrets.find keeps only its own)."""
    kept = secretsmemo.engine(memory, memo)
    if kept is not None:
        fragments, compiled = kept
        known = set(fragments)
        added = [fragment for fragment in candidates if fragment not in known]
        if len(added) <= max(_ADDED_APART, len(fragments) // 8):
            return Matchers(Matcher(fragments, compiled), Matcher(added)), memo.engine
    return _kept_matcher(candidates, memory)


#: Characters of public text folded and searched at once when finding public fragments.
_CHUNK_CHARS = 4_000_000


def _chunks(values: list[str]) -> Iterator[list[str]]:
    """`values` in runs of about `_CHUNK_CHARS` characters.

    The public papers of ten years are some hundreds of MB of text: joined and folded at
    once they took about 3 GB. A fragment never spans two values (they are kept APART), so
    searching run by run finds the same fragments."""
    chunk: list[str] = []
    size = 0
    for value in values:
        chunk.append(value)
        size += len(value)
        if size >= _CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _public_text(values: list[str]) -> bytes:
    """Public values folded, kept apart: the ASCII ones (nearly all) together, which folds
    them in two C passes, and the others together."""
    ascii_values = [v for v in values if v.isascii()]
    others = [v for v in values if not v.isascii()]
    return APART_B.join(fold_text(APART.join(group)) for group in (ascii_values, others))


# --- reading every output file ------------------------------------------------------------


def scan(
    site_dir: Path,
    found: Secrets,
    cache_dir: Path | None = None,
    stored: Mapping[str, tuple[str, int]] | None = None,
    early: Early = None,
    composed: Composed | None = None,
    ahead: ScanAhead | None = None,
) -> list[Leak]:
    """Every place in `site_dir` (names and contents) where a withheld fragment appears.

    With `cache_dir`, files found clean by an earlier scan (same bytes, no new secrets since)
    are not read again: see `leakscan.scan_cached`, which also explains `stored` (the files
    linked from the page cache, known by the name of the stored copy) and `early` (what
    `leakscan.scan_early` read while the build was still writing); `composed`, the files
    the build wrote from stored parts (leakparts.py); `ahead`, what `leakscan.scan_ahead`
    read of every file but the search index while Pagefind made it.
    """
    if not len(found):
        return []
    if cache_dir is not None:
        hits = scan_cached(
            site_dir, found, cache_dir, None, stored, found.public, early, composed, ahead
        )
    else:
        names = site_files(site_dir)
        hits = scan_files(site_dir, names, found, theme_of(site_dir, names))
    return sorted(
        Leak(name, found.papers[fragment], fragment)
        for name, fragments_found in hits.items()
        for fragment in fragments_found
    )


def check_site(
    site_dir: Path,
    full: Papers,
    shown: Papers,
    as_of: Any = None,
    also_public: Iterable[str] = (),
    cache_dir: Path | None = None,
    stored: Mapping[str, tuple[str, int]] | None = None,
    found: Secrets | None = None,
    early: Early = None,
    composed: Composed | None = None,
    ahead: ScanAhead | None = None,
) -> list[Leak]:
    """The guard: leaks of withheld text in a public site (empty when clean).

    `cache_dir` (optional) makes a re-build read only the files that changed since the last
    clean scan with the same or more secrets; without it every file is read. `stored`
    (with `cache_dir`) names the files linked from the page cache: see `scan_cached`.
    `found` is `secrets` of the same papers, worked out already (secretsahead.py), and
    `early` what was read with them before the site was whole, or how to get it, and
    `composed` the files written from stored parts and `ahead` what was read before the
    search index was made (`scan`).
    """
    if found is None:
        found = secrets(full, shown, also_public, digested=cache_dir is not None, memory=cache_dir)
    return scan(site_dir, found, cache_dir, stored, early, composed, ahead)
