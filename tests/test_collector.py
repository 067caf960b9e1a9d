"""A build runs with the cycle collector off until it draws many pages, and gives it back
as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from support import FIXTURE, build_site, copy_data, edit

from committee_papers import collector
from committee_papers.sitefinish import SiteFinish


def _during(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, int, int], bool]]:
    """The collector's thresholds, and whether it is on, once the pages are drawn."""
    during: list[tuple[tuple[int, int, int], bool]] = []
    stored = SiteFinish._stored_pages  # called once the pages are drawn
    monkeypatch.setattr(
        SiteFinish,
        "_stored_pages",
        lambda self, *args: (
            during.append((gc.get_threshold(), gc.isenabled())) or stored(self, *args)
        ),
    )
    return during


def test_a_build_drawing_few_pages_never_collects_and_gives_the_collector_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_threshold()
    assert gc.isenabled()
    during = _during(monkeypatch)
    collections: list[int] = []

    def callback(phase: str, info: dict[str, int]) -> None:  # while the build holds it
        if gc.get_threshold()[2] == collector.HELD:
            collections.append(info["generation"])

    gc.callbacks.append(callback)
    try:
        build_site(tmp_path / "site", data_dir=copy_data(tmp_path / "data", FIXTURE))
    finally:
        gc.callbacks.remove(callback)
    assert during == [((before[0], before[1], collector.HELD), False)]
    assert collections == []
    assert gc.get_threshold() == before and gc.isenabled()


def test_a_build_drawing_many_pages_collects_young_cycles_while_it_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_threshold()
    monkeypatch.setattr(collector, "DRAWN_FREELY", 1)
    during = _during(monkeypatch)
    build_site(tmp_path / "site", data_dir=copy_data(tmp_path / "data", FIXTURE))
    assert during == [((before[0], before[1], collector.HELD), True)]
    assert gc.get_threshold() == before and gc.isenabled()


def test_a_collector_off_before_the_build_stays_off(tmp_path: Path) -> None:
    gc.disable()
    try:
        held = collector.hold()
        assert not collector.drawing(held, 10 * collector.DRAWN_FREELY)
        collector.release(held)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_build_gives_the_collector_back(tmp_path: Path) -> None:
    before = gc.get_threshold()
    data = copy_data(tmp_path / "data", FIXTURE)
    edit(data / "site.yml", "council:", "council: [unclosed")
    with pytest.raises(SystemExit):
        build_site(tmp_path / "site", data_dir=data)
    assert gc.get_threshold() == before and gc.isenabled()


def test_much_made_while_the_collector_was_off_is_frozen_before_it_is_on_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its first young collection would walk all of it: millions of objects, 1.2 s once a
    re-build of ten years of papers had given the collector back."""
    monkeypatch.setattr(collector, "FREEZE_AFTER", 1000)
    frozen = gc.get_freeze_count()
    held = collector.hold()
    try:
        kept = [[n] for n in range(5000)]
    finally:
        collector.release(held)
    try:
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
