"""What the guard remembers between builds (guardrecord.py): a new withheld fragment makes
it read only new and changed files while the public values have only grown since every file
was last read, and every file as soon as any public value has gone."""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import pytest

from committee_papers import guardrecord, leakscan
from committee_papers.guard import fragments
from committee_papers.guardrecord import _within_by_runs, byte_digests, digests, load, within
from committee_papers.leakscan import Matcher, scan_cached

PARK = "The budget for the new park was agreed by the committee."
DEPOT = "The old depot lease runs until the end of the next financial year."
LAND = "The negotiated price for the land is four million pounds before costs."


def matcher(*withheld: str) -> Matcher:
    return Matcher(sorted({f for value in withheld for f in fragments(value)}))


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each scan reads (their text, not their key)."""
    names: list[str] = []
    find = leakscan.Reader.find

    def recording(self: leakscan.Reader, found: Matcher, name: str, data: bytes) -> set[str]:
        names.append(name)
        return find(self, found, name, data)

    monkeypatch.setattr(leakscan.Reader, "find", recording)
    return names


def site(tmp_path: Path, pages: dict[str, str]) -> Path:
    folder = tmp_path / "site"
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(f"<html><body><article><p>{text}</p></article></body></html>")
    return folder


def test_digests_are_sorted_without_repeats_and_within_is_a_subset_test() -> None:
    small, large = digests(["a", "b", "b"]), digests(["c", "b", "a"])
    assert list(small) == sorted(small) and len(small) == 2
    assert within(small, large) and within(small, small)
    assert not within(large, small) and not within(digests(["d"]), large)


def test_within_walks_runs_as_a_set_would_answer() -> None:
    """The walk in runs (`_within_by_runs`) answers as a set does, whatever is put in or
    left out, wherever; past its limit it leaves the answer to the set."""
    rng = random.Random(18)
    for _ in range(300):
        pool = sorted({rng.getrandbits(64) for _ in range(rng.randint(0, 300))})
        old = [v for v in pool if rng.random() < rng.choice([0.5, 0.9, 0.99, 1.0])]
        new = [v for v in pool if v in old or rng.random() < 0.5]
        if old and rng.random() < 0.3:
            new.remove(rng.choice(old))  # a value gone: not within
        if rng.random() < 0.2:
            new = sorted({*new, rng.getrandbits(64)})
        a, b = array("Q", old), array("Q", new)
        expected = set(old) <= set(new)
        assert within(a, b) is expected, (old, new)
        assert _within_by_runs(a, b, len(new)) is expected
        assert within(array("Q"), b) and within(a, a)
    many = array("Q", range(1, 10_000, 2))
    more = array("Q", range(1, 10_000))
    assert _within_by_runs(many, more, 100) is None and within(many, more)
    assert _within_by_runs(many, more, 10_000) is True


def test_a_new_fragment_reads_only_new_files_while_public_values_only_grew(
    tmp_path: Path, scanned: list[str]
) -> None:
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK, "depot.html": DEPOT})
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT])) == {}
    assert sorted(scanned) == ["depot.html", "park.html"]
    record = load(cache)
    assert record is not None and record.monotone and len(record.public) == 2

    # The next meeting: a new page, new public text, and a new exempt sentence.
    scanned.clear()
    site(tmp_path, {"new.html": "Apologies were received from two members."})
    exempt = "The tender from the second bidder was withdrawn on the day."
    public = digests([PARK, DEPOT, "Apologies were received from two members."])
    assert scan_cached(folder, matcher(LAND, exempt), cache, public=public) == {}
    assert scanned == ["new.html"]

    # Without digests of the public values nothing can be argued: every file is read.
    scanned.clear()
    assert scan_cached(folder, matcher(LAND, exempt, "A third new withheld sentence."), cache) == {}
    assert sorted(scanned) == ["depot.html", "new.html", "park.html"]


def test_text_that_was_public_and_is_now_withheld_is_found_in_an_unchanged_file(
    tmp_path: Path, scanned: list[str]
) -> None:
    """The depot's sentence moves into an exempt report while a stale page still shows it:
    a public value has gone, so the new fragment is looked for in every file."""
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK, "depot.html": DEPOT})
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT])) == {}
    scanned.clear()
    found = scan_cached(folder, matcher(LAND, DEPOT), cache, public=digests([PARK]))
    assert set(found) == {"depot.html"}
    assert sorted(scanned) == ["depot.html", "park.html"]


def test_a_public_value_gone_in_any_build_since_every_file_was_read_counts(
    tmp_path: Path, scanned: list[str]
) -> None:
    """Public values only compared with the last build's would miss this: the depot's
    sentence leaves the public papers in one build (no new fragment, nothing read), and is
    withheld in the next, whose public values are a superset of that build's."""
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK, "depot.html": DEPOT})
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT])) == {}
    scanned.clear()
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK])) == {}
    assert scanned == []  # no new fragment: the clean files stay clean
    record = load(cache)
    assert record is not None and not record.monotone

    found = scan_cached(folder, matcher(LAND, DEPOT), cache, public=digests([PARK, "more"]))
    assert set(found) == {"depot.html"}
    assert sorted(scanned) == ["depot.html", "park.html"]


