"""The old site kept for the next build (siteskeleton.py): a re-build writes into it instead
of making 45,000 folders and linking 100,000 files, leaves a file that is already the copy
it links as it is, never writes into an old file in place, publishes no file it did not
make and no folder that holds no file, and makes the site a build without it makes."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from support import AS_OF, ROOT, build_site, copy_data, file_digests
from test_search_publish import NOVEMBER as EXTRA  # a meeting nothing refers to

from committee_papers import outputs, siteskeleton
from committee_papers.searchindex import INDEX_DIR


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


def test_a_retired_site_is_kept_and_listed_but_its_search_index(tmp_path: Path) -> None:
    target = tmp_path / "site"
    old = tmp_path / ".site.old-1"
    (old / "meetings" / "a").mkdir(parents=True)
    (old / "meetings" / "a" / "index.html").write_text("the new park")
    (old / "api").mkdir()
    (old / "api" / "all.json").write_text("{}")
    (old / "sitemap.xml").write_text("<urlset/>")
    (old / "pagefind" / "2026").mkdir(parents=True)  # kept by the search store, not here
    (old / "pagefind" / "2026" / "pagefind.js").write_text("")
    inode = (old / "api" / "all.json").stat().st_ino
    assert siteskeleton.retire(old, target)
    skeleton = wait_for_skeleton(target)
    assert not old.exists()
    assert not (skeleton / "pagefind").exists()
    assert (skeleton / "api" / "all.json").stat().st_ino == inode  # the file itself

    staging = tmp_path / ".site.building"
    staging.mkdir()
    kept = siteskeleton.take(target, staging)
    assert kept is not None
    assert kept.folders == {"meetings", "meetings/a", "api"}
    assert set(kept.files) == {"meetings/a/index.html", "api/all.json", "sitemap.xml"}
    assert kept.files["api/all.json"] == inode
    assert (staging / "meetings" / "a" / "index.html").is_file() and not skeleton.exists()
    assert not siteskeleton.files_of(skeleton).exists()  # its lists go with it
    # This build writes api/all.json only: the other two old files are removed, then the
    # folders they leave empty.
    assert siteskeleton.remove_stale(staging, kept, {"api/all.json"}.__contains__) == 2
    assert siteskeleton.prune(staging, set(kept.folders), used=[]) == 2  # meetings/a, meetings
    assert sorted(p.name for p in staging.iterdir()) == ["api"]
    assert (staging / "api" / "all.json").stat().st_ino == inode
    assert siteskeleton.take(target, tmp_path / "other") is None  # taken: not there twice


def test_a_skeleton_whose_files_are_not_listed_is_not_used(tmp_path: Path) -> None:
    """Its files could not be told from the build's: a page withheld since would stay."""
    target = tmp_path / "site"
    skeleton = tmp_path / ".site.skeleton-1"
    (skeleton / "meetings").mkdir(parents=True)
    (skeleton / "meetings" / "index.html").write_text("withheld since")
    siteskeleton.listing_of(skeleton).write_bytes(b"meetings\0")
    assert siteskeleton.take(target, tmp_path / ".site.building") is None
    assert skeleton.is_dir()


def test_the_jobs_name_the_search_index_s_folder() -> None:
    """The jobs leave out the search index by its folder's name, written in their text."""
    assert f'"$1/{INDEX_DIR}"' in siteskeleton.JOB_TEXT
    assert f"! -name {INDEX_DIR} " in siteskeleton.COPY_TEXT


def test_the_old_site_holds_a_file_only_as_the_same_inode_of_the_same_device() -> None:
    kept = siteskeleton.Kept(frozenset(), {"a.html": 7}, device=1)
    assert kept.holds("a.html", 7, 1)
    assert not kept.holds("a.html", 8, 1)
    assert not kept.holds("a.html", 7, 2)  # another file system's inode 7
    assert not kept.holds("a.html", None, 1)
    assert not kept.holds("b.html", 7, 1)


def test_kept_files_mkdocs_writes_are_removed_first(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "404.html").write_text("old")
    kept = siteskeleton.Kept(frozenset(), {"404.html": 3, "a.html": 4}, device=1)
    siteskeleton.clear(staging, kept, ["404.html", "b.html"])
    assert not (staging / "404.html").exists()
    assert not kept.holds("404.html", 3, 1)


