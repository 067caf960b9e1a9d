"""Publishing into an already built site: only what changed is redone, and the bytes are
those of a full build."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from support import AS_OF, ROOT, build_site, config_with_docs, copy_data, file_digests
from test_siteskeleton import wait_for_skeleton

NEW_MEETING = """body: planning
date: 2027-01-12
start: "18:30"
status: scheduled
published: 2026-11-20
agenda:
  - {number: "1", kind: apologies}
  - {number: "2", kind: declarations}
"""

SECRET_TERMS = "The buyer offered a deferred payment over seven annual instalments."
PART_2_ITEM = """  - {number: "3", kind: exclusion, purpose: decision}
  - number: "4"
    part: 2
    title: Sale of the former depot
    report: depot-sale-terms
    purpose: decision
    exempt: ["3"]
"""
PART_2_REPORT = f"""---
title: Terms for the sale of the former depot site
report_of: Director of Place
purpose: decision
exempt: ["3"]
summary: The terms two bidders offered for the former depot, and which to accept.
---
## Terms offered

{SECRET_TERMS}
"""


def test_a_new_meeting_reindexes_few_search_groups_and_matches_a_full_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search store of its own: another test's build of the same meeting would have kept
    # the new groups' indexes already (searchstore.py), and none would be indexed here.
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    before = file_digests(live)
    folder = data / "meetings" / "2027-01-12-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(NEW_MEETING)

    caplog.set_level(logging.INFO, logger="mkdocs.plugins.committee_papers")
    # Only the second build's summary (the first one's is captured too when an earlier test
    # in this worker left the logger at INFO).
    caplog.clear()
    build_site(tmp_path / "live", data_dir=data)
    summary = next(r.getMessage() for r in caplog.records if "unchanged and reused" in r.message)
    # 2026's papers and the person pages, untouched (a new year's first meeting changes the
    # listings of every year, which link each other: searchindex.lists_group).
    assert "2 unchanged and reused" in summary
    incremental = file_digests(live)
    assert "pagefind/2027/pagefind-entry.json" in incremental
    for group in ("2026", "people"):
        entry = f"pagefind/{group}/pagefind-entry.json"
        assert incremental[entry] == before[entry]

    full = file_digests(build_site(tmp_path / "full", data_dir=data))
    assert incremental == full


def test_the_guard_of_a_rebuild_scans_only_the_files_whose_bytes_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's pages become the page cache's copies (one inode each, drawn or reused), so
    the guard knows them by their stored name from the first build on; and a new meeting's
    withheld text is no reason to read again the files it cannot be in (guardrecord.py):
    the re-build publishing a meeting with a Part 2 item scans its new and changed files and
    no other, and still publishes none of the item's text."""
    from committee_papers import leakscan

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    monkeypatch.setenv("PAPERS_GUARD_CACHE", str(tmp_path / "guard"))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    stored = {
        entry.inode() for folder in (tmp_path / "pages").iterdir() for entry in os.scandir(folder)
    }
    generated = ("meetings", "reports", "people", "committees", "decisions", "calendar")
    pages = [page for folder in generated for page in sorted((live / folder).rglob("*.html"))]
    assert len(pages) > 30
    for page in pages:
        assert page.stat().st_ino in stored, f"{page} is not the page cache's copy"

    before = file_digests(live)
    _add_meeting(data, part_2=True)
    scanned: list[str] = []  # the files the guard scanned (its theme is learnt apart)
    scan = leakscan.Reader.find
    monkeypatch.setattr(
        leakscan.Reader,
        "find",
        lambda self, matcher, name, data: scanned.append(name) or scan(self, matcher, name, data),
    )
    build_site(tmp_path / "live", data_dir=data)
    after = file_digests(live)
    changed = {name for name, digest in after.items() if before.get(name) != digest}
    assert "meetings/2027-01-12-planning/index.html" in scanned
    assert len(changed) < len(after) / 3
    assert set(scanned) <= changed, sorted(set(scanned) - changed)
    members = build_site(tmp_path / "members", data_dir=data, audience="members")
    assert SECRET_TERMS in (members / "reports/depot-sale-terms/index.html").read_text()
    assert not any(SECRET_TERMS.encode() in path.read_bytes() for path in live.rglob("*.html"))


