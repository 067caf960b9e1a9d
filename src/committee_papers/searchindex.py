"""The site's search index: Pagefind, one index per year, merged in the reader's browser.

Why Pagefind: material's built-in search sends one index of the whole site to every reader
before the first result (282 MB for ten years of papers). Pagefind writes a chunked static
index; a query fetches only the chunks of its words. Why one index per year: past years do
not change, so publishing a meeting re-indexes its year only, and the search page merges the
years in the browser (`mergeIndex`).

Pagefind only reads the built public site, so withheld text can reach an index only through
a page; the leak guard still reads the index files, through `index_texts`. Those files are
gzip streams whose content starts with the signature `pagefind_dcd`; fragments
(`.pf_fragment`) are then JSON with each page's whole text, title, meta and filters.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import cbor2

from .model import Appendix, DecisionRecord, Meeting, Papers, Purpose, Report

#: Where the indexes go inside the site: pagefind/<group>/ (a year, or `site` for the rest).
INDEX_DIR = "pagefind"
#: The group of pages that belong to no year: committees, people, hub and help pages.
SITE_GROUP = "site"
SIGNATURE = b"pagefind_dcd"
#: Beside each index: the hash of every page it was made from, so an unchanged year's index
#: is reused by the next build.
MANIFEST = "cp-pages.json"
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


def search_meta(papers: Papers, obj: Any, kind: str) -> dict[str, Any]:
    """What a generated page tells Pagefind: its index group, filters, sort date and title.

    Pages of a meeting, its minutes, reports and their appendices belong to the year of the
    meeting (a report: the first meeting presenting it); every other page to `site`.
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
        return {"search_group": SITE_GROUP}
    body = papers.bodies.get(meeting.body)
    filters = {
        "body": body.name if body else meeting.body,
        "year": str(meeting.date.year),
        "kind": PAPER_KINDS.get(kind, kind),
    }
    if report is not None:
        filters["purpose"] = report.purpose.value
    meta: dict[str, Any] = {
        "search_group": str(meeting.date.year),
        "search_filters": filters,
        "search_date": meeting.date.isoformat(),
    }
    if isinstance(obj, Appendix) and report is not None:
        # A hit in an appendix's table says which report the table belongs to.
        meta["search_title"] = f"Appendix {obj.label} to {report.title}: {obj.title}"
    return meta


