"""Checks of decisions, run by `papers check` with the other checks between files.

- references: every person, body, meeting, item, report and forward-plan entry named exists;
- key decisions: taken at least 28 clear days after first appearing on the forward plan,
  unless a general-exception notice (5 clear days) or a special-urgency notice with the
  scrutiny chair's agreement is recorded;
- private meetings of the executive: notices 28 and 5 clear days before a meeting with
  Part 2 items;
- call-in: requested within the council's call-in period;
- recorded votes: only members present can vote, nobody votes twice, the result adds up.

Clear days under the 2012 regulations are calendar days (see workdays.clear_days); call-in
periods are working days (workdays.add_working_days). Each message gives the last valid day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import decisions
from .checkmemo import PaperMemo
from .model import (
    BodyKind,
    DecisionRecord,
    Meeting,
    NoticeKind,
    Papers,
    Vote,
    VoteResult,
)
from .problems import LineMap, Loc, Problems
from .workdays import add_working_days, clear_days, latest_notice

if TYPE_CHECKING:
    from .load import Sources

PLAN_DAYS = 28
GENERAL_EXCEPTION_DAYS = 5
PRIVATE_NOTICE_DAYS = {NoticeKind.private_meeting: 28, NoticeKind.private_meeting_final: 5}


@dataclass(frozen=True)
class KeyDecision:
    """A key decision taken (or to be taken) on `date`, and where it is written."""

    date: dt.date
    ref: str | None
    record: DecisionRecord | None
    where: LineMap
    loc: Loc
    what: str


def check_decisions(
    papers: Papers, sources: Sources, problems: Problems, memo: dict[str, Any] | None = None
) -> None:
    """`memo` (`mkdocs serve`): a meeting's notices and votes are checked again only when
    the meeting or what those checks read beyond it changed (`checkmemo.py`)."""
    checker = _DecisionChecker(papers, sources, problems)
    for record in papers.decisions.values():
        checker.record(record, sources.get(record.source))
    for entry in papers.forward_plan.values():
        checker.plan_entry(entry)
    for notice in papers.notices:
        checker.notice(notice)
    for key_decision in checker.key_decisions():
        checker.key_decision_timing(key_decision)
    reuse = PaperMemo(
        memo, "decisions", _meeting_context(papers, sources) if memo is not None else None
    )
    reuse.each(problems, list(papers.meetings.values()), checker.meeting)


def _meeting_context(papers: Papers, sources: Sources) -> tuple[object, ...]:
    """What the checks of one meeting's notices and votes read beyond the meeting."""
    notice_files = sorted({notice.source for notice in papers.notices})
    return (
        frozenset(papers.people),
        "people" in sources.failed,
        tuple((body.id, body.kind) for body in papers.bodies.values()),
        tuple(papers.notices),
        tuple(sorted(sources.get(path).lines.items()) for path in notice_files),
        bool(papers.forward_plan),
    )


