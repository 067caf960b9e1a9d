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
from typing import Any

from .problems import Problem, Problems

#: Per paper (by id): the paper, the objects its check read beyond it, and what it found.
_Kept = dict[int, tuple[object, tuple[object, ...], list[Problem]]]


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

    def check(
        self,
        problems: Problems,
        paper: object,
        check: Callable[..., None],
        *args: object,
        reads: tuple[object, ...] = (),
    ) -> None:
        """Add to `problems` what `check(*args, into)` finds in `paper`: run it, unless
        `paper` and every object of `reads` (the other papers the check looks at) are the
        very objects of the last run under the same context, whose findings are then added
        again."""
        if not self.on:
            check(*args, problems)
            return
        known = self.before.get(id(paper))
        if known is not None and known[0] is paper and _same(known[1], reads):
            found = known[2]
        else:
            fresh = Problems()
            check(*args, fresh)
            found = fresh.found
            self.checked += 1
        self.after[id(paper)] = (paper, reads, found)
        if found:
            problems.found.extend(found)


def _same(before: tuple[object, ...], now: tuple[object, ...]) -> bool:
    return len(before) == len(now) and all(a is b for a, b in zip(before, now, strict=True))


def parts(
    values: Any, memo: dict[str, Any] | None, name: str, part: Callable[[Any], object]
) -> tuple[object, ...]:
    """`part(value)` of each value, in order, made again only for values that are not the
    very objects of the last call (a context built from ten years of papers in a few ms)."""
    if memo is None:
        return tuple(part(value) for value in values)
    before: dict[int, tuple[object, object]] = memo.get(name, {})
    after: dict[int, tuple[object, object]] = {}
    made = []
    for value in values:
        known = before.get(id(value))
        if known is None or known[0] is not value:
            known = (value, part(value))
        after[id(value)] = known
        made.append(known[1])
    memo[name] = after
    return tuple(made)
