"""Meetings, their agendas and their minutes."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from ..schemes import SafeUrl
from .base import AppendixLabel, ExemptField, Exemption, ItemNumber, Publication, Slug, Strict
from .decisions import Outcome, Vote
from .reports import Purpose
from .site import Signatory


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


class EarlierMinutes(Strict):
    """The minutes of a meeting that is not in the data (held before the site began)."""

    title: str | None = None
    date: dt.date
    url: SafeUrl | None = None
    file: str | None = None


class AgendaItem(Strict):
    number: ItemNumber | None = None
    kind: ItemKind = ItemKind.other
    title: str | None = None
    part: int = Field(default=1, ge=1, le=2)
    purpose: Purpose | None = None
    report: Slug | None = None
    report_of: str | None = None
    minutes_of: Slug | None = None
    description: str | None = None
    notes: str | None = None
    exempt: ExemptField = None
    late: bool = False
    late_reason: str | None = None
    supplementary: list[AppendixLabel] = Field(
        default_factory=list,
        description="labels of the report's appendices published late, in a supplementary pack",
    )
    heading: str | None = Field(default=None, description="a heading printed above this item")
    wards: list[str] = Field(default_factory=list)
    reports: list[Slug] = Field(default_factory=list, description="further reports of the item")
    to_follow: bool = Field(default=False, description="the report is expected, not yet out")
    earlier_minutes: EarlierMinutes | None = None
    pages: str | None = Field(
        default=None, pattern=r"^\d+\s*(-\s*\d+)?$", description="printed pack pages, 7-22"
    )

    @model_validator(mode="after")
    def _consistent(self) -> AgendaItem:
        if (self.report or self.reports) and self.kind is ItemKind.other:
            self.kind = ItemKind.report
        if self.kind is ItemKind.report and not (self.report_ids or self.to_follow):
            raise ValueError(
                "an item of kind 'report' names the report it presents (report:),"
                " or says the report is to follow (to_follow: true)"
            )
        if self.kind is ItemKind.minutes and not (self.minutes_of or self.earlier_minutes):
            raise ValueError(
                "an item of kind 'minutes' names the meeting (minutes_of:), or the earlier"
                " meeting not in the data (earlier_minutes:)"
            )
        if self.kind is ItemKind.exclusion and self.exempt is not None:
            raise ValueError(
                "the motion to exclude the public is itself public: remove exempt: (the "
                "paragraphs it cites are taken from the Part 2 items that follow)"
            )
        if self.part == 2 and self.exempt is None:
            # Part 2 is itself the statement that the item is exempt; paragraphs are detail.
            self.exempt = Exemption()
        if self.late and not self.late_reason:
            raise ValueError("a late item records the reason for urgency (late_reason:)")
        if self.supplementary and not self.report:
            raise ValueError("supplementary appendices belong to the item's report (report:)")
        return self

    @property
    def is_exempt(self) -> bool:
        """Part 2, or marked exempt in any spelling: fails closed."""
        return self.part == 2 or self.exempt is not None

    @property
    def sort_key(self) -> tuple[int, str]:
        digits = re.match(r"\d+", self.number or "")
        return (int(digits.group()) if digits else 0, self.number or "")

    @property
    def report_ids(self) -> list[str]:
        """Every report presented under this item: `report:` first, then `reports:`."""
        return ([self.report] if self.report else []) + [
            r for r in self.reports if r != self.report
        ]

    @property
    def ref(self) -> str:
        """How minutes and anchors name the item: its number, or for an unnumbered item
        (often "Apologies for absence") its kind, or failing that a slug of its title."""
        if self.number:
            return self.number
        if self.kind is not ItemKind.other:
            return self.kind.value
        return re.sub(r"[^a-z0-9]+", "-", (self.title or "item").lower()).strip("-") or "item"


class AgendaTemplateItem(Strict):
    """One standing item of a body's agenda, for `papers new meeting` (see Body.agenda_template).

    Written as a kind alone (`- apologies`) or a mapping. Reports are not standing items:
    `papers new report` adds each one to its meeting.
    """

    kind: ItemKind
    title: str | None = None
    description: str | None = None
    part: int = Field(default=1, ge=1, le=2)
    exempt: ExemptField = None

    @model_validator(mode="before")
    @classmethod
    def _from_kind(cls, value: Any) -> Any:
        return {"kind": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> AgendaTemplateItem:
        if self.kind is ItemKind.report:
            raise ValueError("reports are not standing items: add them with `papers new report`")
        if self.kind is ItemKind.other and not self.title:
            raise ValueError("a standing item of kind 'other' needs a title")
        if self.kind is ItemKind.exclusion and self.exempt is not None:
            raise ValueError(
                "the motion to exclude the public is itself public: remove exempt: (the "
                "paragraphs it cites are taken from the Part 2 items that follow)"
            )
        return self


# --- minutes -------------------------------------------------------------------------------


class Attendee(Strict):
    person: Slug
    role: str | None = None
    arrived_during: str | None = Field(default=None, description="minute they arrived during")
    left_after: str | None = Field(default=None, description="minute after which they left")

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        return {"person": value} if isinstance(value, str) else value


class Substitution(Strict):
    person: Slug
    for_: Slug = Field(alias="for")


ItemRef = Annotated[str, Field(pattern=r"^([0-9]+[a-z]?|[a-z][a-z0-9-]*)$")]


class Declaration(Strict):
    person: Slug
    item: ItemRef
    interest: str


class Question(Strict):
    question: str
    answer: str
    asked_by: Slug | None = None
    answered_by: Slug | None = None


class Resolution(Strict):
    """A formal decision. Kept as data (not only prose) so registers and votes can follow."""

    text: str
    outcome: Outcome = Outcome.agreed
    vote: Vote | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class MinuteBlock(Strict):
    """One block of a minute, in the order written: prose, a question and answer, a resolution."""

    text: str | None = None
    question: str | None = None
    answer: str | None = None
    asked_by: Slug | None = None
    answered_by: Slug | None = None
    resolved: list[str] | None = None

    @field_validator("resolved", mode="before")
    @classmethod
    def _one_resolution(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_kind(self) -> MinuteBlock:
        kinds = [k for k in ("text", "question", "resolved") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a block of a minute is one of: text, question (with answer), resolved"
            )
        if self.question is not None and self.answer is None:
            raise ValueError("a question in the minutes is followed by its answer (answer:)")
        return self

    @property
    def kind(self) -> str:
        return "text" if self.text is not None else "question" if self.question else "resolved"


class OnwardRecommendation(Strict):
    """Recommendations the meeting sends to another body (e.g. to Full Council)."""

    to: str = Field(description="a body id, or the name of a body not in the data")
    text: list[str]

    @field_validator("text", mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class MinuteItem(Strict):
    item: ItemRef
    title: str | None = None
    text: str | None = None
    questions: list[Question] = Field(default_factory=list)
    resolutions: list[Resolution] = Field(default_factory=list)
    exempt: ExemptField = None
    corrections: list[str] = Field(
        default_factory=list, description="corrections made when approving earlier minutes"
    )
    number: str | None = Field(default=None, description="the minute's own number, e.g. 57")
    content: list[MinuteBlock] = Field(default_factory=list)
    moved_to_part_2: bool = False
    public_summary: str | None = None
    recommendations_to: OnwardRecommendation | None = None
    outcome: Outcome | None = Field(
        default=None, description="what the body did with the item; unset: its resolutions'"
    )

    @property
    def item_outcome(self) -> Outcome | None:
        """The outcome written, else the first resolution's (agreed unless it says otherwise)."""
        if self.outcome is not None:
            return self.outcome
        return self.resolutions[0].outcome if self.resolutions else None