class _DecisionChecker:
    def __init__(self, papers: Papers, sources: Sources, problems: Problems):
        self.papers = papers
        self.sources = sources
        self.problems = problems
        self.failed = sources.failed

    def meeting(self, meeting: Meeting, problems: Problems) -> None:
        """The notices of a private meeting, and the votes of its minutes, into `problems`."""
        main, self.problems = self.problems, problems
        try:
            self.private_meeting(meeting, self.sources.get(meeting.source))
            if meeting.minutes is not None:
                self.votes(meeting, self.sources.get(meeting.minutes.source))
        finally:
            self.problems = main

    # --- references ----------------------------------------------------------------------

    def person(self, where: LineMap, loc: Loc, person_id: str | None) -> None:
        if person_id and person_id not in self.papers.people and "people" not in self.failed:
            self.problems.add(where, loc, f"no person with id {person_id!r} in people.yml")

    def maker(self, where: LineMap, loc: Loc, maker_id: str) -> None:
        if maker_id not in self.papers.bodies and maker_id not in self.papers.people:
            self.problems.add(
                where, loc, f"no body or person with id {maker_id!r} (the decision maker)"
            )

    def meeting_ref(self, where: LineMap, loc: Loc, meeting_id: str | None) -> Meeting | None:
        if not meeting_id:
            return None
        meeting = self.papers.meetings.get(meeting_id)
        if meeting is None and f"meeting:{meeting_id}" not in self.failed:
            self.problems.add(where, loc, f"no meeting with id {meeting_id!r}")
        return meeting

    def report_ref(self, where: LineMap, loc: Loc, report_id: str | None) -> None:
        missing = report_id and report_id not in self.papers.reports
        if missing and f"report:{report_id}" not in self.failed:
            self.problems.add(where, loc, f"no report with id {report_id!r}")

    def plan_ref(self, where: LineMap, loc: Loc, ref: str | None) -> None:
        if ref and ref not in self.papers.forward_plan:
            self.problems.add(where, loc, f"no entry {ref!r} in forward-plan.yml")

    def exempt(self, where: LineMap, loc: Loc, paragraphs: list[str] | None) -> None:
        allowed = self.papers.site.jurisdiction.exempt_paragraphs
        for index, number in enumerate(paragraphs or []):
            if number not in allowed:
                self.problems.add(
                    where,
                    (*loc, index),
                    f"{number!r} is not an exempt-information paragraph; expected one of: "
                    + ", ".join(allowed),
                )

    # --- decision records ----------------------------------------------------------------

    def record(self, record: DecisionRecord, where: LineMap) -> None:
        self.maker(where, ("maker",), record.maker)
        self.report_ref(where, ("report",), record.report)
        self.plan_ref(where, ("forward_plan",), record.forward_plan)
        self.exempt(where, ("exempt",), record.exempt)
        for index, conflict in enumerate(record.conflicts):
            self.person(where, ("conflicts", index, "person"), conflict.person)
        meeting = self.meeting_ref(where, ("meeting",), record.meeting)
        if meeting is not None and record.item:
            self._record_item(record, meeting, where)
        if record.published and record.published < record.date:
            self.problems.add(
                where, ("published",), f"published {record.published} is before the decision"
            )
        if record.call_in:
            self._call_in(record, where)

    def _record_item(self, record: DecisionRecord, meeting: Meeting, where: LineMap) -> None:
        if meeting.item(record.item) is None:
            self.problems.add(
                where, ("item",), f"item {record.item} is not on the agenda of {meeting.id!r}"
            )
            return
        if record.date != meeting.date:
            self.problems.add(
                where, ("date",), f"the decision was taken at the meeting on {meeting.date}"
            )
        entry = meeting.minutes.for_item(record.item) if meeting.minutes else None
        item = meeting.item(record.item)
        exempt_minute = entry is not None and (entry.exempt or item.is_exempt)
        if exempt_minute and not record.decision:
            self.problems.add(
                where,
                ("decision",),
                f"minute {record.item} of {meeting.id!r} is exempt: give the decision in "
                "words the public may read (decision:)",
            )

    def _call_in(self, record: DecisionRecord, where: LineMap) -> None:
        call_in = record.call_in
        assert call_in is not None
        for index, person in enumerate(call_in.by):
            self.person(where, ("call_in", "by", index), person)
        self.meeting_ref(where, ("call_in", "meeting"), call_in.meeting)
        published = record.published or record.date
        days = self.papers.site.call_in_days
        deadline = add_working_days(published, days, self.papers.site.jurisdiction.nation)
        if call_in.requested > deadline:
            self.problems.add(
                where,
                ("call_in", "requested"),
                f"{call_in.requested} is after the call-in period ({days} working days from "
                f"publication on {published}): the last day to call it in was {deadline}",
            )
        if call_in.requested < published:
            self.problems.add(
                where, ("call_in", "requested"), f"{call_in.requested} is before publication"
            )
        if call_in.decided and call_in.decided < call_in.requested:
            self.problems.add(where, ("call_in", "decided"), "is before the call-in was requested")

    # --- the forward plan and notices ----------------------------------------------------

    def plan_entry(self, entry) -> None:
        where = self.sources.get(entry.source)
        self.maker(where, (entry.ref, "decision_maker"), entry.decision_maker)
        self.report_ref(where, (entry.ref, "report"), entry.report)
        self.person(where, (entry.ref, "contact"), entry.contact)
        self.exempt(where, (entry.ref, "exempt"), entry.exempt)

    def notice(self, notice) -> None:
        where = self.sources.get(notice.source)
        loc: Loc = (notice.position,)
        meeting = self.meeting_ref(where, (*loc, "meeting"), notice.meeting)
        self.plan_ref(where, (*loc, "forward_plan"), notice.forward_plan)
        if notice.decision and notice.decision not in self.papers.decisions:
            self.problems.add(where, (*loc, "decision"), f"no decision {notice.decision!r}")
        self.person(where, (*loc, "chair"), notice.chair)
        if meeting is not None and notice.kind in PRIVATE_NOTICE_DAYS and not meeting.part2:
            self.problems.add(
                where, (*loc, "meeting"), f"meeting {meeting.id!r} has no Part 2 items"
            )

    # --- key decisions: 28 clear days on the plan, or a notice ---------------------------

    def key_decisions(self) -> list[KeyDecision]:
        found: list[KeyDecision] = []
        by_item = decisions.records_by_item(self.papers)
        for record in self.papers.decisions.values():
            if record.key:
                report = self.papers.reports.get(record.report or "")
                ref = record.forward_plan or (report.forward_plan if report else None)
                where = self.sources.get(record.source)
                found.append(
                    KeyDecision(record.date, ref, record, where, ("key",), f"{record.id!r}")
                )
        for report in self.papers.reports.values():
            if not report.key_decision:
                continue
            for meeting, item in self.papers.items_presenting(report.id):
                body = self.papers.bodies.get(meeting.body)
                if body is None or body.kind is not BodyKind.cabinet:
                    continue
                if (meeting.id, item.number) in by_item:
                    continue
                where = self.sources.get(report.source)
                what = f"{report.id!r} at {meeting.id!r}"
                found.append(
                    KeyDecision(
                        meeting.date, report.forward_plan, None, where, ("key_decision",), what
                    )
                )
        return found

    def key_decision_timing(self, key: KeyDecision) -> None:
        if not self.papers.forward_plan:
            return  # a council that does not keep its forward plan as data
        entry = self.papers.forward_plan.get(key.ref or "")
        need_by = latest_notice(key.date, PLAN_DAYS)
        if entry is None:
            if key.ref is None:
                self.problems.add(
                    key.where,
                    key.loc,
                    f"key decision {key.what} on {key.date} has no forward-plan reference "
                    f"(forward_plan:); it had to be on the plan by {need_by}",
                )
            else:
                self.problems.add(
                    key.where,
                    key.loc,
                    f"key decision {key.what}: no entry {key.ref!r} in forward-plan.yml",
                )
            return
        days = clear_days(entry.first_published, key.date)
        if days >= PLAN_DAYS or self._excused(key, entry.ref):
            return
        where = self.sources.get(entry.source)
        self.problems.add(
            where,
            (entry.ref, "first_published"),
            f"key decision {key.what} on {key.date} was on the forward plan for only {days} "
            f"clear days: it had to be published by {need_by} (28 clear days), or a "
            "general-exception notice published by "
            f"{latest_notice(key.date, GENERAL_EXCEPTION_DAYS)} (5 clear days), or a "
            "special-urgency notice with the scrutiny chair's agreement recorded in notices.yml",
        )

    def _excused(self, key: KeyDecision, ref: str) -> bool:
        for notice in self.papers.notices:
            names = notice.forward_plan == ref or (
                key.record is not None and notice.decision == key.record.id
            )
            if not names or notice.published > key.date:
                continue
            if notice.kind is NoticeKind.special_urgency:
                return True
            if notice.kind is NoticeKind.general_exception:
                if clear_days(notice.published, key.date) >= GENERAL_EXCEPTION_DAYS:
                    return True
                where = self.sources.get(notice.source)
                self.problems.add(
                    where,
                    (notice.position, "published"),
                    f"a general-exception notice needs 5 clear days before the decision on "
                    f"{key.date}: the last day to publish it was "
                    f"{latest_notice(key.date, GENERAL_EXCEPTION_DAYS)}",
                )
                return True
        return False

    # --- private meetings of the executive -----------------------------------------------

    def private_meeting(self, meeting: Meeting, where: LineMap) -> None:
        body = self.papers.bodies.get(meeting.body)
        if body is None or body.kind is not BodyKind.cabinet or not meeting.part2:
            return
        if not (self.papers.notices or self.papers.forward_plan):
            return  # a council that does not keep its executive notices as data
        first = meeting.agenda.index(meeting.part2[0])
        notices = [n for n in self.papers.notices if n.meeting == meeting.id]
        for kind, days in PRIVATE_NOTICE_DAYS.items():
            last_day = latest_notice(meeting.date, days)
            found = [n for n in notices if n.kind is kind]
            if any(n.published <= last_day or n.chair for n in found):
                continue
            if found:
                late = min(found, key=lambda n: n.published)
                self.problems.add(
                    self.sources.get(late.source),
                    (late.position, "published"),
                    f"a notice of a private meeting {days} clear days ahead of {meeting.date} "
                    f"had to be published by {last_day}; late, it needs the scrutiny chair's "
                    "agreement (chair:, chair_agreed:)",
                )
                continue
            self.problems.add(
                where,
                ("agenda", first, "part"),
                f"Part 2 items at a meeting of the executive need a {kind.value} notice "
                f"{days} clear days before the meeting: publish it by {last_day} and "
                "record it in notices.yml",
            )

    # --- recorded votes ------------------------------------------------------------------

    def votes(self, meeting: Meeting, where: LineMap) -> None:
        minutes = meeting.minutes
        assert minutes is not None
        # Attendance not recorded (present: left out): who voted cannot be checked against it.
        present = (
            None
            if minutes.present is None
            else {a.person for a in minutes.present} | {s.person for s in minutes.substitutes}
        )
        apologies = set(minutes.apologies)
        for index, entry in enumerate(minutes.items):
            for number, resolution in enumerate(entry.resolutions):
                if resolution.vote is not None:
                    loc: Loc = ("items", index, "resolutions", number, "vote")
                    self._vote(resolution.vote, where, loc, present, apologies, minutes.chair)

    def _vote(
        self,
        vote: Vote,
        where: LineMap,
        loc: Loc,
        present: set[str] | None,
        apologies: set[str],
        chair: str | None,
    ) -> None:
        counts = Counter(person for person, _ in vote.choices())
        lists = (("for", vote.for_), ("against", vote.against), ("abstain", vote.abstain))
        for name, people in (*lists, ("absent", vote.absent)):
            for position, person in enumerate(people):
                at: Loc = (*loc, name, position)
                self.person(where, at, person)
                if counts[person] > 1:
                    self.problems.add(where, at, f"{person} is recorded more than once")
                if name == "absent":
                    continue
                if person in apologies:
                    self.problems.add(
                        where, at, f"{person} gave apologies for this meeting, so cannot vote"
                    )
                elif present is not None and person not in present:
                    self.problems.add(
                        where,
                        at,
                        f"{person} is not recorded as present at this meeting, so cannot "
                        "vote; add them to present: or move them to absent:",
                    )
        ayes, noes = len(vote.for_), len(vote.against)
        if vote.casting_vote:
            if ayes != noes:
                self.problems.add(
                    where, (*loc, "casting_vote"), "a casting vote is given only on equal votes"
                )
            if vote.casting_vote != chair:
                self.problems.add(
                    where, (*loc, "casting_vote"), f"the casting vote is the chair's ({chair})"
                )
            if vote.result is None:
                self.problems.add(where, (*loc, "result"), "with a casting vote, give the result")
            return
        counted = VoteResult.carried if ayes > noes else VoteResult.lost
        if vote.result is not None and vote.result is not counted:
            self.problems.add(
                where,
                (*loc, "result"),
                f"{vote.result.value} does not match the counts ({ayes} for, {noes} against): "
                f"expected {counted.value}",
            )
