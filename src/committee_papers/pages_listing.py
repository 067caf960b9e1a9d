"""The year pages of listings (listing.py): one year of meetings, of a body's meetings, or of
decisions. `pages.py` asks for them with its own `spec` factory, so they are ordinary generated
pages drawn by the templates in `macros/listing.html`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from .listing import year_pages, year_title
from .model import Papers
from .policy import Policy
from .render import Renderer
from .searchindex import lists_group
from .urls import YearListing

TEMPLATE = "listing.html"
#: The macro that draws each kind of year page, and the page kind adapters see.
MACROS = {
    "meetings": ("meetings_year_page", "meetings-year"),
    "decisions": ("decisions_year_page", "decisions-year"),
    "people": ("person_year_page", "person-year"),
}


def listing_pages(
    papers: Papers, policy: Policy, r: Renderer, spec: Callable[..., Any]
) -> Iterator[Any]:
    site = papers.site.council
    for listing in year_pages(papers, policy):
        macro, kind = MACROS[listing.kind]
        if listing.body is not None:
            macro, kind = "body_year_page", "body-year"
        if listing.month:
            kind = "decisions-month"
        title = year_title(listing)
        page = spec(
            listing,
            title,
            kind,
            _render(r, macro, listing),
            f"{title}: {site}.",
        )
        # Indexed with the other listing pages of its year, apart from the papers' months: the
        # current year's listings change with every new meeting (searchindex.lists_group).
        # The last day it covers puts it in `mkdocs serve`'s slice of the newest papers or not.
        meta = {
            **page.meta,
            "search_group": lists_group(listing.year),
            "search_date": _last_day(listing),
        }
        yield dataclasses.replace(page, meta=meta)


def _render(r: Renderer, macro: str, listing: YearListing) -> Callable[[str], str]:
    return lambda base: r.call(TEMPLATE, macro, base, listing)


def _last_day(listing: YearListing) -> str:
    if listing.month:
        following = dt.date(listing.year + listing.month // 12, listing.month % 12 + 1, 1)
        return (following - dt.timedelta(days=1)).isoformat()
    return f"{listing.year}-12-31"
