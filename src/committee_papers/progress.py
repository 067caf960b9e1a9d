"""How far a long step has gone, said every few seconds: `Pages drawn: 12000 of 45340 (31 s)`.

A first build of ten years of papers spends a minute and more drawing its pages. A clerk
watching it wants to know that it is moving and how much is left, not a line a page, and
nothing at all from a build that ends in seconds: so a step says where it is once it has
run for `EVERY_SECONDS`, then again each time as long has passed, and says its end only if
it said anything before.

The count is what the caller says is done, not what it calls: where the pages are drawn by
two processes from both ends, the build process counts the pages either has taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Seconds between two messages of a step (and before the first).
EVERY_SECONDS = 5.0


class Progress:
    """The progress of one step of `total` things, told to `say` (a logger's `info`)."""

    def __init__(
        self,
        what: str,
        total: int,
        say: Callable[[str], None],
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.total, self.say, self.clock = what, total, say, clock
        self.every = EVERY_SECONDS if every is None else every
        self.start = self.last = clock()
        self.done = 0
        self.said = False
        self.ended = False

    def note(self, done: int) -> None:
        """`done` of the total are done now (a count that only grows; more than the total
        counts as the total)."""
        if self.ended:
            return
        self.done = max(self.done, min(done, self.total))
        now = self.clock()
        if self.done >= self.total:
            self.ended = True
            if self.said:
                self._say(now)
        elif now - self.last >= self.every:
            self._say(now)

    def one_more(self) -> None:
        """One more is done."""
        self.note(self.done + 1)

    def _say(self, now: float) -> None:
        self.said, self.last = True, now
        self.say(f"{self.what}: {self.done} of {self.total} ({now - self.start:.0f} s)")
