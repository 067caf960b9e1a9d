"""The load cache (loadcache.py) is invisible except for speed.

Every test loads a private copy of the small fixture council with and without the cache and
compares everything the loader returns: the model (excluded fields too), the problems, and
the line maps later checks use.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, PrivateAttr
from support import build_site, copy_data, edit, file_digests, forks_started

from committee_papers.collector import FREEZE_AFTER
from committee_papers.load import load_with_problems
from committee_papers.loadcache import MMAP_BYTES, LoadCache, unit_files
from committee_papers.model.base import Strict

MEETING = "meetings/2026-01-28-audit-governance"
REPORT = f"{MEETING}/risk-register-update-jan-2026.md"
DAY_AGO = time.time() - 86400


def deep(value: Any) -> Any:
    """Everything a loaded value holds, fields the model excludes from dumps included."""
    if isinstance(value, BaseModel):
        return (type(value).__name__, {k: deep(v) for k, v in value.__dict__.items()})
    if isinstance(value, dict):
        return {k: deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return (type(value).__name__, [deep(v) for v in value])
    return value


def loaded(data: Path, cache: Path | None) -> tuple[Any, list[str], Any]:
    papers, problems, sources = load_with_problems(data, cache)
    maps = {path: where.lines for path, where in sources.maps.items()}
    return deep(papers), [str(p) for p in problems], (maps, sources.cache)


def age(folder: Path) -> None:
    """Date every file a day back, as files long since written are (their stat is trusted)."""
    for path in folder.rglob("*"):
        os.utime(path, (DAY_AGO, DAY_AGO))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


def test_warm_cache_loads_the_same_papers(data: Path, tmp_path: Path) -> None:
    age(data)
    cache = tmp_path / "cache"
    plain, plain_problems, (plain_maps, _) = loaded(data, None)
    cold, cold_problems, (cold_maps, cold_stats) = loaded(data, cache)
    warm, warm_problems, (warm_maps, warm_stats) = loaded(data, cache)
    assert cold_stats.misses > 0 and cold_stats.hits == 0
    assert warm_stats.hits == cold_stats.misses and warm_stats.misses == 0
    assert warm_stats.hashed == 0  # unchanged stat: not even read
    assert plain == cold == warm
    assert plain_problems == cold_problems == warm_problems
    assert plain_maps == cold_maps == warm_maps


def test_the_cache_file_is_read_through_a_memory_map(data: Path, tmp_path: Path) -> None:
    """SQLite reads the stored units through a memory map (0.1 s less of a re-build at ten
    years of papers), and the mapping goes when the load ends."""
    loaded(data, tmp_path / "cache")
    with LoadCache(tmp_path / "cache", data) as units:
        assert units.db is not None
        assert units.db.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_BYTES
        assert units.stored_units("meeting:")  # read the same way
    assert units.db is None  # closed: the mapping with it


def test_edited_report_is_read_again(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    loaded(data, cache)
    # Edited at once (the same clock tick as the first load is possible): still seen.
    edit(
        data / REPORT,
        "title: Corporate Risk Register Update",
        "title: Corporate Risk Register Revised",
    )
    papers, _, (_, stats) = loaded(data, cache)
    assert papers[1]["reports"]["risk-register-update-jan-2026"][1]["title"] == (
        "Corporate Risk Register Revised"
    )
    assert stats.misses == 1, stats.missed
    assert stats.missed == [f"meeting:{MEETING.split('/')[1]}"]


def test_edit_keeping_size_and_time_is_seen(data: Path, tmp_path: Path) -> None:
    """A tool that restores the modification time (rsync -t, tar) cannot hide an edit."""
    age(data)
    cache = tmp_path / "cache"
    loaded(data, cache)
    report = data / REPORT
    before = report.stat()
    edit(report, "title: Corporate Risk Register Update", "title: Corporate Risk Register UPDATE")
    os.utime(report, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert report.stat().st_size == before.st_size
    papers, _, _ = loaded(data, cache)
    assert papers[1]["reports"]["risk-register-update-jan-2026"][1]["title"] == (
        "Corporate Risk Register UPDATE"
    )


def test_touched_unchanged_file_is_hashed_not_parsed(data: Path, tmp_path: Path) -> None:
    age(data)
    cache = tmp_path / "cache"
    loaded(data, cache)
    os.utime(data / REPORT, None)  # e.g. a fresh checkout: new time, same bytes
    _, _, (_, stats) = loaded(data, cache)
    assert stats.hashed == 1 and stats.misses == 0


def test_file_with_errors_is_never_served_from_cache(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    edit(data / REPORT, "purpose: decision", "purpose: decide")
    for _ in range(2):
        _, found, (_, stats) = loaded(data, cache)
        assert any("purpose: 'decide' is not allowed" in p for p in found), found
        assert f"meeting:{MEETING.split('/')[1]}" in stats.missed
    edit(data / REPORT, "purpose: decide", "purpose: decision")
    _, found, _ = loaded(data, cache)
    assert found == loaded(data, None)[1]


def test_new_and_removed_files_change_the_unit(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    loaded(data, cache)
    extra = data / MEETING / "stray.md"
    extra.write_text("---\ntitle: Stray\n---\nText\n", encoding="utf-8")
    _, found, _ = loaded(data, cache)
    assert found == loaded(data, None)[1] and any("stray.md" in p for p in found)
    extra.unlink()
    assert loaded(data, cache)[:2] == loaded(data, None)[:2]


@pytest.mark.parametrize("damage", [b"not a database at all", b""])
def test_corrupt_cache_file_is_ignored(data: Path, tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "cache"
    expected = loaded(data, None)[:2]
    loaded(data, cache)
    (db,) = cache.glob("*.sqlite")
    db.write_bytes(damage)
    again, found, (_, stats) = loaded(data, cache)
    assert (again, found) == expected and stats.hits == 0
    _, _, (_, stats) = loaded(data, cache)  # written afresh
    assert stats.hits > 0 and stats.misses == 0


def test_damaged_entry_is_computed_again(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = loaded(data, None)[:2]
    loaded(data, cache)
    (db,) = cache.glob("*.sqlite")
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE units SET value = x'80049500'")
    again, found, (_, stats) = loaded(data, cache)
    assert (again, found) == expected and stats.hits == 0 and stats.misses > 0


def test_linked_folder_is_never_cached(data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "notes.md").write_text("x", encoding="utf-8")
    (data / MEETING / "linked").symlink_to(outside)
    assert unit_files(data / MEETING) is None
    _, found, (_, stats) = loaded(data, tmp_path / "cache")
    assert stats.uncached >= 1 and found == loaded(data, None)[1]


def test_a_folders_key_is_the_key_of_its_files(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-ahead's `folder_key` (strings, scandir's stat) gives the key `unit` stores
    (`key_of` of `unit_files`), or a stored unit would never be taken again."""
    age(data)
    units = LoadCache(tmp_path / "cache", data)
    meeting = data / MEETING
    deeper = meeting / "papers" / "a-b"
    deeper.mkdir(parents=True)
    for name in ("x.md", "a-b.md", "a.b"):  # "/" sorts after "-" and "." as text
        (deeper.parent / name).write_text(name, encoding="utf-8")
        (deeper / name).write_text(name, encoding="utf-8")
    files = unit_files(meeting)
    assert files is not None and len(files) > 6
    before = units.folder_key(meeting)
    assert before == units.key_of(files) is not None
    # The same from a data folder given relatively, and for a folder outside it.
    monkeypatch.chdir(data.parent)
    relative = LoadCache(tmp_path / "cache", Path(data.name))
    assert relative.folder_key(Path(data.name) / MEETING) == before
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(deeper, elsewhere)
    assert relative.folder_key(elsewhere) == units.key_of(unit_files(elsewhere) or [])
    edit(meeting / "papers" / "x.md", "x.md", "changed")
    assert units.folder_key(meeting) == units.key_of(files) != before
    (deeper / "linked").symlink_to(tmp_path)
    assert units.folder_key(meeting) is None and unit_files(meeting) is None