def test_reading_every_file_makes_the_record_whole_again(
    tmp_path: Path, scanned: list[str]
) -> None:
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK})
    scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT]))
    scan_cached(folder, matcher(LAND), cache, public=digests([PARK]))  # the depot has gone
    scan_cached(folder, matcher(LAND, DEPOT), cache, public=digests([PARK]))  # every file read
    record = load(cache)
    assert record is not None and record.monotone
    scanned.clear()
    site(tmp_path, {"new.html": "A new public page."})
    exempt = "A fresh exempt sentence about the tender."
    assert scan_cached(folder, matcher(LAND, DEPOT, exempt), cache, public=digests([PARK])) == {}
    assert scanned == ["new.html"]
    assert len(list(cache.glob("leakscan-public-*.bin"))) == 1  # the last build's only


def test_a_large_site_is_read_by_two_processes_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At ten years of papers the files are shared between two processes (leakscan
    PARALLEL_FILES): every file is read by one of them, a leak in either share is found, and
    the record is the one a single process makes."""
    pages = {f"p{number:02d}.html": f"{PARK} Page {number}." for number in range(20)}
    single, double = tmp_path / "single", tmp_path / "double"
    for folder in (single, double):
        folder.mkdir()
        site(folder, pages)
    assert scan_cached(single / "site", matcher(LAND), single / "cache") == {}
    monkeypatch.setattr(leakscan, "PARALLEL_FILES", 2)
    assert len(leakscan._shares(sorted(pages))) == 2
    assert scan_cached(double / "site", matcher(LAND), double / "cache") == {}
    one, two = load(single / "cache"), load(double / "cache")
    assert one is not None and two is not None and one.clean == two.clean and len(one.clean) == 20

    for number in (6, 13):  # one in each share
        (double / "site" / f"p{number:02d}.html").write_text(f"<p>{LAND}</p>")
    found = scan_cached(double / "site", matcher(LAND), double / "cache")
    assert set(found) == {"p06.html", "p13.html"}


def test_a_scan_of_files_mostly_the_stores_copies_is_not_shared_with_a_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fewer than PARALLEL_READS files are not their store's copy (a re-build's
    search index: the month re-indexed is new, the rest moved in from the search store),
    the build process reads them itself: a fork of it costs more. With more, two share
    them; the leaks found are the same either way."""
    import os

    pages = {f"p{number:02d}.html": f"{PARK} Page {number}." for number in range(20)}
    folder = site(tmp_path, pages)
    store = tmp_path / "store"
    store.mkdir()
    stored = {}
    for name in list(pages)[:16]:  # linked from a store: known by their stored name
        os.link(folder / name, store / name)
        stored[name] = (f"copy-{name}", (folder / name).stat().st_ino)
    assert scan_cached(folder, matcher(LAND), tmp_path / "cache", stored=stored) == {}
    (folder / "p18.html").write_text(f"<p>{LAND}</p>")  # not a copy: read
    monkeypatch.setattr(leakscan, "PARALLEL_FILES", 2)
    forks: list[int] = []
    real = leakscan.Forked

    def counted(*args: object, **kwargs: object) -> object:
        forks.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(leakscan, "Forked", counted)
    for reads, shared in ((5, False), (4, True)):
        monkeypatch.setattr(leakscan, "PARALLEL_READS", reads)
        forks.clear()
        found = scan_cached(folder, matcher(LAND), tmp_path / "cache", stored=stored)
        assert set(found) == {"p18.html"} and bool(forks) == shared


