"""The public values of each paper as loaded, kept between builds (publicmemo.py): the
guard's secrets are those walking every public value finds, build after build, while an
unchanged paper is not walked again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import AS_OF, loaded_with_keys

from committee_papers import guard, publicmemo, secretsmemo
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project


def loaded(data: Path, cache: Path):
    """The full papers, the public ones and the load keys, as a build has them."""
    papers, origins = loaded_with_keys(data, cache)
    shown = project(papers, Policy(papers, Audience.public, dt.date.fromisoformat(AS_OF)))
    return papers, shown, origins


class Walks:
    """What each `_public_values` of a test gave (values walked, values taken by digest)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[guard.PublicValues] = []
        real = guard._public_values

        def counted(*args: object) -> guard.PublicValues:
            found = real(*args)  # type: ignore[arg-type]
            self.seen.append(found)
            return found

        monkeypatch.setattr(guard, "_public_values", counted)


def expected(data: Path, tmp_path: Path) -> guard.Secrets:
    """Every public value walked and searched: no memo of any kind."""
    full, shown, _ = loaded(data, tmp_path / "plain-load")
    return guard.secrets(full, shown, digested=True)


def test_unchanged_papers_are_taken_by_digest_with_the_same_secrets(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = expected(demo, tmp_path)
    assert plain.papers
    walks = Walks(monkeypatch)
    cache, memory = tmp_path / "load", tmp_path / "guard"

    full, shown, origins = loaded(demo, cache)
    first = guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    assert publicmemo.path_for(memory).is_file()
    full, shown, origins = loaded(demo, cache)  # the same files: new objects, same keys
    second = guard.secrets(full, shown, digested=True, memory=memory, origins=origins)

    assert first.papers == second.papers == plain.papers
    assert list(first.public) == list(second.public) == list(plain.public)
    walked_all, taken_again = walks.seen
    assert not walked_all.taken
    # Every report and every meeting with nothing withheld came from the memo.
    assert len(taken_again.walked) < len(walked_all.walked) / 2
    reports = {id(report) for report in shown.reports.values()}
    assert reports <= taken_again.shared.keys()


NEW_MEETING = """\
body: planning
date: 2026-11-18
start: "19:00"
venue: Council Chamber, Brackenford House
status: scheduled
clerk: ben-achebe
published: 2026-11-09
agenda:
  - {number: "1", kind: apologies}
  - number: "2"
    title: Planning applications
    description: %s
"""


def test_a_new_meeting_is_walked_and_what_it_makes_public_is_no_secret(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The everyday re-build: a new meeting's agenda quotes text a withheld paper holds,
    which makes that text public. The new meeting has a key the memo does not know, so
    its values are walked, not taken, and the secrets are those of walking everything."""
    cache, memory = tmp_path / "load", tmp_path / "guard"
    full, shown, origins = loaded(demo, cache)
    before = guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    secret = next(
        value
        for _, value in guard._withheld_candidates(full)
        if 20 < len(value) < 200
        and "\n" not in value
        and '"' not in value
        and guard.fragments(value) <= before.papers.keys()
    )
    folder = demo / "meetings" / "2026-11-18-planning"
    folder.mkdir()
    (folder / "meeting.yml").write_text(NEW_MEETING % f'"{secret}"', encoding="utf-8")

    plain = expected(demo, tmp_path)
    assert not guard.fragments(secret) & plain.papers.keys()  # public now
    walks = Walks(monkeypatch)
    full, shown, origins = loaded(demo, cache)
    assert "2026-11-18-planning" in shown.meetings
    after = guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    assert after.papers == plain.papers
    assert list(after.public) == list(plain.public)
    (taken,) = walks.seen  # taken from the memo, and nothing walked again after
    assert taken.taken and secret in taken.walked


def test_values_the_secrets_memo_lacks_mean_walking_everything(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values taken by digest are never searched: only the secrets memo, which searched
    them, can stand in. Without it (gone, or from another build) everything is walked."""
    cache, memory = tmp_path / "load", tmp_path / "guard"
    full, shown, origins = loaded(demo, cache)
    guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    (memory / secretsmemo.MEMO).unlink()

    plain = expected(demo, tmp_path)
    walks = Walks(monkeypatch)
    full, shown, origins = loaded(demo, cache)
    found = guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    assert found.papers == plain.papers
    assert list(found.public) == list(plain.public)
    tried, walked = walks.seen
    assert tried.taken and not walked.taken


def test_a_damaged_memo_means_walking_everything(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, memory = tmp_path / "load", tmp_path / "guard"
    full, shown, origins = loaded(demo, cache)
    guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    memo = publicmemo.path_for(memory)
    units = publicmemo.load(memory)
    assert units
    for damage in (b"not a pickle", memo.read_bytes()[: memo.stat().st_size // 2]):
        memo.write_bytes(damage)
        assert publicmemo.load(memory) == {}
    odd = {key: value[:-1] for key, value in units.items()}  # digests cut short
    publicmemo.save(memory, odd)
    assert publicmemo.load(memory) == {}

    plain = expected(demo, tmp_path)
    walks = Walks(monkeypatch)
    full, shown, origins = loaded(demo, cache)
    found = guard.secrets(full, shown, digested=True, memory=memory, origins=origins)
    assert found.papers == plain.papers
    assert [seen.taken for seen in walks.seen] == [set()]
