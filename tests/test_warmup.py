"""The helper that reads a re-build's linked files while the papers load (warmup.py): what
it chooses to read, that it reads them and changes nothing, and that a re-build begins it
and has ended it by the time the site is published."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from support import build_site, copy_data
from test_siteskeleton import wait_for_skeleton

from committee_papers import warmup
from committee_papers.pagecache import key_folders_by_use


def state(folder: Path) -> dict[str, tuple[bool, int]]:
    """Every path below `folder` with whether it is a folder and its time of change."""
    return {
        str(path.relative_to(folder)): (path.is_dir(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def cache_and_skeleton(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A page cache of two key folders (the second marked in use last) and a skeleton of
    three folders beside a site, as a build leaves them."""
    pages = tmp_path / "pages"
    older, newer = pages / "aaaa", pages / "bbbb"
    for key, names in ((older, ["x.html"]), (newer, ["1.html", "2.html", "index.pickle"])):
        key.mkdir(parents=True)
        for name in names:
            (key / name).write_text(name)
    os.utime(older, (1_000_000_000, 1_000_000_000))
    (pages / "stray.txt").write_text("not a key folder")
    os.utime(pages / "stray.txt")
    skeleton = tmp_path / ".site.skeleton-1-1"
    for folder in ("meetings", "meetings/a", "reports"):
        (skeleton / folder).mkdir(parents=True)
    listing = tmp_path / ".site.skeleton-1-1.dirs"
    listing.write_bytes(b"meetings\0meetings/a\0reports\0gone")
    return pages, newer, skeleton


def test_it_reads_the_newest_key_folder_and_the_newest_finished_skeleton(
    tmp_path: Path,
) -> None:
    pages, newer, skeleton = cache_and_skeleton(tmp_path)
    assert key_folders_by_use(pages) == [newer, pages / "aaaa"]
    assert key_folders_by_use(tmp_path / "none") == []
    line = warmup.command(newer, skeleton)
    assert line is not None
    assert line[1:4] == ["-m", "committee_papers.warmup", str(os.getpid())]
    assert line[4:] == [
        "--files",
        str(newer),
        "--folders",
        str(skeleton),
        f"{skeleton}.dirs",
    ]
    # A first build: no page cache yet, no old site: nothing to read, no helper.
    assert warmup.command(None, None) is None
    assert warmup.begin(tmp_path / "no-cache", tmp_path / "no-site") is None


