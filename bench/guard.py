"""How much of a public build the leak guard costs, on a synthetic archive.

Times are CPU seconds (this process and its children), which a shared, busy machine
disturbs far less than wall-clock time; wall time is printed beside them.

    python bench/guard.py [--meetings 500] [--archive DIR] [--keep DIR] [--site DIR [--build-s S]]

Writes a synthetic council with bench/archive.py (unless --archive names one), builds its
public site with `papers build` (the guard included), then runs the guard alone on the
built site: collecting the withheld fragments, and scanning every output file. The share
of the build is the figure to watch: the guard must grow with the size of the output, not
with the output times the number of secrets. Prints the build's own "Steps:" line and the
guard's share by it (`steps: ... share=`), then the guard alone's figures last, on one line.

`--site` skips the build and times the guard alone on a site built before from the same
archive (with `--keep`); give `--build-s` (that build's CPU seconds) to print the share.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--archive", type=Path, help="an archive already written")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--site", type=Path, help="a site built before: time the guard only")
    parser.add_argument("--build-s", type=float, help="CPU seconds of the build of --site")
    args = parser.parse_args(argv)
    if args.site is not None:
        if args.archive is None:
            parser.error("--site needs the --archive it was built from")
        _report(args.meetings, args.build_s, *_guard_alone(args.archive, args.site))
        return
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        archive = args.archive or work / "data"
        if args.archive is None:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench/archive.py"),
                    str(archive),
                    "--meetings",
                    str(args.meetings),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        site = args.keep or work / "site"
        command = [sys.executable, "-m", "committee_papers.cli", "build"]
        help_text = subprocess.run([*command, "--help"], capture_output=True, text=True).stdout
        packs = ["--no-packs"] if "--no-packs" in help_text else []
        started, cpu = time.perf_counter(), _children_cpu()
        # A cold build: the page, guard and search caches in the scratch folder, never the
        # project's .cache (a second run would reuse the first one's pages and clean files).
        cold = {
            **os.environ,
            "PAPERS_PAGE_CACHE": str(work / "cache-pages"),
            "PAPERS_GUARD_CACHE": str(work / "cache-guard"),
            "PAPERS_SEARCH_CACHE": str(work / "cache-search"),
        }
        built = subprocess.run(
            [*command, "--data", str(archive), "-d", str(site), "--as-of", AS_OF, *packs],
            check=True,
            cwd=ROOT,
            env=cold,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        build_wall = time.perf_counter() - started
        build_s = _children_cpu() - cpu
        figures = _guard_alone(archive, site)
    print(f"build (guard included): {build_s:.1f} s CPU, {build_wall:.1f} s wall")
    _report_steps(built.stderr)
    _report(args.meetings, build_s, *figures)


def _report(
    meetings: int,
    build_s: float | None,
    collect_s: float,
    scan_s: float,
    files: int,
    fragments: int,
    leaks: int,
) -> None:
    guard_s = collect_s + scan_s
    print(f"archive: {meetings} meetings; output: {files} files")
    print(
        f"guard: collect {collect_s:.2f} s CPU ({fragments} withheld fragments), "
        f"scan {scan_s:.2f} s CPU, leaks found {leaks}"
    )
    if build_s:
        print(f"guard_s={guard_s:.2f} build_s={build_s:.1f} guard_share={guard_s / build_s:.3f}")
    else:
        print(f"guard_s={guard_s:.2f}")


def _report_steps(log: str) -> None:
    """The build's own "Steps:" line, and the guard's share of the build's CPU by it (the
    guard step as the build ran it: its cache written, the template text counted public)."""
    steps = [line for line in log.splitlines() if "Steps:" in line]
    if not steps:
        print("build: no Steps line")
        return
    line = steps[-1]
    print(line[line.index("Steps:") :])
    cpu = line.split("CPU:", 1)[1].split(";", 1)[0]
    guard = re.search(r"guard ([0-9.]+) s", cpu)
    total = re.search(r"total ([0-9.]+) s", cpu)
    if guard and total:
        guard_s, total_s = float(guard[1]), float(total[1])
        share = guard_s / total_s
        print(f"steps: guard_cpu={guard_s:.1f} build_cpu={total_s:.1f} share={share:.3f}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _guard_alone(archive: Path, site: Path) -> tuple[float, float, int, int, int]:
    import datetime as dt

    from committee_papers.guard import scan, secrets
    from committee_papers.load import load
    from committee_papers.policy import Audience, Policy
    from committee_papers.projection import project

    papers = load(archive)
    policy = Policy(papers, Audience.public, dt.date.fromisoformat(AS_OF))
    shown = project(papers, policy)
    started = time.process_time()
    found = secrets(papers, shown)
    collected = time.process_time()
    before = _children_cpu()
    leaks = scan(site, found)
    scanned = time.process_time() + _children_cpu() - before
    files = sum(1 for p in site.rglob("*") if p.is_file())
    return collected - started, scanned - collected, files, len(found), len(leaks)


if __name__ == "__main__":
    main()
