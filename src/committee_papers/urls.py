"""Where every object lives on the site: one mapping, used for pages and for links.

The URLs are part of the product (they are cited in minutes, emails and FOI answers), so
they are stable, readable and documented in docs/urls.md:

    /committees/                      all bodies
    /committees/<body-id>/            a body, its coming and latest meetings
    /committees/<body-id>/<yyyy>/     the body's meetings in one year
    /meetings/                        the coming and latest meetings, and the list of years
    /meetings/<yyyy>/                 every meeting of one year
    /meetings/<meeting-id>/           a meeting and its agenda
    /meetings/<meeting-id>/minutes/   its minutes
    /reports/<report-id>/             a report
    /reports/<report-id>/v<n>/        an earlier version of it, replaced after publication
    /reports/<report-id>/appendix-<label>/   one of its appendices
    /people/                          members and officers
    /people/<person-id>/              a person
    /people/<person-id>/<yyyy>/       a person's declarations and recorded votes in one year
    /decisions/                       the decisions register: the latest decisions
    /decisions/<yyyy>/                the months of one year's decisions
    /decisions/<yyyy>/<mm>/           every decision of one month
    /decisions/<decision-id>/         an executive or officer decision record
    /forward-plan/                    the forward plan of key decisions, by month
    /forward-plan/<yyyy-mm>/          key decisions expected in one month
    /issues/<report-id>/              one issue's path from body to body
    /notices/                         private-meeting and urgency notices
    /calendar/                        the meetings calendar: upcoming, and month by month
    /calendar/meetings.ics            every meeting, as iCalendar
    /calendar/<body-id>.ics           one body's meetings, as iCalendar
    /meetings/<meeting-id>/meeting.ics   one meeting, as iCalendar
    /feed.xml                         newly published papers, as Atom
    /rss.xml                          the same, as RSS 2.0
    /committees/<body-id>/feed.xml    one body's newly published papers, as Atom
    /developers/                      open data: what is published and where
    /api/all.json                     everything public in one file
    /api/bodies/<body-id>.json        a body (Organization) and its memberships
    /api/meetings/<meeting-id>.json   a meeting (Event), its agenda and public minutes
    /api/reports/<report-id>.json     a report
    /api/people/<person-id>.json      a person, their roles, attendance and interests
    /api/decisions/<decision-id>.json   a decision, with its recorded votes (VoteEvent)
    /api/schema/<name>.json           the JSON Schema of each kind of file
    /search/                          searching every paper
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Appendix, Body, DecisionRecord, Issue, Meeting, Person, PlanMonth, Report

INDEXES = {
    "committees": "committees/",
    "meetings": "meetings/",
    "people": "people/",
    "decisions": "decisions/",
    "forward-plan": "forward-plan/",
    "notices": "notices/",
    "calendar": "calendar/",
    "search": "search/",
}


@dataclass(frozen=True)
class YearListing:
    """One year of a listing that would grow with the archive (see listing.py): meetings,
    a body's meetings, decisions, or a person's declarations and votes."""

    year: int
    kind: str = "meetings"
    body: Body | None = None
    person: Person | None = None
    #: A month of decisions (1 to 12), for councils that take thousands a year; 0: the year.
    month: int = 0


def url_for(obj: Any, part: str = "") -> str:
    """The site-relative URL of a model object (or of an index page named by a string)."""
    if isinstance(obj, str):
        return INDEXES[obj]
    if isinstance(obj, Body):
        return f"committees/{obj.id}/"
    if isinstance(obj, Meeting):
        return f"meetings/{obj.id}/{part}/" if part else f"meetings/{obj.id}/"
    if isinstance(obj, Report):
        return f"reports/{obj.id}/{part}/" if part else f"reports/{obj.id}/"
    if isinstance(obj, Appendix):
        return f"reports/{obj.report_id}/{obj.slug}/"
    if isinstance(obj, Person):
        return f"people/{obj.id}/"
    if isinstance(obj, DecisionRecord):
        return f"decisions/{obj.id}/"
    if isinstance(obj, PlanMonth):
        return f"forward-plan/{obj.key}/"
    if isinstance(obj, Issue):
        return f"issues/{obj.id}/"
    if isinstance(obj, YearListing):
        if obj.body is not None:
            return f"committees/{obj.body.id}/{obj.year}/"
        if obj.person is not None:
            return f"people/{obj.person.id}/{obj.year}/"
        if obj.month:
            return f"{INDEXES[obj.kind]}{obj.year}/{obj.month:02d}/"
        return f"{INDEXES[obj.kind]}{obj.year}/"
    raise TypeError(f"no URL for {type(obj).__name__}")


def src_uri_for(obj: Any, part: str = "") -> str:
    """The generated Markdown file behind a URL (directory URLs: x/ is x/index.md)."""
    return url_for(obj, part) + "index.md"


def base_for(url: str) -> str:
    """The relative way back to the site root from a page at `url` (e.g. '../../')."""
    depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
    return "../" * depth


# --- files other than pages (outputs/) -------------------------------------------------------

#: Open-data folders under /api/, by the kind of object.
API_FOLDERS = {Body: "bodies", Meeting: "meetings", Report: "reports", Person: "people"}


def calendar_url(body: Body | None = None) -> str:
    """The iCalendar feed of every meeting, or of one body's meetings."""
    return f"calendar/{body.id}.ics" if body is not None else "calendar/meetings.ics"


def meeting_ics_url(meeting: Meeting) -> str:
    """One meeting as an iCalendar file, for "add to calendar"."""
    return f"meetings/{meeting.id}/meeting.ics"


def feed_url(body: Body | None = None, rss: bool = False) -> str:
    """The Atom feed of newly published papers (RSS 2.0 for the whole site on request)."""
    if body is not None:
        return f"committees/{body.id}/feed.xml"
    return "rss.xml" if rss else "feed.xml"


def api_url(obj: Any) -> str:
    """The open-data JSON of a body, meeting, report or person (or a name: 'all')."""
    if isinstance(obj, str):
        return f"api/{obj}.json"
    return f"api/{API_FOLDERS[type(obj)]}/{obj.id}.json"
