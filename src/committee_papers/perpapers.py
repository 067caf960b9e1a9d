"""Indexes made once for a build's papers and audience, kept while they are those objects.

Some indexes are read whole by many pages and files of one build: the decisions register
(every year and month page, the feeds, the open data), each person's votes (every person
page), each person's attendance and declarations. Each is made on first use for a pair of
papers and policy and kept while both are the very same objects, so a build makes it once;
`mkdocs serve` projects new papers and makes a new policy on every rebuild, so an index
never outlives the papers it was made from. Kept by identity, not equality: comparing ten
years of papers would cost more than making the index again. One pair is kept: a build
has one projection and one audience.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .model import Papers
    from .policy import Policy

_Made = TypeVar("_Made")


class OncePerPapers(Generic[_Made]):
    """`make(papers, policy)`, made again only for other papers or another policy."""

    def __init__(self, make: Callable[[Papers, Policy], _Made]) -> None:
        self._make = make
        self._last: tuple[Papers, Policy, _Made] | None = None

    def __call__(self, papers: Papers, policy: Policy) -> _Made:
        last = self._last
        if last is not None and last[0] is papers and last[1] is policy:
            return last[2]
        made = self._make(papers, policy)
        self._last = (papers, policy, made)
        return made

    def kept(self) -> tuple[Papers, Policy, _Made] | None:
        """The papers, the policy and what was made for them, if anything was."""
        return self._last

    def forget(self) -> None:
        self._last = None
