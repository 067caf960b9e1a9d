"""Real councils' papers as they are (issue 13, points 2 to 7): what the clerk knows, no more.

One variant of the small fixture council is built once for this module, with a meeting
entered the way real papers come: no start time, no chair, no attendance, unnumbered items,
headings inside the agenda, two reports under one item, a report to follow, minutes numbered
through the year and written in the order spoken. Every assertion reads the built HTML.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import DATA, Site, build_site, copy_data, papers_command

from committee_papers.load import load_with_problems

MEETING = "2026-03-04-audit-governance"


def words(element) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def real_council(target: Path) -> Path:
    """The fixture council plus one meeting written as real papers are."""
    data = copy_data(target)
    with (data / "people.yml").open("a", encoding="utf-8") as people:
        people.write("rosa-king: {name: Rosa King, honorific: Alderman, kind: member}\n")
    body = data / "bodies" / "audit-governance.yml"
    text = body.read_text(encoding="utf-8")
    text = text.replace(
        "{person: peter-goodwin, role: chair, start: 2025-05-20}",
        "{person: peter-goodwin, role: chair, start: 2025-05-20, title: Chairman}",
    )
    body.write_text(text + "  - {person: rosa-king}\n", encoding="utf-8")
    write(
        data / "bodies" / "audit-sub.yml",
        "name: Audit Appeals Sub-Committee\nkind: sub-committee\nparent: audit-governance\n",
    )
    write(
        data / "bodies" / "joint-waste.yml", "name: Joint Waste Committee\nkind: joint-committee\n"
    )
    write(
        data / "bodies" / "safer-streets.yml",
        "name: Safer Streets Partnership\nkind: partnership\n",
    )
    write(data / "bodies" / "harbour.yml", "name: Harbour Trust\nkind: other\n")
    folder = data / "meetings" / MEETING
    write(
        folder / "meeting.yml",
        """
        body: audit-governance
        date: 2026-03-04
        status: held
        published: 2026-02-20
        agenda:
          - {kind: apologies}
          - {kind: declarations}
          - number: "3"
            kind: minutes
            earlier_minutes:
              {title: Minutes of 12 November 2025, date: 2025-11-12, file: minutes-2025-11-12.txt}
            pages: "1-6"
          - number: "4"
            heading: Decision items
            title: Treasury and risk
            report: treasury-report-march
            reports: [treasury-annex-march]
            wards: [Abbey, Castle]
            pages: "7-22"
          - number: "5"
            heading: Information items
            title: Annual report of the fraud panel
            report_of: Head of Legal Services
            purpose: information
            to_follow: true
          - number: "6"
            kind: minutes
            earlier_minutes: {date: 2025-09-10, url: "https://example.gov.uk/minutes-2025-09-10.pdf"}
          - {number: "7", kind: exclusion}
          - number: "8"
            part: 2
            title: Contract dispute
            report: treasury-exempt-march
            report_of: Director of Finance
            purpose: decision
            description: SECRETDESCRIPTION of the dispute
            exempt: ["3"]
            pages: "23-30"
        """,
    )
    write(folder / "minutes-2025-11-12.txt", "Minutes of the meeting of 12 November 2025.\n")
    write(
        folder / "treasury-report-march.md",
        """
        ---
        title: Treasury strategy update
        report_of: andrew-cole
        report_number: "17"
        companion: treasury-exempt-march
        recommendations_intro: "It is recommended that the Committee:"
        recommendations_style: (a)
        recommendations:
          - Notes the update.
          - Approves the revised limits.
        authors:
          - paul-renshaw
          - {name: Jo Bell, title: Treasury Adviser, organisation: Link Group}
        portfolio: Finance
        cabinet_member: Cllr Daniel Price
        lead_officer: andrew-cole
        origin: Requested by the Committee in November 2025.
        recommendations_from:
          {body: joint-waste, date: 2026-02-01, text: That the limits be reviewed.}
        implications:
          financial: No new costs.
          legal: None.
          equalities: None arising.
          risk: Counterparty risk is unchanged.
          staff-consultation: Staff were not consulted.
        route:
          - {body: Joint Waste Committee, date: 2026-03-20, outcome: Noted}
          - {body: safer-streets, date: 2026-02-02}
        background_papers: none
        summary: The treasury strategy needs two changes.
        ---
        ## Background

        1.1 The strategy was approved in February.

        A paragraph the officer did not number.

        ## Proposals

        4.3 Raise the limit for the money market funds.

        | Fund | Limit |
        | --- | --- |
        | A | 5 |

        9.5 Review the limits again in September.
        """,
    )
    write(
        folder / "treasury-annex-march.md",
        """
        ---
        title: Treasury annex of counterparties
        report_of: Director of Finance
        numbering: auto
        summary: The counterparties the Council may use.
        ---
        First paragraph.

        Second paragraph.
        """,
    )
    write(
        folder / "treasury-exempt-march.md",
        """
        ---
        title: Contract dispute SECRETTITLE
        report_of: Director of Finance
        exempt: ["3"]
        companion: treasury-report-march
        summary: SECRETSUMMARY of the dispute.
        ---
        SECRETBODY
        """,
    )
    write(
        folder / "minutes.yml",
        """
        apologies: [fiona-macleod]
        declarations:
          - {person: james-boateng, item: "4", interest: Director of a fund manager.}
        in_attendance:
          - {person: andrew-cole, arrived_during: "59", left_after: "60"}
        items:
          - {item: apologies, number: "57"}
          - {item: declarations, number: "58"}
          - item: "4"
            number: "59"
            content:
              - text: First the officer spoke.
              - question: Are the funds safe?
                answer: They are rated AAA.
              - resolved: That the update be noted.
              - text: Then members debated the limits.
              - resolved: [That the limits be approved., That they be reviewed in September.]
            recommendations_to: {to: planning, text: That the Planning Committee note the strategy.}
          - item: "5"
            number: "60"
            moved_to_part_2: true
            text: SECRETMOVED discussion of the panel.
            public_summary: The committee noted the report of the fraud panel in private.
          - item: "8"
            number: "61"
            exempt: ["3"]
            text: SECRETMINUTE of the dispute.
            public_summary: The committee agreed how to settle the dispute.
        """,
    )
    return data


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Site:
    data = real_council(tmp_path_factory.mktemp("real") / "data")
    return Site(build_site(tmp_path_factory.mktemp("real-site") / "site", data_dir=data))


def agenda_item(site: Site, anchor: str):
    return site.article(f"meetings/{MEETING}/").find(id=anchor)


# --- point 2: only what the clerk knows -----------------------------------------------------


def test_unknown_time_chair_attendance_and_end_are_left_out(real: Site) -> None:
    page = real.article(f"meetings/{MEETING}/")
    assert words(page.find("h1")) == "Audit and Governance Committee Wednesday 4 March 2026"
    assert "Time" not in [words(dt) for dt in page.select("dl.cp-facts dt")]
    minutes = real.article(f"meetings/{MEETING}/minutes/")
    text = words(minutes)
    assert (
        "Minutes of the meeting of the Audit and Governance Committee held at Committee Room 2,"
        " Brackenford House on Wednesday 4 March 2026. Agenda and papers" in text
    )
    assert minutes.find(id="present") is None
    assert minutes.select_one(".cp-ended") is None and minutes.select_one(".cp-signature") is None
    for html in (page, minutes, real.article("committees/audit-governance/")):
        assert "12 am" not in words(html) and "not stated" not in words(html)


def test_unnumbered_items_print_no_number_and_keep_their_own_anchor(real: Site) -> None:
    item = agenda_item(real, "item-apologies")
    assert item.find(class_="cp-item-number") is None
    assert words(item) == "Apologies for absence"
    assert words(agenda_item(real, "item-declarations")) == "Declarations of interest"


def test_a_membership_without_start_date_is_current_and_prints_no_date(real: Site) -> None:
    rows = real.article("people/rosa-king/").select("table tbody tr")
    assert [words(td) for td in rows[0].find_all("td")] == [
        "Audit and Governance Committee",
        "Member",
        "",
        "Current",
    ]


# --- point 3: agendas as councils write them ------------------------------------------------


def test_agenda_headings_wards_page_ranges_and_two_reports_under_one_item(real: Site) -> None:
    page = real.article(f"meetings/{MEETING}/")
    headings = [words(h) for h in page.select("h4.cp-agenda-heading")]
    assert headings == ["Decision items", "Information items"]
    item = agenda_item(real, "item-4")
    assert [words(a) for a in item.select(".cp-item-reports a")] == [
        "Report: Treasury strategy update",
        "Report: Treasury annex of counterparties",
    ]
    assert words(item.select_one(".cp-item-reports li")) == (
        "Report: Treasury strategy update (Report No. 17)"
    )
    assert words(item.select_one(".cp-wards")) == "Wards: Abbey, Castle"
    assert words(item.select_one(".cp-pages")) == "(Pages 7 - 22)"
    assert words(agenda_item(real, "item-3").select_one(".cp-pages")) == "(Pages 1 - 6)"


def test_a_report_to_follow_is_named_with_no_report_page(real: Site) -> None:
    item = agenda_item(real, "item-5")
    assert words(item) == (
        "5. Annual report of the fraud panel Report of the Head of Legal Services."
        " Report to follow. For Information"
    )
    assert item.find("a") is None


def test_minutes_of_a_meeting_not_in_the_data_link_to_a_file_or_an_address(real: Site) -> None:
    with_file = agenda_item(real, "item-3")
    link = with_file.find("a")
    assert words(link) == "Minutes of 12 November 2025"
    assert link["href"] == "../../meetings/2026-03-04-audit-governance/minutes-2025-11-12.txt"
    assert (real.root / "meetings" / MEETING / "minutes-2025-11-12.txt").read_text() == (
        "Minutes of the meeting of 12 November 2025.\n"
    )
    with_url = agenda_item(real, "item-6")
    assert words(with_url.find("p")) == (
        "To approve the minutes of the meeting held on 10 September 2025."
        " Minutes of the meeting held on 10 September 2025"
    )
    assert with_url.find("a")["href"] == "https://example.gov.uk/minutes-2025-09-10.pdf"


def test_part_2_item_shows_its_own_title_report_of_purpose_paragraphs_and_pages(
    real: Site,
) -> None:
    item = agenda_item(real, "item-8")
    assert words(item) == (
        "8. Contract dispute Report of the Director of Finance. Exempt This item is not for"
        " publication: it contains exempt information under paragraph 3 of Part 1 of Schedule"
        " 12A to the Local Government Act 1972 (information relating to the financial or"
        " business affairs of any particular person (including the authority holding that"
        " information)). For Decision (Pages 23 - 30)"
    )
    assert item.find("a") is None
    for page in real.html_files():
        html = page.read_text(encoding="utf-8")
        for secret in ("SECRETDESCRIPTION", "SECRETTITLE", "SECRETSUMMARY", "SECRETBODY"):
            assert secret not in html, (secret, page)


# --- point 4: reports as officers write them ------------------------------------------------


def test_the_officers_own_paragraph_numbers_are_kept_with_anchors(real: Site) -> None:
    main = real.article("reports/treasury-report-march/").select_one(".cp-main-text")
    numbered = [(p["id"], words(p)) for p in main.select("p.cp-para")]
    assert numbered == [
        ("para-1-1", "1.1 The strategy was approved in February."),
        ("para-4-3", "4.3 Raise the limit for the money market funds."),
        ("para-9-5", "9.5 Review the limits again in September."),
    ]
    unnumbered = [p for p in main.find_all("p") if "cp-para" not in (p.get("class") or [])]
    assert [words(p) for p in unnumbered] == ["A paragraph the officer did not number."]
    auto = real.article("reports/treasury-annex-march/").select("p.cp-para")
    assert [(p["id"], words(p)) for p in auto] == [
        ("para-1", "1. First paragraph."),
        ("para-2", "2. Second paragraph."),
    ]


def test_recommendations_keep_their_lead_in_and_numbering_style(real: Site) -> None:
    page = real.article("reports/treasury-report-march/")
    heading = page.find(id="recommendations")
    assert words(heading.find_next("p")) == "It is recommended that the Committee:"
    items = [words(li) for li in page.select("ul.cp-recommendations li")]
    assert items == ["(a) Notes the update.", "(b) Approves the revised limits."]


def test_the_cover_names_authors_report_of_and_executive_fields(real: Site) -> None:
    page = real.article("reports/treasury-report-march/")
    cover = {words(tr.th): words(tr.td) for tr in page.select("#cover tr")}
    assert cover["Report number"] == "Report No. 17"
    assert cover["Report of"] == "Andrew Cole, Director of Finance and Section 151 Officer"
    assert cover["Report authors"] == (
        "Paul Renshaw , Audit and Risk Manager; Jo Bell, Treasury Adviser, Link Group"
    )
    assert cover["Portfolio"] == "Finance"
    assert cover["Cabinet member"] == "Cllr Daniel Price"
    assert cover["Lead officer"] == "Andrew Cole, Director of Finance and Section 151 Officer"
    assert cover["Origin of item"] == "Requested by the Committee in November 2025."
    # Its exempt companion is absent from the public papers, so not even its title shows.
    assert "Exempt companion report" not in cover
    recs_from = page.find(id="recommendations-from")
    assert words(recs_from) == "Recommendations from Joint Waste Committee"
    assert words(recs_from.find_next("p")) == "Made on Sunday 1 February 2026."


def test_implications_are_named_sections_and_background_papers_none(real: Site) -> None:
    page = real.article("reports/treasury-report-march/")
    assert [words(h) for h in page.select("h3[id^=implications-]")] == [
        "Financial implications",
        "Legal implications",
        "Equalities implications",
        "Risk implications",
        "Staff consultation",
    ]
    assert words(page.find(id="implications-risk").find_next("p")) == (
        "Counterparty risk is unchanged."
    )
    assert words(page.find(id="background-papers").find_next("p")) == "None."


def test_a_table_without_caption_is_named_by_its_heading_and_check_only_warns(
    real: Site, tmp_path: Path
) -> None:
    main = real.article("reports/treasury-report-march/").select_one(".cp-main-text")
    table = main.find("table")
    assert table.find("caption") is None
    assert table["aria-labelledby"] == "proposals"
    assert words(main.find(id="proposals")) == "Proposals"
    data = real_council(tmp_path / "data")
    _, problems, _ = load_with_problems(data)
    assert not problems
    assert [(p.field, p.level) for p in problems.warnings] == [("table", "warning")]
    result = papers_command("check", "--data", str(data))
    assert result.returncode == 0 and result.stdout.startswith("OK: ")
    assert result.stderr.count(": warning: table: this table has no caption") == 1


# --- point 5: a report's route without stub meetings -----------------------------------------


def test_the_route_merges_meetings_and_bodies_outside_the_data_in_date_order(real: Site) -> None:
    route = real.article("reports/treasury-report-march/").select("ul.cp-route li")
    assert [words(li) for li in route] == [
        "Safer Streets Partnership , Monday 2 February 2026",
        "Audit and Governance Committee, Wednesday 4 March 2026 , item 4: For Information",
        "Joint Waste Committee, Friday 20 March 2026: Noted",
    ]
    assert route[0].a["href"] == "../../committees/safer-streets/"
    assert not (real.root / "meetings" / "2026-03-20-joint-waste").exists()


# --- point 6: minutes as clerks write them --------------------------------------------------


def test_minute_numbers_run_on_and_blocks_keep_the_order_written(real: Site) -> None:
    minutes = real.article(f"meetings/{MEETING}/minutes/")
    numbers = [
        words(h.find(class_="cp-item-number")) for h in minutes.select("section.cp-minute h2")
    ]
    assert numbers == ["57.", "58.", "59.", "60.", "61."]
    minute = minutes.find(id="minute-4")
    assert words(minute) == (
        "59. Treasury and risk First the officer spoke. Question Are the funds safe? Answer"
        " They are rated AAA. RESOLVED: That the update be noted. Then members debated the"
        " limits. RESOLVED: That the limits be approved. That they be reviewed in September."
        " RECOMMENDED to Planning Committee: That the Planning Committee note the strategy."
    )


def test_late_arrival_and_early_leaving_are_minuted(real: Site) -> None:
    minutes = real.article(f"meetings/{MEETING}/minutes/")
    attendance = minutes.find(id="in-attendance").find_next("ul")
    assert words(attendance) == (
        "Andrew Cole : Director of Finance and Section 151 Officer"
        " (arrived during minute 59; left after minute 60)"
    )


def test_an_item_moved_into_part_2_and_exempt_minutes_show_only_their_public_summary(
    real: Site,
) -> None:
    minutes = real.article(f"meetings/{MEETING}/minutes/")
    assert words(minutes.find(id="minute-5")) == (
        "60. Annual report of the fraud panel Exempt The meeting moved this item into Part 2 and"
        " considered it with the public excluded. Public summary: The committee noted the report"
        " of the fraud panel in private."
    )
    assert words(minutes.find(id="minute-8")).endswith(
        "Public summary: The committee agreed how to settle the dispute."
    )
    for page in real.html_files():
        html = page.read_text(encoding="utf-8")
        assert "SECRETMOVED" not in html and "SECRETMINUTE" not in html, page


def test_apologies_and_declarations_are_shown_once_in_their_minutes(real: Site) -> None:
    minutes = real.article(f"meetings/{MEETING}/minutes/")
    assert minutes.find(id="apologies") is None and minutes.find(id="declarations") is None
    assert (
        words(minutes.find(id="minute-apologies")) == "57. Apologies for absence Cllr Fiona MacLeod"
    )
    assert words(minutes.find(id="minute-declarations")) == (
        "58. Declarations of interest Declarations of interest Member Item Interest"
        " Cllr James Boateng 4"
        " Director of a fund manager."
    )
    assert words(minutes).count("Fiona MacLeod") == 1


# --- point 7: bodies and people -------------------------------------------------------------


def test_body_kinds_and_a_sub_committee_under_its_parent(real: Site) -> None:
    rows = real.article("committees/").select("tbody tr")
    listed = [(words(tr.th), words(tr.find("td"))) for tr in rows]
    parent = listed.index(("Audit and Governance Committee", "Committee"))
    assert listed[parent + 1] == (
        "↳ Audit Appeals Sub-Committee , part of Audit and Governance Committee",
        "Sub-committee",
    )
    kinds = dict(listed)
    assert kinds["Joint Waste Committee"] == "Joint committee"
    assert kinds["Safer Streets Partnership"] == "Partnership"
    assert kinds["Harbour Trust"] == "Other"
    facts = real.article("committees/audit-governance/").select_one("dl.cp-facts")
    assert "Sub-committees Audit Appeals Sub-Committee" in words(facts)


def test_role_titles_and_honorifics_as_the_council_words_them(real: Site) -> None:
    rows = real.article("committees/audit-governance/").select(".cp-membership tbody tr")
    shown = {words(tr.td): words(tr.find_all("td")[1]) for tr in rows}
    assert shown["Cllr Peter Goodwin"] == "Chairman"
    assert shown["Alderman Rosa King"] == "Member"
    assert words(real.article("people/rosa-king/").find("h1")) == "Alderman Rosa King"


# --- the demo: reports in the house styles of seeds 002 and 004 ------------------------------


def test_demo_report_in_the_style_of_seed_002(site: Site) -> None:
    page = site.article("reports/housing-regulator-inspection-2026/")
    numbers = [p["id"] for p in page.select("p.cp-para")]
    assert numbers == [
        "para-1-1",
        "para-2-1",
        "para-2-2",
        "para-4-1",
        "para-4-2",
        "para-4-3",
        "para-4-4",
        "para-9-1",
        "para-9-5",
    ]
    assert (
        words(page.find(id="recommendations").find_next("p")) == "It is recommended that Cabinet:"
    )
    cover = {words(tr.th): words(tr.td) for tr in page.select("#cover tr")}
    assert cover["Cabinet member"] == "Cllr Priya Sharma, Cabinet Member for Housing"
    assert cover["Report of"] == "Samuel Oduya, Director of Housing and Communities"
    assert words(page.find(id="background-papers").find_next("p")) == "None."


def test_demo_report_in_the_style_of_seed_004(site: Site) -> None:
    page = site.article("reports/housing-improvement-plan-scrutiny/")
    markers = [words(m) for m in page.select(".cp-rec-marker")]
    assert markers == ["i)", "ii)", "iii)"]
    assert words(page.find(id="recommendations").find_next("p")) == "Members are invited to:"
    cover = {words(tr.th): words(tr.td) for tr in page.select("#cover tr")}
    assert cover["Lead officer"] == "Samuel Oduya, Director of Housing and Communities"
    assert cover["Origin of item"].startswith("This item follows the inspection")
    assert [words(h) for h in page.select("h3[id^=implications-]")] == [
        "Financial implications",
        "Legal implications",
        "Equalities implications",
        "Risk implications",
    ]
    agenda = site.article("meetings/2026-12-01-cabinet/")
    assert [words(h) for h in agenda.select("h4.cp-agenda-heading")] == ["Housing"]


def test_demo_data_still_checks_clean() -> None:
    _, problems, _ = load_with_problems(DATA)
    assert list(problems) == []


# --- bad input in the new fields: one clear message each -------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('pages: "7-22"', 'pages: "seven"', "agenda[3].pages",
         "'seven' is not a page range (expected the printed pages, e.g. 7-22 or 7)"),
        ("    to_follow: true\n", "    kind: report\n", "agenda[4]",
         "an item of kind 'report' names the report it presents (report:), or says the report"
         " is to follow (to_follow: true)"),
        ("reports: [treasury-annex-march]", "reports: [treasury-annex-march, no-such-report]",
         "agenda[3].reports",
         "no report with id 'no-such-report' in any meeting folder"),
        ("file: minutes-2025-11-12.txt}", "file: missing.pdf}", "agenda[2].earlier_minutes.file",
         "file 'missing.pdf' does not exist in"),
    ],
)  # fmt: skip
def test_bad_agenda_fields_are_reported_plainly(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    data = real_council(tmp_path / "data")
    meeting = data / "meetings" / MEETING / "meeting.yml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _, problems, _ = load_with_problems(data)
    found = [p for p in problems.errors if p.field == field]
    assert len(found) == 1, [str(p) for p in problems]
    assert found[0].message.startswith(message)
    # A meeting file that fails leaves its reports on no agenda: that echo is all else said.
    others = {p.message for p in problems.errors} - {found[0].message}
    assert all(m.endswith("is not on the agenda of any meeting") for m in others), others


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("      - resolved: That the update be noted.",
         "      - {resolved: That the update be noted., text: And more.}",
         "items[2].content[2]",
         "a block of a minute is one of: text, question (with answer), resolved"),
        ('arrived_during: "59"', 'arrived_during: "99"', "in_attendance[0].arrived_during",
         "there is no minute 99 in these minutes"),
    ],
)  # fmt: skip
def test_bad_minutes_fields_are_reported_plainly(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    data = real_council(tmp_path / "data")
    minutes = data / "meetings" / MEETING / "minutes.yml"
    minutes.write_text(minutes.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _, problems, _ = load_with_problems(data)
    assert [(p.field, p.message) for p in problems.errors] == [(field, message)]


def test_members_see_the_exempt_companion_named_and_marked(tmp_path: Path) -> None:
    data = real_council(tmp_path / "data")
    members = Site(build_site(tmp_path / "members", data_dir=data, audience="members"))
    page = members.article("reports/treasury-report-march/")
    cover = {words(tr.th): words(tr.td) for tr in page.select("#cover tr")}
    assert cover["Exempt companion report"] == (
        "Contract dispute SECRETTITLE (not for publication)"
    )
    exempt = members.article("reports/treasury-exempt-march/")
    cover = {words(tr.th): words(tr.td) for tr in exempt.select("#cover tr")}
    assert cover["Public companion report"] == "Treasury strategy update"
