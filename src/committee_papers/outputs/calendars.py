"""Meetings as iCalendar (RFC 5545): every meeting, each body's, and each meeting alone.

People subscribe to these in their calendar apps, which keep events by UID and replace them
when SEQUENCE rises, so both come from the data: the UID is `<meeting-id>@<site host>` and
never changes, and a meeting that is cancelled, postponed or moved is sent again with a
higher SEQUENCE, STATUS:CANCELLED and a link to the meeting that replaces it. Times are
Europe/London wall-clock times with a VTIMEZONE (added by icalendar), so a 6pm meeting is
6pm on either side of the clock change. DTSTAMP is the date the meeting's public record last
changed (agenda or minutes published), never the clock, so a build is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING

from ..model import Body, Meeting, MeetingStatus, Papers
from ..policy import Policy
from ..urls import calendar_url, meeting_ics_url, url_for
from . import GENERATORS, OutputFile, unit
from .address import LONDON, absolute, host, start_of_day

if TYPE_CHECKING:
    import icalendar

#: Statuses whose original date will not go ahead: the event is sent again, cancelled.
_CALLED_OFF = {MeetingStatus.cancelled, MeetingStatus.postponed, MeetingStatus.moved}
_PREFIX = {
    MeetingStatus.cancelled: "Cancelled: ",
    MeetingStatus.postponed: "Postponed: ",
    MeetingStatus.moved: "Moved: ",
}


def _ical() -> ModuleType:
    """icalendar, imported when the first calendar is made: a re-build's build process
    makes none (its fork makes the outputs), and the import took some 30 ms of its start."""
    import icalendar

    return icalendar


def uid(papers: Papers, meeting: Meeting) -> str:
    """The event's permanent id: the meeting id at the site's host."""
    return f"{meeting.id}@{host(papers)}"


def sequence(meeting: Meeting) -> int:
    """0 as first announced; 1 once the meeting is called off on its original date."""
    return 1 if meeting.status in _CALLED_OFF else 0


def revised(meeting: Meeting, policy: Policy) -> dt.date:
    """The day the meeting's public record last changed, as far as the data tells."""
    days = []
    if meeting.published is not None and policy.show_agenda(meeting):
        days.append(meeting.published)
    if policy.show_minutes(meeting) and meeting.minutes is not None:
        days.append(meeting.minutes.publish_on or meeting.date)
    days = [d for d in days if d <= policy.as_of]
    return max(days) if days else policy.as_of


def start_time(meeting: Meeting) -> dt.time | None:
    """The start time, or None when the data does not give one (an all-day event)."""
    return getattr(meeting, "start", None)


def event(papers: Papers, policy: Policy, meeting: Meeting) -> icalendar.Event:
    body = papers.bodies[meeting.body]
    ev = _ical().Event()
    ev.add("uid", uid(papers, meeting))
    ev.add("dtstamp", start_of_day(revised(meeting, policy)).astimezone(dt.UTC))
    ev.add("sequence", sequence(meeting))
    ev.add("summary", _PREFIX.get(meeting.status, "") + body.name)
    start = start_time(meeting)
    if start is None:
        ev.add("dtstart", meeting.date)
        ev.add("dtend", meeting.date + dt.timedelta(days=1))
    else:
        ev.add("dtstart", dt.datetime.combine(meeting.date, start, tzinfo=LONDON))
        ended = _ended(meeting, policy)
        if ended is not None and ended > start:
            ev.add("dtend", dt.datetime.combine(meeting.date, ended, tzinfo=LONDON))
    venue = meeting.venue or body.default_venue
    if venue:
        ev.add("location", venue)
    ev.add("status", "CANCELLED" if meeting.status in _CALLED_OFF else "CONFIRMED")
    ev.add("url", absolute(papers, url_for(meeting)))
    ev.add("description", _description(papers, meeting))
    new = papers.meetings.get(meeting.moved_to) if meeting.moved_to else None
    if new is not None:
        ev.add("related-to", uid(papers, new), parameters={"RELTYPE": "SIBLING"})
    return ev


def _ended(meeting: Meeting, policy: Policy) -> dt.time | None:
    """The end time from published minutes; unknown before then."""
    if meeting.minutes is not None and policy.show_minutes(meeting):
        return meeting.minutes.ended
    return None


