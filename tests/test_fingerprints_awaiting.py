"""Frozen dataclasses' fingerprints given by another process when first needed
(pagecache.Fingerprints.awaiting): a re-build's fork sends the decisions register's."""

from __future__ import annotations

from dataclasses import dataclass

from committee_papers.pagecache import Fingerprints


@dataclass(frozen=True)
class _Decision:
    id: str


@dataclass
class _Note:
    text: str


def test_the_fingerprints_are_asked_for_once_just_before_the_first_frozen_one() -> None:
    decisions = [_Decision("a"), _Decision("b")]
    given = [b"\x01" * 16, b"\x02" * 16]
    prints = Fingerprints()
    asked: list[int] = []

    def take() -> None:
        asked.append(1)
        prints.take_frozen_prints(decisions, given)

    prints.awaiting(take, (_Decision,))
    prints.of(["text", 3, _Note("not frozen")])  # nothing frozen: not asked
    assert asked == []
    assert prints.of(decisions[1]) != Fingerprints().of(decisions[1])  # the one given
    assert asked == [1]
    assert prints._dataclass(decisions[0], 0) == given[0]
    prints.of(_Decision("c"))  # not given: made here, without asking again
    assert asked == [1]


def test_without_an_answer_the_fingerprints_are_made_here() -> None:
    prints = Fingerprints()
    prints.awaiting(lambda: None, (_Decision,))  # the fork did not answer
    decision = _Decision("a")
    assert prints.of(decision) == Fingerprints().of(decision)
