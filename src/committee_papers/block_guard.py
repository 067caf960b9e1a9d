"""Python-Markdown's block processors passed over for blocks they cannot take.

For each block of a text (a paragraph, most of a report) Python-Markdown asks its block
processors in turn whether they take it, the paragraph's last. Several of them answer by
scanning the whole block with a regular expression (a heading's `#`, a quote's `>`, a rule,
a link reference's `]:`) or by splitting it into rows (a table), so every paragraph of ten
years of reports paid for each scan: a third of converting a report's Markdown. Each of
those can only take a block that holds a certain text, and most paragraphs hold none: a
test of `str.__contains__` answers first, and the processor's own test runs only when the
block holds it. The HTML is the same (tests/test_speed.py converts the demo's texts, and
blocks of every kind, both ways), as `inline_guard.py` does for the inline patterns. The
processors' registry is also listed once, not once a block (`_ListedRegistry`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import markdown
import markdown.util

#: What a block must hold for each processor to take it, by the name Python-Markdown
#: registers it under (any one of the needles). Each is outside any optional part of the
#: processor's test: a table's header row is split by `|` (or bordered by one); a hash
#: heading needs `#`; a setext heading's first line is followed by a line of `=` or `-`; a
#: rule is three of `-`, `_` or `*`; a quote's line starts with `>`; a link reference is
#: `[label]:` (its test takes every block, and its run gives back a block without one).
NEEDS: dict[str, tuple[str, ...]] = {
    "table": ("|",),
    "hashheader": ("#",),
    "setextheader": ("\n=", "\n-"),
    "hr": ("-", "_", "*"),
    "quote": (">",),
    "reference": ("]:",),
}

Test = Callable[[Any, str], bool]


def guard_blocks(md: markdown.Markdown) -> markdown.Markdown:
    """Guard the tests of `md`'s block processors named in NEEDS (its own instances only:
    other Markdown instances are untouched), and have their registry list them once."""
    registry = md.parser.blockprocessors
    for name, needles in NEEDS.items():
        if name in registry:
            processor = registry[name]
            processor.test = _needing(processor.test, needles)  # type: ignore[method-assign]
    if type(registry) is markdown.util.Registry:
        registry.__class__ = _ListedRegistry
    return md


class _ListedRegistry(markdown.util.Registry):
    """A registry that lists its items in order once, until one is registered or taken
    away. Python-Markdown walks its block processors for every block of a text, and each
    walk of a registry sorts it and makes a new list of its items: 37 walks a report page,
    some 140,000 for the report pages of a 500-meeting archive."""

    _cp_listed: list[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        listed = self._cp_listed
        if listed is None:
            listed = self._cp_listed = list(super().__iter__())
        return iter(listed)

    def register(self, item: Any, name: str, priority: float) -> None:
        self._cp_listed = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self._cp_listed = None
        super().deregister(name, strict)


def _needing(test: Test, needles: tuple[str, ...]) -> Test:
    """`test`, asked only of a block that holds one of `needles` (else: not taken)."""
    if len(needles) == 1:
        (needle,) = needles

        def guarded(parent: Any, block: str) -> bool:
            return needle in block and test(parent, block)

    else:

        def guarded(parent: Any, block: str) -> bool:
            return any(needle in block for needle in needles) and test(parent, block)

    guarded.needles = needles  # type: ignore[attr-defined]
    return guarded
