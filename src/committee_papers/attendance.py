"""Attendance and declarations of interest, counted from the minutes an audience may see.

Residents ask "how often does my councillor turn up?", so the figures must be defensible:
a member is *expected* at a held meeting of a body they sat on that day (as chair,
vice-chair, member or co-opted member; a named substitute is not expected) whose minutes
this audience may read; *present* and *apologies* come from those minutes; a person who
attended *as a substitute* for someone else is counted separately, for the body they
substituted on. Minutes the audience may not see do not count, so the public figures never
hint at unpublished minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from . import tracing
from .model import Body, Declaration, Meeting, MeetingStatus, Papers, Person, Role
from .perpapers import OncePerPapers
from .policy import Policy


@dataclass
class BodyAttendance:
    """One person's record at one body: counts and the meetings behind them."""

    body: Body
    expected: list[Meeting] = field(default_factory=list)
    present: list[Meeting] = field(default_factory=list)
    apologies: list[Meeting] = field(default_factory=list)
    substitute: list[Meeting] = field(default_factory=list)

    def copy(self) -> BodyAttendance:
        return BodyAttendance(
            self.body, [*self.expected], [*self.present], [*self.apologies], [*self.substitute]
        )

    @property
    def absent(self) -> list[Meeting]:
        """Expected, neither present nor sending apologies. Meetings are told apart by id:
        a pydantic model's `==` compares every field, minutes and agenda included, and a
        member of ten years was compared hundreds of times over."""
        seen = {m.id for m in self.present} | {m.id for m in self.apologies}
        return [m for m in self.expected if m.id not in seen]

    @property
    def rate(self) -> int | None:
        """Per cent of expected meetings attended, rounded; None when none were expected."""
        if not self.expected:
            return None
        return round(100 * len(self.present) / len(self.expected))


def counted_meetings(papers: Papers, policy: Policy) -> Iterator[Meeting]:
    """Held meetings whose minutes this audience may read, in date order."""
    for meeting in papers.meetings_in_date_order():
        if meeting.status is MeetingStatus.held and policy.show_minutes(meeting):
            yield meeting


def expected_at(body: Body, meeting: Meeting, person_id: str) -> bool:
    """Was the person a member (not only a named substitute) of the body on the day?"""
    return any(
        m.person == person_id and m.role is not Role.substitute and m.current_on(meeting.date)
        for m in body.memberships
    )


def attendance_of(papers: Papers, policy: Policy, person: Person) -> list[BodyAttendance]:
    """The person's attendance at every body where they were expected or substituted."""
    if tracing.active() is None:  # not drawing a page, or asked as a query: the index
        found = _index(papers, policy).attendance.get(person.id, {})
        return sorted((record.copy() for record in found.values()), key=lambda r: r.body.name)
    return _attendance_of(papers, policy, person)


def _attendance_of(papers: Papers, policy: Policy, person: Person) -> list[BodyAttendance]:
    """attendance_of, person by person: every read is seen by the page cache's recorder."""
    records: dict[str, BodyAttendance] = {}
    for meeting in counted_meetings(papers, policy):
        minutes = meeting.minutes
        # Minutes that do not record who was present count for nobody: unknown is not absent.
        if minutes is None or minutes.present is None:
            continue
        body = papers.bodies[meeting.body]
        present = {a.person for a in minutes.present}
        if expected_at(body, meeting, person.id):
            record = records.setdefault(body.id, BodyAttendance(body))
            record.expected.append(meeting)
            if person.id in present:
                record.present.append(meeting)
            elif person.id in minutes.apologies:
                record.apologies.append(meeting)
        elif any(s.person == person.id for s in minutes.substitutes):
            records.setdefault(body.id, BodyAttendance(body)).substitute.append(meeting)
    return sorted(records.values(), key=lambda r: r.body.name)


def declarations_of(
    papers: Papers, policy: Policy, person: Person
) -> list[tuple[Meeting, Declaration]]:
    """Interests the person declared, from the minutes this audience may read.

    Declarations are part of the public record even on a Part 2 item (the minutes page lists
    them all), so every declaration in readable minutes counts.
    """
    if tracing.active() is None:
        return list(_index(papers, policy).declarations.get(person.id, []))
    return [
        (meeting, declaration)
        for meeting in counted_meetings(papers, policy)
        if meeting.minutes is not None
        for declaration in meeting.minutes.declarations
        if declaration.person == person.id
    ]


# --- everybody's record at once -------------------------------------------------------------


@dataclass
class _Index:
    #: person id -> body id -> their record there, meetings in date order.
    attendance: dict[str, dict[str, BodyAttendance]]
    #: person id -> their declarations, in date order.
    declarations: dict[str, list[tuple[Meeting, Declaration]]]


def _index_made(papers: Papers, policy: Policy) -> _Index:
    """Every person's attendance and declarations in one pass over the meetings, once per
    build (`_index`; asking person by person walked every meeting for each of them: minutes
    of CPU at ten years of papers). Only used where no page is being recorded (see
    attendance_of)."""
    attended: dict[str, dict[str, BodyAttendance]] = {}
    declared: dict[str, list[tuple[Meeting, Declaration]]] = {}
    for meeting in counted_meetings(papers, policy):
        minutes = meeting.minutes
        if minutes is None:
            continue
        for declaration in minutes.declarations:
            declared.setdefault(declaration.person, []).append((meeting, declaration))
        if minutes.present is None:
            continue
        body = papers.bodies[meeting.body]
        present = {a.person for a in minutes.present}
        expected = {
            m.person
            for m in body.memberships
            if m.role is not Role.substitute and m.current_on(meeting.date)
        }
        for person_id in expected:
            record = attended.setdefault(person_id, {}).setdefault(body.id, BodyAttendance(body))
            record.expected.append(meeting)
            if person_id in present:
                record.present.append(meeting)
            elif person_id in minutes.apologies:
                record.apologies.append(meeting)
        for person_id in {s.person for s in minutes.substitutes} - expected:
            by_body = attended.setdefault(person_id, {})
            by_body.setdefault(body.id, BodyAttendance(body)).substitute.append(meeting)
    return _Index(attended, declared)


_index = OncePerPapers(_index_made)
