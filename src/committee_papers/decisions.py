"""Decisions as readers ask for them: the register, outcomes, call-in dates, issue histories.

Nothing here is stored twice. A decision taken at a meeting is its minute's resolutions, and
a decision record (`data/decisions/<id>.yml`) only adds what minutes do not say (reasons,
alternatives, conflicts, publication and call-in). An issue's history is the route of its
report across meetings, with the forward plan, records and call-ins that name the report.
Every function takes the audience's `Policy`, so what the public cannot see never arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .model import (
    DEFAULT_TITLES,
    AgendaItem,
    BodyKind,
    CallInOutcome,
    DecisionMakerKind,
    DecisionRecord,
    ForwardPlanEntry,
    Issue,
    ItemKind,
    Meeting,
    MinuteItem,
    Notice,
    NoticeKind,
    Outcome,
    Papers,
    PlanMonth,
    Report,
    Resolution,
)
from .perpapers import OncePerPapers
from .policy import Policy
from .tracing import query
from .workdays import add_working_days

#: Items that are the business of running a meeting, not decisions readers look for.
PROCEDURAL = {
    ItemKind.apologies,
    ItemKind.substitutes,
    ItemKind.declarations,
    ItemKind.minutes,
    ItemKind.exclusion,
}
#: Outcomes after which nothing takes effect, so there is nothing to call in.
NOT_DECIDED = {Outcome.deferred, Outcome.withdrawn, Outcome.refused, Outcome.referred_on}

OUTCOME_LABELS = {
    Outcome.agreed: "Agreed",
    Outcome.agreed_as_amended: "Agreed as amended",
    Outcome.noted: "Noted",
    Outcome.deferred: "Deferred",
    Outcome.refused: "Refused",
    Outcome.withdrawn: "Withdrawn",
    Outcome.referred_on: "Referred on",
}
KIND_LABELS = {
    DecisionMakerKind.executive: "Executive",
    DecisionMakerKind.committee: "Committee",
    DecisionMakerKind.officer: "Officer",
}
NOTICE_LABELS = {
    NoticeKind.private_meeting: "Notice of a private meeting (28 clear days)",
    NoticeKind.private_meeting_final: "Final notice of a private meeting (5 clear days)",
    NoticeKind.general_exception: "General exception notice",
    NoticeKind.special_urgency: "Special urgency notice",
}
CALL_IN_LABELS = {
    CallInOutcome.no_further_action: "No further action: the decision stands",
    CallInOutcome.referred_back: "Referred back to the decision maker to reconsider",
    CallInOutcome.referred_to_council: "Referred to Full Council",
    CallInOutcome.withdrawn: "Call-in withdrawn: the decision stands",
}


@dataclass(frozen=True)
class CallInDates:
    """When the call-in period ends and when the decision takes effect (None: not yet)."""

    status: str
    deadline: dt.date | None
    effective: dt.date | None


@dataclass(frozen=True)
class Decision:
    """One row of the decisions register, and the page of a decision record. Frozen: the
    register is made once a build and shared by every page, feed and file that shows it."""

    id: str
    title: str
    date: dt.date
    kind: DecisionMakerKind
    key: bool
    maker: Any
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    entry: MinuteItem | None = None
    report: Report | None = None
    record: DecisionRecord | None = None
    outcome: Outcome | None = None
    resolutions: list[Resolution] = field(default_factory=list)
    dates: CallInDates = CallInDates("made", None, None)
    show_detail: bool = True

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def maker_id(self) -> str:
        return getattr(self.maker, "id", "")


# --- visibility of what this module adds --------------------------------------------------


def show_record(policy: Policy, record: DecisionRecord) -> bool:
    """A record is public from its publication date (its decision date when none is given)."""
    return policy.members or (record.published or record.date) <= policy.as_of


def show_record_detail(policy: Policy, record: DecisionRecord) -> bool:
    """Reasons and alternatives of an exempt decision are withheld; the decision is not."""
    return policy.members or not record.exempt


def show_minute_entry(policy: Policy, meeting: Meeting, entry: MinuteItem) -> bool:
    return policy.show_minutes(meeting) and policy.show_minute_item(meeting, entry)


def public_decisions(papers: Papers, policy: Policy) -> dict[str, Any]:
    """The decision records, forward plan and notices an audience may see, for the projection.

    Records appear from their publication date; an exempt record keeps its decision and
    paragraphs and loses its reasons and alternatives; notices appear once published.
    """
    if policy.members:
        return {
            "decisions": papers.decisions,
            "forward_plan": papers.forward_plan,
            "notices": papers.notices,
        }
    records = {
        key: record
        if show_record_detail(policy, record)
        else record.model_copy(update={"reasons": None, "alternatives": None})
        for key, record in papers.decisions.items()
        if show_record(policy, record)
    }
    notices = [n for n in papers.notices if n.published <= policy.as_of]
    return {"decisions": records, "forward_plan": papers.forward_plan, "notices": notices}


# --- call-in ------------------------------------------------------------------------------


def subject_to_call_in(kind: DecisionMakerKind, key: bool, outcome: Outcome | None) -> bool:
    """Executive decisions, and key officer decisions, unless nothing was decided."""
    if outcome in NOT_DECIDED:
        return False
    return kind is DecisionMakerKind.executive or (kind is DecisionMakerKind.officer and key)


def call_in_dates(
    papers: Papers,
    as_of: dt.date,
    *,
    kind: DecisionMakerKind,
    key: bool,
    made: dt.date,
    published: dt.date | None,
    outcome: Outcome | None = None,
    record: DecisionRecord | None = None,
) -> CallInDates:
    """Status, call-in deadline and effective date of one decision as on `as_of`.

    The call-in period is the council's `call_in_days` working days after the decision is
    published (bank holidays of its nation left out); the decision takes effect on the next
    working day, or when a call-in ends with the decision standing.
    """
    nation = papers.site.jurisdiction.nation
    if outcome in NOT_DECIDED:
        return CallInDates(OUTCOME_LABELS[outcome].lower(), None, None)
    if record is not None and record.call_in_exempt:
        return CallInDates("effective", None, made)
    if not subject_to_call_in(kind, key, outcome):
        return CallInDates("effective", None, made)
    if published is None:
        return CallInDates("made", None, None)
    deadline = add_working_days(published, papers.site.call_in_days, nation)
    call_in = record.call_in if record is not None else None
    if call_in is not None and call_in.requested <= as_of:
        stands = call_in.outcome in (CallInOutcome.no_further_action, CallInOutcome.withdrawn)
        if stands and call_in.decided is not None and call_in.decided <= as_of:
            return CallInDates("effective", deadline, call_in.decided)
        if call_in.outcome is CallInOutcome.referred_back and call_in.decided <= as_of:
            return CallInDates("referred back", deadline, None)
        return CallInDates("called in", deadline, None)
    effective = add_working_days(deadline, 1, nation)
    if as_of <= deadline:
        return CallInDates("call-in period", deadline, effective)
    return CallInDates("effective", deadline, effective)


# --- the register -------------------------------------------------------------------------


def maker_kind(papers: Papers, meeting: Meeting) -> DecisionMakerKind:
    body = papers.bodies.get(meeting.body)
    if body is not None and body.kind is BodyKind.cabinet:
        return DecisionMakerKind.executive
    return DecisionMakerKind.committee


def records_by_item(papers: Papers) -> dict[tuple[str, str], DecisionRecord]:
    return {(r.meeting, r.item): r for r in papers.decisions.values() if r.meeting and r.item}


@dataclass
class _Register:
    decisions: list[Decision]
    by_year: dict[int, list[Decision]]


def _made_register(papers: Papers, policy: Policy) -> _Register:
    decisions = register(papers, policy)
    by_year: dict[int, list[Decision]] = {}
    for decision in decisions:
        by_year.setdefault(decision.year, []).append(decision)
    return _Register(decisions, by_year)


_register_memo = OncePerPapers(_made_register)


def register_once(papers: Papers, policy: Policy) -> list[Decision]:
    """`register`, computed once per build (per papers and audience): the year pages, the
    feeds and the open data each read the whole register, ten years of minutes."""
    return _register_memo(papers, policy).decisions


def register_of_year(papers: Papers, policy: Policy, year: int) -> list[Decision]:
    """The register's decisions of one year, newest first (`register_once`, grouped once:
    each of ten years' year and month pages asked the whole register for its own)."""
    return _register_memo(papers, policy).by_year.get(year, [])


