"""Open data: one JSON file per body, meeting, report and person, a bulk file, and schemas.

Developers, journalists and civic-tech projects want the data, not the pages. The export is
its own set of pydantic models (not the clerk's model), named after the Popolo and Open
Civic Data standards where they fit (Organization, Membership, Person, Event), so its shape
is a published promise that does not move when the input format does; the JSON Schema of
each file is generated from the same models and published beside them (/api/schema/).
Everything is built from what the policy lets this audience see, like the pages.

Decisions are those of the register (decisions.py), with recorded votes as OCD VoteEvents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from .. import decisions
from ..leakparts import Run, Segment, run_text
from ..model import Body, Meeting, MeetingStatus, Papers, Report, Vote
from ..model import Membership as MembershipData
from ..model import Person as PersonData
from ..policy import Policy
from ..urls import api_url, calendar_url, feed_url, meeting_ics_url, url_for
from ..view import View
from . import GENERATORS, OutputFile, compose, piece, piece_name, unit
from .address import LONDON, absolute
from .calendars import start_time

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class Out(BaseModel):
    """Base of the export: strict, so the schemas say additionalProperties: false."""

    # Built when the open data is first made, in the build's fork (model.base.Strict).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Membership(Out):
    """Popolo Membership: a person's role on an organization between two dates."""

    person_id: str
    organization_id: str
    role: str
    start_date: dt.date | None = Field(description="null: not recorded")
    end_date: dt.date | None = None


class Organization(Out):
    """Popolo Organization: a body of the council (Council, Cabinet, a committee)."""

    id: str
    name: str
    classification: str = Field(description="council, cabinet, committee, sub-committee, ...")
    parent_id: str | None = None
    purpose: str | None = None
    url: str = Field(description="the body's page")
    calendar: str = Field(description="its meetings as iCalendar")
    feed: str = Field(description="its newly published papers as Atom")
    memberships: list[Membership]
    events: list[str] = Field(description="ids of its meetings")


class Attendance(Out):
    """A person's attendance at one organization, counted from published minutes."""

    organization_id: str
    expected: int
    present: int
    apologies: int
    absent: int
    substitute: int = Field(description="meetings attended as a substitute for a member")


class Interest(Out):
    """A declaration of interest recorded in published minutes."""

    event_id: str
    item: str
    interest: str
    url: str = Field(description="the minute it was declared at")


class Person(Out):
    """Popolo Person: a member or officer."""

    id: str
    name: str
    honorific_prefix: str | None = None
    classification: str = Field(description="member, co-opted, officer or other")
    role: str | None = None
    party: str | None = None
    ward: str | None = None
    url: str
    memberships: list[Membership]
    attendance: list[Attendance]
    interests: list[Interest]


class AgendaItem(Out):
    number: str | None = Field(description="null: an unnumbered item or heading")
    title: str
    classification: str = Field(description="the item's kind: apologies, report, minutes, ...")
    part: int = Field(description="1 public, 2 exempt (title only)")
    exempt_paragraphs: list[str]
    report_id: str | None = None


class Substitute(Out):
    person_id: str
    for_person_id: str


class Declaration(Out):
    person_id: str
    item: str
    interest: str


class MinuteItem(Out):
    number: str
    title: str
    exempt: bool = Field(description="true: withheld from the public, only its title shown")
    text: str | None = None
    resolutions: list[str]


class Minutes(Out):
    status: Literal["draft", "approved"]
    url: str
    present: list[str] | None = Field(description="null: the minutes do not record attendance")
    apologies: list[str]
    substitutes: list[Substitute]
    declarations: list[Declaration]
    items: list[MinuteItem]


class Location(Out):
    name: str


class Event(Out):
    """OCD Event: a meeting of a body, with its agenda and (when published) its minutes."""

    id: str
    name: str
    organization_id: str
    start_date: str = Field(description="ISO 8601: a date-time with its UTC offset, or a date")
    all_day: bool
    timezone: Literal["Europe/London"] = "Europe/London"
    status: MeetingStatus = Field(description="the model's own statuses, so new ones follow")
    status_note: str | None = None
    moved_to: str | None = Field(default=None, description="id of the meeting that replaces it")
    location: Location | None = None
    url: str
    calendar: str
    agenda_published: dt.date | None = None
    agenda: list[AgendaItem] = Field(description="empty until the agenda is published")
    minutes: Minutes | None = None


