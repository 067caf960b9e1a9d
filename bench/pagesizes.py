"""The size of every kind of page and file in a built site, so growth with the archive shows.

    python bench/pagesizes.py SITE [SITE2]        # sizes of one built site, or two compared
    python bench/pagesizes.py --build 100 1000     # write, build (packs and search off), compare

A page of a ten-year archive must not list thousands of pages (issue 18): a meeting page, a
committee's page, a year's listing must stay the same size whatever the archive's length.
Every file of the site is put in a kind by its address (`committees/<id>/<year>/` is a
"committee year" page, `api/all.json` its own kind...), and for each kind the largest file
is reported. Comparing two sites (a small and a large archive, whose newest meetings are the
same: bench/archive.py counts back from its newest meeting) shows which kinds grow.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: (kind, pattern of the path relative to the site), first match wins. Ids never contain "/".
KINDS: list[tuple[str, str]] = [
    ("home", r"index\.html"),
    ("committees index", r"committees/index\.html"),
    ("committee", r"committees/[^/]+/index\.html"),
    ("committee year", r"committees/[^/]+/\d{4}/index\.html"),
    ("committee feed", r"committees/[^/]+/feed\.xml"),
    ("meetings index", r"meetings/index\.html"),
    ("meetings year", r"meetings/\d{4}/index\.html"),
    ("meeting", r"meetings/[^/]+/index\.html"),
    ("minutes", r"meetings/[^/]+/minutes/index\.html"),
    ("meeting calendar", r"meetings/[^/]+/meeting\.ics"),
    ("report", r"reports/[^/]+/index\.html"),
    ("appendix", r"reports/[^/]+/appendix-[^/]+/index\.html"),
    ("report version", r"reports/[^/]+/v\d+/index\.html"),
    ("people index", r"people/index\.html"),
    ("person", r"people/[^/]+/index\.html"),
    ("person year", r"people/[^/]+/\d{4}/index\.html"),
    ("decisions register", r"decisions/index\.html"),
    ("decisions year", r"decisions/\d{4}/index\.html"),
    ("decisions month", r"decisions/\d{4}/\d{2}/index\.html"),
    ("decision", r"decisions/[^/]+/index\.html"),
    ("forward plan", r"forward-plan/index\.html"),
    ("forward plan month", r"forward-plan/[^/]+/index\.html"),
    ("issue", r"issues/[^/]+/index\.html"),
    ("notices", r"notices/index\.html"),
    ("calendar page", r"calendar/index\.html"),
    ("calendar year", r"calendar/\d{4}/index\.html"),
    ("calendar: all", r"calendar/meetings\.ics"),
    ("calendar: body", r"calendar/[^/]+\.ics"),
    ("search page", r"search/index\.html"),
    ("feed: Atom", r"feed\.xml"),
    ("feed: RSS", r"rss\.xml"),
    ("open data: all", r"api/all\.json"),
    ("open data: one object", r"api/(bodies|meetings|reports|people|decisions)/[^/]+\.json"),
    ("open data: schema", r"api/schema/[^/]+\.json"),
    ("sitemap", r"sitemap\.xml"),
    ("sitemap (gzip)", r"sitemap\.xml\.gz"),
    ("search index", r"pagefind.*"),
    ("PDF", r".*\.pdf"),
    ("other page", r".*\.html"),
]
_COMPILED = [(kind, re.compile(pattern + r"\Z")) for kind, pattern in KINDS]


def kind_of(rel: str) -> str | None:
    """The kind of a file at `rel` (relative to the site), or None for theme assets."""
    if rel.startswith("assets/"):
        return None
    for kind, pattern in _COMPILED:
        if pattern.match(rel):
            return kind
    return None


def sizes(site: Path) -> dict[str, tuple[int, int, str]]:
    """Kind -> (number of files, bytes of the largest, path of the largest)."""
    found: dict[str, tuple[int, int, str]] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        kind = kind_of(rel)
        if kind is None:
            continue
        size = path.stat().st_size
        count, largest, where = found.get(kind, (0, -1, ""))
        if size > largest:
            largest, where = size, rel
        found[kind] = (count + 1, largest, where)
    return found


def largest_html(site: Path) -> tuple[int, str]:
    """The largest HTML page of the site: bytes and path."""
    pages = ((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    return max(pages, default=(0, ""))


def table(sites: list[tuple[str, Path]]) -> str:
    """A Markdown table: for each kind, files and largest bytes per site, and the growth."""
    measured = [sizes(site) for _, site in sites]
    order = [kind for kind, _ in KINDS if any(kind in m for m in measured)]
    head = "| kind | " + " | ".join(f"{name}: files, largest" for name, _ in sites)
    head += " | growth |" if len(sites) == 2 else " |"
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for kind in order:
        cells = []
        for m in measured:
            count, largest, _ = m.get(kind, (0, 0, ""))
            cells.append(f"{count:,}, {largest:,} B")
        row = f"| {kind} | " + " | ".join(cells) + " |"
        if len(sites) == 2:
            small, large = (m.get(kind, (0, 0, ""))[1] for m in measured)
            row += f" {100 * (large / small - 1):+.1f}% |" if small else " new |"
        lines.append(row)
    big = [largest_html(site) for _, site in sites]
    cells = " | ".join(f"{size:,} B `{where}`" for size, where in big)
    lines.append(f"| largest HTML page | {cells} |" + (" |" if len(sites) == 2 else ""))
    return "\n".join(lines)


def build(meetings: int, work: Path) -> Path:
    """Write an archive of `meetings` and build its public site, packs and search off."""
    from archive import write_archive
    from build import measured, papers_build, project_config

    work.mkdir(parents=True, exist_ok=True)
    data = write_archive(work / "data", meetings=meetings)
    config = project_config(work, data)
    text = config.read_text()
    text = text.replace("packs: !ENV [PAPERS_PACKS, true]", "packs: false")
    text = text.replace("serve_meetings:", "search_index: false\n      serve_meetings:")
    config.write_text(text)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    seconds, peak = measured(papers_build(config, site), work, work / "project.log")
    print(f"{meetings} meetings built in {seconds:.0f} s (peak {peak:.0f} MB)", flush=True)
    return site


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path)
    parser.add_argument("--build", nargs="+", type=int, metavar="MEETINGS")
    parser.add_argument("--work", type=Path, default=Path("/tmp/committee-papers-pagesizes"))
    args = parser.parse_args(argv)
    sites = [(site.name, site) for site in args.sites]
    for meetings in args.build or []:
        sites.append((f"{meetings} meetings", build(meetings, args.work / f"m{meetings}")))
    print(table(sites))


if __name__ == "__main__":
    main()