def test_cache_is_per_data_folder(tmp_path: Path) -> None:
    one, two = copy_data(tmp_path / "one"), copy_data(tmp_path / "two")
    cache = tmp_path / "cache"
    edit(two / REPORT, "title: Corporate Risk Register Update", "title: Another council register")
    loaded(one, cache)
    papers, _, (_, stats) = loaded(two, cache)
    assert stats.hits == 0
    title = papers[1]["reports"]["risk-register-update-jan-2026"][1]["title"]
    assert title == "Another council register"
    assert len(list(cache.glob("*.sqlite"))) == 2


def test_small_loads_leave_the_collector_alone(data: Path) -> None:
    import gc

    frozen = gc.get_freeze_count()
    load_with_problems(data, None)
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert FREEZE_AFTER > 100_000


def test_missing_cache_folder_parent_is_harmless(data: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with LoadCache(blocker / "cache", data) as units:
        assert units.db is None
    assert loaded(data, blocker / "cache")[:2] == loaded(data, None)[:2]


def test_build_with_warm_cache_gives_the_same_bytes(data: Path, tmp_path: Path) -> None:
    """Two builds of the same data, the second loading everything from the cache."""
    first = build_site(tmp_path / "first", data_dir=data)
    cache_files = sorted((Path(__file__).resolve().parent.parent / ".cache" / "load").glob("*"))
    assert cache_files, "the build keeps its load cache in .cache/load"
    second = build_site(tmp_path / "second", data_dir=data)
    assert file_digests(first) == file_digests(second)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every cold load of meeting folders forks (loadfork.py), however few; the pids of
    the forks started."""
    from committee_papers import loadfork

    return _forks_of(loadfork.Fork, monkeypatch)


def _forks_of(kind: type, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the forks each `kind` (of loadfork.py) starts, with a fork for loads
    however few their folders."""
    from committee_papers import loadfork

    monkeypatch.setattr(loadfork, "FORK_UNITS", 2)
    return forks_started(kind, monkeypatch)


def test_a_cold_load_read_by_two_processes_is_the_same_load(
    demo: Path, tmp_path: Path, forked: list[int]
) -> None:
    """The fork's folders (the last part) with an error in one: the same papers, problems,
    line maps and cache counts as one process reading them all, and a cache that the next
    load takes every unit from."""
    from committee_papers import loadfork

    edit(demo / "meetings/2026-12-16-council/meeting.yml", "venue:", "venue: [unclosed")
    age(demo)
    two = loaded(demo, tmp_path / "two")
    assert len(forked) == 1
    warm = loaded(demo, tmp_path / "two")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loadfork, "FORK_UNITS", 10**9)
        one = loaded(demo, tmp_path / "one")
    assert len(forked) == 1  # neither the warm load nor the one-process load forked
    assert two[0] == one[0] and two[1] == one[1] and two[2][0] == one[2][0]
    assert any("2026-12-16-council/meeting.yml" in problem for problem in two[1])
    assert two[2][1] == one[2][1]  # hits, misses, files hashed, units stored, in order
    assert warm[0] == one[0] and warm[1] == one[1]
    assert warm[2][1].misses == 1 and warm[2][1].hits == one[2][1].misses - 1  # the error


