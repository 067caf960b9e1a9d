"""Listings split by year (listing.py): no page lists every meeting or decision of the archive.

The meetings index and a committee's page show the coming and latest meetings and link to a
page per year; the decisions register shows the latest decisions and links to its years.
Feeds hold their newest entries and subscribed calendars the past year onwards.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from support import FIXTURE, ROOT, Site

from committee_papers import decisions, listing
from committee_papers.attendance import declarations_of
from committee_papers.load import load_with_problems
from committee_papers.model import Papers
from committee_papers.outputs import calendars, feeds
from committee_papers.pages import page_specs
from committee_papers.policy import Policy
from committee_papers.render import Renderer

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def public(papers: Papers) -> Policy:
    return Policy(papers, as_of=AS_OF)


def words(tag: BeautifulSoup) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def meeting_links(site: Site, url: str, table: BeautifulSoup) -> list[str]:
    """Meeting ids linked from the first cell of each row, resolved against the page's URL."""
    found = []
    for row in table.select("tbody tr"):
        href = row.find("td").find("a")["href"]
        target = urljoin(f"/{url}", href).strip("/")
        assert site.path(target).is_file(), f"{url}: {href} does not resolve"
        found.append(target.removeprefix("meetings/"))
    return found


def year_nav(page: BeautifulSoup) -> BeautifulSoup:
    nav = page.select_one("nav.cp-years")
    assert nav is not None and nav.get("aria-label"), "a list of years is a labelled <nav>"
    return nav


# --- meetings ------------------------------------------------------------------------------


def test_a_page_for_each_year_lists_exactly_that_years_meetings(site: Site, papers: Papers) -> None:
    years = sorted({m.date.year for m in papers.meetings.values()})
    assert len(years) >= 2, "the demo spans two years"
    for year in years:
        page = site.page(f"meetings/{year}/")
        assert page.title.get_text().startswith(f"Meetings in {year} - ")
        article = page.select_one("article")
        assert words(article.find("h1")) == f"Meetings in {year}"
        listed = meeting_links(site, f"meetings/{year}/", article.select_one("table.cp-meetings"))
        expected = [m.id for m in papers.meetings_in_date_order() if m.date.year == year]
        assert listed == expected


def test_year_list_marks_the_current_year_with_aria_current_and_text(site: Site) -> None:
    nav = year_nav(site.article("meetings/2025/"))
    assert nav["aria-label"] == "Meetings by year"
    current = nav.select('[aria-current="page"]')
    assert len(current) == 1 and words(current[0]) == "2025 (this page)"
    others = {words(a): a["href"] for a in nav.select("a:not([aria-current])")}
    assert others == {"2026": "../../meetings/2026/"}
    assert "meeting" not in words(nav), "no counts: older years' pages stay the same"


def test_meetings_index_shows_coming_then_latest_and_links_every_year(
    site: Site, papers: Papers
) -> None:
    article = site.article("meetings/")
    links = {words(a): a["href"] for a in year_nav(article).select("a")}
    assert links == {"2026": "../meetings/2026/", "2025": "../meetings/2025/"}
    assert not year_nav(article).select("[aria-current]")
    coming, latest = article.select("table.cp-meetings")
    in_order = papers.meetings_in_date_order()
    assert meeting_links(site, "meetings/", coming) == [m.id for m in in_order if m.date >= AS_OF]
    assert (
        meeting_links(site, "meetings/", latest)
        == [m.id for m in reversed(in_order) if m.date < AS_OF][: listing.INDEX_MEETINGS]
    )


def test_coming_and_latest_are_bounded_however_long_the_archive() -> None:
    start = dt.date(2016, 1, 1)
    meetings = [
        SimpleNamespace(date=start + dt.timedelta(days=k), year=(start + dt.timedelta(days=k)).year)
        for k in range(3650)
    ]
    coming = listing.coming(meetings, AS_OF.replace(year=2020), 20)
    latest = listing.latest(meetings, AS_OF.replace(year=2020), 20)
    assert len(coming) == len(latest) == 20
    assert coming[0].date == dt.date(2020, 11, 23) and coming == sorted(
        coming, key=lambda m: m.date
    )
    assert latest[0].date == dt.date(2020, 11, 22) and latest[-1].date == dt.date(2020, 11, 3)
    assert listing.meeting_years(meetings) == list(range(2025, 2015, -1))


