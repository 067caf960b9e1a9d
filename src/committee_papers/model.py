"""The validated model of a council's papers.

These classes are the single description of what a clerk may write in `data/`: every field,
its type and its default. They know nothing of HTML or MkDocs; `load.py` fills them from
files and `links.py` checks the references between them.

Identifiers are stable and readable because they become URLs and, later, open-data ids:
people and bodies by their key, meetings by their folder name, reports by their file name,
appendices by report id plus label.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=SLUG)]
ItemNumber = Annotated[str, Field(pattern=r"^[0-9]+[a-z]?$")]
AppendixLabel = Annotated[str, Field(pattern=r"^([0-9]+|[A-Z])$")]


class Strict(BaseModel):
    """Base for every data class: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


# --- site settings -------------------------------------------------------------------------


class Contact(Strict):
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    web: str | None = None


class Jurisdiction(Strict):
    """Publication rules of one nation or tier, kept as data (see jurisdictions.yml)."""

    name: str
    clear_days: int = Field(ge=0)
    exempt_paragraphs: dict[str, str]
    exempt_schedule: str
    exclusion_statute: str


class Signatory(Strict):
    name: str
    title: str


class Accessibility(Strict):
    """Facts for the accessibility statement that public bodies must publish."""

    statement_prepared: dt.date
    last_reviewed: dt.date | None = None
    contact_for_alternative_formats: str | None = None
    contact_for_problems: str | None = None
    response_days: int | None = Field(default=None, ge=1)


class Site(Strict):
    council: str
    short_name: str | None = None
    language: str = "en-GB"
    jurisdiction: Jurisdiction
    contact: Contact = Contact()
    logo: str | None = None
    chief_executive: Signatory | None = None
    role_labels: dict[str, str] = Field(default_factory=dict)
    accessibility: Accessibility | None = None

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.council


# --- people and bodies ---------------------------------------------------------------------


class PersonKind(StrEnum):
    member = "member"
    co_opted = "co-opted"
    officer = "officer"
    other = "other"


class Person(Strict):
    id: Slug
    name: str
    honorific: str | None = None
    kind: PersonKind
    title: str | None = None
    department: str | None = None
    party: str | None = None
    ward: str | None = None
    contact: Contact = Contact()

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.name.split()[-1].lower(), self.name.lower())


class BodyKind(StrEnum):
    council = "council"
    cabinet = "cabinet"
    committee = "committee"
    sub_committee = "sub-committee"
    board = "board"
    panel = "panel"


class Role(StrEnum):
    chair = "chair"
    vice_chair = "vice-chair"
    member = "member"
    co_opted = "co-opted"
    substitute = "substitute"


ROLE_ORDER = {role: i for i, role in enumerate(Role)}


class Membership(Strict):
    person: Slug
    role: Role = Role.member
    start: dt.date
    end: dt.date | None = None

    def current_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @model_validator(mode="after")
    def _end_after_start(self) -> Membership:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Body(Strict):
    id: Slug
    name: str
    kind: BodyKind
    parent: Slug | None = None
    purpose: str | None = None
    terms_of_reference: str | None = None
    clerk: Slug | None = None
    default_venue: str | None = None
    memberships: list[Membership] = Field(default_factory=list)
    source: str = Field(default="", exclude=True)

    def members_on(self, day: dt.date) -> list[Membership]:
        """Memberships current on `day`, chair first, then by role."""
        current = [m for m in self.memberships if m.current_on(day)]
        return sorted(current, key=lambda m: ROLE_ORDER[m.role])


# --- reports and appendices ----------------------------------------------------------------


class Purpose(StrEnum):
    decision = "decision"
    information = "information"
    discussion = "discussion"


class Publication(Strict):
    """When a paper may be seen by the public: drafts and embargoed papers are not public."""

    draft: bool = False
    publish_on: dt.date | None = None


class Rag(StrEnum):
    red = "Red"
    amber = "Amber"
    green = "Green"
    blue = "Blue"

    @classmethod
    def parse(cls, value: str) -> Rag:
        aliases = {"r": "Red", "a": "Amber", "g": "Green", "b": "Blue", "complete": "Blue"}
        text = value.strip()
        text = aliases.get(text.lower(), text).capitalize()
        return cls(text)


class ColumnKind(StrEnum):
    text = "text"
    number = "number"
    rag = "rag"
    date = "date"


class Column(Strict):
    key: str
    label: str | None = None
    kind: ColumnKind = ColumnKind.text

    @property
    def heading(self) -> str:
        return self.label or self.key


