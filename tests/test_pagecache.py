"""The page cache never serves a page whose HTML would change, and serves the rest.

Engine tests draw every page of a copy of the demo council with the cache recording, change
one thing (a report, a person, a body, the minutes, a decision, the as-of date, a new
meeting...), then ask the cache which pages it would reuse and draw every page again: no
reused page may differ from its fresh drawing. Build tests go through MkDocs: an incremental
build into a built site gives the bytes of a full build without the cache.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import AS_OF, DATA, ROOT, copy_data, edit

from committee_papers import buildfork, forked, pagecache, tracing
from committee_papers.load import load_with_problems
from committee_papers.mkdocs_plugin import build_site as build
from committee_papers.pagecache import PageCache, PageRecorder, Plan, StaleCacheError
from committee_papers.pages import PageSpec, page_specs
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project, withheld_ids
from committee_papers.render import Renderer

KEY = b"test-global-key"
NEW_MEETING = """body: planning
date: 2027-01-12
start: "18:30"
status: scheduled
published: 2026-11-20
agenda:
  - {number: "1", kind: apologies}
  - {number: "2", kind: declarations}
  - {number: "3", kind: minutes, minutes_of: 2026-10-21-planning}
"""


def draw_engine(data: Path, as_of: str) -> tuple[Renderer, list[PageSpec]]:
    """The pages of `data` as the plugin makes them (projection, traced as-of date)."""
    papers, problems, _ = load_with_problems(data)
    assert papers is not None and not problems, problems
    day = tracing.TracedDate.of(dt.date.fromisoformat(as_of))
    shown = project(papers, Policy(papers, Audience.public, day))
    policy = Policy(shown, Audience.public, day)
    renderer = Renderer(shown, policy, [ROOT / "macros"], withheld_ids(papers, shown))
    return renderer, page_specs(shown, policy, renderer)


def plan_for(cache_dir: Path, data: Path, as_of: str) -> tuple[PageCache, Plan, list[PageSpec]]:
    renderer, specs = draw_engine(data, as_of)
    cache = PageCache(cache_dir, KEY)
    cache.trace(renderer.papers, renderer.view)
    return cache, cache.plan(specs), specs


def fill(cache_dir: Path, data: Path, as_of: str) -> int:
    """Draw every page with the cache recording (the engine HTML stands for the page)."""
    cache, plan, specs = plan_for(cache_dir, data, as_of)
    for spec in specs:
        html, reads = cache.draw(spec.html)
        cache.keep(spec.src_uri, plan.statics[spec.src_uri], reads, html, html)
    cache.save(spec.src_uri for spec in specs)
    return len(specs)


def stale_and_reused(cache_dir: Path, data: Path, as_of: str) -> tuple[list[str], int, int]:
    """Pages the cache would reuse although their HTML changed; pages reused; all pages."""
    cache, plan, specs = plan_for(cache_dir, data, as_of)
    stale = [
        spec.src_uri
        for spec in specs
        if spec.src_uri in plan.hits and cache.read(plan.hits[spec.src_uri]) != str(spec.html())
    ]
    return stale, len(plan.hits), len(specs)


def _report(data: Path) -> None:
    edit(
        data / "meetings/2026-10-21-planning/pa-26-01105-riverside-wharf.md",
        "\n## ",
        "\nA paragraph added by the case officer after the site visit.\n\n## ",
    )


def _person(data: Path) -> None:
    edit(data / "people.yml", "name: Martin Hale", "name: Martin Hale-Jones")


def _body(data: Path) -> None:
    edit(data / "bodies/planning.yml", "name: Planning Committee", "name: Planning Board")


def _minutes(data: Path) -> None:
    edit(data / "meetings/2026-10-21-planning/minutes.yml", 'ended: "20:55"', 'ended: "21:10"')


def _decision(data: Path) -> None:
    edit(
        data / "decisions/christmas-parking-2026.yml",
        "title: Free parking after 3pm",
        "title: Free parking after 2pm",
    )


def _new_meeting(data: Path) -> None:
    folder = data / "meetings/2027-01-12-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(NEW_MEETING, encoding="utf-8")


CHANGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "a report's text": (_report, AS_OF),
    "a person's name": (_person, AS_OF),
    "a body's name": (_body, AS_OF),
    "a meeting's minutes": (_minutes, AS_OF),
    "a decision record": (_decision, AS_OF),
    "a new meeting approving earlier minutes": (_new_meeting, AS_OF),
    "the as-of date crossing a meeting and publication dates": (lambda data: None, "2026-12-02"),
    "the as-of date moving a day": (lambda data: None, "2026-11-24"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_no_reused_page_differs_from_a_fresh_drawing(tmp_path: Path, change: str) -> None:
    data = copy_data(tmp_path / "data", DATA)
    total = fill(tmp_path / "cache", data, AS_OF)
    mutate, as_of = CHANGES[change]
    mutate(data)
    stale, reused, pages = stale_and_reused(tmp_path / "cache", data, as_of)
    assert stale == []
    # Changing one thing leaves most pages as they were, and the cache says so.
    assert reused > pages // 2, f"only {reused} of {pages} pages reused"
    assert pages >= total - 1


def test_nothing_changed_reuses_every_page(tmp_path: Path) -> None:
    total = fill(tmp_path / "cache", DATA, AS_OF)
    stale, reused, pages = stale_and_reused(tmp_path / "cache", DATA, AS_OF)
    assert (stale, reused, pages) == ([], total, total)


def saved_index(cache_dir: Path) -> dict[str, Any]:
    """The index as saved, its entries (plain tuples there) as Entry."""
    (path,) = cache_dir.glob(f"*/{pagecache.INDEX}")
    with path.open("rb") as handle:
        saved = pickle.load(handle)
    return {**saved, "entries": {u: pagecache.Entry(*e) for u, e in saved["entries"].items()}}


def test_the_index_keeps_each_read_once_and_only_those_of_kept_pages(tmp_path: Path) -> None:
    fill(tmp_path, DATA, AS_OF)
    saved = saved_index(tmp_path)
    table, entries = saved["reads"], saved["entries"]
    numbers = [n for entry in entries.values() for n in entry.reads]
    assert len(set(table)) == len(table) == len(set(numbers)) < len(numbers)
    # A build of the reports alone keeps their entries, and of the table only their reads,
    # numbered afresh; the next build still reuses every one of them.
    cache, plan, specs = plan_for(tmp_path, DATA, AS_OF)
    assert len(plan.hits) == len(specs)
    reports = [spec.src_uri for spec in specs if spec.kind == "report"]
    cache.save(reports)
    kept = saved_index(tmp_path)
    assert set(kept["entries"]) == set(reports)
    assert {n for e in kept["entries"].values() for n in e.reads} == set(range(len(kept["reads"])))
    for uri in reports:
        before = [table[n] for n in entries[uri].reads]
        assert [kept["reads"][n] for n in kept["entries"][uri].reads] == before
    assert len(kept["reads"]) < len(table)
    _, plan, _ = plan_for(tmp_path, DATA, AS_OF)
    assert set(plan.hits) == set(reports)


def test_reads_no_page_makes_are_kept_until_the_table_has_grown_a_quarter(
    tmp_path: Path,
) -> None:
    """Compacting the table costs a second of every re-build at ten years of papers: reads
    left behind by pages drawn again stay (never asked) until they are a quarter more."""
    fill(tmp_path, DATA, AS_OF)
    first = saved_index(tmp_path)
    used = len(first["reads"])
    assert first["compacted"] == (used, len(first["entries"]))

    def rebuilt_with_stale_reads(count: int) -> dict[str, Any]:
        cache, plan, specs = plan_for(tmp_path, DATA, AS_OF)
        assert len(plan.hits) == len(specs)
        cache.table.extend(((("stale", n, count), n)) for n in range(count))
        cache.save([spec.src_uri for spec in specs])
        return saved_index(tmp_path)

    few = rebuilt_with_stale_reads(used // 5)
    assert len(few["reads"]) == used + used // 5 and few["compacted"] == first["compacted"]
    assert few["entries"] == first["entries"]
    # The stale reads (not asked) still leave every page reused.
    many = rebuilt_with_stale_reads(used // 10)
    assert len(many["reads"]) == used and many["compacted"] == first["compacted"]
    assert [many["reads"][n] for e in many["entries"].values() for n in e.reads] == [
        first["reads"][n] for e in first["entries"].values() for n in e.reads
    ]
    _, plan, specs = plan_for(tmp_path, DATA, AS_OF)
    assert len(plan.hits) == len(specs)


def test_copies_in_use_are_marked_when_last_marked_hours_ago_and_gone_ones_drawn(
    tmp_path: Path,
) -> None:
    """Another build's clean-up removes copies it does not name once a day old: a build
    marks the copies it reuses as in use, but only those marked hours ago (marking every
    one cost 0.5 s at ten years of papers), and draws again a page whose copy is gone."""
    fill(tmp_path, DATA, AS_OF)
    entries = saved_index(tmp_path)["entries"]
    (folder,) = (path for path in tmp_path.iterdir() if path.is_dir())
    recent, old, gone = [uri for uri in sorted(entries) if uri.startswith("reports/")][:3]
    now = time.time()
    hours = {recent: 2, old: 7}
    for uri, ago in hours.items():
        os.utime(folder / entries[uri].blob, (now - ago * 3600, now - ago * 3600))
    (folder / entries[gone].blob).unlink()
    _, plan, specs = plan_for(tmp_path, DATA, AS_OF)
    assert set(plan.hits) == {spec.src_uri for spec in specs} - {gone}
    assert now - (folder / entries[recent].blob).stat().st_mtime > 3600
    assert now - (folder / entries[old].blob).stat().st_mtime < 600


def test_the_cache_is_cleared_out_when_it_last_was_an_hour_ago_not_on_every_build(
    tmp_path: Path,
) -> None:
    """Clearing out what no build names lists every file of the folder (some 100,000 at
    ten years of papers, 0.25 s at the end of a re-build), where what it removes has been
    unused for a day: a build does it only when the last did so an hour ago."""
    fill(tmp_path, DATA, AS_OF)
    (folder,) = (path for path in tmp_path.iterdir() if path.is_dir())
    stray = folder / "unnamed-copy.html"
    stray.write_text("a page no entry names", encoding="utf-8")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stray, (two_days_ago, two_days_ago))

    def build() -> None:
        cache, _, specs = plan_for(tmp_path, DATA, AS_OF)
        cache.save(spec.src_uri for spec in specs)

    build()
    assert stray.exists()  # the first build cleared the folder out minutes ago
    hours_ago = time.time() - 2 * 3600
    os.utime(folder / pagecache.PRUNED, (hours_ago, hours_ago))
    build()
    assert not stray.exists() and time.time() - (folder / pagecache.PRUNED).stat().st_mtime < 60
    build()
    assert len(plan_for(tmp_path, DATA, AS_OF)[1].hits) > 0


def test_an_index_of_another_shape_only_costs_drawing_again(tmp_path: Path) -> None:
    fill(tmp_path, DATA, AS_OF)
    (path,) = tmp_path.glob(f"*/{pagecache.INDEX}")
    saved = pickle.loads(path.read_bytes())
    saved["entries"] = {"reports/x/index.md": (b"static",)}
    path.write_bytes(pickle.dumps(saved))
    _, plan, specs = plan_for(tmp_path, DATA, AS_OF)
    assert specs and plan.hits == {}


def test_a_new_meeting_redraws_its_listings_and_the_meeting_whose_minutes_it_approves(
    tmp_path: Path,
) -> None:
    data = copy_data(tmp_path / "data", DATA)
    fill(tmp_path / "cache", data, AS_OF)
    _new_meeting(data)
    _, plan, specs = plan_for(tmp_path / "cache", data, AS_OF)
    drawn = {spec.src_uri for spec in specs} - set(plan.hits)
    assert "meetings/2027-01-12-planning/index.md" in drawn
    assert "meetings/index.md" in drawn
    assert "committees/planning/index.md" in drawn
    # Its agenda approves the minutes of 21 October: that meeting's pages now say so.
    assert "meetings/2026-10-21-planning/minutes/index.md" in drawn
    # Other bodies' meetings and their reports are untouched.
    assert "meetings/2026-07-15-council/index.md" not in drawn
    assert not any(uri.startswith("reports/") for uri in drawn if "planning" not in uri)
    # It decides nothing yet and nobody's record changes: the decisions register, its year
    # and month pages and every person's page are served as they were.
    assert not any(uri.startswith(("decisions/", "people/")) for uri in drawn), sorted(drawn)


def test_a_query_is_recorded_as_its_answer_not_its_reads(tmp_path: Path) -> None:
    renderer, specs = draw_engine(DATA, AS_OF)
    cache = PageCache(tmp_path, KEY)
    cache.trace(renderer.papers, renderer.view)
    report = next(spec for spec in specs if spec.kind == "report")
    _, reads = cache.draw(report.html)
    kinds = {read[0] for read, _ in reads}
    assert ("a", "meetings") not in dict(reads)  # it never depends on every meeting
    assert "q" in kinds and "i" in kinds
    assert any(read[0] == "c" for read, _ in reads)  # publication dates against the as-of date


def test_a_query_is_named_once_and_only_for_the_objects_it_was_asked_about(
    tmp_path: Path,
) -> None:
    """The recorder names a query when asked whether it can replay it, and takes that name
    for the answer only when the answer comes for the same owner and arguments."""
    renderer, _ = draw_engine(DATA, AS_OF)
    cache = PageCache(tmp_path, KEY)
    cache.trace(renderer.papers, renderer.view)
    view = renderer.view
    first, second = list(dict.values(renderer.papers.reports))[:2]
    recorder = PageRecorder(cache)
    asked = 0
    named = cache.query_name

    def counted(*args: Any) -> Any:
        nonlocal asked
        asked += 1
        return named(*args)

    cache.query_name = counted  # type: ignore[method-assign]
    # As `tracing.query` asks: the same objects, then the answer.
    args: tuple[Any, ...] = (first,)
    kwargs: dict[str, Any] = {}
    assert recorder.can_replay(view, args, kwargs)
    recorder.query(view, "route", args, kwargs, "answer")
    assert asked == 1
    # Asked about one report, answered for another: named again, as the other.
    assert recorder.can_replay(view, args, kwargs)
    recorder.query(view, "route", (second,), kwargs, "other answer")
    assert asked == 3
    assert set(recorder.reads) == {
        ("q", ("view", view.base), "route", (("o", "reports", first.id),)),
        ("q", ("view", view.base), "route", (("o", "reports", second.id),)),
    }
    # An owner the cache cannot ask again is not replayed, however it is asked.
    assert not recorder.can_replay(object(), args, {})
    assert not recorder.query(object(), "route", args, {}, "answer")


def test_the_as_of_date_records_comparisons_with_their_results() -> None:
    class Notes:
        paused = 0

        def __init__(self) -> None:
            self.seen: list[tuple[object, ...]] = []

        def date_compared(self, op: str, other: dt.date, result: bool) -> None:
            self.seen.append((op, other, result))

        def date_used(self) -> None:
            self.seen.append(("used",))

        def date_part(self, name: str, value: int) -> None:
            self.seen.append((name, value))

    notes = Notes()
    day = tracing.TracedDate(2026, 11, 23)
    previous = tracing.start(notes)  # type: ignore[arg-type]
    try:
        assert dt.date(2026, 11, 1) <= day
        assert not day < dt.date(2026, 1, 1)
        assert day.year == 2026
        assert f"{day:%d %B}" == "23 November"
    finally:
        tracing.start(previous)
    assert notes.seen[:3] == [
        ("__ge__", dt.date(2026, 11, 1), True),
        ("__lt__", dt.date(2026, 1, 1), False),
        ("year", 2026),
    ]
    assert ("used",) in notes.seen


def test_a_date_made_from_the_as_of_date_is_not_the_as_of_date() -> None:
    """`as_of - 300 days` depends on the exact as-of date (recorded as a use of it), and is
    a plain date: compared with a meeting's date, it is not recorded as the as-of date's
    comparison, which a later build would replay against the as-of date itself and find
    changed (a calendar made again on every build)."""
    seen: list[tuple[object, ...]] = []

    class Notes:
        paused = 0

        def date_compared(self, op: str, other: dt.date, result: bool) -> None:
            seen.append((op, other, result))

        def date_used(self) -> None:
            seen.append(("used",))

        def date_part(self, name: str, value: int) -> None:
            seen.append((name, value))

    day = tracing.TracedDate(2026, 11, 23)
    previous = tracing.start(Notes())  # type: ignore[arg-type]
    try:
        since = day - dt.timedelta(days=300)
        later = dt.timedelta(days=1) + day
        first = day.replace(day=1)
        assert dt.date(2026, 1, 28) >= since
    finally:
        tracing.start(previous)
    assert [type(d) for d in (since, later, first)] == [dt.date] * 3
    assert (since, later, first) == (
        dt.date(2026, 1, 27),
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 1),
    )
    assert seen == [("used",)] * 3


# --- through MkDocs -----------------------------------------------------------------------


def tree(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def site_build(site: Path, data: Path, templates: Path | None = None) -> Path:
    build(
        str(ROOT / "mkdocs.yml"),
        as_of=AS_OF,
        site_dir=str(site),
        data_dir=str(data),
        templates_dir=str(templates) if templates else None,
        packs=False,
    )
    return site


@pytest.mark.parametrize("verify", ["1", "0"])
def test_an_incremental_build_gives_the_bytes_of_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, verify: str
) -> None:
    """With verify, every reused page is drawn again and goes through MkDocs' page loops;
    without, reused pages outside the nav skip them and are linked from the cache."""
    data = copy_data(tmp_path / "data")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PAPERS_PAGE_CACHE_VERIFY", verify)
    live = site_build(tmp_path / "live", data)
    folder = data / "meetings" / "2027-01-12-planning"
    folder.mkdir()
    minutes_item = '  - {number: "3", kind: minutes, minutes_of: 2026-10-21-planning}\n'
    (folder / "meeting.yml").write_text(NEW_MEETING.replace(minutes_item, ""))
    edit(data / "people.yml", "name: Ruth Okafor", "name: Ruth Okafor-Bell")
    # A paper whose fingerprint the last build kept (Fingerprints.known): its files changed,
    # so it is fingerprinted again and its pages are drawn again.
    edit(audit_report(data), "had completed 14 of the 22", "had completed 15 of the 22")

    caplog.set_level(logging.INFO, logger="mkdocs.plugins.committee_papers")
    site_build(live, data)
    summary = [r.getMessage() for r in caplog.records if "pages reused" in r.getMessage()]
    reused, drawn = (int(word) for word in summary[-1].split() if word.isdigit())
    assert reused > 0 and drawn > 0
    if verify == "0":  # a reused page outside the nav is the cache's file, linked
        linked = [p for p in live.rglob("index.html") if p.stat().st_nlink > 1]
        assert len(linked) >= reused - 6  # the nav's six pages go through MkDocs
    incremental = tree(live)

    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")  # a full build, no cache at all
    full = tree(site_build(tmp_path / "full", data))
    assert incremental == full


def audit_report(data: Path) -> Path:
    return data / "meetings/2026-01-28-audit-governance/internal-audit-progress-q3-2025-26.md"


def test_a_rebuild_takes_unchanged_papers_fingerprints_from_the_last_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deciding what to reuse fingerprinted every paper of the archive on every build (the
    largest part of the check at ten years of papers). A paper as loaded from files the
    load cache knows keeps its fingerprint between builds; an edited one is made again."""
    from committee_papers import pagecache
    from committee_papers.model import Meeting, Report

    data = copy_data(tmp_path / "data")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "cache"))
    live = site_build(tmp_path / "live", data)
    assert list((tmp_path / "cache").glob(f"*/{pagecache.PRINTS}"))
    made: list[object] = []
    field_by_field = pagecache.Fingerprints._model
    monkeypatch.setattr(
        pagecache.Fingerprints,
        "_model",
        lambda self, obj: made.append(obj) or field_by_field(self, obj),
    )
    edit(audit_report(data), "had completed 14 of the 22", "had completed 15 of the 22")
    site_build(live, data)
    reports = {paper.id for paper in made if isinstance(paper, Report)}
    meetings = {paper.id for paper in made if isinstance(paper, Meeting)}
    assert "internal-audit-progress-q3-2025-26" in reports  # its folder's files changed
    assert "2026-01-28-audit-governance" in meetings  # the same folder: the same unit
    assert reports <= {"internal-audit-progress-q3-2025-26", "risk-register-update-jan-2026"}
    assert (
        "15 of the 22"
        in (live / "reports/internal-audit-progress-q3-2025-26/index.html").read_text()
    )
    assert meetings == {"2026-01-28-audit-governance"}


