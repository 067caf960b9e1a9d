"""The cycle collector during a build: no full collections of a heap that lives to the end.

Loading freezes the papers out of the collector's way (`loadcache.no_gc`). After it, a build
of ten years of papers makes the projection, the page specs, the page cache's records and
MkDocs' files and pages: some hundreds of thousands of objects that all live until the
build ends. Python's collector walks every object not frozen at each full collection. A
re-build at 3,200 meetings made twelve of them, 3.2 s in all, each longer than the last,
and they found nothing to free.

So while a build runs, full collections are held off: generation 2's threshold is set out
of reach. Generations 0 and 1 are still collected, and that is where the short-lived
cycles of drawing a page die. The threshold is set back when the build ends or fails, so
a process that builds again (the tests, `mkdocs serve`) collects as before.
"""

from __future__ import annotations

import gc

#: Collections of generation 1 before a full one is due, while a build runs: never.
HELD = 1 << 30


def hold() -> tuple[int, int, int]:
    """Hold off full collections; the thresholds to give back to `release`."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], HELD)
    return before


def release(before: tuple[int, int, int] | None) -> None:
    """Set the thresholds `hold` found back (nothing when `before` is None)."""
    if before is not None:
        gc.set_threshold(*before)
