"""Publishing one new meeting into an already built archive: CPU seconds, and each step's.

    python bench/archive.py /tmp/a500 --meetings 500
    python bench/rebuild.py /tmp/a500 /tmp/rebuild500              # this tree's code
    python bench/rebuild.py /tmp/a500 /tmp/before500 --code /tmp/old   # another tree's

It copies the archive into WORK, builds it with `papers build` (packs off, as bench/build.py
does), adds one meeting as bench/build.py does (a copy of the newest, 8 reports), builds
again into the same site, and prints each build's wall and CPU seconds (the whole process
tree: Pagefind and the guard's workers included) with the build's own summary lines (page
cache, search index, steps). `--code` runs another tree's source (its `src/`, templates and
theme) with this environment, to measure before and after in the same conditions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHOWN = ("Steps:", "Page cache:", "Search index:", "Output files:")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--code", type=Path, default=HERE.parent, help="tree whose code runs")
    args = parser.parse_args(argv)
    os.environ["PYTHONPATH"] = str(args.code / "src")
    sys.path.insert(0, str(args.code / "bench"))
    import build as bench  # the tree's own: its mkdocs.yml, templates and theme

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    shutil.copytree(args.archive, args.work / "data")
    config = bench.project_config(args.work, args.work / "data")
    for name in ("full", "incremental"):
        if name == "incremental":
            bench.add_meeting(args.work / "data")
        log = args.work / f"{name}.log"
        command = bench.papers_build(config, args.work / "site")
        seconds, peak = bench.measured(command, args.work, log)
        print(f"{name}: {seconds:.1f} s wall, {bench.LAST_CPU[0]:.1f} s CPU, peak {peak:.0f} MB")
        for line in log.read_text().splitlines():
            if any(mark in line for mark in SHOWN):
                print("  ", line.strip())


if __name__ == "__main__":
    main()
