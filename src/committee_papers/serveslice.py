"""The papers `mkdocs serve` draws: the newest meetings, not ten years of them.

A clerk previewing an edit needs the page they are editing, in seconds, whatever the size
of the archive. Every step after loading (the projection, the page specs, the page cache's
fingerprints and replayed queries, the listings, MkDocs' walk over the pages) grows with the
papers it is handed, so `mkdocs serve` hands them a slice: the newest meetings and what
their pages need, so that everything after the load costs the same at 100 or 3,200
meetings. The whole archive is still loaded and checked (a mistake anywhere is reported,
as `papers check` would), and `papers build` always draws everything.

The slice is closed under what decides a paper's publication, so it never shows more than a
full build would:

- every meeting presenting a report of the slice is in it (a report presented under a
  Part 2 item anywhere stays withheld; its publication date is its first agenda's);
- a meeting added for that reason brings only the reports of the slice; its other reports
  are absent, so its agenda shows them as not out (fails closed, as the projection does);
- the meetings whose minutes the slice approves are in it (a minutes page names its
  approval);
- decision records whose meeting and report are in the slice (or that name neither);
  the forward plan, notices, people and bodies whole (they do not grow with the years).

What differs from a full build, in serve only: listings, committee and person pages count
and list the slice's meetings only, and links to older papers lead nowhere.
"""

from __future__ import annotations

from typing import Any

from .checkmemo import parts
from .links import MEETING_PARTS, meeting_part
from .model import Meeting, Papers


def newest_meetings(papers: Papers, count: int) -> list[Meeting]:
    """The newest `count` meetings by date (and id, so ties are stable)."""
    ordered = sorted(papers.meetings.values(), key=lambda m: (m.date, m.id), reverse=True)
    return ordered[:count]


def slice_papers(papers: Papers, count: int, memo: dict[str, Any] | None = None) -> Papers:
    """The papers of the newest `count` meetings, closed as the module says; all when fewer.
    `memo`: the load's memo of the checks between files (`loadcache.UnitMemory.checks`),
    whose part of each meeting names the reports on its agenda."""
    if count <= 0 or len(papers.meetings) <= count:
        return papers
    newest = newest_meetings(papers, count)
    wanted = {
        report_id for meeting in newest for item in meeting.agenda for report_id in item.report_ids
    }
    meeting_ids = {meeting.id for meeting in newest}
    # Every meeting presenting one of them: one pass over the agendas, not the index of
    # every report's route (its sort and lists cost a tenth of a second at 3,200 meetings).
    agendas = parts(papers.meetings.values(), memo, MEETING_PARTS, meeting_part)
    meeting_ids.update(part[0] for part in agendas if not wanted.isdisjoint(part[2]))
    meeting_ids.update(item.minutes_of for m in newest for item in m.agenda if item.minutes_of)
    # In the loaded order, which a full build sees too.
    meetings = {key: m for key, m in papers.meetings.items() if key in meeting_ids}
    reports = {key: r for key, r in papers.reports.items() if key in wanted}
    decisions = {
        key: record
        for key, record in papers.decisions.items()
        if (record.meeting is None or record.meeting in meetings)
        and (record.report is None or record.report in reports)
    }
    return Papers(
        site=papers.site,
        people=papers.people,
        bodies=papers.bodies,
        meetings=meetings,
        reports=reports,
        decisions=decisions,
        forward_plan=papers.forward_plan,
        notices=papers.notices,
    )
