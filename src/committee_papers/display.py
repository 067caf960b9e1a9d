"""Display helpers for papers as councils really write them (a mixin of `View`).

Real papers leave things out (no start time, no chair, unnumbered items), word things their
own way (Chairman, "It is recommended that Cabinet:", i) to iv)), and point outside the data
(a report's route through bodies not in the data, the minutes of a meeting held before the
site began). Templates ask these methods, so a page prints what the clerk entered and
nothing invented: an unknown value gives an empty string or an empty list, never a
placeholder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import (
    DEFAULT_TITLES,
    AgendaItem,
    Body,
    ItemKind,
    Meeting,
    Membership,
    MinuteItem,
    Report,
)

if TYPE_CHECKING:
    from .model import Papers, Person
    from .policy import Policy

IMPLICATION_TITLES = {
    "financial": "Financial implications",
    "legal": "Legal implications",
    "equalities": "Equalities implications",
    "risk": "Risk implications",
    "corporate": "Corporate and strategic implications",
    "climate": "Climate implications",
    "procurement": "Procurement implications",
    "staffing": "Staffing implications",
}
BODY_KIND_LABELS = {"joint-committee": "Joint committee", "sub-committee": "Sub-committee"}
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii"]


@dataclass(frozen=True)
class RouteEntry:
    """One step of a report's route: a meeting in the data, or a body and date outside it."""

    date: dt.date
    body_name: str
    body: Body | None = None
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    outcome: str | None = None


