"""Publishing one meeting re-indexes its period's papers, its year's listings and the hub
pages; every other group's index is the live site's, untouched (searchindex.py: groups)."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from support import ROOT, build_site, copy_data, file_digests

#: Already live: a planning meeting in November.
NOVEMBER = """body: planning
date: 2026-11-26
start: "18:30"
status: scheduled
published: 2026-11-18
agenda:
  - {number: "1", kind: apologies}
  - {number: "2", kind: declarations}
"""

#: Published now: the audit committee in December, approving the minutes of January.
DECEMBER = """body: audit-governance
date: 2026-12-15
start: "18:30"
status: scheduled
published: 2026-11-20
agenda:
  - {number: "1", kind: apologies}
  - {number: "2", kind: declarations}
  - number: "3"
    kind: minutes
    minutes_of: 2026-01-28-audit-governance
    purpose: decision
"""

_RUN = re.compile(r"Search index: (\S+): (\d+ pages in|unchanged, reused)")
_PEAK = re.compile(r"Search index: \S+: \d+ pages in .*\(([\d.]+) s CPU\), Pagefind peak (\d+) MB")


def meeting(data: Path, name: str, text: str) -> None:
    (data / "meetings" / name).mkdir()
    (data / "meetings" / name / "meeting.yml").write_text(text)


def index_runs(caplog: pytest.LogCaptureFixture) -> dict[str, bool]:
    """Each group of the last build: True if Pagefind indexed it, False if it was reused."""
    runs = {}
    for record in caplog.records:
        found = _RUN.match(record.getMessage())
        if found:
            runs[found.group(1)] = found.group(2) != "unchanged, reused"
    return runs


def test_a_new_meeting_reindexes_its_month_and_the_pages_it_changes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = copy_data(tmp_path / "data")
    meeting(data, "2026-11-26-planning", NOVEMBER)
    live = build_site(tmp_path / "live", data_dir=data)
    before = file_digests(live)
    meeting(data, "2026-12-15-audit-governance", DECEMBER)

    caplog.set_level(logging.INFO, logger="mkdocs.plugins.committee_papers")
    caplog.clear()
    build_site(tmp_path / "live", data_dir=data)
    runs = index_runs(caplog)
    indexed = sorted(group for group, fresh in runs.items() if fresh)
    # The fixture council is quiet (three meetings in a year), so its papers are one group a
    # year (searchindex.period_months): 2026's papers (the new meeting, and January's meeting
    # page, which now names the meeting approving its minutes); the year page of 2026's
    # meetings and the committee pages, which list the new meeting.
    assert indexed == ["2026", "2026-lists", "site"]
    # The person pages did not change: their index is the live one.
    assert runs["people"] is False
    # Pagefind's own CPU and peak memory are measured for each group it indexed (the
    # memory every 20 ms: a run of a few pages may end before the first reading).
    measured = [_PEAK.match(r.getMessage()) for r in caplog.records]
    measured = [m for m in measured if m]
    assert len(measured) == 3 and max(int(m[2]) for m in measured) > 0
    assert sum(float(m[1]) for m in measured) > 0
    after = file_digests(live)
    people = {k: v for k, v in before.items() if k.startswith("pagefind/people/")}
    assert people and all(after[k] == v for k, v in people.items())


def test_two_pagefind_processes_run_at_once_and_give_the_bytes_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build runs Pagefind once per group; with two at a time (searchindex.JOBS on
    two cores) the index is byte for byte the one a single process at a time writes."""
    import threading

    from committee_papers import searchindex

    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")  # each build runs Pagefind
    monkeypatch.setattr(searchindex, "JOBS", 1)
    one = file_digests(build_site(tmp_path / "one") / "pagefind")

    together = threading.Barrier(2, timeout=30)  # broken unless two runs are alive at once
    run = searchindex._run_pagefind
    calls: list[str] = []

    def paired(tree: Path, out: Path) -> tuple[float, float]:
        calls.append(out.name)
        if len(calls) <= 2:
            together.wait()
        return run(tree, out)

    monkeypatch.setattr(searchindex, "JOBS", 2)
    monkeypatch.setattr(searchindex, "_run_pagefind", paired)
    two = file_digests(build_site(tmp_path / "two") / "pagefind")
    assert len(calls) >= 3
    assert two == one