class AppendixRef(Out):
    label: str
    title: str
    url: str


class ReportOut(Out):
    """An officer's report, as published."""

    id: str
    title: str
    report_of: str
    purpose: str
    key_decision: bool
    wards: list[str]
    forward_plan: str | None = None
    published: dt.date | None = None
    summary: str
    recommendations: list[str]
    text: str = Field(description="the main report, in Markdown")
    url: str
    events: list[str] = Field(description="ids of the meetings that consider it")
    appendices: list[AppendixRef]


class VoteCount(Out):
    option: Literal["for", "against", "abstain", "absent"]
    value: int


class PersonVote(Out):
    voter_id: str
    option: Literal["for", "against", "abstain", "absent"]


class VoteEvent(Out):
    """OCD VoteEvent: a recorded vote on one resolution."""

    motion_text: str
    result: str = Field(description="carried or lost")
    counts: list[VoteCount]
    votes: list[PersonVote]


class CallIn(Out):
    status: str
    deadline: dt.date | None = None
    effective: dt.date | None = None


class DecisionOut(Out):
    """A decision: a meeting's resolutions on an item, or an executive or officer decision."""

    id: str
    title: str
    date: dt.date
    classification: str = Field(description="who decided: council, committee, cabinet, ...")
    key_decision: bool
    maker_id: str | None = Field(default=None, description="the body or person who decided")
    event_id: str | None = None
    item: str | None = None
    report_id: str | None = None
    outcome: str | None = None
    resolutions: list[str]
    vote_events: list[VoteEvent]
    call_in: CallIn
    url: str = Field(description="the decision record, or the minute that records it")


class Export(Out):
    """Everything public, in one file (/api/all.json)."""

    council: str
    as_of: dt.date = Field(description="the date the site was built as on")
    organizations: list[Organization]
    people: list[Person]
    events: list[Event]
    reports: list[ReportOut]
    decisions: list[DecisionOut]


#: The published schemas, by file name under /api/schema/.
SCHEMAS: dict[str, type[Out]] = {
    "organization": Organization,
    "person": Person,
    "event": Event,
    "report": ReportOut,
    "decision": DecisionOut,
    "all": Export,
}


# --- from the papers to the export ----------------------------------------------------------


def membership(body: Body, m: MembershipData) -> Membership:
    return Membership(
        person_id=m.person,
        organization_id=body.id,
        role=m.role.value,
        start_date=m.start,
        end_date=m.end,
    )


def vote_event(motion: str, vote: Vote) -> VoteEvent:
    choices = vote.choices()
    options = ("for", "against", "abstain", "absent")
    return VoteEvent(
        motion_text=motion,
        result=vote.outcome.value,
        counts=[VoteCount(option=o, value=sum(c == o for _, c in choices)) for o in options],
        votes=[PersonVote(voter_id=person, option=choice) for person, choice in choices],
    )