def test_a_kept_file_where_a_folder_goes_and_a_kept_folder_where_a_file_goes_are_removed(
    tmp_path: Path,
) -> None:
    staging = tmp_path / "staging"
    (staging / "guide").mkdir(parents=True)
    (staging / "guide" / "index.html").write_text("the page it was")
    (staging / "form").write_text("the file it was")
    kept = siteskeleton.Kept(
        frozenset({"guide"}), {"guide/index.html": 3, "form": 4, "a.html": 5}, device=1
    )
    siteskeleton.clear(staging, kept, ["guide", "form/index.html"])
    assert not (staging / "guide").exists() and not (staging / "form").exists()
    assert kept.files == {"a.html": 5}  # none of those taken for still there


def test_only_what_no_running_job_writes_is_left_over(tmp_path: Path) -> None:
    """A build's clean-up deletes older skeletons and lists without a folder, never the
    lists a running job is writing (`.tmp`), nor the newest finished skeleton's."""
    target = tmp_path / "site"
    for name in ("a", "b"):
        (tmp_path / f".site.skeleton-{name}").mkdir()
        (tmp_path / f".site.skeleton-{name}.files").write_bytes(b"")
        (tmp_path / f".site.skeleton-{name}.dirs").write_bytes(b"")
    os.utime(tmp_path / ".site.skeleton-a.dirs", (1, 1))  # the older one
    (tmp_path / ".site.skeleton-c.dirs").write_bytes(b"")  # its folder gone
    (tmp_path / ".site.skeleton-c.files").write_bytes(b"")
    (tmp_path / ".site.skeleton-d.files.tmp").write_bytes(b"x")  # a job writing
    (tmp_path / ".site.skeleton-d.dirs.tmp").write_bytes(b"x")
    names = sorted(p.name for p in siteskeleton.leftovers(target))
    assert names == [
        ".site.skeleton-a",
        ".site.skeleton-a.dirs",
        ".site.skeleton-a.files",
        ".site.skeleton-c.dirs",
        ".site.skeleton-c.files",
    ]


def witnessed(folder: Path, witness: Path) -> dict[Path, bytes]:
    """A hard link in `witness` to every file of `folder`, with its bytes: what a writer
    writing into one of them in place would change."""
    found = {}
    for number, path in enumerate(sorted(p for p in folder.rglob("*") if p.is_file())):
        link = witness / str(number)
        os.link(path, link)
        found[link] = path.read_bytes()
    return found


def test_a_rebuild_writes_into_the_old_site_and_publishes_nothing_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    data = copy_data(tmp_path / "data")
    extra = data / "meetings" / "2026-11-26-planning"
    extra.mkdir()
    (extra / "meeting.yml").write_text(EXTRA)
    live = build_site(tmp_path / "live", data_dir=data)
    assert (live / "meetings" / "2026-11-26-planning").is_dir()
    page = sorted((live / "reports").rglob("index.html"))[0]
    folder_before = page.parent.stat().st_ino

    # The second build publishes the same papers: the first build's site, retired by it,
    # is kept in the background, and the third build, without that meeting, writes into it.
    build_site(tmp_path / "live", data_dir=data)
    skeleton = wait_for_skeleton(live)
    (tmp_path / "witness").mkdir()
    old_files = witnessed(skeleton, tmp_path / "witness")
    changed_before = (skeleton / page.relative_to(live)).stat().st_ctime_ns
    assert len(old_files) > 100
    for file in sorted(extra.rglob("*"), reverse=True):
        file.unlink()
    extra.rmdir()
    build_site(tmp_path / "live", data_dir=data)

    assert page.parent.stat().st_ino == folder_before  # the folder kept, not made again
    # The unchanged page left as it was: no link made to its copy, or removed.
    assert page.stat().st_ctime_ns == changed_before
    # No old file written in place (MkDocs writes the meetings' hub, which changed, into
    # a file of its own): they are the page cache's copies and the live site's files.
    assert [link for link, data in old_files.items() if link.read_bytes() != data] == []
    assert not (live / "meetings" / "2026-11-26-planning").exists()
    assert not [p for p in live.rglob("*") if "2026-11-26-planning" in p.name]
    assert empty_folders(live) == []
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")
    assert file_digests(live) == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_a_first_build_leaves_a_copy_of_itself_for_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no old site to keep, the first build's site is copied beside it (hard links,
    but its search index) once it is live, so the second build finds its pages there too."""
    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    data = copy_data(tmp_path / "data")
    live = build_site(tmp_path / "live", data_dir=data)
    skeleton = wait_for_skeleton(live)
    outside_index = [p for p in live.rglob("*") if not p.is_relative_to(live / "pagefind")]
    expected = {str(p.relative_to(live)) for p in outside_index if p != live / "pagefind"}
    assert {str(p.relative_to(skeleton)) for p in skeleton.rglob("*")} == expected
    assert not list(tmp_path.glob(".live.old-*"))  # the job's working name is gone
    page = sorted((skeleton / "reports").rglob("index.html"))[0]
    assert page.stat().st_ino == (live / page.relative_to(skeleton)).stat().st_ino
    folder = page.parent.stat().st_ino
    changed_before = page.stat().st_ctime_ns

    build_site(tmp_path / "live", data_dir=data)
    placed = live / page.relative_to(skeleton)
    assert placed.parent.stat().st_ino == folder
    assert placed.stat().st_ctime_ns == changed_before  # left as it was
    assert empty_folders(live) == []
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")
    assert file_digests(live) == file_digests(build_site(tmp_path / "full", data_dir=data))


def test_a_skeleton_that_cannot_be_read_whole_is_left_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything `take` needs is read before the move: a skeleton moved into place and
    then given up would leave the old site's files in a staging folder taken for empty."""
    target = tmp_path / "site"
    skeleton = tmp_path / ".site.skeleton-1"
    (skeleton / "meetings").mkdir(parents=True)
    (skeleton / "meetings" / "index.html").write_text("withheld since")
    siteskeleton.listing_of(skeleton).write_bytes(b"meetings\0")
    siteskeleton.files_of(skeleton).write_bytes(b"meetings/index.html\0" + b"7\0")
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if Path(path) == skeleton and not kwargs:  # take's, not pathlib's (ready)
            raise OSError("unreadable")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(siteskeleton.os, "stat", stat)
    staging = tmp_path / ".site.building"
    assert siteskeleton.take(target, staging) is None
    assert (skeleton / "meetings" / "index.html").is_file()
    assert not staging.exists()


