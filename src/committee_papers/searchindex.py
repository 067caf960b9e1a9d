"""The site's search index: Pagefind, small indexes of a period of papers each, merged in
the reader's browser.

Why Pagefind: material's built-in search sends one index of the whole site to every reader
before the first result (282 MB for ten years of papers). Pagefind writes a chunked static
index; a query fetches only the chunks of its words. Why small groups: Pagefind's time is per
page (about 4 ms of CPU a page, 0.1 s to start), and any change to one page of a group means
indexing the whole group again; past periods do not change, so publishing a meeting
re-indexes its period (a month, about 370 pages, at the full archive's pace), the listing
pages of its year and the hub pages, not a year or the whole site. The search page merges the
groups it searches in the browser (`mergeIndex`), the newest first.

Groups: `YYYY-MM` or `YYYY`, the papers of a period (`period_months`, `period_group`: a
meeting, its minutes, reports and appendices by the meeting's date; a decision record by its
date); `YYYY-lists`, the year pages of listings of that year (`lists_group`); `people`, the
person pages; `site`, the rest (home, hubs, committees, help).

Pagefind only reads the built public site, so withheld text can reach an index only through
a page; the leak guard still reads the index files, through `index_texts`. Those files are
gzip streams whose content starts with the signature `pagefind_dcd`; fragments
(`.pf_fragment`) are then JSON with each page's whole text, title, meta and filters.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import cbor2

from . import scratch
from .filelinks import link_or_copy
from .model import Appendix, DecisionRecord, Meeting, Papers, Person, Purpose, Report
from .pagecache import StaleCacheError, content_digest
from .publish import side_folder
from .searchstore import SearchStore, Stored, made_by
from .searchstore import key as store_key

#: Where the indexes go inside the site: pagefind/<group>/.
INDEX_DIR = "pagefind"
#: The group of pages that belong to no month or year: home, hubs, committees, help.
SITE_GROUP = "site"
#: The person pages: they change with attendance and roles, not with every new agenda.
PEOPLE_GROUP = "people"
#: Groups searched whatever the years chosen, in this order.
UNDATED_GROUPS = (PEOPLE_GROUP, SITE_GROUP)
#: The lengths a group of papers may cover, in months (`period_months`).
PERIODS = (1, 2, 3, 4, 6, 12)
#: A group covers the shortest period that holds this many meetings at the council's pace:
#: a month at the full archive's 27 a month (about 370 pages), a year at 1.5 a month. Every
#: index costs a query one chunk of its word index (about 20 to 30 KB) whatever its size, so
#: groups of a quiet council's month would make every search over years dear.
GROUP_MEETINGS = 15
#: The first search covers the newest groups back from the build's date until they hold this
#: many meetings (and at least RECENT_MIN_MONTHS), or RECENT_MAX_MONTHS (always one group):
#: at the full archive's pace it takes 3 months.
RECENT_MEETINGS = 60
RECENT_MIN_MONTHS = 3
RECENT_MAX_MONTHS = 6
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SIGNATURE = b"pagefind_dcd"
#: Beside each index: the hash of every page it was made from, so an unchanged group's index
#: is reused by the next build.
MANIFEST = "cp-pages.json"
#: Beside each index: what made it (`searchstore.made_by`). An index made otherwise is
#: never reused, though its pages be the same.
MADE_BY = "cp-made-by.txt"
#: The kind of paper a reader filters by, for each kind of generated page.
#: An earlier version of a report is a report too (its title says which version).
PAPER_KINDS = {
    "meeting": "agenda",
    "report": "report",
    "report-version": "report",
    "appendix": "appendix",
}
#: Files of an index that hold text from pages (the rest is code, styles and the wasm).
INDEX_SUFFIXES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message carries its output."""


@dataclass
class IndexRun:
    group: str
    pages: int
    seconds: float
    peak_rss_mb: float
    #: CPU seconds of Pagefind's own process (0 for an index reused as it was).
    cpu_seconds: float = 0.0
    #: The index's files kept in the search store, by their names in the site: the hash of
    #: their bytes and their inode (`searchstore`; the guard's `stored`).
    files: dict[str, Stored] = field(default_factory=dict)