class Exporter:
    """Builds the export models from what one audience may see."""

    def __init__(self, papers: Papers, policy: Policy):
        self.papers = papers
        self.policy = policy
        self.view = View(papers, policy)

    def link(self, obj: Any, part: str = "") -> str:
        return absolute(self.papers, url_for(obj, part))

    def organization(self, body_id: str) -> Organization:
        body = self.papers.bodies[body_id]
        return Organization(
            id=body.id,
            name=body.name,
            classification=body.kind.value,
            parent_id=body.parent,
            purpose=body.purpose,
            url=self.link(body),
            calendar=absolute(self.papers, calendar_url(body)),
            feed=absolute(self.papers, feed_url(body)),
            memberships=[membership(body, m) for m in body.memberships],
            events=[m.id for m in self.papers.meetings_of(body.id)],
        )

    def person(self, person_id: str) -> Person:
        person: PersonData = self.papers.people[person_id]
        # The view's queries: a person's file depends on their record, not every meeting.
        records = self.view.attendance(person)
        return Person(
            id=person.id,
            name=person.name,
            honorific_prefix=person.honorific,
            classification=person.kind.value,
            role=person.title,
            party=person.party,
            ward=person.ward,
            url=self.link(person),
            memberships=[membership(body, m) for body, m in self.papers.roles_of(person.id)],
            attendance=[
                Attendance(
                    organization_id=r.body.id,
                    expected=len(r.expected),
                    present=len(r.present),
                    apologies=len(r.apologies),
                    absent=len(r.absent),
                    substitute=len(r.substitute),
                )
                for r in records
            ],
            interests=[
                Interest(
                    event_id=meeting.id,
                    item=d.item,
                    interest=d.interest,
                    url=self.link(meeting, "minutes") + f"#minute-{d.item}",
                )
                for meeting, d in self.view.declarations(person)
            ],
        )

    def event(self, meeting_id: str) -> Event:
        meeting = self.papers.meetings[meeting_id]
        body = self.papers.bodies[meeting.body]
        start = start_time(meeting)
        begins = (
            dt.datetime.combine(meeting.date, start, tzinfo=LONDON).isoformat()
            if start is not None
            else meeting.date.isoformat()
        )
        venue = meeting.venue or body.default_venue
        shown = self.policy.show_agenda(meeting)
        return Event(
            id=meeting.id,
            name=self.view.meeting_title(meeting),
            organization_id=body.id,
            start_date=begins,
            all_day=start is None,
            status=meeting.status,
            status_note=meeting.status_note,
            moved_to=meeting.moved_to,
            location=Location(name=venue) if venue else None,
            url=self.link(meeting),
            calendar=absolute(self.papers, meeting_ics_url(meeting)),
            agenda_published=meeting.published if shown else None,
            agenda=self.agenda(meeting) if shown else [],
            minutes=self.minutes(meeting),
        )

    def agenda(self, meeting: Meeting) -> list[AgendaItem]:
        items = []
        for item in sorted(meeting.agenda, key=lambda i: i.sort_key):
            report = self.view.shown_report(item)
            items.append(
                AgendaItem(
                    number=item.number,
                    title=self.view.item_title(item),
                    classification=item.kind.value,
                    part=item.part,
                    exempt_paragraphs=[str(n) for n in item.exempt or []],
                    report_id=report.id if report is not None else None,
                )
            )
        return items

    def minutes(self, meeting: Meeting) -> Minutes | None:
        m = meeting.minutes
        if m is None or not self.policy.show_minutes(meeting):
            return None
        items = []
        for entry in m.items:
            shown = self.policy.show_minute_item(meeting, entry)
            items.append(
                MinuteItem(
                    number=entry.item,
                    title=entry.title or self.view.minuted_title(meeting, entry.item),
                    exempt=not shown,
                    text=entry.text if shown else None,
                    resolutions=[r.text for r in entry.resolutions] if shown else [],
                )
            )
        return Minutes(
            status="approved" if self.papers.minutes_approved(meeting.id) else "draft",
            url=self.link(meeting, "minutes"),
            present=[a.person for a in m.present] if m.present is not None else None,
            apologies=list(m.apologies),
            substitutes=[
                Substitute(person_id=s.person, for_person_id=s.for_) for s in m.substitutes
            ],
            declarations=[
                Declaration(person_id=d.person, item=d.item, interest=d.interest)
                for d in m.declarations
            ],
            items=items,
        )

    def report(self, report: Report) -> ReportOut:
        return ReportOut(
            id=report.id,
            title=report.title,
            report_of=report.report_of,
            purpose=report.purpose.value,
            key_decision=report.key_decision,
            wards=list(report.wards),
            forward_plan=report.forward_plan,
            published=report.publish_on or self.policy.report_release_date(report),
            summary=report.summary,
            recommendations=list(report.recommendations),
            text=report.body,
            url=self.link(report),
            events=[m.id for m, _ in self.view.route(report)],
            appendices=[
                AppendixRef(label=a.label, title=a.title, url=self.link(a))
                for a in self.view.shown_appendices(report)
            ],
        )

    def reports(self) -> list[Report]:
        return [
            r
            for r in sorted(self.papers.reports.values(), key=lambda r: r.id)
            if self.policy.show_report(r)
        ]

    def decision(self, d: decisions.Decision) -> DecisionOut:
        if d.record is not None:
            url = self.link(d.record)
        else:
            assert d.meeting is not None and d.item is not None
            url = self.link(d.meeting, "minutes") + f"#minute-{d.item.number}"
        return DecisionOut(
            id=d.id,
            title=d.title,
            date=d.date,
            classification=d.kind.value,
            key_decision=d.key,
            maker_id=d.maker_id or None,
            event_id=d.meeting.id if d.meeting else None,
            item=d.item.number if d.item else None,
            report_id=d.report.id if d.report else None,
            outcome=d.outcome.value if d.outcome else None,
            resolutions=[r.text for r in d.resolutions],
            vote_events=[vote_event(r.text, r.vote) for r in d.resolutions if r.vote],
            call_in=CallIn(
                status=d.dates.status, deadline=d.dates.deadline, effective=d.dates.effective
            ),
            url=url,
        )

    def everything(self) -> Export:
        return Export(
            council=self.papers.site.council,
            as_of=self.policy.as_of,
            organizations=[self.organization(b) for b in sorted(self.papers.bodies)],
            people=[self.person(p) for p in sorted(self.papers.people)],
            events=[self.event(m.id) for m in self.papers.meetings_in_date_order()],
            reports=[self.report(r) for r in self.reports()],
            decisions=[self.decision(d) for d in decisions.register_once(self.papers, self.policy)],
        )


