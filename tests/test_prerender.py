"""The pages' worker process (prerender.py): the same HTML whichever process renders a page."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support import FIXTURE, ROOT, build_site, copy_data, edit, file_digests

from committee_papers import mkdocs_plugin, prerender
from committee_papers.load import load
from committee_papers.pagecache import PageCache
from committee_papers.pages import page_specs
from committee_papers.policy import Audience, Policy
from committee_papers.prerender import (
    ENV_WORKERS,
    BothEnds,
    PageHtml,
    RenderInputs,
    workers_for,
)
from committee_papers.projection import project, withheld_ids

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def inputs() -> RenderInputs:
    full = load(FIXTURE)
    shown = project(full, Policy(full, Audience.public, AS_OF))
    policy = Policy(shown, Audience.public, AS_OF)
    return RenderInputs(shown, policy, (ROOT / "macros",), frozenset(withheld_ids(full, shown)))


def specs_of(inputs: RenderInputs) -> dict:
    specs = page_specs(inputs.papers, inputs.policy, inputs.renderer())
    return {spec.src_uri: spec for spec in specs}


def test_pages_made_by_the_worker_are_the_pages_made_here(inputs: RenderInputs) -> None:
    specs = specs_of(inputs)
    order = list(specs)
    pages = PageHtml(specs, order, inputs, workers=1)
    try:
        while not pages.finished:  # let the worker render every page before asking for any
            pages._drain(block=True)
        made = {uri: pages.html(uri) for uri in order}
    finally:
        pages.close()
    assert pages.by_worker == len(order) > 20
    assert made == {uri: spec.html() for uri, spec in specs.items()}


def test_pages_waiting_for_their_turn_are_in_one_spool_file_not_memory(
    inputs: RenderInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker runs ahead: what it made waits in one spool file (no file a page: each
    file made and removed makes later ones dearer on a file system without a journal),
    each page read back from its place when asked for, the same HTML; the file goes at
    close, and the worker made no other file in the system's temporary folder (a folder
    of this test's own: the suite's other processes make spool files of their own)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    specs = specs_of(inputs)
    order = list(specs)
    before = _spools()
    pages = PageHtml(specs, order, inputs, workers=1)
    spool = pages.spill
    try:
        while not pages.finished:
            pages._drain(block=True)
        assert spool is not None and os.path.isfile(spool)
        assert len(pages.ready) == len(order)
        assert not any(
            isinstance(value, str) for waiting in pages.ready.values() for value in waiting
        )
        html = {uri: spec.html() for uri, spec in specs.items()}
        assert os.path.getsize(spool) == sum(len(text.encode()) for text in html.values())
        assert _spools() - before == {os.path.basename(spool)}
        made = [pages.html(uri) for uri in (order[0], order[-1], order[len(order) // 2])]
    finally:
        pages.close()
    assert made == [html[order[0]], html[order[-1]], html[order[len(order) // 2]]]
    assert pages.by_worker == 3
    assert not os.path.exists(spool)


def _spools() -> set[str]:
    """The worker's spool files in the system's temporary folder."""
    folder = tempfile.gettempdir()
    return {name for name in os.listdir(folder) if name.startswith("committee-papers-pages-")}


def test_the_two_processes_meet_in_the_middle(inputs: RenderInputs) -> None:
    specs = specs_of(inputs)
    order = list(specs)
    pages = PageHtml(specs, order, inputs, workers=1)
    try:
        made = [pages.html(uri) for uri in order]
    finally:
        pages.close()
    assert made == [specs[uri].html() for uri in order]
    assert pages.process is None


def _assert_the_build_drew_every_page(pages: PageHtml, specs: dict, order: list[str]) -> None:
    """Every page came out right, and none of them from the (failed) worker."""
    try:
        made = [pages.html(uri) for uri in order]
    finally:
        pages.close()
    assert pages.by_worker == 0
    assert made == [specs[uri].html() for uri in order]


def test_a_failing_worker_leaves_the_pages_to_the_build(
    inputs: RenderInputs, tmp_path: Path
) -> None:
    specs = specs_of(inputs)
    order = list(specs)
    broken = RenderInputs(inputs.papers, inputs.policy, (tmp_path,), inputs.withheld)
    pages = PageHtml(specs, order, broken, workers=1)
    _assert_the_build_drew_every_page(pages, specs, order)


def test_the_worker_is_used_only_where_it_pays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_WORKERS, raising=False)
    assert workers_for(50) == 0
    assert workers_for(5000) == (1 if (__import__("os").cpu_count() or 1) >= 2 else 0)
    assert workers_for(5000, 0) == 0
    monkeypatch.setenv(ENV_WORKERS, "1")
    assert workers_for(10) == 1


@pytest.mark.parametrize(
    ("start", "told"),
    [("fork", "Drawing the pages on two cores"), ("spawn", "Rendering the papers' HTML")],
)
def test_a_build_with_the_worker_has_the_bytes_of_one_without(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    start: str,
    told: str,
) -> None:
    """Pages drawn whole by a fork (BothEnds), or their HTML by a spawned worker where the
    system cannot fork (PageHtml): the site's bytes are those of a build on one core."""
    data = copy_data(tmp_path / "data")
    # Without the page cache: the worker's pages carry no record of reads.
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv(ENV_WORKERS, "1")
    monkeypatch.setattr(mkdocs_plugin, "start_method", lambda: start)
    with caplog.at_level(logging.INFO):
        with_worker = file_digests(build_site(tmp_path / "with", data_dir=data))
    assert told in caplog.text
    monkeypatch.setenv(ENV_WORKERS, "0")
    without = file_digests(build_site(tmp_path / "without", data_dir=data))
    assert with_worker == without
    assert sum(name.endswith(".html") for name in without) > 30