def test_a_rebuild_keeps_the_known_fingerprints_and_its_fork_hands_back_those_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next build is given the fingerprint of every paper the last one knew, and those
    made since; the fork that makes a re-build's outputs hands back only the fingerprints
    it made (it had handed back every one it read: 90,000 at ten years of papers)."""
    data = copy_data(tmp_path / "data")
    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(cache))
    live = site_build(tmp_path / "live", data)
    (kept_file,) = cache.glob(f"*/{pagecache.PRINTS}")
    before = pickle.loads(kept_file.read_bytes())
    monkeypatch.setattr(buildfork, "REBUILD_FROM", 0)  # the demo's outputs made by a fork
    handed_back: list[dict[bytes, bytes]] = []
    take = PageCache.take_outputs
    monkeypatch.setattr(
        PageCache,
        "take_outputs",
        lambda self, done: handed_back.append(done.learnt) or take(self, done),
    )
    edit(audit_report(data), "had completed 14 of the 22", "had completed 15 of the 22")
    site_build(live, data)  # the edited folder is read from its files: no key, no print
    site_build(live, data)  # now taken from the load cache under its new key
    after = pickle.loads(kept_file.read_bytes())
    made = after.keys() - before.keys()  # the edited folder's papers, under their new keys
    assert made and before.items() <= after.items()
    assert len(handed_back) == 2 and all(learnt.keys() <= made for learnt in handed_back)


def test_fingerprints_of_keys_no_paper_has_are_dropped_once_they_are_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    papers = [object() for _ in range(8)]
    origins = {id(paper): (paper, b"key-%d" % n) for n, paper in enumerate(papers)}
    known = {b"key-%d" % n: b"print-%d" % n for n in range(8)}
    known |= {b"old-%d" % n: b"stale" for n in range(3)}  # an edited unit's keys of before
    prints = pagecache.Fingerprints(origins, known)
    assert prints.to_keep() == {}  # nothing learnt: the next build takes `known` as it is
    prints.learnt[b"key-0"] = b"print-0"
    assert prints.to_keep() == known  # three stale of eight papers: within what is let be
    monkeypatch.setattr(pagecache, "STALE_PRINTS_ALLOWED", 0)
    assert prints.to_keep() == {b"key-%d" % n: b"print-%d" % n for n in range(8)}


def test_a_first_build_fingerprints_each_paper_once_before_its_processes_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no fingerprints kept from a last build, the build process, the pages' worker
    and the fork making the outputs each fingerprinted every paper they read. A first
    build now fingerprints its papers once, while the fork begins (Fingerprints.prime):
    the worker, forked later, shares them, and the fork is told those of papers as loaded
    (the load cache's origins) with the cache's key, so that no other process makes such
    a paper's fingerprint field by field. A re-build does not prime: it knows them."""
    data = copy_data(tmp_path / "data")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "cache"))
    # The demo is small: a worker, and the outputs made by the build's fork, all the same.
    monkeypatch.setenv("PAPERS_PAGE_WORKERS", "1")
    monkeypatch.setattr(buildfork, "FIRST_BUILD_AHEAD_FROM", 0)
    calls = tmp_path / "calls.txt"
    field_by_field = pagecache.Fingerprints._model

    def recorded(self: pagecache.Fingerprints, obj: Any) -> bytes:
        with calls.open("a") as out:
            out.write(f"{os.getpid()}:{id(obj) in self.origins}\n")
        return field_by_field(self, obj)

    primed: list[int] = []
    prime = pagecache.Fingerprints.prime
    monkeypatch.setattr(pagecache.Fingerprints, "_model", recorded)
    monkeypatch.setattr(
        pagecache.Fingerprints, "prime", lambda self, p: primed.append(1) or prime(self, p)
    )
    # The fingerprints are handed to the fork in a scratch file: here, in a folder to see.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    handed: list[str] = []
    hand = buildfork._hand
    monkeypatch.setattr(buildfork, "_hand", lambda prints: handed.append(1) or hand(prints))
    assert pagecache.never_kept_prints(tmp_path / "cache")
    live = site_build(tmp_path / "live", data)
    made = collections.Counter(calls.read_text().split())
    here = str(os.getpid())
    assert primed == [1] and made[f"{here}:True"] > 10
    elsewhere = {call for call in made if not call.startswith(f"{here}:")}
    assert all(call.endswith(":False") for call in elsewhere)
    assert not pagecache.never_kept_prints(tmp_path / "cache")
    assert handed and not list(scratch.iterdir())  # the fork removed the file it read

    edit(audit_report(data), "had completed 14 of the 22", "had completed 15 of the 22")
    site_build(live, data)
    assert primed == [1]