def to_json(value: Any) -> bytes:
    """Stable, readable JSON: keys in model order, UTF-8, a final newline.

    orjson's two-space indent is the layout of `json.dumps(value, indent=2,
    ensure_ascii=False)` (`_run_text` nests files in that layout), written in C: the
    standard library indents in pure Python, 3.0 s against 0.24 s for the 53,000 files of
    ten years, with the same bytes for every one of them. Floats in exponent form are
    written shorter (1e16, not 1e+16), still JSON. A value orjson refuses (an integer
    beyond 64 bits) is written by the standard library."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:
        return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def schema(name: str, papers: Papers) -> dict[str, Any]:
    """The JSON Schema of one kind of file, with its published address as `$id`."""
    generated = SCHEMAS[name].model_json_schema(mode="serialization")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": absolute(papers, schema_path(name)),
        **generated,
    }


def schema_path(name: str) -> str:
    return f"api/schema/{name}.json"


def files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    """Each object's file, then `all.json` made of the same texts, then the schemas.

    Each object's file is made through outputs.unit, so a re-build makes again only those
    whose papers changed (the rest come from the page cache). `all.json` is the texts
    indented into one document, byte for byte what dumping the whole `Export` gives: no
    object is dumped twice, and each text goes into a temporary file as soon as it is
    made, so at ten years of papers (260 MB of JSON) neither the export nor its text is
    ever held whole; the site's copy is linked (or copied) from that file."""
    exporter = Exporter(papers, policy)
    shell = Export(
        council=papers.site.council,
        as_of=policy.as_of,
        organizations=[],
        people=[],
        events=[],
        reports=[],
        decisions=[],
    )
    made = _item_files(papers, exporter)
    between, end = _shell_pieces(shell.model_dump(mode="json"), [name for name, _ in made])
    with tempfile.TemporaryDirectory(prefix="committee-papers-api-") as folder:
        bulk = Path(folder) / "all.json"
        segments = _Segments()
        with bulk.open("wb") as out:
            for before, (_, items) in zip(between, made, strict=True):
                segments.add(out.write(before))
                run: list[OutputFile] = []
                count = 0
                for path, make, handed in items:
                    item = unit(path, _dumped(make), handed)
                    yield item
                    run.append(item)
                    if _ends_run(item, len(run)):
                        segments.add(*_write_run(out, run, count))
                        count, run = count + len(run), []
                segments.add(*_write_run(out, run, count))
                segments.add(out.write(b"\n  ]" if count + len(run) else b"[]"))
            segments.add(out.write(end))
        compose(api_url("all"), segments.done)
        # The temporary folder goes when the next file is asked for: written by then.
        yield OutputFile(api_url("all"), b"", bulk, transient=True)
    for name in SCHEMAS:
        yield OutputFile(schema_path(name), to_json(schema(name, papers)))


#: A run of items of `all.json` ends after an item whose stored name (a hash) starts
#: with a byte below this (one in 64), so inserting an item changes one run, not the runs
#: after it; and after RUN_MAX items at most.
_RUN_CUT = 4
RUN_MAX = 512