def register(papers: Papers, policy: Policy) -> list[Decision]:
    """Every decision this audience may see, newest first."""
    found: list[Decision] = []
    by_item = records_by_item(papers)
    for meeting in papers.meetings_in_date_order():
        if meeting.minutes is None or not policy.show_minutes(meeting):
            continue
        for entry in meeting.minutes.items:
            record = by_item.get((meeting.id, entry.item))
            decision = _from_minute(papers, policy, meeting, entry, record)
            if decision is not None:
                found.append(decision)
    for record in papers.decisions.values():
        if record.meeting is None and show_record(policy, record):
            found.append(_from_record(papers, policy, record))
    found.sort(key=lambda d: (d.date, d.id), reverse=True)
    return found


def _from_minute(
    papers: Papers,
    policy: Policy,
    meeting: Meeting,
    entry: MinuteItem,
    record: DecisionRecord | None,
) -> Decision | None:
    item = meeting.item(entry.item)
    if item is None or item.kind in PROCEDURAL:
        return None
    if not entry.resolutions and record is None:
        return None
    visible = show_minute_entry(policy, meeting, entry)
    if record is not None and not show_record(policy, record):
        record = None
    if not visible and record is None:
        return None
    report = papers.reports.get(item.report or "")
    kind = record.maker_kind if record else maker_kind(papers, meeting)
    key = record.key if record else bool(report and report.key_decision)
    outcome = entry.item_outcome
    published = (record.published if record else None) or (
        meeting.minutes.publish_on if meeting.minutes and meeting.minutes.publish_on else None
    )
    return Decision(
        id=record.id if record else f"{meeting.id}-{entry.item}",
        title=record.title if record else _item_title(papers, item, entry),
        date=meeting.date,
        kind=kind,
        key=key,
        maker=papers.bodies.get(meeting.body),
        meeting=meeting,
        item=item,
        entry=entry if visible else None,
        report=report if report is not None and policy.show_report(report) else None,
        record=record,
        outcome=outcome if visible or record else None,
        resolutions=list(entry.resolutions) if visible else [],
        dates=call_in_dates(
            papers,
            policy.as_of,
            kind=kind,
            key=key,
            made=meeting.date,
            published=published or meeting.date,
            outcome=outcome,
            record=record,
        ),
        show_detail=visible,
    )