def test_a_template_edit_redraws_every_page_that_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_data(tmp_path / "data")
    templates = tmp_path / "macros"
    shutil.copytree(ROOT / "macros", templates)
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "cache"))
    live = site_build(tmp_path / "live", data, templates)
    edit(
        templates / "person.html",
        "{% macro person_page(v, person) %}",
        "{% macro person_page(v, person) %}<p>Edited template</p>",
    )
    site_build(live, data, templates)
    people = sorted((live / "people").glob("*/index.html"))
    assert people and all("Edited template" in p.read_text(encoding="utf-8") for p in people)
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    assert tree(live) == tree(site_build(tmp_path / "full", data, templates))


def test_verify_mode_names_a_page_whose_reads_were_not_recorded(tmp_path: Path) -> None:
    renderer, specs = draw_engine(DATA, AS_OF)
    cache = PageCache(tmp_path, KEY)
    cache.trace(renderer.papers, renderer.view)
    plan = cache.plan(specs)
    spec = next(spec for spec in specs if spec.kind == "person")
    html, reads = cache.draw(spec.html)
    cache.keep(spec.src_uri, plan.statics[spec.src_uri], reads, html + "<p>old</p>", html)
    with pytest.raises(StaleCacheError, match=spec.src_uri):
        cache.check(spec.src_uri, cache.entries[spec.src_uri], spec.html)


