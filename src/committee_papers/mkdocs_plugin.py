"""The MkDocs adapter: the only module that imports `mkdocs`.

It wires MkDocs events to the engine: load and validate the data when the config is read,
add a generated page for every spec, put the engine's HTML into those pages, offer the
engine's macros to hand-written pages, and publish the finished site atomically. A move to
a successor of MkDocs 1.x replaces this module and nothing else.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import posixpath
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote as urlquote
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import _build_page
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date

from . import collector, loadcache, outputs, siteskeleton, theme_memo, warmup
from .asof import london_today, parse_as_of
from .buildfork import REGISTER_KINDS, BuildFork, ahead_wanted, start_fork
from .cachefolders import cache_folder, writable
from .jinjacache import MemoryBytecodeCache, on_disk
from .loadcache import UnitMemory
from .model import Papers, Site
from .pagecache import (
    Fingerprints,
    PageCache,
    Plan,
    StaleCacheError,
    engine_key,
    folder_digest,
    never_kept_prints,
    written_record,
)
from .pages import PageSpec, page_specs
from .policy import Audience, Policy
from .preparation import prepare
from .prerender import BothEnds, PageHtml, RenderInputs, start_method, workers_for
from .problems import DataError
from .progress import Progress
from .projection import withheld_ids
from .publish import BuildLock, PublishError, lock_output, staging_dir_for
from .render import MACROS, NotPublished, Renderer, UnknownPaper
from .searchindex import SITE_GROUP
from .secretsahead import SecretsAhead
from .servesite import SiteSweeper
from .servewatch import ChangedFiles
from .sitefinish import BuildStopped, SiteFinish, save_page_cache
from .steps import StepTimer
from .urls import base_for

log = logging.getLogger("mkdocs.plugins.committee_papers")

#: Index pages that sit in the nav; every other generated page is reached through them.
_IN_NAV = {
    "committees/index.md",
    "meetings/index.md",
    "people/index.md",
    "decisions/index.md",
    "calendar/index.md",
    "search/index.md",
}
#: What the progress of the pages step counts: the pages to draw (not those the cache serves).
_DRAWN = "Pages drawn"
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")
#: A SOURCE_DATE_EPOCH the person building set themselves wins over the publication date.
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")
#: The template of a page served from the page cache: nothing to draw, the cached HTML
#: replaces the output in on_post_page.
_CACHED_TEMPLATE = "committee-papers-cached.html"
#: What a hand-written page's macro shows under `mkdocs serve` for a paper older than the
#: newest meetings it draws (serveslice.py); a build shows the paper.
_SERVE_NOTICE = Markup(
    '<p class="cp-notice">{name}("{paper}") is older than the newest meetings '
    "<code>mkdocs serve</code> draws (<code>serve_meetings</code>); a build shows it.</p>"
)


class _PlacedPage:
    """A generated page the page cache serves as it is, never one of MkDocs' files: the
    plugin places its HTML itself (`_place_cached_pages`), and MkDocs neither reads nor
    draws it. Every caller that lists the documentation pages (the nav, the sitemap) sees
    it as a page of its own: its addresses and date as MkDocs gives a page's
    (`File.dest_uri`, `File.url`, `Page.canonical_url`, `Page.abs_url`,
    `Page.update_date`), so the sitemap is the one a full build writes
    (tests/test_incremental.py compares them). At ten years of papers the 45,000 files and
    pages MkDocs made of such pages, and the nav's pass over them, took a re-build 0.7 s.
    """

    __slots__ = ("abs_url", "canonical_url", "dest_uri", "src_uri", "update_date", "url")
    inclusion = InclusionLevel.NOT_IN_NAV
    is_link = False

    def __init__(self, src_uri: str, use_directory_urls: bool, site_url: str | None, date: str):
        self.src_uri = src_uri
        parent, filename = posixpath.split(src_uri)
        stem = posixpath.splitext(filename)[0]
        name = "index" if stem == "README" else stem
        if not use_directory_urls or name == "index":
            self.dest_uri = posixpath.join(parent, name + ".html")
        else:
            self.dest_uri = posixpath.join(parent, name, "index.html")
        url = self.dest_uri
        folder, last = posixpath.split(url)
        if use_directory_urls and last == "index.html":
            url = (folder or ".") + "/"
        plain = _plain(url)
        url = url if plain else urlquote(url)
        self.url = "" if url in (".", "./") else url  # a page's url, as `Page.url`
        # "./" (the home page) is quoted as it is, and its url "" is plain.
        self.canonical_url, self.abs_url = _addresses(site_url, self.url, plain or not self.url)
        self.update_date = date

    @property
    def page(self) -> _PlacedPage:
        return self


#: A url `urlquote` leaves as it is (`_plain` also refuses dot segments).
_PLAIN_URL = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9_.~/-]*|")
#: A segment "." or ".." (the first character of a plain url is never a dot).
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")


def _plain(url: str) -> bool:
    """Whether `urlquote` leaves `url` as it is and `urljoin` appends it to a site's
    address as it is: no character to quote, no "." or ".." segment to resolve."""
    return _PLAIN_URL.fullmatch(url) is not None and _DOT_SEGMENT.search(url) is None


@functools.lru_cache(maxsize=4)
def _site_base(site_url: str) -> tuple[str, str, bool]:
    """A site's address ending in "/", its path, and whether a url is simply appended
    to it (no query or fragment to drop)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    split = urlsplit(base)
    return base, split.path, not (split.query or split.fragment or "#" in base)


def _addresses(
    site_url: str | None, url: str, plain: bool | None = None
) -> tuple[str | None, str | None]:
    """A page's `canonical_url` and `abs_url` as `Page._set_canonical_url` makes them:
    `urljoin` and `urlsplit` took 0.4 s for 45,000 pages, where a plain url (`_plain`;
    `plain` when the caller knows) is the site's address and path followed by it."""
    if not site_url:
        return None, None
    base, path, simple = _site_base(site_url)
    if simple and (_plain(url) if plain is None else plain):
        return base + url, path + url
    canonical = urljoin(base, url)
    return canonical, urlsplit(canonical).path


def _left_empty(page: Page) -> None:
    """What an empty Markdown page leaves, as a generated page has in a full build: no
    content, no anchors, no links to any."""
    page.content = ""
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


