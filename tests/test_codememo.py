"""The memos kept beside a cache by code version (codememo.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from committee_papers import codememo


def _as_code(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(codememo, "code_fingerprint", lambda: name * 16)


def test_the_newest_codes_keep_their_memo_and_older_ones_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for age, code in enumerate("abcd"):
        _as_code(monkeypatch, code)
        codememo.save(tmp_path, "memo-", {"by": code})
        # Written one after another, a second apart as far as the file system can tell.
        os.utime(codememo.path_for(tmp_path, "memo-"), (1_000 + age, 1_000 + age))
    _as_code(monkeypatch, "b")
    codememo.save(tmp_path, "memo-", {"by": "b again"})  # b writes last: now the newest
    kept = {}
    for code in "abcd":
        _as_code(monkeypatch, code)
        kept[code] = codememo.load(tmp_path, "memo-")
    assert kept == {"a": None, "b": {"by": "b again"}, "c": {"by": "c"}, "d": {"by": "d"}}
    assert len(list(tmp_path.glob("memo-*.pickle"))) == codememo.KEPT == 3


def test_two_codes_in_turn_each_find_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for build in range(4):
        for code in "xy":
            _as_code(monkeypatch, code)
            if build:
                assert codememo.load(tmp_path, "memo-") == {"by": code, "build": build - 1}
            codememo.save(tmp_path, "memo-", {"by": code, "build": build})
    assert codememo.load(tmp_path, "other-") is None