def test_a_fork_that_fails_leaves_its_folders_to_the_build_process(
    demo: Path, tmp_path: Path, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from committee_papers import loadfork

    monkeypatch.setattr(LoadCache, "detach", _failing)  # in the fork only: no answer
    two = loaded(demo, tmp_path / "two")
    assert len(forked) == 1
    monkeypatch.setattr(loadfork, "FORK_UNITS", 10**9)
    one = loaded(demo, tmp_path / "one")
    assert two[0] == one[0] and two[1] == one[1] and two[2][1] == one[2][1]


def _failing(*args: Any) -> None:
    raise MemoryError("a fork out of memory")


@dataclass
class ReadAheads:
    """The read-aheads of the loads since the fixture began: their key forks' pids, and
    the units they handed over."""

    pids: list[int]
    taken: list[str] = field(default_factory=list)


@pytest.fixture
def read_ahead(monkeypatch: pytest.MonkeyPatch) -> ReadAheads:
    """Every warm load of meeting folders reads ahead (loadfork.ReadAhead), however few."""
    from committee_papers import loadfork

    seen = ReadAheads(_forks_of(loadfork.ReadAhead, monkeypatch))
    take = loadfork.ReadAhead.take

    def taken(self: loadfork.ReadAhead, name: str) -> Any:
        unit = take(self, name)
        if unit is not None:
            seen.taken.append(name)
        return unit

    monkeypatch.setattr(loadfork.ReadAhead, "take", taken)
    return seen


def _warm_in_one_process(demo: Path, cache: Path) -> tuple[Any, list[str], Any]:
    from committee_papers import loadfork

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loadfork, "FORK_UNITS", 10**9)
        return loaded(demo, cache)


