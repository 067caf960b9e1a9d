"""Publishing one new meeting into an already built archive: CPU seconds, and each step's.

    python bench/archive.py /tmp/a500 --meetings 500
    python bench/rebuild.py /tmp/a500 /tmp/rebuild500              # this tree's code
    python bench/rebuild.py /tmp/a500 /tmp/before500 --code /tmp/old   # another tree's
    python bench/rebuild.py --again /tmp/rebuild500 --profile /tmp/new.prof  # one more meeting

It copies the archive into WORK, builds it with `papers build` (packs off, as bench/build.py
does), adds one meeting as bench/build.py does (a copy of the newest, 8 reports), builds
again into the same site, and prints each build's wall and CPU seconds (the whole process
tree: Pagefind and the guard's workers included) with the build's own summary lines (page
cache, search index, steps). `--code` runs another tree's source (its `src/`, templates and
theme) with this environment, to measure before and after in the same conditions.

`--again WORK` skips the copy and the full build: it adds one more meeting to WORK (built
before by this script, or any folder holding `data/`, `mkdocs.yml` and `site/`) and builds
again, `--meetings N` times. `--profile FILE` runs the last of those builds under cProfile
counting CPU seconds (bench/cpuprofile.py; its children, Pagefind and the guard's workers,
are not profiled; CPU figures then include the profiler's cost).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHOWN = ("Steps:", "Page cache:", "Search index:", "Output files:", "Guard")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, nargs="?")
    parser.add_argument("work", type=Path, nargs="?")
    parser.add_argument("--code", type=Path, default=HERE.parent, help="tree whose code runs")
    parser.add_argument("--again", type=Path, help="a built WORK folder: add a meeting, build")
    parser.add_argument("--meetings", type=int, default=1, help="with --again: how many times")
    parser.add_argument("--profile", type=Path, help="cProfile output of the build process")
    args = parser.parse_args(argv)
    os.environ["PYTHONPATH"] = str(args.code / "src")
    sys.path.insert(0, str(args.code / "bench"))
    import build as bench  # the tree's own: its mkdocs.yml, templates and theme

    if args.again is not None:
        work = args.again
        config = work / "mkdocs.yml"
        runs = [f"again-{n}" for n in range(1, args.meetings + 1)]
    else:
        if args.archive is None or args.work is None:
            parser.error("give ARCHIVE and WORK, or --again WORK")
        work = args.work
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copytree(args.archive, work / "data")
        config = bench.project_config(work, work / "data")
        runs = ["full", "incremental"]
    for name in runs:
        if name != "full":
            print(f"{name}: new meeting {bench.add_meeting(work / 'data')}")
        log = work / f"{name}.log"
        command = bench.papers_build(config, work / "site")
        if args.profile is not None and name == runs[-1]:
            command = [sys.executable, str(HERE / "cpuprofile.py"), str(args.profile), *command]
        seconds, peak = bench.measured(command, work, log)
        print(f"{name}: {seconds:.1f} s wall, {bench.LAST_CPU[0]:.1f} s CPU, peak {peak:.0f} MB")
        for line in log.read_text().splitlines():
            if any(mark in line for mark in SHOWN):
                print("  ", line.strip())


if __name__ == "__main__":
    main()