def test_the_worker_records_each_page_s_reads_as_the_build_would(tmp_path: Path) -> None:
    """With the page cache on, a page the worker drew is kept with the record of reads the
    build process would have made drawing it (same keys, same fingerprints)."""
    full = load(FIXTURE)
    shown = project(full, Policy(full, Audience.public, AS_OF))
    policy = Policy(shown, Audience.public, AS_OF)
    inputs = RenderInputs(shown, policy, (ROOT / "macros",), frozenset(withheld_ids(full, shown)))
    renderer = inputs.renderer()
    specs = {s.src_uri: s for s in page_specs(shown, policy, renderer)}
    cache = PageCache(tmp_path / "cache", b"key")
    cache.trace(shown, renderer.view)
    order = list(specs)
    pages = PageHtml(specs, order, inputs, workers=1, draw=cache.draw)
    try:
        while not pages.finished:  # every page from the worker
            pages._drain(block=True)
        made = {uri: pages.page(uri) for uri in order}
    finally:
        pages.close()
    assert pages.by_worker == len(order) > 20
    for uri in order:
        html, reads = cache.draw(specs[uri].html)
        assert made[uri][0] == html
        assert dict(made[uri][1]) == dict(reads), uri
    assert all(made[uri][1] for uri in order if specs[uri].kind == "report")


def test_pages_the_worker_drew_are_reused_and_an_edit_redraws_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = copy_data(tmp_path / "data")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PAPERS_PAGE_CACHE_VERIFY", "1")  # every reused page is drawn again
    monkeypatch.setenv(ENV_WORKERS, "1")
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.committee_papers")
    live = build_site(tmp_path / "live", data_dir=data)
    assert "Drawing the pages on two cores" in caplog.text
    by_worker = [r.getMessage() for r in caplog.records if "by the worker" in r.getMessage()]
    assert by_worker and int(by_worker[-1].split()[-1]) > 0

    caplog.clear()
    build_site(live, data_dir=data)  # nothing changed: every page the worker drew is reused
    summary = [r.getMessage() for r in caplog.records if "pages reused" in r.getMessage()]
    reused, drawn = (int(word) for word in summary[-1].split() if word.isdigit())
    pages = sum(1 for _ in live.rglob("*.html"))
    assert reused > pages / 2 and drawn < 10

    edit(data / "people.yml", "name: Ruth Okafor", "name: Ruth Okafor-Bell")
    build_site(live, data_dir=data)
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv(ENV_WORKERS, "0")
    assert file_digests(live) == file_digests(build_site(tmp_path / "full", data_dir=data))