def test_a_warm_load_reads_the_stored_units_while_a_fork_works_out_their_keys(
    demo: Path, tmp_path: Path, read_ahead: ReadAheads
) -> None:
    """A re-build's load: the stored units unpickled ahead, each taken only where the key
    fork found its files unchanged. With one report edited, one folder with an error and
    one folder a link to outside the data folder, the papers, problems, line maps and cache
    counts are those of the same load in one process, and the edit is read."""
    council = "meetings/2026-12-16-council/meeting.yml"
    edit(demo / council, "venue:", "venue: [unclosed")
    outside = tmp_path / "elsewhere"
    shutil.copytree(demo / "meetings/2026-01-28-audit-governance", outside)
    shutil.rmtree(demo / "meetings/2026-01-28-audit-governance")
    (demo / "meetings/2026-01-28-audit-governance").symlink_to(outside)
    age(demo)
    for cache in (tmp_path / "two", tmp_path / "one"):
        loaded(demo, cache)  # cold (its own fork): every clean folder stored
    assert not read_ahead.pids
    report = next((demo / "meetings/2026-06-16-cabinet").glob("*.md"))
    edit(report, "title:", "title: Edited,")
    two = loaded(demo, tmp_path / "two")
    assert len(read_ahead.pids) == 1
    one = _warm_in_one_process(demo, tmp_path / "one")
    assert len(read_ahead.pids) == 1
    assert two[0] == one[0] and two[1] == one[1] and two[2][0] == one[2][0]
    # Hits, misses, units stored, in order; the edited report is hashed by the fork and
    # again by the build process, which loads its folder.
    assert replace(two[2][1], hashed=0) == replace(one[2][1], hashed=0)
    assert (two[2][1].hashed, one[2][1].hashed) == (2, 1)
    assert two[2][1].missed == ["meeting:2026-06-16-cabinet", "meeting:2026-12-16-council"]
    # Every other meeting folder (the link is never cached) was taken from the read-ahead.
    assert len(read_ahead.taken) == len(list((demo / "meetings").iterdir())) - 3
    assert any(council in problem for problem in two[1])
    assert any("symbolic link to a folder outside" in problem for problem in two[1])
    assert any(title.startswith("Edited,") for title in _titles(two[0]))


def test_a_key_fork_that_fails_leaves_every_folder_to_the_build_process(
    demo: Path, tmp_path: Path, read_ahead: ReadAheads, monkeypatch: pytest.MonkeyPatch
) -> None:
    for cache in (tmp_path / "two", tmp_path / "one"):
        loaded(demo, cache)
    monkeypatch.setattr(LoadCache, "detach", _failing)  # in the fork only: no answer
    two = loaded(demo, tmp_path / "two")
    assert len(read_ahead.pids) == 1
    one = _warm_in_one_process(demo, tmp_path / "one")
    assert two[0] == one[0] and two[1] == one[1] and two[2][1] == one[2][1]
    assert two[2][1].hits > 0 and two[2][1].misses == 0 and not read_ahead.taken


def _titles(papers: Any) -> list[str]:
    return [report[1]["title"] for report in papers[1]["reports"].values()]


def inner_keys(data: Path, cache: Path) -> dict[tuple[str, str, int], bytes]:
    """The origin key (load.origins) of every agenda item, minute, resolution and attendee,
    by meeting, kind and place; a paper without a key is missing from the result."""
    papers, _, sources = load_with_problems(data, cache)
    assert papers is not None
    keys: dict[tuple[str, str, int], bytes] = {}
    for meeting in papers.meetings.values():
        minutes = meeting.minutes.items if meeting.minutes else []
        present = (meeting.minutes.present or []) if meeting.minutes else []
        inner: list[Any] = [*meeting.agenda, *minutes, *present]
        inner += [resolution for item in minutes for resolution in item.resolutions]
        for place, paper in enumerate(inner):
            origin = sources.origins.get(id(paper))
            if origin is not None and origin[0] is paper:
                keys[(meeting.id, type(paper).__name__, place)] = origin[1]
    return keys


def test_papers_inside_a_meeting_are_keyed_by_its_files(data: Path, tmp_path: Path) -> None:
    """The page cache keeps a loaded paper's fingerprint between builds by its key
    (load.origins). The decisions register and the pages read the papers inside a meeting
    apart (a decision's minute and resolutions, a report's agenda item), and a meeting the
    projection copied still holds them as loaded, so they have keys too: the same while
    the folder's files are, new when one changes."""
    cache = tmp_path / "cache"
    before = inner_keys(data, cache)
    kinds = {kind for _, kind, _ in before}
    assert kinds == {"AgendaItem", "MinuteItem", "Resolution", "Attendee"}
    assert len(set(before.values())) == len(before)
    edit(
        data / REPORT,
        "title: Corporate Risk Register Update",
        "title: Corporate Risk Register Revised",
    )
    after = inner_keys(data, cache)
    assert after.keys() == before.keys()
    edited = MEETING.split("/")[1]
    for place, key in before.items():
        assert (after[place] == key) == (place[0] != edited), place


