"""The search store (searchstore.py): an index is taken only as it was kept, and what no
build uses for a day is removed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from committee_papers.searchstore import KEEP_SECONDS, SearchStore, file_digest, key


def index(folder: Path) -> Path:
    (folder / "fragment").mkdir(parents=True)
    (folder / "pagefind.js").write_text("code")
    (folder / "fragment" / "en_1.pf_fragment").write_bytes(b"the new park")
    return folder


def test_an_index_is_taken_as_it_was_kept_with_each_file_s_hash_and_inode(
    tmp_path: Path,
) -> None:
    store = SearchStore(tmp_path / "store")
    name = key("2026", '{"a.html": "1"}')
    assert key("2026", '{"a.html": "2"}') != name != key("2025", '{"a.html": "1"}')
    kept = store.keep(name, index(tmp_path / "site" / "a"))
    assert kept["fragment/en_1.pf_fragment"][0] == file_digest(b"the new park")

    out = tmp_path / "site2" / "a"
    taken = store.take(name, out)
    assert taken == kept
    fragment = out / "fragment" / "en_1.pf_fragment"
    assert fragment.read_bytes() == b"the new park"
    assert fragment.stat().st_ino == taken["fragment/en_1.pf_fragment"][1]
    assert store.take(key("2026", "other pages"), tmp_path / "site3" / "a") is None


def test_a_taken_index_is_moved_and_recovered_from_the_old_site(tmp_path: Path) -> None:
    """`take` moves the kept folder into the new site (one rename, no link a file); once
    that site is live, `recover` moves the old site's copy (the same inodes) back in. A
    copy whose files are not those listed stays where it is, to go with the old site."""
    store = SearchStore(tmp_path / "store")
    name = key("2026", "pages")
    store.keep(name, index(tmp_path / "old" / "a"))
    kept_folder = (tmp_path / "store" / name).stat().st_ino
    new = tmp_path / "new" / "a"
    assert store.take(name, new) is not None
    assert new.stat().st_ino == kept_folder  # the folder itself, moved
    assert not (tmp_path / "store" / name).exists()
    assert store.take(name, tmp_path / "other" / "a") is None  # taken: not there twice

    assert store.recover(name, tmp_path / "old" / "a")
    assert not (tmp_path / "old" / "a").exists()
    assert store.take(name, tmp_path / "newer" / "a") is not None

    # The new site retired in turn, with a file of its index replaced: not taken back.
    fragment = new / "fragment" / "en_1.pf_fragment"
    fragment.unlink()
    fragment.write_bytes(b"withheld text")
    assert not store.recover(name, new)
    assert new.exists()


def test_a_kept_file_replaced_or_a_listing_lost_means_indexing_again(tmp_path: Path) -> None:
    """A file replaced in the store is another inode: its recorded hash no longer stands,
    so the index is not taken (and nothing is left half linked)."""
    store = SearchStore(tmp_path / "store")
    name = key("2026", "pages")
    store.keep(name, index(tmp_path / "site" / "a"))
    replaced = tmp_path / "store" / name / "fragment" / "en_1.pf_fragment"
    replaced.unlink()
    replaced.write_bytes(b"withheld text")
    out = tmp_path / "site2" / "a"
    assert store.take(name, out) is None
    assert not out.exists()

    other = key("2025", "pages")
    store.keep(other, index(tmp_path / "site" / "b"))
    (tmp_path / "store" / f"{other}.json").unlink()
    assert store.take(other, tmp_path / "site3" / "b") is None


def test_indexes_unused_for_a_day_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    old, used, recent = key("2016", "p"), key("2017", "p"), key("2018", "p")
    first = SearchStore(folder)
    for name in (old, used, recent):
        first.keep(name, index(tmp_path / "site" / name))
    day_ago = time.time() - KEEP_SECONDS - 60
    for name in (old, used):
        os.utime(folder / f"{name}.json", (day_ago, day_ago))
    leftover = folder / ".abc.1.2.tmp"
    leftover.mkdir()
    os.utime(leftover, (day_ago, day_ago))

    later = SearchStore(folder)
    assert later.take(used, tmp_path / "site2" / "x") is not None
    later.prune()
    # The used key's folder is in the new site now (taken); its listing stays, marked used.
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{used}.json", recent, f"{recent}.json"]
    )