def test_dataclasses_are_fingerprinted_by_their_fields_and_frozen_ones_once() -> None:
    @dataclasses.dataclass(frozen=True)
    class Frozen:
        values: tuple[int, ...]

    @dataclasses.dataclass
    class Open:
        values: list[int]

    prints = pagecache.Fingerprints()
    opened = Open([1])
    before = prints.of(opened)
    opened.values.append(2)
    assert prints.of(opened) != before  # a dataclass that can change is never kept
    frozen = Frozen((1,))
    assert prints.of(frozen) == prints.of(frozen) == pagecache.Fingerprints().of(Frozen((1,)))
    assert prints.of(frozen) != pagecache.Fingerprints().of(Frozen((2,)))
    assert prints.of(frozen) != pagecache.Fingerprints().of(Open([1]))


def _index_files(cache: Path) -> dict[str, bytes]:
    """The page cache's index and fingerprints (and anything pending), by name."""
    return {
        p.name: p.read_bytes()
        for p in cache.rglob("*")
        if p.name.startswith((pagecache.INDEX, pagecache.PRINTS))
    }


@pytest.mark.parametrize("fork", ["answers", "fails"])
def test_the_index_is_written_beside_the_guard_and_kept_only_if_it_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: str
) -> None:
    """The index is written by a fork while the guard reads the site (save_beside): put in
    place when the guard passes (by the build process when the fork fails), thrown away
    when it does not."""
    import os

    from committee_papers import guard, sitefinish

    cache = tmp_path / "pages"
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(cache))
    data = copy_data(tmp_path / "data")
    parent, real = os.getpid(), PageCache._write_index
    if fork == "fails":

        def lost(self: PageCache, pages: set[str], suffix: str = "") -> list[str]:
            if os.getpid() != parent:
                raise OSError("the fork was lost")
            return real(self, pages, suffix)

        monkeypatch.setattr(PageCache, "_write_index", lost)
    site = tmp_path / "site"
    build(str(ROOT / "mkdocs.yml"), site_dir=str(site), data_dir=str(data), as_of=AS_OF)
    first = _index_files(cache)
    assert sorted(first) == [pagecache.INDEX, pagecache.PRINTS]

    # A new meeting whose build the guard refuses: the index stays the last good build's.
    folder = data / "meetings" / "2027-01-12-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(
        "body: planning\ndate: 2027-01-12\nstart: '18:30'\nstatus: scheduled\n"
        "published: 2026-11-20\nagenda:\n  - {number: '1', kind: apologies}\n"
    )
    refused = [guard.Leak("index.html", "a paper", "a withheld fragment")]
    with monkeypatch.context() as refusing:
        refusing.setattr(sitefinish, "check_site", lambda *args, **kwargs: refused)
        with pytest.raises(SystemExit):
            build(str(ROOT / "mkdocs.yml"), site_dir=str(site), data_dir=str(data), as_of=AS_OF)
    assert _index_files(cache) == first

    # Passed: the new index is in place, and the next build draws nothing again.
    build(str(ROOT / "mkdocs.yml"), site_dir=str(site), data_dir=str(data), as_of=AS_OF)
    second = _index_files(cache)
    assert sorted(second) == [pagecache.INDEX, pagecache.PRINTS]
    assert second[pagecache.INDEX] != first[pagecache.INDEX]
    saved = pickle.loads(second[pagecache.INDEX])
    assert any("2027-01-12-planning" in uri for uri in saved["entries"])


