"""The first step of every build: the papers loaded, checked and projected for an audience.

It decides what every later step may see. The papers as loaded (withheld ones too) go on
only to the guard, which looks for their text, and to the packs' layout, which prints the
page ranges of Part 2 items; everything else (pages, outputs, search) is made from the
projection (projection.py) under the audience's policy, so a withheld paper is not hidden
by a template: it is absent.

Nothing here knows MkDocs: its adapter (mkdocs_plugin.py) hands over the settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import namedmemo, workdays
from .load import load_with_checks_beside
from .loadcache import UnitMemory
from .loadfork import ChecksBeside
from .model import Papers
from .policy import Audience, Policy
from .problems import DataError, Problem, Problems
from .projection import project
from .serveslice import slice_papers
from .steps import StepTimer
from .tracing import TracedDate


@dataclass(frozen=True)
class Prepared:
    #: The papers as loaded, withheld ones too (serve: the slice it draws).
    papers: Papers
    #: The audience's policy over the projected papers: what every later step sees.
    policy: Policy
    #: The loaded papers' keys by their files (load.origins), for the page cache.
    origins: dict[int, tuple[Any, bytes]]
    #: Doubts for the clerk, not failures.
    warnings: list[Problem]
    #: Meetings and reports loaded and checked but left out of serve's slice.
    beyond_slice: frozenset[str] = frozenset()
    #: What the load made besides the papers (the line maps of every file, the problems,
    #: whom each paper names), for the caller to hold while its forks run: freed as this
    #: function returned, after the build's fork began, they cost the build process 0.14 s
    #: at ten years of papers, most of it copying the memory pages it shares with the fork
    #: (48,000 page faults) only to free what is on them. Only after a warm load.
    held: tuple[Any, ...] = ()


#: Told the papers as loaded, the audience's policy and the papers' keys (`Prepared`'s)
#: once they are projected, before the checks beside have answered.
Projected = Callable[[Papers, Policy, dict[int, tuple[Any, bytes]]], None]


def _checked(problems: Problems, beside: ChecksBeside | None) -> None:
    """The problems of the checks between files run beside the projection
    (`load_with_checks_beside`) taken into `problems`; `DataError` when there are any.
    Called once on each way out of `prepare`."""
    if beside is not None:
        problems.extend(beside.found())
    if problems:
        raise DataError(problems)


def prepare(
    data_dir: Path,
    audience: Audience,
    as_of: dt.date,
    *,
    timer: StepTimer,
    load_cache: Path | None = None,
    memory: UnitMemory | None = None,
    serve_meetings: int | None = None,
    site_url: str | None = None,
    traced: bool = False,
    projected: Projected | None = None,
) -> Prepared:
    """The papers of `data_dir` for `audience` on `as_of`; `DataError` lists every problem.

    `memory` (serve) keeps the papers between rebuilds (loadcache.UnitMemory), and with
    `serve_meetings` the papers are checked whole but only the newest meetings are drawn
    (serveslice.py). `site_url` is the address feeds and open data link back to when
    site.yml names none. `traced`: the as-of date reports how each page uses it, for the
    page cache (tracing.TracedDate). `projected` is told the papers as soon as they are
    projected, while the checks beside still run (the build's fork begins there: the
    checks' last 0.3 s at ten years of papers); a `DataError` may follow it."""
    workdays.remember_in(load_cache)
    # The checks between files run in a fork while the papers are projected (where the
    # load can: not with serve's memory of checks).
    papers, problems, sources, beside = load_with_checks_beside(data_dir, load_cache, memory)
    timer.lap("load")
    if problems or papers is None:
        _checked(problems, beside)  # every problem listed at once
        raise DataError(problems)
    # What follows runs before the checks beside have answered: where it fails on papers
    # they reject, their problems are what the clerk is shown.
    try:
        beyond: frozenset[str] = frozenset()
        if serve_meetings is not None:
            # Checked whole, drawn in part: the newest meetings and what they need.
            whole = papers
            papers = slice_papers(papers, serve_meetings, memory.checks if memory else None)
            beyond = frozenset(
                (set(whole.meetings) - set(papers.meetings))
                | (set(whole.reports) - set(papers.reports))
            )
        # Feeds, calendars and open data link back with absolute addresses.
        if papers.site.site_url is None and site_url:
            papers.site.site_url = site_url
        full_policy = Policy(papers, audience, as_of)
        # A build keeps whom each paper as loaded names (namedmemo.py); serve slices anyway.
        named = None
        if load_cache is not None and memory is None:
            named = namedmemo.load(load_cache, sources.origins, papers.people)
        shown = project(papers, full_policy, named)
        day = TracedDate.of(full_policy.as_of) if traced else full_policy.as_of
        policy = Policy(shown, full_policy.audience, day)
        if projected is not None:
            projected(papers, policy, sources.origins)
    except Exception:
        _checked(problems, beside)  # the data's problems first, as ever
        raise
    _checked(problems, beside)
    if named is not None:
        namedmemo.save(load_cache, named)
    # Held where most units came from the load cache (a re-build, where 0.14 s counts);
    # a first build's line maps of every file parsed are some 120 MB more at its peak.
    held = (sources, problems, beside, named) if sources.cache.warm else ()
    return Prepared(papers, policy, sources.origins, list(problems.warnings), beyond, held)
