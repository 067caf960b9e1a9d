"""The one place that decides what an audience may see.

Like the blog plugin's drafts, publication is a policy, not a template habit: pages,
listings, search and (later) feeds and packs all ask this module. The public sees only
papers that are published (agenda out, no draft flag, publication date reached) and not
exempt; members see everything, marked.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from enum import StrEnum

from . import tracing
from .model import (
    AgendaItem,
    Appendix,
    Exemption,
    Meeting,
    MinuteItem,
    Papers,
    Publication,
    Report,
    ReportVersion,
)


class Audience(StrEnum):
    public = "public"
    members = "members"


@dataclass(frozen=True)
class Policy:
    papers: Papers
    audience: Audience = Audience.public
    as_of: dt.date = field(default_factory=dt.date.today)

    @property
    def members(self) -> bool:
        return self.audience is Audience.members

    # --- publication dates ---------------------------------------------------------------

    def _released(self, paper: Publication, default: dt.date | None) -> bool:
        """Not a draft, and its own date (or the default from its agenda) has come."""
        if paper.draft:
            return False
        when = paper.publish_on or default
        return when is not None and when <= self.as_of

    def agenda_published(self, meeting: Meeting) -> bool:
        """An archive meeting's agenda was published before this site: it counts as out."""
        if meeting.archive:
            return True
        return meeting.published is not None and meeting.published <= self.as_of

    def in_archive(self, report: Report) -> bool:
        """Presented at an archive meeting: out since before this site, date not known."""
        return any(m.archive for m, _ in self.papers.items_presenting(report.id))

    def report_release_date(self, report: Report) -> dt.date | None:
        """A report is out when the first agenda presenting it is published."""
        dates = [m.published for m, _ in self.papers.items_presenting(report.id) if m.published]
        return min(dates) if dates else None

    # --- what may be shown ---------------------------------------------------------------

    def report_released(self, report: Report) -> bool:
        if self.in_archive(report):
            return self._released(report, report.publish_on or dt.date.min)
        return self._released(report, self.report_release_date(report))

    def show_report(self, report: Report) -> bool:
        if self.members:
            return True
        # Asked some 150,000 times a re-build at ten years of papers (the page specs, the
        # register, the page cache's check, the outputs), each walking the report's route:
        # kept, except while a page is drawn, whose reads are recorded.
        memo = _shown_reports(self) if tracing.active() is None else {}
        found = memo.get(id(report))
        if found is not None and found[0] is report:
            return found[1]
        shown = not report.exempt and self.report_released(report)
        memo[id(report)] = (report, shown)
        return shown

    def show_appendix(self, report: Report, appendix: Appendix) -> bool:
        if self.members:
            return True
        default = dt.date.min if self.in_archive(report) else self.report_release_date(report)
        released = self._released(appendix, default)
        return self.show_report(report) and not appendix.exempt and released

    def show_version(self, report: Report, version: ReportVersion) -> bool:
        """An earlier version is public only if it was out before it was replaced.

        A version corrected before the papers went out was never public, so it stays
        withheld; members see every version.
        """
        old = version.report
        if old is None:
            return False
        if self.members:
            return True
        if not self.show_report(report) or old.exempt or old.draft:
            return False
        released = old.publish_on or self.report_release_date(report)
        return released is not None and released <= version.replaced and released <= self.as_of

    def show_agenda(self, meeting: Meeting) -> bool:
        return self.members or self.agenda_published(meeting)

    def show_item_detail(self, item: AgendaItem) -> bool:
        """Part 2 items show only their number, title and exempt notice to the public."""
        return self.members or not item.is_exempt

    def minutes_released(self, meeting: Meeting) -> bool:
        minutes = meeting.minutes
        return minutes is not None and self._released(minutes, meeting.date)

    def show_minutes(self, meeting: Meeting) -> bool:
        return meeting.minutes is not None and (self.members or self.minutes_released(meeting))

    def show_minute_item(self, meeting: Meeting, entry: MinuteItem) -> bool:
        if self.members:
            return True
        item = meeting.item(entry.item)
        moved = entry.moved_to_part_2
        return not entry.exempt and not moved and not (item is not None and item.is_exempt)

    def minute_item_exemption(self, meeting: Meeting, entry: MinuteItem) -> list[str]:
        item = meeting.item(entry.item)
        if entry.moved_to_part_2 and not entry.exempt:
            return Exemption()  # moved into Part 2 on the night: exempt, paragraphs unknown
        return entry.exempt or (item.exempt if item is not None and item.is_exempt else [])

    # --- markings for the members' build -------------------------------------------------

    def withheld_from_public(self, paper: Report | Appendix, report: Report | None = None) -> bool:
        """True when the public build would not show this paper (members see it, marked)."""
        public = Policy(self.papers, Audience.public, self.as_of)
        if isinstance(paper, Report):
            return not public.show_report(paper)
        assert report is not None
        return not public.show_appendix(report, paper)


#: Whether each report is shown, by policy: `show_report` outside a page's drawing. Kept
#: by the policy's identity while it lives (a policy and its papers never change once
#: made), never in the policy itself, which may be pickled.
_SHOWN: dict[int, dict[int, tuple[Report, bool]]] = {}


def _shown_reports(policy: Policy) -> dict[int, tuple[Report, bool]]:
    memo = _SHOWN.get(id(policy))
    if memo is None:
        memo = _SHOWN[id(policy)] = {}
        weakref.finalize(policy, _SHOWN.pop, id(policy), None)
    return memo