def _drawn_by(folder: Path) -> Callable[[str], int]:
    """A page's whole drawing, standing in for MkDocs': its file written by the process
    that draws it, named by that process."""

    def work(uri: str) -> int:
        (folder / uri).write_text(str(os.getpid()))
        return len(uri)

    return work


def test_both_ends_draw_every_page_once_and_meet(tmp_path: Path) -> None:
    order = [f"page-{n:03}" for n in range(400)]
    work = _drawn_by(tmp_path)
    both = BothEnds(order, work)
    mine = []
    for uri in order:  # as MkDocs' loop reaches each page, drawing it as it goes
        if both.mine(uri):
            work(uri)
            mine.append(uri)
    records = both.finish()
    assert sorted(mine + list(records)) == order  # each page once, by one process
    assert not set(mine) & set(records)
    assert records == {uri: len(uri) for uri in records}
    # This process took the first pages, the fork the last ones, and they met in between.
    assert mine == order[: len(mine)] and records
    by_fork = {(tmp_path / uri).read_text() for uri in records}
    assert by_fork and str(os.getpid()) not in by_fork
    assert both.mine("not-in-the-order")
    assert all(both.mine(uri) for uri in mine) and not any(both.mine(uri) for uri in records)


def test_the_pages_taken_grow_to_every_page_with_or_without_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`taken` (the build's progress) counts the pages either process has taken, and
    reaches every page; where no fork could be made, the pages this process draws."""
    order = [f"page-{n:03}" for n in range(200)]
    work = _drawn_by(tmp_path)
    both = BothEnds(order, work)
    counts = []
    for uri in order:
        if both.mine(uri):
            work(uri)
        counts.append(both.taken())
    both.finish()
    assert counts == sorted(counts) and counts[-1] == len(order) and both.taken() == len(order)

    def no_fork(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("no second process")

    monkeypatch.setattr(prerender.forked, "Series", no_fork)
    alone = BothEnds(order, work)
    counts = []
    for uri in order:
        assert alone.mine(uri)
        counts.append(alone.taken())
    assert counts == list(range(1, len(order) + 1))


def test_a_page_the_fork_fails_on_is_drawn_here(tmp_path: Path) -> None:
    order = [f"page-{n:03}" for n in range(400)]
    here = os.getpid()
    drawn = _drawn_by(tmp_path)

    def work(uri: str) -> int:
        if os.getpid() != here and uri == "page-390":
            raise RuntimeError("this page cannot be drawn")
        return drawn(uri)

    both = BothEnds(order, work)
    deadline = time.monotonic() + 30
    while both._top.value > 390 and time.monotonic() < deadline:
        time.sleep(0.01)  # the fork takes page 390 before this process starts
    mine = [uri for uri in order if both.mine(uri)]
    assert set(both.records) == {f"page-{n:03}" for n in range(391, 400)}
    assert mine == order[:391]  # the failed page and every page below it, drawn here


def test_asking_again_never_gives_the_fork_a_page_drawn_here(tmp_path: Path) -> None:
    """MkDocs walks its pages twice (drawing, then checking anchors): a page this process
    took is still its own when asked again, and the fork is never handed it."""
    order = [f"page-{n:03}" for n in range(50)]
    both = BothEnds(order, _drawn_by(tmp_path))
    first = [uri for uri in order if both.mine(uri)]
    again = [uri for uri in order if both.mine(uri)]
    assert again == first
    records = both.finish()
    assert not set(records) & set(first) and sorted(first + list(records)) == order
