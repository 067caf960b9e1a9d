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

`--again WORK --codes TREE [TREE ...]` compares versions of the code on one archive, as
the machine is shared and its pace moves by seconds within the hour: each round adds a
meeting and builds it with each tree in turn (its own `src/`, templates and theme, from its
own `bench/build.py`), `--rounds N` times, and prints each build (its steps, and the
search groups Pagefind indexed), then each tree's mean, median and ratio to the first
tree's, and each step's mean, last: the whole moves by seconds with the machine's pace,
the step a change moved less. A tree's first build in an archive builds its
caches (a full build, for code the archive has not seen), so round 1 is left out of the
means. A round whose meeting an earlier rotation already published in the archive may run
no Pagefind (the search store kept that index), less work than a new meeting: the summary
says how many counted rounds did. `git worktree add /tmp/before COMMIT` makes a tree of
another commit. (Trees older
than the commit that added `--codes` remove every other version's memo files beside the
load cache, `codememo.py`: a rotation with one of them walks every paper in each build.)
`--apart` gives each tree after the first a copy of WORK's data of its own
(`WORK.code-<n>`, its first build a full one): needed when the trees' search index code
differs, as a kept index is found only by the code that made it.

`--cold` measures a re-build after a pause, when the machine no longer holds the archive's
files in memory (a clerk publishing the next morning): before each build it waits for the
last build's jobs in the background (bench/build.py) and asks Linux to drop its cached
files, inodes and folders (`/proc/sys/vm/drop_caches`, as root; otherwise it says so and
stops).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import sys
from pathlib import Path
from types import ModuleType

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
    parser.add_argument("--codes", type=Path, nargs="+", help="with --again: trees in turn")
    parser.add_argument("--rounds", type=int, default=4, help="with --codes: rounds of builds")
    parser.add_argument("--apart", action="store_true", help="with --codes: a copy a tree")
    parser.add_argument(
        "--cold", action="store_true", help="drop the kernel's cached files before each build"
    )
    args = parser.parse_args(argv)
    if args.cold and not os.access(DROP_CACHES, os.W_OK):
        parser.error(f"--cold needs to write {DROP_CACHES} (run as root)")
    if args.codes:
        if args.again is None:
            parser.error("--codes needs --again WORK, a built archive")
        rotate(args.again, args.codes, args.rounds, args.apart, args.cold)
        return
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
        if args.cold and name != "full":
            dropped(bench, work)
        command = bench.papers_build(config, work / "site")
        if args.profile is not None and name == runs[-1]:
            command = [sys.executable, str(HERE / "cpuprofile.py"), str(args.profile), *command]
        seconds, peak = bench.measured(command, work, log)
        print(f"{name}: {seconds:.1f} s wall, {bench.LAST_CPU[0]:.1f} s CPU, peak {peak:.0f} MB")
        for line in log.read_text().splitlines():
            if any(mark in line for mark in SHOWN):
                print("  ", line.strip())