class _PageFiles(Files):
    """MkDocs' files, the generated pages served from the page cache left out
    (`_PlacedPage`), and with them MkDocs' loops over them.

    MkDocs asks for the pages to read and to build with an explicit `inclusion=` (its two
    page loops in `build`): only its own files. Every other caller (the nav, the sitemap,
    the template context) asks without one and sees every page, the placed ones in the
    generated pages' order, as a full build lists them. A link from a hand-written page
    to a placed page finds a file made for it then (`get_file_from_path`).
    """

    def __init__(
        self,
        files: Files,
        placed: dict[str, _PlacedPage] | None = None,
        order: Sequence[str] = (),
        make: Callable[[str], File] | None = None,
    ) -> None:
        #: Every documentation page, as MkDocs lists them, kept until a file is added or
        #: removed: the nav, the theme's templates (the sitemap, 404) and the plugins ask
        #: six times a build, 0.05 s each over 45,000 pages. A file's inclusion is set when
        #: it is made (MkDocs' exclude_docs and not_in_nav, the generated pages' own). Set
        #: first: `append` forgets it.
        self._every_page: list[Any] | None = None
        super().__init__(files)
        #: The pages served from the page cache, by address (src_uri), and the generated
        #: pages' addresses in order: where a placed page stands among the pages.
        self.placed = placed or {}
        self._order = order
        #: A placed page's file, made only when a link asks for it.
        self._make = make
        self._made: dict[str, File] = {}
        #: Once the pages' fork draws pages whole (prerender.BothEnds): whether this process
        #: draws a page, asked as MkDocs reaches it.
        self.in_turn: Callable[[str], bool] | None = None

    def documentation_pages(self, *, inclusion: Any = None) -> Sequence[File]:
        if inclusion is None:
            if self._every_page is None:
                self._every_page = self._listed()
            return list(self._every_page)
        pages = self.to_build(inclusion)
        return pages if self.in_turn is None else _PagesInTurn(pages, self.in_turn)

    def _listed(self) -> list[Any]:
        """MkDocs' documentation pages, each placed page where its file would stand."""
        pages = list(super().documentation_pages())
        if not self.placed:
            return pages
        own = {file.src_uri: file for file in pages}
        generated = set(self._order)
        listed = [file for file in pages if file.src_uri not in generated]
        for uri in self._order:
            found = own.get(uri) or self.placed.get(uri)
            if found is not None:
                listed.append(found)
        return listed

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        if found is not None or not self.placed or self._make is None:
            return found
        uri = PurePath(path).as_posix()
        if uri not in self.placed:
            return None
        made = self._made.get(uri)
        if made is None:
            made = self._made[uri] = self._make(uri)
        return made

    def append(self, file: File) -> None:
        self._every_page = None
        super().append(file)

    def remove(self, file: File) -> None:
        self._every_page = None
        super().remove(file)

    def to_build(self, inclusion: Any) -> list[File]:
        """The pages MkDocs reads and draws, whichever process draws them."""
        return list(super().documentation_pages(inclusion=inclusion))


class _PagesInTurn(list):
    """The pages MkDocs draws, a page the pages' fork drew whole passed over as MkDocs
    reaches it (its second loop, and its check of anchors after). Only MkDocs walks this
    list: the theme's templates are given it as `pages`, and none of them walks it."""

    def __init__(self, pages: list[File], in_turn: Callable[[str], bool]) -> None:
        super().__init__(pages)
        self.in_turn = in_turn

    def __iter__(self) -> Iterator[File]:
        for file in super().__iter__():
            if self.in_turn(file.src_uri):
                yield file


@dataclass
class _WholePages:
    """What the pages' fork needs to draw a page as MkDocs' own loop would (_build_page),
    made once MkDocs has read every page."""

    config: MkDocsConfig
    #: The pages MkDocs draws, whichever process draws each.
    pages: list[File]
    nav: Any
    env: Any
    #: The warnings logged before the fork was made (the fork reports those it adds).
    warnings_before: int
    #: Whether the build process has taken what the fork drew.
    taken: bool = False

    @cached_property
    def files(self) -> dict[str, File]:
        return {file.src_uri: file for file in self.pages}