def test_a_rebuild_makes_only_the_runs_of_the_open_data_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`api/all.json` is every item of the open data, so a new meeting changes it; its text
    is kept in runs of items named by their stored copies (opendata._write_run), so the
    re-build makes again only the runs holding a changed item, and the file is byte for
    byte a full build's."""
    from committee_papers.outputs import opendata

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    monkeypatch.setattr(opendata, "RUN_MAX", 1)  # the fixture is small: a run an item
    made: list[int] = []
    run_text = opendata._run_text

    def counted(run: list, count: int) -> bytes:
        made.append(len(run))
        return run_text(run, count)

    monkeypatch.setattr(opendata, "_run_text", counted)
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    runs = len(made)
    assert runs > 10
    folder = data / "meetings" / "2027-01-12-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(NEW_MEETING)
    made.clear()
    build_site(tmp_path / "live", data_dir=data)
    assert 0 < len(made) < runs / 2
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    full = build_site(tmp_path / "full", data_dir=data)
    assert (live / "api/all.json").read_bytes() == (full / "api/all.json").read_bytes()


def test_an_output_whose_kept_copy_is_gone_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page cache knows which copies it holds from one listing of its folder: a copy
    removed since the last build (another build's clean-up) is made and kept again, and
    the site gets the file's bytes all the same."""
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    made = sorted((live / "api/meetings").glob("*.json"))[0]
    expected = made.read_bytes()
    (copy,) = [path for path in (tmp_path / "pages").glob("*/*") if path.samefile(made)]
    copy.unlink()
    build_site(tmp_path / "live", data_dir=data)
    assert made.read_bytes() == expected
    assert copy.read_bytes() == expected and copy.samefile(made)


def test_cache_folders_that_cannot_be_written_cost_only_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The page cache and the guard's record only save work: where their folders cannot be
    made (a file in the way), the build says so and publishes the site of a build without
    them, twice over (the second build finds the same)."""
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(in_the_way / "pages"))
    monkeypatch.setenv("PAPERS_GUARD_CACHE", str(in_the_way / "guard"))
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build_site(tmp_path / "site")
        built = file_digests(build_site(tmp_path / "site"))
    said = [r.getMessage().lower() for r in caplog.records]
    assert sum("page cache not kept" in m and "a-file" in m for m in said) == 2, said
    assert sum("guard record not kept" in m and "a-file" in m for m in said) == 2, said
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_GUARD_CACHE", "false")
    assert built == file_digests(build_site(tmp_path / "plain"))


@pytest.mark.parametrize("helper", ["answers", "fails halfway"])
def test_cached_pages_placed_by_helpers_make_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: str
) -> None:
    """A re-build without the old site (siteskeleton.py: the first build's copy is removed
    here, as a change of code would leave none to use) places its cached pages by helper
    processes, each a share, while MkDocs draws the others (PageCache.place_beside,
    placing.py); a helper that fails halfway has its share placed by the build, and only
    its share."""
    from committee_papers import pagecache, placing, siteskeleton

    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    skeleton = wait_for_skeleton(live)
    shutil.rmtree(skeleton)
    siteskeleton.listing_of(skeleton).unlink()
    folder = data / "meetings" / "2027-01-12-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(NEW_MEETING)

    real_place, real_command = pagecache.PageCache.place, placing.command
    shares: list[list[str]] = []
    here: list[list[str]] = []
    helpers: list[int] = []
    listings: list[str] = []

    def place(self: pagecache.PageCache, pages: dict) -> None:
        here.append(sorted(pages))
        real_place(self, pages)

    def command(folder: Path | str, listing: str) -> list[str]:
        listings.append(listing)
        names = Path(listing).read_bytes().split(b"\0")[1::2]
        shares.append(sorted(os.fsdecode(name) for name in names))
        if helper == "fails halfway" and len(shares) == 2:
            # Places the first half of its share, then fails.
            half = (
                "import sys; from pathlib import Path; from committee_papers import placing; "
                "parts = Path(sys.argv[2]).read_bytes().split(b'\\0'); "
                "pairs = list(zip(parts[0::2], parts[1::2]))[: len(parts) // 4]; "
                "placing.place_files(sys.argv[1], [(a.decode(), b.decode()) for a, b in pairs]); "
                "sys.exit(1)"
            )
            return [sys.executable, "-c", half, os.fspath(folder), listing]
        return real_command(folder, listing)

    real_start = placing.start

    def start(folder: Path | str, pages: Any) -> placing.Helper:
        started = real_start(folder, pages)
        helpers.append(started.process.pid if started.process else 0)
        return started

    monkeypatch.setattr(pagecache, "PLACE_APART", 0)
    monkeypatch.setattr(pagecache.PageCache, "place", place)
    monkeypatch.setattr(placing, "command", command)
    monkeypatch.setattr(placing, "start", start)
    incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    # Every share had its own process (not this one, nor a fork of it: each ran the
    # command), the build process placed nothing when they answered, and the failed
    # helper's share (all of it again) when one did not.
    assert len(shares) == pagecache.PLACE_HELPERS and all(shares)
    assert len(helpers) == pagecache.PLACE_HELPERS and os.getpid() not in helpers
    assert here == ([] if helper == "answers" else [shares[1]])
    monkeypatch.undo()
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))
    assert listings and not any(Path(listing).exists() for listing in listings)


@pytest.mark.parametrize("fork", ["answers", "fails halfway"])
def test_outputs_made_by_a_fork_make_the_same_site_and_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, fork: str
) -> None:
    """A re-build makes its output files in a fork while the pages are drawn
    (buildfork.py), once it has worked out the guard's secrets: the site is a full
    build's, the files the fork made afresh are kept in the build's page cache (the next
    build reuses every output), and a fork lost halfway through the outputs has them made
    by the build process instead (the secrets, answered first, stand)."""
    from committee_papers import buildfork as ahead
    from committee_papers import forked, pagecache, secretsahead, sitefinish, steps
    from committee_papers.outputs import feeds

    data = _built_then_new_meeting(tmp_path, monkeypatch)

    parent, real, here = os.getpid(), ahead.made_here, []

    def made_here(staging: Path, policy, cache, generators=None, made=(), **more):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            here.append(staging)
        elif fork == "fails halfway":
            files = [*made, *ahead.all_files(policy.papers, policy, generators)]
            ahead.write(staging, files[: len(files) // 2])
            raise OSError("the fork was lost")
        return real(staging, policy, cache, generators=generators, made=made, **more)

    monkeypatch.setattr(ahead, "REBUILD_FROM", 0)
    monkeypatch.setattr(ahead, "made_here", made_here)
    # Pagefind still indexing when the outputs are in (the fixture's is quick), so the fork
    # reads the site early for the guard.
    monkeypatch.setattr(steps.Background, "running", lambda self: True)
    secrets_here: list[int] = []  # secrets worked out by the build process
    real_secrets = secretsahead.secrets

    def secrets(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            secrets_here.append(1)
        return real_secrets(*args, **kwargs)

    monkeypatch.setattr(secretsahead, "secrets", secrets)
    forks: list[str | None] = []  # the one-answer forks made: none of the secrets' own
    fork_init = forked.Forked.__init__

    def init(self, work, *args, name=None):  # type: ignore[no-untyped-def]
        forks.append(name)
        fork_init(self, work, *args, name=name)

    monkeypatch.setattr(forked.Forked, "__init__", init)
    taken: list[pagecache.OutputsMade] = []
    take = pagecache.PageCache.take_outputs

    def take_outputs(self: pagecache.PageCache, done: pagecache.OutputsMade) -> None:
        taken.append(done)
        take(self, done)

    monkeypatch.setattr(pagecache.PageCache, "take_outputs", take_outputs)
    feeds_made = tmp_path / "feeds-made-in"  # by the fork ahead, and here if it is lost
    feeds_made.mkdir()
    real_entries = feeds.entries

    def entries(*args, **kwargs):  # type: ignore[no-untyped-def]
        (feeds_made / str(os.getpid())).touch()
        return real_entries(*args, **kwargs)

    monkeypatch.setattr(feeds, "entries", entries)
    known: list[tuple[int, int]] = []  # outputs linked, and known to the guard by inode
    real_stored = sitefinish.stored_outputs

    def stored_outputs(cache, linked, listed=None):  # type: ignore[no-untyped-def]
        found = real_stored(cache, linked, listed)
        inside = os.path.join(os.fspath(cache.folder), "")
        copies = [name for name, path in linked.items() if os.fspath(path).startswith(inside)]
        known.append((len(copies), len(found)))
        return found

    monkeypatch.setattr(sitefinish, "stored_outputs", stored_outputs)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    made_in = {int(made.name) for made in feeds_made.iterdir()}
    assert len(made_in - {parent}) == 1  # the fork, before the page cache was open
    assert (parent in made_in) == (fork == "fails halfway")
    # Every output linked from the cache's copies (not a data folder's image), by the fork
    # or here, is known to the guard without reading it (the fork hands back strings).
    assert len(known) == 1 and known[0][0] > 0 and known[0][1] == known[0][0]
    # The guard read the site but the search index while Pagefind made it, whoever made
    # the outputs (the fork's secrets came before them); the fork read nothing early.
    messages = [r.getMessage() for r in caplog.records]
    assert any("but the search index's checked while Pagefind indexed" in m for m in messages)
    assert not any("read by the fork while Pagefind" in m for m in messages)
    if fork == "answers":
        # The fork made the new meeting's files and handed them over; the build made none.
        assert here == [] and len(taken) == 1 and secrets_here == []
        assert "guard-secrets" not in forks
        assert any("2027-01-12-planning" in path for path in taken[0].made)
        assert taken[0].reused > 0 and len(taken[0].outputs) > len(taken[0].made)
    else:
        assert len(here) == 1 and taken == [] and secrets_here == []
    # The next build finds every output file kept, whoever made it.
    counts = _outputs_reused(monkeypatch)
    again = file_digests(build_site(tmp_path / "live", data_dir=data))
    assert again == incremental
    assert len(counts) == 1 and counts[0][0] == counts[0][1] > 0
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_no_early_reading_once_the_search_index_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The fork reads the site early only while Pagefind is still indexing when the outputs
    are in; with the index made already, the guard reads once, as before, and the site is
    a full build's."""
    from committee_papers import buildfork, steps

    data = _built_then_new_meeting(tmp_path, monkeypatch)
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)
    monkeypatch.setattr(steps.Background, "running", lambda self: False)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    assert any("by a fork" in r.message for r in caplog.records)  # the fork made the outputs
    assert not any("read by the fork" in r.message for r in caplog.records)
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_a_file_written_while_the_outputs_are_taken_is_read_by_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A re-build's guard lists and reads the site but its search index as soon as the
    fork's outputs are in, while Pagefind indexes: a file written while the outputs are
    taken is among what it reads, its leak stops the build, and the live site is left as
    it was."""
    from mkdocs.exceptions import Abort

    from committee_papers import buildfork

    data = _built_then_new_meeting(tmp_path, monkeypatch, part_2=True)
    live = tmp_path / "live"
    before = file_digests(live)
    real_result = buildfork.BuildFork.result

    def result(self, written=None):  # type: ignore[no-untyped-def]  # the build process
        (self._staging / "feed-extra.xml").write_text(f"<feed><title>{SECRET_TERMS}</title></feed>")
        return real_result(self, written)

    _guard_reads_ahead(monkeypatch)
    monkeypatch.setattr(buildfork.BuildFork, "result", result)
    with (
        caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"),
        pytest.raises(Abort),
    ):
        build_site(live, data_dir=data)
    messages = [r.getMessage() for r in caplog.records]
    assert any("feed-extra.xml: contains text of report 'depot-sale-terms'" in m for m in messages)
    assert any("but the search index's checked while Pagefind indexed" in m for m in messages)
    assert file_digests(live) == before


@pytest.mark.parametrize("plant", ["none", "open data", "search index"])
def test_a_rebuild_s_guard_reads_all_but_the_search_index_while_pagefind_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, plant: str
) -> None:
    """A re-build's guard lists and reads every file but the search index's before
    Pagefind's index is made (Pagefind is held here until it has), and its last step lists
    and reads the search index's folder alone: a leak in the open data's bulk file (read
    ahead) or in a file of the index (read last) stops the build; without one the site is
    a full build's."""
    from mkdocs.exceptions import Abort

    from committee_papers import buildfork, leakscan, searchindex, sitefinish

    data = _built_then_new_meeting(tmp_path, monkeypatch, part_2=True)
    _guard_reads_ahead(monkeypatch)
    read_ahead = threading.Event()
    real_ahead, real_pagefind = sitefinish.scan_ahead, searchindex._run_pagefind
    ahead_names: list[list[str]] = []
    listings: list[Any] = []

    def scan_ahead(staging, *args, **kwargs):  # type: ignore[no-untyped-def]
        listings.append(args[-1])  # the old site's listing by folder (sitelisting.by_folder)
        if plant == "open data":  # after the parts it was written from: read whole
            with (staging / buildfork.BULK).open("a") as bulk:
                bulk.write(f'\n"{SECRET_TERMS}"')
        found = real_ahead(staging, *args, **kwargs)
        ahead_names.append(found.part.names)
        read_ahead.set()
        return found

    def run_pagefind(tree, out):  # type: ignore[no-untyped-def]  # in the search thread
        assert read_ahead.wait(120), "the guard did not read ahead"
        made = real_pagefind(tree, out)
        if plant == "search index":
            (out / "pagefind-extra.json").write_text(f'{{"text": "{SECRET_TERMS}"}}')
        return made

    last: list[list[str]] = []
    real_under = leakscan._files_under

    def files_under(*args, **kwargs):  # type: ignore[no-untyped-def]
        last.append(real_under(*args, **kwargs))
        return last[-1]

    monkeypatch.setattr(sitefinish, "scan_ahead", scan_ahead)
    monkeypatch.setattr(searchindex, "_run_pagefind", run_pagefind)
    monkeypatch.setattr(leakscan, "_files_under", files_under)
    live = tmp_path / "live"
    before = file_digests(live)
    if plant != "none":
        with (
            caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"),
            pytest.raises(Abort),
        ):
            build_site(live, data_dir=data)
        messages = [r.getMessage() for r in caplog.records]
        leaked = "api/all.json" if plant == "open data" else "pagefind/"
        assert any(
            leaked in m and "contains text of report 'depot-sale-terms'" in m for m in messages
        ), messages
        assert file_digests(live) == before
        return
    incremental = file_digests(build_site(live, data_dir=data))
    (names,) = ahead_names
    assert "api/all.json" in names and not any(n.startswith("pagefind/") for n in names)
    (listing,) = listings  # the old site's folders, taken from its listing where unchanged
    assert listing is not None and "meetings/" in listing[0]
    (index,) = last
    assert index and all(name.startswith("pagefind/") for name in index)
    assert sorted(names + index) == sorted(incremental)  # every file of the site, once
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_the_bulk_open_data_is_proved_by_its_parts_and_only_new_parts_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`api/all.json` is written from the page cache's kept parts (runs of items): the
    guard compares the file with them and reads only the parts it has not proved clean
    (leakparts.py). The first build proves every part made of the items' own files, which
    it reads, and reads none; a re-build with a new meeting reads the parts the meeting
    changed, and its site is a full build's."""
    from committee_papers import leakparts, leakscan

    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 4096)  # all.json is large, as at ten years
    # A record of its own: another test's, of other papers, would leave nothing proved clean.
    monkeypatch.setenv("PAPERS_GUARD_CACHE", str(tmp_path / "guard"))
    proofs: list[leakparts.Proof | None] = []
    real_proved = leakparts.proved

    def proved(name, *args):  # type: ignore[no-untyped-def]
        proofs.append(real_proved(name, *args))
        assert name == "api/all.json"
        return proofs[-1]

    monkeypatch.setattr(leakparts, "proved", proved)
    data = _built_then_new_meeting(tmp_path, monkeypatch)
    first = proofs.pop()
    assert first is not None and not first.known and len(first.by_items) > 3
    assert [key for _, _, key in first.to_read if key is not None] == []
    parts = first.by_items
    _guard_reads_ahead(monkeypatch)
    incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    proof = proofs.pop()
    assert proof is not None and not proofs
    assert set(proof.known) <= set(parts) and len(proof.known) >= len(parts) - 2
    assert 0 < sum(key is not None for _, _, key in proof.to_read) <= 2
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))


