"""The old site's folders kept for the next build (siteskeleton.py): a re-build writes into
them instead of making 45,000 folders, publishes no folder that holds no file, and makes
the site a build without them makes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support import build_site, copy_data, file_digests
from test_search_publish import NOVEMBER as EXTRA  # a meeting nothing refers to

from committee_papers import siteskeleton


def wait_for_skeleton(target: Path) -> Path:
    """The retired site's skeleton, once its job has finished (it runs in the background)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = siteskeleton.ready(target)
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no skeleton beside {target}")


def empty_folders(site: Path) -> list[str]:
    return [
        str(folder.relative_to(site))
        for folder in site.rglob("*")
        if folder.is_dir() and not any(p.is_file() for p in folder.rglob("*"))
    ]


def test_a_retired_site_becomes_folders_without_a_file(tmp_path: Path) -> None:
    target = tmp_path / "site"
    old = tmp_path / ".site.old-1"
    (old / "meetings" / "a").mkdir(parents=True)
    (old / "meetings" / "a" / "index.html").write_text("the new park")
    (old / "api").mkdir()
    (old / "api" / "all.json").write_text("{}")
    (old / "sitemap.xml").write_text("<urlset/>")
    assert siteskeleton.retire(old, target)
    skeleton = wait_for_skeleton(target)
    assert not old.exists()
    assert not [p for p in skeleton.rglob("*") if not p.is_dir()]

    staging = tmp_path / ".site.building"
    staging.mkdir()
    folders = siteskeleton.take(target, staging)
    assert folders == {"meetings", "meetings/a", "api"}
    assert (staging / "meetings" / "a").is_dir() and not skeleton.exists()
    (staging / "api" / "all.json").write_text("{}")  # this build writes into api/ only
    assert siteskeleton.prune(staging, folders, used=[]) == 2  # meetings/a, then meetings
    assert sorted(p.name for p in staging.iterdir()) == ["api"]
    assert siteskeleton.take(target, tmp_path / "other") is None  # taken: not there twice


def test_only_what_no_running_job_writes_is_left_over(tmp_path: Path) -> None:
    """A build's clean-up deletes older skeletons and lists without a folder, never the
    list a running job is writing (`.dirs.tmp`), nor the newest finished skeleton."""
    target = tmp_path / "site"
    for name in ("a", "b"):
        (tmp_path / f".site.skeleton-{name}").mkdir()
        (tmp_path / f".site.skeleton-{name}.dirs").write_bytes(b"")
    os.utime(tmp_path / ".site.skeleton-a.dirs", (1, 1))  # the older one
    (tmp_path / ".site.skeleton-c.dirs").write_bytes(b"")  # its folder gone
    (tmp_path / ".site.skeleton-d.dirs.tmp").write_bytes(b"x")  # a job writing
    names = sorted(p.name for p in siteskeleton.leftovers(target))
    assert names == [".site.skeleton-a", ".site.skeleton-a.dirs", ".site.skeleton-c.dirs"]


def test_a_rebuild_writes_into_the_old_site_s_folders_and_publishes_no_empty_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    data = copy_data(tmp_path / "data")
    extra = data / "meetings" / "2026-11-26-planning"
    extra.mkdir()
    (extra / "meeting.yml").write_text(EXTRA)
    live = build_site(tmp_path / "live", data_dir=data)
    assert (live / "meetings" / "2026-11-26-planning").is_dir()
    page = next(p.parent for p in sorted((live / "reports").rglob("index.html")))
    folder_before = page.stat().st_ino

    # The second build publishes the same papers but that meeting: the first build's site,
    # retired by it, is emptied in the background, and the third build writes into it.
    build_site(tmp_path / "live", data_dir=data)
    wait_for_skeleton(live)
    for file in sorted(extra.rglob("*"), reverse=True):
        file.unlink()
    extra.rmdir()
    build_site(tmp_path / "live", data_dir=data)

    assert page.stat().st_ino == folder_before  # the folder kept, not made again
    assert not (live / "meetings" / "2026-11-26-planning").exists()
    assert empty_folders(live) == []
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")
    assert file_digests(live) == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_a_first_build_leaves_its_folders_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no old site to empty, the first build's folders are made again beside the live
    site once it is live, so the second build places its pages into made folders too."""
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    skeleton = wait_for_skeleton(live)
    folders = {str(p.relative_to(live)) for p in live.rglob("*") if p.is_dir()}
    assert {str(p.relative_to(skeleton)) for p in skeleton.rglob("*")} == folders
    assert not [p for p in skeleton.rglob("*") if not p.is_dir()]
    assert not list(tmp_path.glob(".live.old-*"))  # the job's working name is gone
    page = next(p.parent for p in sorted((skeleton / "reports").rglob("*")))
    made = page.stat().st_ino

    build_site(tmp_path / "live", data_dir=data)
    assert (live / page.relative_to(skeleton)).stat().st_ino == made
    assert empty_folders(live) == []
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")
    assert file_digests(live) == file_digests(build_site(tmp_path / "full", data_dir=data))