def test_a_rebuild_knows_the_page_cache_s_pages_without_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a group changed is told by the hash of each page's bytes. A page linked from
    the page cache is known by the name of the cache's copy (that hash), so a re-build reads
    only the pages the cache does not hold (the hand-written ones); every manifest still
    gives the hash of the page's bytes, as reading it would."""
    from committee_papers import searchindex
    from committee_papers.pagecache import content_digest

    data = copy_data(tmp_path / "data")
    build_site(tmp_path / "live", data_dir=data)
    meeting(data, "2026-12-15-audit-governance", DECEMBER)
    read: list[int] = []

    def counted(data: bytes) -> str:
        read.append(len(data))
        return content_digest(data)

    monkeypatch.setattr(searchindex, "content_digest", counted)
    asked: list[str] = []
    listed = searchindex.page_inodes

    def spied(site: Path, pages: Iterable[str]) -> dict[str, int]:
        pages = list(pages)
        asked.extend(pages)
        return listed(site, pages)

    # Nor asks the file system for their inodes: a page the build placed is its copy.
    monkeypatch.setattr(searchindex, "page_inodes", spied)
    live = build_site(tmp_path / "live", data_dir=data)
    manifests = {
        rel: digest
        for path in (live / "pagefind").glob(f"*/{searchindex.MANIFEST}")
        for rel, digest in json.loads(path.read_text(encoding="utf-8")).items()
    }
    assert len(manifests) > 20
    assert manifests == {rel: content_digest((live / rel).read_bytes()) for rel in manifests}
    # The hand-written pages (docs/) are not the page cache's: those, and only those, read.
    hand_written = {
        "index.html" if md.stem == "index" else f"{md.stem}/index.html"
        for md in (ROOT / "docs").glob("*.md")
    }
    assert len(read) == len(hand_written & manifests.keys()) > 0
    assert set(asked) <= hand_written and hand_written & manifests.keys() <= set(asked)


def test_a_placed_page_that_is_not_its_copy_stops_a_verifying_build(tmp_path: Path) -> None:
    """Under PAPERS_PAGE_CACHE_VERIFY the pages the build placed are asked too: one that is
    not the copy the build says it placed (another inode) is an error, not indexed as it."""
    from committee_papers import searchindex
    from committee_papers.pagecache import StaleCacheError

    for name in ("placed.html", "drawn.html"):
        (tmp_path / name).write_text(name)
    placed = {"placed.html": ("copy", (tmp_path / "placed.html").stat().st_ino)}
    drawn = (tmp_path / "drawn.html").stat().st_ino
    pages = ["placed.html", "drawn.html", "gone.html"]
    expected = {"placed.html": placed["placed.html"][1], "drawn.html": drawn}
    assert searchindex.search_page_inodes(tmp_path, pages, placed) == expected
    assert searchindex.search_page_inodes(tmp_path, pages, placed, verify=True) == expected
    elsewhere = {"placed.html": ("copy", drawn)}
    assert searchindex.search_page_inodes(tmp_path, pages, elsewhere)["placed.html"] == drawn
    with pytest.raises(StaleCacheError, match=r"placed\.html"):
        searchindex.search_page_inodes(tmp_path, pages, elsewhere, verify=True)


def test_a_page_is_read_when_it_is_not_the_cache_s_copy(tmp_path: Path) -> None:
    """The name of a cached copy stands for a page only while the page is that copy (the
    same inode); a page written over since is read."""
    from committee_papers import searchindex
    from committee_papers.pagecache import content_digest

    (tmp_path / "p.html").write_bytes(b"<p>now</p>")
    inode = (tmp_path / "p.html").stat().st_ino
    # The inodes the build listed once (`page_inodes`): a folder or a missing page is not a
    # page.
    (tmp_path / "d.html").mkdir()
    listed = searchindex.page_inodes(tmp_path, ["p.html", "d.html", "gone.html"])
    assert listed == {"p.html": inode}
    same = searchindex._page_digest(tmp_path, "p.html", {"p.html": ("stored", inode)}, listed)
    written_over = {"p.html": ("stored", inode + 1)}
    other = searchindex._page_digest(tmp_path, "p.html", written_over, listed)
    assert same == "stored"
    assert other == content_digest(b"<p>now</p>")
    known = {"p.html": ("stored", inode)}
    assert searchindex._page_digest(tmp_path, "p.html", known, listed) == "stored"
    moved = {"p.html": inode + 1}
    assert searchindex._page_digest(tmp_path, "p.html", known, moved) == other