def _decision_meta(papers: Papers, record: DecisionRecord) -> dict[str, Any]:
    """A decision record is filed under the year it was taken and the body (or person)
    that took it."""
    maker = papers.bodies.get(record.maker) or papers.people.get(record.maker)
    name = getattr(maker, "name", record.maker)
    return {
        "search_group": str(record.date.year),
        "search_filters": {"body": name, "year": str(record.date.year), "kind": "decision"},
        "search_date": record.date.isoformat(),
    }


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
    """The groups whose index exists in a built site, newest year first, `site` last."""
    root = site / INDEX_DIR
    names = [p.name for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    years = sorted((n for n in names if n.isdigit()), reverse=True)
    return years + ([SITE_GROUP] if SITE_GROUP in names else [])


def build_indexes(
    site: Path,
    groups: dict[str, list[str]],
    previous: Path | None = None,
    progress: Callable[[IndexRun], None] | None = None,
) -> list[IndexRun]:
    """Index the HTML files of each group (paths relative to `site`) into pagefind/<group>/.

    Each group is indexed from a folder of hard links to its pages (same relative paths, so
    Pagefind computes the same URLs), one Pagefind process at a time so memory never adds up.
    A group whose pages are byte for byte those of the same group in `previous` (the live
    site) takes that group's index instead: Pagefind's output is canonical (see
    `canonical_order`), so the bytes are the ones indexing would write, and publishing a
    meeting re-indexes its year only. The previous index's files are hard-linked, never
    written to: every later write replaces a file rather than changing it.
    """
    runs: list[IndexRun] = []
    for group in sorted(groups):
        pages = sorted(groups[group])
        out = site / INDEX_DIR / group
        shutil.rmtree(out, ignore_errors=True)
        if not pages:
            continue
        start = time.perf_counter()
        manifest = json.dumps({rel: _digest(site / rel) for rel in pages}, indent=0)
        old = previous / INDEX_DIR / group if previous is not None else None
        if old is not None and _manifest(old) == manifest:
            shutil.copytree(old, out, copy_function=_link_or_copy)
            runs.append(IndexRun(group, 0, time.perf_counter() - start, 0.0))
            if progress:
                progress(runs[-1])
            continue
        with tempfile.TemporaryDirectory(prefix=f"cp-search-{group}-") as tmp:
            tree = Path(tmp)
            for rel in pages:
                target = tree / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(site / rel, target)
            peak = _run_pagefind(tree, out)
        canonical_order(out)
        (out / MANIFEST).write_text(manifest, encoding="utf-8")
        runs.append(IndexRun(group, len(pages), time.perf_counter() - start, peak))
        if progress:
            progress(runs[-1])
    return runs


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(index: Path) -> str | None:
    path = index / MANIFEST
    return path.read_text(encoding="utf-8") if path.is_file() else None


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


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _run_pagefind(tree: Path, out: Path) -> float:
    """Run the Pagefind binary over `tree` into `out`; return its peak memory in MB."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(tree),
        "--output-path",
        str(out.resolve()),
        "--quiet",
    ]
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True)
        peak_kb = _watch_peak_kb(process)
        output.seek(0)
        text = output.read()
    if process.returncode != 0:
        raise SearchIndexError(
            f"Pagefind failed on {tree} (exit {process.returncode}):\n{text}".strip()
        )
    return peak_kb / 1024


def _watch_peak_kb(process: subprocess.Popen[str]) -> int:
    """Wait for `process`; return the largest `VmHWM` (peak resident kB) it showed.

    getrusage cannot tell: a child's `ru_maxrss` starts from the resident size of the
    process that spawned it (the kernel keeps the old memory's high-water mark across
    exec), so every child of a 2 GB build would read as 2 GB. The `pagefind` module execs
    the binary in place, so the same pid's status is the binary's own after the first
    moments. Polled every 50 ms: a peak held for less than that can be missed, not one that
    lasts through indexing."""
    status = Path(f"/proc/{process.pid}/status")
    peak = 0
    while process.poll() is None:
        try:
            text = status.read_text()
        except OSError:  # finished between poll() and the read
            break
        for line in text.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
        time.sleep(0.05)
    process.wait()
    return peak


#: The kinds of paper a reader can filter by, in the order the search page lists them.
KIND_CHOICES = ("agenda", "report", "appendix", "minutes", "decision")


@dataclass(frozen=True)
class SearchChoices:
    """What the search page offers before any index is fetched.

    The filter values come from the data at build time, so the page lists every committee,
    kind and purpose without loading Pagefind's filter files (376 KB at ten years: the
    counts Pagefind's own UI fetches before the first result). `recent` are the years
    searched first; the others are searched when the reader asks (or picks a year), so the
    first query fetches the same few indexes however many years the archive holds.
    """

    years: list[str]
    recent: list[str]
    bodies: list[str]
    kinds: tuple[str, ...]
    purposes: list[str]

    @property
    def older(self) -> list[str]:
        return [year for year in self.years if year not in self.recent]


def search_choices(
    papers: Papers, as_of: date, show_record: Callable[[Any], bool]
) -> SearchChoices:
    """The years (newest first), the recent ones, and the filter values of the search page.

    A year has an index when a meeting or a published decision falls in it (`search_meta`).
    The recent years are the build's year (and any later one with meetings scheduled), and
    the year before while the build's year is under six months old, so the first search
    covers at least the last six months; an archive that stopped earlier offers its newest
    year.
    """
    records = [r for r in papers.decisions.values() if show_record(r)]
    found = {m.date.year for m in papers.meetings.values()} | {r.date.year for r in records}
    years = sorted(found, reverse=True)
    first = as_of.year - 1 if as_of.month < 7 else as_of.year
    recent = [y for y in years if y >= first] or years[:1]
    bodies = sorted(body.name for body in papers.bodies.values())
    makers = {r.maker for r in records if r.maker not in papers.bodies}
    people = sorted(p.name for key, p in papers.people.items() if key in makers)
    return SearchChoices(
        years=[str(y) for y in years],
        recent=[str(y) for y in recent],
        bodies=bodies + [name for name in people if name not in bodies],
        kinds=KIND_CHOICES,
        purposes=[p.value for p in Purpose],
    )