def test_builds_sharing_the_cache_s_folder_each_put_their_own_index_in_place(
    tmp_path: Path,
) -> None:
    """Two builds (into two sites) may share the page cache's folder: each one's index,
    written beside its guard, is its own until put in place."""
    first, second = PageCache(tmp_path, KEY), PageCache(tmp_path, KEY)
    first._store("a/index.md", b"static", (), b"made", b"<p>a</p>")
    second._store("b/index.md", b"static", (), b"made", b"<p>b</p>")
    first.save_beside(["a/index.md"])
    first._saving[0].answer()  # the first's index written before the second's is begun
    second.save_beside(["b/index.md"])
    second._saving[0].answer()  # ... and the second's too, before either is put in place
    first.saved(passed=True)
    second.saved(passed=True)  # before: its pending index had been taken by the first
    entries = PageCache(tmp_path, KEY).entries
    assert list(entries) == ["b/index.md"]
    assert not [p for p in tmp_path.rglob("*") if pagecache.PENDING in p.name]


def _cache_of(folder: Path, pages: int) -> PageCache:
    """A cache of `pages` entries, each with a read of its own and one they share."""
    cache = PageCache(folder, KEY)
    for n in range(pages):
        reads = ((("i", "meetings", f"m{n}"), b"seen%d" % n), (("d",), b"shared"))
        cache._store(f"p{n}/index.md", b"static", reads, b"made", b"<p>%d</p>" % n)
    return cache


