"""`papers new meeting|report|minutes`: the files a clerk starts from, already valid.

Each function writes one new file from what the data already knows (the body's standing
items, defaults and membership; the agenda; the council's report headings) and marks what
is left for the clerk with "TO DO:" so `papers check` lists it. A file that exists is never
replaced unless `force` is given: it may hold a clerk's work.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model import (
    AgendaTemplateItem,
    Body,
    ItemKind,
    Meeting,
    MeetingStatus,
    Papers,
    Purpose,
    Role,
)
from ..model.base import SLUG
from .deadlines import NO_DEADLINE, deadline, long_date
from .meetingfile import add_report_item, set_status

TODO = "TO DO:"

#: Standing items when a body has no `agenda_template`.
DEFAULT_AGENDA = [
    AgendaTemplateItem(kind=ItemKind.apologies),
    AgendaTemplateItem(kind=ItemKind.declarations),
    AgendaTemplateItem(kind=ItemKind.minutes),
    AgendaTemplateItem(kind=ItemKind.questions),
    AgendaTemplateItem(kind=ItemKind.urgent_business),
]

#: Headings of a new report when site.yml has no `report_sections`.
DEFAULT_SECTIONS = [
    "Background",
    "Current position",
    "Proposals",
    "Options considered",
    "Financial implications",
    "Legal implications",
    "Equalities implications",
    "Risk implications",
    "Consultation",
    "Conclusion",
]

#: Items whose minutes record a formal decision, so each gets a resolution placeholder.
DECIDED = {ItemKind.minutes, ItemKind.report, ItemKind.motion, ItemKind.exclusion}


class ClerkError(Exception):
    """A request the command cannot carry out, with one line saying why and what to do."""


@dataclass
class Written:
    """What a command wrote, and anything the clerk should know about it."""

    path: Path
    notes: list[str] = field(default_factory=list)


def slugify(title: str, limit: int = 60) -> str:
    """A readable id from a title: 'Draft Budget 2027/28' -> 'draft-budget-2027-28'."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0]
    return words or "report"


