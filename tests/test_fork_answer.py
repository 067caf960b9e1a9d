"""What a re-build's fork hands back for the output files it linked (buildfork.py): the
names of those linked from the copy their page cache entry names, which the build process
turns back into the copies' paths from its own entries, and the others as they were."""

from __future__ import annotations

from pathlib import Path

from committee_papers import buildfork
from committee_papers.pagecache import Entry, PageCache


def _cache(folder: Path, blobs: dict[str, str]) -> PageCache:
    cache = PageCache(folder, b"test-key")
    for path, blob in blobs.items():
        cache.entries[path] = Entry(b"static", (), b"engine", blob)
    return cache


def test_linked_files_go_back_as_names_and_come_back_as_the_entries_copies(
    tmp_path: Path,
) -> None:
    blobs = {"api/meetings/a.json": "1a.json", "meetings/a/meeting.ics": "2b.ics"}
    there = _cache(tmp_path, blobs)
    linked = {path: there.copy_of(path) for path in blobs}
    linked["api/all.json"] = "/tmp/committee-papers-api-x/all.json"  # no entry names it
    linked["api/people/p.json"] = str(tmp_path / "other" / "3c.json")  # another copy
    there.entries["api/people/p.json"] = Entry(b"static", (), b"engine", "3c.json")
    copies, others = buildfork._linked_apart(linked, there)  # type: ignore[arg-type]
    assert copies == "api/meetings/a.json\0meetings/a/meeting.ics"
    assert others == {
        "api/all.json": "/tmp/committee-papers-api-x/all.json",
        "api/people/p.json": str(tmp_path / "other" / "3c.json"),
    }
    here = _cache(tmp_path, {**blobs, "api/people/p.json": "3c.json"})
    assert buildfork._linked_together(copies, others, here) == linked


def test_a_copy_this_process_s_cache_does_not_name_gives_no_answer(tmp_path: Path) -> None:
    here = _cache(tmp_path, {"api/meetings/a.json": "1a.json"})
    assert buildfork._linked_together("api/meetings/b.json", {}, here) is None
    assert buildfork._linked_together("", {}, here) == {}
