"""Listings that stay the same size however long the archive: recent and coming, then years.

A council keeps ten years of papers online. A page that lists every meeting (the meetings
index, a committee's page) or every decision would grow with the archive until it weighs
megabytes, and every new meeting would change it. So an index page shows what readers want
first (the next meetings and the latest ones, or the latest decisions) and links to one page
per year (`meetings/2025/`, `committees/cabinet/2025/`, `decisions/2025/`), which lists
that year whole; decisions, of which a large council takes thousands a year, have a page per
month under their year (`decisions/2025/03/`). A page's size is then bounded by a year's
business, not by the archive's length, and publishing a meeting changes only its year's pages
and the indexes.

`urls.YearListing` names such a page; `ListingView` is what templates see as
`v.listing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from . import attendance
from . import decisions as decisions_module
from .decisions import Decision
from .model import Body, Meeting, Papers, Person
from .policy import Policy
from .problems import Problems, display_path
from .tracing import query
from .urls import YearListing, url_for

#: The meetings index shows this many coming meetings and this many of the latest ones.
INDEX_MEETINGS = 20
#: A committee's page shows this many coming meetings and this many of its latest ones.
BODY_MEETINGS = 10
#: The decisions register's first page shows the latest this many decisions.
INDEX_DECISIONS = 50
#: A person's page shows their latest this many declarations and recorded votes; when they
#: have more, a page per year lists them all.
PERSON_ROWS = 20

#: What a year page lists: the words (one, many) its list of years counts in.
NOUNS = {
    "meetings": ("meeting", "meetings"),
    "decisions": ("decision", "decisions"),
    "people": ("declaration or vote", "declarations and votes"),
}


@dataclass(frozen=True)
class YearLink:
    """One entry of a list of years: the year, its page, how many it lists, is it this page."""

    year: int
    url: str
    #: None in a list of years, which shows no counts (so a new meeting changes no other
    #: year's page: see docs/incremental.md).
    count: int | None
    current: bool
    #: What the link says when it is not the year (a month's name).
    label: str = ""


def meeting_years(meetings: list[Meeting]) -> list[int]:
    """Years that have meetings, newest first."""
    return sorted({m.year for m in meetings}, reverse=True)


def coming(meetings: list[Meeting], as_of: dt.date, limit: int) -> list[Meeting]:
    """The next `limit` meetings on or after the as-of date, soonest first."""
    return [m for m in meetings if m.date >= as_of][:limit]


def latest(meetings: list[Meeting], as_of: dt.date, limit: int) -> list[Meeting]:
    """The last `limit` meetings before the as-of date, newest first."""
    return [m for m in reversed(meetings) if m.date < as_of][:limit]


def year_pages(papers: Papers, policy: Policy) -> list[YearListing]:
    """Every year page of the site, in a stable order: meetings, each body's, decisions."""
    meetings = papers.meetings_in_date_order()
    pages = [YearListing(year) for year in meeting_years(meetings)]
    for body in sorted(papers.bodies.values(), key=lambda b: b.id):
        pages += [YearListing(y, body=body) for y in meeting_years(papers.meetings_of(body.id))]
    for year in decision_years(papers, policy):
        pages.append(YearListing(year, "decisions"))
        pages += [
            YearListing(year, "decisions", month=m) for m in decision_months(papers, policy, year)
        ]
    for person in sorted(papers.people.values(), key=lambda p: p.id):
        pages += [
            YearListing(y, "people", person=person) for y in record_years(papers, policy, person)
        ]
    return pages


def declarations(papers: Papers, policy: Policy, person: Person) -> list[tuple[Meeting, Any]]:
    return attendance.declarations_of(papers, policy, person)


def votes(papers: Papers, policy: Policy, person: Person) -> list[tuple[Any, ...]]:
    return decisions_module.votes_of(papers, policy, person.id)


def record_years(papers: Papers, policy: Policy, person: Person) -> list[int]:
    """Years of a person's declarations and votes, newest first, when their page cannot show
    them all (more than PERSON_ROWS of either); otherwise none."""
    declared = declarations(papers, policy, person)
    voted = votes(papers, policy, person)
    if len(declared) <= PERSON_ROWS and len(voted) <= PERSON_ROWS:
        return []
    return sorted({m.year for m, *_ in declared + voted}, reverse=True)


def decision_years(papers: Papers, policy: Policy) -> list[int]:
    return sorted({d.year for d in decisions_module.register_once(papers, policy)}, reverse=True)


def decision_months(papers: Papers, policy: Policy, year: int) -> list[int]:
    """Months of `year` with decisions, newest first."""
    found = {d.date.month for d in decisions_module.register_of_year(papers, policy, year)}
    return sorted(found, reverse=True)


# --- what templates see -------------------------------------------------------------------


