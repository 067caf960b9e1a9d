"""Python-Markdown's inline patterns skipped on text that cannot match them.

Python-Markdown tries each of its inline patterns (13 of its own and 17 of smarty's) on the
text of each block, scanning the whole text with each pattern's regular expression; some
(smarty's quotes, the backtick) begin with alternations or look-behinds, which a regular
expression engine cannot skip through quickly. Every one of them can only match text that
holds a certain character (a backtick, a bracket, a quote mark, a dash...), and most of the
text of a report holds none: a test of `str.__contains__` is a hundred times cheaper than the
scan. The HTML is the same (tests/test_speed.py converts the demo's texts both ways).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import markdown

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


def guard(md: markdown.Markdown) -> markdown.Markdown:
    """Guard the inline patterns of `md` and of its other inline steps (smarty's)."""
    registries = [md.inlinePatterns]
    registries += [
        step.inlinePatterns
        for step in md.treeprocessors
        if isinstance(step, markdown.treeprocessors.InlineProcessor)
        and step.inlinePatterns is not md.inlinePatterns
    ]
    for registry in registries:
        for item in registry._priority:
            pattern = registry[item.name]
            needles = NEEDS.get(item.name)
            compiled = getattr(pattern, "compiled_re", None)
            if needles and isinstance(compiled, re.Pattern):
                pattern.compiled_re = _Needing(compiled, needles)
    return md
