"""The open data's bulk file proved from the stored parts it was written from (leakparts.py):
the guard compares the file with its parts, reads only the parts it has not proved clean
before, and reads the whole file whenever the file is not exactly its parts."""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import pytest

from committee_papers import leakparts, leakscan
from committee_papers.guard import fragments
from committee_papers.guardrecord import digests, load
from committee_papers.leakparts import balanced, part_key
from committee_papers.leakscan import Matcher, scan_cached

PARK = "The budget for the new park was agreed by the committee."
LAND = "The negotiated price for the land is four million pounds before costs."
RUN = 5


def matcher(*withheld: str) -> Matcher:
    return Matcher(sorted({f for value in withheld for f in fragments(value)}))


@pytest.fixture(autouse=True)
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of more than a few hundred bytes are large JSON files, as all.json is."""
    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 256)


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The JSON texts the guard reads a window at a time (each window's bytes)."""
    texts: list[bytes] = []
    windows = leakscan._json_windows

    def recording(file: leakscan.Blocks):  # type: ignore[no-untyped-def]
        for window in windows(file):
            texts.append(window)
            yield window

    monkeypatch.setattr(leakscan, "_json_windows", recording)
    return texts


def titles(count: int, *extra: str) -> list[dict[str, str]]:
    title = 'Report number {}: a "quoted" word'
    items = [{"id": f"item-{n}", "title": title.format(n)} for n in range(count)]
    return items + [{"id": f"new-{n}", "title": text} for n, text in enumerate(extra)]


def publish(
    tmp_path: Path, items: list[dict[str, str]], cut: str | None = None
) -> tuple[Path, leakparts.Composed]:
    """`all.json` as the outputs write it (json.dumps with an indent of two), and its
    segments: the text before the list, runs of RUN items each kept as a part (named by
    its bytes, as the page cache names them by what they are made of), the text after.
    `cut`: the first run ends in the middle of that text instead (inside a string)."""
    site, parts = tmp_path / "site", tmp_path / "parts"
    site.mkdir(exist_ok=True)
    parts.mkdir(exist_ok=True)
    text = json.dumps({"council": "Test", "events": items}, indent=2).encode()
    starts = _item_starts(text)
    head_end, tail_start = starts[0], text.rindex(b"\n  ]")
    bounds = [head_end, *starts[RUN::RUN], tail_start]
    if cut is not None:
        bounds[1] = text.index(cut.encode()) + len(cut) // 2
    segments: list[leakparts.Segment] = [(head_end, None)]
    for begin, end in itertools.pairwise(bounds):
        piece = text[begin:end]
        name = f"piece-{hashlib.sha256(piece).hexdigest()[:20]}.json"
        (parts / name).write_bytes(piece)
        segments.append((len(piece), name))
    segments.append((len(text) - tail_start, None))
    (site / "all.json").write_bytes(text)
    return site, {"all.json": (str(parts), segments)}


def _item_starts(text: bytes) -> list[int]:
    """Where each item's run begins: before the `[` or `,` that comes before it."""
    marks, at = [], text.find(b"\n    {\n")
    while at != -1:
        marks.append(at - 1)
        at = text.find(b"\n    {\n", at + 1)
    return marks


def test_a_json_text_is_balanced_when_it_ends_outside_a_string() -> None:
    assert balanced(b'[\n    {"a": "x"}') and balanced(b',\n    {"a": "a \\" b"}')
    assert balanced(b'{"a": "back\\\\"}')  # an escaped backslash, then the closing quote
    assert not balanced(b'{"a": "open')
    assert not balanced(b'{"a": "x \\"}')  # the quote is escaped: the string goes on
    assert not balanced(b'{"a": "x"} \\')  # a backslash left to escape what follows