def _description(papers: Papers, meeting: Meeting) -> str:
    lines = []
    if meeting.status_note:
        lines.append(meeting.status_note)
    new = papers.meetings.get(meeting.moved_to) if meeting.moved_to else None
    if new is not None:
        lines.append(
            f"Now on {new.date:%A} {new.date.day} {new.date:%B %Y}: "
            f"{absolute(papers, url_for(new))}"
        )
    for earlier in papers.moved_from(meeting.id):
        if earlier.moved_to == meeting.id:
            lines.append(f"Rearranged from {earlier.date.day} {earlier.date:%B %Y}.")
    lines.append(f"Agenda and papers: {absolute(papers, url_for(meeting))}")
    return "\n\n".join(lines)


def calendar(
    papers: Papers, policy: Policy, meetings: Iterable[Meeting], name: str
) -> icalendar.Calendar:
    """A calendar of `meetings`, with the Europe/London VTIMEZONE their times refer to."""
    cal = _ical().Calendar()
    cal.add("prodid", f"-//committee-papers//{papers.site.council}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    chosen = sorted(meetings, key=lambda m: (m.date, m.id))
    for meeting in chosen:
        cal.add_component(event(papers, policy, meeting))
    if any(start_time(m) is not None for m in chosen):
        # The one zone events name (LONDON), where add_missing_timezones would put it.
        years = [m.date.year for m in chosen]
        cal.subcomponents.insert(0, _zone(min(years), max(years) + 1))
    return cal


#: The bytes of each zone `_zone` made, by its id (the cache keeps the zone alive).
_ZONE_BYTES: dict[int, bytes] = {}


@functools.cache
def _zone(first: int, last: int) -> icalendar.Timezone:
    """The VTIMEZONE of LONDON from 1 January of year `first` to that of `last`: the same
    for every calendar of those years, where working it out and writing its lines (folded
    one by one) was most of the cost of each meeting's calendar. Never changed once made:
    calendars share it, and its bytes are kept."""
    zone = _ical().Timezone.from_tzid(
        LONDON.key, first_date=dt.date(first, 1, 1), last_date=dt.date(last, 1, 1)
    )
    _ZONE_BYTES[id(zone)] = zone.to_ical()
    return zone


def ical(cal: icalendar.Calendar) -> bytes:
    """`cal.to_ical()`, with a zone of `_zone` written from its kept bytes. icalendar
    writes a calendar's own lines, then its components in order, and the zone is the
    first of them (`calendar`): its bytes go before the first event's."""
    kept = _ZONE_BYTES.get(id(cal.subcomponents[0])) if cal.subcomponents else None
    if kept is None:
        return cal.to_ical()
    rest = _ical().Calendar(cal)
    rest.subcomponents = cal.subcomponents[1:]
    head, event, tail = rest.to_ical().partition(b"BEGIN:VEVENT\r\n")
    return head + kept + event + tail


def _file(path: str, cal: icalendar.Calendar) -> OutputFile:
    return OutputFile(path, ical(cal))


#: The subscribed calendars (all meetings, each body's) hold meetings from this many days
#: before the as-of date onwards, so ten years of meetings do not make every subscriber's
#: calendar download megabytes at each refresh. Every meeting keeps its own meeting.ics.
CALENDAR_PAST_DAYS = 366


def subscribed(meetings: list[Meeting], policy: Policy) -> list[Meeting]:
    """The meetings a subscribed calendar holds: the past year's and every later one."""
    since = policy.as_of - dt.timedelta(days=CALENDAR_PAST_DAYS)
    return [m for m in meetings if m.date >= since]


def files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    council = papers.site.display_short_name
    every = papers.meetings_in_date_order()
    shown = subscribed(every, policy)
    yield _file(calendar_url(), calendar(papers, policy, shown, f"{council}: all meetings"))
    # Each body's and each meeting's calendar through outputs.unit: a re-build makes again
    # those whose meetings changed (the ids are handed, the papers looked up and recorded).
    for body in sorted(papers.bodies.values(), key=lambda b: b.id):
        yield unit(calendar_url(body), lambda i=body.id: body_ical(papers, policy, i))
    for meeting in every:
        yield unit(meeting_ics_url(meeting), lambda i=meeting.id: meeting_ical(papers, policy, i))


def body_calendar(papers: Papers, policy: Policy, body: Body) -> icalendar.Calendar:
    return calendar(papers, policy, subscribed(papers.meetings_of(body.id), policy), body.name)


def body_ical(papers: Papers, policy: Policy, body_id: str) -> bytes:
    return ical(body_calendar(papers, policy, papers.bodies[body_id]))


def meeting_ical(papers: Papers, policy: Policy, meeting_id: str) -> bytes:
    meeting = papers.meetings[meeting_id]
    name = f"{papers.bodies[meeting.body].name}, {meeting.date.isoformat()}"
    return ical(calendar(papers, policy, [meeting], name))


GENERATORS.append(files)
