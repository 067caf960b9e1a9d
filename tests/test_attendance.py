"""Attendance and declared interests, from a small council with known answers; and no
withheld text in any calendar, feed or JSON file.

The fixture council has one held meeting of the Audit and Governance Committee (28 January
2026). Two more are added here: one held on 8 July 2026 with apologies, an absence and a
substitute, whose minutes approve January's; and one held on 9 September 2026 whose minutes
are still a draft, so they must not count (or show) in the public build.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from support import build_site, copy_data

from committee_papers.attendance import attendance_of, declarations_of
from committee_papers.load import load
from committee_papers.model import Papers
from committee_papers.policy import Audience, Policy

AS_OF = dt.date(2026, 11, 23)
CANARY_REPORT = "The zqxfollowreport sentence is planted in the text of an exempt report here."
CANARY_DRAFT = "The zqxfollowdraft sentence is planted in minutes that are still a draft."

JULY_MEETING = """\
body: audit-governance
date: 2026-07-08
start: "18:30"
status: held
published: 2026-06-29
agenda:
  - {number: "1", kind: apologies}
  - {number: "2", kind: declarations}
  - {number: "3", kind: minutes, minutes_of: 2026-01-28-audit-governance}
  - {number: "4", title: Annual report of the committee}
"""
JULY_MINUTES = """\
ended: "19:40"
chair: peter-goodwin
present: [peter-goodwin, kwame-mensah, margaret-ellis, harry-lim]
apologies: [james-boateng, beatrice-nolan]
substitutes:
  - {person: harry-lim, for: james-boateng}
declarations:
  - {person: kwame-mensah, item: "4", interest: His partner works for the audit contractor.}
items:
  - {item: "1", text: Apologies were received from Councillors Boateng and Nolan.}
  - {item: "2", text: Councillor Mensah declared the interest recorded above.}
  - item: "3"
    resolutions: [That the minutes of the meeting held on 28 January 2026 be approved.]
  - {item: "4", text: The committee agreed its annual report.}
"""
SEPTEMBER_MEETING = """\
body: audit-governance
date: 2026-09-09
start: "18:30"
status: held
published: 2026-08-28
agenda:
  - {number: "1", kind: apologies}
  - {number: "2", title: Treasury management mid-year review}
"""
SEPTEMBER_MINUTES = f"""\
draft: true
ended: "19:10"
chair: peter-goodwin
present: [peter-goodwin, nikhil-rao, kwame-mensah]
apologies: [margaret-ellis]
declarations:
  - {{person: nikhil-rao, item: "2", interest: "{CANARY_DRAFT}"}}
items:
  - {{item: "1", text: "{CANARY_DRAFT}"}}
  - {{item: "2", text: The committee noted the review.}}
