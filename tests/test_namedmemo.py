"""Whom each paper names, kept between builds by its load key (namedmemo.py): the people
given pages are the ones walking every public string finds, build after build."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from support import AS_OF, DATA, loaded_with_keys

from committee_papers import namedmemo
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project


def projected(papers, memo=None):
    policy = Policy(papers, Audience.public, dt.date.fromisoformat(AS_OF))
    return project(papers, policy, memo)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def test_a_second_build_takes_whom_unchanged_papers_name(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    papers, origins = loaded_with_keys(data, cache)
    expected = set(projected(papers).people)
    assert expected

    first = namedmemo.load(cache, origins, papers.people)
    assert set(projected(papers, first).people) == expected
    assert first.walked > 0
    namedmemo.save(cache, first)

    papers, origins = loaded_with_keys(data, cache)  # the same files: every paper from the cache
    second = namedmemo.load(cache, origins, papers.people)
    assert set(projected(papers, second).people) == expected
    assert second.walked == 0
    written = namedmemo.path_for(cache).stat().st_mtime_ns
    namedmemo.save(cache, second)  # nothing new to keep: the file is not written again
    assert namedmemo.path_for(cache).stat().st_mtime_ns == written


def test_a_changed_paper_is_walked_again(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    people = data / "people.yml"
    people.write_text(
        people.read_text(encoding="utf-8")
        + "zara-quill: {name: Zara Quill, honorific: Cllr, kind: member, party: Independent,"
        " ward: Abbey}\n",
        encoding="utf-8",
    )
    papers, origins = loaded_with_keys(data, cache)
    memo = namedmemo.load(cache, origins, papers.people)
    assert "zara-quill" not in projected(papers, memo).people  # named by nothing yet
    walked_all = memo.walked
    namedmemo.save(cache, memo)
    # One meeting's minutes now name her: that meeting is walked again, and she is named.
    minutes = data / "meetings" / "2025-12-10-planning" / "minutes.yml"
    text = minutes.read_text(encoding="utf-8")
    assert "apologies: [harry-lim]" in text
    minutes.write_text(
        text.replace("apologies: [harry-lim]", "apologies: [harry-lim, zara-quill]"),
        encoding="utf-8",
    )

    papers, origins = loaded_with_keys(data, cache)
    memo = namedmemo.load(cache, origins, papers.people)
    assert "zara-quill" in projected(papers, memo).people
    assert 0 < memo.walked < walked_all
    assert set(projected(papers, memo).people) == set(projected(papers).people)


def test_other_people_or_a_damaged_file_mean_walking_everything(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    papers, origins = loaded_with_keys(data, cache)
    namedmemo.save(cache, _filled(papers, origins))
    fewer = dict(papers.people)
    fewer.pop(next(iter(fewer)))
    assert namedmemo.load(cache, origins, fewer).kept == {}
    assert namedmemo.load(cache, origins, papers.people).kept != {}
    namedmemo.path_for(cache).write_bytes(b"not a pickle")
    memo = namedmemo.load(cache, origins, papers.people)
    assert memo.kept == {}
    assert set(projected(papers, memo).people) == set(projected(papers).people)


def _filled(papers, origins) -> namedmemo.NamedMemo:
    memo = namedmemo.NamedMemo(origins, papers.people)
    projected(papers, memo)
    return memo
