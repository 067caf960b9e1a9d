"""How work is cut into shares for forks: runs in order (placing files), or dealt in turn
(the guard's reading)."""

from __future__ import annotations

import pytest

from committee_papers import forked


@pytest.mark.parametrize("length", [0, 1, 3, 4, 5, 17, 45_332])
@pytest.mark.parametrize("count", [1, 2, 4])
def test_runs_keep_the_order_and_every_item_once(length: int, count: int) -> None:
    items = list(range(length))
    runs = forked.runs(items, count)
    assert [item for run in runs for item in run] == items
    assert len(runs) <= count and all(runs)
    # One size, the last run shorter at most: no fork gets twice another's share.
    assert len({len(run) for run in runs[:-1]}) <= 1
    assert not runs or len(runs[-1]) <= len(runs[0])


def test_four_runs_of_ten_pages() -> None:
    assert forked.runs(list("abcdefghij"), 4) == [
        ["a", "b", "c"],
        ["d", "e", "f"],
        ["g", "h", "i"],
        ["j"],
    ]


@pytest.mark.parametrize("length", [0, 1, 2, 5, 150_001])
def test_dealt_gives_every_item_once_in_turn(length: int) -> None:
    items = list(range(length))
    hands = forked.dealt(items, 2)
    assert sorted(item for hand in hands for item in hand) == items
    assert len(hands) == min(2, length)
    assert all(hand == items[start::2] for start, hand in enumerate(hands))
    if length >= 2:
        assert abs(len(hands[0]) - len(hands[1])) <= 1
