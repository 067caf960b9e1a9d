"""Publication deadlines: the clear working days the law requires before each meeting.

The rule is data (the jurisdiction's `clear_days` and `nation`, from jurisdictions.yml or
site.yml) and the counting is `workdays.py`, so deadlines are checked, not remembered. The
same functions serve `papers check` (papers that went out late) and `papers deadlines` (the
next meetings and the last day their papers can go out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ..checkmemo import PaperMemo, parts
from ..model import Meeting, MeetingStatus, Papers
from ..problems import Problems
from ..workdays import clear_working_days, latest_publication

if TYPE_CHECKING:
    from ..load import Sources

#: Meetings that will not happen need no papers, so no deadline applies to them.
NO_DEADLINE = {MeetingStatus.cancelled, MeetingStatus.postponed, MeetingStatus.moved}


def long_date(day: dt.date) -> str:
    """'Tuesday 8 December 2026', the way notices and the law's deadlines are written."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def deadline(papers: Papers, meeting: Meeting) -> dt.date:
    """The last day the agenda and public reports can be published for `meeting`."""
    rule = papers.site.jurisdiction
    return latest_publication(meeting.date, rule.clear_days, rule.nation)


def check_deadlines(
    papers: Papers, sources: Sources, problems: Problems, memo: dict[str, Any] | None = None
) -> None:
    """Add a problem for each agenda or report published after its meeting's deadline.

    An agenda that went out late is reported with the day it should have gone by. A report
    released after the agenda (its own `publish_on`) is a late paper: the item presenting it
    must be marked `late: true` with the reason for urgency (the model requires the reason).
    `memo` (`mkdocs serve`): a meeting is checked again only when it or the reports on its
    agenda changed (`checkmemo.py`).
    """
    rule = papers.site.jurisdiction
    reuse = PaperMemo(memo, "deadlines", (rule.clear_days, rule.nation))
    meetings = [m for m in papers.meetings.values() if m.status not in NO_DEADLINE]
    # The reports its agenda items present (by position), which a meeting's check reads.
    items = parts(meetings, memo, "deadline items", _item_reports)
    reads = [tuple(map(papers.reports.get, ids)) for ids in items]
    reuse.each(problems, meetings, partial(_meeting_deadlines, papers, sources), reads)


def _item_reports(meeting: Meeting) -> tuple[str | None, ...]:
    return tuple(item.report or None for item in meeting.agenda)


def _meeting_deadlines(
    papers: Papers, sources: Sources, meeting: Meeting, problems: Problems
) -> None:
    """The deadline problems of one meeting."""
    rule = papers.site.jurisdiction
    where = sources.get(meeting.source)
    last = deadline(papers, meeting)
    if meeting.published is not None and meeting.published > last:
        clear = clear_working_days(meeting.published, meeting.date, rule.nation)
        problems.add(
            where,
            ("published",),
            f"published on {long_date(meeting.published)}, {clear} clear working "
            f"day{'s' if clear != 1 else ''} before the meeting; the last day to publish "
            f"was {long_date(last)}",
        )
    for index, item in enumerate(meeting.agenda):
        report = papers.reports.get(item.report) if item.report else None
        if report is None or item.late or report.publish_on is None:
            continue
        if report.publish_on > last and report.publish_on <= meeting.date:
            problems.add(
                where,
                ("agenda", index, "late"),
                f"report {report.id!r} is published on {long_date(report.publish_on)}, "
                f"after the last day to publish ({long_date(last)}); mark the item "
                "late: true and record the reason for urgency (late_reason:)",
            )


@dataclass(frozen=True)
class Deadline:
    """One meeting's publication deadline, as `papers deadlines` lists it."""

    meeting: str
    body: str
    date: dt.date
    deadline: dt.date
    published: dt.date | None
    state: str

    def describe(self) -> str:
        """How the meeting stands, in words: 'published Friday 20 November 2026, on time'."""
        if self.published is None:
            return "not yet published: overdue" if self.state == "overdue" else "not yet published"
        timing = "late" if self.state == "late" else "on time"
        return f"published {long_date(self.published)}, {timing}"

    def as_json(self) -> dict[str, str | None]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()
        }


def upcoming(papers: Papers, today: dt.date) -> list[Deadline]:
    """Meetings on or after `today`, in date order, with their deadlines and how they stand.

    States: `published` (on time), `late` (published after the deadline), `due` (not yet
    published, deadline still ahead or today), `overdue` (not published, deadline passed).
    """
    found = []
    for meeting in papers.meetings_in_date_order():
        if meeting.date < today or meeting.status in NO_DEADLINE:
            continue
        last = deadline(papers, meeting)
        if meeting.published is not None:
            state = "late" if meeting.published > last else "published"
        else:
            state = "overdue" if today > last else "due"
        body = papers.bodies.get(meeting.body)
        found.append(
            Deadline(
                meeting.id,
                body.name if body else meeting.body,
                meeting.date,
                last,
                meeting.published,
                state,
            )
        )
    return found
