"""The second example council (examples/seed-001), entered from a real agenda pack, builds
with the project's mkdocs.yml and shows the pack's facts as published (issue 13, point 10)."""

from __future__ import annotations

import pytest
from support import AS_OF, ROOT, Site, build_site, papers_command

EXAMPLE = ROOT / "examples" / "seed-001"
MEETING = "meetings/2017-01-26-safeguarding-sub/"

PAGES = {
    "3": "1 - 6", "4": "7 - 22", "5": "23 - 38", "6": "39 - 44", "7": "45 - 72",
    "8": "73 - 78", "9": "79 - 116", "10": "117 - 126", "11": "127 - 140", "12": "141 - 144",
    "16": "145 - 146", "17": "147 - 154", "18": "155 - 170",
}  # fmt: skip


def words(element) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Built as `papers build --data examples/seed-001`, with the project's mkdocs.yml."""
    return Site(
        build_site(tmp_path_factory.mktemp("seed-001") / "site", data_dir=EXAMPLE, as_of=AS_OF)
    )


def test_the_example_checks_clean() -> None:
    result = papers_command("check", "--data", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK: 4 bodies, 2 meetings, 9 reports, 20 people."
    # Items 19 and 20 are Part 2 with no paragraphs printed: withheld, and check says so.
    warned = [line.split(": warning: ")[1] for line in result.stderr.splitlines()]
    assert [w.split(":")[0] for w in warned] == ["agenda[18].exempt", "agenda[19].exempt"]


def test_all_twenty_items_in_order_in_their_parts(example: Site) -> None:
    page = example.article(MEETING)
    parts = {}
    for heading in ("part-1", "part-2"):
        listing = page.find(id=heading).find_next("ul", class_="cp-items")
        parts[heading] = [
            words(li.find(class_="cp-item-number")).rstrip(".")
            for li in listing.find_all("li", class_="cp-item", recursive=False)
        ]
    assert parts == {
        "part-1": [str(n) for n in range(1, 16)],
        "part-2": [str(n) for n in range(16, 21)],
    }
    titles = [words(li.find("h4")) for li in page.select("li.cp-item")]
    assert titles[0] == "Apologies"
    assert titles[5] == "Report: City and Hackney Safeguarding Children Board"
    assert titles[16] == "Family feedback on children and families service"
    assert titles[19] == (
        "Any other business that the Chairman considers urgent and which the committee agree"
        " should be considered whilst the public are excluded"
    )


def test_the_printed_page_ranges_are_shown(example: Site) -> None:
    page = example.article(MEETING)
    shown = {
        li["id"].removeprefix("item-"): words(li.select_one(".cp-pages"))
        for li in page.select("li.cp-item")
        if li.select_one(".cp-pages")
    }
    assert shown == {number: f"(Pages {pages})" for number, pages in PAGES.items()}


def test_an_archive_agenda_is_published_without_a_publication_date(example: Site) -> None:
    page = example.article(MEETING)
    facts = [words(dt) for dt in page.select("dl.cp-facts dt")]
    assert "Agenda published" not in facts
    assert words(page.find("h1")) == (
        "Safeguarding Sub (Community and Children's Services) Committee"
        " Thursday 26 January 2017, 1.45 pm"
    )
    assert (example.root / "reports" / "ofsted-improvement-plan" / "index.html").is_file()


def test_part_2_items_show_titles_and_paragraphs_only(example: Site) -> None:
    item = example.article(MEETING).find(id="item-17")
    assert words(item) == (
        "17. Family feedback on children and families service Report of the Director of"
        " Community and Children's Services. Exempt This item is not for publication: it"
        " contains exempt information under paragraphs 1 and 2 of Part 1 of Schedule 12A to"
        " the Local Government Act 1972 (information relating to any individual; information"
        " which is likely to reveal the identity of an individual). For Information"
        " (Pages 147 - 154)"
    )
    assert item.find("a") is None


def test_the_report_that_went_to_four_bodies(example: Site) -> None:
    page = example.article("reports/chscb-annual-report/")
    route = [words(li) for li in page.select("ul.cp-route li")]
    assert route == [
        "Safeguarding Sub (Community and Children's Services) Committee, Thursday 26 January"
        " 2017 , item 6: For Information",
        "Health and Wellbeing Board , Friday 27 January 2017",
        "Safer City Partnership , Thursday 2 February 2017",
        "Community and Children's Services Committee , Friday 17 February 2017",
    ]
    assert sorted(p.name for p in (example.root / "meetings").iterdir()) == [
        "2016",
        "2016-11-17-safeguarding-sub",
        "2017",
        "2017-01-26-safeguarding-sub",
        "index.html",
    ]
    cover = {words(tr.th): words(tr.td) for tr in page.select("#cover tr")}
    assert cover["Report author"] == (
        "Rory McCallum, Senior Professional Advisor, City and Hackney Safeguarding Children Board"
    )


def test_the_appendix_provided_electronically(example: Site) -> None:
    page = example.article("reports/chscb-annual-report/appendix-1/")
    assert words(page.find("h1")) == "Appendix 1: CHSCB Annual Report"
    assert words(page.select_one(".cp-item-note")) == "To be provided electronically."


def test_members_with_honorifics_and_the_councils_role_words(example: Site) -> None:
    rows = example.article("committees/safeguarding-sub/").select(".cp-membership tbody tr")
    shown = [(words(tr.td), words(tr.find_all("td")[1])) for tr in rows]
    assert shown[:2] == [
        ("Gareth Moore", "Chairman"),
        ("Deputy Elizabeth Rogula", "Deputy Chairman"),
    ]
    names = {name for name, _ in shown}
    assert {"Professor John Lumley", "Deputy Joyce Nash"} <= names
    committees = [words(tr.th) for tr in example.article("committees/").select("tbody tr")]
    parent = committees.index("Community and Children's Services Committee")
    assert committees[parent + 1].startswith("↳ Safeguarding Sub")


def test_the_earlier_minutes_show_the_non_public_summary_only(example: Site) -> None:
    minutes = example.article("meetings/2016-11-17-safeguarding-sub/minutes/")
    assert words(minutes.find(id="minute-13")).endswith(
        "Public summary: Members received a report on the performance of the City\u2019s"
        " safeguarding function."
    )
    assert words(minutes.select_one(".cp-ended")) == "The meeting ended at 12.45 pm."
    assert words(minutes.select_one(".cp-signature")) == "Chairman: Gareth Moore"


def test_no_trace_of_the_demo_council(example: Site) -> None:
    for path in example.html_files():
        assert "Brackenford" not in path.read_text(encoding="utf-8"), path