def test_it_asks_the_disk_ahead_for_the_data_a_rebuild_reads_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load cache's file, each file of the guard's folder, and of a key folder its
    index, fingerprints and the open data's kept parts, not the copies it links: each
    asked of the disk ahead, in that order, nothing changed."""
    _, newer, skeleton = cache_and_skeleton(tmp_path)
    (newer / "piece-ab.json").write_text("[1]")
    (newer / "prints.pickle").write_text("")
    (newer / "item.json").write_text("{}")  # a kept output file: linked, not read
    load = tmp_path / "load.sqlite"
    load.write_text("")
    guard = tmp_path / "guard"
    guard.mkdir()
    for name in ("secrets.json", "fragments.pickle"):
        (guard / name).write_text("")
    asked: list[str] = []

    def advise(descriptor: int, offset: int, length: int, advice: int) -> None:
        assert (offset, length, advice) == (0, 0, os.POSIX_FADV_WILLNEED)
        asked.append(os.readlink(f"/proc/self/fd/{descriptor}"))

    monkeypatch.setattr(warmup.os, "posix_fadvise", advise)
    before = state(tmp_path)
    data = [(warmup.WHOLE, load), (warmup.PARTS, newer), (warmup.WHOLE, guard)]
    warmup._read_data([(flag, str(path)) for flag, path in data])
    assert asked == [
        str(load),
        str(newer / "index.pickle"),
        str(newer / "piece-ab.json"),
        str(newer / "prints.pickle"),
        str(guard / "fragments.pickle"),
        str(guard / "secrets.json"),
    ]
    assert warmup.read_whole(str(tmp_path / "gone")) == 0
    assert state(tmp_path) == before
    line = warmup.command(newer, skeleton, data)
    assert line is not None and line[-6:] == [
        "--whole",
        str(load),
        "--parts",
        str(newer),
        "--whole",
        str(guard),
    ]


def test_it_asks_for_every_copy_and_kept_folder_and_changes_nothing(tmp_path: Path) -> None:
    _, newer, skeleton = cache_and_skeleton(tmp_path)
    before = state(tmp_path)
    assert warmup.read_files(str(newer)) == 3
    # The listing names a folder gone since: passed over.
    assert warmup.read_folders(str(skeleton), f"{skeleton}.dirs") == 3
    assert warmup.read_folders(str(skeleton), str(tmp_path / "no.dirs")) == 0
    process = warmup.start(newer, skeleton)
    assert process is not None
    assert process.wait(timeout=60) == 0
    assert state(tmp_path) == before


@pytest.mark.parametrize("disk", [True, False])
def test_it_stops_once_a_batch_came_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: bool
) -> None:
    """Files in memory already (the last build minutes ago) are of no use to read: the
    helper stops after a batch of them for which it did not wait for the disk, and reads
    on while they come from it."""
    for number in range(25):
        (tmp_path / f"{number}.html").write_text("")
    listing = tmp_path / "folders"
    listing.write_bytes(b"\0".join(b"." for _ in range(25)))
    # Nanoseconds blocked: a batch from the disk waits 50 microseconds an entry.
    waits = iter(range(0, 10**9, 50_000 * 10))
    monkeypatch.setattr(warmup, "_blocked", (lambda: next(waits)) if disk else (lambda: 7))
    monkeypatch.setattr(warmup, "BATCH", 10)
    assert warmup.read_files(str(tmp_path)) == (26 if disk else 10)  # with `folders`
    assert warmup.read_folders(str(tmp_path), str(listing)) == (25 if disk else 10)


def test_the_time_a_thread_blocks_is_counted(tmp_path: Path) -> None:
    """Sleeping is blocking; running is not."""
    before = warmup._blocked()
    time.sleep(0.05)
    slept = warmup._blocked() - before
    before = warmup._blocked()
    sum(range(2_000_000))
    ran = warmup._blocked() - before
    assert slept >= 40_000_000 and ran < slept / 2


def test_several_threads_share_the_folders(tmp_path: Path) -> None:
    listing = tmp_path / "folders"
    listing.write_bytes(b"\0".join(b"." for _ in range(5)))
    shares = [warmup.read_folders(str(tmp_path), str(listing), n, 2) for n in range(2)]
    assert shares == [3, 2]


def test_a_command_line_it_does_not_know_ends_it_reading_nothing(tmp_path: Path) -> None:
    line = [sys.executable, "-m", "committee_papers.warmup", str(os.getpid()), "--all"]
    assert subprocess.run(line, check=False, timeout=60).returncode == 2


def test_a_rebuild_begins_it_on_its_cache_and_old_folders_and_ends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    begun: list[tuple[Path | None, Path, Any]] = []
    real = warmup.begin

    def recorded(page_cache: Path | None, site: Path, *data: Any) -> Any:
        process = real(page_cache, site, *data)
        begun.append((page_cache, site, process))
        return process

    monkeypatch.setattr(warmup, "begin", recorded)
    data = copy_data(tmp_path / "data")
    site = tmp_path / "site"
    build_site(site, data_dir=data)
    wait_for_skeleton(site)
    build_site(site, data_dir=data)
    assert [entry[1] for entry in begun] == [site, site]
    page_cache = begun[1][0]
    assert page_cache is not None and page_cache.is_dir()
    process = begun[1][2]
    assert process is not None, "a re-build reads its cache and old folders"
    assert process.args[4:6] == ["--files", str(key_folders_by_use(page_cache)[0])]
    assert process.args[6] == "--folders"
    # The data it reads whole: the load cache's file (the one the build reads), the key
    # folder's index and parts, the guard's folder.
    whole = process.args[9:]
    assert whole[0] == "--whole" and Path(whole[1]).is_file()
    assert Path(whole[1]).suffix == ".sqlite"
    assert whole[2:4] == ["--parts", str(key_folders_by_use(page_cache)[0])]
    assert whole[4] == "--whole" and Path(whole[5]).is_dir()  # the guard's, which it wrote
    assert process.returncode is not None, "ended and reaped when the site is published"
