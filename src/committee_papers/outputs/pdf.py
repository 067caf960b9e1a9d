"""Rendering HTML to tagged PDF with WeasyPrint, once per content, on every core.

A pack is laid out before the meeting pages are drawn, because the agenda on the web page
prints the page ranges the layout produced. Layout is the slow part of a build, so each
rendering is cached under a hash of everything that decides its bytes (the HTML with its
CSS, the images it loads, WeasyPrint's version): a meeting whose papers did not change is
never laid out again. Renderings that are not cached run in parallel, one process per core.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class PdfJob:
    """One document to render: its HTML, where relative images are found, its first page."""

    name: str
    html: str
    base_url: str = ""
    first_page: int = 1
    #: Lay out only, for the page count and anchors: no PDF is written (a probe, see packs.py).
    layout_only: bool = False

    def key(self) -> str:
        """The cache key: a hash of everything the PDF's bytes depend on."""
        digest = hashlib.sha256()
        variant = "layout" if self.layout_only else PDF_VARIANT
        for part in (_weasyprint_version(), variant, str(self.first_page), self.html):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(_images_digest(self.html, self.base_url))
        return digest.hexdigest()


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF and what its layout says: page count and the page number of every anchor."""

    data: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)
    cached: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


def render(job: PdfJob) -> RenderedPdf:
    """Lay out `job` once and write it as PDF/UA-1, reading anchors' pages from the layout."""
    from weasyprint import HTML

    document = HTML(string=job.html, base_url=job.base_url or None).render()
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors or {}:
            anchors.setdefault(name, job.first_page + index)
    data = b"" if job.layout_only else document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(data, len(document.pages), anchors)


class PdfCache:
    """Rendered PDFs on disk by content hash: `<key>.pdf` with `<key>.json` (pages, anchors).

    A layout-only job keeps its `<key>.json` alone.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One build renders into the cache at a time; the next then finds the PDFs there."""
        if self.folder is None:
            yield
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def get(self, key: str, layout_only: bool = False) -> RenderedPdf | None:
        if self.folder is None:
            return None
        pdf, meta = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        if not (meta.is_file() and (layout_only or pdf.is_file())):
            return None
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            data = b"" if layout_only else pdf.read_bytes()
            return RenderedPdf(data, int(info["pages"]), info["anchors"], True)
        except (OSError, ValueError, KeyError):
            return None

    def put(self, key: str, rendered: RenderedPdf) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({"pages": rendered.pages, "anchors": rendered.anchors}, sort_keys=True)
        files = [(".json", meta.encode("utf-8"))]
        if rendered.data:
            files.insert(0, (".pdf", rendered.data))
        # Written beside and renamed (the PDF first), so a parallel build never reads half a file.
        for suffix, data in files:
            temp = self.folder / f"{key}{suffix}.{os.getpid()}.tmp"
            temp.write_bytes(data)
            os.replace(temp, self.folder / f"{key}{suffix}")


Progress = Callable[[str, RenderedPdf], None]


def render_all(
    jobs: Sequence[PdfJob],
    cache: PdfCache,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> dict[str, RenderedPdf]:
    """Render every job (cached ones are read back), in parallel on `workers` processes.

    `progress` hears of every PDF made or read back; layout-only jobs are not reported.
    """
    with cache.locked():
        return _render_all(jobs, cache, workers, progress)


def _render_all(
    jobs: Sequence[PdfJob], cache: PdfCache, workers: int | None, progress: Progress | None
) -> dict[str, RenderedPdf]:
    results: dict[str, RenderedPdf] = {}
    todo: list[tuple[PdfJob, str]] = []
    for job in jobs:
        key = job.key()
        found = cache.get(key, job.layout_only)
        if found is None:
            todo.append((job, key))
        else:
            results[job.name] = found
            if progress and not job.layout_only:
                progress(job.name, found)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    if workers > 1:
        todo = largest_first(todo)
    if workers == 1:
        rendered_list = (render(job) for job, _ in todo)
    else:
        # Spawned, not forked: a forked worker would inherit the build's lock on the output
        # folder and hold it after a killed build.
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
        rendered_list = pool.map(render, [job for job, _ in todo])
    try:
        for (job, key), rendered in zip(todo, rendered_list, strict=True):
            cache.put(key, rendered)
            results[job.name] = rendered
            if progress and not job.layout_only:
                progress(job.name, rendered)
    finally:
        if workers > 1:
            pool.shutdown()
    return {job.name: results[job.name] for job in jobs}


def largest_first(todo: list[tuple[PdfJob, str]]) -> list[tuple[PdfJob, str]]:
    """Jobs in the order workers should take them: longest HTML first, so that a big pack
    does not start last and keep one core busy while the other waits (results are returned
    in the jobs' own order whatever this order is)."""
    return sorted(todo, key=lambda pair: (-len(pair[0].html), pair[0].name))


@functools.cache
def _weasyprint_version() -> str:
    """WeasyPrint's version without importing it (the import takes seconds)."""
    return importlib.metadata.version("weasyprint")


def _images_digest(html: str, base_url: str) -> bytes:
    """A hash of the local images the HTML loads (a changed logo changes the PDF)."""
    import re

    digest = hashlib.sha256()
    if base_url:
        root = Path(base_url)
        for src in sorted(set(re.findall(r'<img[^>]+src="([^":]+)"', html))):
            path = root / src
            if path.is_file():
                digest.update(src.encode("utf-8") + path.read_bytes())
    return digest.digest()


def human_size(size: int) -> str:
    """'84 KB' or '1.2 MB', as download links print a file's size."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
