"""The output files made in a fork while MkDocs draws the pages, when a site is re-built.

Publishing one meeting into ten years of papers remakes a dozen output files, but the
outputs step still walks all 57,000 of them: each is checked against the page cache (its
recorded reads asked again), the open data's runs are copied into `api/all.json`, the
feeds and calendars are made, and every file is linked into the site. That is some 6 s of
one core, and it came after the pages, while the second core had little to do: the
outputs depend on the projected papers alone, never on a page.

So a re-build forks once the page cache is open (on_files): the fork makes the outputs
through the cache and puts them in the staging folder, while the build process plans and
draws the pages. It answers with which files are links to the cache's copies (the guard
knows those without reading them) and with what the cache learnt (`pagecache.OutputsMade`:
the files made afresh, with their reads, are taken into the build process's index). The
paths do not meet MkDocs' own: the outputs are the open data, feeds, calendars and files
beside a paper, never a page, a theme file or the sitemap.

A fork that does not answer (killed, out of memory, an error in it) means the build process
makes the outputs itself, each file replacing whatever the fork left: the same site. An
error in the outputs (a path outside the site) is so raised by the build process, as
without the fork. A full build, which has both cores busy drawing pages, makes its outputs
after the pages as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import forked
from . import all_files, remembered, write
from .beside import Beside

if TYPE_CHECKING:
    from ..pagecache import PageCache
    from ..policy import Policy

#: A page cache holding this many entries marks a re-build, whose outputs are made ahead.
AHEAD_FROM = 2_000


def ahead_wanted(cache: PageCache | None) -> bool:
    """Whether this build makes its outputs in a fork: a re-build (a page cache holding an
    archive's entries) on a system that forks."""
    return cache is not None and len(cache.entries) >= AHEAD_FROM and forked.available()


class OutputsAhead:
    """The outputs of `policy`'s papers, made through `cache` into `staging` by a fork
    started when made; with `then`, the same fork then does that work too (the guard's
    secrets, secretsahead.py), whose answer `then_answer` gives: one fork of the build
    process instead of two."""

    def __init__(
        self,
        staging: Path,
        policy: Policy,
        cache: PageCache,
        then: Callable[[], Any] | None = None,
    ) -> None:
        self._args = (staging, policy, cache)
        self._then = then
        self._taken = 0  # answers taken from the fork
        self._fork: forked.Series | None = forked.Series(
            _ahead, staging, policy, cache, then, name="outputs-ahead"
        )

    def result(self) -> dict[str, Path]:
        """Wait for the fork, take what the cache learnt in it; the output files linked
        from the cache's copies, by path. Made here when the fork did not answer."""
        done, answer = self._next()
        if not done or answer is None:
            return made_here(*self._args)
        linked, learnt = answer
        self._args[2].take_outputs(learnt)
        return linked

    def then_answer(self) -> tuple[bool, Any]:
        """(True, what `then()` gave in the fork), or (False, None) when it did not answer
        (the caller does that work itself). After `result`, or the outputs are lost."""
        if self._taken == 0:
            self._next()
        return self._next()

    def stop(self) -> None:
        """End the fork, its answers wanted no more (the build failed before them)."""
        if self._fork is not None:
            self._fork.stop()
            self._fork = None

    def _next(self) -> tuple[bool, Any]:
        self._taken += 1
        if self._fork is None:
            return False, None
        answer = self._fork.next()
        if self._then is None or self._taken >= 2:
            self.stop()
        return answer


def made_here(
    staging: Path, policy: Policy, cache: PageCache | None, beside: Beside | None = None
) -> dict[str, Path]:
    """Every output file of `policy`'s papers written into `staging`, through `cache` when
    there is one (`beside`, a fork that puts them in place, is ended either way); the files
    linked from the cache's copies, by path."""
    linked: dict[str, Path] = {}
    with remembered(cache):
        write(staging, all_files(policy.papers, policy), linked, beside)
    return linked


def _ahead(
    staging: Path, policy: Policy, cache: PageCache, then: Callable[[], Any] | None
) -> Iterator[Any]:
    # What the cache knew when forked is the build process's: only what is learnt here goes back.
    before = set(cache.prints.learnt)
    linked = made_here(staging, policy, cache)
    yield linked, cache.outputs_done(before)
    if then is not None:
        yield then()
