"""The leak guard's listing of a re-built site (sitelisting.py): folders unchanged since the
old site was listed are taken from its listing, every other folder is read, and the names
and inodes are exactly those a walk of every folder gives."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from test_siteskeleton import wait_for_skeleton

from committee_papers import leakscan, sitelisting, siteskeleton


def _old_site(old: Path) -> None:
    for folder in ("reports/a", "reports/b", "reports/c", "meetings/m", "api"):
        (old / folder).mkdir(parents=True)
        (old / folder / "index.html").write_text(f"page {folder}")
    (old / "reports" / "a" / "appendix-1").mkdir()
    (old / "reports" / "a" / "appendix-1" / "index.html").write_text("an appendix")
    (old / "api" / "all.json").write_text("{}")
    (old / "sitemap.xml").write_text("<urlset/>")
    os.symlink("index.html", old / "meetings" / "m" / "link.html")  # not a plain file
    time.sleep(0.05)  # made ticks before the job lists it, as a build's are


def _kept(tmp_path: Path) -> tuple[Path, siteskeleton.Kept]:
    """A retired site listed by its job, moved into place as a build's staging folder."""
    target, old = tmp_path / "site", tmp_path / ".site.old-1"
    _old_site(old)
    assert siteskeleton.retire(old, target)
    wait_for_skeleton(target)
    staging = tmp_path / ".site.building"
    kept = siteskeleton.take(target, staging)
    assert kept is not None and kept.listed is not None
    return staging, kept


def _walked(site: Path, listed: siteskeleton.Listed | None) -> tuple[list[str], dict[str, int]]:
    names: list[str] = []
    inodes: dict[str, int] = {}
    for top in sorted(os.listdir(site)):
        path = os.path.join(site, top)
        if not os.path.isdir(path):
            continue
        if listed is None:
            leakscan._walk_files(path, top + "/", names, inodes)
        else:
            by_folder = (sitelisting.folders_of(listed), listed.began)
            sitelisting.walk(path, top + "/", names, inodes, (), by_folder)
    return sorted(names), inodes


def _read_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders `os.scandir` is asked to read from now on."""
    read: list[str] = []
    scandir = os.scandir

    def counted(path: str | os.PathLike[str]) -> object:
        read.append(os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(sitelisting.os, "scandir", counted)
    return read


def test_the_listing_is_the_walk_of_every_folder_after_a_builds_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging, kept = _kept(tmp_path)
    assert kept.listed is not None
    assert kept.listed.odd == {"meetings/m/link.html"}
    time.sleep(0.05)  # the build's changes come ticks after the listing began
    (staging / "reports" / "a" / "new.html").write_text("a file added beside a kept one")
    (staging / "reports" / "b" / "index.html").unlink()
    (staging / "reports" / "b" / "index.html").write_text("replaced: another inode")
    (staging / "reports" / "d").mkdir()
    (staging / "reports" / "d" / "index.html").write_text("a new page")
    (staging / "api" / "all.json").unlink()
    every = _walked(staging, None)
    read = _read_folders(monkeypatch)
    names, inodes = _walked(staging, kept.listed)
    assert (names, inodes) == every
    assert "reports/a/new.html" in names and "reports/b/index.html" in names
    assert "api/all.json" not in names
    assert inodes["reports/b/index.html"] == (staging / "reports/b/index.html").stat().st_ino
    # Read: the folders changed, and the one holding a link; the rest came from the list.
    changed = {"reports", "reports/a", "reports/b", "reports/d", "api", "meetings/m"}
    assert {os.path.relpath(folder, staging) for folder in read} == changed


def test_a_folder_changed_in_the_tick_the_listing_began_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staging, kept = _kept(tmp_path)
    assert kept.listed is not None
    folder = staging / "reports" / "c"
    # As if the listing had begun in the tick the folder last changed in: not known.
    listed = dataclasses.replace(kept.listed, began=folder.stat().st_mtime_ns)
    (folder / "late.html").write_text("written in that same tick")
    os.utime(folder, ns=(listed.began, listed.began))  # the coarse clock's same time
    read = _read_folders(monkeypatch)
    names, _ = _walked(staging, listed)
    assert "reports/c/late.html" in names
    assert str(folder) in read


def test_a_skeleton_without_its_stamp_gives_no_listing(tmp_path: Path) -> None:
    target, old = tmp_path / "site", tmp_path / ".site.old-1"
    _old_site(old)
    assert siteskeleton.retire(old, target)
    skeleton = wait_for_skeleton(target)
    skeleton.with_name(skeleton.name + siteskeleton.BEGAN).unlink()
    kept = siteskeleton.take(target, tmp_path / ".site.building")
    assert kept is not None and kept.listed is None  # every folder read, as before


def test_a_clock_set_back_since_the_listing_gives_no_listing(tmp_path: Path) -> None:
    """With the clock behind the stamp, a folder the build writes into could be given a
    time before it and be taken as unchanged: every folder is read instead."""
    target, old = tmp_path / "site", tmp_path / ".site.old-1"
    _old_site(old)
    assert siteskeleton.retire(old, target)
    skeleton = wait_for_skeleton(target)
    later = time.time_ns() + 3_600 * 10**9
    os.utime(skeleton.with_name(skeleton.name + siteskeleton.BEGAN), ns=(later, later))
    kept = siteskeleton.take(target, tmp_path / ".site.building")
    assert kept is not None and kept.listed is None
