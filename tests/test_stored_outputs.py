"""The output files the guard knows by the page cache's copies (buildfork.stored_outputs)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from committee_papers.buildfork import stored_outputs


class _Cache(SimpleNamespace):
    """A page cache's folder, counting its listings (`PageCache.stored_inodes`)."""

    def stored_inodes(self) -> dict[str, int]:
        self.listings += 1
        return {entry.name: entry.inode() for entry in os.scandir(self.folder)}


def _cache(tmp_path: Path) -> _Cache:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("aa11", "bb22"):
        (folder / name).write_bytes(name.encode())
    return _Cache(folder=folder, listings=0)


def test_a_listing_made_before_is_used_and_a_copy_stored_since_is_asked_for_alone(
    tmp_path: Path,
) -> None:
    cache = _cache(tmp_path)
    listed = cache.stored_inodes()
    (cache.folder / "cc33").write_bytes(b"stored since")  # an output made after the listing
    linked = {
        "api/a.json": cache.folder / "aa11",
        "api/c.json": cache.folder / "cc33",
        "images/logo.png": tmp_path / "logo.png",  # not the cache's: not known
    }
    found = stored_outputs(cache, linked, listed)
    assert cache.listings == 1  # not listed again
    assert found == {
        "api/a.json": ("aa11", os.stat(cache.folder / "aa11").st_ino),
        "api/c.json": ("cc33", os.stat(cache.folder / "cc33").st_ino),
    }
    assert stored_outputs(cache, linked) == found  # listed now, the same answer
    assert cache.listings == 2


def test_a_copy_gone_since_the_listing_is_not_known(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    listed = cache.stored_inodes()
    linked = {"api/x.json": cache.folder / "dd44"}  # never stored
    assert stored_outputs(cache, linked, listed) == {}