def _from_record(papers: Papers, policy: Policy, record: DecisionRecord) -> Decision:
    report = papers.reports.get(record.report or "")
    maker = papers.bodies.get(record.maker) or papers.people.get(record.maker)
    return Decision(
        id=record.id,
        title=record.title,
        date=record.date,
        kind=record.maker_kind,
        key=record.key,
        maker=maker,
        report=report if report is not None and policy.show_report(report) else None,
        record=record,
        outcome=Outcome.agreed,
        dates=call_in_dates(
            papers,
            policy.as_of,
            kind=record.maker_kind,
            key=record.key,
            made=record.date,
            published=record.published,
            record=record,
        ),
        show_detail=show_record_detail(policy, record),
    )


def _item_title(papers: Papers, item: AgendaItem, entry: MinuteItem) -> str:
    report = papers.reports.get(item.report or "")
    if entry.title or item.title or report:
        return entry.title or item.title or report.title
    return DEFAULT_TITLES.get(item.kind, f"Item {item.number}")


def record_decision(papers: Papers, policy: Policy, record: DecisionRecord) -> Decision | None:
    """The register's view of one record (None when the audience may not see it yet)."""
    if not show_record(policy, record):
        return None
    if record.meeting is None:
        return _from_record(papers, policy, record)
    meeting = papers.meetings.get(record.meeting)
    entry = meeting.minutes.for_item(record.item) if meeting and meeting.minutes else None
    if meeting is None or entry is None:
        return _from_record(papers, policy, record)
    return _from_minute(papers, policy, meeting, entry, record)


