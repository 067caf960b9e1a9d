"""Shortcuts the build takes for speed give the same results as the long way round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
from payloads import TEXT
from pydantic import BaseModel

from committee_papers import block_guard, decisions, text
from committee_papers.inline_guard import NEEDS, _Needing
from committee_papers.model import Papers
from committee_papers.policy import Audience, Policy

SEEDS = Path("/work/shared/reference/seeds")
#: Markdown that exercises every guarded pattern, alone and mixed.
TRICKY = [
    TEXT,
    "Use `code` and ``two `ticks` here`` and \\`escaped\\` ones.",
    "An \\*escaped\\* star, a \\\\ backslash, \\[not a link\\].",
    "[link](https://example.org) and [ref][r] and [short] and ![img](a.png) ![ref img][r]\n\n"
    "[r]: https://example.org/r",
    "<https://example.org/auto> and <officer@example.gov.uk> and a < b > c",
    "A line with a break  \nand the next line.",
    "&amp; &copy; &#169; &#xA9; & alone; AT&T",
    "*em* **strong** ***both*** _em_ __strong__ snake_case_word 2*3*4",
    "Wait... no.... and -- dash --- and - single",
    "'Quoted' \"double\" it's the '90s, \"'mixed'\" '\"mixed\"' --'dash' --\"dash\"",
    "\"Start\" and 'start', then end' and end\" (paren 'x') [bracket \"y\"]",
    "| a | b |\n|---|---|\n| 'x' | *y* |",
    "4.3 An officer's numbered paragraph -- with 'quotes'.\n\n12\\. Escaped number.",
    # Blocks of every kind the block processors take (block_guard.py), and near misses.
    "# Heading\n\nText\n\n## Second ##\n\nA #hash in a paragraph, and C# too.",
    "Setext heading\n==============\n\nAnother\n-------\n\nNot one\n- a list instead",
    "Rule below\n\n---\n\n* * *\n\n___\n\nA - dash, an_under and 2 * 3 are no rule.",
    "> A quote\n> on two lines\n\nNot a quote: a > b, and -> arrows.\n\n   > indented quote",
    '[label]: https://example.org "Title"\n\nText with [label] and a [not]: reference.',
    "| one column |\n| --- |\n| cell |\n\na | b\n--|--\n1 | 2\n\nA | pipe in a paragraph.",
    "Paragraph\n    indented code?\n\n    code block\n\n1. one\n2. two\n\n- a\n- b",
]


def strings(value: Any) -> Iterator[str]:
    """Every string in a model, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings(item)


def guarded(pattern: Any) -> bool:
    return isinstance(getattr(pattern, "compiled_re", None), _Needing)


def unguarded(numbered: bool, shift: int, written: bool) -> markdown.Markdown:
    safe = text._Safe(numbered, shift, "", written)
    return markdown.Markdown(extensions=[*text._EXTENSIONS, safe], output_format="html")


@pytest.mark.parametrize(("numbered", "shift", "written"), [(False, 0, False), (True, 1, False)])
def test_guarded_inline_patterns_give_the_same_html(
    papers: Papers, numbered: bool, shift: int, written: bool
) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:20]]
    corpus = sorted({s for s in strings(papers) if len(s) > 2}) + TRICKY + seeds
    plain = unguarded(numbered, shift, written)
    fast = text._converter(numbered, shift, "", written)
    assert type(fast.inlinePatterns["backtick"].compiled_re).__name__ == "_Needing"
    # Each inline step (Markdown's and smarty's) runs the loop that passes over patterns.
    steps = [
        s for s in fast.treeprocessors if isinstance(s, markdown.treeprocessors.InlineProcessor)
    ]
    assert len(steps) == 2
    assert all("_InlineProcessor__handleInline" in vars(step) for step in steps)
    # Every pattern the guard knows is guarded, in both steps (smarty's em dashes were
    # passed over once, and tried on every text).
    known = {(i, name) for i, s in enumerate(steps) for name in NEEDS if name in s.inlinePatterns}
    assert {(i, name) for i, name in known if guarded(steps[i].inlinePatterns[name])} == known
    assert (1, "smarty-em-dashes") in known
    blocks = fast.parser.blockprocessors
    assert {name for name in block_guard.NEEDS if hasattr(blocks[name].test, "needles")} == set(
        block_guard.NEEDS
    )
    for source in corpus:
        assert fast.reset().convert(source) == plain.reset().convert(source), source[:200]
    assert len(corpus) > 500


def test_written_numbers_survive_the_guard() -> None:
    source = "4.1 First -- 'one'.\n\n4.2 Second... \"two\".\n\nNo number here."
    assert text._converter(False, 1, "", True).reset().convert(source) == unguarded(
        False, 1, True
    ).reset().convert(source)


def votes_minute_by_minute(papers: Papers, policy: Policy) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    for meeting in papers.meetings_in_date_order():
        for entry in meeting.minutes.items if meeting.minutes else []:
            if not decisions.show_minute_entry(policy, meeting, entry):
                continue
            for number, resolution in enumerate(entry.resolutions, start=1):
                for person, choice in resolution.vote.choices() if resolution.vote else []:
                    found.setdefault(person, []).append(
                        (meeting, entry, number, resolution, choice)
                    )
    return found


@pytest.mark.parametrize("audience", [Audience.public, Audience.members])
def test_votes_by_person_are_the_votes_found_minute_by_minute(
    papers: Papers, audience: Audience
) -> None:
    policy = Policy(papers, audience, dt.date(2026, 11, 23))
    expected = votes_minute_by_minute(papers, policy)
    assert sum(len(v) for v in expected.values()) > 10
    for person in papers.people:
        assert decisions.votes_of(papers, policy, person) == expected.get(person, [])
    # Another policy (here an earlier date) gets its own index, not the last one's.
    other = Policy(papers, audience, dt.date(2025, 6, 1))
    earlier = votes_minute_by_minute(papers, other)
    for person in papers.people:
        assert decisions.votes_of(papers, other, person) == earlier.get(person, [])


def test_block_processors_listed_once_still_follow_the_registry() -> None:
    """The guarded converter lists its block processors once (block_guard._ListedRegistry),
    in the registry's order, and again after one is registered or taken away."""
    md = block_guard.guard_blocks(unguarded(False, 0, False))
    registry = md.parser.blockprocessors
    assert type(registry) is block_guard._ListedRegistry
    before = list(registry)
    assert before == list(registry) and [p for p in before] == [
        registry[i] for i in range(len(registry))
    ]
    extra = registry["paragraph"]
    registry.register(extra, "again", 1000)
    listed = list(registry)
    assert listed[0] is extra and len(listed) == len(before) + 1
    registry.deregister("again")
    assert list(registry) == before
    assert md.reset().convert("# Head\n\nText") == '<h1 id="head">Head</h1>\n<p>Text</p>'