def _wait_for(path: Path, seconds: float = 120) -> None:
    """Wait until `path` exists (another process makes it)."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.01)


def test_a_rebuild_with_nothing_changed_makes_no_output_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every output file of a re-build of unchanged papers comes from the page cache (the
    calendars compare meeting dates with a date made from the as-of date: such a
    comparison once replayed against the as-of date itself, and they were made again on
    every build)."""

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    data = copy_data(tmp_path / "data")
    build_site(tmp_path / "live", data_dir=data)
    counts = _outputs_reused(monkeypatch)
    build_site(tmp_path / "live", data_dir=data)
    ((reused, outputs),) = counts
    assert reused == outputs > 20


def _outputs_reused(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """For each build from now on: how many output files came from the page cache, of how
    many (as the page cache saves its index)."""
    from committee_papers import pagecache

    counts: list[tuple[int, int]] = []
    save = pagecache.PageCache.save_beside

    def save_beside(self: pagecache.PageCache, pages) -> None:  # type: ignore[no-untyped-def]
        counts.append((self.outputs_reused, len(self.outputs)))
        save(self, pages)

    monkeypatch.setattr(pagecache.PageCache, "save_beside", save_beside)
    return counts


def test_a_rebuild_run_from_another_folder_draws_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A paper keeps where it was read from as messages name files, relative to where the
    command runs (`data/meetings/...` from the project, a whole path from elsewhere). No
    page shows it, so it is not part of what a page saw: a re-build run from another
    folder draws no page and makes no output file again."""
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    data = copy_data(tmp_path / "data")
    monkeypatch.chdir(ROOT)  # the papers are named by whole paths from here
    first = file_digests(build_site(tmp_path / "live", data_dir=data))
    # From the folder holding the papers they are `data/meetings/...`; mkdocs-macros finds
    # its templates from where the command runs, so they are there too.
    (tmp_path / "macros").symlink_to(ROOT / "macros")
    monkeypatch.chdir(tmp_path)
    counts = _outputs_reused(monkeypatch)
    caplog.clear()  # the first build's lines, where an earlier test left INFO on
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        again = file_digests(build_site(tmp_path / "live", data_dir=data))
    said = [r.getMessage() for r in caplog.records if "pages reused" in r.getMessage()]
    assert len(said) == 1 and said[0].endswith(", 0 drawn"), said
    ((reused, outputs),) = counts
    assert reused == outputs > 20
    assert again == first


def test_a_hand_written_link_to_a_page_served_from_the_cache_resolves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page the cache serves out of the nav is no file of MkDocs' (`_PlacedPage`), yet a
    hand-written page's link to it is rewritten as in a full build: the site of a re-build
    is a full build's, byte for byte, with the link to the committee's page."""
    from committee_papers.mkdocs_plugin import build_site as build

    config = config_with_docs(
        tmp_path, "about.md", "[The planning committee](committees/planning/index.md)"
    )
    data = copy_data(tmp_path / "data")

    def built(site: Path) -> dict[str, str]:
        build(
            str(config),
            as_of=AS_OF,
            site_dir=str(site),
            data_dir=str(data),
            templates_dir=str(ROOT / "macros"),
        )
        return file_digests(site)

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    built(tmp_path / "live")
    rebuilt = built(tmp_path / "live")  # every generated page served from the cache
    about = (tmp_path / "live/about/index.html").read_text()
    assert 'href="../committees/planning/"' in about
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert rebuilt == built(tmp_path / "full")


def _built_then_new_meeting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part_2: bool = False
) -> Path:
    """The fixture's papers built live into tmp_path/live with the page and search caches
    on, then a new meeting added to them (`_add_meeting`); their folder."""
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    data = copy_data(tmp_path / "data")
    build_site(tmp_path / "live", data_dir=data)
    _add_meeting(data, part_2)
    return data