def _ends_run(item: OutputFile, length: int) -> bool:
    if length >= RUN_MAX:
        return True
    return item.source is not None and int(os.path.basename(item.source)[:2], 16) < _RUN_CUT


def _write_run(out: BinaryIO, run: list[OutputFile], count: int) -> Segment:
    """Items of a list of `all.json`, the `count`-th first, as json.dumps nests them. With
    the page cache every item is a stored file: the run's text is kept under their names
    (outputs.piece), so a re-build copies ten years of runs and makes only the new ones,
    instead of reading 53,000 files and indenting 265 MB. The bytes written, and the name
    of the kept part they are a copy of (None when there is none)."""
    if not run:
        return 0, None
    names = [os.path.basename(item.source) for item in run if item.source is not None]
    kept = None
    if len(names) == len(run):
        key = hashlib.blake2b(f"{count > 0} {' '.join(names)}".encode(), digest_size=20)
        name = key.hexdigest()
        text = piece(name, lambda: _run_text(run, count))
        kept = piece_name(name)
    else:
        text = _run_text(run, count)
    if isinstance(text, Path):
        start = out.tell()
        with text.open("rb") as source:
            shutil.copyfileobj(source, out, 1 << 20)
        length = out.tell() - start
    else:
        length = out.write(text)
    if kept is None:
        return length, None
    # The guard proves the part from these items' own files (leakparts.made_of).
    return length, kept, (count == 0, tuple(names))


class _Segments:
    """The segments of a file as written (outputs.compose): each one's length, and the kept
    part it is a copy of, or None; text between parts is one segment."""

    def __init__(self) -> None:
        self.done: list[Segment] = []

    def add(self, length: int, kept: str | None = None, run: Run | None = None) -> None:
        if not length:
            return
        if kept is None and self.done and self.done[-1][1] is None:
            self.done[-1] = (self.done[-1][0] + length, None)
        elif kept is not None and run is not None:
            self.done.append((length, kept, run))
        else:
            self.done.append((length, kept))


def _run_text(run: list[OutputFile], count: int) -> bytes:
    # As json.dumps nests a top-level text: indented, no final newline.
    return run_text(count == 0, [item.content() for item in run])


def _dumped(make: Any) -> Any:
    return lambda: to_json(make().model_dump(mode="json"))


def _item_files(papers: Papers, exporter: Exporter) -> list[tuple[str, list[tuple[str, Any, Any]]]]:
    """The lists of `all.json`, in the order of `Export`: each item's file, the function
    that makes its export, and what that function is handed beyond the papers it looks up
    (a decision of the register is not one of the model's papers: it is part of the key)."""
    return [
        (
            "organizations",
            [
                (api_url(papers.bodies[b]), lambda b=b: exporter.organization(b), None)
                for b in sorted(papers.bodies)
            ],
        ),
        (
            "people",
            [
                (api_url(papers.people[p]), lambda p=p: exporter.person(p), None)
                for p in sorted(papers.people)
            ],
        ),
        (
            "events",
            [
                (api_url(m), lambda i=m.id: exporter.event(i), None)
                for m in papers.meetings_in_date_order()
            ],
        ),
        ("reports", [(api_url(r), lambda r=r: exporter.report(r), r) for r in exporter.reports()]),
        (
            "decisions",
            [
                (f"api/decisions/{d.id}.json", lambda d=d: exporter.decision(d), d)
                for d in decisions.register_once(papers, exporter.policy)
            ],
        ),
    ]


def _shell_pieces(shell: dict[str, Any], names: list[str]) -> tuple[list[bytes], bytes]:
    """`to_json(shell)` cut where each of the lists `names` (empty in `shell`, in its
    order) goes: the text before each list, and the text after the last."""
    marks = {name: f"\x00{name}" for name in names}
    rest = to_json({**shell, **marks})
    between: list[bytes] = []
    for name in names:
        before, mark, rest = rest.partition(json.dumps(marks[name]).encode("utf-8"))
        if not mark or mark in rest:  # a value of the shell cannot hold a NUL, but make sure
            raise ValueError(f"all.json: the place of {name} is not unique")
        between.append(before)
    return between, rest


GENERATORS.append(files)