"""

#: person -> (expected, present, apologies, absent, substitute) at audit-governance, public.
KNOWN = {
    "peter-goodwin": (2, 2, 0, 0, 0),
    "nikhil-rao": (2, 1, 0, 1, 0),
    "fiona-macleod": (1, 1, 0, 0, 0),  # left on 30 June 2026
    "kwame-mensah": (1, 1, 0, 0, 0),  # joined on 1 July 2026
    "james-boateng": (2, 1, 1, 0, 0),
    "beatrice-nolan": (2, 1, 1, 0, 0),
    "margaret-ellis": (2, 2, 0, 0, 0),  # co-opted members are expected too
    "harry-lim": (0, 0, 0, 0, 1),  # not a member: attended as a substitute
}


def write(folder: Path, name: str, meeting: str, minutes: str) -> None:
    (folder / name).mkdir()
    (folder / name / "meeting.yml").write_text(meeting)
    (folder / name / "minutes.yml").write_text(minutes)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_data(tmp_path_factory.mktemp("attendance") / "data")
    meetings = folder / "meetings"
    write(meetings, "2026-07-08-audit-governance", JULY_MEETING, JULY_MINUTES)
    write(meetings, "2026-09-09-audit-governance", SEPTEMBER_MEETING, SEPTEMBER_MINUTES)
    exempt = meetings / "2026-01-28-audit-governance" / "debt-write-off-jan-2026.md"
    exempt.write_text(exempt.read_text() + f"\n{CANARY_REPORT}\n")
    return folder


@pytest.fixture(scope="module")
def council(data: Path) -> Papers:
    return load(data)


@pytest.fixture(scope="module")
def public(data: Path) -> Path:
    return build_site(data.parent / "public", data_dir=data, as_of=AS_OF.isoformat())


def counts(papers: Papers, policy: Policy, person: str) -> tuple[int, ...]:
    records = [r for r in attendance_of(papers, policy, papers.people[person])]
    assert [r.body.id for r in records] in ([], ["audit-governance"])
    if not records:
        return (0, 0, 0, 0, 0)
    r = records[0]
    return (len(r.expected), len(r.present), len(r.apologies), len(r.absent), len(r.substitute))


@pytest.mark.parametrize("person", sorted(KNOWN))
def test_attendance_figures_are_the_known_answers(council: Papers, person: str) -> None:
    assert counts(council, Policy(council, as_of=AS_OF), person) == KNOWN[person]


def test_draft_minutes_count_only_for_members(council: Papers) -> None:
    members = Policy(council, Audience.members, AS_OF)
    assert counts(council, members, "nikhil-rao") == (3, 2, 0, 1, 0)
    assert counts(council, members, "margaret-ellis") == (3, 2, 1, 0, 0)


def test_minutes_that_do_not_record_attendance_count_for_nobody(council: Papers) -> None:
    papers = council.model_copy(deep=True)
    papers.meetings["2026-07-08-audit-governance"].minutes.present = None
    policy = Policy(papers, as_of=AS_OF)
    assert counts(papers, policy, "nikhil-rao") == (1, 1, 0, 0, 0)
    assert counts(papers, policy, "harry-lim") == (0, 0, 0, 0, 0)


def test_declarations_come_from_published_minutes(council: Papers) -> None:
    policy = Policy(council, as_of=AS_OF)
    found = declarations_of(council, policy, council.people["kwame-mensah"])
    assert [(m.id, d.item) for m, d in found] == [("2026-07-08-audit-governance", "4")]
    boateng = declarations_of(council, policy, council.people["james-boateng"])
    assert [(m.id, d.item) for m, d in boateng] == [("2026-01-28-audit-governance", "8")]
    assert declarations_of(council, policy, council.people["nikhil-rao"]) == []


def test_person_page_shows_attendance_and_linked_interests(public: Path) -> None:
    page = BeautifulSoup((public / "people/james-boateng/index.html").read_text(), "lxml")
    row = page.select_one("table.cp-attendance tbody tr")
    cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
    assert cells == ["Audit and Governance Committee", "2", "1", "1", "0", "0", "50%"]
    headers = [th.get_text() for th in page.select("table.cp-attendance thead th")]
    assert headers[:4] == ["Body", "Meetings expected", "Attended", "Apologies"]
    link = page.select_one("table.cp-interests a")
    assert link["href"] == "../../meetings/2026-01-28-audit-governance/minutes/#minute-8"
    target = BeautifulSoup(
        (public / "meetings/2026-01-28-audit-governance/minutes/index.html").read_text(), "lxml"
    )
    assert target.find(id="minute-8") is not None


def test_person_json_has_the_same_figures(public: Path) -> None:
    person = json.loads((public / "api/people/harry-lim.json").read_text())
    assert person["attendance"] == [
        {
            "organization_id": "audit-governance",
            "expected": 0,
            "present": 0,
            "apologies": 0,
            "absent": 0,
            "substitute": 1,
        }
    ]
    kwame = json.loads((public / "api/people/kwame-mensah.json").read_text())
    assert [i["event_id"] for i in kwame["interests"]] == ["2026-07-08-audit-governance"]


def test_approved_minutes_enter_the_feed_again_on_approval(public: Path) -> None:
    feed = feedparser.parse((public / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.id.endswith("2026-01-28-audit-governance/minutes/"))
    assert entry.updated.startswith("2026-07-08") and "approved" in entry.title
    assert not any(e.id.endswith("2026-09-09-audit-governance/minutes/") for e in feed.entries)


def test_nothing_withheld_reaches_calendars_feeds_or_json(public: Path) -> None:
    outputs = [p for p in public.rglob("*") if p.suffix in {".ics", ".xml", ".json"}]
    kinds = {p.suffix for p in outputs}
    assert kinds == {".ics", ".xml", ".json"}
    for path in outputs:
        text = path.read_bytes().decode("utf-8")
        if path.suffix == ".ics":
            text = icalendar.Calendar.from_ical(text).to_ical().decode().replace("\r\n ", "")
        assert "zqxfollow" not in text, path
    # The exempt report and the draft minutes have no file of their own either.
    assert not (public / "api/reports/debt-write-off-jan-2026.json").exists()
    september = json.loads((public / "api/meetings/2026-09-09-audit-governance.json").read_text())
    assert september["minutes"] is None


def test_the_guard_reads_calendars_as_text(tmp_path: Path, council: Papers) -> None:
    from committee_papers.guard import check_site
    from committee_papers.projection import project

    site = tmp_path / "site"
    site.mkdir()
    event = icalendar.Event()
    event.add("description", f"Folded over several lines: {CANARY_REPORT} {CANARY_REPORT}")
    cal = icalendar.Calendar()
    cal.add_component(event)
    raw = cal.to_ical()
    assert CANARY_REPORT not in raw.decode()  # 78 characters: always split by a fold
    (site / "leak.ics").write_bytes(raw)
    shown = project(council, Policy(council, as_of=AS_OF))
    leaks = check_site(site, council, shown)
    assert [leak.file for leak in leaks] == ["leak.ics"]