def _add_meeting(data: Path, part_2: bool = False) -> None:
    """The new planning meeting, with a Part 2 item and its report (`SECRET_TERMS`) if
    `part_2`: withheld text the guard has never looked for."""
    folder = data / "meetings" / "2027-01-12-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(NEW_MEETING + (PART_2_ITEM if part_2 else ""))
    if part_2:
        (folder / "depot-sale-terms.md").write_text(PART_2_REPORT)


def _guard_reads_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build a re-build whose fork makes the outputs, Pagefind still indexing when
    they are in: the guard reads the site but the search index ahead (`_scan_ahead`)."""
    from committee_papers import buildfork, sitefinish

    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)
    monkeypatch.setattr(sitefinish.Background, "running", lambda self: True)


def test_a_first_build_of_an_archive_makes_its_outputs_in_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A first build of an archive (`FIRST_BUILD_AHEAD_FROM` pages or more) has the fork make its
    outputs while the pages are drawn, at a lower priority, as a re-build does, then read
    the site for the guard while Pagefind indexes, only until the guard's last step asks
    (Pagefind keeps both cores nearly busy; the fork reads in what they leave): the site
    is the one the build process makes, and the next build reuses every output the fork
    kept."""
    from committee_papers import buildfork, sitefinish

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    data = copy_data(tmp_path / "data")
    early: list[bool] = []
    real_read_early = buildfork.BuildFork.read_early

    def read_early(self):  # type: ignore[no-untyped-def]
        early.append(real_read_early(self))
        told.append(buildfork.UNTIL_ASKED if self.until_asked else True)
        return early[-1]

    told: list[object] = []
    niced = tmp_path / "niced"

    def nice(increment: int) -> int:  # in the fork: noted in a file, the priority kept
        niced.write_text(str(increment))
        return 0

    # Every page count an archive's, an empty page cache a first build's, a kept one a
    # re-build's.
    monkeypatch.setattr(buildfork, "FIRST_BUILD_AHEAD_FROM", 1)
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 1)
    monkeypatch.setattr(buildfork.BuildFork, "read_early", read_early)
    monkeypatch.setattr(buildfork.os, "nice", nice)
    monkeypatch.setattr(sitefinish.Background, "running", lambda self: True)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        ahead = file_digests(build_site(tmp_path / "ahead", data_dir=data))
    messages = [r.message for r in caplog.records]
    assert any("reused from the page cache (by a fork," in m for m in messages)
    assert early == [True]  # the fork made the outputs, then read until asked
    assert told == [buildfork.UNTIL_ASKED]
    assert any("read by the fork while Pagefind" in m for m in messages)
    assert niced.read_text() == str(buildfork.NICER)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        build_site(tmp_path / "ahead", data_dir=data)
    made = [r.message for r in caplog.records if r.message.startswith("Output files:")]
    assert made and made[0].endswith(", 0 made)")
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_GUARD_CACHE", "false")
    assert ahead == file_digests(build_site(tmp_path / "here", data_dir=data))