def test_parts_proved_clean_are_not_read_again_and_a_new_part_is(
    tmp_path: Path, read: list[bytes]
) -> None:
    cache = tmp_path / "cache"
    site, composed = publish(tmp_path, titles(40))
    public = digests([PARK])
    assert scan_cached(site, matcher(LAND), cache, public=public, composed=composed) == {}
    record = load(cache)
    assert record is not None
    names = [stored for _, stored in composed["all.json"][1] if stored is not None]
    assert len(names) == 8 and {part_key(n) for n in names} <= record.clean
    assert b"Report number 39" in b"".join(read)  # the first scan reads every part

    read.clear()
    site, composed = publish(tmp_path, titles(40, "A new item", "Another"))
    assert scan_cached(site, matcher(LAND), cache, public=public, composed=composed) == {}
    text = b"".join(read)
    assert b"A new item" in text and b"Report number 12" not in text
    assert len(text) < 1000, len(text)  # the new part and the text around the list

    site, composed = publish(tmp_path, titles(40, "A new item", LAND))
    found = scan_cached(site, matcher(LAND), cache, public=public, composed=composed)
    assert set(found) == {"all.json"}


def test_a_file_that_is_not_its_parts_is_read_whole(tmp_path: Path, read: list[bytes]) -> None:
    cache = tmp_path / "cache"
    site, composed = publish(tmp_path, titles(40))
    public = digests([PARK])
    assert scan_cached(site, matcher(LAND), cache, public=public, composed=composed) == {}
    # The file says more than its parts: one old item's title now withheld text.
    bulk = site / "all.json"
    bulk.write_bytes(bulk.read_bytes().replace(b"Report number 7:", LAND.encode()))
    found = scan_cached(site, matcher(LAND), cache, public=public, composed=composed)
    assert set(found) == {"all.json"}
    # The same length, other bytes: a stored part that is not what the file holds.
    site, composed = publish(tmp_path, titles(40))
    folder, segments = composed["all.json"]
    stored = Path(folder) / str(segments[2][1])
    stored.write_bytes(stored.read_bytes().replace(b"Report", b"Rapport"))
    read.clear()
    assert scan_cached(site, matcher(LAND), cache, public=public, composed=composed) == {}
    assert b"Report number 39" in b"".join(read)  # every run read again, none as a part


def test_a_part_that_ends_inside_a_string_proves_nothing(tmp_path: Path) -> None:
    """Parts cut inside a string would let a fragment span two of them: such a file is
    read whole, and the fragment is found."""
    cache = tmp_path / "cache"
    items = titles(RUN - 1, LAND) + titles(10)[RUN:]
    site, composed = publish(tmp_path, items, cut=LAND)
    found = scan_cached(site, matcher(LAND), cache, public=digests([PARK]), composed=composed)
    assert set(found) == {"all.json"}
    bulk = str(site / "all.json")
    assert leakparts.proved("all.json", bulk, *composed["all.json"], set()) is None


def publish_items(
    tmp_path: Path, items: list[dict[str, str]]
) -> tuple[Path, leakparts.Composed, dict[str, tuple[str, int]]]:
    """As the outputs publish the open data: each item's own file in the site (a link to
    its stored copy, named by its bytes), and `all.json` made of runs of RUN items, each
    run a kept part that says which items it is made of (`leakparts.Run`). Returns the
    site, the composed file and the site's files linked from the store (name -> stored
    name, inode), as the build hands them to the guard."""
    site, parts = tmp_path / "site", tmp_path / "parts"
    (site / "items").mkdir(parents=True, exist_ok=True)
    parts.mkdir(exist_ok=True)
    stored: dict[str, tuple[str, int]] = {}
    names: list[str] = []
    for item in items:
        data = (json.dumps(item, indent=2) + "\n").encode()
        name = f"{hashlib.sha256(data).hexdigest()[:20]}.json"
        (parts / name).write_bytes(data)
        path = site / "items" / f"{item['id']}.json"
        path.unlink(missing_ok=True)
        path.hardlink_to(parts / name)
        stored[f"items/{item['id']}.json"] = (name, path.stat().st_ino)
        names.append(name)
    text = json.dumps({"council": "Test", "events": items}, indent=2).encode()
    head_end, tail_start = _item_starts(text)[0], text.rindex(b"\n  ]")
    segments: list[leakparts.Segment] = [(head_end, None)]
    for start in range(0, len(names), RUN):
        run = (start == 0, tuple(names[start : start + RUN]))
        piece = leakparts.run_text(run[0], [(parts / n).read_bytes() for n in run[1]])
        name = f"piece-{hashlib.sha256(piece).hexdigest()[:20]}.json"
        (parts / name).write_bytes(piece)
        segments.append((len(piece), name, run))
    segments.append((len(text) - tail_start, None))
    assert sum(segment[0] for segment in segments) == len(text)  # the runs are the file
    (site / "all.json").write_bytes(text)
    return site, {"all.json": (str(parts), segments)}, stored