# --- a committee's meetings ---------------------------------------------------------------


def test_every_meeting_is_reachable_from_its_committees_year_page(
    site: Site, papers: Papers
) -> None:
    reached = set()
    for body in papers.bodies.values():
        own = papers.meetings_of(body.id)
        body_page = site.article(f"committees/{body.id}/")
        if not own:
            assert body_page.select_one("nav.cp-years") is None
            continue
        nav = year_nav(body_page)
        assert nav["aria-label"] == f"{body.name} meetings by year"
        years = sorted({m.date.year for m in own}, reverse=True)
        assert [words(a) for a in nav.select("a")] == [str(y) for y in years]
        for a, year in zip(nav.select("a"), years, strict=True):
            url = f"committees/{body.id}/{year}/"
            assert urljoin(f"/committees/{body.id}/", a["href"]) == f"/{url}"
            page = site.page(url)
            assert page.title.get_text().startswith(f"{body.name} meetings in {year} - ")
            table = page.select_one("article table.cp-meetings")
            listed = meeting_links(site, url, table)
            assert listed == [m.id for m in own if m.date.year == year]
            reached.update(listed)
    assert reached == set(papers.meetings)


def test_committee_page_shows_its_coming_and_latest_meetings(site: Site, papers: Papers) -> None:
    article = site.article("committees/cabinet/")
    tables = article.select("table.cp-meetings")
    assert [words(t.caption) for t in tables] == [
        "Coming meetings",
        "Latest meetings, newest first",
    ]
    own = papers.meetings_of("cabinet")
    url = "committees/cabinet/"
    assert meeting_links(site, url, tables[0]) == [m.id for m in own if m.date >= AS_OF]
    assert (
        meeting_links(site, url, tables[1])
        == [m.id for m in reversed(own) if m.date < AS_OF][: listing.BODY_MEETINGS]
    )


# --- decisions ----------------------------------------------------------------------------


def test_decisions_month_pages_hold_the_register_of_their_month(
    site: Site, papers: Papers, public: Policy
) -> None:
    register = decisions.register(papers, public)
    years = sorted({d.year for d in register}, reverse=True)
    assert years == [2026, 2025]
    index = site.article("decisions/")
    assert [words(a) for a in year_nav(index).select("a")] == ["2026", "2025"]
    rows = index.select("#decision-register tbody tr")
    assert len(rows) == min(len(register), listing.INDEX_DECISIONS)
    reached = 0
    for year in years:
        page = site.page(f"decisions/{year}/")
        assert page.title.get_text().startswith(f"Decisions in {year} - ")
        article = page.select_one("article")
        current = year_nav(article).select('[aria-current="page"]')
        assert [words(a) for a in current] == [f"{year} (this page)"]
        months = article.select_one(f'nav[aria-label="Decisions in {year} by month"]')
        expected = sorted({d.date.month for d in register if d.year == year}, reverse=True)
        hrefs = [a["href"] for a in months.select("a")]
        assert hrefs == [f"../../decisions/{year}/{m:02d}/" for m in expected]
        for month in expected:
            url = f"decisions/{year}/{month:02d}/"
            name = f"{dt.date(year, month, 1):%B %Y}"
            month_page = site.page(url)
            assert month_page.title.get_text().startswith(f"Decisions in {name} - ")
            rows = month_page.select("#decision-register tbody tr")
            times = [r.find("time")["datetime"][:7] for r in rows]
            assert times == [f"{year}-{month:02d}"] * sum(
                (d.year, d.date.month) == (year, month) for d in register
            )
            mark = month_page.select(
                f'nav[aria-label="Decisions in {year} by month"] [aria-current]'
            )
            assert [words(a) for a in mark] == [f"{name.split()[0]} (this page)"]
            reached += len(rows)
    assert reached == len(register), "every decision is on the page of its month"