def rotate(
    work: Path, codes: list[Path], rounds: int, apart: bool = False, cold: bool = False
) -> None:
    """Builds of one new meeting each, by each tree in turn, `rounds` times (see above).
    With `apart`, each tree after the first builds its own copy of WORK's data (see
    `_apart`); with `cold`, each build begins with the kernel's caches dropped."""
    original = (work / "mkdocs.yml").read_text()
    works = [work if n == 0 or not apart else _apart(work, n) for n in range(len(codes))]
    trees = [_tree(code, number, works[number]) for number, code in enumerate(codes)]
    (work / "mkdocs.yml").write_text(original)  # each tree has its own; WORK's stays
    walls: list[list[float]] = [[] for _ in trees]
    steps_of: list[list[dict[str, float]]] = [[] for _ in trees]
    indexing: list[list[bool]] = [[] for _ in trees]
    for round_ in range(1, rounds + 1):
        for number, (tree, config) in enumerate(trees):
            folder = works[number]
            meeting = trees[0][0].add_meeting(folder / "data")
            log = folder / f"rotate-{number}.log"
            if cold:
                dropped(tree, folder)
            seconds, peak = tree.measured(tree.papers_build(config, folder / "site"), folder, log)
            walls[number].append(seconds)
            print(
                f"round {round_} {codes[number]}: {seconds:.2f} s wall, "
                f"{tree.LAST_CPU[0]:.1f} s CPU, peak {peak:.0f} MB ({meeting})",
                flush=True,
            )
            text = log.read_text()
            steps = [line for line in text.splitlines() if "Steps:" in line]
            walled = steps[-1].split("Steps:")[-1].split(";")[0].strip() if steps else ""
            print("  ", walled)
            steps_of[number].append(_steps(walled))
            indexed = INDEXED.findall(text)
            indexing[number].append(bool(indexed))
            if indexed:
                print("   indexed:", "; ".join(f"{g} {n} pages {t} s" for g, n, t in indexed))
    counted = slice(1, None) if rounds > 1 else slice(None)
    means = [statistics.mean(each[counted]) for each in walls]
    for code, mean, each in zip(codes, means, walls, strict=True):
        median = statistics.median(each[counted])
        ratio = mean / means[0]
        print(f"{code}: mean {mean:.2f} s (median {median:.2f} s), {ratio:.3f} of {codes[0]}'s")
    # Each step's mean, to tell which step a change moved (the whole moves by seconds
    # with the machine's pace).
    for code, rounds_steps in zip(codes, steps_of, strict=True):
        kept = rounds_steps[counted]
        names = [name for name in (kept[0] if kept else {}) if all(name in r for r in kept)]
        means_by_step = ", ".join(
            f"{name} {statistics.mean(r[name] for r in kept):.2f} s" for name in names
        )
        print(f"{code}: steps' means: {means_by_step}")
    _say_unindexed(codes, [each[counted] for each in indexing])


def _say_unindexed(codes: list[Path], indexing: list[list[bool]]) -> None:
    """Say which trees' counted rounds ran no Pagefind: the search store kept the index
    their meeting needed (a meeting an earlier rotation published in the same archive), so
    they did less than publishing a new meeting does, and their means are not the
    benchmark's case."""
    for code, ran in zip(codes, indexing, strict=True):
        if not all(ran):
            print(
                f"{code}: Pagefind ran in {sum(ran)} of {len(ran)} counted rounds; the others "
                "reused a kept index (a meeting published before in this archive)"
            )


#: Writing 3 here drops the kernel's cached files, inodes and folders (Linux, root only).
DROP_CACHES = "/proc/sys/vm/drop_caches"


def dropped(bench: ModuleType, work: Path) -> None:
    """The last build's jobs in the background ended, the disk written, and the kernel's
    caches dropped: the next build reads its files from the disk."""
    bench.wait_for_background(work)
    os.sync()
    with open(DROP_CACHES, "w") as control:
        control.write("3\n")


#: A group Pagefind indexed, in a build's log: its name, pages and seconds.
INDEXED = re.compile(r"Search index: (\S+): (\d+) pages in ([\d.]+) s")


def _steps(line: str) -> dict[str, float]:
    """The build's "Steps:" wall times (`load 2.2 s, specs 2.7 s, ...`) by step."""
    found: dict[str, float] = {}
    for part in line.split(","):
        words = part.split()
        if len(words) == 3 and words[2] == "s":
            found[words[0]] = float(words[1])
    return found


def _apart(work: Path, number: int) -> Path:
    """`WORK.code-<number>`, holding a copy of WORK's data (made once): a tree's own site
    and caches. Trees whose search index code differs share no kept index (the store's
    keys hold that code's hash), so in one WORK each would index every group again
    whenever the other built last."""
    folder = work.with_name(f"{work.name}.code-{number}")
    if not (folder / "data").is_dir():
        shutil.copytree(work / "data", folder / "data")
    return folder


def _tree(code: Path, number: int, work: Path) -> tuple[ModuleType, Path]:
    """A tree's own bench/build.py (its mkdocs.yml, templates, theme), running its `src/`,
    with its configuration for WORK as `mkdocs-<number>.yml`."""
    spec = importlib.util.spec_from_file_location(
        f"bench_build_{number}", code / "bench" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    tree = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # its dataclasses
    spec.loader.exec_module(tree)
    tree.ENV = {**tree.ENV, "PYTHONPATH": str(code.resolve() / "src")}
    config = work / f"mkdocs-{number}.yml"
    config.write_text(tree.project_config(work, work / "data").read_text())
    return tree, config


if __name__ == "__main__":
    main()
