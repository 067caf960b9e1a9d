"""Files other than pages, made from the same papers: feeds, calendars, open data, PDFs.

Each output module offers a generator `files(papers, policy) -> Iterable[OutputFile]`,
where `papers` is what the audience may see. The adapter writes them into the site folder
before the leak guard reads every file, so an output is checked like a page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Papers
    from ..policy import Policy


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site, at `path` relative to the site root."""

    path: str
    data: bytes


Generator = Callable[["Papers", "Policy"], Iterable[OutputFile]]

#: Every output generator, in the order they run. Each module adds itself here.
GENERATORS: list[Generator] = []


def all_files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    for generate in GENERATORS:
        yield from generate(papers, policy)


def write(site_dir: Path, files: Iterable[OutputFile]) -> int:
    """Write `files` below `site_dir`, refusing paths that would leave it; return the count."""
    root = site_dir.resolve()
    count = 0
    for item in files:
        target = (root / item.path).resolve()
        if root not in target.parents:
            raise ValueError(f"output path {item.path!r} is outside the site")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Replaced, never written in place: a file of the site may be a hard link to the
        # page cache's copy (pagecache.PageCache.place) or to the live site's.
        target.unlink(missing_ok=True)
        target.write_bytes(item.data)
        count += 1
    return count


#: The output modules, imported here (at the end: they import this) so that each appends its
#: generator to GENERATORS.
MODULES = (
    "earlier_minutes",
    "images",
    "calendars",
    "feeds",
    "opendata",
    "robots",
)
for _name in MODULES:
    importlib.import_module(f"{__name__}.{_name}")
