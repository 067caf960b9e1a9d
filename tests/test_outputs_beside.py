"""Output files put in place by a fork while they are made (outputs/beside.py): the same
files, the same links, whether the fork answers, cannot link, or is lost halfway."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from committee_papers import forked, outputs
from committee_papers.outputs import OutputFile, beside

pytestmark = pytest.mark.skipif(not forked.available(), reason="no fork on this system")


def sources(tmp_path: Path, count: int) -> Iterator[OutputFile]:
    """`count` files linked from kept copies, one written from bytes, a later file replacing
    an earlier one's path, and one from a temporary file removed as soon as the next file is
    asked for (as `api/all.json` is), with files after it."""
    kept = tmp_path / "kept"
    kept.mkdir()
    for n in range(count):
        copy = kept / f"{n}.json"
        copy.write_bytes(b'{"n": %d}' % n)
        # As a file made now comes from the page cache: its bytes and its kept copy.
        yield OutputFile(f"api/items/{n}.json", copy.read_bytes() if n % 2 else b"", copy)
    yield OutputFile("feed.xml", b"<feed/>")
    yield OutputFile("api/items/0.json", b'{"n": "replaced"}')
    bulk = tmp_path / "all.json"
    bulk.write_bytes(b'{"all": true}')
    yield OutputFile("api/all.json", b"", bulk, transient=True)
    bulk.unlink()
    yield OutputFile("api/items/1.json", b"", kept / "2.json")


def tree(site: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_nlink)
        for p in site.rglob("*")
        if p.is_file()
    }


def written(tmp_path: Path, name: str, fork: beside.Beside | None) -> tuple[dict, dict]:
    site = tmp_path / name
    site.mkdir()
    linked: dict[str, Path] = {}
    assert outputs.write(site, sources(tmp_path / f"{name}-sources", 1_500), linked, fork) == 1_504
    return tree(site), {path: source.name for path, source in linked.items()}


def test_a_fork_puts_the_same_files_in_place(tmp_path: Path) -> None:
    (tmp_path / "plain-sources").mkdir()
    (tmp_path / "forked-sources").mkdir()
    plain = written(tmp_path, "plain", None)
    assert plain[0]["api/items/0.json"] == (b'{"n": "replaced"}', 1)
    assert plain[0]["api/items/3.json"][1] == 2  # a link to its kept copy
    assert plain[0]["api/items/1.json"] == (b'{"n": 2}', 3)  # replaced by another's
    assert plain[0]["api/all.json"] == (b'{"all": true}', 1)
    assert "api/items/0.json" not in plain[1] and "api/items/3.json" in plain[1]
    fork = outputs.fork_writer()
    assert written(tmp_path, "forked", fork) == plain
    # A file linked from its copy is kept without its bytes until the fork answers (ten
    # years of open data made afresh would hold some 200 MB).
    assert fork is not None
    assert all(not data for _, _, source, data in fork.operations if source is not None)


def test_what_the_fork_cannot_link_it_copies_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "copied-sources").mkdir()

    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError("another file system")

    monkeypatch.setattr(os, "link", no_link)  # before the fork: the fork's os.link fails
    files, linked = written(tmp_path, "copied", outputs.fork_writer())
    assert linked == {}
    assert files["api/items/3.json"] == (b'{"n": 3}', 1)


def test_a_fork_lost_halfway_has_everything_done_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plain-sources").mkdir()
    (tmp_path / "lost-sources").mkdir()
    plain = written(tmp_path, "plain", None)
    parent, real, done_here = os.getpid(), beside.apply, []

    def apply(operation: beside.Operation) -> bool:
        if os.getpid() != parent and operation[0] == "api/items/700.json":
            os._exit(1)  # the fork killed halfway
        if os.getpid() == parent:
            done_here.append(operation[0])
        return real(operation)

    monkeypatch.setattr(beside, "apply", apply)
    assert written(tmp_path, "lost", outputs.fork_writer()) == plain
    # Every file before the temporary one again, in order, here (those after it are put in
    # place here anyway, by the same function as imported by outputs).
    assert len(done_here) == 1_502


def test_outputs_that_fail_end_the_fork(tmp_path: Path) -> None:
    fork = outputs.fork_writer()
    assert fork is not None

    def failing() -> list[OutputFile]:
        yield OutputFile("a.json", b"{}")
        raise RuntimeError("a generator failed")

    with pytest.raises(RuntimeError):
        outputs.write(tmp_path, failing(), {}, fork)
    assert not fork._fork._process.is_alive()
