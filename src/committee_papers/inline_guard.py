"""Python-Markdown's inline patterns skipped on text that cannot match them.

Python-Markdown tries each of its inline patterns (13 of its own and 17 of smarty's) on the
text of each block, scanning the whole text with each pattern's regular expression; some
(smarty's quotes, the backtick) begin with alternations or look-behinds, which a regular
expression engine cannot skip through quickly. Every one of them can only match text that
holds a certain character (a backtick, a bracket, a quote mark, a dash...), and most of the
text of a report holds none: a test of `str.__contains__` is a hundred times cheaper than the
scan. The HTML is the same (tests/test_speed.py converts the demo's texts both ways).

Even a refused pattern costs its call: Python-Markdown applies every pattern to every piece of
text through a private method that looks the pattern up in its registry (a sort check each
time), checks its excluded ancestors and asks for its expression: about 6 microseconds,
500,000 times for the pages of 100 meetings. So each inline step also gets its own loop over
the patterns (`_handle_inline`) that passes over a pattern without that call when the text
holds none of its needles, which is what the call would have answered. Where this version
of Python-Markdown has no such private method, the patterns' own guard still applies.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from typing import Any

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

#: What text must hold for each pattern to match, by the name Python-Markdown registers it
#: under: each regular expression has that text outside any optional part (any one of a
#: tuple of needles). A pattern not named here is always tried.
NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),
    "strong_em": ("*", "_"),
    "smarty-ellipses": ("...",),
    "smarty-en-dashes": ("--",),
    "smarty-em-dashes": ("---",),
    "smarty-quotes-0": ("'",),
    "smarty-quotes-1": ('"',),
    "smarty-quotes-2": ("\"'",),
    "smarty-quotes-3": ("'\"",),
    "smarty-quotes-4": ("'\"",),
    "smarty-quotes-5": ("\"'",),
    "smarty-quotes-6": ("'",),
    "smarty-quotes-7": ("'",),
    "smarty-quotes-8": ("'",),
    "smarty-quotes-9": ("'",),
    "smarty-quotes-10": ("'",),
    "smarty-quotes-11": ('"',),
    "smarty-quotes-12": ('"',),
    "smarty-quotes-13": ('"',),
    "smarty-quotes-14": ('"',),
}


class _Needing:
    """A compiled pattern whose `finditer` finds nothing at once in text without a needle."""

    def __init__(self, compiled: re.Pattern[str], needles: tuple[str, ...]):
        self.compiled, self.needles = compiled, needles

    def finditer(self, data: str, pos: int = 0, *args: Any) -> Iterator[re.Match[str]]:
        if not any(needle in data for needle in self.needles):
            return iter(())
        return self.compiled.finditer(data, pos, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)


#: Python-Markdown's private loop over the inline patterns, replaced per inline step below.
_HANDLE = "_InlineProcessor__handleInline"
_APPLY = "_InlineProcessor__applyPattern"


def _handle_inline(self: InlineProcessor, data: str, patternIndex: int = 0) -> str:
    """InlineProcessor.__handleInline, passing over patterns whose needles `data` lacks.

    Python-Markdown's loop: apply pattern `patternIndex` to `data` from `startIndex`; when it
    does not match, go on to the next pattern from the start (an unmatched application
    returns a start of 0); when it matches, try the same pattern again on the new text. A
    pattern whose needles are all absent cannot match, so it is passed over as if tried.
    """
    if isinstance(data, util.AtomicString):
        return data
    patterns, last_tried = _needled(self)
    # Which needles the text holds, found once (a match puts placeholders in place of some
    # text, so it is found again after each).
    present = _ALL_NEEDLES.intersection(filter(data.__contains__, _ALL_NEEDLES))
    if not present and patternIndex > last_tried:
        return data  # every pattern left needs a needle: the loop would pass over each
    apply = getattr(self, _APPLY)
    start = 0
    count = len(patterns)
    while patternIndex < count:
        pattern, needles = patterns[patternIndex]
        if needles is not None and needles.isdisjoint(present):
            patternIndex += 1
            start = 0
            continue
        data, matched, start = apply(pattern, data, patternIndex, start)
        if matched:
            present = _ALL_NEEDLES.intersection(filter(data.__contains__, _ALL_NEEDLES))
        else:
            patternIndex += 1
    return data


#: Every needle of every pattern.
_ALL_NEEDLES = frozenset(needle for needles in NEEDS.values() for needle in needles)


def _needled(step: InlineProcessor) -> tuple[list[tuple[Any, frozenset[str] | None]], int]:
    """The step's patterns in order, each with its needles (None: always tried), and the
    index of the last that is always tried (-1: none is)."""
    registry = step.inlinePatterns
    known = getattr(step, "_cp_needled", None)
    if known is not None and known[0] is registry and len(known[1]) == len(registry):
        return known[1], known[2]
    # In the order `registry[index]` gives them, as Python-Markdown's loop asks for them
    # (indexing sorts the registry by priority first).
    found = [registry[index] for index in range(len(registry))]
    names = [item.name for item in registry._priority]
    patterns = [(pattern, NEEDS.get(name)) for pattern, name in zip(found, names, strict=True)]
    # Only patterns whose expression is guarded may be passed over (those the guard wrapped).
    patterns = [
        (
            pattern,
            frozenset(needles)
            if needles and isinstance(getattr(pattern, "compiled_re", None), _Needing)
            else None,
        )
        for pattern, needles in patterns
    ]
    last_tried = max((i for i, (_, needles) in enumerate(patterns) if needles is None), default=-1)
    step._cp_needled = (registry, patterns, last_tried)  # type: ignore[attr-defined]
    return patterns, last_tried


def guard(md: markdown.Markdown) -> markdown.Markdown:
    """Guard the inline patterns of `md` and of its other inline steps (smarty's)."""
    steps = [step for step in md.treeprocessors if isinstance(step, InlineProcessor)]
    registries = [md.inlinePatterns]
    registries += [
        step.inlinePatterns for step in steps if step.inlinePatterns is not md.inlinePatterns
    ]
    for registry in registries:
        # A copy: looking a pattern up by name sorts the registry's list in place, and a
        # sort during the walk once passed over smarty's em dashes, left unguarded.
        for item in list(registry._priority):
            pattern = registry[item.name]
            needles = NEEDS.get(item.name)
            compiled = getattr(pattern, "compiled_re", None)
            if needles and isinstance(compiled, re.Pattern):
                pattern.compiled_re = _Needing(compiled, needles)
    if hasattr(InlineProcessor, _HANDLE) and hasattr(InlineProcessor, _APPLY):
        for step in steps:
            # An attribute of the instance: the step's own calls of self.__handleInline
            # find it first; other Markdown instances are untouched.
            setattr(step, _HANDLE, types.MethodType(_handle_inline, step))
    return md