def test_a_meeting_or_decision_named_like_a_year_is_refused(tmp_path: Path) -> None:
    data = shutil.copytree(FIXTURE, tmp_path / "data")
    meetings = sorted(p for p in (data / "meetings").iterdir() if p.is_dir())
    shutil.copytree(meetings[0], data / "meetings" / "2026")
    _, problems, _ = load_with_problems(data)
    found = [str(p) for p in problems if "named like a year" in p.message]
    assert len(found) == 1 and "meetings/2026" in found[0], [str(p) for p in problems]
    assert "meetings/2026/ lists the meetings of that year" in found[0]


# --- feeds and calendars ------------------------------------------------------------------


def test_a_feed_holds_its_newest_entries(papers: Papers, public: Policy) -> None:
    every = feeds.entries(papers, public)
    assert len(every) > 10
    atom = BeautifulSoup(feeds.feed(papers, public, limit=10).atom_str(), "xml")
    ids = [e.find("id").get_text() for e in atom.find_all("entry")]
    root = "https://papers.brackenford.example.gov.uk/"
    assert ids == [root + e.url for e in every[:10]]
    assert feeds.FEED_ENTRIES >= 50


def test_subscribed_calendars_hold_the_past_year_onwards(papers: Papers) -> None:
    later = Policy(papers, as_of=dt.date(2027, 9, 1))
    kept = calendars.subscribed(papers.meetings_in_date_order(), later)
    since = dt.date(2027, 9, 1) - dt.timedelta(days=calendars.CALENDAR_PAST_DAYS)
    assert kept == [m for m in papers.meetings_in_date_order() if m.date >= since]
    assert 0 < len(kept) < len(papers.meetings)
    files = {f.path: f.data for f in calendars.files(papers, later)}
    assert files["calendar/meetings.ics"].count(b"BEGIN:VEVENT") == len(kept)
    every_meeting = [p for p in files if p.startswith("meetings/")]
    assert len(every_meeting) == len(papers.meetings), "each meeting keeps its own calendar file"


# --- a person's declarations and votes ----------------------------------------------------


def test_a_person_with_many_declarations_gets_a_page_a_year(
    papers: Papers, public: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's members have a handful each: as if the page could show only one."""
    monkeypatch.setattr(listing, "PERSON_ROWS", 1)
    renderer = Renderer(papers, public, [ROOT / "macros"])
    specs = {s.src_uri: s for s in page_specs(papers, public, renderer)}
    person = papers.people["kwame-mensah"]
    declared = declarations_of(papers, public, person)
    assert {m.year for m, _ in declared} == {2025, 2026}
    assert "people/rajesh-patel/2026/index.md" in specs, "three declarations in one year"
    page = BeautifulSoup(specs["people/kwame-mensah/index.md"].html(), "lxml")
    shown = page.select(".cp-interests tbody tr")
    assert len(shown) == 1 and declared[-1][0].id in shown[0].a["href"]
    nav = year_nav(page)
    assert nav["aria-label"] == "Declarations and votes of Cllr Kwame Mensah by year"
    assert [a["href"] for a in nav.select("a")] == [
        "../../people/kwame-mensah/2026/",
        "../../people/kwame-mensah/2025/",
    ]
    spec = specs["people/kwame-mensah/2025/index.md"]
    assert spec.title == "Cllr Kwame Mensah: declarations and votes in 2025"
    year_page = BeautifulSoup(spec.html(), "lxml")
    rows = year_page.select(".cp-interests tbody tr")
    assert [r.a["href"] for r in rows] == [
        f"../../../meetings/{m.id}/minutes/#minute-{d.item}" for m, d in declared if m.year == 2025
    ]
    current = year_nav(year_page).select('[aria-current="page"]')
    assert [words(a) for a in current] == ["2025 (this page)"]


def test_serve_slice_keeps_the_year_pages_of_the_newest_papers(
    papers: Papers, public: Policy
) -> None:
    """`mkdocs serve` builds the newest meetings only: year pages of older years stay out."""
    from committee_papers.mkdocs_plugin import _newest_slice

    specs = page_specs(papers, public, Renderer(papers, public, [ROOT / "macros"]))
    kept = {s.src_uri for s in _newest_slice(specs, papers, 5)}
    assert "meetings/2026/index.md" in kept and "meetings/2025/index.md" not in kept
    assert "decisions/2026/11/index.md" in kept and "decisions/2026/03/index.md" not in kept
    assert "meetings/index.md" in kept and "decisions/index.md" in kept
