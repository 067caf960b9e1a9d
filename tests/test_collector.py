"""A build holds off the collector's full collections, and gives the thresholds back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from support import FIXTURE, build_site, copy_data, edit

from committee_papers import collector
from committee_papers.sitefinish import SiteFinish


def test_a_build_holds_off_full_collections_and_gives_the_thresholds_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    stored = SiteFinish._stored_pages  # called once the pages are drawn
    monkeypatch.setattr(
        SiteFinish,
        "_stored_pages",
        lambda self, *args: during.append(gc.get_threshold()) or stored(self, *args),
    )
    build_site(tmp_path / "site", data_dir=copy_data(tmp_path / "data", FIXTURE))
    assert during == [(before[0], before[1], collector.HELD)]
    assert gc.get_threshold() == before


def test_a_failed_build_gives_the_thresholds_back(tmp_path: Path) -> None:
    before = gc.get_threshold()
    data = copy_data(tmp_path / "data", FIXTURE)
    edit(data / "site.yml", "council:", "council: [unclosed")
    with pytest.raises(SystemExit):
        build_site(tmp_path / "site", data_dir=data)
    assert gc.get_threshold() == before