def test_a_first_build_s_fork_stops_reading_when_the_guard_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The fork of a first build reads early only until the guard's last step asks: the
    build process closes its end of the pipe, the fork sees it between two files and
    answers with what it read, and the last step reads the rest. Here the fork's reading
    is slowed to 20 ms a file, so it is asked long before it could read the site."""
    from committee_papers import buildfork, leakscan, sitefinish

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    monkeypatch.setenv("PAPERS_GUARD_CACHE", str(tmp_path / "guard"))
    data = copy_data(tmp_path / "data")
    here, find = os.getpid(), leakscan.Reader.find

    def slow_in_the_fork(self, matcher, name, data):  # type: ignore[no-untyped-def]
        if os.getpid() != here:
            time.sleep(0.02)
        return find(self, matcher, name, data)

    monkeypatch.setattr(buildfork, "FIRST_BUILD_AHEAD_FROM", 1)
    monkeypatch.setattr(leakscan, "STOP_EVERY", 1)
    monkeypatch.setattr(leakscan.Reader, "find", slow_in_the_fork)
    monkeypatch.setattr(sitefinish.Background, "running", lambda self: True)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        site = build_site(tmp_path / "site", data_dir=data)
    said = [r.message for r in caplog.records if "read by the fork while Pagefind" in r.message]
    assert len(said) == 1, said
    read = int(said[0].split()[1])
    files = [p for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts]
    assert read < len(files) / 2, (read, len(files))


def test_a_rebuild_takes_the_register_s_fingerprints_from_its_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-build's fork fingerprints the decisions register (its feeds and open data read
    it) and hands the fingerprints to the build process, which checks its year and month
    pages against the same register without fingerprinting a decision itself; the site
    is a full build's."""
    from committee_papers import buildfork, pagecache
    from committee_papers.decisions import Decision

    data = _built_then_new_meeting(tmp_path, monkeypatch)
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)
    here = os.getpid()
    made_here: list[str] = []
    taken: list[int] = []
    real_fields = pagecache._field_names
    real_take = pagecache.Fingerprints.take_frozen_prints

    def fields(kind: type) -> tuple[str, ...]:  # a dataclass fingerprinted field by field
        if os.getpid() == here and kind is Decision:
            made_here.append(kind.__qualname__)
        return real_fields(kind)

    def take(self, values, prints):  # type: ignore[no-untyped-def]
        values = list(values)
        taken.append(len(values))
        return real_take(self, values, prints)

    monkeypatch.setattr(pagecache, "_field_names", fields)
    monkeypatch.setattr(pagecache.Fingerprints, "take_frozen_prints", take)
    incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    assert len(taken) == 1 and taken[0] > 0
    assert made_here == []
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_a_rebuild_s_fork_keeps_the_fingerprints_it_learns_for_the_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The papers a re-build's fork fingerprints for the decisions register (the minute
    items and resolutions its decisions name) go back to the build process with what else
    the fork learnt, and are kept for the next build. They were counted as known, so a
    re-build kept them only where its own pages read them too: at ten years of papers,
    whose pages come from the cache, every re-build fingerprinted some 46,000 afresh."""
    import pickle

    from committee_papers import buildfork, pagecache

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(tmp_path / "search"))
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)
    data = copy_data(tmp_path / "data")
    build_site(tmp_path / "live", data_dir=data)
    here = os.getpid()
    real_prints = pagecache.Fingerprints.frozen_prints
    learnt = {b"register paper key": b"its fingerprint"}

    def frozen_prints(self, values):  # type: ignore[no-untyped-def]
        if os.getpid() != here:  # the fork, fingerprinting the register
            self.learnt.update(learnt)  # as a paper as loaded, met in a decision, would be
        return real_prints(self, values)

    monkeypatch.setattr(pagecache.Fingerprints, "frozen_prints", frozen_prints)
    build_site(tmp_path / "live", data_dir=data)
    (kept,) = (tmp_path / "pages").glob(f"*/{pagecache.PRINTS}")
    assert learnt.items() <= pickle.loads(kept.read_bytes()).items()


def test_a_rebuild_s_fork_fingerprints_the_register_before_it_is_told_to_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fork fingerprints the register on the page cache opened before it began, while
    the build process makes the page specs, not once told to go: told, it answers them at
    once, and the fingerprints of the papers it learnt meanwhile go back as before. Every
    decision is fingerprinted once, there; the site is a full build's."""
    from committee_papers import buildfork, pagecache
    from committee_papers.decisions import Decision

    data = _built_then_new_meeting(tmp_path, monkeypatch)
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)
    here, events = os.getpid(), tmp_path / "events"
    real_ahead, real_fields = buildfork._register_ahead, pagecache._field_names

    def note(what: str) -> None:
        with open(events, "a") as out:
            out.write(f"{'main' if os.getpid() == here else 'fork'} {what}\n")

    def ahead(policy, cache):  # type: ignore[no-untyped-def]
        note(f"ahead {cache is not None}")
        return real_ahead(policy, cache)

    def fields(kind: type) -> tuple[str, ...]:
        if kind is Decision:
            note("decision")
        return real_fields(kind)

    monkeypatch.setattr(buildfork, "_register_ahead", ahead)
    monkeypatch.setattr(pagecache, "_field_names", fields)
    incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    said = events.read_text().splitlines()
    assert said[0] == "fork ahead True", said
    decisions = said.count("fork decision")
    assert decisions > 0 and "main decision" not in said
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))