class Table(Strict):
    """A table from YAML rows or a CSV file beside the report; `kind: rag` columns are RAG."""

    caption: str | None = None
    file: str | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[dict[str, str | None]] = Field(default_factory=list)

    @field_validator("columns", mode="before")
    @classmethod
    def _columns_as_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"key": c} if isinstance(c, str) else c for c in value]
        return value

    @model_validator(mode="after")
    def _columns_from_rows(self) -> Table:
        """Rows without declared columns show every key, in the order first met."""
        if not self.columns and self.rows:
            keys = dict.fromkeys(key for row in self.rows for key in row)
            self.columns = [Column(key=key) for key in keys]
        return self


class ChartKind(StrEnum):
    bar = "bar"
    horizontal_bar = "horizontal-bar"
    line = "line"


class Series(Strict):
    name: str
    values: list[float]


class Chart(Strict):
    kind: ChartKind = ChartKind.bar
    title: str
    description: str = Field(description="text alternative: what the chart shows")
    x_label: str | None = None
    y_label: str | None = None
    categories: list[str]
    series: list[Series]

    @model_validator(mode="after")
    def _lengths_match(self) -> Chart:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series {s.name!r} has {len(s.values)} values for "
                    f"{len(self.categories)} categories"
                )
        return self


class Link(Strict):
    url: str
    format: str | None = None
    size: str | None = None
    description: str | None = None


class Appendix(Publication):
    label: AppendixLabel
    title: str
    exempt: list[str] = Field(default_factory=list, description="Schedule 12A paragraphs")
    text: str | None = None
    file: str | None = None
    table: Table | None = None
    chart: Chart | None = None
    link: Link | None = None
    link_only: bool = False
    note: str | None = None
    # Filled by the loader from `file`: the Markdown text read from disk.
    body: str | None = Field(default=None, exclude=True)
    report_id: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _has_content(self) -> Appendix:
        if not any((self.text, self.file, self.table, self.chart, self.link)):
            raise ValueError("an appendix needs one of: text, file, table, chart, link")
        if self.text and self.file:
            raise ValueError("give the appendix text inline (text) or in a file (file), not both")
        return self

    @property
    def id(self) -> str:
        return f"{self.report_id}/appendix-{self.label.lower()}"

    @property
    def slug(self) -> str:
        return f"appendix-{self.label.lower()}"

    @property
    def markdown(self) -> str | None:
        return self.text or self.body


class BackgroundPaper(Strict):
    title: str
    url: str | None = None


class Report(Publication):
    id: Slug
    title: str
    report_of: str
    author: Slug | None = None
    contact: Slug | None = None
    purpose: Purpose = Purpose.information
    exempt: list[str] = Field(default_factory=list, description="Schedule 12A paragraphs")
    key_decision: bool = False
    wards: list[str] = Field(default_factory=list)
    forward_plan: str | None = None
    summary: str
    recommendations: list[str] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list)
    background_papers: list[BackgroundPaper] = Field(default_factory=list)
    # Filled by the loader: the Markdown after the front matter, and where it came from.
    body: str = Field(default="", exclude=True)
    body_line: int = Field(default=1, exclude=True)
    source: str = Field(default="", exclude=True)
    meeting_folder: str = Field(default="", exclude=True)

    @property
    def contact_person(self) -> str | None:
        return self.contact or self.author

    def appendix(self, label: str) -> Appendix | None:
        return next((a for a in self.appendices if a.label == label), None)


# --- meetings and agendas ------------------------------------------------------------------


class MeetingStatus(StrEnum):
    scheduled = "scheduled"
    held = "held"
    cancelled = "cancelled"
    postponed = "postponed"
    moved = "moved"


class ItemKind(StrEnum):
    apologies = "apologies"
    substitutes = "substitutes"
    declarations = "declarations"
    minutes = "minutes"
    matters_arising = "matters-arising"
    petitions = "petitions"
    questions = "questions"
    report = "report"
    motion = "motion"
    urgent_business = "urgent-business"
    exclusion = "exclusion"
    other = "other"


DEFAULT_TITLES = {
    ItemKind.apologies: "Apologies for absence",
    ItemKind.substitutes: "Appointment of substitutes",
    ItemKind.declarations: "Declarations of interest",
    ItemKind.minutes: "Minutes of the previous meeting",
    ItemKind.matters_arising: "Matters arising and outstanding actions",
    ItemKind.petitions: "Petitions, deputations and public questions",
    ItemKind.questions: "Questions on matters relating to the work of the committee",
    ItemKind.urgent_business: "Any other business that the Chair considers urgent",
    ItemKind.exclusion: "Exclusion of the public",
}