def years(decisions: list[Decision]) -> list[int]:
    return sorted({d.year for d in decisions}, reverse=True)


def makers(decisions: list[Decision]) -> list[tuple[str, str]]:
    """(id, name) of every body or person in the register, by name."""
    found = {d.maker_id: maker_name(d.maker) for d in decisions if d.maker is not None}
    return sorted(found.items(), key=lambda pair: pair[1])


def maker_name(maker: Any) -> str:
    return getattr(maker, "display_name", None) or getattr(maker, "name", "")


# --- outcomes on meeting and report pages -------------------------------------------------


def item_outcome(policy: Policy, meeting: Meeting, item: AgendaItem) -> MinuteItem | None:
    """The minute of an agenda item, when it has an outcome this audience may see."""
    if meeting.minutes is None:
        return None
    entry = meeting.minutes.for_item(item.ref)
    if entry is None or entry.item_outcome is None:
        return None
    return entry if show_minute_entry(policy, meeting, entry) else None


def resolution_anchor(entry: MinuteItem, index: int = 1) -> str:
    """The anchor of a resolution on the minutes page (of the minute when it has none)."""
    if entry.resolutions:
        return f"minute-{entry.item}-resolution-{index}"
    return f"minute-{entry.item}"


# --- votes --------------------------------------------------------------------------------


def votes_of(papers: Papers, policy: Policy, person_id: str) -> list[tuple[Any, ...]]:
    """(meeting, minute, resolution number, resolution, choice) for each recorded vote."""
    return list(_votes_by_person(papers, policy).get(person_id, ()))


def _votes_made(papers: Papers, policy: Policy) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    for meeting in papers.meetings_in_date_order():
        if meeting.minutes is None:
            continue
        for entry in meeting.minutes.items:
            if not show_minute_entry(policy, meeting, entry):
                continue
            for number, resolution in enumerate(entry.resolutions, start=1):
                if resolution.vote is None:
                    continue
                for person, choice in resolution.vote.choices():
                    found.setdefault(person, []).append(
                        (meeting, entry, number, resolution, choice)
                    )
    return found


#: Every person page of a build reads the votes by person: reading every minute once per
#: person grew with people times meetings (a second at 100 meetings, half a minute at ten
#: years).
_votes_by_person = OncePerPapers(_votes_made)


# --- issue histories ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One event in an issue's history, in date order."""

    date: dt.date
    kind: str
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    entry: MinuteItem | None = None
    plan: ForwardPlanEntry | None = None
    decision: Decision | None = None


def has_issue(papers: Papers, policy: Policy, report: Report) -> bool:
    """A report whose subject goes to more than one meeting, or is called in, has an issue."""
    if not policy.show_report(report):
        return False
    if len(_route(papers, policy, report)) >= 2:
        return True
    return any(r.report == report.id and r.call_in for r in papers.decisions.values())


def issue_reports(papers: Papers, policy: Policy) -> list[Report]:
    return [
        report
        for report in sorted(papers.reports.values(), key=lambda r: r.id)
        if has_issue(papers, policy, report)
    ]


def _route(papers: Papers, policy: Policy, report: Report) -> list[tuple[Meeting, AgendaItem]]:
    return [(m, i) for m, i in papers.items_presenting(report.id) if policy.show_agenda(m)]


def issue_history(papers: Papers, policy: Policy, report: Report) -> list[Step]:
    steps: list[Step] = []
    plan = papers.forward_plan.get(report.forward_plan or "")
    if plan is not None:
        steps.append(Step(plan.first_published, "forward-plan", plan=plan))
    for meeting, item in _route(papers, policy, report):
        steps.append(
            Step(meeting.date, "meeting", meeting, item, item_outcome(policy, meeting, item))
        )
    for record in papers.decisions.values():
        if record.report == report.id and record.meeting is None:
            decision = record_decision(papers, policy, record)
            if decision is not None:
                steps.append(Step(record.date, "decision", decision=decision))
    for record in papers.decisions.values():
        if record.report == report.id and record.call_in and show_record(policy, record):
            decision = record_decision(papers, policy, record)
            steps.append(Step(record.call_in.requested, "call-in", decision=decision))
    order = {"forward-plan": 0, "meeting": 1, "decision": 2, "call-in": 3}
    return sorted(steps, key=lambda s: (s.date, order[s.kind]))


