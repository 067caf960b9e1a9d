"""People, bodies and dated memberships."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from .base import Slug, Strict
from .meetings import AgendaTemplateItem
from .site import Contact


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
    partnership = "partnership"
    joint_committee = "joint-committee"
    other = "other"


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
    start: dt.date | None = Field(default=None, description="unset: not known")
    end: dt.date | None = None
    title: str | None = Field(default=None, description="the role as the council words it")

    def current_on(self, day: dt.date) -> bool:
        started = self.start is None or self.start <= day
        return started and (self.end is None or day <= self.end)

    @model_validator(mode="after")
    def _end_after_start(self) -> Membership:
        if self.end is not None and self.start is not None and self.end < self.start:
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
    default_time: dt.time | None = Field(default=None, description="usual start of its meetings")
    agenda_template: list[AgendaTemplateItem] = Field(
        default_factory=list, description="standing items for `papers new meeting`, in order"
    )

    def members_on(self, day: dt.date) -> list[Membership]:
        """Memberships current on `day`, chair first, then by role."""
        current = [m for m in self.memberships if m.current_on(day)]
        return sorted(current, key=lambda m: ROLE_ORDER[m.role])