def search_meta(papers: Papers, obj: Any, kind: str) -> dict[str, Any]:
    """What a generated page tells Pagefind: its index group, filters, sort date and title.

    Pages of a meeting, its minutes, reports and their appendices belong to the period of the
    meeting (a report: the first meeting presenting it); a person page to `people`; every
    other page to `site` (year pages of listings set their own group: `lists_group`).
    """
    meeting: Meeting | None = None
    report: Report | None = None
    if isinstance(obj, DecisionRecord):
        return _decision_meta(papers, obj)
    if isinstance(obj, Meeting):
        meeting = obj
    elif isinstance(obj, Report | Appendix):
        report = obj if isinstance(obj, Report) else papers.reports.get(obj.report_id)
        route = papers.items_presenting(report.id) if report else []
        meeting = route[0][0] if route else None
    if meeting is None:
        return {"search_group": PEOPLE_GROUP if isinstance(obj, Person) else SITE_GROUP}
    body = papers.bodies.get(meeting.body)
    filters = {
        "body": body.name if body else meeting.body,
        "year": str(meeting.date.year),
        "kind": PAPER_KINDS.get(kind, kind),
    }
    if report is not None:
        filters["purpose"] = report.purpose.value
    meta: dict[str, Any] = {
        "search_group": period_group(meeting.date, period_months(papers)),
        "search_filters": filters,
        "search_date": meeting.date.isoformat(),
    }
    if isinstance(obj, Appendix) and report is not None:
        # A hit in an appendix's table says which report the table belongs to.
        meta["search_title"] = f"Appendix {obj.label} to {report.title}: {obj.title}"
    return meta


def _decision_meta(papers: Papers, record: DecisionRecord) -> dict[str, Any]:
    """A decision record is filed under the period it was taken in and the body (or person)
    that took it."""
    maker = papers.bodies.get(record.maker) or papers.people.get(record.maker)
    name = getattr(maker, "name", record.maker)
    return {
        "search_group": period_group(record.date, period_months(papers)),
        "search_filters": {"body": name, "year": str(record.date.year), "kind": "decision"},
        "search_date": record.date.isoformat(),
    }


_PERIOD_MEMO: dict[int, tuple[Papers, int]] = {}


def period_months(papers: Papers) -> int:
    """How many months a group of papers covers: the shortest of PERIODS holding
    GROUP_MEETINGS meetings at the archive's pace (its meetings over the months from its
    first to its last). Computed once per papers (every page asks)."""
    memo = _PERIOD_MEMO.get(id(papers))
    if memo is not None and memo[0] is papers:
        return memo[1]
    dates = [m.date for m in papers.meetings.values()]
    months = 12
    if dates:
        first, last = min(dates), max(dates)
        pace = len(dates) / ((last.year - first.year) * 12 + last.month - first.month + 1)
        months = next((p for p in PERIODS if pace * p >= GROUP_MEETINGS), 12)
    _PERIOD_MEMO.clear()
    _PERIOD_MEMO[id(papers)] = (papers, months)
    return months


def period_group(day: date, months: int) -> str:
    """The group of the papers of the period of `months` months holding `day`: `YYYY` for a
    year, else `YYYY-MM` with the period's first month (`2026-10` for October to December at
    three months)."""
    if months == 12:
        return f"{day.year:04d}"
    return f"{day.year:04d}-{(day.month - 1) // months * months + 1:02d}"


def lists_group(year: int) -> str:
    """The group of a year's listing pages: `YYYY-lists`. Apart from the papers because
    the current year's listings change with every new meeting; one a year because a year page
    links the other years, so only a new year's first meeting changes every year's pages."""
    return f"{year:04d}-lists"


def group_year(group: str) -> str | None:
    """The year a group belongs to (`2026` for `2026`, `2026-11` and `2026-lists`), or None."""
    head = group[:4]
    return head if len(head) == 4 and head.isdigit() and group[4:5] in ("", "-") else None


