"""The cycle collector during a build: off, but while many pages are drawn.

Loading freezes the papers out of the collector's way (`loadcache.no_gc`). After it, a build
of ten years of papers makes the projection, the page specs, the page cache's records and
MkDocs' files and pages: some hundreds of thousands of objects that all live until the
build ends. Python's collector walks every object not frozen at each full collection. A
re-build at 3,200 meetings made twelve of them, 3.2 s in all, each longer than the last,
and they found nothing to free; so full collections are held off while a build runs.

Young collections cost as much, for the same reason: every object made is walked once
or twice before it is promoted out of the way. A re-build of ten years of papers made
3,000 of generation 0 and 270 of generation 1, 0.65 s of the build process and 0.2 s of
its fork, and they freed 9,500 objects in all: nearly everything a build makes dies by its
count of references or lives to the end. (Collecting every 50,000 new objects instead of
700 cost as much: those alive are walked either way.) What does make cycles is drawing
pages (Markdown's and Jinja's): a first build freed 4.5 million objects so.

So a build runs with the collector off (`hold`) until it knows how many pages it draws
(`drawing`): from `DRAWN_FREELY` pages on, young collections are back on for the drawing,
everything alive frozen out of their way first when it is much. A re-build drawing a few
pages never collects; what cycles its pages leave die with the process. The collector is
set back as it was when the build ends or fails, so a process that builds again (the
tests, `mkdocs serve`) collects as before.
"""

from __future__ import annotations

import gc

#: Collections of generation 1 before a full one is due, while a build runs: never.
HELD = 1 << 30
#: Pages to draw from which a build collects young cycles again (`drawing`): a thousand
#: pages leave some 50,000 objects in cycles, a few MB.
DRAWN_FREELY = 1000

#: Objects made while the collector was off (a build, a large load) after which they are
#: frozen before it is on again (`turn_on`): its first young collection would walk them all,
#: millions at ten years of papers (1.2 s once a re-build had given the collector back).
FREEZE_AFTER = 1_000_000

#: What `hold` found: the thresholds, and whether the collector was on.
Held = tuple[tuple[int, int, int], bool]


def hold() -> Held:
    """The collector off and full collections held off; what to give back to `release`."""
    before = (gc.get_threshold(), gc.isenabled())
    gc.set_threshold(before[0][0], before[0][1], HELD)
    gc.disable()
    return before


def drawing(held: Held | None, pages: int) -> bool:
    """Young collections back on for the drawing of `pages` pages, when they are many
    (what is alive frozen first when it is much: `turn_on`); whether they are on. Nothing when
    the collector was off before the build (`held`), or not held (None)."""
    if held is None or not held[1] or pages < DRAWN_FREELY or gc.isenabled():
        return gc.isenabled()
    turn_on()
    return True


def release(before: Held | None) -> None:
    """Set the collector back as `hold` found it (nothing when `before` is None)."""
    if before is None:
        return
    thresholds, enabled = before
    gc.set_threshold(*thresholds)
    if enabled:
        turn_on()
    else:
        gc.disable()


def turn_on() -> None:
    """The collector on, what was made while it was off frozen first when it is much: a
    build giving it back, and a large load its papers (`loadcache.no_gc`)."""
    if not gc.isenabled() and gc.get_count()[0] > FREEZE_AFTER:
        gc.freeze()
    gc.enable()
