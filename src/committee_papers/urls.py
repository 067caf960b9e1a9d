"""Where every object lives on the site: one mapping, used for pages and for links.

The URLs are part of the product (they are cited in minutes, emails and FOI answers), so
they are stable, readable and documented in docs/urls.md:

    /committees/                      all bodies
    /committees/<body-id>/            a body
    /meetings/                        all meetings by year
    /meetings/<meeting-id>/           a meeting and its agenda
    /meetings/<meeting-id>/minutes/   its minutes
    /reports/<report-id>/             a report
    /reports/<report-id>/v<n>/        an earlier version of it, replaced after publication
    /reports/<report-id>/appendix-<label>/   one of its appendices
    /people/                          members and officers
    /people/<person-id>/              a person
    /decisions/                       the decisions register
    /decisions/<decision-id>/         an executive or officer decision record
    /forward-plan/                    the forward plan of key decisions, by month
    /forward-plan/<yyyy-mm>/          key decisions expected in one month
    /issues/<report-id>/              one issue's path from body to body
    /notices/                         private-meeting and urgency notices
"""

from __future__ import annotations

from typing import Any

from .model import Appendix, Body, DecisionRecord, Issue, Meeting, Person, PlanMonth, Report

INDEXES = {
    "committees": "committees/",
    "meetings": "meetings/",
    "people": "people/",
    "decisions": "decisions/",
    "forward-plan": "forward-plan/",
    "notices": "notices/",
}


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
    raise TypeError(f"no URL for {type(obj).__name__}")


def src_uri_for(obj: Any, part: str = "") -> str:
    """The generated Markdown file behind a URL (directory URLs: x/ is x/index.md)."""
    return url_for(obj, part) + "index.md"


def base_for(url: str) -> str:
    """The relative way back to the site root from a page at `url` (e.g. '../../')."""
    depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
    return "../" * depth
