"""Checks between files: every reference resolves, numbers are unique, rules are kept.

Each file is valid on its own after `validation.build`; these are the mistakes only visible
with everything loaded: a report that does not exist, an exempt paragraph the jurisdiction
does not have, minutes for an item that is not on the agenda.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import text
from .checkmemo import PaperMemo, parts
from .checks_decisions import check_decisions
from .model import (
    Body,
    Exemption,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    Papers,
    Report,
)
from .problems import LineMap, Loc, Problems

if TYPE_CHECKING:
    from .load import Sources


def check_links(
    papers: Papers, sources: Sources, problems: Problems, memo: dict[str, Any] | None = None
) -> None:
    """Every check between files. `memo` (kept by `mkdocs serve` between loads, with the
    loaded papers: `loadcache.UnitMemory`) makes it incremental (`checkmemo.py`): while the
    context is the same, an unchanged paper's problems are reused."""
    checker = _Checker(papers, problems, sources)
    context = _context(papers, sources, memo)
    if memo is not None:
        # Which reports some agenda presents, from the context (the index of every
        # meeting's items would be built afresh for each load).
        checker.presented = frozenset(chain.from_iterable(part[2] for part in context[5]))
    reuse = PaperMemo(memo, "papers", context)
    reuse.each(problems, list(papers.bodies.values()), partial(checker.into, checker.body))
    meetings = list(papers.meetings.values())
    reuse.each(problems, meetings, partial(checker.into, checker.meeting_and_minutes))
    for minutes in sources.orphan_minutes:
        checker.minutes_people(minutes, sources.get(minutes.source))
    reuse.each(problems, list(papers.reports.values()), partial(checker.into, checker.report))
    check_decisions(papers, sources, problems, memo)
    if memo is not None:
        memo["checked"] = reuse.checked


def _context(papers: Papers, sources: Sources, memo: dict[str, Any] | None) -> tuple[object, ...]:
    """Everything the check of one body, meeting (with its minutes) or report reads beyond
    the paper itself: the ids it may name, and what it asks of the papers they name. With a
    memo, the part of each unchanged meeting and report is the one made last time."""
    jurisdiction = papers.site.jurisdiction
    return (
        frozenset(papers.people),
        frozenset(sources.people_named),
        frozenset(sources.failed),
        frozenset(sources.reports_named),
        frozenset(papers.bodies),
        # Each meeting's id, date and the reports on its agenda, in the loaded order.
        parts(
            papers.meetings.values(),
            memo,
            MEETING_PARTS,
            meeting_part,
        ),
        parts(
            papers.reports.values(),
            memo,
            "report parts",
            report_part,
        ),
        (jurisdiction.name, jurisdiction.exempt_schedule, tuple(jurisdiction.exempt_paragraphs)),
    )


#: The memo's name for each meeting's `meeting_part` (also read by serveslice.py).
MEETING_PARTS = "meeting parts"


def meeting_part(meeting: Meeting) -> tuple[str, object, tuple[str, ...]]:
    """What the checks of other papers read of a meeting: its id, date and the reports on
    its agenda."""
    return (
        meeting.id,
        meeting.date,
        tuple(rid for item in meeting.agenda for rid in item.report_ids),
    )


def report_part(report: Report) -> tuple[str, bool, tuple[str, ...]]:
    """What the checks of other papers read of a report: its id, whether it is exempt and
    its appendices' labels."""
    return (report.id, bool(report.exempt), tuple(a.label for a in report.appendices))