def _saved_whole(root: Path) -> tuple[list[str], Path]:
    """A cache of 100 pages saved in `root`, its index whole: the pages and the folder."""
    pages = [f"p{n}/index.md" for n in range(100)]
    _cache_of(root, 100).save(pages)
    return pages, next(p for p in root.iterdir() if p.is_dir())


def _reads_of(cache: PageCache) -> dict[str, list[tuple[Any, Any]]]:
    """Each entry's reads as (read, fingerprint) pairs, whatever their numbers."""
    return {uri: [cache.table[n] for n in e.reads] for uri, e in cache.entries.items()}


def test_a_re_build_writes_only_the_index_s_changes_and_the_next_build_reads_them(
    tmp_path: Path,
) -> None:
    """Publishing a meeting changes a few dozen of ten years' 100,000 entries: the index
    is not written whole again (0.9 s of every re-build) but its changes beside it
    (pagecache.DELTA), which the next build applies. A whole index written since (by a
    build of another site sharing the folder) makes the changes stale: they are passed
    over, not applied to an index they were not made against."""
    pages, folder = _saved_whole(tmp_path)
    whole = (folder / pagecache.INDEX).read_bytes()
    assert not (folder / pagecache.DELTA).exists()

    second = PageCache(tmp_path, KEY)
    second._store("p1/index.md", b"static", ((("i", "meetings", "m1"), b"new"),), b"m", b"1")
    second._store("new/index.md", b"static", ((("d",), b"shared"),), b"m", b"<p>new</p>")
    kept = [*(p for p in pages if p != "p2/index.md"), "new/index.md"]
    second.save(kept)
    assert (folder / pagecache.INDEX).read_bytes() == whole  # not written again
    changes = pickle.loads((folder / pagecache.DELTA).read_bytes())
    assert sorted(changes["entries"]) == ["new/index.md", "p1/index.md"]
    assert changes["gone"] == ["p2/index.md"]
    assert len(changes["reads"]) == 1  # the one read not in the table before

    third = PageCache(tmp_path, KEY)
    assert sorted(third.entries) == sorted(kept)
    assert all(_reads_of(third)[uri] == _reads_of(second)[uri] for uri in kept)
    assert _reads_of(third)["p1/index.md"] == [(("i", "meetings", "m1"), b"new")]
    assert third.entries["p3/index.md"] == second.entries["p3/index.md"]

    # Another build writes the index whole: the changes, made against the old one, are
    # left alone by whoever loads it next.
    _cache_of(tmp_path, 100).save(pages)
    assert not (folder / pagecache.DELTA).exists()
    (folder / pagecache.DELTA).write_bytes(pickle.dumps(changes))  # as if left behind
    fourth = PageCache(tmp_path, KEY)
    assert sorted(fourth.entries) == sorted(pages)
    assert _reads_of(fourth)["p1/index.md"] == [
        (("i", "meetings", "m1"), b"seen1"),
        (("d",), b"shared"),
    ]