class Minutes(Publication):
    chair: Slug | None = None
    present: list[Attendee] | None = Field(default=None, description="unset: not recorded")
    in_attendance: list[Attendee] = Field(default_factory=list)
    apologies: list[Slug] = Field(default_factory=list)
    substitutes: list[Substitution] = Field(default_factory=list)
    declarations: list[Declaration] = Field(default_factory=list)
    items: list[MinuteItem]
    started: dt.time | None = None
    ended: dt.time | None = None
    source: str = Field(default="", exclude=True)

    def for_item(self, number: str) -> MinuteItem | None:
        return next((m for m in self.items if m.item == number), None)


class Meeting(Strict):
    id: Slug
    body: Slug
    date: dt.date
    start: dt.time | None = None
    venue: str | None = None
    status: MeetingStatus = MeetingStatus.scheduled
    status_note: str | None = None
    moved_to: Slug | None = None
    clerk: Slug | None = None
    published: dt.date | None = Field(
        default=None, description="date the agenda is (or was) published; unset: not yet"
    )
    notes: list[str] = Field(default_factory=list)
    webcast: SafeUrl | None = None
    agenda: list[AgendaItem] = Field(default_factory=list)
    minutes: Minutes | None = Field(default=None, exclude=True)
    source: str = Field(default="", exclude=True)
    #: Who signs this agenda, when not the chief executive of site.yml (e.g. a deputy).
    signatory: Signatory | None = None
    archive: bool = Field(
        default=False, description="papers published before this site; publication date unknown"
    )

    def exclusion_paragraphs(self) -> list[str]:
        """The paragraphs the motion to exclude the public cites: those of the Part 2 items."""
        found = {n for item in self.agenda if item.is_exempt for n in (item.exempt or [])}
        return sorted(found, key=lambda n: (len(n), n))

    def item(self, number: str) -> AgendaItem | None:
        """The item minutes and anchors name `number` (its `ref`), if any."""
        for item in self.agenda:
            # `ref` is the number when there is one: compared without the property's call
            # (the register and the policy ask some 60,000 times at ten years of papers).
            own = item.number
            if own:
                if own == number:
                    return item
            elif item.ref == number:
                return item
        return None

    @property
    def part1(self) -> list[AgendaItem]:
        return [i for i in self.agenda if not i.is_exempt]

    @property
    def part2(self) -> list[AgendaItem]:
        return [i for i in self.agenda if i.is_exempt]

    @property
    def year(self) -> int:
        return self.date.year
