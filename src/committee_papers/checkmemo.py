"""What a check between files found in each paper, kept for the next `mkdocs serve` rebuild.

A serve rebuild loads ten years of papers from memory (`loadcache.UnitMemory`): every
paper whose files did not change is the very object of the last load. The checks between
files (references, deadlines, votes, notices of private meetings) still looked at all of
them on every rebuild, about half a second of CPU at 3,200 meetings for one edited report.
Each such check reads one paper, a few papers it names, and a *context* (the ids that
exist, the jurisdiction, ...). So while the context is the same, a paper that is the same
object as last time, naming the same objects as last time, has the same problems: they are
taken from the memo, and only changed papers are checked again. The result is the same as
checking every paper (`tests/test_serve.py`).

Without a memo (every build, `papers check`), each check simply runs.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, repeat
from operator import is_, itemgetter
from typing import Any

from .problems import Problem, Problems

#: Per paper (by id): the paper, the objects its check read beyond it, and what it found.
_Kept = dict[int, tuple[object, tuple[object, ...], list[Problem]]]
#: What an unknown paper is taken for: no object is None's paper.
_UNKNOWN: tuple[object, tuple[object, ...], list[Problem]] = (None, (), [])
_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)


class PaperMemo:
    """The problems one check found in each paper, reused for the same paper and context."""

    def __init__(self, memo: dict[str, Any] | None, name: str, context: object) -> None:
        self.on = memo is not None
        self.before: _Kept = {}
        self.after: _Kept = {}
        #: Papers checked afresh in this run (for tests and benchmarks).
        self.checked = 0
        if memo is not None:
            kept = memo.get(name)
            if kept is not None and kept[0] == context:
                self.before = kept[1]
            # The papers are kept with what they found, so no id names another object.
            memo[name] = (context, self.after)

    def each(
        self,
        problems: Problems,
        papers: list[Any],
        check: Callable[[Any, Problems], None],
        reads: list[tuple[object, ...]] | None = None,
    ) -> None:
        """Add to `problems`, paper by paper, what `check(paper, into)` finds: it runs for a
        paper unless the paper and every object of its `reads` (the other papers its check
        looks at) are the very objects of the last run under the same context, whose
        findings are then added again. The comparisons run in C (`map`), so ten years of
        unchanged papers cost milliseconds."""
        if not self.on:
            for paper in papers:
                check(paper, problems)
            return
        ids = list(map(id, papers))
        knowns = list(map(self.before.get, ids, repeat(_UNKNOWN, len(ids))))
        same = list(map(is_, map(_first, knowns), papers))
        if reads is not None:
            same = list(map(_same_reads, same, map(_second, knowns), reads))
        for index in [i for i, kept in enumerate(same) if not kept]:
            paper = papers[index]
            fresh = Problems()
            check(paper, fresh)
            knowns[index] = (paper, reads[index] if reads is not None else (), fresh.found)
            self.checked += 1
        self.after.update(zip(ids, knowns, strict=True))
        problems.found.extend(chain.from_iterable(map(_third, knowns)))


def _same_reads(paper_same: bool, before: tuple[object, ...], now: tuple[object, ...]) -> bool:
    return (
        paper_same
        and len(before) == len(now)
        and all(a is b for a, b in zip(before, now, strict=True))
    )


def parts(
    values: Any, memo: dict[str, Any] | None, name: str, part: Callable[[Any], Any]
) -> tuple[Any, ...]:
    """`part(value)` of each value, in order, made again only for values that are not the
    very objects of the last call (a context built from ten years of papers in a few ms)."""
    if memo is None:
        return tuple(part(value) for value in values)
    values = list(values)
    ids = list(map(id, values))
    knowns = list(map(memo.get(name, {}).get, ids, repeat(_UNKNOWN, len(ids))))
    same = list(map(is_, map(_first, knowns), values))
    for index in [i for i, kept in enumerate(same) if not kept]:
        knowns[index] = (values[index], part(values[index]))
    # The values are kept with their parts, so no id names another object meanwhile.
    memo[name] = dict(zip(ids, knowns, strict=True))
    return tuple(map(_second, knowns))
