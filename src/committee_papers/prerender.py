"""Generated pages drawn on two cores.

MkDocs 1.6 builds a site on one core in two passes: every page's content, then every page's
theme. At 100 meetings the engine's HTML of a page (Jinja macros, Markdown with numbered
paragraphs) costs about as much as material's theme around it, so a second core halves the
pages step.

Where the system can fork, `BothEnds` splits the pages whole: once MkDocs has read every
page, a fork of the build draws pages (content, theme, file) from the last backwards while
the build process draws them from the first forwards (its class says how). Elsewhere
`PageHtml` splits only the engine's HTML, as described below, and the theme of every page
is drawn by the build process: at ten years that left a core idle for the last 25 s of the
pages step, which `BothEnds` fills.

In `PageHtml`, a worker process renders the pages from the last one backwards; the build
process renders from the first one forwards, as MkDocs asks for each page, and takes a page
from the worker when the worker has made it. The two meet in the middle, so neither waits
for the other.

The worker is spawned (`PageHtml` serves only where the system cannot fork) and rebuilds
the renderer from the projected papers (`RenderInputs`): about a second of CPU at 100
meetings, growing with the archive, importing the package, unpickling the papers and
compiling the templates again, which a fork (`BothEnds`) does not spend.

With the page cache on (the default), every page drawn must come with its record of reads
(tracing.py), or it could not be kept. The worker then draws as the build process does,
through a PageCache of its own that loads and keeps nothing, over its copy of the papers,
and hands back each page's HTML with that record. A record is a tuple of read keys
and content fingerprints, the same in either process, so the build process keeps the page
exactly as if it had drawn it. Pages the cache serves are never given to the worker.

The worker runs far ahead of the build process (it made 36,000 of 45,000 pages at ten
years), so its pages wait for their turn: each waits in one spool file the worker appends
to, and only its place there and record of reads in memory (held as strings, they were some
300 MB of the build's peak at ten years). The page is read from its place when its turn
comes; the file goes when the pages step ends. One file, not a file a page: on a file
system without a journal each file made and removed makes every later file of the build
dearer to create (scratch.py says why).

Whichever process renders a page, its HTML is the same function of the same data, so the
bytes of the site do not depend on timing (tests/test_prerender.py builds with and without
the worker and compares every file). A worker that fails or dies only means the build
process renders the rest itself, and so reports any error exactly as without a worker.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import forked, jinjacache
from .model import Papers
from .pages import PageSpec, page_specs
from .policy import Policy
from .render import Renderer

#: Below this many pages a worker's start (about a second) costs more than it saves.
MIN_PAGES = 300
#: `PAPERS_PAGE_WORKERS=0` turns the worker off, `1` forces it on (tests use both).
ENV_WORKERS = "PAPERS_PAGE_WORKERS"
#: The worker's recorder loads no cache index: a folder that does not exist loads nothing
#: (PageCache only reads its folder when it is made, and writes it only in keep and save,
#: which the worker never calls).
_NO_FOLDER = Path("/nonexistent/committee-papers-worker")
#: What a page's drawing gives: its engine HTML and its record of reads (None when the
#: page cache is off and nothing is recorded).
Drawn = tuple[str, Any]
#: How long the build process waits for one page from a worker before checking it is alive.
_POLL_S = 1.0


@dataclass(frozen=True)
class RenderInputs:
    """Everything a renderer is made from: what the worker process receives."""

    papers: Papers
    policy: Policy
    template_dirs: tuple[Path, ...]
    withheld: frozenset[str]
    #: The laid-out PDFs' index (outputs.packs.PdfIndex), or None when packs are off.
    pdfs: Any = None
    #: Where compiled templates are kept between builds (jinjacache.on_disk), if anywhere.
    compiled: Path | None = None

    def renderer(self) -> Renderer:
        made = Renderer(self.papers, self.policy, list(self.template_dirs), self.withheld)
        jinjacache.on_disk(made.env, self.compiled)
        if self.pdfs is not None:
            made.view = replace(made.view, pdfs=self.pdfs)
        return made


def workers_for(pages: int, setting: int | None = None) -> int:
    """How many worker processes to use: the setting (or PAPERS_PAGE_WORKERS) if given,
    else one when there are two cores and enough pages to repay its start."""
    if setting is None and os.environ.get(ENV_WORKERS, "").strip():
        setting = int(os.environ[ENV_WORKERS])
    if setting is not None:
        return max(0, min(setting, 1))
    return 1 if (os.cpu_count() or 1) >= 2 and pages >= MIN_PAGES else 0


def _work(
    inputs: RenderInputs,
    order: Sequence[str],
    claimed: Any,
    reached: Any,
    out: Any,
    spill: str,
    record: bool = False,
) -> None:
    """The worker: render pages from the last backwards until it meets the build process;
    with `record`, each page comes with its record of reads, for the page cache."""
    try:
        renderer = inputs.renderer()
        specs = {spec.src_uri: spec for spec in page_specs(inputs.papers, inputs.policy, renderer)}
        draw = _plain
        if record:
            from .pagecache import PageCache

            recorder = PageCache(_NO_FOLDER, b"")
            # As the build process does once the specs are made (mkdocs_plugin._plan_pages).
            recorder.trace(inputs.papers, renderer.view)
            draw = recorder.draw
    except Exception:  # the build process renders every page and reports the error itself
        out.put(None)
        return
    _from_last(specs, draw, order, claimed, reached, out, spill)


def _from_last(
    specs: dict[str, PageSpec],
    draw: Callable[[Callable[[], str]], Drawn],
    order: Sequence[str],
    claimed: Any,
    reached: Any,
    out: Any,
    spill: str,
) -> None:
    """The worker's loop, once it has made its specs: from the last page backwards, until
    it meets where the build process has reached. Each page's HTML goes to the end of the
    spool file `spill`, and the queue says where it is. A write that falls short (a full
    disk) stops the worker: no later page's place could be trusted."""
    try:
        with open(spill, "ab", buffering=0) as file:
            offset = file.seek(0, os.SEEK_END)
            for position in range(len(order) - 1, -1, -1):
                reached.value = position
                if position <= claimed.value:
                    break
                html, reads = draw(specs[order[position]].html)
                data = html.encode("utf-8", "surrogatepass")
                if file.write(data) != len(data):
                    break
                out.put((order[position], offset, len(data), reads))
                offset += len(data)
    except Exception:  # the build process renders what is left and reports the error itself
        pass
    finally:
        out.put(None)


