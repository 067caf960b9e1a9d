"""The MkDocs adapter: the only module that imports `mkdocs`.

It wires MkDocs events to the engine: load and validate the data when the config is read,
add a generated page for every spec, put the engine's HTML into those pages, offer the
engine's macros to hand-written pages, and publish the finished site atomically. A move to
a successor of MkDocs 1.x replaces this module and nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import outputs
from .asof import london_today, parse_as_of
from .guard import check_site
from .load import load_with_problems
from .pages import PageSpec, page_specs
from .policy import Audience, Policy
from .problems import format_problems
from .publish import (
    BuildLock,
    PublishError,
    clean_leftovers,
    refuse_dangerous_output,
    staging_dir_for,
    swap_into_place,
)
from .render import MACROS, Renderer, UnknownPaper
from .urls import base_for

log = logging.getLogger("mkdocs.plugins.committee_papers")

#: Index pages that sit in the nav; every other generated page is reached through them.
_IN_NAV = {"committees/index.md", "meetings/index.md", "people/index.md"}
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")
#: A SOURCE_DATE_EPOCH the person building set themselves wins over the publication date.
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")


class PapersConfig(base.Config):
    data_dir = opt.Type(str, default="data")
    templates_dir = opt.Type(str, default="macros")
    audience = opt.Choice(("public", "members"), default="public")
    as_of = opt.Optional(opt.Type(str))


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class CommitteePapersPlugin(BasePlugin[PapersConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.renderer: Renderer | None = None
        self.policy: Policy | None = None
        self.specs: dict[str, PageSpec] = {}
        self.target: Path | None = None
        self.lock: BuildLock | None = None
        self.warnings = _WarningCounter()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    # Early, so the papers are loaded before mkdocs-macros calls define_env in its on_config.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        if self.command == "serve" and self.config.audience == "members":
            raise PluginError("the members' site is never served by mkdocs serve")
        papers, problems, sources = load_with_problems(root / self.config.data_dir)
        if papers is not None and papers.site.logo:
            if not (Path(config.docs_dir) / papers.site.logo).is_file():
                site_yml = next(
                    (m for p, m in sources.maps.items() if p.endswith("site.yml")), None
                )
                problems.add(
                    site_yml or "site.yml",
                    ("logo",),
                    f"{papers.site.logo!r} is not a file in docs/",
                )
            elif not config.theme.get("logo"):
                config.theme["logo"] = papers.site.logo
        if problems or papers is None:
            raise PluginError(format_problems(problems))
        policy = Policy(papers, Audience(self.config.audience), self._as_of())
        self.policy = policy
        # MkDocs dates the sitemap by the clock unless SOURCE_DATE_EPOCH is set: date it by the
        # publication date instead, so the same data and date build the same bytes any day.
        if not _USER_EPOCH:
            noon = dt.datetime.combine(policy.as_of, dt.time(12), tzinfo=dt.UTC)
            os.environ["SOURCE_DATE_EPOCH"] = str(int(noon.timestamp()))
        self.renderer = Renderer(papers, policy, [root / self.config.templates_dir])
        # Theme templates (overrides/main.html) mark every page of a members' build noindex.
        config.extra["papers_audience"] = policy.audience.value
        config.extra["papers_language"] = papers.site.language
        self.specs = {spec.src_uri: spec for spec in page_specs(papers, policy, self.renderer)}
        if self.command == "build":
            # Build beside the live site and swap it in only when everything has passed, so
            # a failed build never destroys the last good site.
            self._lock_output(Path(config.site_dir), root, config)
            config.site_dir = str(staging_dir_for(self.target))
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def _lock_output(self, target: Path, root: Path, config: MkDocsConfig) -> None:
        """Refuse a dangerous output folder, take its lock, clear a killed build's leftovers."""
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
        lock = BuildLock(target)
        try:
            refuse_dangerous_output(target, protected, inside)
            lock.acquire()
        except PublishError as error:
            raise PluginError(str(error)) from None
        if members and lock.audience() == "public":
            lock.release()
            raise PluginError(
                f"{target}/ holds the public site: a members' build never goes there. "
                "Choose another output folder (-d), e.g. site-members."
            )
        self.lock, self.target = lock, target
        clean_leftovers(target)

    def _unlock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_shutdown(self) -> None:
        self._unlock()

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
        server.watch(str(root / self.config.data_dir))
        server.watch(str(root / self.config.templates_dir))
        return server

    # Generated pages are added before the nav is built, like the blog plugin's posts.
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for spec in self.specs.values():
            inclusion = (
                InclusionLevel.INCLUDED if spec.src_uri in _IN_NAV else InclusionLevel.NOT_IN_NAV
            )
            files.append(
                File.generated(
                    config, spec.src_uri, content=spec.front_matter(), inclusion=inclusion
                )
            )
        return files

    # The engine's HTML replaces the (empty) Markdown of a generated page: data text never
    # passes through Markdown's or Jinja's hands again.
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return html
        content = spec.html()
        page.toc = get_toc(_toc_tokens(content))
        return content

    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.target is None:
            return
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and self.warnings.count:
            raise PluginError(
                f"{self.warnings.count} warning(s) in strict mode; "
                f"the site in {self.target} was left as it was"
            )
        staging = Path(config.site_dir)
        if self.policy is not None:
            outputs.write(staging, outputs.all_files(self.policy.papers, self.policy))
        if self.policy is not None and not self.policy.members:
            leaks = check_site(staging, self.policy.papers, self.policy.as_of)
            if leaks:
                listing = "\n".join(f"  {leak}" for leak in leaks)
                raise PluginError(
                    "Exempt or unpublished text was found in the public site, so it was not "
                    f"published (the site in {self.target} was left as it was):\n{listing}"
                )
        swap_into_place(staging, self.target)
        if self.policy is not None and self.lock is not None:
            self.lock.record(self.policy.audience.value)
        self._unlock()
        log.info(f"Published the site to {self.target}")

    def on_build_error(self, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.target is not None and self.lock is not None:
            shutil.rmtree(staging_dir_for(self.target), ignore_errors=True)
            log.error(f"The build failed; the site in {self.target} was left as it was.")
        self._unlock()


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
            except UnknownPaper as error:
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
) -> None:
    """Build like `mkdocs build`, for `papers build` (which adds the audience and date)."""
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
    if data_dir:
        plugin.config.data_dir = data_dir
    if templates_dir:
        plugin.config.templates_dir = templates_dir
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
