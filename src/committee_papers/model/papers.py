"""Everything loaded from one data/ folder, with the lookups between objects."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .meetings import AgendaItem, ItemKind, Meeting, MeetingStatus
from .people import Body, Membership, Person
from .reports import Report
from .site import Site


class Papers(BaseModel):
    """Everything loaded from one `data/` folder, with indexes built once by the loader."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    site: Site
    people: dict[str, Person]
    bodies: dict[str, Body]
    meetings: dict[str, Meeting]
    reports: dict[str, Report]

    def meetings_of(self, body_id: str) -> list[Meeting]:
        return sorted(
            (m for m in self.meetings.values() if m.body == body_id), key=lambda m: m.date
        )

    def items_presenting(self, report_id: str) -> list[tuple[Meeting, AgendaItem]]:
        """Every (meeting, item) that presents a report, in date order: its route."""
        found = [(m, i) for m in self.meetings.values() for i in m.agenda if i.report == report_id]
        return sorted(found, key=lambda pair: (pair[0].date, pair[0].id))

    def approval_of(self, meeting_id: str) -> tuple[Meeting, AgendaItem] | None:
        """The later meeting (and item) whose agenda approves this meeting's minutes."""
        for m in sorted(self.meetings.values(), key=lambda m: m.date):
            for item in m.agenda:
                if item.kind is ItemKind.minutes and item.minutes_of == meeting_id:
                    return m, item
        return None

    def minutes_approved(self, meeting_id: str) -> bool:
        """Minutes are approved once the approving meeting has been held and minuted."""
        found = self.approval_of(meeting_id)
        if found is None:
            return False
        later, item = found
        return (
            later.status is MeetingStatus.held
            and later.minutes is not None
            and (later.minutes.for_item(item.number) is not None)
        )

    def roles_of(self, person_id: str) -> list[tuple[Body, Membership]]:
        return sorted(
            ((b, m) for b in self.bodies.values() for m in b.memberships if m.person == person_id),
            key=lambda pair: (pair[0].name, pair[1].start),
        )