class _Checker:
    def __init__(self, papers: Papers, problems: Problems, sources: Sources):
        self.papers = papers
        self.failed = sources.failed
        self.sources = sources
        self.problems = problems
        self.paragraphs = papers.site.jurisdiction.exempt_paragraphs
        #: Ids of the reports some agenda presents, when known without the papers' index.
        self.presented: frozenset[str] | None = None

    def into(self, check: Callable[[Any, LineMap], None], paper: Any, problems: Problems) -> None:
        """`check` of one paper, adding what it finds to `problems`."""
        main, self.problems = self.problems, problems
        try:
            check(paper, self.sources.get(paper.source))
        finally:
            self.problems = main

    def meeting_and_minutes(self, meeting: Meeting, where: LineMap) -> None:
        self.meeting(meeting, where)
        if meeting.minutes:
            self.minutes(meeting, self.sources.get(meeting.minutes.source))

    def person(self, where: LineMap, loc: Loc, person_id: str | None) -> None:
        if (
            person_id
            and person_id not in self.papers.people
            and person_id not in self.sources.people_named
            and "people" not in self.failed
        ):
            self.problems.add(where, loc, f"no person with id {person_id!r} in people.yml")

    def exempt(self, where: LineMap, loc: Loc, paragraphs: Exemption | None) -> None:
        if paragraphs is None:
            return
        if not paragraphs.known:
            self.problems.warn(
                where,
                loc,
                "exempt, but the paragraphs it is exempt under are not given: it is withheld, "
                "and its public notice names no paragraph; add them if they are known, "
                f"e.g. exempt: [3] ({self.papers.site.jurisdiction.exempt_schedule})",
            )
        for index, number in enumerate(paragraphs):
            if number not in self.paragraphs:
                allowed = ", ".join(self.paragraphs)
                self.problems.add(
                    where,
                    (*loc, index),
                    f"{number!r} is not an exempt-information paragraph in "
                    f"{self.papers.site.jurisdiction.name}; expected one of: {allowed}",
                )

    def body(self, body: Body, where: LineMap) -> None:
        if body.parent and body.parent not in self.papers.bodies:
            self.problems.add(where, ("parent",), f"no body with id {body.parent!r}")
        self.person(where, ("clerk",), body.clerk)
        for index, membership in enumerate(body.memberships):
            self.person(where, ("memberships", index, "person"), membership.person)
        for index, standing in enumerate(body.agenda_template):
            self.exempt(where, ("agenda_template", index, "exempt"), standing.exempt)

    def meeting(self, meeting: Meeting, where: LineMap) -> None:
        if meeting.body not in self.papers.bodies and "bodies" not in self.failed:
            known = ", ".join(sorted(self.papers.bodies))
            self.problems.add(
                where, ("body",), f"no body with id {meeting.body!r}; expected one of: {known}"
            )
        self.person(where, ("clerk",), meeting.clerk)
        if meeting.moved_to and not self._meeting_known(meeting.moved_to):
            self.problems.add(where, ("moved_to",), f"no meeting with id {meeting.moved_to!r}")
        counts = Counter(item.ref for item in meeting.agenda)
        seen_part2 = False
        for index, item in enumerate(meeting.agenda):
            loc = ("agenda", index)
            if counts[item.ref] > 1:
                what = (
                    f"item number {item.number}" if item.number else f"unnumbered item {item.ref}"
                )
                self.problems.add(where, (*loc, "number"), f"{what} is used more than once")
            if item.part == 2:
                seen_part2 = True
            elif seen_part2:
                self.problems.add(where, (*loc, "part"), "a Part 1 item comes after a Part 2 item")
            self.exempt(where, (*loc, "exempt"), item.exempt)
            for report_id in item.report_ids:
                field = "report" if report_id == item.report else "reports"
                self._presented_report(where, loc, report_id, item.part, field)
            if item.report:
                self._supplementary(where, loc, item.report, item.supplementary)
            if item.earlier_minutes and item.earlier_minutes.file:
                self._file_beside(where, (*loc, "earlier_minutes", "file"), meeting, item)
            if item.kind is ItemKind.minutes and item.minutes_of:
                self._approved_meeting(meeting, where, loc, item.minutes_of)

    def _file_beside(self, where: LineMap, loc: Loc, meeting: Meeting, item) -> None:
        name = item.earlier_minutes.file
        folder = PurePosixPath(meeting.source).parent
        inside = ".." not in PurePosixPath(name).parts and not name.startswith("/")
        if not inside or not Path(folder / name).is_file():
            self.problems.add(where, loc, f"file {name!r} does not exist in {folder}")

    def _presented_report(
        self, where: LineMap, loc: Loc, report_id: str, part: int, field: str = "report"
    ) -> None:
        report = self.papers.reports.get(report_id)
        if report is None and f"report:{report_id}" not in self.failed:
            self.problems.add(
                where, (*loc, field), f"no report with id {report_id!r} in any meeting folder"
            )
        elif report is not None and report.exempt and part != 2:
            self.problems.add(
                where,
                (*loc, "part"),
                f"report {report_id!r} is exempt; present it as a Part 2 item (part: 2)",
            )

    def _supplementary(self, where: LineMap, loc: Loc, report_id: str, labels: list[str]) -> None:
        report = self.papers.reports.get(report_id)
        if report is None:
            return
        for index, label in enumerate(labels):
            if report.appendix(label) is None:
                have = ", ".join(a.label for a in report.appendices) or "none"
                self.problems.add(
                    where,
                    (*loc, "supplementary", index),
                    f"report {report_id!r} has no appendix {label!r} (it has: {have})",
                )

    def _meeting_known(self, meeting_id: str) -> bool:
        """Loaded, or its folder exists but failed to load (already reported there)."""
        return meeting_id in self.papers.meetings or f"meeting:{meeting_id}" in self.failed

    def _approved_meeting(self, meeting: Meeting, where: LineMap, loc: Loc, other: str) -> None:
        earlier = self.papers.meetings.get(other)
        if earlier is None:
            if not self._meeting_known(other):
                self.problems.add(where, (*loc, "minutes_of"), f"no meeting with id {other!r}")
        elif earlier.date >= meeting.date:
            self.problems.add(
                where, (*loc, "minutes_of"), f"meeting {other!r} is not before this meeting"
            )

    def minutes(self, meeting: Meeting, where: LineMap) -> None:
        minutes = meeting.minutes
        assert minutes is not None
        if meeting.status is not MeetingStatus.held:
            self.problems.add(
                where, (), f"minutes exist but the meeting's status is {meeting.status.value!r}"
            )
        self.minutes_people(minutes, where)
        for index, declaration in enumerate(minutes.declarations):
            self._agenda_item(meeting, where, ("declarations", index, "item"), declaration.item)
        counts = Counter(m.item for m in minutes.items)
        for index, entry in enumerate(minutes.items):
            loc = ("items", index)
            self._agenda_item(meeting, where, (*loc, "item"), entry.item)
            if counts[entry.item] > 1:
                self.problems.add(where, (*loc, "item"), f"item {entry.item} is minuted twice")
            self.exempt(where, (*loc, "exempt"), entry.exempt)

    def minutes_people(self, minutes: Minutes, where: LineMap) -> None:
        """The people minutes name, and their exempt paragraphs: checkable without the
        meeting, so checked even when meeting.yml failed to load."""
        self.person(where, ("chair",), minutes.chair)
        refs = {m.item for m in minutes.items} | {m.number for m in minutes.items if m.number}
        for name in ("present", "in_attendance"):
            for index, attendee in enumerate(getattr(minutes, name) or []):
                self.person(where, (name, index, "person"), attendee.person)
                for when in ("arrived_during", "left_after"):
                    minute = getattr(attendee, when)
                    if minute and minute not in refs:
                        self.problems.add(
                            where,
                            (name, index, when),
                            f"there is no minute {minute} in these minutes",
                        )
        for index, person_id in enumerate(minutes.apologies):
            self.person(where, ("apologies", index), person_id)
        for index, sub in enumerate(minutes.substitutes):
            self.person(where, ("substitutes", index, "person"), sub.person)
            self.person(where, ("substitutes", index, "for"), sub.for_)
        for index, declaration in enumerate(minutes.declarations):
            self.person(where, ("declarations", index, "person"), declaration.person)
        for index, entry in enumerate(minutes.items):
            loc = ("items", index)
            for q, question in enumerate(entry.questions):
                self.person(where, (*loc, "questions", q, "asked_by"), question.asked_by)
                self.person(where, (*loc, "questions", q, "answered_by"), question.answered_by)
            for b, block in enumerate(entry.content):
                self.person(where, (*loc, "content", b, "asked_by"), block.asked_by)
                self.person(where, (*loc, "content", b, "answered_by"), block.answered_by)

    def _agenda_item(self, meeting: Meeting, where: LineMap, loc: Loc, number: str) -> None:
        if meeting.item(number) is None:
            self.problems.add(
                where, loc, f"item {number} is not on the agenda of meeting {meeting.id!r}"
            )

    def report(self, report: Report, where: LineMap) -> None:
        self.person(where, ("author",), report.author)
        self.person(where, ("contact",), report.contact)
        for index, author in enumerate(report.authors):
            self.person(where, ("authors", index, "person"), author.person)
        known = f"report:{report.companion}" in self.failed
        if report.companion and report.companion not in self.papers.reports and not known:
            self.problems.add(
                where,
                ("companion",),
                f"no report with id {report.companion!r} in any meeting folder",
            )
        self.exempt(where, ("exempt",), report.exempt)
        if (
            "agendas" not in self.failed
            and report.id not in self.sources.reports_named
            and not self._presented(report.id)
        ):
            self.problems.add(
                where, ("id",), f"report {report.id!r} is not on the agenda of any meeting"
            )
        self._captions(report.source, report.body_line - 1, report.body)
        labels = Counter(a.label for a in report.appendices)
        for index, appendix in enumerate(report.appendices):
            loc: Loc = ("appendices", index)
            if labels[appendix.label] > 1:
                self.problems.add(
                    where, (*loc, "label"), f"appendix {appendix.label} appears more than once"
                )
            self.exempt(where, (*loc, "exempt"), appendix.exempt)
            if appendix.text:
                self._captions(where.path, where.line_of((*loc, "text")), appendix.text)
            elif appendix.file and appendix.body:
                self._captions(
                    str(PurePosixPath(where.path).parent / appendix.file), 0, appendix.body
                )

    def _presented(self, report_id: str) -> bool:
        if self.presented is not None:
            return report_id in self.presented
        return bool(self.papers.items_presenting(report_id))

    def _captions(self, path: str, offset: int, markdown_text: str | None) -> None:
        for line in text.tables_without_caption(markdown_text):
            self.problems.warn(
                path,
                ("table",),
                "this table has no caption, so screen readers name it from the heading above it;"
                " if the source has one, put a line 'Table: what the table shows' just above it",
                line=offset + line,
            )
