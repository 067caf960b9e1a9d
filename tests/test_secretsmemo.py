"""The secrets step's memo (secretsmemo.py): a re-build finds exactly the secrets that
searching every public value finds, while searching only what changed."""

from __future__ import annotations

import datetime as dt
import random
from array import array
from dataclasses import replace
from pathlib import Path

import pytest
from support import AS_OF, DATA

from committee_papers import guard, guardrecord, leakmatch, secretsmemo
from committee_papers.load import load
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project


def searched(candidates: dict[str, str], values: list[str]) -> dict[str, str]:
    """The secrets of `candidates` by searching every value: no memo."""
    everything = leakmatch.Matcher(list(candidates))
    found: set[str] = set()
    for chunk in guard._chunks(sorted(values)):
        found |= everything.find(guard._public_text(chunk))
    return {fragment: paper for fragment, paper in candidates.items() if fragment not in found}


def candidates_of(withheld: list[str]) -> dict[str, str]:
    return {f: f"paper {n}" for n, value in enumerate(withheld) for f in guard.fragments(value)}


class Spy:
    """What the memo path did: searched everything, read the kept text, compiled what."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.everything = 0
        self.kept_text_read = 0
        self.compiled: list[int] = []
        searched_all, text, engine = guard._searched_all, secretsmemo.text, leakmatch._engine

        def count_all(*args: object) -> guard.Secrets:
            self.everything += 1
            return searched_all(*args)  # type: ignore[arg-type]

        def count_text(*args: object) -> object:
            self.kept_text_read += 1
            return text(*args)  # type: ignore[arg-type]

        def count_engine(patterns: list[bytes], ids: list[int]) -> object:
            self.compiled.append(len(patterns))
            return engine(patterns, ids)

        monkeypatch.setattr(guard, "_searched_all", count_all)
        monkeypatch.setattr(secretsmemo, "text", count_text)
        monkeypatch.setattr(leakmatch, "_engine", count_engine)


PUBLIC = [
    "Members noted the report on parking charges in the town centre.",
    "The leisure centre will open longer hours from April.",
    "Apologies were received from Councillor Ahmed.",
]
WITHHELD = ["Acme Builders Ltd", "Riverside Depot sale", "parking charges", "Price: 4.2 million."]


def remembered(candidates: dict[str, str], values: list[str], memory: Path) -> dict[str, str]:
    found = guard._remembered(candidates, sorted(set(values)), memory)
    assert found.find(guard._public_text(sorted(values))) == set()  # none of them is public
    return found.papers


def test_a_rebuild_with_more_public_values_searches_only_those(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidates = candidates_of(WITHHELD)
    first = remembered(candidates, PUBLIC, tmp_path)
    assert first == searched(candidates, PUBLIC)
    assert "parking charges" not in first and "acme builders ltd" in first

    spy = Spy(monkeypatch)
    # A value added since (a report published) names the contractor: no longer a secret.
    more = [*PUBLIC, "The contract was awarded to Acme Builders Ltd after a tender."]
    second = remembered(candidates, more, tmp_path)
    assert second == searched(candidates, more)
    assert "acme builders ltd" not in second and "riverside depot sale" in second
    # Only the added value was searched, with the kept automaton: nothing compiled, the
    # kept text not read (no fragment is new).
    assert spy.everything == 0 and spy.kept_text_read == 0
    assert len(spy.compiled) == 1  # searched() compiles its own: that one, nothing else


def test_a_rebuild_s_public_digests_are_every_value_s_in_order(tmp_path: Path) -> None:
    # The re-build puts the added values' digests among the memo's (guard._grown) rather
    # than sorting them all: the same array as the first build's long way gives.
    candidates = candidates_of(WITHHELD)
    guard._remembered(candidates, sorted(set(PUBLIC)), tmp_path)
    more = sorted({*PUBLIC, "A new bus shelter on Mill Lane.", "Budget monitoring, quarter 2."})
    found = guard._remembered(candidates, more, tmp_path)
    assert found.public is not None
    assert found.public.tolist() == sorted(set(guardrecord.value_digests(more)))


def test_values_taken_by_digest_the_memo_never_searched_are_refused(tmp_path: Path) -> None:
    # Values known by digest only (publicmemo.py) must all be among the memo's, which
    # searched their text; one it never saw cannot stand as searched: the answer is None
    # (the caller walks everything), whether or not the memo's are all public still.
    candidates = candidates_of(WITHHELD)
    guard._remembered(candidates, sorted(set(PUBLIC)), tmp_path)
    kept = set(guardrecord.value_digests(PUBLIC[:1]))
    unseen = set(guardrecord.value_digests(["A value no build searched."]))
    rest = sorted(set(PUBLIC[1:]))
    assert guard._remembered(candidates, rest, tmp_path, taken=kept) is not None
    assert guard._remembered(candidates, rest, tmp_path, taken=kept | unseen) is None
    assert guard._remembered(candidates, rest[1:], tmp_path, taken=kept | unseen) is None


@pytest.mark.parametrize("added", [0, 1, 7, 300])
def test_grown_is_the_sorted_union(added: int) -> None:
    rng = random.Random(added)
    old = sorted({rng.randrange(1, (1 << 64) - 1) for _ in range(2_000)})
    new = {rng.randrange(1, (1 << 64) - 1) for _ in range(added)} - set(old)
    # At the ends too: before the first digest and after the last.
    if added:
        new |= {0, (1 << 64) - 1}
    merged = guard._grown(array("Q", old), new)
    assert merged.tolist() == sorted({*old, *new})


def test_a_fragment_never_looked_for_is_looked_for_in_the_kept_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remembered(candidates_of(WITHHELD), PUBLIC, tmp_path)
    spy = Spy(monkeypatch)
    # New withheld text: one piece of it is in a value public since the first build.
    candidates = candidates_of([*WITHHELD, "the leisure centre", "Harbour wall repairs"])
    found = remembered(candidates, PUBLIC, tmp_path)
    assert found == searched(candidates, PUBLIC)
    assert "the leisure centre" not in found and "harbour wall repairs" in found
    assert spy.everything == 0 and spy.kept_text_read == 1


def test_a_public_value_gone_searches_everything_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidates = candidates_of(WITHHELD)
    remembered(candidates, PUBLIC, tmp_path)
    spy = Spy(monkeypatch)
    fewer = PUBLIC[1:]  # the report on parking charges withdrawn
    found = remembered(candidates, fewer, tmp_path)
    assert found == searched(candidates, fewer)
    assert "parking charges" in found
    assert spy.everything == 1


def test_kept_text_is_joined_and_a_damaged_memo_searches_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secretsmemo, "MAX_SEGMENTS", 2)
    values = list(PUBLIC)
    candidates = candidates_of(WITHHELD)
    for n in range(5):
        values.append(f"Item {n}: the minutes of meeting {n} were approved.")
        candidates = candidates_of([*WITHHELD, f"minutes of meeting {n}", f"Secret plan {n}"])
        assert remembered(candidates, values, tmp_path) == searched(candidates, values)
        memo = secretsmemo.load(tmp_path)
        assert memo is not None and len(memo.segments) <= 2
    named = {p.name for p in tmp_path.iterdir()}
    assert len([n for n in named if n.startswith("secrets-text-")]) == len(memo.segments)

    (tmp_path / memo.segments[0]).unlink()
    assert secretsmemo.load(tmp_path) is None
    spy = Spy(monkeypatch)
    assert remembered(candidates, values, tmp_path) == searched(candidates, values)
    assert spy.everything == 1


def test_the_demo_s_secrets_are_the_same_with_the_memo_build_after_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = load(DATA)
    shown = project(full, Policy(full, Audience.public, dt.date.fromisoformat(AS_OF)))
    plain = guard.secrets(full, shown)
    first = guard.secrets(full, shown, memory=tmp_path)
    spy = Spy(monkeypatch)
    again = guard.secrets(full, shown, memory=tmp_path)
    assert plain.papers == first.papers == again.papers
    assert plain.papers
    assert spy.everything == 0 and spy.compiled == []  # the kept automaton, loaded


def test_a_memo_that_cannot_be_written_or_read_costs_only_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo only saves work: a folder that cannot be written, or a kept file removed
    while it is read (another build sharing the folder), means searching everything."""
    full = load(DATA)
    shown = project(full, Policy(full, Audience.public, dt.date.fromisoformat(AS_OF)))
    plain = guard.secrets(full, shown)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    assert guard.secrets(full, shown, memory=not_a_folder).papers == plain.papers

    memory = tmp_path / "memo"
    guard.secrets(full, shown, memory=memory)
    kept = secretsmemo.load(memory)
    assert kept is not None
    read: list[str] = []

    def gone(*args: object) -> object:
        read.append("kept text")
        raise FileNotFoundError("removed by another build")

    # Every fragment new to the memo, so its kept text is read: and it is gone.
    monkeypatch.setattr(secretsmemo, "load", lambda folder: replace(kept, checked=frozenset()))
    monkeypatch.setattr(secretsmemo, "text", gone)
    assert guard.secrets(full, shown, memory=memory).papers == plain.papers
    assert read == ["kept text"]
