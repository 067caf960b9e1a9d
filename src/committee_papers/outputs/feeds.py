"""Atom and RSS feeds of newly published papers, for the whole site and for each body.

A feed reader shows what is new, so an entry's `updated` is the day the paper became public
(the agenda's publication date, a report's release date under the policy, the minutes' own
date or the day they were approved), never the clock: a paper withheld until a later date
enters the feed on that date, and the same data builds the same bytes. Entry ids are the
papers' page addresses, which never change. feedgen writes the XML (escaping included);
its generator and build date, which would otherwise name its version and the time, are set
from the data too.

Each kind of paper (agendas, reports, minutes, decision records) is a function
`(papers, policy) -> Iterable[FeedEntry]` in `ENTRY_SOURCES`; another kind joins there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from .. import decisions, text
from ..model import Body, Meeting, Papers
from ..policy import Policy
from ..urls import feed_url, url_for
from . import AHEAD, GENERATORS, OutputFile
from .address import absolute, site_root, start_of_day


@dataclass(frozen=True)
class FeedEntry:
    """One newly published paper: where it is, what it is, and when it became public."""

    url: str
    title: str
    kind: str
    updated: dt.date
    summary: str
    bodies: frozenset[str]
    #: The summary is the officer's Markdown, made plain text only for the entries a feed
    #: shows (rendering every report's summary of ten years, for every feed, took minutes).
    markdown: bool = False

    def summary_text(self) -> str:
        return text.plain_text(self.summary) if self.markdown else self.summary


def _date(meeting: Meeting) -> str:
    return _date_of(meeting.date)


def agenda_entries(papers: Papers, policy: Policy) -> Iterator[FeedEntry]:
    for meeting in papers.meetings_in_date_order():
        if meeting.published is None or not policy.show_agenda(meeting):
            continue
        name = papers.bodies[meeting.body].name
        yield FeedEntry(
            url_for(meeting),
            f"Agenda: {name}, {_date(meeting)}",
            "agenda",
            meeting.published,
            f"The agenda and papers for the meeting of the {name} on {_date(meeting)}.",
            frozenset({meeting.body}),
        )


def report_entries(papers: Papers, policy: Policy) -> Iterator[FeedEntry]:
    for report in sorted(papers.reports.values(), key=lambda r: r.id):
        if not policy.show_report(report):
            continue
        released = report.publish_on or policy.report_release_date(report)
        if released is None:
            continue
        presenting = papers.items_presenting(report.id)
        bodies = frozenset(m.body for m, _ in presenting if policy.show_agenda(m))
        yield FeedEntry(
            url_for(report),
            f"Report: {report.title}",
            "report",
            released,
            report.summary,
            bodies,
            markdown=True,
        )


def minutes_entries(papers: Papers, policy: Policy) -> Iterator[FeedEntry]:
    for meeting in papers.meetings_in_date_order():
        if meeting.minutes is None or not policy.show_minutes(meeting):
            continue
        name = papers.bodies[meeting.body].name
        updated = meeting.minutes.publish_on or meeting.date
        state = "draft"
        approval = papers.approval_of(meeting.id)
        if papers.minutes_approved(meeting.id) and approval is not None:
            approved_on = approval[0].date
            if approved_on <= policy.as_of:
                updated, state = max(updated, approved_on), "approved"
        yield FeedEntry(
            url_for(meeting, "minutes"),
            f"Minutes ({state}): {name}, {_date(meeting)}",
            "minutes",
            updated,
            f"The {state} minutes of the meeting of the {name} on {_date(meeting)}.",
            frozenset({meeting.body}),
        )


def decision_entries(papers: Papers, policy: Policy) -> Iterator[FeedEntry]:
    """Decision records (a decision taken at a meeting is already in its minutes' entry)."""
    for decision in decisions.register_once(papers, policy):
        record = decision.record
        if record is None:
            continue
        maker = decisions.maker_name(decision.maker) if decision.maker else ""
        bodies = {decision.meeting.body} if decision.meeting else set()
        if record.maker in papers.bodies:
            bodies.add(record.maker)
        yield FeedEntry(
            url_for(record),
            f"Decision: {decision.title}",
            "decision",
            record.published or decision.date,
            f"Decision of {maker or papers.site.council} on {_date_of(decision.date)}.",
            frozenset(bodies),
        )


def _date_of(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


EntrySource = Callable[[Papers, Policy], Iterable[FeedEntry]]
#: Every kind of paper the feeds carry; another kind joins by adding its function here.
ENTRY_SOURCES: list[EntrySource] = [
    agenda_entries,
    report_entries,
    minutes_entries,
    decision_entries,
]


def entries(papers: Papers, policy: Policy, body: Body | None = None) -> list[FeedEntry]:
    """Entries public on the as-of date, newest first (of one body, if given)."""
    found = [
        entry
        for source in ENTRY_SOURCES
        for entry in source(papers, policy)
        if entry.updated <= policy.as_of and (body is None or body.id in entry.bodies)
    ]
    return sorted(found, key=lambda e: (e.updated, e.kind, e.url), reverse=True)


#: A feed holds the newest this many entries, as Atom and RSS feeds normally do: a reader
#: polls it for what is new, and ten years of papers would make it megabytes. Older papers
#: are on the site's year pages (meetings/<yyyy>/, decisions/<yyyy>/) and in the open data.
FEED_ENTRIES = 100


def feed(
    papers: Papers,
    policy: Policy,
    body: Body | None = None,
    limit: int = FEED_ENTRIES,
    every: list[FeedEntry] | None = None,
) -> FeedGenerator:
    """The feed object, for Atom (`atom_str`) or, for the whole site, RSS (`rss_str`).

    `every` is the entries when the caller has them already (the site's, `entries()`, or
    a body's, `_newest_by_body`), so the feeds of forty bodies do not gather ten years of
    papers forty times.
    """
    council = papers.site.council
    if every is None:
        listed = entries(papers, policy, body)
    else:
        listed = [e for e in every if body is None or body.id in e.bodies]
    listed = listed[:limit]
    updated = start_of_day(listed[0].updated if listed else policy.as_of)
    fg = FeedGenerator()
    home = absolute(papers, url_for(body)) if body is not None else site_root(papers)
    fg.id(absolute(papers, feed_url(body)))
    fg.title(f"{body.name}: new papers" if body is not None else f"{council}: new papers")
    fg.subtitle(
        f"Agendas, reports, minutes and decisions of the {body.name}, as they are published."
        if body is not None
        else f"Agendas, reports, minutes and decisions of {council}, as they are published."
    )
    fg.author({"name": council})
    fg.link(href=home, rel="alternate")
    fg.link(href=absolute(papers, feed_url(body)), rel="self")
    fg.language(papers.site.language)
    fg.generator("committee-papers")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for entry in listed:
        fe = fg.add_entry(order="append")
        link = absolute(papers, entry.url)
        fe.id(link)
        fe.guid(link, permalink=True)
        fe.title(entry.title)
        fe.link(href=link, rel="alternate")
        fe.updated(start_of_day(entry.updated))
        fe.published(start_of_day(entry.updated))
        fe.summary(entry.summary_text())
        fe.category(term=entry.kind)
    return fg


def files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    every = entries(papers, policy)
    site = feed(papers, policy, every=every)
    yield OutputFile(feed_url(), site.atom_str(pretty=True))
    yield OutputFile(feed_url(rss=True), site.rss_str(pretty=True))
    newest = _newest_by_body(every)
    for body in sorted(papers.bodies.values(), key=lambda b: b.id):
        body_feed = feed(papers, policy, body, every=newest.get(body.id, []))
        yield OutputFile(feed_url(body), body_feed.atom_str(pretty=True))


def _newest_by_body(
    every: list[FeedEntry], limit: int = FEED_ENTRIES
) -> dict[str, list[FeedEntry]]:
    """The first `limit` entries of each body in `every` (newest first), in one pass: a
    pass over ten years of entries for each of forty bodies took 0.2 s of every build."""
    newest: dict[str, list[FeedEntry]] = {}
    for entry in every:
        for body in entry.bodies:
            listed = newest.setdefault(body, [])
            if len(listed) < limit:
                listed.append(entry)
    return newest


GENERATORS.append(files)
# Made afresh by every build (some 1 s at ten years of papers), from the papers alone: a
# re-build's fork makes them once the guard's secrets are worked out (buildfork.py).
AHEAD.append(files)