def start_method() -> str:
    """ "fork" where the system has it (`BothEnds`, at no cost), else "spawn" (`PageHtml`)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _plain(render: Callable[[], str]) -> Drawn:
    return render(), None


class PageHtml:
    """The HTML of each generated page, asked for in `order` by the build process, a
    spawned worker making pages from the last backwards."""

    def __init__(
        self,
        specs: dict[str, PageSpec],
        order: Sequence[str],
        inputs: RenderInputs | None,
        workers: int,
        draw: Callable[[Callable[[], str]], Drawn] | None = None,
    ):
        """`draw` draws a page here (given its spec's `html`); passing one (the page cache's
        PageCache.draw) makes the worker record each page's reads too. Without `inputs`
        there is no worker."""
        self.specs = specs
        self.order = list(order)
        self.position = {uri: index for index, uri in enumerate(self.order)}
        self.draw = draw or _plain
        #: Pages the worker has made, waiting for their turn: uri -> (their place in the
        #: spool file: offset and length, and their reads).
        self.ready: dict[str, tuple[int, int, Any]] = {}
        #: The spool file the worker appends pages to, and this process's reading end.
        self.spill: str | None = None
        self.spool = -1
        self.by_worker = 0
        self.process: Any = None
        self.finished = True
        if workers <= 0 or not self.order or inputs is None:
            return
        context = multiprocessing.get_context("spawn")
        descriptor, self.spill = tempfile.mkstemp(prefix="committee-papers-pages-")
        self.spool = descriptor
        #: The last position the build process has taken on; the worker stops there.
        self.claimed = context.RawValue("q", -1)
        #: The lowest position the worker has started (it starts at the end).
        self.reached = context.RawValue("q", len(self.order))
        self.results = context.Queue()
        shared = (self.claimed, self.reached, self.results)
        args = (inputs, self.order, *shared, self.spill, draw is not None)
        self.process = context.Process(
            target=_work, args=args, daemon=True, name="committee-papers-pages"
        )
        try:
            self.process.start()
        except OSError:  # no second process to be had: render every page here
            self.process = None
            self._remove_spill()
            return
        self.finished = False

    @property
    def parallel(self) -> bool:
        return self.process is not None

    def html(self, uri: str) -> str:
        """The page's HTML: from the worker when it made it, else rendered here."""
        return self.page(uri)[0]

    def page(self, uri: str) -> Drawn:
        """The page's HTML and its record of reads: from the worker when it made it, else
        drawn here."""
        if self.process is not None:
            found = self._from_worker(uri)
            if found is not None:
                self.by_worker += 1
                return found
        return self.draw(self.specs[uri].html)

    def _from_worker(self, uri: str) -> Drawn | None:
        self._drain(block=False)
        if uri in self.ready:
            return self._unspill(*self.ready.pop(uri))
        position = self.position.get(uri)
        if position is None or self.finished:
            return None
        self.claimed.value = max(self.claimed.value, position)
        # The worker has started this page (or gone past it): wait for it rather than
        # render it twice. If the worker stopped instead, its end mark arrives.
        while position >= self.reached.value and not self.finished and uri not in self.ready:
            self._drain(block=True)
        waiting = self.ready.pop(uri, None)
        return self._unspill(*waiting) if waiting is not None else None

    def _unspill(self, offset: int, length: int, reads: Any) -> Drawn | None:
        """A page the worker made: its HTML read back from its place in the spool file, or
        None if it cannot be read whole (the page is then drawn here)."""
        try:
            data = os.pread(self.spool, length, offset)
        except OSError:
            return None
        if len(data) != length:
            return None
        return data.decode("utf-8", "surrogatepass"), reads

    def _drain(self, block: bool) -> None:
        while not self.finished:
            try:
                item = self.results.get(timeout=_POLL_S) if block else self.results.get_nowait()
            except queue.Empty:
                if block and not self.process.is_alive():
                    self.finished = True
                return
            if item is None:
                self.finished = True
                return
            self.ready[item[0]] = item[1:]
            if block:
                return

    def close(self) -> None:
        """Stop the worker (at the end of the build, or when the build failed)."""
        if self.process is None:
            return
        self.claimed.value = len(self.order)
        # Take what the worker still sends, so that its queue lets it exit.
        while not self.finished and self.process.is_alive():
            self._drain(block=True)
        self.finished = True
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.results.close()
        self.results.join_thread()
        self.process = None
        self.ready.clear()
        self._remove_spill()

    def _remove_spill(self) -> None:
        if self.spool >= 0:
            os.close(self.spool)
            self.spool = -1
        if self.spill is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.spill)
            self.spill = None


