"""The meetings calendars, parsed with icalendar and checked against the demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from support import Site

from committee_papers.model import MeetingStatus, Papers
from committee_papers.outputs import calendars
from committee_papers.policy import Policy

HOST = "papers.brackenford.example.gov.uk"


def read(site: Site, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site.root / path).read_bytes())


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_all_meetings_calendar_has_every_meeting_once(site: Site, papers: Papers) -> None:
    found = events(read(site, "calendar/meetings.ics"))
    assert sorted(found) == sorted(f"{m}@{HOST}" for m in papers.meetings)
    cal = read(site, "calendar/meetings.ics")
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_each_body_calendar_has_only_its_meetings(site: Site, papers: Papers) -> None:
    for body in papers.bodies:
        found = events(read(site, f"calendar/{body}.ics"))
        assert sorted(found) == sorted(f"{m.id}@{HOST}" for m in papers.meetings_of(body))


def test_times_carry_the_right_offset_across_the_clock_change(site: Site) -> None:
    found = events(read(site, "calendar/meetings.ics"))

    def start(meeting_id: str) -> dt.datetime:
        return found[f"{meeting_id}@{HOST}"].decoded("DTSTART")

    # Clocks went forward on 29 March 2026 and back on 25 October 2026.
    assert start("2026-03-17-cabinet").utcoffset() == dt.timedelta(0)
    assert start("2026-04-15-planning").utcoffset() == dt.timedelta(hours=1)
    assert start("2026-10-21-planning").utcoffset() == dt.timedelta(hours=1)
    assert start("2026-11-11-audit-governance").utcoffset() == dt.timedelta(0)
    # The wall-clock time is what the agenda says on both sides of the change.
    assert start("2026-03-17-cabinet").time() == start("2026-09-15-cabinet").time()
    assert start("2026-10-21-planning").astimezone(dt.UTC).hour == 18
    assert start("2026-11-11-audit-governance").astimezone(dt.UTC).hour == 18
    raw = (site.root / "calendar/meetings.ics").read_text()
    assert "DTSTART;TZID=Europe/London:20261021T190000" in raw


def test_cancelled_meeting_is_cancelled_with_a_higher_sequence(site: Site) -> None:
    event = events(read(site, "calendar/planning.ics"))[f"2026-08-19-planning@{HOST}"]
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).startswith("Cancelled: ")
    held = events(read(site, "calendar/planning.ics"))[f"2026-10-21-planning@{HOST}"]
    assert held["STATUS"] == "CONFIRMED" and held["SEQUENCE"] == 0


def test_moved_meeting_links_the_meeting_that_replaces_it(site: Site) -> None:
    found = events(read(site, "calendar/overview-scrutiny.ics"))
    old = found[f"2026-06-02-overview-scrutiny@{HOST}"]
    assert old["STATUS"] == "CANCELLED" and old["SEQUENCE"] == 1
    assert str(old["RELATED-TO"]) == f"2026-10-06-overview-scrutiny@{HOST}"
    assert f"https://{HOST}/meetings/2026-10-06-overview-scrutiny/" in str(old["DESCRIPTION"])
    new = found[f"2026-10-06-overview-scrutiny@{HOST}"]
    assert "Rearranged from 2 June 2026" in str(new["DESCRIPTION"])


def test_each_event_links_its_meeting_page_and_dtstamp_comes_from_the_data(
    site: Site, papers: Papers
) -> None:
    for uid, event in events(read(site, "calendar/meetings.ics")).items():
        meeting = papers.meetings[uid.split("@")[0]]
        assert str(event["URL"]) == f"https://{HOST}/meetings/{meeting.id}/"
        assert (site.root / f"meetings/{meeting.id}/index.html").is_file()
    cabinet = events(read(site, "calendar/cabinet.ics"))[f"2026-12-01-cabinet@{HOST}"]
    # The agenda of 1 December was published on 20 November: that is the last change.
    assert cabinet.decoded("DTSTAMP") == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def test_one_meeting_file_for_add_to_calendar(site: Site) -> None:
    found = events(read(site, "meetings/2026-10-21-planning/meeting.ics"))
    assert list(found) == [f"2026-10-21-planning@{HOST}"]
    page = site.article("meetings/2026-10-21-planning/")
    links = {a["href"] for a in page.select(".cp-follow a")}
    assert "../../meetings/2026-10-21-planning/meeting.ics" in links
    assert "../../calendar/planning.ics" in links
    body = site.article("committees/planning/")
    assert "../../calendar/planning.ics" in {a["href"] for a in body.select(".cp-follow a")}


def test_meeting_without_a_start_time_is_an_all_day_event(papers: Papers) -> None:
    meeting = papers.meetings["2026-12-16-council"].model_copy()
    meeting.start = None  # real councils' papers may not give a time
    policy = Policy(papers, as_of=dt.date(2026, 11, 23))
    event = calendars.event(papers, policy, meeting)
    assert event.decoded("DTSTART") == dt.date(2026, 12, 16)
    assert event.decoded("DTEND") == dt.date(2026, 12, 17)
    cal = calendars.calendar(papers, policy, [meeting], "one")
    assert cal.walk("VTIMEZONE") == []
    assert b"DTSTART;VALUE=DATE:20261216" in cal.to_ical()


def test_calendar_bytes_do_not_depend_on_the_clock(papers: Papers) -> None:
    policy = Policy(papers, as_of=dt.date(2026, 11, 23))
    first = [f.data for f in calendars.files(papers, policy)]
    again = [f.data for f in calendars.files(papers, Policy(papers, as_of=dt.date(2026, 11, 23)))]
    assert first == again


def test_calendar_page_has_upcoming_meetings_and_month_tables(site: Site, papers: Papers) -> None:
    page = site.article("calendar/")
    upcoming = page.select("table.cp-meetings tbody tr")
    expected = [m for m in papers.meetings_in_date_order() if m.date >= dt.date(2026, 11, 23)]
    assert len(upcoming) == len(expected) == 2
    months = page.select("table.cp-month")
    assert len(months) == 12
    for table in months:
        assert table.caption.get_text().startswith("Meetings in ")
        headers = [th.get_text() for th in table.select("thead th")]
        assert headers == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    october = months[9]
    assert "Planning Committee" in october.get_text()
    june = months[5].get_text(" ")
    assert "Postponed" in june
    in_2026 = sum(1 for m in papers.meetings.values() if m.date.year == 2026)
    assert sum(len(t.select("td li")) for t in months) == in_2026
    assert site.page("calendar/").select_one(".md-tabs") is not None
    assert any(a.get("href", "").endswith("calendar/") for a in site.page("").select(".md-tabs a"))


def test_statuses_in_the_demo_cover_every_calendar_case(papers: Papers) -> None:
    statuses = {m.status for m in papers.meetings.values()}
    assert {MeetingStatus.cancelled, MeetingStatus.postponed, MeetingStatus.held} <= statuses


def test_calendar_files_are_in_the_built_site(demo_site: Path, papers: Papers) -> None:
    assert (demo_site / "calendar/meetings.ics").is_file()
    assert len(list(demo_site.glob("meetings/*/meeting.ics"))) == len(papers.meetings)


def test_kept_zone_gives_the_bytes_icalendar_writes(papers: Papers) -> None:
    """Each calendar's VTIMEZONE is made once per span of years and written from its kept
    bytes (calendars.ical): the file must be what icalendar itself writes for a calendar
    whose zone add_missing_timezones worked out, for one meeting, a body's and all."""
    policy = Policy(papers, as_of=dt.date(2026, 11, 23))
    every = papers.meetings_in_date_order()
    chosen = [[m] for m in every] + [papers.meetings_of(b) for b in papers.bodies] + [every]
    zoned = 0
    for meetings in chosen:
        cal = calendars.calendar(papers, policy, meetings, "name")
        plain = icalendar.Calendar(cal)
        plain.subcomponents = [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
        if len(plain.subcomponents) < len(cal.subcomponents):
            years = [m.date.year for m in meetings]
            plain.add_missing_timezones(
                first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 1, 1, 1)
            )
            zoned += 1
        assert calendars.ical(cal) == plain.to_ical() == cal.to_ical()
    assert zoned > len(every) // 2
