"""Officers' Markdown made into safe HTML.

Text from data is shown, never evaluated: raw HTML in it is escaped (it shows as typed), and
this HTML is never passed through Jinja, so `{{ 7*7 }}` in a report stays `{{ 7*7 }}`.
Attribute lists are not enabled, since they would let text set `onclick` and friends.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import lru_cache
from itertools import pairwise

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .block_guard import guard_blocks
from .inline_guard import guard
from .schemes import is_allowed

_EXTENSIONS = ["tables", "sane_lists", "smarty"]
_TAG = re.compile(r"<[^>]+>")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
CAPTION_PREFIX = "Table:"
# Section ids the report page uses itself; headings in officers' text never take them.
RESERVED_IDS = {
    "cover",
    "summary",
    "recommendations",
    "main-report",
    "appendices",
    "background-papers",
    "versions",
    "contact",
    "route",
    "content",
    "implications",
    "recommendations-from",
}


# An officer's own paragraph number at the start of a paragraph: "4.3 ", "9.1. ", "12. ".
# "12\. " (escaped so Markdown keeps a paragraph, not a list; `papers import` writes it so)
# reaches this point as Python-Markdown's stashed escape, STX "46" ETX, for the full stop.
_OWN_NUMBER = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+|^(\d+)(?:\.|\x0246\x03)\s+")


class _Numbering(Treeprocessor):
    """Numbers the top-level paragraphs of a report's main text, as printed reports do.

    With `numbered` the numbers run on across headings (`numbering: auto`); with `written`
    the officer's own numbers are kept (4.1 to 4.30, then 9.1 and 9.5) and paragraphs
    without one stay unnumbered. Each numbered paragraph gets an anchor (`#para-7`,
    `#para-4-3`) so that "paragraph 4.3" can be linked. Headings move down `shift` levels
    so that a report's `##` sits under the page's own section heading. A table with no
    caption takes its accessible name from the nearest heading above it.
    """

    def __init__(
        self, md: markdown.Markdown, numbered: bool, shift: int, prefix: str, written: bool
    ):
        super().__init__(md)
        self.numbered, self.shift, self.prefix = numbered, shift, prefix
        self.written = written

    def run(self, root: ET.Element) -> None:
        _captions(root)
        count = 0
        used: set[str] = set(RESERVED_IDS)
        heading: str | None = None
        for element in list(root):
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                level = min(int(element.tag[1]) + self.shift, 6)
                element.tag = f"h{level}"
                heading = _unique(self.prefix + _slug("".join(element.itertext())), used)
                element.set("id", heading)
            if element.tag == "table" and element.find("caption") is None and heading:
                element.set("aria-labelledby", heading)
            if element.tag != "p":
                continue
            if self.numbered:
                count += 1
                _number(element, f"{count}.", f"{self.prefix}para-{count}", element.text or "")
            elif self.written and (found := _OWN_NUMBER.match(element.text or "")):
                own = found.group(1) or found.group(2)
                anchor = _unique(f"{self.prefix}para-{own.replace('.', '-')}", used)
                _number(element, own, anchor, (element.text or "")[found.end() :])


def _number(element: ET.Element, label: str, anchor: str, rest: str) -> None:
    element.set("id", anchor)
    element.set("class", "cp-para")
    number = ET.Element("span", {"class": "cp-para-number"})
    number.text = label
    number.tail = " " + rest
    element.text = None
    element.insert(0, number)


def _captions(root: ET.Element) -> None:
    """A paragraph 'Table: ...' just before a table becomes the table's caption."""
    children = list(root)
    for before, element in pairwise(children):
        if element.tag != "table" or before.tag != "p" or len(before):
            continue
        words = (before.text or "").strip()
        if words.startswith(CAPTION_PREFIX):
            caption = ET.Element("caption")
            caption.text = words.removeprefix(CAPTION_PREFIX).strip()
            element.insert(0, caption)
            root.remove(before)


def tables_without_caption(markdown_text: str | None) -> list[int]:
    """Lines (1-based) of Markdown tables with no 'Table: ...' caption line above them.

    Every table needs a caption so that a screen reader can say what it holds (WCAG 1.3.1);
    `papers check` reports the ones that lack it.
    """
    missing: list[int] = []
    if not markdown_text or "|" not in markdown_text:
        return missing  # no table: most reports (this was seconds at ten years of papers)
    lines = markdown_text.splitlines()
    for index, line in enumerate(lines[:-1]):
        starts_table = line.lstrip().startswith("|") and _TABLE_RULE.match(lines[index + 1])
        if not starts_table or (index and lines[index - 1].lstrip().startswith("|")):
            continue
        above = next((text.strip() for text in reversed(lines[:index]) if text.strip()), "")
        if not above.startswith(CAPTION_PREFIX):
            missing.append(index + 1)
    return missing