def test_a_run_of_items_the_scan_reads_is_proved_by_them_not_read(
    tmp_path: Path, read: list[bytes]
) -> None:
    """The bulk file's runs are made of the items' own files: the guard makes each run's
    text again from them and reads none of the bulk file's 40 items, and the parts stand
    clean in its record as parts it read would."""
    cache = tmp_path / "cache"
    site, composed, stored = publish_items(tmp_path, titles(40))
    public = digests([PARK])
    found = scan_cached(site, matcher(LAND), cache, stored=stored, public=public, composed=composed)
    assert found == {}
    assert b"Report number" not in b"".join(read)
    record = load(cache)
    assert record is not None
    names = [segment[1] for segment in composed["all.json"][1] if len(segment) > 2]
    assert len(names) == 8 and {part_key(str(n)) for n in names} <= record.clean


def test_withheld_text_in_an_item_is_found_in_the_item_s_own_file(
    tmp_path: Path, read: list[bytes]
) -> None:
    site, composed, stored = publish_items(tmp_path, titles(40, LAND))
    found = scan_cached(site, matcher(LAND), tmp_path / "cache", stored=stored, composed=composed)
    assert set(found) == {"items/new-0.json"}
    assert load(tmp_path / "cache") is None  # a scan that found a leak proves nothing clean


def test_a_run_is_read_when_an_item_is_not_a_file_the_scan_reads(
    tmp_path: Path, read: list[bytes]
) -> None:
    """An item's site file that is not its stored copy (another inode: written since), or
    no longer there: the run holding it is read; the others are proved by their items."""
    site, composed, stored = publish_items(tmp_path, titles(40))
    copied = site / "items/item-7.json"
    data = copied.read_bytes()
    copied.unlink()
    copied.write_bytes(data)
    (site / "items/item-33.json").unlink()
    del stored["items/item-33.json"]
    assert (
        scan_cached(site, matcher(LAND), tmp_path / "cache", stored=stored, composed=composed) == {}
    )
    text = b"".join(read)
    assert b"Report number 7:" in text and b"Report number 33:" in text
    assert b"Report number 12:" not in text


def test_a_run_that_is_not_its_items_text_is_read(tmp_path: Path, read: list[bytes]) -> None:
    """A run said to be made of items whose text is not its bytes (here: named in another
    order, or one of them without balanced quotes) is read, not proved by them."""
    site, composed, stored = publish_items(tmp_path, titles(40))
    folder, segments = composed["all.json"]
    length, name, (first, names) = segments[2]  # type: ignore[misc]
    segments[2] = (length, name, (first, tuple(reversed(names))))  # type: ignore[index]
    assert (
        scan_cached(site, matcher(LAND), tmp_path / "cache", stored=stored, composed=composed) == {}
    )
    assert b"Report number 5:" in b"".join(read) and b"Report number 12:" not in b"".join(read)
    unbalanced = Path(folder, names[0])
    assert not leakparts.made_of(
        b'[\n    {"a": "x}', (True, (unbalanced.name,)), folder, {unbalanced.name}
    )
    unbalanced.write_bytes(b'{"a": "x}\n')
    assert not leakparts.made_of(
        leakparts.run_text(True, [unbalanced.read_bytes()]), (True, (unbalanced.name,)),
        folder, {unbalanced.name},
    )  # fmt: skip