class Display:
    """Mixed into `View`; expects `papers`, `policy` and the lookups `View` defines."""

    papers: Papers
    policy: Policy

    # --- meetings -------------------------------------------------------------------------

    def when(self, meeting: Meeting) -> str:
        """'Thursday 26 January 2017, 1.45 pm', or the date alone when the time is unknown."""
        day = self.date(meeting.date)  # type: ignore[attr-defined]
        return f"{day}, {self.time(meeting.start)}" if meeting.start else day  # type: ignore[attr-defined]

    def minutes_opening(self, meeting: Meeting) -> str:
        """'held at <venue> on <date> at <time>' with only the parts the clerk knows."""
        body = self.papers.bodies[meeting.body]
        venue = meeting.venue or body.default_venue
        minutes = meeting.minutes
        started = (minutes.started if minutes else None) or meeting.start
        words = "held"
        if venue:
            words += f" at {venue}"
        words += f" on {self.date(meeting.date)}"  # type: ignore[attr-defined]
        if started:
            words += f" at {self.time(started)}"  # type: ignore[attr-defined]
        return words

    def pages_label(self, item: AgendaItem) -> str:
        """The printed pack's page range as agendas print it: 'Pages 7 - 22' or 'Page 7'."""
        if not item.pages:
            return ""
        parts = [p.strip() for p in item.pages.split("-")]
        return f"Pages {parts[0]} - {parts[1]}" if len(parts) == 2 else f"Page {parts[0]}"

    def item_title_public(self, item: AgendaItem) -> str:
        """A Part 2 item's title for the public comes from the item itself, never its report."""
        if self.policy.show_item_detail(item):
            return self.item_title(item)  # type: ignore[attr-defined]
        if item.title:
            return item.title
        if item.kind.value in DEFAULT_TITLES:
            return DEFAULT_TITLES[item.kind]
        return f"Item {item.number}" if item.number else ""

    def agenda_groups(self, items: list[AgendaItem]) -> list[tuple[str | None, list[AgendaItem]]]:
        """Items split at each `heading:` ("Decision items"), in agenda order."""
        groups: list[tuple[str | None, list[AgendaItem]]] = []
        for item in items:
            if item.heading or not groups:
                groups.append((item.heading, []))
            groups[-1][1].append(item)
        return groups

    def item_anchor(self, item: AgendaItem) -> str:
        return f"item-{item.ref}"

    def item_reports(self, item: AgendaItem) -> list[Report]:
        """The item's reports this audience may open, in the order the agenda names them."""
        found = []
        for report_id in item.report_ids:
            report = self.papers.reports.get(report_id)
            shown = report is not None and self.policy.show_item_detail(item)
            if shown and self.policy.show_report(report):
                found.append(report)
        return found

    def item_report_of_public(self, item: AgendaItem) -> str:
        """'Report of' for the agenda: a Part 2 item shows the public only what it says itself."""
        detail = self.policy.show_item_detail(item)
        who = self.item_report_of(item) if detail else item.report_of  # type: ignore[attr-defined]
        if who and who in self.papers.people:
            return f"Report of {self.who(who)}."
        return self.report_of_line(who) if who else ""  # type: ignore[attr-defined]

    def item_purpose_public(self, item: AgendaItem) -> str:
        if self.policy.show_item_detail(item):
            return self.item_purpose(item)  # type: ignore[attr-defined]
        return self.purpose(item.purpose)  # type: ignore[attr-defined]

    def earlier_meeting_label(self, item: AgendaItem) -> str:
        earlier = item.earlier_minutes
        if earlier is None:
            return ""
        when = self.short_date(earlier.date)  # type: ignore[attr-defined]
        return earlier.title or f"Minutes of the meeting held on {when}"

    def earlier_minutes_url(self, meeting: Meeting, item: AgendaItem) -> str:
        earlier = item.earlier_minutes
        if earlier is None:
            return ""
        if earlier.file:
            return self.url(meeting) + earlier.file  # type: ignore[attr-defined]
        return earlier.url or ""

    # --- people and bodies ----------------------------------------------------------------

    def who(self, value: str | None) -> str:
        """A person id as 'Name, Title'; anything else (a role, a name) as written."""
        person = self.papers.people.get(value) if value else None
        if person is None:
            return value or ""
        return f"{person.display_name}, {person.title}" if person.title else person.display_name

    def membership_role(self, membership: Membership) -> str:
        return membership.title or self.role(membership.role)  # type: ignore[attr-defined]

    def chair_word(self) -> str:
        return self.role("chair")  # type: ignore[attr-defined]

    def body_kind(self, body: Body) -> str:
        kind = body.kind.value
        return BODY_KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())

    def body_tree(self) -> list[tuple[Body, int]]:
        """Bodies in the committees list's order, each sub-body straight after its parent."""
        ordered = self.bodies_in_order()  # type: ignore[attr-defined]
        known = {b.id for b in ordered}
        children: dict[str, list[Body]] = {}
        for body in ordered:
            if body.parent in known:
                children.setdefault(body.parent, []).append(body)
        tree: list[tuple[Body, int]] = []

        def visit(body: Body, depth: int) -> None:
            tree.append((body, depth))
            for child in children.get(body.id, []):
                visit(child, depth + 1)

        for body in ordered:
            if body.parent not in known:
                visit(body, 0)
        return tree

    def body_name(self, value: str) -> str:
        body = self.papers.bodies.get(value)
        return body.name if body else value

    # --- reports --------------------------------------------------------------------------

    def report_number_label(self, report: Report) -> str:
        return f"Report No. {report.report_number}" if report.report_number else ""

    def companion(self, report: Report) -> Report | None:
        return self.papers.reports.get(report.companion) if report.companion else None

    def authors(self, report: Report) -> list[tuple[Person | None, str]]:
        """Every author: (person or None, the words written for them: name, post, organisation)."""
        found: list[tuple[Person | None, str]] = []
        if report.author and not any(a.person == report.author for a in report.authors):
            found.append((self.papers.people.get(report.author), ""))
        for author in report.authors:
            person = self.papers.people.get(author.person) if author.person else None
            words = ", ".join(w for w in (author.name, author.title, author.organisation) if w)
            found.append((person, words or ("" if person else author.person or "")))
        return found

    def implications(self, report: Report) -> list[tuple[str, str, str]]:
        """(anchor, heading, Markdown) for each implications section, in the order written."""
        return [
            (
                f"implications-{key}",
                IMPLICATION_TITLES.get(key, key.replace("-", " ").replace("_", " ").capitalize()),
                words,
            )
            for key, words in report.implications.items()
        ]

    def recommendations(self, report: Report) -> list[tuple[str, str]]:
        """(marker, text) pairs in the report's own numbering style: 1., i), (a) ..."""
        style = report.recommendations_style.value
        marked = []
        for n, words in enumerate(report.recommendations):
            if style == "bullets":
                marker = ""
            else:
                token = {"1": str(n + 1), "i": _roman(n), "a": _letter(n)}[style.strip("()")[0]]
                marker = style.replace(style.strip("()")[0], token, 1)
            marked.append((marker, words))
        return marked

    def route_entries(self, report: Report) -> list[RouteEntry]:
        """The bodies a report goes to, in date order: meetings in the data whose agenda is
        out, merged with `route:` steps for bodies and meetings outside the data."""
        entries = [
            RouteEntry(
                meeting.date,
                self.papers.bodies[meeting.body].name,
                self.papers.bodies[meeting.body],
                meeting,
                item,
            )
            for meeting, item in self.route(report)  # type: ignore[attr-defined]
        ]
        for step in report.route:
            body = self.papers.bodies.get(step.body)
            name = body.name if body else step.body
            entries.append(RouteEntry(step.date, name, body, None, None, step.outcome))
        return sorted(entries, key=lambda e: (e.date, e.body_name))

    # --- minutes --------------------------------------------------------------------------

    def minute_label(self, meeting: Meeting, entry: MinuteItem) -> str:
        """The minute's number: its own (57) if the clerk numbers minutes through the year,
        else the agenda item's number, else nothing (an unnumbered item)."""
        if entry.number:
            return entry.number
        item = meeting.item(entry.item)
        return item.number or "" if item is not None else entry.item

    def minute_of_kind(self, meeting: Meeting, kind: str) -> MinuteItem | None:
        """The minute for the agenda's apologies (or declarations) item, if there is one:
        then apologies are shown there, once, not again as a section of their own."""
        minutes = meeting.minutes
        if minutes is None:
            return None
        for item in meeting.agenda:
            if item.kind is ItemKind(kind):
                return minutes.for_item(item.ref)
        return None

    def minute_blocks(self, entry: MinuteItem) -> list[Any]:
        return list(entry.content)

    def attendee_note(self, attendee: Any) -> str:
        notes = []
        if attendee.arrived_during:
            notes.append(f"arrived during minute {attendee.arrived_during}")
        if attendee.left_after:
            notes.append(f"left after minute {attendee.left_after}")
        return "; ".join(notes)


def _roman(n: int) -> str:
    return _ROMAN[n] if n < len(_ROMAN) else str(n + 1)


def _letter(n: int) -> str:
    return chr(ord("a") + n) if n < 26 else str(n + 1)
