"""Everything loaded from one data/ folder, with the lookups between objects."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from ..tracing import query
from .decisions import DecisionRecord, ForwardPlanEntry, Notice
from .meetings import AgendaItem, ItemKind, Meeting, MeetingStatus
from .people import Body, Membership, Person
from .reports import Report
from .site import Site


class Papers(BaseModel):
    """Everything loaded from one `data/` folder, with indexes built once, when first asked.

    Pages ask "which meetings present this report?" and "which meeting approved these
    minutes?" thousands of times in an archive, so each is answered from an index built in
    one pass over the meetings (the papers do not change once loaded).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    site: Site
    people: dict[str, Person]
    bodies: dict[str, Body]
    meetings: dict[str, Meeting]
    reports: dict[str, Report]
    decisions: dict[str, DecisionRecord] = Field(default_factory=dict)
    forward_plan: dict[str, ForwardPlanEntry] = Field(default_factory=dict)
    notices: list[Notice] = Field(default_factory=list)

    @cached_property
    def _in_date_order(self) -> list[Meeting]:
        return sorted(self.meetings.values(), key=lambda m: (m.date, m.start or dt.time.min, m.id))

    @query
    def meetings_in_date_order(self) -> list[Meeting]:
        return list(self._in_date_order)

    @cached_property
    def _by_body(self) -> dict[str, list[Meeting]]:
        index: dict[str, list[Meeting]] = defaultdict(list)
        for meeting in self._in_date_order:
            index[meeting.body].append(meeting)
        return index

    @cached_property
    def _presenting(self) -> dict[str, list[tuple[Meeting, AgendaItem]]]:
        index: dict[str, list[tuple[Meeting, AgendaItem]]] = defaultdict(list)
        for meeting in self._in_date_order:
            for item in meeting.agenda:
                for report_id in item.report_ids:
                    index[report_id].append((meeting, item))
        return index

    @cached_property
    def _approvals(self) -> dict[str, tuple[Meeting, AgendaItem]]:
        index: dict[str, tuple[Meeting, AgendaItem]] = {}
        for meeting in self._in_date_order:
            for item in meeting.agenda:
                if item.kind is ItemKind.minutes and item.minutes_of:
                    index.setdefault(item.minutes_of, (meeting, item))
        return index

    @cached_property
    def _moved_from(self) -> dict[str, list[Meeting]]:
        index: dict[str, list[Meeting]] = defaultdict(list)
        for meeting in dict.values(self.meetings):
            if meeting.moved_to:
                index[meeting.moved_to].append(meeting)
        return index

    @query
    def moved_from(self, meeting_id: str) -> list[Meeting]:
        """Meetings moved to this one, in the order of the meetings (a meeting's calendar
        names them; asked as a query, it does not depend on every other meeting)."""
        return list(self._moved_from.get(meeting_id, []))

    @query
    def meetings_of(self, body_id: str) -> list[Meeting]:
        return list(self._by_body.get(body_id, []))

    @query
    def items_presenting(self, report_id: str) -> list[tuple[Meeting, AgendaItem]]:
        """Every (meeting, item) that presents a report, in date order: its route."""
        return list(self._presenting.get(report_id, []))

    @query
    def approval_of(self, meeting_id: str) -> tuple[Meeting, AgendaItem] | None:
        """The first later meeting (and item) whose agenda approves this meeting's minutes."""
        return self._approvals.get(meeting_id)

    @query
    def minutes_approved(self, meeting_id: str) -> bool:
        """Minutes are approved once the approving meeting has been held and minuted."""
        found = self.approval_of(meeting_id)
        if found is None:
            return False
        later, item = found
        return (
            later.status is MeetingStatus.held
            and later.minutes is not None
            and (later.minutes.for_item(item.ref) is not None)
        )

    @query
    def roles_of(self, person_id: str) -> list[tuple[Body, Membership]]:
        return sorted(
            ((b, m) for b in self.bodies.values() for m in b.memberships if m.person == person_id),
            key=lambda pair: (pair[0].name, pair[1].start or dt.date.min),
        )
