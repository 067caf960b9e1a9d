"""Meetings, their agendas and their minutes."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

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
    exempt: ExemptField = None
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
    outcome: Outcome = Outcome.agreed
    vote: Vote | None = None

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
    exempt: ExemptField = None
    corrections: list[str] = Field(
        default_factory=list, description="corrections made when approving earlier minutes"
    )
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
    webcast: SafeUrl | None = None
    agenda: list[AgendaItem] = Field(default_factory=list)
    minutes: Minutes | None = Field(default=None, exclude=True)
    source: str = Field(default="", exclude=True)
    #: Who signs this agenda, when not the chief executive of site.yml (e.g. a deputy).
    signatory: Signatory | None = None

    def exclusion_paragraphs(self) -> list[str]:
        """The paragraphs the motion to exclude the public cites: those of the Part 2 items."""
        found = {n for item in self.agenda if item.is_exempt for n in (item.exempt or [])}
        return sorted(found, key=lambda n: (len(n), n))

    def item(self, number: str) -> AgendaItem | None:
        return next((i for i in self.agenda if i.number == number), None)

    @property
    def part1(self) -> list[AgendaItem]:
        return [i for i in self.agenda if not i.is_exempt]

    @property
    def part2(self) -> list[AgendaItem]:
        return [i for i in self.agenda if i.is_exempt]

    @property
    def year(self) -> int:
        return self.date.year