def dump_yaml(data: Any) -> str:
    """Block-style YAML in the order given; strings that look like dates stay quoted."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)


def write_new(path: Path, text: str, force: bool) -> None:
    """Write `path` unless it exists: a clerk's file is replaced only when asked."""
    if path.exists() and not force:
        raise ClerkError(f"{path} already exists; it was left as it is (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def previous_meeting(papers: Papers, body_id: str, before: dt.date) -> Meeting | None:
    """The last meeting of the body before `before` that took (or will take) place."""
    earlier = [
        m for m in papers.meetings_of(body_id) if m.date < before and m.status not in NO_DEADLINE
    ]
    return earlier[-1] if earlier else None


def _body(papers: Papers, body_id: str) -> Body:
    body = papers.bodies.get(body_id)
    if body is None:
        known = ", ".join(sorted(papers.bodies))
        raise ClerkError(f"no body with id {body_id!r}; expected one of: {known}")
    return body


def _meeting(papers: Papers, meeting_id: str) -> Meeting:
    meeting = papers.meetings.get(meeting_id)
    if meeting is None:
        raise ClerkError(
            f"no meeting with id {meeting_id!r} (a folder in data/meetings/ with a meeting.yml "
            "that loads); create one with `papers new meeting BODY DATE`"
        )
    return meeting


# --- papers new meeting --------------------------------------------------------------------


def new_meeting(
    papers: Papers,
    data: Path,
    body_id: str,
    date: dt.date,
    time: dt.time | None = None,
    venue: str | None = None,
    force: bool = False,
) -> Written:
    """data/meetings/<date>-<body>/meeting.yml with the body's standing items and defaults."""
    body = _body(papers, body_id)
    start = time or body.default_time
    if start is None:
        raise ClerkError(
            f"body {body_id!r} has no default_time; give the start with --time HH:MM "
            f"(or add default_time: to data/bodies/{body_id}.yml)"
        )
    meeting_id = f"{date.isoformat()}-{body_id}"
    path = data / "meetings" / meeting_id / "meeting.yml"
    previous = previous_meeting(papers, body_id, date)
    written = Written(path)
    agenda = _agenda(body, previous, written)
    meeting: dict[str, Any] = {
        "body": body_id,
        "date": date.isoformat(),
        "start": start.strftime("%H:%M"),
    }
    where = venue or body.default_venue
    if where:
        meeting["venue"] = where
    meeting["status"] = "scheduled"
    if body.clerk:
        meeting["clerk"] = body.clerk
    meeting["agenda"] = agenda
    rule = papers.site.jurisdiction
    last = deadline(papers, Meeting(id=meeting_id, body=body_id, date=date, start=start))
    header = [
        f"# {body.name}, {long_date(date)}. Written by `papers new meeting`.",
        f"# Publish the agenda by {long_date(last)} ({rule.clear_days} clear working days "
        "before the meeting),",
        "# then add `published: YYYY-MM-DD` with the day it went out.",
    ]
    if not where:
        header.append(f"# {TODO} add `venue:` (the body has no default_venue)")
    write_new(path, "\n".join(header) + "\n" + dump_yaml(meeting), force)
    return written


def _agenda(body: Body, previous: Meeting | None, written: Written) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for standing in body.agenda_template or DEFAULT_AGENDA:
        item: dict[str, Any] = {"number": str(len(items) + 1), "kind": standing.kind.value}
        if standing.kind is ItemKind.minutes:
            if previous is None:
                written.notes.append(
                    "no earlier meeting of this body: the minutes item was left out"
                )
                continue
            item["minutes_of"] = previous.id
            item["purpose"] = Purpose.decision.value
        if standing.title:
            item["title"] = standing.title
        if standing.description:
            item["description"] = standing.description
        if standing.part == 2:
            item["part"] = 2
        if standing.exempt is not None:
            item["exempt"] = list(standing.exempt) or True
        items.append(item)
    return items


# --- papers new report ---------------------------------------------------------------------


def new_report(
    papers: Papers,
    data: Path,
    meeting_id: str,
    title: str,
    report_id: str | None = None,
    force: bool = False,
) -> Written:
    """A report with its cover block and the council's headings, added to the agenda."""
    meeting = _meeting(papers, meeting_id)
    report_id = check_report_id(papers, meeting_id, report_id or slugify(title), force)
    path = data / "meetings" / meeting_id / f"{report_id}.md"
    sections = papers.site.report_sections or DEFAULT_SECTIONS
    front = {
        "title": title,
        "report_of": f"{TODO} the director or head of service presenting the report",
        "purpose": Purpose.decision.value,
        "key_decision": False,
        "draft": True,
        "summary": f"{TODO} what the report is about and what it asks for, in a few sentences.",
        "recommendations": [f"{TODO} what members are asked to agree or note."],
    }
    body = "\n".join(f"## {heading}\n\n{TODO} {heading.lower()}.\n" for heading in sections)
    text = (
        "---\n# Written by `papers new report`. Fill in each placeholder, add `author:`\n"
        "# (a person id from people.yml), and remove `draft: true` when it is ready.\n"
        + dump_yaml(front)
        + "---\n"
        + body
    )
    write_new(path, text, force)
    written = Written(path)
    written.notes.extend(add_to_agenda(data, meeting, report_id))
    return written


def check_report_id(papers: Papers, meeting_id: str, report_id: str, force: bool) -> str:
    """A valid report id not used by another meeting's report (its file name is its id)."""
    if not re.match(SLUG, report_id):
        raise ClerkError(
            f"{report_id!r} is not a valid report id: lower-case letters, digits and hyphens"
        )
    other = papers.reports.get(report_id)
    if other is None or (other.meeting_folder == meeting_id and force):
        return report_id
    if other.meeting_folder == meeting_id:
        raise ClerkError(
            f"{other.source} already exists; it was left as it is (use --force to replace it)"
        )
    raise ClerkError(
        f"report id {report_id!r} is already used by {other.source}; choose another with --id"
    )
    return report_id


def add_to_agenda(data: Path, meeting: Meeting, report_id: str) -> list[str]:
    """Add the item presenting the report, late if the agenda is already out; say what changed."""
    if any(item.report == report_id for item in meeting.agenda):
        return [f"item already on the agenda of {meeting.id}"]
    if meeting.minutes is not None:
        return [
            f"{meeting.id} already has minutes: the report was not added to its agenda; "
            "add the item to meeting.yml by hand"
        ]
    late = meeting.published is not None
    number = add_report_item(data / "meetings" / meeting.id / "meeting.yml", report_id, late)
    notes = [f"added as item {number} of {meeting.id}"]
    if late:
        notes.append(
            f"the agenda was published on {long_date(meeting.published)}, so the item is "
            "marked late: record the reason for urgency in its late_reason"
        )
    return notes


# --- papers new minutes --------------------------------------------------------------------


def new_minutes(papers: Papers, data: Path, meeting_id: str, force: bool = False) -> Written:
    """Draft minutes.yml from the agenda and the membership on the day, marked draft."""
    meeting = _meeting(papers, meeting_id)
    path = data / "meetings" / meeting_id / "minutes.yml"
    if path.exists() and not force:
        raise ClerkError(f"{path} already exists; it was left as it is (use --force to replace it)")
    body = _body(papers, meeting.body)
    members = [m for m in body.members_on(meeting.date) if m.role is not Role.substitute]
    if not members:
        raise ClerkError(
            f"body {body.id!r} has no members on {meeting.date}; check its memberships"
        )
    chair = next((m.person for m in members if m.role is Role.chair), members[0].person)
    start = meeting.start.strftime("%H:%M")
    minutes: dict[str, Any] = {
        "draft": True,
        "started": start,
        "ended": start,
        "chair": chair,
        "present": [m.person for m in members],
        "apologies": [],
        "items": [_minute_item(item) for item in meeting.agenda],
    }
    header = (
        "# Draft minutes written by `papers new minutes`. Move members who sent apologies from\n"
        "# `present` to `apologies`, add `in_attendance`, fill in each placeholder, set `ended`,\n"
        "# and remove `draft: true` once the minutes may be published.\n"
    )
    text = dump_yaml(minutes).replace(
        f"ended: '{start}'\n", f"ended: '{start}'  # {TODO} the time the meeting ended\n", 1
    )
    write_new(path, header + text, True)
    written = Written(path)
    if meeting.status is MeetingStatus.scheduled:
        set_status(data / "meetings" / meeting_id / "meeting.yml", MeetingStatus.held.value)
        written.notes.append(f"{meeting.id}: status set to held (minutes need a held meeting)")
    return written


def _minute_item(item: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"item": item.number, "text": f"{TODO} what happened."}
    if item.kind in DECIDED:
        entry["resolutions"] = [f"{TODO} the resolution, as agreed."]
    if item.is_exempt:
        entry["exempt"] = list(item.exempt or []) or True
    return entry
