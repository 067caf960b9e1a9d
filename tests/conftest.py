"""Shared fixtures: the demo council built once per test session, parsed with BeautifulSoup."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import AS_OF, DATA, ROOT, Site, build_site, copy_data  # noqa: F401

from committee_papers.load import load
from committee_papers.model import Papers


@pytest.fixture(scope="session")
def papers() -> Papers:
    return load(DATA)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The one test build with packs: the demo's PDFs and the page ranges on its agendas.
    return build_site(tmp_path_factory.mktemp("demo") / "site", packs=True)


@pytest.fixture(scope="session")
def site(demo_site: Path) -> Site:
    return Site(demo_site)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A private copy of the demo council's data (twenty meetings) that a test may change."""
    return copy_data(tmp_path / "demo", DATA)
