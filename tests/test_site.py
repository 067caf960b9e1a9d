"""The demo council built into a temporary folder, read back as parsed HTML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from support import AS_OF, Site

from committee_papers.model import Papers
from committee_papers.policy import Audience, Policy
from committee_papers.text import plain_text
from committee_papers.view import PURPOSES

TODAY = dt.date.fromisoformat(AS_OF)


def words(element: BeautifulSoup | None) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


@pytest.fixture(scope="module")
def public(papers: Papers) -> Policy:
    return Policy(papers, Audience.public, TODAY)


# --- the demo exercises the whole model ---------------------------------------------------


def test_demo_council_is_big_enough(papers: Papers) -> None:
    meetings = list(papers.meetings.values())
    statuses = {m.status.value for m in meetings}
    assert len(papers.bodies) >= 3
    assert any(b.kind.value == "sub-committee" for b in papers.bodies.values())
    assert len(meetings) >= 12
    span = max(m.date for m in meetings) - min(m.date for m in meetings)
    assert span.days >= 365
    assert "cancelled" in statuses
    assert any(m.date > TODAY for m in meetings)
    assert len(papers.reports) >= 40
    appendices = [a for r in papers.reports.values() for a in r.appendices]
    assert len(appendices) >= 8
    assert any(a.table and any(c.kind.value == "rag" for c in a.table.columns) for a in appendices)
    assert any(a.chart for a in appendices) and any(a.link for a in appendices)
    assert sum(len(m.part2) for m in meetings) >= 2
    bodies_per_report = [{m.body for m, _ in papers.items_presenting(r)} for r in papers.reports]
    assert any(len(b) >= 2 for b in bodies_per_report), "a report goes to two bodies"
    for meeting in meetings:
        if meeting.status.value == "held":
            assert meeting.minutes is not None, f"{meeting.id} has no minutes"
            assert any(e.resolutions for e in meeting.minutes.items), meeting.id


# --- meetings and agendas -------------------------------------------------------------------


def test_every_meeting_page_lists_its_items_in_order(
    site: Site, papers: Papers, public: Policy
) -> None:
    checked = 0
    for meeting in papers.meetings.values():
        page = site.article(f"meetings/{meeting.id}/")
        assert page is not None, meeting.id
        if not public.show_agenda(meeting) or meeting.status.value not in ("held", "scheduled"):
            continue
        for part, heading in ((1, "part-1"), (2, "part-2")):
            expected = [i for i in meeting.agenda if i.part == part]
            if not expected:
                assert page.find(id=heading) is None
                continue
            # Headings inside a part (`heading:`) split it into several lists.
            items = [
                li
                for li in page.select("ul.cp-items > li.cp-item")
                if ("cp-item--exempt" in li["class"]) == (part == 2)
            ]
            numbers = [words(li.find(class_="cp-item-number")).rstrip(".") for li in items]
            assert numbers == [i.number for i in expected], meeting.id
            for li, item in zip(items, expected, strict=True):
                purpose = item.purpose or (
                    papers.reports[item.report].purpose if item.report else None
                )
                shown = words(li.find(class_="cp-purpose"))
                if part == 2:  # the public sees only the purpose written on a Part 2 item
                    purpose = item.purpose
                expected_purpose = PURPOSES[purpose.value] if purpose else ""
                assert shown == expected_purpose, (meeting.id, item)
        checked += 1
    assert checked >= 10


def test_report_items_link_to_their_reports(site: Site, papers: Papers, public: Policy) -> None:
    meeting = papers.meetings["2026-01-28-audit-governance"]
    page = site.article(f"meetings/{meeting.id}/")
    item = page.find(id="item-3")
    link = item.find("a")
    assert link["href"] == "../../reports/internal-audit-progress-q3-2025-26/"
    assert words(link) == "Report: Internal Audit Progress Report, Quarter 3 2025/26"
    appendix_links = [a["href"] for a in item.select(".cp-item-appendices a")]
    assert appendix_links == [
        "../../reports/internal-audit-progress-q3-2025-26/appendix-1/",
        "../../reports/internal-audit-progress-q3-2025-26/appendix-2/",
    ]


def test_part_two_item_shows_number_title_and_paragraphs_only(site: Site) -> None:
    item = site.article("meetings/2026-01-28-audit-governance/").find(id="item-8")
    text = words(item)
    assert text.startswith("8. Debt write-off over 10,000 pounds Exempt This item is not for")
    assert text.endswith("(including the authority holding that information)). For Decision")
    assert "paragraphs 1 and 3 of Part 1 of Schedule 12A" in text
    assert item.find("a") is None
    assert not site.path("reports/debt-write-off-jan-2026/").exists()


def test_late_item_shows_its_reason_for_urgency(site: Site, papers: Papers) -> None:
    item = papers.meetings["2026-11-11-audit-governance"].item("5")
    assert item.late
    shown = words(site.article("meetings/2026-11-11-audit-governance/").find(id="item-5"))
    assert "Late item" in shown and "matter of urgency" in shown


def test_meeting_page_facts(site: Site) -> None:
    page = site.article("meetings/2026-01-28-audit-governance/")
    facts = {words(dt_): words(dt_.find_next_sibling("dd")) for dt_ in page.select(".cp-facts dt")}
    assert facts["Date"] == "Wednesday 28 January 2026"
    assert facts["Time"] == "6.30 pm"
    assert facts["Venue"] == "Committee Room 2, Brackenford House"
    assert facts["Status"] == "Held"
    assert "ben.achebe@brackenford.example.gov.uk" in facts["Enquiries"]
    members = [words(tr.find("td")) for tr in page.select(".cp-membership tbody tr")]
    assert members[0] == "Cllr Peter Goodwin"


def test_cancelled_and_unpublished_meetings(site: Site, papers: Papers, public: Policy) -> None:
    for meeting in papers.meetings.values():
        page = site.article(f"meetings/{meeting.id}/")
        if meeting.status.value == "cancelled":
            assert "Cancelled" in words(page.select_one(".cp-facts"))
        if meeting.status.value == "scheduled" and not public.show_agenda(meeting):
            assert "has not been published yet" in words(page)
            assert not page.select(".cp-item")


# --- reports --------------------------------------------------------------------------------


def cover(site: Site, report_id: str) -> dict[str, str]:
    table = site.article(f"reports/{report_id}/").find("table", class_="cp-cover")
    return {words(tr.th): words(tr.td) for tr in table.find_all("tr")}


def test_every_public_report_has_its_cover_fields(
    site: Site, papers: Papers, public: Policy
) -> None:
    shown = [r for r in papers.reports.values() if public.show_report(r)]
    assert len(shown) >= 30
    for report in shown:
        fields = cover(site, report.id)
        assert fields["Subject"] == report.title
        person = papers.people.get(report.report_of)
        who = f"{person.display_name}, {person.title}" if person else report.report_of
        assert fields["Report of"] == who
        assert fields["Purpose"] == PURPOSES[report.purpose.value]
        assert fields["Key decision"] == ("Yes" if report.key_decision else "No")
        assert fields["Public or exempt"].startswith("Public")
        for meeting, item in papers.items_presenting(report.id):
            listed = f"item {item.number}" in fields["Committee(s) and date(s)"]
            assert listed == public.show_agenda(meeting), (report.id, meeting.id)
        if report.author:
            assert papers.people[report.author].name in fields["Report author"]


def test_report_sections_and_numbered_paragraphs(site: Site, papers: Papers) -> None:
    report = papers.reports["internal-audit-progress-q3-2025-26"]
    page = site.article(f"reports/{report.id}/")
    headings = [words(h) for h in page.find_all("h2")]
    assert headings[:4] == ["Summary", "Recommendations", "Main report", "Appendices"]
    assert "Background papers" in headings and "Contact" in headings
    numbers = [words(p.find(class_="cp-para-number")) for p in page.select("p.cp-para")]
    assert numbers == [f"{n}." for n in range(1, len(numbers) + 1)] and len(numbers) >= 6
    assert page.find(id="para-3") is not None
    recs = [words(li) for li in page.select("ol.cp-recommendations li")]
    assert recs == [plain_text(r) for r in report.recommendations]


def test_a_report_to_two_bodies_lists_every_meeting(site: Site, papers: Papers) -> None:
    report = papers.reports["tenancy-strategy-2026"]
    route = site.article(f"reports/{report.id}/").select(".cp-route li")
    expected = [
        f"../../meetings/{m.id}/#item-{i.number}" for m, i in papers.items_presenting(report.id)
    ]
    assert [li.find("a")["href"] for li in route] == expected
    # Housing Scrutiny Sub-Committee, then Cabinet, then Full Council
    assert len({m.body for m, _ in papers.items_presenting(report.id)}) == 3


# --- appendices -----------------------------------------------------------------------------


def test_rag_status_in_words_and_colour(site: Site) -> None:
    page = site.article("reports/internal-audit-progress-q3-2025-26/appendix-1/")
    table = page.find("table")
    assert table.caption is not None
    assert [words(th) for th in table.thead.find_all("th")][-1] == "Status"
    statuses = [words(cell) for cell in table.select(".cp-rag")]
    assert statuses == ["Green", "Amber", "Red", "Amber", "Blue"]
    assert "cp-rag--red" in table.select(".cp-rag")[2]["class"]


def test_chart_is_svg_with_text_alternative_and_data_table(site: Site) -> None:
    page = site.article("reports/internal-audit-progress-q3-2025-26/appendix-2/")
    svg = page.find("svg")
    assert svg["role"] == "img" and "Days delivered rose" in svg["aria-label"]
    assert page.find("script") is None
    table = page.find("table")
    assert words(table.caption).startswith("Data for the chart")
    rows = [[words(c) for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert rows == [["Q1", "110", "92"], ["Q2", "110", "104"], ["Q3", "110", "118"]]


def test_linked_external_document(site: Site) -> None:
    page = site.article("reports/risk-register-update-jan-2026/appendix-2/")
    link = page.select_one(".cp-external a")
    assert link["href"].endswith("corporate-risk-register-2026-01.pdf")
    assert "PDF, 1.2 MB" in words(link)


# --- minutes --------------------------------------------------------------------------------


def test_minutes_show_present_chair_and_resolutions(
    site: Site, papers: Papers, public: Policy
) -> None:
    checked = 0
    for meeting in papers.meetings.values():
        if not public.show_minutes(meeting):
            continue
        page = site.article(f"meetings/{meeting.id}/minutes/")
        assert page is not None, meeting.id
        present = words(page.find(id="present").find_next("ul"))
        assert f"{papers.people[meeting.minutes.chair].display_name} (Chair)" in present
        for entry in meeting.minutes.items:
            section = page.find(id=f"minute-{entry.item}")
            assert section is not None, (meeting.id, entry.item)
            if not public.show_minute_item(meeting, entry):
                assert "not for publication" in words(section)
                continue
            resolved = [words(li) for li in section.select(".cp-resolutions li")]
            assert resolved == [plain_text(r.text) for r in entry.resolutions], entry.item
        checked += 1
    assert checked >= 10


def test_draft_and_approved_minutes_link_both_ways(site: Site, papers: Papers) -> None:
    approved = site.article("meetings/2026-01-28-audit-governance/minutes/")
    notice = approved.select_one(".cp-notice--approved")
    assert notice is not None
    assert notice.find("a")["href"].startswith("../../../meetings/2026-07-22-audit-governance/")
    draft = site.article("meetings/2026-11-11-audit-governance/minutes/")
    assert "subject to approval" in words(draft.select_one(".cp-notice--draft"))
    later = site.article("meetings/2026-07-22-audit-governance/")
    links = [a["href"] for a in later.select(".cp-item a")]
    assert "../../meetings/2026-01-28-audit-governance/minutes/" in links


def test_corrections_made_on_approval_are_shown(site: Site, papers: Papers) -> None:
    corrected = [
        m
        for m in papers.meetings.values()
        if papers.approval_of(m.id)
        and papers.minutes_approved(m.id)
        and (later := papers.approval_of(m.id))[0].minutes
        and later[0].minutes.for_item(later[1].number).corrections
    ]
    assert corrected, "the demo records a correction"
    page = site.article(f"meetings/{corrected[0].id}/minutes/")
    assert page.find(id="corrections") is not None


# --- bodies and people ----------------------------------------------------------------------


def test_body_page_membership_and_meetings_by_year(site: Site, papers: Papers) -> None:
    page = site.article("committees/housing-scrutiny/")
    assert "Overview and Scrutiny Committee" in words(page.select_one(".cp-facts"))
    roles = {
        words(tr.find_all("td")[0]): words(tr.find_all("td")[1])
        for tr in page.select(".cp-membership tbody tr")
    }
    assert roles["Cllr Carol Dempsey"] == "Chair"
    assert roles["Mr Rajesh Patel"] == "Co-opted member"
    captions = [words(c) for c in page.select("table.cp-meetings caption")]
    assert captions == ["Latest meetings, newest first"]
    years = page.select_one(
        'nav.cp-years[aria-label="Housing Scrutiny Sub-Committee meetings by year"]'
    )
    assert [a["href"] for a in years.select("a")] == ["../../committees/housing-scrutiny/2026/"]


def test_committees_and_people_indexes(site: Site, papers: Papers) -> None:
    committees = site.article("committees/")
    assert {words(a) for a in committees.select("tbody th a")} == {
        b.name for b in papers.bodies.values()
    }
    people = site.article("people/")
    names = {words(a) for a in people.select("tbody th a")}
    assert names == {p.display_name for p in papers.people.values()}


def test_person_page_lists_bodies_and_roles(site: Site) -> None:
    page = site.article("people/fiona-macleod/")
    rows = [[words(td) for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    assert ["Cabinet", "Member", "1 July 2026", "Current"] in rows
    assert ["Audit and Governance Committee", "Member", "20 May 2025", "30 June 2026"] in rows


def test_home_page_shows_upcoming_meetings_and_latest_papers(site: Site) -> None:
    page = site.article("")
    upcoming = [a["href"] for a in page.select(".cp-upcoming a")]
    assert upcoming and upcoming[0] == "meetings/2026-12-01-cabinet/"
    assert page.select(".cp-latest a")


# --- the whole site -------------------------------------------------------------------------


def test_no_broken_internal_links(site: Site) -> None:
    broken = []
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
            ids[path] = {t["id"] for t in soup.find_all(id=True)} | {
                t["name"] for t in soup.find_all("a", attrs={"name": True})
            }
        return ids[path]

    files = site.html_files()
    for path in files:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attr: True}):
                url = element[attr]
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//"):
                    continue
                if parts.path.startswith("/"):  # the 404 page links from the site root
                    target = site.root / unquote(parts.path).lstrip("/")
                elif parts.path:
                    target = (path.parent / unquote(parts.path)).resolve()
                else:
                    target = path
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{path.relative_to(site.root)}: {url}")
                elif (
                    parts.fragment
                    and target.suffix == ".html"
                    and (parts.fragment not in anchors(target))
                ):
                    broken.append(f"{path.relative_to(site.root)}: {url} (no anchor)")
    assert len(files) > 150
    assert broken == []


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
def test_no_part_two_content_in_any_public_file(site: Site, papers: Papers, public: Policy) -> None:
    """An independent check (not the guard's code): sentences of exempt papers, anywhere."""
    withheld = []
    for report in papers.reports.values():
        if report.exempt:
            withheld += [report.summary, report.body, *report.recommendations]
        withheld += [a.markdown for a in report.appendices if a.exempt]
        withheld += [
            " ".join(str(v) for v in row.values())
            for a in report.appendices
            if a.exempt and a.table
            for row in a.table.rows
        ]
    for meeting in papers.meetings.values():
        for entry in meeting.minutes.items if meeting.minutes else []:
            if not public.show_minute_item(meeting, entry):
                withheld += [entry.text, *(r.text for r in entry.resolutions)]
    sentences = {
        s.strip()
        for t in withheld
        for s in re.split(r"(?<=\.)\s", plain_text(t))
        if len(s.strip()) > 40
    }
    assert len(sentences) > 10
    everything = ""
    for path in site.root.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".js", ".txt"}:
            raw = path.read_text(encoding="utf-8", errors="replace")
            everything += " ".join(BeautifulSoup(raw, "lxml").get_text(" ").split()) + raw
    everything = everything.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    leaked = [s for s in sentences if s.replace("\u2019", "'") in everything]
    assert leaked == []


def test_generated_pages_are_not_in_the_nav(site: Site) -> None:
    nav = site.page("meetings/2026-01-28-audit-governance/").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.find_all("a", href=True)]
    assert not any("reports/" in h or re.search(r"meetings/\d", h) for h in hrefs)
    assert any(h.endswith("committees/") for h in hrefs)


def test_every_page_links_the_print_stylesheet(site: Site) -> None:
    for url in (
        "",
        "meetings/2026-01-28-audit-governance/",
        "reports/risk-register-update-jan-2026/",
    ):
        sheets = [link["href"] for link in site.page(url).select("link[rel=stylesheet]")]
        assert any(s.endswith("assets/print.css") for s in sheets)
    css = (site.root / "assets" / "print.css").read_text()
    assert "@media print" in css and ".md-header" in css and "attr(href)" in css
