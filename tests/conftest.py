"""Shared fixtures: the demo council built once per test session, parsed with BeautifulSoup."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from committee_papers.load import load
from committee_papers.model import Papers

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: The demo is built as on this date, so tests do not change with the calendar.
AS_OF = "2026-11-23"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_site(
    site_dir: Path, *, data_dir: Path | None = None, audience: str = "public", as_of: str = AS_OF
) -> Path:
    """Build like `papers build` into `site_dir` and return it."""
    from committee_papers.mkdocs_plugin import build_site as build

    build(
        str(ROOT / "mkdocs.yml"),
        audience=audience,
        as_of=as_of,
        site_dir=str(site_dir),
        data_dir=str(data_dir) if data_dir else None,
    )
    return site_dir


def copy_data(target: Path) -> Path:
    """A private copy of the demo data that a test may change."""
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def papers() -> Papers:
    return load(DATA)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("demo") / "site")


class Site:
    """A built site: read its pages as parsed HTML by URL."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, url: str) -> Path:
        url = url.strip("/")
        return self.root / url / "index.html" if not url.endswith(".html") else self.root / url

    def page(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "lxml")

    def article(self, url: str) -> BeautifulSoup:
        return self.page(url).select_one("article")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def site(demo_site: Path) -> Site:
    return Site(demo_site)