def test_an_output_written_twice_is_the_last_one_even_where_the_old_site_held_it(
    tmp_path: Path,
) -> None:
    """The old site's file at a path is left as it is only where this build wrote nothing
    there before: else the last file of that path is the one in place."""
    copy = tmp_path / "copy.json"
    copy.write_text("the cached copy")
    staging = tmp_path / "staging"
    (staging / "api").mkdir(parents=True)
    os.link(copy, staging / "api" / "a.json")  # the old site's file: that copy
    files = [
        outputs.OutputFile("api/a.json", b"made first"),
        outputs.OutputFile("api/a.json", b"", source=copy),
    ]
    linked: dict[str, Any] = {}
    outputs.write(staging, files, linked, there=lambda path, source: True)
    assert (staging / "api" / "a.json").read_text() == "the cached copy"
    assert linked == {"api/a.json": copy}


def test_a_file_that_becomes_a_folder_and_back_builds_into_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A council swaps a downloadable file for a folder of the same address holding its
    parts, then back: the old site holds a file where the build needs a folder, then a
    folder where it needs a file. MkDocs copied the file into that folder, and failed on
    the file where a folder goes. Each build publishes what a build without the old site
    publishes."""
    from committee_papers.mkdocs_plugin import build_site as build

    monkeypatch.setenv("PAPERS_PAGE_CACHE", str(tmp_path / "pages"))
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "downloads").mkdir()
    whole, part = docs / "downloads" / "guide", docs / "downloads" / "guide" / "part-1.txt"
    whole.write_text("The guide, as one file.\n")
    live, data = tmp_path / "live", copy_data(tmp_path / "data")

    def built(site: Path) -> Path:
        build(
            str(ROOT / "mkdocs.yml"),
            as_of=AS_OF,
            site_dir=str(site),
            data_dir=str(data),
            docs_dir=str(docs),
            packs=False,
        )
        return site

    built(live)
    wait_for_skeleton(live)
    whole.unlink()
    part.parent.mkdir()
    part.write_text("The guide, part one.\n")
    built(live)
    assert (live / "downloads" / "guide" / "part-1.txt").is_file()
    # The old site a build takes is the one the build before it retired: once more, and
    # the next build takes a site that has the folder.
    wait_for_skeleton(live)
    built(live)
    wait_for_skeleton(live)
    part.unlink()
    part.parent.rmdir()
    whole.write_text("The guide, one file again.\n")
    built(live)
    assert (live / "downloads" / "guide").read_text() == "The guide, one file again.\n"
    assert empty_folders(live) == []
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", "false")
    assert file_digests(live) == file_digests(built(tmp_path / "full"))