@pytest.mark.parametrize("key_holds", [True, False])
def test_a_rebuilds_page_cache_is_opened_once_before_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key_holds: bool
) -> None:
    """A re-build opens its page cache (reads its index) before the fork begins, and
    neither `on_files` nor the fork opens it again (0.3 s of CPU each at ten years of
    papers). Where the key changed meanwhile (a plugin after this one set the
    configuration), each process opens the cache of the key as it then stands. The site is
    a full build's either way. The papers' reads are traced only once the cache is
    taken: not while the page specs are made."""
    from committee_papers import buildfork, mkdocs_plugin, pagecache, tracing
    from committee_papers.mkdocs_plugin import CommitteePapersPlugin

    data = _built_then_new_meeting(tmp_path, monkeypatch)
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)
    opened = tmp_path / "opened"
    real_init = pagecache.PageCache.__init__
    real_key = CommitteePapersPlugin._page_cache_key
    asked: list[bytes] = []

    def init(self, folder, global_key, *args, **kwargs):  # type: ignore[no-untyped-def]
        with opened.open("a") as out:  # from either process
            out.write(f"{'build' if os.getpid() == parent else 'fork'} {global_key.hex()}\n")
        real_init(self, folder, global_key, *args, **kwargs)

    def page_cache_key(self, config):  # type: ignore[no-untyped-def]
        key = real_key(self, config)
        asked.append(key)
        # The first key asked (before the fork) is another where it does not hold.
        return key if key_holds or len(asked) > 1 else bytes(len(key))

    traced_at_specs: list[bool] = []  # the papers' reads not traced yet: nothing records
    real_specs = mkdocs_plugin.page_specs

    def page_specs(papers, policy, renderer):  # type: ignore[no-untyped-def]
        traced_at_specs.append(isinstance(papers.reports, tracing.TracedDict))
        return real_specs(papers, policy, renderer)

    parent = os.getpid()
    monkeypatch.setattr(pagecache.PageCache, "__init__", init)
    monkeypatch.setattr(CommitteePapersPlugin, "_page_cache_key", page_cache_key)
    monkeypatch.setattr(mkdocs_plugin, "page_specs", page_specs)
    incremental = file_digests(build_site(tmp_path / "live", data_dir=data))
    assert traced_at_specs == [False]
    final = asked[-1].hex()
    early = final if key_holds else bytes(len(asked[-1])).hex()
    expected = [f"build {early}"] + ([] if key_holds else [f"build {final}", f"fork {final}"])
    assert sorted(opened.read_text().splitlines()) == sorted(expected)
    monkeypatch.undo()
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert incremental == file_digests(build_site(tmp_path / "full", data_dir=data))
