"""The Atom and RSS feeds, parsed with feedparser and checked against the demo data."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from support import Site

from committee_papers import decisions
from committee_papers.model import Papers
from committee_papers.outputs import feeds
from committee_papers.policy import Policy

ROOT = "https://papers.brackenford.example.gov.uk/"
AS_OF = dt.date(2026, 11, 23)


def parse(site: Site, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site.root / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def day(entry: feedparser.FeedParserDict) -> dt.date:
    """The UK date of an entry (feedparser's parsed form is in UTC, a day early in summer)."""
    when = dt.datetime.fromisoformat(entry.updated)
    assert when.utcoffset() in (dt.timedelta(0), dt.timedelta(hours=1))
    return when.date()


def expected_ids(papers: Papers, body: str | None = None) -> set[str]:
    """What the feed should hold, worked out from the data and the policy, not the feed."""
    policy = Policy(papers, as_of=AS_OF)
    ids = set()
    for m in papers.meetings.values():
        if body and m.body != body:
            continue
        if m.published and m.published <= AS_OF:
            ids.add(f"{ROOT}meetings/{m.id}/")
        if policy.show_minutes(m):
            ids.add(f"{ROOT}meetings/{m.id}/minutes/")
    for r in papers.reports.values():
        bodies = {
            m.body for m, _ in papers.items_presenting(r.id) if m.published and m.published <= AS_OF
        }
        if policy.show_report(r) and (body is None or body in bodies):
            ids.add(f"{ROOT}reports/{r.id}/")
    for record in papers.decisions.values():
        made_by = papers.meetings[record.meeting].body if record.meeting else record.maker
        if decisions.show_record(policy, record) and (body is None or body == made_by):
            ids.add(f"{ROOT}decisions/{record.id}/")
    return ids


def test_site_feed_has_every_published_paper_once(site: Site, papers: Papers) -> None:
    feed = parse(site, "feed.xml")
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_ids(papers)
    assert feed.version == "atom10"
    assert feed.feed.generator == "committee-papers"


def test_entries_are_newest_first_and_dated_by_publication(site: Site, papers: Papers) -> None:
    entries = parse(site, "feed.xml").entries
    dates = [day(e) for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert all(d <= AS_OF for d in dates)
    by_id = {e.id: e for e in entries}
    agenda = by_id[f"{ROOT}meetings/2026-12-01-cabinet/"]
    assert day(agenda) == papers.meetings["2026-12-01-cabinet"].published
    report = by_id[f"{ROOT}reports/auditors-annual-report-2025-26/"]
    assert day(report) == dt.date(2026, 11, 5)  # its own date, later than its agenda's
    assert day(parse(site, "feed.xml").feed) == dates[0]


def test_approved_minutes_are_updated_on_the_day_of_approval(site: Site, papers: Papers) -> None:
    by_id = {e.id: e for e in parse(site, "feed.xml").entries}
    approval = papers.approval_of("2026-10-21-planning")
    entry = by_id[f"{ROOT}meetings/2025-12-10-planning/minutes/"]
    assert "approved" in entry.title
    assert day(entry) == papers.approval_of("2025-12-10-planning")[0].date
    assert approval is None  # the last planning minutes still wait for approval
    draft = by_id[f"{ROOT}meetings/2026-10-21-planning/minutes/"]
    assert "draft" in draft.title and day(draft) == dt.date(2026, 10, 21)


def test_decision_records_enter_the_feed_when_published(site: Site, papers: Papers) -> None:
    by_id = {e.id: e for e in parse(site, "feed.xml").entries}
    record = papers.decisions["tanners-lane-depot-disposal"]
    entry = by_id[f"{ROOT}decisions/{record.id}/"]
    assert day(entry) == (record.published or record.date)
    assert entry.title.startswith("Decision: ")
    assert {t.term for t in entry.tags} == {"decision"}
    cabinet = {e.id for e in parse(site, "committees/cabinet/feed.xml").entries}
    assert f"{ROOT}decisions/{record.id}/" in cabinet


def test_body_feeds_hold_only_their_papers(site: Site, papers: Papers) -> None:
    for body in papers.bodies:
        feed = parse(site, f"committees/{body}/feed.xml")
        assert {e.id for e in feed.entries} == expected_ids(papers, body)
        assert feed.feed.id == f"{ROOT}committees/{body}/feed.xml"


def test_body_feeds_cut_from_the_site_entries_are_the_body_feeds(papers: Papers) -> None:
    """The build collects the entries once and cuts each body's feed from them."""
    policy = Policy(papers, as_of=AS_OF)
    every = feeds.entries(papers, policy)
    for body in papers.bodies.values():
        alone = feeds.feed(papers, policy, body).atom_str(pretty=True)
        assert feeds.feed(papers, policy, body, every=every).atom_str(pretty=True) == alone
        assert len(every) > len(feeds.entries(papers, policy, body))


def test_rss_has_the_same_entries(site: Site) -> None:
    rss = parse(site, "rss.xml")
    atom = parse(site, "feed.xml")
    assert rss.version == "rss20"
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    raw = (site.root / "rss.xml").read_text()
    assert "<lastBuildDate>" in raw and "python-feedgen" not in raw


def test_paper_withheld_until_a_later_date_enters_the_feed_on_that_date(papers: Papers) -> None:
    url = "reports/auditors-annual-report-2025-26/"
    before = feeds.entries(papers, Policy(papers, as_of=dt.date(2026, 11, 4)))
    assert url not in {e.url for e in before}
    agenda = "meetings/2026-11-11-audit-governance/"
    assert agenda in {e.url for e in before}  # the agenda itself was out on 3 November
    after = feeds.entries(papers, Policy(papers, as_of=dt.date(2026, 11, 5)))
    entry = next(e for e in after if e.url == url)
    assert entry.updated == dt.date(2026, 11, 5)
    assert after[0] == entry


def test_feed_bytes_are_the_same_on_any_day(
    papers: Papers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feedgen stamps feeds and entries with the clock unless told otherwise: run it on two
    different "days" and compare."""
    import feedgen.entry
    import feedgen.feed

    class AnyDatetime(type):
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, dt.datetime)

    def clock(year: int) -> type:
        class Fixed(dt.datetime, metaclass=AnyDatetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:
                return dt.datetime(year, 1, 1, tzinfo=dt.UTC)

        return Fixed

    built = []
    for year in (1987, 1988):
        monkeypatch.setattr(feedgen.feed, "datetime", clock(year))
        monkeypatch.setattr(feedgen.entry, "datetime", clock(year))
        built.append([f.data for f in feeds.files(papers, Policy(papers, as_of=AS_OF))])
    assert built[0] == built[1]
    assert b"1987-01-01" not in b"".join(built[0])


def test_every_page_links_the_site_feed_and_a_body_its_own(site: Site) -> None:
    for url in ("", "meetings/2026-10-21-planning/", "people/", "calendar/"):
        links = site.page(url).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert links and links[0]["href"].endswith("feed.xml")
    body = site.page("committees/planning/").select('head link[type="application/atom+xml"]')
    assert [link["href"] for link in body][-1] == "../../committees/planning/feed.xml"