def decode(data: bytes) -> bytes:
    """The content of one Pagefind index file: gunzipped, without the `pagefind_dcd` mark."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.removeprefix(SIGNATURE)


def fragment(path: Path) -> dict:
    """One `.pf_fragment` file as Pagefind wrote it: url, content, meta, filters, anchors."""
    return json.loads(decode(path.read_bytes()))


def index_files(site: Path) -> Iterator[Path]:
    """Every file of every search index in a built site that holds text from pages."""
    root = site / INDEX_DIR
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.suffix in INDEX_SUFFIXES and path.is_file():
                yield path


def index_texts(site: Path) -> Iterator[tuple[Path, str]]:
    """The decoded text of every index file, for the leak guard to scan like any page.

    Fragments give the pages' full text, titles, meta and filter values as JSON; word and
    filter indexes are binary (CBOR) with the indexed words as plain UTF-8 inside, so they are
    decoded with replacement and scanned too.
    """
    for path in index_files(site):
        data = decode(path.read_bytes())
        if path.suffix == ".pf_fragment":
            page = json.loads(data)
            parts = [page.get("content", ""), json.dumps(page.get("meta", {}))]
            parts.append(json.dumps(page.get("filters", {})))
            yield path, "\n".join(parts)
        else:
            yield path, data.decode("utf-8", errors="replace")


def groups_present(site: Path) -> list[str]:
    """The groups whose index exists in a built site: newest year first, in each year its
    listings then its periods newest first; then `people` and `site`."""
    root = site / INDEX_DIR
    names = [p.name for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    dated = sorted((n for n in names if group_year(n)), reverse=True)
    return dated + [n for n in UNDATED_GROUPS if n in names]


#: Pagefind processes run at once in a build: one per core, at most two. Each indexes one
#: group of bounded size (about 150 MB of memory at the full archive's pace), and while one
#: runs the build process is writing the other outputs or waiting: a second one halves the
#: wait on a machine of two cores or more.
JOBS = max(1, min(2, os.cpu_count() or 1))


def build_indexes(
    site: Path,
    groups: dict[str, list[str]],
    previous: Path | None = None,
    progress: Callable[[IndexRun], None] | None = None,
    jobs: int | None = None,
    known: Mapping[str, tuple[str, int]] | None = None,
    store: SearchStore | None = None,
    inodes: Mapping[str, int] | None = None,
    reused: Set[str] | None = None,
    started: threading.Event | None = None,
) -> list[IndexRun]:
    """Index the HTML files of each group (paths relative to `site`) into pagefind/<group>/.

    Each group is indexed from a folder of its pages' indexed parts (`indexed_part`; same
    relative paths, so Pagefind computes the same URLs), by `jobs` Pagefind processes at a
    time (`JOBS` by default: one per core, at most two, so memory adds up to two groups').
    Groups are independent folders, so the bytes are the same in any order; the runs are
    returned in the groups' order.
    A group whose pages are byte for byte those of the same group in `previous` (the live
    site) takes that group's index instead: Pagefind's output is canonical (see
    `canonical_order`), so the bytes are the ones indexing would write, and publishing a
    meeting re-indexes its period, its year's listings and the hub pages. The previous index's
    files are hard-linked, never written to: every later write replaces a file rather than
    changing it.

    `known` names pages whose bytes are known without reading them: path -> (the hash of
    their bytes, `pagecache.content_digest`, and their inode). The page cache names its
    copies by that hash and a page linked from one shares its inode, so a re-build of ten
    years of papers does not read a gigabyte of pages to learn that they are the cache's;
    a page whose inode differs is read. `inodes` holds the inode of every page of `groups`
    (`page_inodes`), when the caller listed them already: no page is asked twice.

    `store` keeps each group's index between builds (`searchstore`): an unchanged group's
    index is moved from there first (`recover_indexes` brings the old site's copy back once
    the new site is live), linked from `previous` only when the store lacks it, and each
    run names the files it kept there (`IndexRun.files`), which the guard need not read.
    `reused` are the pages placed from the page cache unchanged: a group of those alone is
    most likely kept, so the others are indexed first, the largest first. `started` is set
    once Pagefind runs on the largest of those (its pages' parts made), or at once when
    there are none: the caller holds its own work in Python till then, which slowed the
    making of the parts.
    """
    work = [(group, sorted(groups[group])) for group in sorted(groups)]
    if inodes is None:
        inodes = page_inodes(site, (page for _, pages in work for page in pages))
    known = known or {}

    def index(
        group: str,
        pages: list[str],
        manifest: str | None = None,
        tell: threading.Event | None = None,
    ) -> IndexRun | None:
        # Given its manifest, the group was looked for in the store already (`_taken`).
        tried = manifest is not None
        if manifest is None:
            manifest = _manifest_of(site, pages, known, inodes)
        run = _index_group(site, group, pages, manifest, previous, store, tried, tell)
        return told(run)

    def told(run: IndexRun | None) -> IndexRun | None:
        if run is not None and progress:
            progress(run)
        return run

    jobs = JOBS if jobs is None else max(1, jobs)
    done: dict[str, IndexRun | None] = {}
    if jobs == 1 or len(work) < 2:
        if started is not None:
            started.set()
        done = {group: index(group, pages) for group, pages in work}
    else:
        # Pagefind, the slow part, begins at once on the groups of pages drawn by this build
        # (a re-build's new meeting); meanwhile this thread works out the other groups'
        # manifests (1.1 to 1.6 s at ten years of papers, once before any Pagefind ran) and
        # moves in those kept, handing Pagefind any that is not.
        first = {g for g, pages in work if reused is not None and not reused.issuperset(pages)}
        if started is not None and not first:
            started.set()
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="pagefind") as pool:
            # The largest first: Pagefind's time is per page, and a re-build's new meeting
            # changes its month (some 500 pages at ten years of papers) and often its year's
            # listings and the hub pages (50 each); begun after those, the month's run
            # ended the build 0.6 s later.
            drawn = sorted((item for item in work if item[0] in first), key=lambda w: -len(w[1]))
            pending = {
                g: pool.submit(index, g, pages, None, started if number == 0 else None)
                for number, (g, pages) in enumerate(drawn)
            }
            for group, pages in work:
                if group in first:
                    continue
                manifest = _manifest_of(site, pages, known, inodes)
                taken = _taken(site, group, manifest, store)
                if taken is None:
                    pending[group] = pool.submit(index, group, pages, manifest)
                else:
                    done[group] = told(taken)
            done.update({group: future.result() for group, future in pending.items()})
    if started is not None:
        started.set()
    if store is not None:
        store.prune()
    return [run for group, _ in work if (run := done.get(group)) is not None]


def _manifest_of(
    site: Path, pages: list[str], known: Mapping[str, tuple[str, int]], inodes: Mapping[str, int]
) -> str:
    """A group's manifest: each page's hash (`_page_digest`), by its path."""
    return json.dumps({rel: _page_digest(site, rel, known, inodes) for rel in pages}, indent=0)


def _index_group(
    site: Path,
    group: str,
    pages: list[str],
    manifest: str,
    previous: Path | None,
    store: SearchStore | None,
    tried: bool = False,
    started: threading.Event | None = None,
) -> IndexRun | None:
    """One group's index: the kept one or the live site's when its pages (`manifest`) are
    unchanged, else Pagefind's; kept in `store` for the next build. `tried`: `_taken`
    found none kept already (and emptied the group's folder); `started` is set as
    Pagefind begins."""
    taken = None if tried else _taken(site, group, manifest, store)
    if taken is not None or not pages:
        return taken
    start = time.perf_counter()
    out, name = site / INDEX_DIR / group, store_key(group, manifest)
    old = previous / INDEX_DIR / group if previous is not None else None
    if old is not None and _manifest(old) == manifest:
        shutil.copytree(old, out, copy_function=link_or_copy)
        kept = store.keep(name, out) if store is not None else {}
        return IndexRun(group, 0, time.perf_counter() - start, 0.0, files=_in_site(out, site, kept))
    run = _indexed(site, group, pages, out, manifest, start, started)
    if store is not None:
        run.files = _in_site(out, site, store.keep(name, out))
    return run


def _taken(site: Path, group: str, manifest: str, store: SearchStore | None) -> IndexRun | None:
    """The group's index moved in from `store`, when kept there for pages of `manifest`;
    whatever was in its folder is removed either way."""
    out = site / INDEX_DIR / group
    shutil.rmtree(out, ignore_errors=True)
    if store is None:
        return None
    start = time.perf_counter()
    taken = store.take(store_key(group, manifest), out)
    if taken is None:
        return None
    return IndexRun(group, 0, time.perf_counter() - start, 0.0, files=_in_site(out, site, taken))


def recover_indexes(old_site: Path, store: SearchStore) -> int:
    """Move the indexes of `old_site` (the site just replaced) back into `store`, each
    under the key its manifest gives (`SearchStore.recover`); how many were moved. Only
    once the new site is live: until then the old one is the published site."""
    moved = 0
    with contextlib.suppress(OSError), os.scandir(old_site / INDEX_DIR) as entries:
        for entry in list(entries):
            manifest = _manifest(Path(entry.path)) if entry.is_dir() else None
            if manifest is not None:
                moved += store.recover(store_key(entry.name, manifest), Path(entry.path))
    return moved


def _in_site(out: Path, site: Path, files: dict[str, Stored]) -> dict[str, Stored]:
    """`files` of a group's folder `out`, by their names in the site."""
    prefix = out.relative_to(site).as_posix() + "/"
    return {prefix + rel: stored for rel, stored in files.items()}


def _indexed(
    site: Path,
    group: str,
    pages: list[str],
    out: Path,
    manifest: str,
    start: float,
    started: threading.Event | None = None,
) -> IndexRun:
    """Pagefind's index of `pages` in `out`, with its manifest.

    Pagefind writes into a folder of its own beside the site (`publish.side_folder`), and
    the finished index is renamed to `out`: a build killed while Pagefind runs leaves it
    running (a child outlives a killed parent), and it goes on writing by the path it was
    given. Given `out`, that path was inside the next build's staging folder, which has the
    same name: its files landed in the next build's index, and where that build had taken
    the group's index from the store, over the kept files themselves, hard links that the
    live site shares (Pagefind truncates a file of the same name: written in place)."""
    made = side_folder(site)
    try:
        with tempfile.TemporaryDirectory(prefix=f"cp-search-{group}-", dir=scratch.folder()) as tmp:
            tree = Path(tmp)
            for rel in pages:
                target = tree / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _indexed_copy(site / rel, target)
            if started is not None:
                started.set()
            peak, cpu = _run_pagefind(tree, made)
        canonical_order(made)
        (made / MANIFEST).write_text(manifest, encoding="utf-8")
        (made / MADE_BY).write_text(made_by(), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        os.rename(made, out)
    finally:
        shutil.rmtree(made, ignore_errors=True)  # gone unless Pagefind or the rest failed
    return IndexRun(group, len(pages), time.perf_counter() - start, peak, cpu)


def page_inodes(site: Path, pages: Iterable[str]) -> dict[str, int]:
    """The inode of each of `pages` (relative to `site`) that is a file there: one `stat`
    a page, by its name as a string (45,000 pages at ten years of papers, each asked once
    for the index and its manifest both)."""
    root = os.path.join(os.fspath(site), "")
    found: dict[str, int] = {}
    for rel in pages:
        try:
            info = os.stat(root + rel)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            found[rel] = info.st_ino
    return found


def search_page_inodes(
    site: Path, pages: Iterable[str], placed: Mapping[str, tuple[str, int]], verify: bool = False
) -> dict[str, int]:
    """`page_inodes` of `pages`, where a page the build placed or adopted (`placed`: its
    page cache copy's name and inode, sitefinish.SiteFinish._stored_pages) is that copy
    and is not asked: the build made it so in its own staging folder, which nothing else
    writes. Asking all 45,000 pages of ten years of papers took 0.15 s, and 4.2 s on the
    build's critical path once the system had dropped the site's folders from memory: each
    page's folder was read from the disk to find it. The guard's reading of the site lists
    every file with its inode anyway, in forks beside Pagefind. `verify` (the page cache's
    `PAPERS_PAGE_CACHE_VERIFY`) asks every page all the same, and a placed page that is not
    its copy is an error."""
    found: dict[str, int] = {}
    rest: list[str] = []
    for rel in pages:
        known = placed.get(rel)
        if known is None:
            rest.append(rel)
        else:
            found[rel] = known[1]
    if verify:
        asked = page_inodes(site, found)
        if asked != found:
            wrong = sorted(rel for rel in found if asked.get(rel) != found[rel])
            raise StaleCacheError(
                f"page cache: {', '.join(wrong[:5])}: not the copy the build placed there"
            )
    found.update(page_inodes(site, rest))
    return found


def _page_digest(
    site: Path, rel: str, known: Mapping[str, tuple[str, int]], inodes: Mapping[str, int]
) -> str:
    """The page cache's hash of a page: a cached page's digest is the name of its copy,
    known without reading it while the page is that copy (`inodes`, from `page_inodes`)."""
    stored = known.get(rel)
    if stored is not None and inodes.get(rel) == stored[1]:
        return stored[0]
    return content_digest((site / rel).read_bytes())


def _manifest(index: Path) -> str | None:
    """The manifest of the index in folder `index`, if this version of the code and of
    Pagefind made it; else None."""
    try:
        if (index / MADE_BY).read_text(encoding="utf-8") != made_by():
            return None
        return (index / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        return None


def _encode(value: Any) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def _named(lang: str, payload: bytes, digits: int) -> str:
    return f"{lang}_{hashlib.sha256(payload).hexdigest()[:digits]}"


def canonical_order(out: Path) -> None:
    """Rewrite Pagefind's filter files and metadata in a stable order, so that the same site
    indexes to the same bytes (the standard the project keeps for every output).

    Pagefind keeps filters in a hash map whose order changes from run to run: the order of
    the filters in `pagefind.<hash>.pf_meta` and of the values in each `.pf_filter` file
    (and so their content-hash names) differ between two runs on the same pages. The files
    are re-encoded (CBOR after the `pagefind_dcd` mark, gzip without a clock) with filters
    and values sorted, renamed by the hash of their new content, and the index entry file
    is updated to name the new metadata file. The browser code only follows these names.
    """
    entry_path = out / "pagefind-entry.json"
    if not entry_path.is_file():
        return
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = out / f"pagefind.{info['hash']}.pf_meta"
        meta = cbor2.loads(decode(meta_path.read_bytes()))
        filters = []
        for name, old in meta[3]:
            path = out / "filter" / f"{old}.pf_filter"
            filter_name, values = cbor2.loads(decode(path.read_bytes()))
            data = _encode([filter_name, sorted(values, key=lambda v: v[0])])
            new = _named(lang, data, 7)
            path.unlink()
            (out / "filter" / f"{new}.pf_filter").write_bytes(data)
            filters.append([name, new])
        meta[3] = sorted(filters)
        data = _encode(meta)
        info["hash"] = _named(lang, data, 13)
        meta_path.unlink()
        (out / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


#: What marks the element Pagefind indexes, and any other instruction to Pagefind.
_BODY_MARK = b" data-pagefind-body"
_PAGEFIND_ATTRIBUTE = b"data-pagefind-"
_MARKED_META = re.compile(rb"<meta data-pagefind-[^<>]*>")
#: Images outside the body element: Pagefind may take the first image of a page as the
#: result's `image` (it takes material's logo for a page whose title is given by a meta tag).
_IMAGE = re.compile(rb"<img\b[^<>]*>")
#: An element Pagefind leaves out with everything inside it: the attribute, then its tag.
_IGNORE_ALL_ATTRIBUTE = b'data-pagefind-ignore="all"'
_IGNORED_ALL = re.compile(rb'<([a-z][a-z0-9]*)\b[^<>]*\sdata-pagefind-ignore="all"[^<>]*>')


def indexed_part(html: bytes) -> bytes | None:
    """What Pagefind reads of a page, as a smaller page that indexes to the same bytes: the
    `<html>` tag (its `lang` picks the stemmer), the `<meta data-pagefind-...>` tags of the
    head (filters, sort date, title), the `data-pagefind-body` element whole and the `<img>`
    tags around it in their order; or None when the page is not laid out so (then it is
    indexed whole).

    Pagefind parses every byte of a page it is given, and material's theme (header, two
    copies of the navigation, footer, scripts) is more than half of a paper's HTML, none of
    it indexed: the body element is all it indexes, and the meta tags all it reads outside
    it. The part keeps every `data-pagefind-` attribute of the page, or the page is given
    whole: an instruction elsewhere (say, on an element outside the body) would be lost.
    `tests/test_search.py` indexes a site both ways and compares every file of the index.
    """
    body = html.find(_BODY_MARK)
    head_end = html.find(b"</head>")
    start = html.find(b"<html")
    if body < 0 or head_end < 0 or not 0 <= start < head_end < body:
        return None
    tag_start = html.rfind(b"<", 0, body)
    name = html[tag_start + 1 : body].split(maxsplit=1)[0]
    end = html.rfind(b"</" + name + b">")
    if tag_start <= head_end or end < body:
        return None
    close = end + len(name) + 3
    part = b"".join(
        [
            html[start : html.index(b">", start) + 1],
            b"<head>",
            *_MARKED_META.findall(html, 0, head_end),
            b"</head><body>",
            *_IMAGE.findall(html, head_end, tag_start),
            html[tag_start:close],
            *_IMAGE.findall(html, close),
            b"</body></html>",
        ]
    )
    if part.count(_PAGEFIND_ATTRIBUTE) != html.count(_PAGEFIND_ATTRIBUTE):
        return None
    return _without_ignored(part)


def _without_ignored(part: bytes) -> bytes:
    """`part` without the elements Pagefind is told to leave out whole
    (`data-pagefind-ignore="all"`: a report's appendices repeated for print, some 9% of a
    month's parts). Pagefind parses them only to drop them, with anything inside, so the
    index is the same (`tests/test_search.py`) and Pagefind's time 8% less. An element whose
    end cannot be found is left in."""
    pieces: list[bytes] = []
    done = 0
    for mark in _ignored_tags(part):
        if mark.start() < done:
            continue
        end = _element_end(part, mark.group(1), mark.end())
        if end < 0:
            continue
        pieces.append(part[done : mark.start()])
        done = end
    if not pieces:
        return part
    pieces.append(part[done:])
    return b"".join(pieces)


def _ignored_tags(part: bytes) -> Iterator[re.Match[bytes]]:
    """The opening tags of `_IGNORED_ALL` in `part`, in order: each found from its
    attribute (one search of the bytes) and matched from the tag's `<` before it, where
    the pattern tried at every `<` of a page took 40 us of a page's 75 us (some 2 s of a
    first build of ten years of papers). A tag holds no `<` or `>`, so the last `<` before
    the attribute is the only place its tag can begin."""
    position = part.find(_IGNORE_ALL_ATTRIBUTE)
    last = -1
    while position >= 0:
        start = part.rfind(b"<", 0, position)
        if start > last:
            mark = _IGNORED_ALL.match(part, start)
            if mark is not None and mark.end() > position:
                last = start
                yield mark
        position = part.find(_IGNORE_ALL_ATTRIBUTE, position + 1)


def _element_end(html: bytes, name: bytes, position: int) -> int:
    """Where the element `name` opened just before `position` ends (after its closing tag,
    its own kind nested inside counted), or -1."""
    depth = 1
    for tag in re.compile(rb"<(/?)" + re.escape(name) + rb"[\s>]").finditer(html, position):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = html.find(b">", tag.start())
            return close + 1 if close >= 0 else -1
    return -1


def _indexed_copy(source: Path, target: Path) -> None:
    """The page's indexed part at `target`, or the whole page (hard-linked) if it has none."""
    part = indexed_part(source.read_bytes())
    if part is None:
        link_or_copy(source, target)
    else:
        target.write_bytes(part)


def _run_pagefind(tree: Path, out: Path) -> tuple[float, float]:
    """Run the Pagefind binary over `tree` into `out`; return its peak memory in MB and its
    CPU seconds.

    The binary is run directly (not through `python -m pagefind`, which starts Python to find
    it): a build runs Pagefind once per changed group, and a full build once per group. CPU
    is that process's own (`os.wait4`). Its peak memory is read from `/proc` while it runs
    (`_PeakWatch`): the kernel's `ru_maxrss` of a child started from this process counts
    this process's own size (Linux carries the high-water mark across fork and exec), which
    made a 30-page index read as the build's 335 MB.
    """
    command = [
        str(_pagefind_binary()),
        "--site",
        str(tree),
        "--output-path",
        str(out.resolve()),
        "--quiet",
    ]
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        watch = _PeakWatch(process.pid, command[0])
        _, status, usage = os.wait4(process.pid, 0)
        peak_kb = watch.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            text = output.read().decode("utf-8", errors="replace")
            raise SearchIndexError(
                f"Pagefind failed on {tree} (exit {process.returncode}):\n{text}".strip()
            )
    return peak_kb / 1024, usage.ru_utime + usage.ru_stime


class _PeakWatch:
    """The largest `VmHWM` (the high-water mark of resident memory) of a running process,
    read every 20 ms from `/proc/<pid>/status` once it runs `binary` (before its exec the
    child still shows this process's memory). The mark only grows, so the last reading is
    the peak up to 20 ms before the end. 0 where `/proc` cannot be read, or the run ended
    before the first reading (a group of a few pages)."""

    def __init__(self, pid: int, binary: str) -> None:
        self.pid, self.name = pid, Path(binary).name[:15]
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            self._read()
            self.done.wait(0.02)

    def _read(self) -> None:
        proc = Path("/proc") / str(self.pid)
        try:
            if (proc / "comm").read_text().strip() != self.name:
                return
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            pass

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


@functools.cache
def _pagefind_binary() -> Path:
    """The binary shipped by the `pagefind[bin]` wheel (package `pagefind_bin`)."""
    from pagefind_bin import get_executable

    try:
        return get_executable()
    except FileNotFoundError as error:
        message = f"Pagefind's binary is missing ({error}): reinstall pagefind[bin]"
        raise SearchIndexError(message) from error


#: The kinds of paper a reader can filter by, in the order the search page lists them.
KIND_CHOICES = ("agenda", "report", "appendix", "minutes", "decision")


@dataclass(frozen=True)
class SearchChoices:
    """What the search page offers before any index is fetched.

    The filter values come from the data at build time, so the page lists every committee,
    kind and purpose without loading Pagefind's filter files (376 KB at ten years: the
    counts Pagefind's own UI fetches before the first result). `recent` are the groups
    searched first (the newest periods and their years' listings; `people` and `site` are
    searched with any span); the others
    are searched when the reader asks (or picks a year), so the first query fetches the same
    few indexes however many years the archive holds.
    """

    #: Years with papers, newest first, and the groups of each (listings, then periods).
    years: list[str]
    year_groups: dict[str, list[str]]
    #: The groups searched first, and what they cover in words ("September to November 2026").
    recent: list[str]
    recent_label: str
    #: `people` and `site` where the site has them: searched with any span of months.
    undated: list[str]
    bodies: list[str]
    kinds: tuple[str, ...]
    purposes: list[str]
    #: The first month searched first, in words: older papers are those before it.
    recent_start: str = ""

    @property
    def older(self) -> list[str]:
        """The dated groups not searched first, newest first."""
        return [g for y in self.years for g in self.year_groups[y] if g not in self.recent]


def search_choices(
    papers: Papers, as_of: date, show_record: Callable[[Any], bool]
) -> SearchChoices:
    """The years and groups (newest first), the recent ones, and the filter values.

    A period (`period_group`) has an index when a meeting or a published decision falls in
    it (`search_meta`), a year has its listings' index when it has a period. The recent
    groups are every group after the build's (meetings already scheduled), then the build's
    and the ones before it until they hold RECENT_MEETINGS meetings and cover
    RECENT_MIN_MONTHS, or cover RECENT_MAX_MONTHS (always at least one); an archive that
    stopped earlier counts back from its newest group instead.
    """
    length = period_months(papers)
    records = [r for r in papers.decisions.values() if show_record(r)]
    meetings: dict[str, int] = {}
    for meeting in papers.meetings.values():
        key = period_group(meeting.date, length)
        meetings[key] = meetings.get(key, 0) + 1
    found = set(meetings) | {period_group(r.date, length) for r in records}
    groups = sorted(found, reverse=True)
    recent = _recent_groups(groups, meetings, as_of, length)
    years = sorted({g[:4] for g in groups}, reverse=True)
    year_groups = {y: [lists_group(int(y))] + [g for g in groups if g[:4] == y] for y in years}
    recent_years = sorted({g[:4] for g in recent}, reverse=True)
    bodies = sorted(body.name for body in papers.bodies.values())
    makers = {r.maker for r in records if r.maker not in papers.bodies}
    people = sorted(p.name for key, p in papers.people.items() if key in makers)
    return SearchChoices(
        years=years,
        year_groups=year_groups,
        recent=[lists_group(int(y)) for y in recent_years] + recent,
        recent_label=_span(recent, length),
        undated=([PEOPLE_GROUP] if papers.people else []) + [SITE_GROUP],
        bodies=bodies + [name for name in people if name not in bodies],
        kinds=KIND_CHOICES,
        purposes=[p.value for p in Purpose],
        recent_start=_first_month(recent[-1], length) if recent else "",
    )


def _recent_groups(
    groups: list[str], meetings: dict[str, int], as_of: date, length: int
) -> list[str]:
    """The groups searched first, newest first (see `search_choices`); `length` is the
    months a group covers. The build's own group counts the months up to the build's."""
    if not groups:
        return []
    now = period_group(as_of, length)
    start = min(now, groups[0])
    recent = [g for g in groups if g > start]
    year, month = int(start[:4]), int(start[5:] or 1)
    count = 0
    taken = as_of.month - month + 1 - length if start == now else 0
    while taken <= 0 or (
        taken < RECENT_MAX_MONTHS and (count < RECENT_MEETINGS or taken < RECENT_MIN_MONTHS)
    ):
        key = period_group(date(year, month, 1), length)
        if key in groups:
            recent.append(key)
        count += meetings.get(key, 0)
        taken += length
        month -= length
        if month < 1:
            year, month = year - 1, month + 12
    return recent or groups[:1]


def month_name(year: int, month: int) -> str:
    """2026, 9 as "September 2026"."""
    return f"{MONTHS[month - 1]} {year}"


def _bounds(group: str, length: int) -> tuple[int, int, int]:
    """A group's year, first month and last month."""
    first = int(group[5:] or 1)
    return int(group[:4]), first, first + length - 1


def _first_month(group: str, length: int) -> str:
    """Where a group starts, in words: "June 2026", or "2026" for a year."""
    year, first, _ = _bounds(group, length)
    return str(year) if length == 12 else month_name(year, first)


def _span(groups: list[str], length: int) -> str:
    """What groups (newest first) cover, in words: "September to November 2026", "December
    2025 to February 2026", "November 2026", "2026", "2025 to 2026"."""
    if not groups:
        return ""
    (y1, _, m1), (y0, m0, _) = _bounds(groups[0], length), _bounds(groups[-1], length)
    if length == 12:
        return str(y1) if y0 == y1 else f"{y0} to {y1}"
    if (y0, m0) == (y1, m1):
        return month_name(y1, m1)
    if y0 == y1:
        return f"{MONTHS[m0 - 1]} to {month_name(y1, m1)}"
    return f"{month_name(y0, m0)} to {month_name(y1, m1)}"