def test_a_cache_stored_by_a_relative_data_path_serves_an_absolute_one(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`papers check --data data` and a build (which names the folder from mkdocs.yml's,
    absolutely) share one load cache: the "TO DO" warnings kept with each meeting folder
    serve either, so no unchanged meeting folder is read again for them (a folder with a
    warning is never stored), and each warning is reported once."""
    from committee_papers.clerk import todo

    marked = demo / "meetings/2026-06-16-cabinet/revenue-outturn-2025-26.md"
    edit(marked, "title: Revenue", "title: TO DO: a title. Revenue")
    monkeypatch.chdir(demo.parent)
    cache = tmp_path / "cache"
    relative = load_with_problems(Path(demo.name), cache)[1]
    read: list[Path] = []
    scan = todo.placeholders_in

    def recorded(paths: Any) -> list[Any]:
        paths = list(paths)
        read.extend(paths)
        return scan(paths)

    monkeypatch.setattr(todo, "placeholders_in", recorded)
    absolute, sources = load_with_problems(demo.resolve(), cache)[1:]
    assert sources.cache.hits > 20 and sources.cache.missed == ["meeting:2026-06-16-cabinet"]
    warnings = [str(p) for p in absolute if "TO DO: a title" in str(p)]
    assert (
        len(warnings) == 1 and [str(p) for p in relative if "TO DO: a title" in str(p)] == warnings
    )
    assert not [path for path in read if "meetings" in path.parts], read


def test_the_table_of_files_keeps_each_file_seen_and_only_those(demo: Path, tmp_path: Path) -> None:
    """A load writes only the rows of the files whose stat changed, are new or gone (a
    re-build sees some 40,000 files, nearly all as they were): the table is then every
    file of the data folder's units, each with its hash, as writing it whole gives."""
    cache = tmp_path / "cache"
    loaded(demo, cache)
    shutil.rmtree(demo / "meetings/2025-12-10-planning")
    added = demo / "meetings/2026-06-16-cabinet/added.md"
    added.write_text("---\ntitle: Added\n---\nText\n", encoding="utf-8")
    load_with_problems(demo, cache)
    (db,) = cache.glob("*.sqlite")
    with sqlite3.connect(db) as connection:
        rows = {path: sha for path, _, sha in connection.execute("SELECT * FROM files")}
    units = [*(demo / "meetings").iterdir(), *(demo / "bodies").iterdir()]
    files = {path for unit in units for path in (unit_files(unit) if unit.is_dir() else [unit])}
    assert set(rows) == {os.path.relpath(path, demo) for path in files}
    assert (
        rows["meetings/2026-06-16-cabinet/added.md"] == hashlib.sha256(added.read_bytes()).digest()
    )


def _every_paper(value: Any, found: list[BaseModel]) -> list[BaseModel]:
    if isinstance(value, BaseModel):
        found.append(value)
        value = value.__dict__
    if isinstance(value, dict):
        for item in value.values():
            _every_paper(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _every_paper(item, found)
    return found


def test_a_paper_unpickles_as_pydantic_s_own_way_leaves_it(data: Path) -> None:
    """Papers are pickled as their fields and the names of those set (`Strict.__reduce__`),
    not through pydantic's state and `__setstate__`: each comes back with everything that
    way gives it, set fields and the slots pydantic reads included."""
    import pickle

    papers, problems, _ = load_with_problems(data)
    assert not problems and papers is not None
    every = _every_paper(papers.__dict__, [])
    assert len({type(paper) for paper in every}) > 10
    for paper in every:
        back = pickle.loads(pickle.dumps(paper, protocol=pickle.HIGHEST_PROTOCOL))
        theirs = type(paper).__new__(type(paper))
        theirs.__setstate__(paper.__getstate__())
        assert type(back) is type(paper)
        assert deep(back) == deep(theirs) == deep(paper)
        assert back.__pydantic_fields_set__ == theirs.__pydantic_fields_set__
        assert back.__pydantic_extra__ == theirs.__pydantic_extra__
        assert back.__pydantic_private__ == theirs.__pydantic_private__
        assert back.model_dump() == paper.model_dump() and back == paper


class _Noted(Strict):
    title: str
    _note: str = PrivateAttr(default="")


def test_a_paper_with_private_attributes_is_pickled_pydantic_s_way() -> None:
    """A paper class with private attributes (none has them) keeps them through a pickle."""
    import pickle

    paper = _Noted(title="Budget")
    paper._note = "kept"
    back = pickle.loads(pickle.dumps(paper))
    assert back == paper and back._note == "kept"
