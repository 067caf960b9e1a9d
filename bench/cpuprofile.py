"""Run a command of this package under cProfile counting CPU seconds, not wall seconds.

    python bench/cpuprofile.py OUT.prof papers build -f mkdocs.yml ...

cProfile's default clock is the wall clock, which on a shared machine counts the time a
process waited for a core as its own; `time.process_time` counts only what it used (its
children, Pagefind and the guard's workers, are not profiled).
"""

from __future__ import annotations

import cProfile
import sys
import time

from committee_papers.cli import main


def run() -> None:
    out, _, *args = sys.argv[1:]
    sys.argv = ["papers", *args]
    profile = cProfile.Profile(time.process_time)
    try:
        profile.runcall(main)
    except SystemExit:
        pass
    finally:
        profile.dump_stats(out)


if __name__ == "__main__":
    run()