def test_groups_of_drawn_pages_are_indexed_first_and_kept_ones_moved_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-build keeps a hundred and more indexes and indexes two or three groups, those of
    the pages it drew: those are begun first (Pagefind is the slow part), the kept indexes
    are moved in while they run, a group not kept though none of its pages was drawn is
    indexed too, and the runs come back in the groups' order all the same."""
    import threading
    import time

    from committee_papers import searchindex
    from committee_papers.searchstore import SearchStore

    store = SearchStore(tmp_path / "store")
    groups = {name: [f"{name}.html"] for name in ("2023", "2024", "2025", "2026")}
    for name, pages in groups.items():
        (tmp_path / pages[0]).write_text(f"<p>{name}</p>")
    for name in ("2024", "2025"):
        manifest = searchindex._manifest_of(tmp_path, [f"{name}.html"], {}, {})
        store.keep(searchindex.store_key(name, manifest), _an_index(tmp_path / f"kept-{name}"))
    begun: list[str] = []
    told: list[str] = []
    lock = threading.Lock()
    drawn_begun = threading.Event()
    made = searchindex._manifest_of
    waited: list[bool] = []

    def manifest_of(site, pages, known, inodes):  # type: ignore[no-untyped-def]
        if pages != ["2026.html"]:  # another group's manifest: only once 2026 is indexing
            waited.append(drawn_begun.wait(10))
        return made(site, pages, known, inodes)

    tries: dict[str, bool] = {}

    def index_group(site, group, pages, manifest, previous, store, tried=False, started=None):  # type: ignore[no-untyped-def]
        with lock:
            begun.append(group)
            tries[group] = tried
        if group == "2026":
            drawn_begun.set()
        time.sleep(1.0)  # Pagefind at work
        return searchindex.IndexRun(group, 1, 1.0, 0.0)

    monkeypatch.setattr(searchindex, "_manifest_of", manifest_of)
    monkeypatch.setattr(searchindex, "_index_group", index_group)
    reused = {"2023.html", "2024.html", "2025.html"}  # 2026.html was drawn
    runs = searchindex.build_indexes(
        tmp_path,
        groups,
        store=store,
        jobs=2,
        reused=reused,
        progress=lambda run: told.append(run.group),
    )
    assert waited == [True, True, True]  # the drawn group began before any other manifest
    assert sorted(begun) == ["2023", "2026"]  # 2023 too, once found not kept
    assert tries == {"2023": True, "2026": False}  # not looked for in the store twice
    assert told[:2] == ["2024", "2025"]  # moved in while 2026 was being indexed
    assert [run.group for run in runs] == ["2023", "2024", "2025", "2026"]
    assert [sorted(run.files) for run in runs[1:3]] == [
        ["pagefind/2024/pagefind.js"],
        ["pagefind/2025/pagefind.js"],
    ]
    assert (tmp_path / "pagefind/2025/pagefind.js").read_text() == "code"


@pytest.mark.parametrize("drawn", [True, False])
def test_the_caller_is_told_when_pagefind_begins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drawn: bool
) -> None:
    """`build_indexes(started=...)` is set as Pagefind begins on the first group of pages
    drawn (their parts made), so that the build process holds its own Python work till
    then; at once when no page was drawn (no Pagefind is near), and always by the end."""
    import threading

    from committee_papers import searchindex

    groups = {name: [f"{name}.html"] for name in ("2025", "2026")}
    for name, pages in groups.items():
        (tmp_path / pages[0]).write_text(f"<p>{name}</p>")
    started = threading.Event()
    seen: dict[str, bool] = {}
    made = searchindex._manifest_of

    def manifest_of(site, pages, known, inodes):  # type: ignore[no-untyped-def]
        seen.setdefault("manifest", started.is_set())
        return made(site, pages, known, inodes)

    def run_pagefind(tree, out):  # type: ignore[no-untyped-def]
        # By group (its pages' folder is named for it): the kept group's Pagefind, on the
        # other worker, may run first.
        seen.setdefault(tree.name.split("-")[2], started.is_set())
        out.mkdir(parents=True, exist_ok=True)
        (out / "pagefind.js").write_text("code")
        return 1.0, 0.0

    monkeypatch.setattr(searchindex, "_manifest_of", manifest_of)
    monkeypatch.setattr(searchindex, "_run_pagefind", run_pagefind)
    reused = {"2025.html"} if drawn else {"2025.html", "2026.html"}
    searchindex.build_indexes(tmp_path, groups, jobs=2, reused=reused, started=started)
    assert started.is_set()
    if drawn:
        assert seen["2026"] is True  # set before Pagefind ran on the pages drawn
    else:
        assert seen["manifest"] is True  # set before any manifest was made


