"""The fragments of each withheld value, kept between builds (fragmentsmemo.py): the
guard's secrets are those cutting every value finds, build after build, while a value seen
before is not cut again."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_publicmemo import expected, loaded

from committee_papers import fragmentsmemo, guard


class Cuts:
    """The values `guard.fragments` cut in a test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.values: list[str] = []
        real = guard.fragments

        def counted(value: str) -> set[str]:
            self.values.append(value)
            return real(value)

        monkeypatch.setattr(guard, "fragments", counted)


def secrets_of(data: Path, cache: Path, memory: Path) -> guard.Secrets:
    full, shown, origins = loaded(data, cache)
    return guard.secrets(full, shown, digested=True, memory=memory, origins=origins)


def test_values_seen_before_are_not_cut_again_and_the_secrets_are_the_same(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = expected(demo, tmp_path)
    assert plain.papers
    cache, memory = tmp_path / "load", tmp_path / "guard"
    cuts = Cuts(monkeypatch)
    first = secrets_of(demo, cache, memory)
    cut_first = len(cuts.values)
    assert cut_first and fragmentsmemo.load(memory)
    second = secrets_of(demo, cache, memory)

    assert first.papers == second.papers == plain.papers
    assert len(cuts.values) == cut_first  # nothing cut the second time
    kept = fragmentsmemo.load(memory)
    assert all(list(cut) == sorted(cut) for cut in kept.values())


def test_a_changed_withheld_value_is_cut_again(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Part 2 report's text edited: its new value has a digest the memo does not know,
    so it is cut, and its new words are secret; the memo keeps this build's values only."""
    cache, memory = tmp_path / "load", tmp_path / "guard"
    before = secrets_of(demo, cache, memory)
    report = demo / "meetings" / "2026-01-28-audit-governance" / "debt-write-off-jan-2026.md"
    words = "The Quillborough embankment resurfacing estimate stands at the figure agreed."
    report.write_text(report.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")
    plain = expected(demo, tmp_path)
    new = {fragment for fragment in plain.papers if "quillborough" in fragment}
    assert new and not new & before.papers.keys()

    cuts = Cuts(monkeypatch)
    after = secrets_of(demo, cache, memory)
    assert after.papers == plain.papers
    assert cuts.values and all("Quillborough" in value for value in cuts.values)
    full = loaded(demo, cache)[0]
    now = guard.guardrecord.value_digests(v for _, v in guard._withheld_candidates(full))
    assert set(fragmentsmemo.load(memory)) <= set(now)


def test_a_damaged_memo_means_cutting_every_value(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, memory = tmp_path / "load", tmp_path / "guard"
    plain = expected(demo, tmp_path)
    secrets_of(demo, cache, memory)
    memo = fragmentsmemo.codememo.path_for(memory, fragmentsmemo._PREFIX)
    kept = fragmentsmemo.load(memory)
    assert kept
    for damage in (b"not a pickle", memo.read_bytes()[: memo.stat().st_size // 2]):
        memo.write_bytes(damage)
        assert fragmentsmemo.load(memory) == {}
    digest = next(iter(kept))
    fragmentsmemo.save(memory, {**kept, digest: ["a list", "not a tuple"]})  # type: ignore[dict-item]
    assert fragmentsmemo.load(memory) == {}

    cuts = Cuts(monkeypatch)
    found = secrets_of(demo, cache, memory)
    assert found.papers == plain.papers
    assert len(set(cuts.values)) == len(kept)  # every value cut again
    assert fragmentsmemo.load(memory) == kept
