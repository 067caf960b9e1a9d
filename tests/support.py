"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: A small council for tests that change data one field at a time.
FIXTURE = ROOT / "tests" / "fixtures" / "council"
#: The demo is built as on this date, so tests do not change with the calendar.
AS_OF = "2026-11-23"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Builds in tests (and the `papers`/`mkdocs` commands they run) skip the PDF packs unless a
# test asks for them: the demo's packs are laid out once per session (conftest.py).
os.environ["PAPERS_PACKS"] = "false"
# Each test process keeps its page cache (pagecache.py) in a folder of its own, not in the
# project's .cache/pages: builds of many data copies would crowd it out.
# Removed when the process ends: a run of the suite left some 90 MB a worker behind.
# pytest-xdist's workers inherit the environment of the process that starts them, which
# loads this module too: folders it made (`_CACHES_OF` names its pid) are not a worker's.
# Shared, one worker's builds changed what another's reused, and a failure in one test
# showed in another's.
_CACHES_OF = "PAPERS_TEST_CACHES_OF"
_CACHES = (
    ("PAPERS_PAGE_CACHE", "papers-page-cache-"),
    ("PAPERS_GUARD_CACHE", "papers-guard-cache-"),
    ("PAPERS_SEARCH_CACHE", "papers-search-cache-"),
)
if os.environ.get(_CACHES_OF, str(os.getpid())) != str(os.getpid()):
    for _variable, _ in _CACHES:
        os.environ.pop(_variable, None)
for _variable, _prefix in _CACHES:
    if _variable not in os.environ:
        os.environ[_variable] = tempfile.mkdtemp(prefix=_prefix)
        os.environ[_CACHES_OF] = str(os.getpid())
        atexit.register(shutil.rmtree, os.environ[_variable], ignore_errors=True)


def build_site(
    site_dir: Path,
    *,
    data_dir: Path | None = None,
    audience: str = "public",
    as_of: str = AS_OF,
    packs: bool = False,
) -> Path:
    """Build like `papers build` into `site_dir` and return it (packs off unless asked: they
    are laid out once per session for the demo, see conftest.py)."""
    from committee_papers.mkdocs_plugin import build_site as build

    build(
        str(ROOT / "mkdocs.yml"),
        audience=audience,
        as_of=as_of,
        site_dir=str(site_dir),
        data_dir=str(data_dir) if data_dir else None,
        packs=packs,
    )
    return site_dir


def config_with_docs(tmp_path: Path, page: str, extra: str) -> Path:
    """A copy of mkdocs.yml whose hand-written docs include `extra` on `page`."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / page).write_text((docs / page).read_text() + "\n" + extra + "\n")
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = config.replace("include_dir: macros", f"include_dir: {ROOT / 'macros'}")
    target = tmp_path / "mkdocs.yml"
    target.write_text(f"docs_dir: {docs}\n" + config)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` by `new` in a file; return the line number where the change is."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def copy_data(target: Path, source: Path = FIXTURE) -> Path:
    """A private copy of a council's data (the small fixture by default) that a test may change."""
    shutil.copytree(source, target)
    return target


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


def mkdocs_build(site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the project's mkdocs.yml, as a council would run it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


def papers_command(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the `papers` command as a clerk would, capturing what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "committee_papers.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def file_digests(folder: Path) -> dict[str, str]:
    """Every file of a built site by its path, with the SHA-256 of its bytes: two builds are
    the same when these are equal."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def forks_started(kind: type, monkeypatch: Any) -> list[int]:
    """The pids of the forks each object of `kind` starts (as its `child`), from now on
    (e.g. loadfork.Fork: a load's fork); `monkeypatch` is the test's."""
    pids: list[int] = []
    start = kind.__init__

    def recorded(self: Any, *args: Any) -> None:
        start(self, *args)
        pids.append(self.child.pid)

    monkeypatch.setattr(kind, "__init__", recorded)
    return pids


def loaded_with_keys(data: Path, cache: Path) -> tuple[Any, dict[int, tuple[Any, bytes]]]:
    """The papers of `data` through the load cache in `cache`, with each paper's load key
    (load.origins), as a build has them for the memos kept by those keys."""
    from committee_papers.load import load_with_problems

    papers, problems, sources = load_with_problems(data, cache)
    assert papers is not None, problems
    return papers, sources.origins
