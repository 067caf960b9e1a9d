"""How long loading the papers takes: cold (no load cache), warm, and after one edit.

    python bench/load.py DATA [--cache DIR] [--as-of 2026-11-23]

DATA is a data folder (e.g. written by bench/archive.py). Each measurement runs in a fresh
process and reports its CPU seconds (user + system) and peak memory, which a shared
machine disturbs less than wall time:

- `load`: reading, parsing and validating every file and the checks between files
  (the build's "load" step), with no cache (as before the cache), cold (the cache folder
  emptied first: everything parsed and stored) and warm (nothing changed);
- `edit`: warm, after one report's text was changed (restored afterwards);
- `specs`: the projection for the public and the page specs (the build's "specs" step),
  after a warm load.

The last line sums it up: `cold_s=… warm_s=… edit_s=… specs_s=… peak_rss_mb=…`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import datetime as dt, json, resource, sys
from pathlib import Path
from committee_papers.load import load_with_problems

data, cache, specs, templates, as_of = sys.argv[1:6]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start = cpu()
papers, problems, sources = load_with_problems(Path(data), Path(cache) if cache else None)
loaded = cpu()
assert papers is not None and not problems, "\n".join(map(str, problems))
result = {"load_s": loaded - start, "hits": sources.cache.hits, "misses": sources.cache.misses,
          "meetings": len(papers.meetings), "reports": len(papers.reports)}
if specs == "yes":
    from committee_papers.pages import page_specs
    from committee_papers.policy import Audience, Policy
    from committee_papers.projection import project, withheld_ids
    from committee_papers.render import Renderer
    full = Policy(papers, Audience.public, dt.date.fromisoformat(as_of))
    shown = project(papers, full)
    policy = Policy(shown, full.audience, full.as_of)
    renderer = Renderer(shown, policy, [Path(templates)], withheld_ids(papers, shown))
    result["pages"] = len(page_specs(shown, policy, renderer))
    result["specs_s"] = cpu() - loaded
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def measure(data: Path, cache: Path | None, specs: bool = False, as_of: str = "") -> dict:
    templates = Path(__file__).resolve().parent.parent / "macros"
    command = [sys.executable, "-c", CHILD, str(data), str(cache or ""), "yes" if specs else "no"]
    done = subprocess.run(
        [*command, str(templates), as_of], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"measurement failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def edited_report(data: Path) -> Path:
    """The newest meeting's first report, the one a clerk would be correcting."""
    newest = sorted(p for p in (data / "meetings").iterdir() if p.is_dir())[-1]
    return sorted(newest.glob("*.md"))[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--as-of", default="2026-11-23")
    parser.add_argument("--no-uncached", action="store_true", help="skip the run without cache")
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="load-cache-"))
    shutil.rmtree(cache, ignore_errors=True)
    rows = []
    if not args.no_uncached:
        rows.append(("load, no cache", measure(args.data, None)))
    rows.append(("load, cold cache", measure(args.data, cache)))
    rows.append(("load, warm cache", measure(args.data, cache)))
    report = edited_report(args.data)
    original = report.read_bytes()
    try:
        report.write_bytes(original.replace(b"\n\n", b"\n\nEdited for the benchmark.\n\n", 1))
        rows.append(("load, warm, one report edited", measure(args.data, cache)))
    finally:
        report.write_bytes(original)
    rows.append(("load + specs, warm", measure(args.data, cache, specs=True, as_of=args.as_of)))
    first = rows[-1][1]
    print(f"{args.data}: {first['meetings']} meetings, {first['reports']} reports")
    for name, row in rows:
        extra = f", specs {row['specs_s']:.2f} s ({row['pages']} pages)" if "specs_s" in row else ""
        print(
            f"  {name:32} load {row['load_s']:6.2f} s CPU{extra}, units cached "
            f"{row['hits']}, parsed {row['misses']}, peak {row['peak_rss_mb']:.0f} MB"
        )
    by_name = dict(rows)
    print(
        f"cold_s={by_name['load, cold cache']['load_s']:.2f} "
        f"warm_s={by_name['load, warm cache']['load_s']:.2f} "
        f"edit_s={by_name['load, warm, one report edited']['load_s']:.2f} "
        f"specs_s={first['specs_s']:.2f} "
        f"peak_rss_mb={max(row['peak_rss_mb'] for _, row in rows):.0f}"
    )
    if args.cache is None:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