# --- the forward plan and notices ---------------------------------------------------------


def plan_months(papers: Papers) -> list[PlanMonth]:
    return sorted({entry.month for entry in papers.forward_plan.values()})


def plan_entries(papers: Papers, month: PlanMonth) -> list[ForwardPlanEntry]:
    return sorted(
        (e for e in papers.forward_plan.values() if e.month == month),
        key=lambda e: (e.expected, e.ref),
    )


def notices_in_order(papers: Papers, policy: Policy) -> list[Notice]:
    """Notices already published, newest first."""
    shown = [n for n in papers.notices if policy.members or n.published <= policy.as_of]
    return sorted(shown, key=lambda n: (n.published, n.anchor), reverse=True)


# --- what templates see -------------------------------------------------------------------


@dataclass
class DecisionsView:
    """The decision helpers a template reaches as `v.decisions`, bound to one audience."""

    papers: Papers
    policy: Policy

    @query
    def register(self) -> list[Decision]:
        return register(self.papers, self.policy)

    def years(self, decisions: list[Decision]) -> list[int]:
        return years(decisions)

    def makers(self, decisions: list[Decision]) -> list[tuple[str, str]]:
        return makers(decisions)

    def maker_name(self, maker: Any) -> str:
        return maker_name(maker)

    @query
    def record(self, record: DecisionRecord) -> Decision | None:
        return record_decision(self.papers, self.policy, record)

    def outcome(self, meeting: Meeting, item: AgendaItem) -> MinuteItem | None:
        return item_outcome(self.policy, meeting, item)

    def outcome_label(self, outcome: Outcome | None) -> str:
        return OUTCOME_LABELS[outcome] if outcome else ""

    def kind_label(self, kind: DecisionMakerKind) -> str:
        return KIND_LABELS[kind]

    def call_in_label(self, outcome: CallInOutcome | None) -> str:
        return CALL_IN_LABELS[outcome] if outcome else "Awaiting the scrutiny committee"

    def anchor(self, entry: MinuteItem, index: int = 1) -> str:
        return resolution_anchor(entry, index)

    @query
    def votes_of(self, person_id: str) -> list[tuple[Any, ...]]:
        return votes_of(self.papers, self.policy, person_id)

    @query
    def is_issue(self, report: Report) -> bool:
        return has_issue(self.papers, self.policy, report)

    def issue(self, report: Report) -> Issue:
        return Issue(report.id)

    def notice_label(self, notice: Notice) -> str:
        return NOTICE_LABELS[notice.kind]

    @query
    def history(self, report: Report) -> list[Step]:
        return issue_history(self.papers, self.policy, report)

    @query
    def plan_months(self) -> list[PlanMonth]:
        return plan_months(self.papers)

    @query
    def plan_entries(self, month: PlanMonth) -> list[ForwardPlanEntry]:
        return plan_entries(self.papers, month)

    def plan_entry(self, ref: str | None) -> ForwardPlanEntry | None:
        return self.papers.forward_plan.get(ref or "")

    @query
    def notices(self) -> list[Notice]:
        return notices_in_order(self.papers, self.policy)

    @query
    def notices_for(self, meeting: Meeting) -> list[Notice]:
        return [n for n in self.notices() if n.meeting == meeting.id]

    def maker_of(self, maker_id: str) -> Any:
        return self.papers.bodies.get(maker_id) or self.papers.people.get(maker_id)

    def shown_report(self, report_id: str | None) -> Report | None:
        report = self.papers.reports.get(report_id or "")
        return report if report is not None and self.policy.show_report(report) else None

    def show_detail(self, record: DecisionRecord) -> bool:
        return show_record_detail(self.policy, record)