class AgendaItem(Strict):
    number: ItemNumber
    kind: ItemKind = ItemKind.other
    title: str | None = None
    part: int = Field(default=1, ge=1, le=2)
    purpose: Purpose | None = None
    report: Slug | None = None
    report_of: str | None = None
    minutes_of: Slug | None = None
    description: str | None = None
    notes: str | None = None
    exempt: list[str] = Field(default_factory=list, description="Schedule 12A paragraphs")
    late: bool = False
    late_reason: str | None = None
    supplementary: list[AppendixLabel] = Field(
        default_factory=list,
        description="labels of the report's appendices published late, in a supplementary pack",
    )

    @model_validator(mode="after")
    def _consistent(self) -> AgendaItem:
        if self.report and self.kind is ItemKind.other:
            self.kind = ItemKind.report
        if self.kind is ItemKind.report and not self.report:
            raise ValueError("an item of kind 'report' names the report it presents (report:)")
        if self.kind is ItemKind.minutes and not self.minutes_of:
            raise ValueError("an item of kind 'minutes' names the meeting (minutes_of:)")
        if self.part == 2 and not self.exempt:
            raise ValueError("a Part 2 item gives the Schedule 12A paragraphs it is exempt under")
        if self.late and not self.late_reason:
            raise ValueError("a late item records the reason for urgency (late_reason:)")
        if self.supplementary and not self.report:
            raise ValueError("supplementary appendices belong to the item's report (report:)")
        return self

    @property
    def is_exempt(self) -> bool:
        return self.part == 2

    @property
    def sort_key(self) -> tuple[int, str]:
        digits = re.match(r"\d+", self.number)
        return (int(digits.group()) if digits else 0, self.number)


# --- minutes -------------------------------------------------------------------------------


class Attendee(Strict):
    person: Slug
    role: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        return {"person": value} if isinstance(value, str) else value


class Substitution(Strict):
    person: Slug
    for_: Slug = Field(alias="for")


class Declaration(Strict):
    person: Slug
    item: ItemNumber
    interest: str


class Question(Strict):
    question: str
    answer: str
    asked_by: Slug | None = None
    answered_by: Slug | None = None


class Resolution(Strict):
    """A formal decision. Kept as data (not only prose) so registers and votes can follow."""

    text: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class MinuteItem(Strict):
    item: ItemNumber
    title: str | None = None
    text: str | None = None
    questions: list[Question] = Field(default_factory=list)
    resolutions: list[Resolution] = Field(default_factory=list)
    exempt: list[str] = Field(default_factory=list, description="Schedule 12A paragraphs")
    corrections: list[str] = Field(
        default_factory=list, description="corrections made when approving earlier minutes"
    )


class Minutes(Publication):
    chair: Slug
    present: list[Attendee]
    in_attendance: list[Attendee] = Field(default_factory=list)
    apologies: list[Slug] = Field(default_factory=list)
    substitutes: list[Substitution] = Field(default_factory=list)
    declarations: list[Declaration] = Field(default_factory=list)
    items: list[MinuteItem]
    started: dt.time | None = None
    ended: dt.time
    source: str = Field(default="", exclude=True)

    def for_item(self, number: str) -> MinuteItem | None:
        return next((m for m in self.items if m.item == number), None)


class Meeting(Strict):
    id: Slug
    body: Slug
    date: dt.date
    start: dt.time
    venue: str | None = None
    status: MeetingStatus = MeetingStatus.scheduled
    status_note: str | None = None
    moved_to: Slug | None = None
    clerk: Slug | None = None
    published: dt.date | None = Field(
        default=None, description="date the agenda is (or was) published; unset: not yet"
    )
    notes: list[str] = Field(default_factory=list)
    webcast: str | None = None
    agenda: list[AgendaItem] = Field(default_factory=list)
    minutes: Minutes | None = Field(default=None, exclude=True)
    source: str = Field(default="", exclude=True)

    def item(self, number: str) -> AgendaItem | None:
        return next((i for i in self.agenda if i.number == number), None)

    @property
    def part1(self) -> list[AgendaItem]:
        return [i for i in self.agenda if i.part == 1]

    @property
    def part2(self) -> list[AgendaItem]:
        return [i for i in self.agenda if i.part == 2]

    @property
    def year(self) -> int:
        return self.date.year


# --- the whole council ---------------------------------------------------------------------


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