@dataclass
class ListingView:
    """The listing helpers a template reaches as `v.listing`, for pages at `base`."""

    papers: Papers
    policy: Policy
    base: str = ""

    def _meetings(self, body: Body | None) -> list[Meeting]:
        if body is None:
            return self.papers.meetings_in_date_order()
        return self.papers.meetings_of(body.id)

    @query
    def coming(self, body: Body | None = None) -> list[Meeting]:
        limit = INDEX_MEETINGS if body is None else BODY_MEETINGS
        return coming(self._meetings(body), self.policy.as_of, limit)

    @query
    def latest(self, body: Body | None = None) -> list[Meeting]:
        limit = INDEX_MEETINGS if body is None else BODY_MEETINGS
        return latest(self._meetings(body), self.policy.as_of, limit)

    @query
    def meetings_in(self, year: int, body: Body | None = None) -> list[Meeting]:
        """The year's meetings (of one body, if given), in date order."""
        return [m for m in self._meetings(body) if m.year == year]

    @query
    def latest_decisions(self) -> list[Decision]:
        return decisions_module.register_once(self.papers, self.policy)[:INDEX_DECISIONS]

    @query
    def decisions_in(self, year: int, month: int = 0) -> list[Decision]:
        """The decisions of a year, or of one month of it, newest first."""
        return [
            d
            for d in decisions_module.register_of_year(self.papers, self.policy, year)
            if not month or d.date.month == month
        ]

    @query
    def months(self, year: int, current: int = 0) -> list[YearLink]:
        """The month pages of a year's decisions, newest first, `current` marked."""
        counts: dict[int, int] = {}
        for d in self.decisions_in(year):
            counts[d.date.month] = counts.get(d.date.month, 0) + 1
        return [
            YearLink(
                year,
                self.base + url_for(YearListing(year, "decisions", month=month)),
                counts[month],
                month == current,
                f"{dt.date(year, month, 1):%B}",
            )
            for month in sorted(counts, reverse=True)
        ]

    @query
    def declarations(self, person: Person, year: int = 0) -> list[tuple[Meeting, Any]]:
        """The person's declarations in `year`, or their latest PERSON_ROWS, in date order."""
        found = declarations(self.papers, self.policy, person)
        return [d for d in found if d[0].year == year] if year else found[-PERSON_ROWS:]

    @query
    def votes(self, person: Person, year: int = 0) -> list[tuple[Any, ...]]:
        """The person's recorded votes in `year`, or their latest PERSON_ROWS, in date order."""
        found = votes(self.papers, self.policy, person)
        return [v for v in found if v[0].year == year] if year else found[-PERSON_ROWS:]

    @query
    def record_years(self, person: Person) -> list[int]:
        """Years of the person's year pages, newest first (none when their page shows all)."""
        return record_years(self.papers, self.policy, person)

    def person_years(self, person: Person, current: int = 0) -> list[YearLink]:
        """The year pages of a person's declarations and votes (none when the page shows all)."""
        return [
            YearLink(
                year,
                self.base + url_for(YearListing(year, "people", person=person)),
                None,
                year == current,
            )
            for year in self.record_years(person)
        ]

    @query
    def year_numbers(self, kind: str = "meetings", body: Body | None = None) -> list[int]:
        """Years with a page of a listing, newest first."""
        if kind == "decisions":
            return decision_years(self.papers, self.policy)
        return meeting_years(self._meetings(body))

    def years(self, kind: str = "meetings", body: Body | None = None, current: int = 0) -> list:
        """The list of year pages of a listing, newest first, `current` marked.

        A page records the years only (a query), not how many meetings each holds, so a new
        meeting redraws no page of another year."""
        return [
            YearLink(
                year, self.base + url_for(YearListing(year, kind, body)), None, year == current
            )
            for year in self.year_numbers(kind, body)
        ]

    def count_words(self, link: YearLink, kind: str = "meetings") -> str:
        """'1 meeting', '312 meetings', '40 decisions'."""
        one, many = NOUNS[kind]
        return f"{link.count} {one if link.count == 1 else many}"

    def year_title(self, listing: YearListing) -> str:
        return year_title(listing)

    def period(self, listing: YearListing) -> str:
        """'2025', or 'March 2025' for a month page."""
        return period(listing)


def period(listing: YearListing) -> str:
    if listing.month:
        return f"{dt.date(listing.year, listing.month, 1):%B %Y}"
    return str(listing.year)


def year_title(listing: YearListing) -> str:
    """'Meetings in 2025', 'Cabinet meetings in 2025', 'Decisions in 2025'."""
    if listing.body is not None:
        return f"{listing.body.name} meetings in {listing.year}"
    if listing.month:
        return f"Decisions in {period(listing)}"
    if listing.person is not None:
        return f"{listing.person.display_name}: declarations and votes in {listing.year}"
    return f"{NOUNS[listing.kind][1].capitalize()} in {listing.year}"


# --- checks -------------------------------------------------------------------------------


def check_year_addresses(papers: Papers, root: Any, problems: Problems) -> None:
    """A meeting folder or decision file named like a year would take a year page's address.

    `meetings/2025/` lists the meetings of 2025 and `decisions/2025/` the decisions of 2025,
    so a meeting or decision whose id is four digits would clash with it.
    """
    for meeting_id in papers.meetings:
        if _looks_like_year(meeting_id):
            problems.add(
                display_path(root / "meetings" / meeting_id),
                (),
                f"a meeting folder may not be named like a year ({meeting_id!r}): "
                f"meetings/{meeting_id}/ lists the meetings of that year; "
                "name it DATE-BODY, e.g. 2026-01-20-cabinet",
            )
    for decision_id in papers.decisions:
        if _looks_like_year(decision_id):
            problems.add(
                display_path(root / "decisions" / f"{decision_id}.yml"),
                (),
                f"a decision file may not be named like a year ({decision_id!r}): "
                f"decisions/{decision_id}/ lists the decisions of that year",
            )


def _looks_like_year(name: str) -> bool:
    return len(name) == 4 and name.isdigit()