def test_the_index_is_written_whole_again_once_its_changes_are_a_tenth_of_it(
    tmp_path: Path,
) -> None:
    pages, folder = _saved_whole(tmp_path)
    whole = (folder / pagecache.INDEX).read_bytes()
    small = PageCache(tmp_path, KEY)
    for n in range(5):
        small._store(f"p{n}/index.md", b"changed", (), b"made", b"<p>%d</p>" % n)
    small.save(pages)
    assert (folder / pagecache.INDEX).read_bytes() == whole
    assert (folder / pagecache.DELTA).exists()

    large = PageCache(tmp_path, KEY)  # five changed before, six more now: over a tenth
    for n in range(10, 16):
        large._store(f"p{n}/index.md", b"changed", (), b"made", b"<p>%d</p>" % n)
    large.save(pages)
    assert (folder / pagecache.INDEX).read_bytes() != whole
    assert not (folder / pagecache.DELTA).exists()
    reloaded = PageCache(tmp_path, KEY)
    assert {uri: e.static for uri, e in reloaded.entries.items()} == {
        uri: e.static for uri, e in large.entries.items()
    }


def test_changes_written_beside_the_guard_are_put_in_place_only_if_it_passes(
    tmp_path: Path,
) -> None:
    pages, folder = _saved_whole(tmp_path)
    for passed in (False, True):
        cache = PageCache(tmp_path, KEY)
        cache._store("p7/index.md", b"changed", (), b"made", b"<p>7</p>")
        cache.save_beside(pages)
        assert not (folder / pagecache.DELTA).exists()  # pending until the guard has passed
        cache.saved(passed=passed)
        assert (folder / pagecache.DELTA).exists() == passed
        assert not [p for p in folder.iterdir() if pagecache.PENDING in p.name]
    assert PageCache(tmp_path, KEY).entries["p7/index.md"].static == b"changed"