class BothEnds:
    """Pages drawn whole, each by one of two processes: this one takes them from the first
    forwards, a fork from the last backwards, until the two meet.

    `PageHtml`'s worker makes only the engine's HTML; the theme around it (MkDocs' second
    loop) was then drawn here alone, and a first build of ten years left the other core
    idle for some 25 s at the end of the pages step while it did (`bench/RESULTS.md`). Here
    the fork runs `work(uri)` for each page it takes: the caller's whole drawing of the
    page, theme and file included, returning what this process must know of it (the page
    cache's record). A page is taken under a lock shared by the two, so no page is drawn
    twice and none is missed. `mine(uri)` says whether this process draws the page, asked
    in `order` as MkDocs reaches each; the first page the fork has taken ends the fork's
    work (`finish`), and a page the fork took but did not finish (it failed, or died) is
    this process's again, which then draws it and reports any error itself.

    The fork is made when this is: after the pages are read, so it has the theme, the
    navigation and every page as this process has them, and a page's bytes are the same
    whichever process draws it (tests/test_prerender.py builds with and without it).
    """

    def __init__(self, order: Sequence[str], work: Callable[[str], Any]) -> None:
        self.order = list(order)
        self.position = {uri: index for index, uri in enumerate(self.order)}
        #: What `work` returned for each page the fork drew, as its answers come.
        self.records: dict[str, Any] = {}
        #: Once the fork has ended: the pages it drew.
        self.done: frozenset[str] | None = None
        #: How far along `order` this process has been asked (`mine`), for `taken`.
        self._reached = 0
        context = multiprocessing.get_context("fork")
        self._lock = context.Lock()
        #: The first position this process has not taken yet ...
        self._next = context.RawValue("q", 0)
        #: ... and the last position the fork has not taken yet, plus one.
        self._top = context.RawValue("q", len(self.order))
        # Everything made so far lives through the pages step: neither process's collector
        # need walk it again, nor the fork copy its memory by touching it. Given back in finish.
        gc.freeze()
        try:
            self._fork: forked.Series | None = forked.Series(
                _from_the_end,
                self.order,
                work,
                self._lock,
                self._next,
                self._top,
                name="committee-papers-pages",
            )
        except OSError:  # no second process to be had: every page is drawn here
            self._fork = None
            self.done = frozenset()
            gc.unfreeze()

    def mine(self, uri: str) -> bool:
        """Whether this process draws `uri`: asked in the order given, as each is reached.
        A page not in the order is always this process's."""
        position = self.position.get(uri)
        if position is None:
            return True
        self._reached = max(self._reached, position + 1)
        if self.done is None:
            self._take(wait=False)  # as they come, not all unpickled at the end
            with self._lock:
                if position < self._top.value:
                    # Never lowered: MkDocs walks its pages again to check anchors.
                    self._next.value = max(self._next.value, position + 1)
                    return True
            self.finish()
        assert self.done is not None
        return uri not in self.done

    def taken(self) -> int:
        """How many pages either process has taken so far (for the build's progress): as
        far as this process has been asked, and the fork's, taken or drawn."""
        fork = len(self.order) - self._top.value if self.done is None else len(self.done)
        return min(len(self.order), self._reached + fork)

    def finish(self) -> dict[str, Any]:
        """Wait for the fork to end (it takes no page after this is called); what `work`
        returned for each page it drew."""
        if self.done is None:
            assert self._fork is not None
            with self._lock:
                self._next.value = len(self.order)
            self._take(wait=True)
            self.stop()
        return self.records

    def stop(self) -> None:
        """End the fork, the pages it has not answered for wanted no more (a build that
        failed, or `finish` once every answer is taken)."""
        if self.done is None and self._fork is not None:
            self._fork.stop()
            self.done = frozenset(self.records)
            gc.unfreeze()

    def _take(self, wait: bool) -> None:
        """The fork's answers into `records`: every one to its end (`wait`), or those
        already sent."""
        assert self._fork is not None
        while wait or self._fork.waiting():
            answered, item = self._fork.next()
            if not answered:
                return
            self.records[item[0]] = item[1]


def _from_the_end(
    order: Sequence[str], work: Callable[[str], Any], lock: Any, first_free: Any, top: Any
) -> Iterator[tuple[str, Any]]:
    """The fork of `BothEnds`: take the last page nobody has taken, draw it, repeat."""
    while True:
        with lock:
            position = top.value - 1
            if position < first_free.value:
                return
            top.value = position
        yield order[position], work(order[position])
