"""Decisions: outcomes, recorded votes, executive and officer decision records, the forward
plan of key decisions, and the notices the 2012 executive-arrangements regulations require.

Everything here adds to what the minutes already say and never restates it: a decision taken
at a meeting is its minute's resolutions (the record adds reasons, alternatives and call-in);
an issue's history is a report's route across meetings; a private-meeting notice is drawn
from the meeting's own Part 2 items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pydantic import Field, model_validator

from .base import ExemptField, ItemNumber, Slug, Strict


class Outcome(StrEnum):
    """What a body did with an item, in the words minutes use."""

    agreed = "agreed"
    agreed_as_amended = "agreed-as-amended"
    noted = "noted"
    deferred = "deferred"
    refused = "refused"
    withdrawn = "withdrawn"
    referred_on = "referred-on"


class VoteResult(StrEnum):
    carried = "carried"
    lost = "lost"


class Vote(Strict):
    """A recorded vote: who voted for, against, abstained, or was absent, by person id."""

    for_: list[Slug] = Field(default_factory=list, alias="for")
    against: list[Slug] = Field(default_factory=list)
    abstain: list[Slug] = Field(default_factory=list)
    absent: list[Slug] = Field(default_factory=list)
    result: VoteResult | None = Field(
        default=None, description="carried or lost; unset: worked out from the counts"
    )
    casting_vote: Slug | None = Field(
        default=None, description="the chair who gave a casting vote on equal votes"
    )

    @property
    def outcome(self) -> VoteResult:
        if self.result is not None:
            return self.result
        return VoteResult.carried if len(self.for_) > len(self.against) else VoteResult.lost

    def choices(self) -> list[tuple[str, str]]:
        """(person id, how they voted) for every member named, in the order written."""
        return [
            (person, choice)
            for choice, people in (
                ("for", self.for_),
                ("against", self.against),
                ("abstain", self.abstain),
                ("absent", self.absent),
            )
            for person in people
        ]


class DecisionMakerKind(StrEnum):
    executive = "executive"
    committee = "committee"
    officer = "officer"


class Conflict(Strict):
    """An interest declared by someone consulted on or taking the decision."""

    person: Slug
    interest: str
    dispensation: str | None = Field(
        default=None, description="the dispensation granted, by whom and when"
    )


class CallInOutcome(StrEnum):
    no_further_action = "no-further-action"
    referred_back = "referred-back"
    referred_to_council = "referred-to-council"
    withdrawn = "withdrawn"


class CallIn(Strict):
    """A call-in of an executive decision by scrutiny, and what came of it."""

    requested: dt.date
    by: list[Slug] = Field(min_length=1)
    reason: str
    meeting: Slug | None = Field(default=None, description="the scrutiny meeting that heard it")
    outcome: CallInOutcome | None = None
    decided: dt.date | None = Field(default=None, description="date of the call-in's outcome")
    note: str | None = None

    @model_validator(mode="after")
    def _outcome_has_a_date(self) -> CallIn:
        if self.outcome is not None and self.decided is None:
            raise ValueError("a call-in with an outcome gives the date it was decided (decided:)")
        return self


class DecisionRecord(Strict):
    """The record of an executive or officer decision (`data/decisions/<id>.yml`).

    Taken at a meeting (`meeting` and `item`), the decision is that minute's resolutions;
    taken by one member or an officer, the record gives the decision itself.
    """

    id: Slug
    title: str
    maker_kind: DecisionMakerKind = DecisionMakerKind.executive
    maker: Slug = Field(description="the body or person who took the decision")
    date: dt.date
    published: dt.date | None = Field(
        default=None, description="date the record was published: the call-in period starts"
    )
    meeting: Slug | None = None
    item: ItemNumber | None = None
    decision: str | None = None
    reasons: str | None = None
    alternatives: str | None = None
    conflicts: list[Conflict] = Field(default_factory=list)
    key: bool = False
    wards: list[str] = Field(default_factory=list)
    forward_plan: str | None = None
    report: Slug | None = None
    #: Exempt in any spelling: reasons and alternatives are withheld (see Exemption).
    exempt: ExemptField = None
    call_in_exempt: str | None = Field(
        default=None, description="why the decision is not subject to call-in (urgency)"
    )
    call_in: CallIn | None = None
    source: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _has_decision(self) -> DecisionRecord:
        if bool(self.meeting) != bool(self.item):
            raise ValueError("a decision taken at a meeting names both meeting: and item:")
        if not self.meeting and not self.decision:
            raise ValueError("a decision taken outside a meeting states it (decision:)")
        if self.call_in and self.call_in_exempt:
            raise ValueError("a decision exempt from call-in cannot be called in")
        return self


class ForwardPlanEntry(Strict):
    """A key decision as the forward plan announces it (`data/forward-plan.yml`)."""

    ref: str
    matter: str
    decision_maker: Slug = Field(description="the body or person who will decide")
    expected: dt.date
    first_published: dt.date
    wards: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    #: The decision may be taken in private; the entry itself is public.
    exempt: ExemptField = None
    report: Slug | None = None
    contact: Slug | None = None
    source: str = Field(default="", exclude=True)

    @property
    def anchor(self) -> str:
        return _slug(self.ref)

    @property
    def month(self) -> PlanMonth:
        return PlanMonth(self.expected.year, self.expected.month)


class NoticeKind(StrEnum):
    private_meeting = "private-meeting"
    private_meeting_final = "private-meeting-final"
    general_exception = "general-exception"
    special_urgency = "special-urgency"


class Notice(Strict):
    """A notice under the 2012 regulations (`data/notices.yml`).

    Private-meeting notices name the meeting (its Part 2 items make the text); urgency
    notices name the forward-plan entry or decision record they excuse.
    """

    kind: NoticeKind
    published: dt.date
    meeting: Slug | None = None
    forward_plan: str | None = None
    decision: Slug | None = None
    reason: str | None = None
    chair: Slug | None = Field(default=None, description="the scrutiny chair who agreed")
    chair_agreed: dt.date | None = None
    source: str = Field(default="", exclude=True)
    position: int = Field(default=0, exclude=True)

    @model_validator(mode="after")
    def _names_its_subject(self) -> Notice:
        private = self.kind in (NoticeKind.private_meeting, NoticeKind.private_meeting_final)
        if private and not self.meeting:
            raise ValueError("a private-meeting notice names the meeting (meeting:)")
        if not private and not (self.forward_plan or self.decision):
            raise ValueError(
                "an urgency notice names the forward-plan entry (forward_plan:) or the "
                "decision record (decision:) it is for"
            )
        if not private and not self.reason:
            raise ValueError("an urgency notice gives the reason (reason:)")
        if bool(self.chair) != bool(self.chair_agreed):
            raise ValueError("the chair's agreement gives both chair: and chair_agreed:")
        if self.kind is NoticeKind.special_urgency and not self.chair:
            raise ValueError(
                "a special-urgency notice records the chair's agreement (chair: and chair_agreed:)"
            )
        return self

    @property
    def anchor(self) -> str:
        subject = self.meeting or self.decision or _slug(self.forward_plan or "")
        return f"{self.kind.value}-{subject}"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


# --- objects with a page, not written by a clerk -----------------------------------------


@dataclass(frozen=True, order=True)
class PlanMonth:
    """One month of the forward plan: its page is /forward-plan/<yyyy-mm>/."""

    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def title(self) -> str:
        return dt.date(self.year, self.month, 1).strftime("%B %Y")


@dataclass(frozen=True)
class Issue:
    """A subject's path from body to body: a report's route, at /issues/<report-id>/."""

    id: str
