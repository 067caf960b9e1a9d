"""What templates see: the model, the publication policy, and small helpers for display.

Templates in `macros/` loop and test over this object; anything harder than that lives here
as a method with a test, so a council restyling its papers never meets business rules.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import attendance, text, urls
from .charts import chart_svg
from .decisions import DecisionsView, show_record
from .display import Display
from .listing import ListingView
from .model import (
    DEFAULT_TITLES,
    AgendaItem,
    Appendix,
    Body,
    Chart,
    Meeting,
    MeetingStatus,
    Membership,
    Papers,
    Person,
    PersonKind,
    Rag,
    Report,
)
from .policy import Policy
from .searchindex import SearchChoices, search_choices
from .tables import parse_date
from .tracing import query
from .urls import url_for

PURPOSES = {
    "decision": "For Decision",
    "information": "For Information",
    "discussion": "For Discussion",
}
ROLE_LABELS = {
    "chair": "Chair",
    "vice-chair": "Vice-Chair",
    "member": "Member",
    "co-opted": "Co-opted member",
    "substitute": "Substitute",
}
KIND_LABELS = {
    PersonKind.member: "Councillor",
    PersonKind.co_opted: "Co-opted member",
    PersonKind.officer: "Officer",
    PersonKind.other: "Other",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STATUS_LABELS = {
    MeetingStatus.scheduled: "Scheduled",
    MeetingStatus.held: "Held",
    MeetingStatus.cancelled: "Cancelled",
    MeetingStatus.postponed: "Postponed",
    MeetingStatus.moved: "Moved",
}


@dataclass
class View(Display):
    """One audience's view of the papers, for pages at `base` (the way back to the site root)."""

    papers: Papers
    policy: Policy
    base: str = ""
    #: What the laid-out PDFs say (outputs.packs.PdfIndex), or None when packs are off.
    pdfs: Any = None

    def at(self, base: str) -> View:
        return View(self.papers, self.policy, base, self.pdfs)

    @property
    def site(self) -> Any:
        return self.papers.site

    @property
    def members_build(self) -> bool:
        return self.policy.members

    @property
    def decisions(self) -> DecisionsView:
        """Outcomes, the register, votes, issues and the forward plan (decisions.py)."""
        return DecisionsView(self.papers, self.policy)

    @property
    def listing(self) -> ListingView:
        """Coming and latest meetings and decisions, and the year pages (listing.py)."""
        return ListingView(self.papers, self.policy, self.base)

    # --- links ----------------------------------------------------------------------------

    def url(self, obj: Any, part: str = "") -> str:
        return self.base + url_for(obj, part)

    def home_url(self) -> str:
        return self.base or "./"

    # --- lookups --------------------------------------------------------------------------

    def person(self, person_id: str | None) -> Person | None:
        return self.papers.people.get(person_id) if person_id else None

    def body(self, body_id: str) -> Body:
        return self.papers.bodies[body_id]

    def report(self, report_id: str | None) -> Report | None:
        return self.papers.reports.get(report_id) if report_id else None

    def meeting(self, meeting_id: str | None) -> Meeting | None:
        return self.papers.meetings.get(meeting_id) if meeting_id else None

    def signatory(self, meeting: Meeting) -> Any:
        """Who signs the summons: the meeting's own signatory, else the chief executive."""
        return meeting.signatory or self.site.chief_executive

    def clerk(self, meeting: Meeting) -> Person | None:
        return self.person(meeting.clerk or self.body(meeting.body).clerk)

    @query
    def sub_bodies(self, body: Body) -> list[Body]:
        return sorted(
            (b for b in self.papers.bodies.values() if b.parent == body.id), key=lambda b: b.name
        )

    # --- words ----------------------------------------------------------------------------

    def date(self, day: dt.date | None) -> str:
        return f"{day:%A} {day.day} {day:%B %Y}" if day else ""

    def short_date(self, day: dt.date | None) -> str:
        return f"{day.day} {day:%B %Y}" if day else ""

    def time(self, moment: dt.time | None) -> str:
        if moment is None:
            return ""
        hour = moment.hour % 12 or 12
        suffix = "am" if moment.hour < 12 else "pm"
        return f"{hour}.{moment.minute:02d} {suffix}" if moment.minute else f"{hour} {suffix}"

    def purpose(self, value: Any) -> str:
        return PURPOSES.get(str(value), "") if value else ""

    def role(self, value: Any) -> str:
        key = str(value)
        return self.site.role_labels.get(key) or ROLE_LABELS.get(key, key)

    def person_kind(self, person: Person) -> str:
        return KIND_LABELS[person.kind]

    def status(self, meeting: Meeting) -> str:
        return STATUS_LABELS[meeting.status]

    def md(self, value: str | None, prefix: str = "") -> Markup:
        """Officers' Markdown as HTML; `prefix` keeps its anchors apart from the page's own."""
        return text.to_html(value, prefix=prefix)

    def md_inline(self, value: str | None) -> Markup:
        return text.inline_html(value)

    def md_numbered(self, value: str | None) -> Markup:
        return text.to_html(value, numbered=True, shift=1)

    def md_report(self, report: Report) -> Markup:
        """The main text: numbered automatically only when the report asks (`numbering: auto`)."""
        auto = report.numbering.value == "auto"
        return text.to_html(report.body, numbered=auto, shift=1, written=not auto)

    def report_of_line(self, who: str | None) -> str:
        """'Report of the Director of Place.' as agendas print it."""
        if not who:
            return ""
        lead = "" if who.lower().startswith("the ") else "the "
        return f"Report of {lead}{who.rstrip('.')}."

    def paragraphs(self, numbers: list[str]) -> str:
        """'paragraph 3' or 'paragraphs 1 and 3' of the jurisdiction's schedule."""
        if len(numbers) == 1:
            return f"paragraph {numbers[0]}"
        return f"paragraphs {', '.join(numbers[:-1])} and {numbers[-1]}"

    def exempt_under(self, exemption: list[str] | None, schedule: bool = True) -> str:
        """' under paragraph 3 of Schedule 12A ...', or ' as defined in ...' when unknown."""
        where = self.site.jurisdiction.exempt_schedule
        if exemption:
            numbers = " under " + self.paragraphs(list(exemption)) if len(exemption) else ""
            if not numbers:
                return f" as defined in {where}" if schedule else ""
            return f"{numbers} of {where}" if schedule else numbers
        return ""

    def paragraph_text(self, number: str) -> str:
        return self.site.jurisdiction.exempt_paragraphs.get(number, "")

    # --- meetings and agendas -------------------------------------------------------------

    def meeting_title(self, meeting: Meeting) -> str:
        return f"{self.body(meeting.body).name}, {self.date(meeting.date)}"

    def item_title(self, item: AgendaItem) -> str:
        if item.title:
            return item.title
        report = self.report(item.report)
        if report is not None:
            return report.title
        if item.kind.value in DEFAULT_TITLES:
            return DEFAULT_TITLES[item.kind]
        return f"Item {item.number}" if item.number else ""

    def item_report_of(self, item: AgendaItem) -> str | None:
        report = self.report(item.report)
        return item.report_of or (report.report_of if report else None)

    def item_purpose(self, item: AgendaItem) -> str:
        report = self.report(item.report)
        return self.purpose(item.purpose or (report.purpose if report else None))

    def shown_report(self, item: AgendaItem) -> Report | None:
        """The item's report, if this audience may open it."""
        report = self.report(item.report)
        if report is None or not self.policy.show_item_detail(item):
            return None
        return report if self.policy.show_report(report) else None

    def shown_appendices(self, report: Report) -> list[Appendix]:
        return [a for a in report.appendices if self.policy.show_appendix(report, a)]

    def withheld_appendices(self, report: Report) -> list[Appendix]:
        return [a for a in report.appendices if not self.policy.show_appendix(report, a)]

    @query
    def members_on(self, body: Body, day: dt.date) -> list[tuple[Membership, Person]]:
        return [
            (m, self.papers.people[m.person])
            for m in body.members_on(day)
            if m.person in self.papers.people
        ]

    @query
    def meetings_by_year(self, body: Body) -> list[tuple[int, list[Meeting]]]:
        return _by_year(self.papers.meetings_of(body.id))

    @query
    def upcoming(self, limit: int = 5, body_id: str | None = None) -> list[Meeting]:
        meetings = (
            self.papers.meetings_of(body_id) if body_id else self.papers.meetings_in_date_order()
        )
        return [m for m in meetings if m.date >= self.policy.as_of][:limit]

    @query
    def next_meeting(self, body: Body) -> Meeting | None:
        found = self.upcoming(1, body.id)
        return found[0] if found else None

    @query
    def all_meetings_by_year(self) -> list[tuple[int, list[Meeting]]]:
        return _by_year(self.papers.meetings_in_date_order())

    @query
    def search_choices(self) -> SearchChoices:
        """The search page's years (recent ones first searched) and filter values."""
        return search_choices(
            self.papers,
            self.policy.as_of,
            lambda record: show_record(self.policy, record),
        )

    # --- minutes --------------------------------------------------------------------------

    @query
    def minutes_status(self, meeting: Meeting) -> str:
        return "approved" if self.papers.minutes_approved(meeting.id) else "draft"

    @query
    def approval(self, meeting: Meeting) -> tuple[Meeting, AgendaItem] | None:
        return self.papers.approval_of(meeting.id)

    @query
    def corrections(self, meeting: Meeting) -> list[str]:
        """Corrections recorded when a later meeting approved these minutes."""
        found = self.approval(meeting)
        if found is None or found[0].minutes is None:
            return []
        entry = found[0].minutes.for_item(found[1].ref)
        return entry.corrections if entry else []

    def minuted_title(self, meeting: Meeting, number: str) -> str:
        item = meeting.item(number)
        return self.item_title(item) if item else f"Item {number}"

    # --- reports, appendices, people ------------------------------------------------------

    def report_versions(self, report: Report) -> list[Any]:
        """The earlier versions this audience may read, oldest first."""
        return [v for v in report.versions if self.policy.show_version(report, v)]

    @query
    def route(self, report: Report) -> list[tuple[Meeting, AgendaItem]]:
        """The meetings a report goes to, as far as their agendas are published."""
        return [
            (meeting, item)
            for meeting, item in self.papers.items_presenting(report.id)
            if self.policy.show_agenda(meeting)
        ]

    @query
    def latest_papers(self, limit: int = 10) -> list[tuple[dt.date, str, Any]]:
        """Recently published reports and minutes, newest first: (date, kind, object)."""
        found: list[tuple[dt.date, str, Any]] = []
        for report in self.papers.reports.values():
            when = report.publish_on or self.policy.report_release_date(report)
            if when and self.policy.show_report(report) and when <= self.policy.as_of:
                found.append((when, "report", report))
        for meeting in self.papers.meetings.values():
            if self.policy.show_minutes(meeting) and meeting.minutes:
                found.append((meeting.minutes.publish_on or meeting.date, "minutes", meeting))
        found.sort(key=lambda entry: (entry[0], entry[1], _ident(entry[2])), reverse=True)
        return found[:limit]

    def rag(self, value: str | None) -> str:
        """'Red', 'Amber', 'Green', 'Blue', or 'Not rated' for a blank cell."""
        if not (value or "").strip():
            return "Not rated"
        try:
            return Rag.parse(value or "").value
        except ValueError:
            return value or ""

    def table_date(self, value: str | None) -> Markup:
        """A date cell (2027-05-22 or 22/05/2027) as '22 May 2027' in a <time> element."""
        if not (value or "").strip():
            return Markup("")
        try:
            day = parse_date(value or "")
        except ValueError:
            return Markup.escape(value)
        return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), self.short_date(day))

    def chart(self, chart: Chart, chart_id: str) -> Markup:
        return chart_svg(chart, chart_id)

    def chart_value(self, value: float) -> str:
        return f"{value:g}"

    @query
    def people_of_kind(self, kind: str) -> list[Person]:
        wanted = PersonKind(kind)
        return sorted(
            (p for p in self.papers.people.values() if p.kind is wanted), key=lambda p: p.sort_key
        )

    @query
    def roles_of(self, person: Person) -> list[tuple[Body, Membership]]:
        return self.papers.roles_of(person.id)

    @query
    def bodies_in_order(self) -> list[Body]:
        order = {
            kind: i
            for i, kind in enumerate(
                ("council", "cabinet", "committee", "board", "panel", "sub-committee")
            )
        }
        return sorted(
            self.papers.bodies.values(), key=lambda b: (order.get(b.kind.value, 9), b.name)
        )

    # --- following the council: calendars, feeds, attendance (see attendance.py) ----------

    def calendar_url(self, body: Body | None = None) -> str:
        return self.base + urls.calendar_url(body)

    def meeting_ics_url(self, meeting: Meeting) -> str:
        return self.base + urls.meeting_ics_url(meeting)

    def feed_url(self, body: Body | None = None) -> str:
        return self.base + urls.feed_url(body)

    def api_url(self, obj: Any) -> str:
        return self.base + urls.api_url(obj)

    def calendar_year(self) -> int:
        return self.policy.as_of.year

    @query
    def calendar_months(self, year: int) -> list[CalendarMonth]:
        """The twelve months of `year` as weeks of days (Monday first), with their meetings."""
        on_day: dict[dt.date, list[Meeting]] = {}
        for meeting in self.papers.meetings_in_date_order():
            on_day.setdefault(meeting.date, []).append(meeting)
        weeks = calendar.Calendar(firstweekday=calendar.MONDAY)
        return [
            CalendarMonth(
                dt.date(year, month, 1),
                [
                    [
                        CalendarDay(
                            day,
                            day.month == month,
                            on_day.get(day, []) if day.month == month else [],
                        )
                        for day in week
                    ]
                    for week in weeks.monthdatescalendar(year, month)
                ],
            )
            for month in range(1, 13)
        ]

    def weekday_names(self) -> list[tuple[str, str]]:
        """(abbreviation, full name) of each weekday, Monday first."""
        return [(name[:3], name) for name in WEEKDAYS]

    def is_today(self, day: dt.date) -> bool:
        return day == self.policy.as_of

    @query
    def attendance(self, person: Person) -> list[attendance.BodyAttendance]:
        return attendance.attendance_of(self.papers, self.policy, person)

    @query
    def declarations(self, person: Person) -> list[tuple[Meeting, Any]]:
        return attendance.declarations_of(self.papers, self.policy, person)

    @query
    def current_bodies(self, person: Person) -> list[Body]:
        """Bodies the person sits on (any role) on the as-of date, by name."""
        found = {
            body.id: body
            for body, m in self.papers.roles_of(person.id)
            if m.current_on(self.policy.as_of)
        }
        return sorted(found.values(), key=lambda b: b.name)

    def filter_choices(self, people: list[Person]) -> dict[str, list[str]]:
        """The values a reader can filter a list of people by: party, ward and body."""
        return {
            "party": sorted({p.party for p in people if p.party}),
            "ward": sorted({p.ward for p in people if p.ward}),
            "body": sorted({b.name for p in people for b in self.current_bodies(p)}),
        }

    # --- printed papers (PDF packs) -------------------------------------------------------

    def page_range(self, meeting: Meeting, item: AgendaItem) -> str:
        """'Pages 7 - 22': where the item's papers are in the pack, from the real layout."""
        if self.pdfs is None:
            return ""
        return "; ".join(self.pdfs.ranges.get((meeting.id, item.number), []))

    def packs(self, meeting: Meeting) -> list[Any]:
        """The meeting's agenda packs (PdfLink: path, title, pages, size_text)."""
        return [] if self.pdfs is None else self.pdfs.packs.get(meeting.id, [])

    def report_pdf(self, report: Report) -> Any:
        """The report printed as a committee paper (a PdfLink), or None."""
        return None if self.pdfs is None else self.pdfs.reports.get(report.id)

    def pdf_url(self, link: Any) -> str:
        return self.base + link.path


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    meetings: list[Meeting]


@dataclass(frozen=True)
class CalendarMonth:
    first: dt.date
    weeks: list[list[CalendarDay]]


def _by_year(meetings: list[Meeting]) -> list[tuple[int, list[Meeting]]]:
    """Meetings (in date order) grouped by year, newest year and newest meeting first."""
    years: dict[int, list[Meeting]] = {}
    for meeting in reversed(meetings):
        years.setdefault(meeting.year, []).append(meeting)
    return list(years.items())


def _ident(obj: Any) -> str:
    return getattr(obj, "id", "")