class PapersConfig(base.Config):
    data_dir = opt.Type(str, default="data")
    templates_dir = opt.Type(str, default="macros")
    audience = opt.Choice(("public", "members"), default="public")
    as_of = opt.Optional(opt.Type(str))
    #: Build the Pagefind search index (one per year) after the pages.
    search_index = opt.Type(bool, default=True)
    #: `mkdocs serve` builds the papers of only the newest N meetings (0: all), so an edit
    #: shows in seconds however large the archive; `build` always builds everything.
    serve_meetings = opt.Type(int, default=0)
    #: The project's own documentation in docs/: published only when site.yml says
    #: `documentation: true` (the demo council does), as its examples name the demo's papers.
    documentation = opt.ListOfItems(
        opt.Type(str), default=["data.md", "urls.md", "macros.md", "hosting.md"]
    )
    #: Agenda packs and report PDFs (WeasyPrint); off for quick previews, never in serve.
    packs = opt.Type(bool, default=True)
    #: Where laid-out PDFs are kept by content hash, relative to mkdocs.yml.
    pack_cache = opt.Type(str, default=".cache/packs")
    pack_workers = opt.Optional(opt.Type(int))
    #: Where generated pages' final HTML is kept between builds (pagecache.py), relative to
    #: mkdocs.yml; empty turns the page cache off.
    # A folder, or false (PAPERS_PAGE_CACHE=false: YAML reads an empty value as unset).
    page_cache = opt.Type((str, bool), default=".cache/pages")
    #: Where the leak guard remembers the files it proved clean, so a re-build reads only
    #: the changed ones (leakscan.scan_cached); false reads every file every time.
    guard_cache = opt.Type((str, bool), default=".cache/guard")
    #: Where each search index group is kept between builds (searchstore.py), so a
    #: re-build moves the unchanged ones in and the guard need not read them; false: none.
    search_cache = opt.Type((str, bool), default=".cache/search")
    #: Where the papers are kept as loaded (loadcache.py), relative to mkdocs.yml: unchanged
    #: files are not parsed again. An empty value loads every file every time.
    load_cache = opt.Type(str, default=".cache/load")
    #: Where the theme's and the papers' templates are kept compiled (jinjacache.on_disk);
    #: false compiles them in every build.
    template_cache = opt.Type((str, bool), default=".cache/templates")


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class CommitteePapersPlugin(BasePlugin[PapersConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.renderer: Renderer | None = None
        self.policy: Policy | None = None
        self.full_papers: Any = None
        self.template_text: list[str] = []
        self.specs: dict[str, PageSpec] = {}
        self.target: Path | None = None
        self.lock: BuildLock | None = None
        self.warnings = _WarningCounter()
        self.pdf_files: list[outputs.OutputFile] = []
        self.timer = StepTimer()
        #: Built HTML file (relative to the site) -> the search index group it belongs to.
        self.search_groups: dict[str, str] = {}
        #: How many of the pages to draw are drawn, said every few seconds of a long build.
        self.progress = Progress(_DRAWN, 0, log.info)
        self.data_dir = Path("data")
        self.logo: str | None = None
        #: What the engine's renderer is made from, for the pages' worker process.
        self.render_inputs: RenderInputs | None = None
        self.page_html: PageHtml | None = None
        #: Where the system forks: the pages a fork of the build draws whole with this
        #: process (prerender.BothEnds), begun once MkDocs has read every page ...
        self.whole_order: list[str] = []
        self.both_ends: BothEnds | None = None
        #: ... what it needs to draw them as MkDocs would ...
        self.whole: _WholePages | None = None
        #: ... and, in that fork, what the page cache must know of each page it drew.
        self.in_fork = False
        self.kept_in_fork: dict[str, Any] = {}
        self.nav: Any = None
        self.page_cache: PageCache | None = None
        self.plan = Plan()
        #: Pages drawn in this build: address -> (their recorded reads, their engine HTML).
        self.drawn: dict[str, tuple[Any, str]] = {}
        #: The loaded papers' keys by their files (load.origins), for the page cache.
        self.origins: dict[int, tuple[Any, bytes]] = {}
        #: Pages the plugin writes from the page cache itself: output path -> cache entry.
        self.placed: dict[str, Any] = {}
        #: Of those, the pages linked into the staging folder (`_not_there`).
        self.to_place: dict[str, Any] = {}
        #: The old site this build writes into (siteskeleton.take), if any, and the files
        #: MkDocs writes over it (`_clear_for_mkdocs`).
        self.skeleton: siteskeleton.Kept | None = None
        self.written_by_theme: set[str] = set()
        #: `mkdocs serve` keeps the loaded papers between rebuilds (loadcache.UnitMemory).
        self.load_memory = UnitMemory()
        #: ... and names the meetings and reports left out of its slice (serveslice.py) ...
        self.beyond_slice: frozenset[str] = frozenset()
        #: ... told by the kernel which data files changed (servewatch.py) ...
        self.watcher: ChangedFiles | None = None
        #: ... and the compiled templates of the theme and of the papers (jinjacache.py).
        self.compiled = {"theme": MemoryBytecodeCache(), "papers": MemoryBytecodeCache()}
        #: ... and empties its site folder without waiting for the disk (servesite.py).
        self.sweeper = SiteSweeper()
        #: The collector's thresholds while a build holds off full collections.
        self.collector: tuple[int, int, int] | None = None
        #: The guard's record folder, and its secrets worked out while the pages are drawn.
        self.guard_cache: Path | None = None
        self.secrets_ahead: SecretsAhead | None = None
        #: The fork that works out the secrets, then makes a re-build's output files.
        self.build_fork: BuildFork | None = None
        #: Where the page cache is kept (None: no page cache).
        self.page_cache_folder: Path | None = None
        #: A first build's fingerprints of every paper (`_prime_prints`; None: none).
        self.primed: Fingerprints | None = None
        #: A re-build's page cache, opened before the build's fork began so that the fork
        #: has it too (`_open_early`); taken by `_open_page_cache` while its key holds.
        self.early_cache: PageCache | None = None
        #: Where a build keeps its compiled templates (None: not kept; serve keeps them in
        #: memory).
        self.compiled_folder: Path | None = None
        #: The helper reading a re-build's linked files while the papers load (warmup.py).
        self.warming: warmup.Warming | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        #: `mkdocs serve --dirty` keeps the site folder's pages: it is never emptied then.
        self.dirty = dirty

    # Early, so the papers are loaded before mkdocs-macros calls define_env in its on_config.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.timer = StepTimer()
        # No collections of what lives to the end of a build, until many pages are drawn
        # (collector.py); serve's rebuilds draw a slice and collect as usual.
        self._release_collector()
        self.collector = collector.hold() if self.command == "build" else None
        # MkDocs keeps a plugin with on_startup for every build of the process: a serve after
        # a build must not publish into that build's folder.
        self.target = self.lock = None
        self.early_cache = None  # a failed build's, never the next one's
        self.held: tuple[Any, ...] = ()  # the last build's (Prepared.held), let go first
        root = Path(config.config_file_path).parent
        if self.command == "serve" and self.config.audience == "members":
            raise PluginError("the members' site is never served by mkdocs serve")
        self.data_dir = root / self.config.data_dir
        cache = self._load_folder(root)
        serve = self.command == "serve"
        if not serve:
            self._start_warmup(root, Path(config.site_dir))
        packs = bool(self.config.packs) and self.command == "build"
        # The build's fork begins as soon as the papers are projected, while the checks
        # between files still run; with packs, once they are laid out (the pages and
        # outputs the fork makes print their page ranges).
        fork_early = self.command == "build" and not packs

        def projected(papers: Papers, policy: Policy, origins: dict[int, Any]) -> None:
            self._take_papers(config, root, papers, policy, origins)
            if fork_early:
                self._begin_output(config)

        try:
            prepared = prepare(
                self.data_dir,
                Audience(self.config.audience),
                self._as_of(),
                timer=self.timer,
                load_cache=cache,
                memory=self._serve_memory() if serve else None,
                serve_meetings=self.config.serve_meetings if serve else None,
                site_url=config.site_url,
                traced=bool(self.config.page_cache),
                projected=projected,
            )
        except DataError as error:
            raise PluginError(str(error)) from None
        shown, policy = prepared.policy.papers, prepared.policy
        self.beyond_slice = prepared.beyond_slice
        # Held to the end of the build, which forks (a process that ends frees nothing).
        self.held = prepared.held if self.command == "build" else ()
        # Warnings are doubts for the clerk, not failures: logged at INFO so --strict builds.
        for warning in prepared.warnings:
            log.info(f"papers check: {warning}")
        if self.command == "serve":
            self.renderer.env.bytecode_cache = self.compiled["papers"]
        if packs:
            # Packs are laid out before any page is drawn: the agendas print their page ranges.
            self.pdf_files = self._build_pdfs(config, root)
            self.timer.lap("packs")
        if self.command == "build" and not fork_early:
            self._begin_output(config)
        specs = page_specs(shown, policy, self.renderer)
        if self.command == "serve" and self.config.serve_meetings > 0:
            specs = _newest_slice(specs, shown, self.config.serve_meetings)
        self.specs = {spec.src_uri: spec for spec in specs}
        self.timer.lap("specs")
        if self.command == "build":
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def _take_papers(
        self,
        config: MkDocsConfig,
        root: Path,
        papers: Papers,
        policy: Policy,
        origins: dict[int, Any],
    ) -> None:
        """The projected papers taken in: the council's identity, the renderer and the
        settings every later step reads (all before the build's fork begins: it is a
        copy of this process as it is then)."""
        self.origins = origins
        self._apply_identity(config, papers.site)
        self.policy = policy
        self.full_papers = papers
        # Words of the templates themselves ("Apologies for absence") are public by nature.
        self.template_text = [
            path.read_text(encoding="utf-8", errors="replace")
            for folder in (root / self.config.templates_dir, Path(config.theme.dirs[0]))
            for path in sorted(folder.rglob("*.html"))
        ]
        # MkDocs dates the sitemap by the clock unless SOURCE_DATE_EPOCH is set: date it by the
        # publication date instead, so the same data and date build the same bytes any day.
        if not _USER_EPOCH:
            noon = dt.datetime.combine(policy.as_of, dt.time(12), tzinfo=dt.UTC)
            os.environ["SOURCE_DATE_EPOCH"] = str(int(noon.timestamp()))
        self.compiled_folder = (
            writable(
                cache_folder(root, self.config.template_cache, ".cache/templates"),
                "Compiled templates",
            )
            if self.command == "build"
            else None
        )
        shown = policy.papers
        self.render_inputs = RenderInputs(
            shown,
            policy,
            (root / self.config.templates_dir,),
            frozenset(withheld_ids(papers, shown)),
            compiled=self.compiled_folder,
        )
        self.renderer = self.render_inputs.renderer()
        # Theme templates (overrides/main.html) mark every page of a members' build noindex.
        config.extra["papers_audience"] = policy.audience.value
        config.extra["papers_language"] = papers.site.language
        # MkDocs reuses plugin instances across builds in one process: forget the last PDFs.
        self.pdf_files = []
        self.page_cache_folder = writable(self._page_folder(root), "Page cache")

    def _begin_output(self, config: MkDocsConfig) -> None:
        """Build beside the live site and swap it in only when everything has passed, so a
        failed build never destroys the last good site; the build's fork begun."""
        root = Path(config.config_file_path).parent
        self._lock_output(Path(config.site_dir), root, config)
        config.site_dir = str(staging_dir_for(self.target))
        folder = self.page_cache_folder
        # A first build (no fingerprints kept) primes its papers' prints; a re-build opens
        # its page cache before the fork.
        first = self.command == "build" and folder is not None and never_kept_prints(folder)
        self._open_early(config, rebuild=self.command == "build" and not first)
        self._start_ahead(config)
        self._prime_prints(first)

    def _open_early(self, config: MkDocsConfig, rebuild: bool) -> None:
        """A re-build's page cache opened now, before the fork begins: the fork then has it
        as a copy of this process, where it opened the same cache again once told its key
        (0.3 s of CPU at ten years of papers, on the fork's chain that ends with the
        outputs the build waits for). Taken in `on_files` only if the key is still the
        same once every plugin has set the configuration, and in the fork only under the
        key it is then told (`_opened_cache`). Not yet tracing the papers' reads: their
        collections made TracedDicts now would slow every lookup of the page specs, the
        register and the fork's secrets, which record nothing. A first build's cache is
        opened in `on_files`, once its papers are fingerprinted (`_prime_prints`)."""
        self.early_cache = None
        folder = self.page_cache_folder
        if not rebuild or folder is None:
            return
        key = self._page_cache_key(config)
        if key is not None:
            self.early_cache = PageCache(folder, key, self.origins, self.primed)

    def _start_ahead(self, config: MkDocsConfig) -> None:
        """Start the fork that works while the pages are drawn, as soon as the papers are
        projected (the page specs are not made yet): the guard's secrets first
        (secretsahead.py), then, for a re-build, the output files (buildfork.py), told
        to go in on_files. One fork: each fork of this large process costs it page copies
        as it goes on writing to its memory. Once the output folder's lock is held (the
        fork keeps the guard's memo)."""
        self._stop_secrets()
        self._stop_fork()
        self.primed = None  # the fork is a copy of this process: none from a last build
        if self.command != "build" or self.policy is None:
            return
        self.guard_cache = None
        if not self.policy.members:
            root = Path(config.config_file_path).parent
            self.guard_cache = writable(self._guard_folder(root), "Guard record")
        open_cache = self._opened_cache if self.page_cache_folder is not None else None
        self.secrets_ahead, self.build_fork = start_fork(
            Path(config.site_dir),
            self.policy,
            self.full_papers,
            self.template_text,
            self.guard_cache,
            open_cache,
            self.origins,
            lambda: self.early_cache,
        )

    def _prime_prints(self, first: bool) -> None:
        """A `first` build's papers fingerprinted once, while the fork works out the
        secrets: the pages' worker is forked later and shares them, and the fork is handed
        those of papers as loaded with the cache's key (BuildFork.go)."""
        if first and self.policy is not None:
            self.primed = Fingerprints(self.origins)
            self.primed.prime(self.policy.papers)

    def _stop_secrets(self) -> None:
        if self.secrets_ahead is not None:
            self.secrets_ahead.stop()
            self.secrets_ahead = None

    def _stop_fork(self) -> None:
        if self.build_fork is not None:
            self.build_fork.stop()
            self.build_fork = None

    def _serve_memory(self) -> UnitMemory:
        """The papers of the last serve rebuild, and which data files changed since."""
        if self.watcher is not None and self.watcher.folder != os.path.abspath(self.data_dir):
            self.watcher.stop()
            self.watcher = None
        if self.watcher is None:
            self.watcher = ChangedFiles(self.data_dir)
        self.load_memory.changed = self.watcher.take()
        return self.load_memory

    def _start_warmup(self, root: Path, site: Path) -> None:
        """The files a re-build links read from the disk while the papers load (warmup.py)."""
        self._stop_warmup()
        pages = self._page_folder(root)
        loads = self._load_folder(root)
        load_file = loadcache.cache_file(loads, self.data_dir) if loads is not None else None
        # The guard reads its memos in a public build only (the members' site has none).
        guard = self._guard_folder(root) if self.config.audience != "members" else None
        self.warming = warmup.begin(pages, site, load_file, guard)

    def _load_folder(self, root: Path) -> Path | None:
        """The load cache's folder, as the settings name it (None: off)."""
        return cache_folder(root, self.config.load_cache, ".cache/load")

    def _page_folder(self, root: Path) -> Path | None:
        """The page cache's folder, as the settings name it (None: off)."""
        return cache_folder(root, self.config.page_cache, ".cache/pages")

    def _guard_folder(self, root: Path) -> Path | None:
        """The guard's folder of memos and record, as the settings name it (None: off)."""
        return cache_folder(root, self.config.guard_cache, ".cache/guard")

    def _stop_warmup(self) -> None:
        warmup.stop(self.warming)
        self.warming = None

    def _lock_output(self, target: Path, root: Path, config: MkDocsConfig) -> None:
        """Refuse a dangerous output folder, take its lock, clear a killed build's leftovers
        (publish.lock_output), protecting the project's folders MkDocs names."""
        protected = [
            ("data folder", root / self.config.data_dir),
            ("templates folder", root / self.config.templates_dir),
            ("docs folder", Path(config.docs_dir)),
            ("project folder", root),
        ]
        if config.theme.custom_dir:
            protected.append(("theme overrides folder", Path(config.theme.custom_dir)))
        members = self.config.audience == "members"
        if members:
            protected.append(("public site folder", root / "site"))
        inside = [root / self.config.data_dir, root / self.config.templates_dir]
        try:
            self.lock = lock_output(target, protected, inside, self.config.audience)
        except PublishError as error:
            raise PluginError(str(error)) from None
        self.target = target

    def _unlock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_shutdown(self) -> None:
        self._release_collector()
        self._stop_warmup()
        self._stop_secrets()
        self._stop_fork()
        self._unlock()
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.sweeper.wait()

    def _release_collector(self) -> None:
        collector.release(self.collector)
        self.collector = None

    def _apply_identity(self, config: MkDocsConfig, site: Site) -> None:
        """The council's name, address, description, footer and logo come from site.yml, so
        one mkdocs.yml serves every council. material prints these without escaping, so
        they go in escaped (as Markup, so templates that escape do not escape twice)."""
        config.site_name = Markup.escape(site.title)
        config.site_description = Markup.escape(site.summary)
        config.copyright = Markup.escape(site.footer_line)
        if site.site_url:
            config.site_url = site.site_url.rstrip("/") + "/"
        if site.logo:
            config.theme["logo"] = site.logo
        self.logo = site.logo

    def _build_pdfs(self, config: MkDocsConfig, root: Path) -> list[outputs.OutputFile]:
        from .outputs.packs import PdfSettings, build_pdfs, cache_problem

        assert self.renderer is not None
        published = {"docs folder": Path(config.docs_dir), "output folder": Path(config.site_dir)}
        problem = cache_problem(root / self.config.pack_cache, published)
        if problem:
            raise PluginError(f"committee-papers: {problem}")
        settings = PdfSettings(
            site_url=config.site_url or "",
            base_url=config.docs_dir,
            cache=root / self.config.pack_cache,
            workers=self.config.pack_workers,
        )

        def progress(name: str, pdf: Any) -> None:
            state = "unchanged" if pdf.cached else "laid out"
            log.info(f"PDF {name}: {pdf.pages} pages ({state})")

        try:
            # The full papers lay out the members' non-public packs into the cache only, so
            # the public agenda can print Part 2 page ranges: only page numbers come back.
            index = build_pdfs(
                self.renderer.env, self.renderer.view, settings, progress, self.full_papers
            )
        except Exception as error:  # WeasyPrint's own errors: name the step, stop the build
            raise PluginError(f"committee-papers: laying out the PDFs failed: {error}") from error
        self.renderer.view = replace(self.renderer.view, pdfs=index)
        return index.files

    def _as_of(self) -> dt.date:
        if not self.config.as_of:
            return london_today()
        try:
            return parse_as_of(self.config.as_of)
        except ValueError as error:
            raise PluginError(f"committee-papers: as_of: {error}") from None

    # `mkdocs serve` rebuilds when the papers or their templates change, not only docs/.
    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        root = Path(config.config_file_path).parent
        notify = _rebuild_request(server)
        if self.watcher is not None and self.watcher.running and notify is not None:
            self.watcher.on_change(notify)  # inotify: no walk of the archive twice a second
        else:
            server.watch(str(root / self.config.data_dir))
        server.watch(str(root / self.config.templates_dir))
        return server

    # Before MkDocs empties the site folder: in serve, its entries are moved aside and
    # removed in the background (servesite.py), so the rebuild does not wait for the disk.
    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.command == "serve" and not self.dirty:
            self.sweeper.empty(config.site_dir)

    # Generated pages are added before the nav is built, like the blog plugin's posts. The
    # configuration is final (every plugin's on_config has run) and MkDocs has emptied the
    # output folder: the page cache is opened and a re-build's outputs begun.
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.target is not None and self.command == "build":
            # The old site's folders, emptied, as the staging folder: placing 45,000 pages
            # then makes no folder (siteskeleton.py).
            self.skeleton = siteskeleton.take(self.target, Path(config.site_dir))
        self._open_page_cache(config)
        if self.build_fork is not None:
            # Now the staging folder is the old site's folders (MkDocs emptied it before).
            cache = self.page_cache
            self.build_fork.go(
                cache if ahead_wanted(cache, len(self.specs)) else None, self.skeleton
            )
        if self.logo:
            # The logo lives with the council's data, not in docs/, so no council's site
            # carries another's.
            old = files.get_file_from_path(self.logo)
            if old is not None:
                files.remove(old)
            source = str(self.data_dir / self.logo)
            files.append(File.generated(config, self.logo, abs_src_path=source))
        if self.policy is not None and not self.policy.papers.site.documentation:
            _leave_out(files, config, set(self.config.documentation))
        # Which generated pages the page cache serves as they are, known before MkDocs
        # makes a file of any: those out of the nav never become one (`_PlacedPage`).
        self._plan_pages()
        collector.drawing(self.collector, len(self.specs) - len(self.plan.hits))
        placed = self._placed_pages(config)
        # Where the plugin writes each from the cache (`_place_cached_pages`), but those
        # the old site holds already, left as they are (siteskeleton.py).
        root, hits, normpath = os.path.join(config.site_dir, ""), self.plan.hits, os.path.normpath
        self.placed = {normpath(root + page.dest_uri): hits[uri] for uri, page in placed.items()}
        self.to_place = self._not_there(placed)
        for spec in self.specs.values():
            if spec.src_uri in placed:
                continue
            inclusion = (
                InclusionLevel.INCLUDED if spec.src_uri in _IN_NAV else InclusionLevel.NOT_IN_NAV
            )
            files.append(
                File.generated(
                    config, spec.src_uri, content=spec.front_matter(), inclusion=inclusion
                )
            )
        make = functools.partial(self._placed_file, config)
        page_files = _PageFiles(files, placed, list(self.specs), make)
        self.search_groups = {
            f.dest_uri: self.specs[f.src_uri].meta.get("search_group", SITE_GROUP)
            if f.src_uri in self.specs
            else SITE_GROUP
            for f in page_files.documentation_pages()
        }
        log.info(f"Rendering {len(self.search_groups)} pages")
        self._place_cached_pages()
        return page_files

    def _placed_pages(self, config: MkDocsConfig) -> dict[str, _PlacedPage]:
        """The generated pages the page cache serves and the nav does not hold (its pages'
        titles are the nav's): placed from the cache, never read or drawn by MkDocs. Under
        PAPERS_PAGE_CACHE_VERIFY every page takes the long way."""
        cache = self.page_cache
        if cache is None or cache.verify:
            return {}
        date = get_build_date()
        # Read once: each read of MkDocs' config goes through a descriptor (90,000 reads for
        # 45,000 pages at ten years of papers).
        directory_urls, site_url = config.use_directory_urls, config.site_url
        return {
            uri: _PlacedPage(uri, directory_urls, site_url, date)
            for uri in self.plan.hits
            if uri not in _IN_NAV
        }

    def _not_there(self, placed: dict[str, _PlacedPage]) -> dict[str, Any]:
        """The placed pages to link into the staging folder: those the old site does not
        hold as the page cache's copy already (all of them without an old site)."""
        kept, cache = self.skeleton, self.page_cache
        if kept is None or cache is None or cache.device is None:
            return self.placed
        device, inodes, holds = cache.device, self.plan.inodes, kept.holds
        # `self.placed` was made from `placed` in its order: each path beside its page.
        return {
            path: entry
            for (path, entry), (uri, page) in zip(self.placed.items(), placed.items(), strict=True)
            if not holds(page.dest_uri, inodes.get(uri), device)
        }

    def _placed_file(self, config: MkDocsConfig, uri: str) -> File:
        """The file of a placed page, made when a hand-written page links to it: what an
        empty Markdown page leaves, as in a full build (no anchors, no links)."""
        spec = self.specs[uri]
        file = File.generated(
            config, uri, content=spec.front_matter(), inclusion=InclusionLevel.NOT_IN_NAV
        )
        page = Page(None, file, config)
        page.markdown = ""
        _left_empty(page)
        return file

    def _start_page_html(self, files: Files) -> None:
        """A second process renders the engine's HTML of generated pages while this one
        draws the theme (prerender.py); the pages come out the same either way."""
        if self.page_html is not None:
            self.page_html.close()
        # Only the pages to draw: the page cache serves the others as they are.
        order = [
            f.src_uri
            for f in files.documentation_pages()
            if f.src_uri in self.specs and f.src_uri not in self.plan.hits
        ]
        self.progress = Progress(_DRAWN, len(order), log.info)
        workers = workers_for(len(order)) if self.command == "build" else 0
        self.whole_order = []
        if workers and start_method() == "fork":
            self.whole_order = order  # begun in on_env, once MkDocs has read every page
            log.info("Drawing the pages on two cores")
            return
        inputs = self.render_inputs
        if inputs is not None and self.renderer is not None:
            inputs = replace(inputs, pdfs=self.renderer.view.pdfs)
        # With the page cache, a page is drawn with its record of reads, in either process.
        draw = self.page_cache.draw if self.page_cache is not None else None
        self.page_html = PageHtml(self.specs, order, inputs, workers, draw)
        if workers:
            log.info("Rendering the papers' HTML on two cores")

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self.nav = nav
        self._start_page_html(files)
        return nav

    def _place_cached_pages(self) -> None:
        """The placed pages, written from the cache as soon as they are known (MkDocs
        emptied the output folder before `on_files`), so that the forks placing them work
        while MkDocs reads and draws the other pages: begun in `on_env`, half a second
        later, a re-build of ten years of papers waited for them."""
        if self.page_cache is None or not self.to_place:
            return
        if self.command == "build":  # serve's threads are not forked
            self.page_cache.place_beside(self.to_place)
        else:
            self.page_cache.place(self.to_place)

    # After MkDocs has read every page, before it draws any.
    # Jinja checks every template file's modification time each time a page includes it
    # (material's base.html includes dozens): 14 ms a page. A build never edits the theme
    # while it runs, and `mkdocs serve` makes a new environment for every rebuild.
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        self._clear_for_mkdocs(config, files)
        env.auto_reload = False
        if self.command == "serve":
            env.bytecode_cache = self.compiled["theme"]
        else:
            on_disk(env, self.compiled_folder)
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({_CACHED_TEMPLATE: ""})])
        if theme_memo.enabled() and self.command == "build":
            theme_memo.memoise_nav(env)  # the navigation drawn once per place, not per page
        self._start_both_ends(env, config, files)
        return env

    def _clear_for_mkdocs(self, config: MkDocsConfig, files: Files) -> None:
        """Before MkDocs writes a file (its static files, the theme's templates, then the
        pages, by either process): the old site's file at each of its paths removed, since
        MkDocs writes into a file in place and the old site's files are hard links to the
        page cache's copies and the live site's (siteskeleton.py)."""
        self.written_by_theme = set()
        if self.skeleton is None:
            return
        written = {file.dest_uri for file in files}  # MkDocs' own files, not the placed
        written.update(config.theme.static_templates)
        written.update(config.extra_templates)
        written.update(f"{name}.gz" for name in config.theme.static_templates)
        self.written_by_theme = {PurePath(path).as_posix() for path in written}
        siteskeleton.clear(Path(config.site_dir), self.skeleton, self.written_by_theme)

    def _start_both_ends(self, env: Any, config: MkDocsConfig, files: Files) -> None:
        """The fork that draws pages whole from the last backwards (prerender.BothEnds):
        made now that MkDocs has read every page and the theme is ready, so it draws a page
        exactly as this process would."""
        if not self.whole_order or not isinstance(files, _PageFiles):
            return
        pages = files.to_build(InclusionLevel.is_included)
        self.whole = _WholePages(config, pages, self.nav, env, self.warnings.count)
        self.both_ends = BothEnds(self.whole_order, self._draw_whole)
        files.in_turn = self._in_turn

    def _draw_whole(self, uri: str) -> tuple[Any, int]:
        """In the pages' fork: MkDocs draws the page (its content in on_page_context, its
        theme) and writes its file; what the page cache keeps of it, and the warnings logged
        so far, go back to the build process."""
        self.in_fork = True
        whole = self.whole
        assert whole is not None
        file = whole.files[uri]
        excluded = file.inclusion.is_excluded()
        _build_page(
            file.page,
            whole.config,
            whole.pages,
            whole.nav,
            whole.env,
            self.dirty,
            excluded=excluded,
        )
        return self.kept_in_fork.pop(uri, None), self.warnings.count - whole.warnings_before

    def _in_turn(self, uri: str) -> bool:
        """Whether this process draws the page; once the fork has ended, what it drew is
        taken into the page cache as if drawn here."""
        assert self.both_ends is not None and self.whole is not None
        mine = self.both_ends.mine(uri)
        self.progress.note(self.both_ends.taken())
        if self.both_ends.done is not None and not self.whole.taken:
            self._take_whole_pages(self.whole, self.both_ends.records)
        return mine

    def _take_whole_pages(self, whole: _WholePages, records: dict[str, tuple[Any, int]]) -> None:
        whole.taken = True
        # Each answer gives the warnings the fork had logged by then.
        self.warnings.count += max((warned for _, warned in records.values()), default=0)
        for uri, (kept, _) in records.items():
            if kept is not None and self.page_cache is not None:
                dest = whole.files[uri].abs_dest_path
                self.page_cache.keep_written(uri, self.plan.statics[uri], dest, *kept)
        log.info(f"Pages drawn whole by the worker: {len(records)}")

    def _open_page_cache(self, config: MkDocsConfig) -> None:
        self.page_cache, self.plan, self.drawn = None, Plan(), {}
        key = self._page_cache_key(config)
        if key is not None:
            self.page_cache = self._opened_cache(key)
        self.early_cache = None  # taken, or not the key's: the fork has its own copy

    def _page_cache_key(self, config: MkDocsConfig) -> bytes | None:
        """The page cache's global key for the configuration as it stands (None: no cache)."""
        folder = self.page_cache_folder
        if folder is None or self.renderer is None or self.policy is None:
            return None
        root = Path(config.config_file_path).parent
        folders = [root / self.config.templates_dir]
        if config.theme.custom_dir:
            folders.append(Path(config.theme.custom_dir))
        settings = [
            self.command,
            Path(config.config_file_path).read_text(encoding="utf-8"),
            repr(sorted((k, v) for k, v in self.config.items() if k != "as_of")),
            repr(
                [
                    str(config.site_name),
                    config.site_url,
                    str(config.site_description),
                    str(config.copyright),
                    config.use_directory_urls,
                    sorted((k, repr(v)) for k, v in config.theme.items()),
                    config.extra,
                    config.nav,
                    config.markdown_extensions,
                    config.mdx_configs,
                    [str(x) for x in config.extra_css],
                    [str(x) for x in config.extra_javascript],
                ]
            ),
            folder_digest([Path(config.docs_dir)]).hex(),
        ]
        return engine_key(self.policy.papers, folders, settings)

    def _opened_cache(self, key: bytes) -> PageCache:
        """The page cache of `key` (in this process, or in the fork that makes a re-build's
        outputs: buildfork.py), reporting the projected papers' reads."""
        assert self.page_cache_folder is not None
        assert self.policy is not None and self.renderer is not None
        early = self.early_cache  # in the fork, its copy of the one opened before it began
        if early is not None and early.key == key:
            cache = early
        else:
            cache = PageCache(self.page_cache_folder, key, self.origins, self.primed)
        cache.trace(self.policy.papers, self.renderer.view)
        return cache

    def _plan_pages(self) -> None:
        cache = self.page_cache
        if cache is None:
            return
        fork = self.build_fork
        if fork is not None:
            # The register's fingerprints, from the fork, as the first page reading a
            # decision asks for them; else once every page is checked, before this
            # process forks: a fork of it must not read the fork's answers.
            cache.prints.awaiting(fork.take_register_prints, REGISTER_KINDS)
        self.plan = cache.plan(self.specs.values())
        if fork is not None:
            fork.take_register_prints()
        log.info(
            f"Page cache: {len(self.plan.hits)} of {len(self.specs)} generated pages unchanged, "
            f"{len(self.specs) - len(self.plan.hits)} to draw "
            f"(checked in {self.plan.seconds:.1f} s)"
        )

    # A generated page has nothing to convert: its Markdown is empty (the front matter only)
    # and its HTML comes from the engine or the page cache, so MkDocs' Markdown conversion
    # (0.6 ms a page with a fresh Markdown instance) is skipped, leaving what an empty page
    # leaves: no content, no headings, no anchors.
    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        if page.file.src_uri in self.specs:
            convert = page.render

            def render(config: MkDocsConfig, files: Files) -> None:
                if (page.markdown or "").strip():
                    convert(config, files)
                    return
                _left_empty(page)
                page.toc = get_toc([])
                page._title_from_render = None

            page.render = render  # type: ignore[method-assign]
        return page

    # The engine's HTML replaces the (empty) Markdown of a generated page: data text never
    # passes through Markdown's or Jinja's hands again.
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return html
        cache = self.page_cache
        if cache is not None and spec.src_uri in self.plan.hits:
            if cache.verify:
                try:
                    cache.check(spec.src_uri, self.plan.hits[spec.src_uri], spec.html)
                except StaleCacheError as error:
                    raise PluginError(str(error)) from error
            # Served from the cache: no theme to draw (on_post_page puts the HTML in).
            page.meta["template"] = _CACHED_TEMPLATE
            return ""
        if self.whole_order or (self.page_html is not None and self.page_html.parallel):
            return html  # made in on_page_context, while the worker renders other pages
        return self._drawn(page, *self._draw(spec))

    def _draw(self, spec: PageSpec) -> tuple[str, Any]:
        """The page's engine HTML drawn here, with its record of reads (None without the
        page cache)."""
        if self.page_cache is None:
            return spec.html(), None
        return self.page_cache.draw(spec.html)

    def _drawn(self, page: Page, content: str, reads: Any) -> str:
        """`content` as the page's engine HTML: its headings, and what the page cache keeps
        once the page is written (on_post_page)."""
        if self.page_cache is not None:
            self.drawn[page.file.src_uri] = (reads, content)
        if self.whole is None:  # else counted as either process takes a page (_in_turn)
            self.progress.one_more()
        page.toc = get_toc(_toc_tokens(content))
        return content

    # With the pages' worker running, a generated page's HTML is taken just before its theme
    # is drawn (MkDocs reads every page's content before it draws any theme).
    def on_page_context(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        uri = page.file.src_uri
        if uri not in self.specs or uri in self.plan.hits:
            return context
        if self.page_html is not None and self.page_html.parallel:
            page.content = self._drawn(page, *self.page_html.page(uri))
        elif self.whole is not None:  # drawn by whichever process draws the page (BothEnds)
            page.content = self._drawn(page, *self._draw(self.specs[uri]))
        return context

    def _stop_page_html(self) -> None:
        if self.both_ends is not None:
            if self.both_ends.done is None:
                self.both_ends.stop()
            self.both_ends = None
        self.whole_order, self.whole = [], None
        if self.page_html is not None:
            if self.page_html.parallel:
                log.info(f"Pages rendered by the worker: {self.page_html.by_worker}")
            self.page_html.close()
            self.page_html = None

    # Last, so the page kept is the page written.
    @event_priority(-100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        cache = self.page_cache
        uri = page.file.src_uri
        if uri in self.specs:
            # Written once this returns, and read by nothing after: MkDocs keeps every Page to
            # the end of the build, and ten years of their HTML was some 400 MB (their
            # headings and the stand-in for their Markdown conversion some 100 MB more).
            page.content = None
            page.toc = get_toc([])
            page.__dict__.pop("render", None)
        if cache is None:
            return output
        # A build makes the file MkDocs writes the cache's copy (PageCache.adopt); serve's
        # temporary site is emptied and rewritten on every edit, so it is left alone.
        dest = page.file.abs_dest_path if self.target is not None else None
        if uri in self.plan.hits:
            return cache.reuse(uri, self.plan.hits[uri], dest)
        drawn = self.drawn.pop(uri, None)
        if drawn is not None and self.in_fork:
            self.kept_in_fork[uri] = written_record(uri, drawn[0], drawn[1], output)
        elif drawn is not None:
            cache.keep(uri, self.plan.statics[uri], drawn[0], drawn[1], output, dest)
        return output

    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.page_cache is not None:
            self.page_cache.placed()  # the pages placed by a fork (place_beside)
        self._stop_warmup()  # what it reads is linked by now
        if self.target is None:
            # mkdocs serve: no guard, nothing to publish
            save_page_cache(self.page_cache, self.plan, self.specs)
            return
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and self.warnings.count:
            raise PluginError(
                f"{self.warnings.count} warning(s) in strict mode; "
                f"the site in {self.target} was left as it was"
            )
        self._stop_page_html()
        root = Path(config.config_file_path).parent
        search_folder = None
        if self.config.search_index:
            search_folder = writable(
                cache_folder(root, self.config.search_cache, ".cache/search"), "Search indexes"
            )
        finish = SiteFinish(
            staging=Path(config.site_dir),
            target=self.target,
            lock=self.lock,
            policy=self.policy,
            full_papers=self.full_papers,
            template_text=self.template_text,
            timer=self.timer,
            specs=self.specs,
            search_groups=self.search_groups,
            search_index=self.config.search_index,
            search_folder=search_folder,
            guard_cache=self.guard_cache,
            pdf_files=self.pdf_files,
            page_cache=self.page_cache,
            plan=self.plan,
            placed=self.placed,
            skeleton=self.skeleton,
            written_by_theme=self.written_by_theme,
            secrets_ahead=self.secrets_ahead,
            build_fork=self.build_fork,
        )
        self.secrets_ahead = self.build_fork = None  # the finish's now
        try:
            finish.run()
        except BuildStopped as error:
            raise PluginError(str(error)) from error
        finally:
            finish.stop()
        self._unlock()
        self.timer.lap("publish")
        self._release_collector()
        log.info(f"Published the site to {self.target}")
        log.info(f"Steps: {self.timer.summary()}")

    def on_build_error(self, error: Exception) -> None:
        self._release_collector()
        self._stop_warmup()
        self._stop_secrets()
        self._stop_fork()
        if self.page_cache is not None:
            self.page_cache.stop_forks()
        self._stop_page_html()
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.target is not None and self.lock is not None:
            shutil.rmtree(staging_dir_for(self.target), ignore_errors=True)
            log.error(f"The build failed; the site in {self.target} was left as it was.")
        self._unlock()


def _rebuild_request(server: Any) -> Any:
    """What MkDocs' own watcher does on a change (mkdocs 1.6 LiveReloadServer.watch), for the
    plugin's watcher; None when this MkDocs server has no such thing (then it polls)."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return None

    def notify() -> None:
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    return notify


def _newest_slice(specs: list[PageSpec], papers: Any, count: int) -> list[PageSpec]:
    """The pages of the newest `count` meetings (and their papers) and every other page."""
    dates = sorted((m.date.isoformat() for m in papers.meetings.values()), reverse=True)
    if len(dates) <= count:
        return specs
    cutoff = dates[count - 1]
    log.info(f"Serving the papers of the newest {count} meetings (from {cutoff}) only")
    return [s for s in specs if s.meta.get("search_date", cutoff) >= cutoff]


def _leave_out(files: Files, config: MkDocsConfig, uris: set[str]) -> None:
    """Remove hand-written pages and their nav entries (before MkDocs builds the nav, so a
    page this council does not publish is neither built nor reported missing)."""
    for uri in uris:
        found = files.get_file_from_path(uri)
        if found is not None:
            files.remove(found)
    if config.nav:
        config.nav = _prune_nav(config.nav, uris)


def _prune_nav(entries: list[Any], uris: set[str]) -> list[Any]:
    kept: list[Any] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            children = _prune_nav(value, uris)
            if children:
                kept.append({next(iter(entry)): children} if isinstance(entry, dict) else children)
        elif value not in uris:
            kept.append(entry)
    return kept


def _toc_tokens(html: str) -> list[dict[str, Any]]:
    """The page's h2 and h3 headings as MkDocs TOC tokens, for material's right sidebar."""
    tokens: list[dict[str, Any]] = []
    for level, anchor, inner in _HEADING.findall(html):
        name = " ".join(_TAGS.sub("", inner).split())
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        if token["level"] == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def define_env(env: Any) -> None:
    """mkdocs-macros hook: offer the engine's rendering macros to hand-written pages."""
    plugin = env.conf.plugins["committee-papers"]

    def bind(name: str) -> Any:
        def macro(*args: Any, **kwargs: Any) -> str:
            if plugin.renderer is None:
                raise PluginError("committee-papers must come before macros in plugins:")
            try:
                return str(
                    getattr(plugin.renderer, name)(*args, base=base_for(env.page.url), **kwargs)
                )
            except NotPublished as withheld:
                return str(withheld.notice)
            except UnknownPaper as error:
                older = [str(a) for a in args if str(a) in plugin.beyond_slice]
                if plugin.command == "serve" and older:
                    return str(_SERVE_NOTICE.format(name=name, paper=older[0]))
                raise PluginError(f"{env.page.file.src_uri}: {name}(): {error}") from error

        macro.__name__ = name
        macro.__doc__ = getattr(Renderer, name).__doc__
        return macro

    for name in MACROS:
        env.macro(bind(name), name)


def build_site(
    config_file: str,
    *,
    audience: str = "public",
    as_of: str | None = None,
    site_dir: str | None = None,
    data_dir: str | None = None,
    templates_dir: str | None = None,
    docs_dir: str | None = None,
    strict: bool = True,
    packs: bool | None = None,
) -> None:
    """Build like `mkdocs build`, for `papers build` (which adds the audience and date).

    `packs` None keeps mkdocs.yml's setting; True or False overrides it.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides: dict[str, Any] = {"strict": strict}
    if site_dir:
        overrides["site_dir"] = site_dir
    if docs_dir:
        overrides["docs_dir"] = docs_dir
    config = load_config(config_file, **overrides)
    plugin = config.plugins["committee-papers"]
    plugin.config.audience = audience
    plugin.config.as_of = as_of
    if packs is not None:
        plugin.config.packs = packs
    if data_dir:
        plugin.config.data_dir = data_dir
    if templates_dir:
        plugin.config.templates_dir = templates_dir
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
