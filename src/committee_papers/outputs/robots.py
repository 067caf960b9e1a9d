"""robots.txt for the members' site: no robot may index or fetch it.

The server's authentication is what keeps the members' site private (deploy/nginx/); this
and the pages' `noindex` meta tag keep it out of search engines should it ever be exposed.
The public site gets no robots.txt: its pages are meant to be found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import GENERATORS, OutputFile

if TYPE_CHECKING:
    from ..model import Papers
    from ..policy import Policy

REFUSE_ALL = b"User-agent: *\nDisallow: /\n"


def files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    if policy.members:
        yield OutputFile("robots.txt", REFUSE_ALL)


GENERATORS.append(files)