def test_a_worker_that_fails_has_its_share_read_by_the_build_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(leakscan, "PARALLEL_FILES", 2)
    parent = os.getpid()
    real = leakscan._scan_share

    def dies_in_a_fork(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            raise MemoryError("the system took the worker's memory")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(leakscan, "_scan_share", dies_in_a_fork)
    pages = {"a.html": f"{PARK} {DEPOT}", "b.html": DEPOT, "c.html": PARK, "d.html": LAND}
    folder = site(tmp_path, pages)
    # A first scan reads every file, in shares of even bytes: the leak is in the fork's.
    assert "d.html" in leakscan._shares(sorted(pages), folder)[1]
    found = scan_cached(folder, matcher(LAND), tmp_path / "cache")
    assert set(found) == {"d.html"}  # in the fork's share


class Recording:
    """A matcher that keeps the text each search is given."""

    def __init__(self, found: Matcher) -> None:
        self.inner, self.fragments, self.texts = found, found.fragments, []

    def find(self, text: bytes) -> set[str]:
        self.texts.append(bytes(text))
        return self.inner.find(text)


def test_strings_of_the_open_data_proved_clean_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`api/all.json` changes with every meeting and is read whole; its strings proved clean
    by an earlier build stay so as its files do (guardrecord.kept), so only new ones are."""
    import json

    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 64)  # the file is "large": read in windows
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK})
    bulk = folder / "all.json"
    apologies = "Apologies were received from two members."

    def publish(*texts: str) -> None:
        bulk.unlink(missing_ok=True)  # a new file, as a build writes it
        bulk.write_text(json.dumps({"events": list(texts)}, indent=2))

    publish(PARK, DEPOT)
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT])) == {}
    record = load(cache)
    texts = [b"events", PARK.encode(), DEPOT.encode()]
    assert record is not None and set(byte_digests(texts)) <= record.strings

    # The next meeting adds a string: only that one is read.
    publish(PARK, DEPOT, apologies)
    public = digests([PARK, DEPOT, apologies])
    recording = Recording(matcher(LAND))
    assert scan_cached(folder, recording, cache, public=public) == {}  # type: ignore[arg-type]
    read = b" ".join(recording.texts)
    assert b"apologies were received" in read
    assert b"new park" not in read and b"old depot" not in read

    # A withheld string reaching it is found: new strings are read.
    publish(PARK, DEPOT, apologies, LAND)
    assert set(scan_cached(folder, matcher(LAND), cache, public=public)) == {"all.json"}

    # Text public before and withheld now (a public value gone): every string is read again.
    publish(PARK, DEPOT, apologies)
    recording = Recording(matcher(LAND, PARK))
    found = scan_cached(folder, recording, cache, public=digests([DEPOT, apologies]))  # type: ignore[arg-type]
    assert set(found) == {"all.json", "park.html"}


def test_runs_of_items_proved_clean_are_not_split_into_strings_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open data's items are runs of bytes (`leakscan._json_runs`): a run read in a clean
    build is known by its digest, so a new meeting's item is read and the others are not
    even split into strings; a withheld text in a new item is still found."""
    import json

    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 2048)
    digested: list[bytes] = []
    strings = leakscan.guardrecord.byte_digests

    def recording(pieces: list[bytes]) -> list[int]:
        digested.extend(pieces)
        return strings(pieces)

    monkeypatch.setattr(leakscan.guardrecord, "byte_digests", recording)
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK})
    bulk = folder / "all.json"

    def publish(count: int, *extra: str) -> None:
        items = [
            {"id": f"item-{n}", "title": f"Report number {n} on the depot"} for n in range(count)
        ]
        items += [{"id": "new", "title": text} for text in extra]
        bulk.unlink(missing_ok=True)
        bulk.write_text(json.dumps({"council": "Test", "events": items}, indent=2))

    publish(200)
    public = digests([PARK])
    assert scan_cached(folder, matcher(LAND), cache, public=public) == {}
    first = set(digested)
    assert b"Report number 100 on the depot" in first  # the first build reads every string

    digested.clear()
    publish(200, DEPOT)
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT])) == {}
    titles = {piece for piece in digested if piece.startswith(b"Report number")}
    assert DEPOT.encode() in digested
    # Only the items around the windows' ends (about 14 KB in 2 KB windows) are split again.
    assert len(titles) < 40, len(titles)

    publish(200, DEPOT, LAND)
    assert set(scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT]))) == {
        "all.json"
    }