def test_the_groups_of_pages_drawn_are_indexed_the_largest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's time is per page: of the groups a re-build drew pages of, the largest
    (the new meeting's month) begins first, and only it tells the caller that Pagefind
    began; a smaller one waits for a free worker."""
    import threading
    import time

    from committee_papers import searchindex

    sizes = {"2026-10": 1, "2026-11": 5, "2026-lists": 3}
    groups = {g: [f"{g}/{n}.html" for n in range(size)] for g, size in sizes.items()}
    begun: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def index_group(site, group, pages, manifest, previous, store, tried=False, started=None):  # type: ignore[no-untyped-def]
        with lock:
            begun.append((group, started is not None))
        time.sleep(0.3)  # Pagefind at work
        return searchindex.IndexRun(group, len(pages), 0.3, 0.0)

    monkeypatch.setattr(searchindex, "_manifest_of", lambda *args: "{}")
    monkeypatch.setattr(searchindex, "_index_group", index_group)
    started = threading.Event()
    runs = searchindex.build_indexes(
        tmp_path, groups, jobs=2, reused=set(), inodes={}, started=started
    )
    assert sorted(group for group, _ in begun[:2]) == ["2026-11", "2026-lists"]
    assert begun[2] == ("2026-10", False)
    assert [group for group, told in begun if told] == ["2026-11"]
    assert [run.group for run in runs] == ["2026-10", "2026-11", "2026-lists"]


def _an_index(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "pagefind.js").write_text("code")
    return folder


def test_unchanged_indexes_come_from_the_search_store_and_the_guard_does_not_read_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group whose pages did not change is linked from the search store (searchstore.py),
    even when the live site's index is gone; its files are the store's (one inode), and the
    guard knows them by the hash of their bytes without reading them. The site is the one
    a full build without any cache makes."""
    from committee_papers import leakscan

    store = tmp_path / "search"
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(store))
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_GUARD_CACHE", str(tmp_path / "guard"))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    kept = {entry.stat().st_ino for entry in store.rglob("*") if entry.is_file()}
    assert kept
    meeting(data, "2026-12-15-audit-governance", DECEMBER)
    # Not even the live site's copy to link from: the store alone.
    for folder in (live / "pagefind").iterdir():
        if folder.is_dir():
            for file in sorted(folder.rglob("*"), reverse=True):
                file.rmdir() if file.is_dir() else file.unlink()

    read: list[str] = []
    reading = leakscan._read

    def recording(path: str) -> bytes:
        read.append(path)
        return reading(path)

    monkeypatch.setattr(leakscan, "_read", recording)
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.committee_papers")
    caplog.clear()
    build_site(tmp_path / "live", data_dir=data)
    runs = index_runs(caplog)
    assert runs["people"] is False  # reused, from the store
    people = sorted((live / "pagefind" / "people").rglob("*.pf_*"))
    assert people and all(file.stat().st_ino in kept for file in people)
    assert not [path for path in read if "/pagefind/people/" in path]
    assert [path for path in read if "/pagefind/2026/" in path]  # indexed now: read

    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_GUARD_CACHE", "false")
    assert file_digests(live) == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_an_unchanged_index_moves_between_the_store_and_the_site_without_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-build moves an unchanged group's kept folder into the new site (one rename),
    and once the new site is live moves the old site's copy back into the store: the
    folders themselves travel, no file is linked one by one."""
    from committee_papers import searchstore

    store = tmp_path / "search"
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(store))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)

    def people_kept() -> Path:
        manifest = (live / "pagefind" / "people" / "cp-pages.json").read_text()
        return store / searchstore.key("people", manifest)

    kept = people_kept().stat().st_ino
    old_live = (live / "pagefind" / "people").stat().st_ino
    links: list[str] = []
    link = os.link

    def counting(source: object, target: object, *args: object, **kwargs: object) -> None:
        links.append(str(target))
        link(source, target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", counting)
    meeting(data, "2026-12-15-audit-governance", DECEMBER)
    build_site(tmp_path / "live", data_dir=data)
    assert (live / "pagefind" / "people").stat().st_ino == kept  # moved in from the store
    assert people_kept().stat().st_ino == old_live  # the old site's copy, moved back
    assert not [target for target in links if "/pagefind/people/" in target]
    # The links that were made: the changed groups' new indexes, kept.
    assert [target for target in links if target.startswith(str(store))]


def test_an_index_another_version_made_is_made_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live site's index of a group is reused only if this version of the code and of
    Pagefind made it (`cp-made-by.txt`): after an upgrade, a group whose pages are the same
    is indexed again, as a full build would index it."""
    from committee_papers import searchindex, searchstore

    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")  # the live site's indexes only
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    made_by = live / "pagefind" / "people" / searchindex.MADE_BY
    assert made_by.read_text(encoding="utf-8") == searchstore.made_by()
    made_by.unlink()
    made_by.write_text("an older version", encoding="utf-8")

    caplog.set_level(logging.INFO, logger="mkdocs.plugins.committee_papers")
    caplog.clear()
    build_site(tmp_path / "live", data_dir=data)
    runs = index_runs(caplog)
    assert runs.pop("people") is True
    assert runs and not any(runs.values())
    assert made_by.read_text(encoding="utf-8") == searchstore.made_by()