def _slug(words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "section"


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


class _SafeLinks(Treeprocessor):
    """Drops link targets and images whose scheme is not http, https, mailto, tel or relative.

    Python-Markdown passes `[x](javascript:...)` through as written; here the link keeps its
    words and loses its address, and such an image becomes its alternative text.
    """

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and not is_allowed(element.get("href", "")):
                del element.attrib["href"]
            elif element.tag == "img" and not is_allowed(element.get("src", "")):
                alt = element.get("alt", "")
                element.attrib.clear()
                element.tag, element.text = "span", alt


class _BlankTails(Treeprocessor):
    """Takes away (or puts back) the line breaks between top-level blocks.

    Python-Markdown's inline steps (its own and smarty's) look up each block's position with
    `list.index` when the block has a tail, which makes a long report quadratic: a 1.6 MB
    report spent most of its 10 s there. The breaks are taken away before those steps and
    put back after them, so the HTML is the same.
    """

    def __init__(self, md: markdown.Markdown, restore: bool):
        super().__init__(md)
        self.restore = restore

    def run(self, root: ET.Element) -> None:
        for element in root:
            if self.restore and element.tail is None:
                element.tail = "\n"
            elif not self.restore and element.tail is not None and not element.tail.strip():
                element.tail = None


class _Safe(Extension):
    def __init__(self, numbered: bool, shift: int, prefix: str, written: bool):
        super().__init__()
        self.numbered, self.shift, self.prefix = numbered, shift, prefix
        self.written = written

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML in officers' text is shown as text, never passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(
            _Numbering(md, self.numbered, self.shift, self.prefix, self.written),
            "cp-numbering",
            5,
        )
        # Around the inline steps (inline at 20, smarty at 6; prettify at 10 adds breaks).
        md.treeprocessors.register(_BlankTails(md, False), "cp-take-tails", 25)
        md.treeprocessors.register(_BlankTails(md, False), "cp-take-tails-again", 7)
        md.treeprocessors.register(_BlankTails(md, True), "cp-put-tails", 5.5)
        # Last of all, after inline links are made and escapes restored.
        md.treeprocessors.register(_SafeLinks(md), "cp-safe-links", -10)


def to_html(
    text: str | None,
    *,
    numbered: bool = False,
    shift: int = 0,
    prefix: str = "",
    written: bool = False,
) -> Markup:
    """Convert Markdown from data to HTML that is safe to put in a page.

    `numbered` numbers every paragraph; `written` keeps the numbers officers typed.
    """
    if not text:
        return Markup("")
    return Markup(_convert(text, numbered, shift, prefix, written))


# The same text is converted for its page, its description and the leak guard: once is enough.
@lru_cache(maxsize=512)
def _convert(text: str, numbered: bool, shift: int, prefix: str, written: bool) -> str:
    return _converter(numbered, shift, prefix, written).reset().convert(text)


def inline_html(text: str | None) -> Markup:
    """Markdown for one line (a recommendation, a resolution): no surrounding paragraph."""
    html = str(to_html(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


@lru_cache(maxsize=32)
def _converter(numbered: bool, shift: int, prefix: str, written: bool) -> markdown.Markdown:
    # Inline patterns are skipped on text that cannot match them (inline_guard.py), and
    # block processors on blocks they cannot take (block_guard.py).
    return guard_blocks(
        guard(
            markdown.Markdown(
                extensions=[*_EXTENSIONS, _Safe(numbered, shift, prefix, written)],
                output_format="html",
            )
        )
    )


#: Plain text of Markdown already converted, by its Markdown: the loader fills it with the
#: summaries of the reports it loaded (kept in its cache, loadcache.py), so the page specs of
#: a warm build do not convert 25,000 summaries again for their descriptions.
_PLAIN: dict[str, str] = {}


def remember_plain_text(texts: Mapping[str, str]) -> None:
    """Plain text (as `plain_text` made it) of some Markdown, for `plain_text` to reuse.

    It replaces what an earlier load remembered, so a long `mkdocs serve` session holds the
    summaries of the papers as they are, not of every version saved since it started.
    """
    _PLAIN.clear()
    _PLAIN.update(texts)


def plain_text(text: str | None) -> str:
    """The words of some Markdown, without markup: for descriptions and the leak guard."""
    if not text:
        return ""
    known = _PLAIN.get(text)
    if known is not None:
        return known
    words = html.unescape(_TAG.sub(" ", str(to_html(text))))
    return " ".join(words.split())