def test_a_text_that_is_not_json_is_one_run_and_read_whole() -> None:
    """Runs end only where an even count of quotes lies before: a line break inside a string
    (not JSON) never cuts one, so each string stays whole in a run."""
    text = (
        b'{\n  "a": [\n    {\n      "b": "one\n    {\n two"\n    },'
        b'\n    {\n      "c": "x"\n    }\n  ]\n}'
    )
    runs = leakscan._json_runs(text)
    assert leakscan._RUN_START.join(runs) == text
    assert all(run.count(b'"') % 2 == 0 for run in runs)
    assert any(b'"one\n    {\n two"' in run for run in runs)
    assert len(runs) == 3


def test_files_read_early_are_taken_as_read_only_while_they_are_what_they_were(
    tmp_path: Path, scanned: list[str]
) -> None:
    """While the search index is made, the guard reads every other file
    (`leakscan.scan_early`); once the site is whole it reads only the index's files and
    what is new or not what it was when read early (inode, size, time of change), and
    what it found early stands."""
    import os

    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK, "depot.html": DEPOT, "late.html": DEPOT})
    assert scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT])) == {}
    # The next build: the pages changed, and one of them leaks.
    site(tmp_path, {"park.html": f"{PARK} {DEPOT}", "depot.html": LAND, "late.html": PARK})
    (folder / "pagefind").mkdir()
    scanned.clear()
    early = leakscan.scan_early(
        folder, matcher(LAND), cache, public=digests([PARK, DEPOT]), leave=("pagefind/",)
    )
    assert sorted(scanned) == ["depot.html", "late.html", "park.html"]
    assert early.files["depot.html"][2] and not early.files["park.html"][2]
    # Written after the early reading: the index, and a page written over in place.
    (folder / "pagefind" / "index.pf_meta").write_text(LAND)
    late = folder / "late.html"
    before = late.stat()
    late.write_text(f"<html><body><p>{LAND}</p></body></html>")
    os.utime(late, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    scanned.clear()
    found = scan_cached(folder, matcher(LAND), cache, public=digests([PARK, DEPOT]), early=early)
    assert set(found) == {"depot.html", "late.html", "pagefind/index.pf_meta"}
    assert sorted(scanned) == ["late.html", "pagefind/index.pf_meta"]  # park.html: as read


def test_an_early_reading_still_going_on_is_asked_for_once_the_site_is_listed(
    tmp_path: Path, scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build process lists the site and loads the record while its fork still reads
    early: the early reading, given as a callable, is asked for after both, once, and
    stands as it does when given whole."""
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK, "depot.html": DEPOT})
    public = digests([PARK, DEPOT])
    assert scan_cached(folder, matcher(LAND), cache, public=public) == {}
    site(tmp_path, {"park.html": f"{PARK} {DEPOT}", "depot.html": LAND})
    early = leakscan.scan_early(folder, matcher(LAND), cache, public=public, leave=("x/",))
    steps: list[str] = []
    listed, loaded = leakscan.site_files, leakscan.guardrecord.recorded
    monkeypatch.setattr(leakscan, "site_files", lambda *a: steps.append("list") or listed(*a))
    monkeypatch.setattr(
        leakscan.guardrecord, "recorded", lambda *a: steps.append("record") or loaded(*a)
    )

    def asked() -> leakscan.EarlyScan:
        steps.append("early")
        return early

    scanned.clear()
    found = scan_cached(folder, matcher(LAND), cache, public=public, early=asked)
    assert set(found) == {"depot.html"} and found["depot.html"] == early.files["depot.html"][2]
    assert steps == ["list", "record", "early"]
    assert scanned == []  # both files as they were read early


def test_a_clean_early_reading_is_remembered_as_a_whole_scan_is(
    tmp_path: Path, scanned: list[str]
) -> None:
    """The record written after an early reading and the scan that ends it is the one a
    single scan writes: the next build reads nothing that did not change."""
    cache = tmp_path / "cache"
    folder = site(tmp_path, {"park.html": PARK})
    public = digests([PARK, DEPOT])
    assert scan_cached(folder, matcher(LAND), cache, public=public) == {}
    site(tmp_path, {"park.html": f"{PARK} {DEPOT}"})
    early = leakscan.scan_early(folder, matcher(LAND), cache, public=public, leave=("x/",))
    assert scan_cached(folder, matcher(LAND), cache, public=public, early=early) == {}
    scanned.clear()
    assert scan_cached(folder, matcher(LAND), cache, public=public) == {}
    assert scanned == []


def test_the_early_reading_knows_a_store_s_copies_by_their_inode(
    tmp_path: Path, scanned: list[str]
) -> None:
    """The build's fork reads early without the build's list of pages linked from the page
    cache: a site file that is one of the cache's files (the same inode) is known by the
    stored name, as the build's list would name it, and is not read."""
    import os

    cache, store = tmp_path / "cache", tmp_path / "store"
    folder = site(tmp_path, {"park.html": PARK})
    store.mkdir()
    blob = store / "0123abcd.html"
    os.link(folder / "park.html", blob)
    inode = blob.stat().st_ino
    public = digests([PARK])
    stored = {"park.html": ("0123abcd.html", inode)}
    assert scan_cached(folder, matcher(LAND), cache, stored=stored, public=public) == {}
    scanned.clear()
    early = leakscan.scan_early(
        folder, matcher(LAND), cache, public=public, linked_from={inode: "0123abcd.html"}
    )
    assert scanned == [] and early.files == {}
    leakscan.scan_early(folder, matcher(LAND), cache, public=public)
    assert scanned == ["park.html"]  # without it: read, as a file of unknown bytes


def test_the_record_is_loaded_once_while_it_stays_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-build's build process asks for the record twice (the open data read early,
    then the guard's last step): the second time it is not read again, unless the file,
    the fragments or the public digests changed."""
    cache = tmp_path / "cache"
    public = digests([PARK, DEPOT])
    guardrecord.save(cache, ["land"], ["a", "b"], public, monotone=True)
    loads: list[Path] = []
    load = guardrecord.load
    monkeypatch.setattr(guardrecord, "load", lambda folder: loads.append(folder) or load(folder))
    first = guardrecord.recorded(cache, ["land"], public)
    assert first[1:] == ({"a", "b"}, True)
    assert guardrecord.recorded(cache, ["land"], public) is first
    assert len(loads) == 1
    assert guardrecord.recorded(cache, ["land", "new"], public)[1:] == ({"a", "b"}, True)
    assert guardrecord.recorded(cache, ["land"], digests([PARK]))[1:] == ({"a", "b"}, False)
    guardrecord.save(cache, ["land"], ["c"], public, monotone=True)
    assert guardrecord.recorded(cache, ["land"], public)[1:] == ({"c"}, True)
    assert len(loads) == 4


def test_a_scan_of_every_file_shares_them_by_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build reads every file on two processes: the open data's bulk file (265 MB
    at ten years of papers) dealt in turn made one share 5 s longer than the other. A
    scan that reads every file shares them so that the cost of reading them (by their
    bytes and kind) is about even; each share keeps the listing's order."""
    monkeypatch.setattr(leakscan, "PARALLEL_FILES", 2)
    pages = {f"p{number:02d}.html": PARK for number in range(40)}
    folder = site(tmp_path, pages)
    page = leakscan._read_cost("p00.html", (folder / "p00.html").stat().st_size)
    big = 30 * page // leakscan.OTHER_BYTE_NS
    (folder / "all.json").write_bytes(b"[" + b" " * big + b"]")
    names = sorted([*pages, "all.json"])
    first, second = leakscan._shares(names, folder)
    assert sorted(first + second) == names and first == sorted(first) and second == sorted(second)
    heavy, light = (first, second) if "all.json" in first else (second, first)
    assert len(heavy) < 15 < 25 < len(light)

    def cost(name: str) -> int:
        return leakscan._read_cost(name, (folder / name).stat().st_size)

    assert abs(sum(map(cost, first)) - sum(map(cost, second))) <= page
    # Without the site (most files known unread: a re-build), dealt in turn, unstat'ed.
    assert leakscan._shares(names) == [names[0::2], names[1::2]]


def test_an_early_reading_stopped_part_way_leaves_the_rest_to_the_last_step(
    tmp_path: Path, scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build's fork reads early only until the guard's last step asks (`stop`):
    what it read by then stands, leaks found included, and the last step reads the rest,
    never a file twice."""
    monkeypatch.setattr(leakscan, "STOP_EVERY", 2)
    pages = {f"p{n:02}.html": PARK for n in range(10)}
    pages["p01.html"] = pages["p08.html"] = LAND
    folder = site(tmp_path, pages)
    asked = iter([False, False, True])  # asked every 2 files: stops after the fourth
    early = leakscan.scan_early(
        folder, matcher(LAND), tmp_path / "cache", public=digests([PARK]), stop=lambda: next(asked)
    )
    read_early = sorted(scanned)
    assert len(read_early) == 4 and read_early == sorted(early.files)
    scanned.clear()
    found = scan_cached(
        folder, matcher(LAND), tmp_path / "cache", public=digests([PARK]), early=early
    )
    assert set(found) == {"p01.html", "p08.html"}
    assert sorted(scanned + read_early) == sorted(pages)  # each file read once


def _folders_site(tmp_path: Path, name: str) -> Path:
    """A site of page folders, as a built site is: pages in folders of their own, files at
    the top and in the search index's folder."""
    folder = tmp_path / name
    pages = {
        "index.html": PARK,
        "404.html": "Not found.",
        **{f"reports/r{n:02d}/index.html": f"{PARK} Report {n}." for n in range(12)},
        **{f"meetings/m{n}/index.html": f"{DEPOT} Meeting {n}." for n in range(5)},
        **{f"api/item-{n}.json": f'{{"title": "Item {n}"}}' for n in range(6)},
        "pagefind/2026/index.pf": "index",
    }
    for rel, text in pages.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body><article><p>{text}</p></article></body></html>")
    return folder


def test_a_rebuild_s_reading_ahead_lists_the_site_in_two_shares_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where most files are known clean, `scan_ahead` has each of two processes list its
    own share of the site's top folders as well as read it: the files read or known, the
    theme's pages, the keys proved clean and the leaks found are those of one process
    listing the whole site, the search index's folder left in both."""
    results = []
    for split in (False, True):
        site_dir = _folders_site(tmp_path, f"site-{split}")
        cache = tmp_path / f"cache-{split}"
        assert scan_cached(site_dir, matcher(LAND), cache) == {}  # the first build's scan
        (site_dir / "reports/r03/index.html").write_text(f"<p>{LAND}</p>")
        (site_dir / "meetings/m1/index.html").write_text("<p>A new meeting.</p>")
        monkeypatch.setattr(leakscan, "PARALLEL_FILES", 4 if split else 10**9)
        shares = leakscan._top_shares(site_dir, ("pagefind/",))
        assert (shares is not None) == split
        if split:
            assert shares is not None and all(shares)
            assert not any(top[0] == "pagefind/" for share in shares for top in share)
        ahead = leakscan.scan_ahead(site_dir, matcher(LAND), cache, ("pagefind/",))
        part = ahead.part
        # The theme's pages found by listing only as far as they go: the sorted list's.
        first = leakscan._first_site_pages(site_dir, ("pagefind/",))
        assert first == leakscan.first_pages(part.names) and len(first) == 12
        results.append((part.found, sorted(part.clean), part.names, ahead.theme_names))
    single, double = results
    assert double == single
    assert set(single[0]) == {"reports/r03/index.html"}
    assert "pagefind/2026/index.pf" not in single[2] and "api/item-0.json" in single[2]
    assert single[3] == leakscan.first_pages(single[2])