def test_a_fork_s_answers_to_the_table_s_reads_are_this_process_s_too(tmp_path: Path) -> None:
    """A re-build's fork checks the output files against the table of reads while the build
    process checks the pages: a read either asks is answered for both, and the answers are
    those this process would give (a changed report's reads among them)."""
    data = copy_data(tmp_path / "data", DATA)
    cache_dir = tmp_path / "cache"
    fill(cache_dir, data, AS_OF)
    _report(data)
    renderer, specs = draw_engine(data, AS_OF)
    cache = PageCache(cache_dir, KEY)  # opened before the fork, as a re-build's is
    cache.trace(renderer.papers, renderer.view)
    fork = forked.Forked(lambda: sorted(cache.plan(specs).hits))
    hits_there = fork.result(lambda: None)
    assert hits_there is not None
    asked_here = []
    asked = cache.now
    cache.now = lambda read: asked_here.append(read) or asked(read)  # type: ignore[method-assign]
    plan = cache.plan(specs)
    assert not asked_here  # every read was answered by the fork
    assert sorted(plan.hits) == hits_there
    assert 0 < len(plan.hits) < len(specs)  # the changed report's pages are not reused
    alone = plan_for(cache_dir, data, AS_OF)[1]  # opened afresh: every read asked here
    assert sorted(alone.hits) == hits_there


def test_a_cache_opened_after_the_fork_shares_no_answers_with_it(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data", DATA)
    cache_dir = tmp_path / "cache"
    fill(cache_dir, data, AS_OF)
    renderer, specs = draw_engine(data, AS_OF)
    fork = forked.Forked(lambda: len(plan_for(cache_dir, data, AS_OF)[1].hits))
    assert fork.result(lambda: None) == len(specs)
    cache = PageCache(cache_dir, KEY)
    cache.trace(renderer.papers, renderer.view)
    asked_here = []
    asked = cache.now
    cache.now = lambda read: asked_here.append(read) or asked(read)  # type: ignore[method-assign]
    assert len(cache.plan(specs).hits) == len(specs)
    assert len(asked_here) == len(cache.table)
