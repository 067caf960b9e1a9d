"""The end of a build, once every page is in the staging folder: the other outputs, the
search index, the guard, and the new site put live.

In order: the page cache adopts the pages just written; Pagefind indexes them (another
process, waited for by a thread) while this process puts the other outputs in place, or
takes them from the build's fork (buildfork.py); the old site's folders left empty are
removed; the guard reads every file of the staging folder, and only when it finds nothing
withheld does the staging folder replace the live site (publish.swap_into_place). A build
stopped on the way (`BuildStopped`) leaves the live site as it was.

Nothing here knows MkDocs: its adapter (mkdocs_plugin.py) hands over what the steps before
made, so a successor of MkDocs reuses this as it is.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import guardrecord, outputs, sitelisting, siteskeleton
from .buildfork import BuildFork, made_here, stored_outputs
from .guard import check_site
from .leakparts import Composed
from .leakscan import EarlyScan, ScanAhead, Stored, scan_ahead
from .pagecache import PageCache, Plan, named_digest
from .pages import PageSpec
from .policy import Policy
from .publish import BuildLock, swap_into_place
from .searchindex import (
    INDEX_DIR,
    SearchIndexError,
    build_indexes,
    recover_indexes,
    search_page_inodes,
)
from .searchstore import SearchStore
from .secretsahead import SecretsAhead
from .steps import Background, StepTimer, quick_switches

#: The longest the guard's reading ahead waits for Pagefind's start (seconds).
PAGEFIND_START_WAIT = 2.0

log = logging.getLogger("mkdocs.plugins.committee_papers")


class BuildStopped(Exception):
    """The build stopped before its site went live; the message says why."""


@dataclass
class SiteFinish:
    """What the end of a build works from (each is made by an earlier step)."""

    staging: Path
    #: The live site's folder, and the lock on it this build holds.
    target: Path
    lock: BuildLock | None
    #: The audience's policy over the projected papers (None: the papers failed to load).
    policy: Policy | None
    #: The papers as loaded, withheld ones too: the guard looks for their text.
    full_papers: Any
    #: Words of the templates themselves, public by nature (the guard's `also_public`).
    template_text: list[str]
    timer: StepTimer
    specs: dict[str, PageSpec]
    #: Built HTML file (relative to the site) -> the search index group it belongs to.
    search_groups: dict[str, str]
    #: Whether a search index is made, and where its groups are kept between builds.
    search_index: bool = True
    search_folder: Path | None = None
    #: Where the guard keeps its record (None: every file read every time).
    guard_cache: Path | None = None
    pdf_files: list[outputs.OutputFile] = field(default_factory=list)
    page_cache: PageCache | None = None
    plan: Plan = field(default_factory=Plan)
    #: Pages written from the page cache by the build itself: output path -> cache entry.
    placed: dict[str, Any] = field(default_factory=dict)
    #: The old site the staging folder was made of (siteskeleton.take), and the files
    #: MkDocs wrote over it (its pages, static files and templates: relative paths).
    skeleton: siteskeleton.Kept | None = None
    written_by_theme: set[str] = field(default_factory=set)
    #: The secrets worked out while the pages were drawn, and the build's fork.
    secrets_ahead: SecretsAhead | None = None
    build_fork: BuildFork | None = None
    #: The pages placed from the page cache by the build itself, by their names in the site.
    reused: set[str] = field(default_factory=set)
    #: The search index's files kept in the search store, as the guard's `stored`.
    search_files: Stored = field(default_factory=dict)
    search_store: SearchStore | None = None
    #: A first build's fork when it reads the site for the guard while Pagefind indexes.
    early_reader: BuildFork | None = field(default=None, init=False)
    #: What the guard read of the site but the search index while Pagefind made it
    #: (`_scan_ahead`), and the output files linked from the page cache, then listed.
    guard_ahead: ScanAhead | None = field(default=None, init=False)
    outputs_stored: Stored | None = field(default=None, init=False)
    #: The old site's listing by folder, for that reading (`_record_ahead`).
    listed_by_folder: sitelisting.ByFolder | None = field(default=None, init=False)
    #: The page cache's folder as `_stored_pages` listed it (stored name -> inode).
    cache_listed: dict[str, int] | None = field(default=None, init=False)
    #: Set once Pagefind runs on the groups of the pages drawn (`build_indexes`).
    pagefind_started: threading.Event = field(default_factory=threading.Event, init=False)

    def run(self) -> None:
        """Outputs, search index and guard; the staging folder live when all passed."""
        pages = self._stored_pages()
        self.timer.lap("pages")
        with quick_switches():  # Pagefind's thread beside the outputs' Python
            linked = self._outputs_and_search(pages)
        self.timer.lap("search")
        if self.skeleton is not None:
            self._prune_skeleton(self.skeleton.folders)
        if self._public():
            if self.outputs_stored is None:
                self.outputs_stored = self._stored_outputs(linked)
            self._guard({**pages, **self.outputs_stored, **self.search_files})
        save_page_cache(self.page_cache, self.plan, self.specs)
        store = self.search_store
        swap_into_place(
            self.staging,
            self.target,
            background=True,
            retired=None if store is None else lambda old: recover_indexes(old, store),
            keep_folders=True,
        )
        if self.policy is not None and self.lock is not None:
            self.lock.record(self.policy.audience.value)

    def stop(self) -> None:
        """End the build's fork where a failure left it running, its answers untaken."""
        for fork in (self.secrets_ahead, self.build_fork, self.early_reader):
            if fork is not None:
                fork.stop()
        self.secrets_ahead = self.build_fork = self.early_reader = None

    def _outputs_and_search(self, pages: Stored) -> outputs.Linked:
        """Every output file in place, while Pagefind (another process) indexes the pages:
        it does not read the outputs, and the guard, which reads the index, waits for it.
        The files linked from the page cache are returned (name -> the cache's copy)."""
        staging, search = self.staging, None
        if self.search_index and self.search_folder is not None:
            self.search_store = SearchStore(self.search_folder)
        # The fork that puts the outputs in place, made before Pagefind's thread starts
        # (none when a fork makes them: buildfork.py).
        early, self.build_fork = self.build_fork, None
        if early is not None and not early.makes_outputs:
            early = None  # a first build's fork: its one answer, the secrets, is the guard's
        by_fork = early is not None
        beside = outputs.fork_writer() if self.policy is not None and not by_fork else None
        if self.search_index:
            # The pages' inodes worked out here first: in the thread, 45,000 `stat` calls
            # each waited for this process's Python to let go of the interpreter (it made
            # the feeds then), and Pagefind began a second later. Those the build placed
            # are known (search_page_inodes).
            verify = self.page_cache is not None and self.page_cache.verify
            inodes = search_page_inodes(staging, self.search_groups, pages, verify)
            search = Background(self._index, pages, inodes)
        linked: outputs.Linked = {}
        written: set[str] = set()  # every output file's path
        ahead = False
        try:
            if self.policy is not None:
                if early is not None:
                    outputs.write(staging, self.pdf_files, linked, written=written)
                    # A re-build's guard reads all but the search index itself while
                    # Pagefind indexes (`_scan_ahead`); a first build's fork reads the site
                    # for the guard once its outputs are in, while Pagefind indexes
                    # (`_early_read`); told now, so that it goes on to read without
                    # waiting: what it did not read is read by the guard's last step.
                    ahead = self._ahead_wanted(early)
                    reads = (
                        search is not None
                        and search.running()
                        and self._public()
                        and self.guard_cache is not None
                        and early.read_early()
                    )
                    self.early_reader = early if reads else None
                    if ahead:
                        if search is not None:
                            # Pagefind's start first: its pages' parts are made in Python.
                            self.pagefind_started.wait(PAGEFIND_START_WAIT)
                        self._record_ahead()
                    linked.update(early.result(written))
                    early = None  # its other answer, the secrets, is the guard's
                else:
                    # Files of one meeting, person, report... come from the page cache while
                    # nothing they read has changed (outputs.unit).
                    fork, beside = beside, None  # ended by the writing, either way
                    linked.update(
                        made_here(
                            staging,
                            self.policy,
                            self.page_cache,
                            fork,
                            written=written,
                            kept=self.skeleton,
                        )
                    )
                    outputs.write(staging, self.pdf_files, linked, written=written)
                if self.page_cache is not None:
                    made_by = "by a fork, " if by_fork else ""
                    log.info(
                        f"Output files: {self.page_cache.outputs_reused} of "
                        f"{len(self.page_cache.outputs)} reused from the page cache "
                        f"({made_by}{len(self.page_cache.outputs_made)} made)"
                    )
            if self.skeleton is not None:
                self._remove_stale(self.skeleton, written)
            self.timer.lap("outputs")
            if ahead:  # timed with the search step, which it runs beside
                self._scan_ahead(pages, linked)
        finally:
            if beside is not None:  # the outputs were never written: end the fork
                beside.stop()
            if early is not None:
                early.stop()
            if search is not None:
                search.wait()
        return linked

    def _public(self) -> bool:
        """Whether this is a public build, which the guard reads."""
        return self.policy is not None and not self.policy.members

    def _ahead_wanted(self, fork: BuildFork) -> bool:
        """Whether the guard reads the site but the search index before the index is made
        (`_scan_ahead`): in a public re-build whose fork made the outputs and worked out
        the secrets. Not in a first build: Pagefind keeps both cores busy then, and the
        fork reads what they leave (`BuildFork.until_asked`)."""
        return (
            self._public()
            and self.guard_cache is not None
            and self.secrets_ahead is not None
            and fork.makes_outputs
            and not fork.until_asked
        )

    def _record_ahead(self) -> None:
        """The guard's secrets and record, loaded while the fork still makes the outputs
        (this process waits for them): at ten years of papers the record's 150,000 keys and
        the test of the public values took 0.45 s of `_scan_ahead`, which then ended after
        Pagefind. `guardrecord.recorded` keeps what it loaded for the scan. The old site's
        listing is put by folder for the scan here too (0.1 s at ten years of papers,
        which the scan's start took after the outputs were in)."""
        assert self.secrets_ahead is not None and self.guard_cache is not None
        found = self.secrets_ahead.secrets()
        if len(found):
            guardrecord.recorded(self.guard_cache, found.fragments, found.public)
        listed = self.skeleton.listed if self.skeleton is not None else None
        self.listed_by_folder = sitelisting.by_folder(listed) if listed is not None else None

    def _scan_ahead(self, pages: Stored, linked: outputs.Linked) -> None:
        """The guard's listing and reading of every file but the search index, done while
        Pagefind makes the index (`leakscan.scan_ahead`): every other file of the site is
        written by now (the pages placed and drawn, the outputs in), and the search
        index's files are written only below its folder. The guard's last step then lists
        and reads that folder alone. In a re-build of ten years of papers this process
        waited 1.3 s for Pagefind, and the guard's last step then took as long."""
        assert self.secrets_ahead is not None and self.guard_cache is not None
        found = self.secrets_ahead.secrets()
        self.outputs_stored = self._stored_outputs(linked)
        if not len(found):
            return  # nothing to look for: the guard finds nothing
        start = time.perf_counter()
        self.guard_ahead = scan_ahead(
            self.staging,
            found,
            self.guard_cache,
            (f"{INDEX_DIR}/",),
            {**pages, **self.outputs_stored},
            found.public,
            self._composed(),
            self.listed_by_folder,
        )
        log.info(
            f"Guard: {len(self.guard_ahead.part.names)} files but the search index's checked "
            f"while Pagefind indexed, in {time.perf_counter() - start:.1f} s"
        )

    def _composed(self) -> Composed | None:
        """The files the outputs wrote from the page cache's stored parts (the open data's
        bulk file), for the guard to prove and read by their parts (leakparts.py)."""
        cache = self.page_cache
        if cache is None or not cache.composed:
            return None
        folder = str(cache.folder)
        return {name: (folder, segments) for name, segments in cache.composed.items()}

    def _early_read(self) -> EarlyScan | None:
        """What a first build's fork read for the guard while Pagefind indexed, if it did
        (`leakscan.scan_early`): Pagefind keeps both cores nearly busy, and the fork reads
        at its lower priority until asked here; the guard's last step reads on both cores
        what it did not. Only with the guard's record, and only while Pagefind was still
        indexing when the outputs were written (with the index made, reading early would
        only read twice). A re-build's guard reads ahead itself (`_scan_ahead`)."""
        reader, self.early_reader = self.early_reader, None
        early = reader.early_read() if reader is not None else None
        if early is not None:
            log.info(f"Guard: {len(early.files)} files read by the fork while Pagefind indexed")
        return early

    def _guard(self, stored: Stored) -> None:
        """The guard reads the site; a leak stops the build. The page cache's index is
        written by a fork meanwhile, and put in place only if the guard passes."""
        assert self.policy is not None
        if self.page_cache is not None:
            self.page_cache.save_beside(self.specs)
        ahead, self.secrets_ahead = self.secrets_ahead, None
        try:
            # Asked for once the guard has listed the site and loaded its record, which
            # this process does while the fork still reads.
            leaks = check_site(
                self.staging,
                self.full_papers,
                self.policy.papers,
                also_public=self.template_text,
                cache_dir=self.guard_cache,
                stored=stored,
                found=ahead.secrets() if ahead is not None else None,
                early=self._early_read,
                composed=self._composed(),
                ahead=self.guard_ahead,
            )
        finally:
            if self.early_reader is not None:  # not asked for: no secrets, or a failure
                self.early_reader.stop()
                self.early_reader = None
        self.timer.lap("guard")
        if leaks:
            if self.page_cache is not None:
                self.page_cache.saved(passed=False)
            listing = "\n".join(f"  {leak}" for leak in leaks)
            raise BuildStopped(
                "Exempt or unpublished text was found in the public site, so it was not "
                f"published (the site in {self.target} was left as it was):\n{listing}"
            )

    def _remove_stale(self, kept: siteskeleton.Kept, outputs_written: set[str]) -> None:
        """Remove the old site's files this build did not make again (a page or output
        file gone or withheld since): every file is in place now but the search index's,
        which is written below its own folder (not kept), and the guard reads next."""
        # The pages placed by their paths as the plugin made them, looked up rather than
        # cut: 45,000 of them.
        inside = self._placed_prefix()
        placed, theme = self.placed, self.written_by_theme

        def made(path: str) -> bool:
            return path in outputs_written or path in theme or inside + path in placed

        removed = siteskeleton.remove_stale(self.staging, kept, made)
        log.info(f"Site files: {len(kept.files)} kept from the old site, {removed} removed")

    def _prune_skeleton(self, folders: frozenset[str]) -> None:
        """Remove the skeleton's folders that hold no file now (a page gone or withheld
        since): the folders of the pages placed hold theirs, and are not looked at."""
        cut = len(self._placed_prefix())
        used = {os.path.dirname(path[cut:]) for path in self.placed}
        removed = siteskeleton.prune(self.staging, folders, used)
        log.info(f"Site folders: {len(folders)} kept from the old site, {removed} removed")

    def _placed_prefix(self) -> str:
        """What each path of `placed` (and of the pages MkDocs drew, `PageCache.adopt`)
        starts with: the staging folder as a page's path is joined to it (normpath), with a
        final separator."""
        return os.path.join(os.path.normpath(self.staging), "")

    def _stored_pages(self) -> Stored:
        """The site's pages linked from the page cache (placed by the build, or drawn by
        MkDocs and adopted now), each with the name of the cache's copy (the hash of its
        bytes) and its inode, so that the search index and the guard know them without
        reading them (searchindex.build_indexes, leakscan.scan_cached)."""
        cache = self.page_cache
        if cache is None:
            return {}
        adopted, inodes = cache.adopt(), cache.stored_inodes()
        self.cache_listed = inodes
        found: Stored = {}
        placed = [(path, entry.blob, True) for path, entry in self.placed.items()]
        inside = self._placed_prefix()  # adopted pages' paths are MkDocs' normpath joins too
        for path, blob, reused in [*placed, *((p, b, False) for p, b in adopted.items())]:
            inode = inodes.get(blob)
            if inode is not None:
                # 45,000 pages at ten years of papers: their names cut, not worked out.
                cut = path[len(inside) :] if path.startswith(inside) else None
                name = cut or Path(os.path.relpath(path, self.staging)).as_posix()
                found[name] = (blob, inode)
                if reused:
                    self.reused.add(name)
                else:
                    self.reused.discard(name)  # drawn again since it was placed
        return found

    def _stored_outputs(self, linked: outputs.Linked) -> Stored:
        """The output files linked from the page cache, as `_stored_pages` gives pages."""
        if self.page_cache is None:
            return {}
        return stored_outputs(self.page_cache, linked, self.cache_listed)

    def _index(self, stored: Stored, inodes: dict[str, int]) -> None:
        """One Pagefind index per year (and one for the rest), in site/pagefind/<group>/;
        `stored` are the pages the page cache holds (`_stored_pages`), `inodes` every
        page's inode (`page_inodes`); the indexes are kept in `search_store` between
        builds."""
        groups: dict[str, list[str]] = {}
        for dest, group in self.search_groups.items():
            if dest in inodes:
                groups.setdefault(group, []).append(dest)
        log.info(f"Search index: {len(groups)} indexes of {len(self.search_groups)} pages")
        try:
            known = {name: (named_digest(blob), ino) for name, (blob, ino) in stored.items()}
            runs = build_indexes(
                self.staging,
                groups,
                previous=self.target,
                progress=_log_index,
                known=known,
                store=self.search_store,
                inodes=inodes,
                reused=self.reused,
                started=self.pagefind_started,
            )
        except SearchIndexError as error:
            raise BuildStopped(str(error)) from error
        self.search_files = {name: kept for run in runs for name, kept in run.files.items()}
        fresh = [run for run in runs if run.pages]
        peak = max((run.peak_rss_mb for run in fresh), default=0.0)
        cpu = sum(run.cpu_seconds for run in fresh)
        log.info(
            f"Search index: {len(fresh)} indexed ({sum(r.pages for r in fresh)} pages, "
            f"Pagefind {cpu:.1f} s CPU), {len(runs) - len(fresh)} unchanged and reused; "
            f"Pagefind peak memory {peak:.0f} MB"
        )


def save_page_cache(cache: PageCache | None, plan: Plan, specs: dict[str, PageSpec]) -> None:
    """Save the page cache's index, or put in place the one a fork wrote (save_beside)."""
    if cache is None:
        return
    if cache.saving:
        cache.saved(passed=True)
    else:
        cache.save(specs)
    log.info(f"Page cache: {len(plan.hits)} pages reused, {cache.stored} drawn")


def _log_index(run: Any) -> None:
    if run.pages:
        log.info(
            f"Search index: {run.group}: {run.pages} pages in {run.seconds:.1f} s "
            f"({run.cpu_seconds:.2f} s CPU), Pagefind peak {run.peak_rss_mb:.0f} MB"
        )
    else:
        log.info(f"Search index: {run.group}: unchanged, reused")
