"""Decisions: deadlines with known answers, the checks of `papers check`, and the pages.

Dates are worked by hand from the 2026-27 calendar of England: Good Friday 3 April 2026,
Easter Monday 6 April 2026, Christmas Day Friday 25 December 2026, Boxing Day (substitute)
Monday 28 December 2026, New Year's Day Friday 1 January 2027.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import AS_OF, DATA, ROOT, Site, copy_data, edit

from committee_papers import decisions
from committee_papers.load import load_with_problems
from committee_papers.model import DecisionMakerKind, Papers
from committee_papers.policy import Audience, Policy
from committee_papers.render import Renderer
from committee_papers.workdays import clear_days, latest_notice

TODAY = dt.date.fromisoformat(AS_OF)
D = dt.date.fromisoformat


def words(element: BeautifulSoup | None) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


@pytest.fixture(scope="module")
def public(papers: Papers) -> Policy:
    return Policy(papers, Audience.public, TODAY)


# --- day counting ---------------------------------------------------------------------------


def test_clear_days_under_the_2012_regulations_are_calendar_days() -> None:
    # Both ends left out, weekends and bank holidays counted.
    assert clear_days(D("2026-08-25"), D("2026-09-15")) == 20
    assert clear_days(D("2026-12-24"), D("2026-12-29")) == 4
    assert latest_notice(D("2026-09-15"), 28) == D("2026-08-17")
    assert clear_days(latest_notice(D("2026-09-15"), 28), D("2026-09-15")) == 28
    assert latest_notice(D("2026-09-15"), 5) == D("2026-09-09")


@pytest.mark.parametrize(
    ("published", "deadline", "effective"),
    [
        # Thursday: Friday, Monday to Thursday.
        ("2026-11-19", "2026-11-26", "2026-11-27"),
        # Over Easter: Good Friday and Easter Monday left out.
        ("2026-04-01", "2026-04-10", "2026-04-13"),
        # Over Christmas and New Year: 25, 28 December and 1 January left out.
        ("2026-12-24", "2027-01-05", "2027-01-06"),
        # Friday: the weekend left out.
        ("2026-10-02", "2026-10-09", "2026-10-12"),
    ],
)
def test_call_in_deadline_and_effective_date(
    papers: Papers, published: str, deadline: str, effective: str
) -> None:
    dates = decisions.call_in_dates(
        papers,
        D(published),
        kind=DecisionMakerKind.executive,
        key=False,
        made=D(published),
        published=D(published),
    )
    assert (dates.deadline, dates.effective) == (D(deadline), D(effective))
    assert dates.status == "call-in period"
    after = decisions.call_in_dates(
        papers,
        D(deadline) + dt.timedelta(days=1),
        kind=DecisionMakerKind.executive,
        key=False,
        made=D(published),
        published=D(published),
    )
    assert after.status == "effective"


def test_committee_and_non_key_officer_decisions_take_effect_when_made(papers: Papers) -> None:
    for kind in (DecisionMakerKind.committee, DecisionMakerKind.officer):
        dates = decisions.call_in_dates(
            papers, TODAY, kind=kind, key=False, made=D("2026-11-02"), published=None
        )
        assert (dates.status, dates.deadline, dates.effective) == (
            "effective",
            None,
            D("2026-11-02"),
        )


def test_demo_decision_statuses(papers: Papers, public: Policy) -> None:
    rows = {d.id: d for d in decisions.register(papers, public)}
    relief = rows["discretionary-rate-relief-2027"]
    assert relief.dates == decisions.CallInDates("call-in period", D("2026-11-26"), D("2026-11-27"))
    fees = rows["fees-and-charges-2026-27"]
    # Called in on 28 January; scrutiny took no further action on 10 February.
    assert fees.dates == decisions.CallInDates("effective", D("2026-01-29"), D("2026-02-10"))
    depot = rows["tanners-lane-depot-disposal"]
    assert depot.dates == decisions.CallInDates("effective", D("2026-03-26"), D("2026-03-27"))
    urgent = rows["emergency-temporary-accommodation-2026"]
    assert (urgent.dates.status, urgent.dates.deadline) == ("effective", None)
    assert rows["christmas-parking-2026"].kind is DecisionMakerKind.officer


def test_a_call_in_awaiting_scrutiny_holds_the_decision(papers: Papers) -> None:
    record = papers.decisions["fees-and-charges-2026-27"]
    on = decisions.call_in_dates(
        papers,
        D("2026-02-01"),
        kind=record.maker_kind,
        key=record.key,
        made=record.date,
        published=record.published,
        record=record,
    )
    assert (on.status, on.effective) == ("called in", None)


# --- papers check ---------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data", DATA)


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def problems_for(data: Path) -> list[str]:
    _, problems, _ = load_with_problems(data)
    return [str(p) for p in problems]


def only(data: Path, where: str, field: str) -> str:
    found = problems_for(data)
    matching = [p for p in found if where in p and f": {field}: " in p]
    assert len(found) == 1 and matching, "\n".join(found)
    return matching[0]


def drop_notice(data: Path, kind: str, subject: str) -> None:
    path = data / "notices.yml"
    blocks = path.read_text(encoding="utf-8").split("\n- ")
    kept = [b for b in blocks if not (f"kind: {kind}\n" in b and subject in b)]
    assert len(kept) == len(blocks) - 1
    path.write_text("\n- ".join(kept), encoding="utf-8")


def test_key_decision_too_soon_after_the_forward_plan(data: Path) -> None:
    drop_notice(data, "general-exception", "FP/2026/11")
    line = line_of(data / "forward-plan.yml", "first_published: 2026-08-25")
    message = only(data, f"forward-plan.yml:{line}", "FP/2026/11.first_published")
    assert "only 20 clear days" in message
    assert "published by 2026-08-17" in message and "2026-09-09" in message


def test_late_general_exception_notice_names_its_last_day(data: Path) -> None:
    line = edit(data / "notices.yml", "published: 2026-09-07", "published: 2026-09-12")
    message = only(data, f"notices.yml:{line}", "[2].published")
    assert "the last day to publish it was 2026-09-09" in message


def test_special_urgency_with_the_chairs_agreement_excuses_a_late_entry(data: Path) -> None:
    drop_notice(data, "general-exception", "FP/2026/11")
    with (data / "notices.yml").open("a", encoding="utf-8") as notices:
        notices.write(
            "- kind: special-urgency\n  published: 2026-09-14\n  forward_plan: FP/2026/11\n"
            "  reason: The tariffs must be set this month.\n"
            "  chair: susan-kerr\n  chair_agreed: 2026-09-14\n"
        )
    assert problems_for(data) == []


def test_special_urgency_needs_the_chairs_agreement(data: Path) -> None:
    edit(data / "notices.yml", "  chair: susan-kerr\n  chair_agreed: 2026-09-30\n", "")
    line = line_of(data / "notices.yml", "- kind: special-urgency")
    found = problems_for(data)
    expected = f"notices.yml:{line}: [3]: a special-urgency notice records the chair's"
    assert any(expected in p for p in found), found


def test_key_officer_decision_without_notice_is_reported(data: Path) -> None:
    drop_notice(data, "special-urgency", "FP/2026/14")
    message = only(data, "forward-plan.yml", "FP/2026/14.first_published")
    assert "'emergency-temporary-accommodation-2026' on 2026-10-02" in message
    assert "only 3 clear days" in message and "2026-09-03" in message


def test_private_meeting_needs_notices_28_and_5_clear_days_ahead(data: Path) -> None:
    drop_notice(data, "private-meeting", "2026-03-17-cabinet")
    meeting = data / "meetings/2026-03-17-cabinet/meeting.yml"
    line = line_of(meeting, "    part: 2")
    message = only(data, f"meeting.yml:{line}", "agenda[7].part")
    assert "private-meeting notice 28 clear days" in message and "2026-02-16" in message


def test_late_final_private_meeting_notice(data: Path) -> None:
    line = edit(data / "notices.yml", "published: 2026-03-09", "published: 2026-03-13")
    message = only(data, f"notices.yml:{line}", "[1].published")
    assert "5 clear days" in message and "2026-03-11" in message


def test_call_in_after_the_period(data: Path) -> None:
    path = data / "decisions/fees-and-charges-2026-27.yml"
    line = edit(path, "requested: 2026-01-28", "requested: 2026-01-30")
    message = only(data, f"fees-and-charges-2026-27.yml:{line}", "call_in.requested")
    assert "the last day to call it in was 2026-01-29" in message


def test_exempt_minute_needs_public_wording_of_the_decision(data: Path) -> None:
    path = data / "decisions/tanners-lane-depot-disposal.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("decision: To sell")
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    message = only(data, "tanners-lane-depot-disposal.yml", "decision")
    assert "minute 8" in message and "exempt" in message


VOTE = "meetings/2026-02-25-council/minutes.yml"


def test_a_member_who_gave_apologies_cannot_vote(data: Path) -> None:
    line = edit(data / VOTE, "abstain: [carol-dempsey,", "abstain: [harry-lim, carol-dempsey,")
    found = problems_for(data)
    assert any(
        f"minutes.yml:{line}: items[4].resolutions[0].vote.abstain[0]: harry-lim gave apologies"
        in p
        for p in found
    ), found
    # harry-lim is also in absent: recorded twice
    assert any("harry-lim is recorded more than once" in p for p in found), found


def test_a_member_not_present_cannot_vote(data: Path) -> None:
    # Andrew Cole, Director of Finance, was in attendance, not present as a member.
    line = edit(data / VOTE, "against: [james-boateng,", "against: [andrew-cole, james-boateng,")
    message = only(data, f"minutes.yml:{line}", "items[4].resolutions[0].vote.against[0]")
    assert "andrew-cole is not recorded as present" in message


def test_a_member_cannot_vote_twice(data: Path) -> None:
    line = edit(data / VOTE, "against: [james-boateng,", "against: [ruth-okafor, james-boateng,")
    found = problems_for(data)
    assert any(
        f"minutes.yml:{line}: items[4].resolutions[0].vote.against[0]: ruth-okafor is recorded "
        "more than once" in p
        for p in found
    ), found


def test_a_result_that_does_not_match_the_counts(data: Path) -> None:
    line = edit(data / VOTE, "result: carried", "result: lost")
    message = only(data, f"minutes.yml:{line}", "items[4].resolutions[0].vote.result")
    assert "9 for, 4 against" in message and "expected carried" in message


def test_demo_votes_counts_and_choices(papers: Papers) -> None:
    entry = papers.meetings["2026-02-25-council"].minutes.for_item("5")
    vote = entry.resolutions[0].vote
    assert (len(vote.for_), len(vote.against), len(vote.abstain), len(vote.absent)) == (9, 4, 4, 1)
    assert vote.outcome.value == "carried"
    assert dict(vote.choices())["owen-pryce"] == "abstain"


# --- pages ----------------------------------------------------------------------------------


def test_outcome_of_each_item_on_the_meeting_page(site: Site) -> None:
    page = site.article("meetings/2026-09-15-cabinet/")
    outcomes = {
        li["id"]: words(li.select_one(".cp-item-outcome .cp-outcome"))
        for li in page.select("li.cp-item")
    }
    assert outcomes["item-5"] == "Noted" and outcomes["item-6"] == "Agreed"
    assert outcomes["item-7"] == ""  # no resolutions, no outcome
    link = page.select_one("#item-6 .cp-item-outcome a")["href"]
    assert link == "../../meetings/2026-09-15-cabinet/minutes/#minute-6-resolution-1"
    minutes = site.article("meetings/2026-09-15-cabinet/minutes/")
    assert words(minutes.find(id="minute-6-resolution-1")).startswith("That the Town Centre")


def test_report_page_shows_what_every_body_did(site: Site) -> None:
    route = site.article("reports/tenancy-strategy-2026/").select(".cp-route li")
    seen = [(li.find("a").get_text(), words(li.select_one(".cp-outcome"))) for li in route]
    assert [outcome for _, outcome in seen] == ["Agreed", "Agreed", "Noted"]
    assert [name.split(",")[0] for name, _ in seen] == [
        "Housing Scrutiny Sub-Committee",
        "Cabinet",
        "Council",
    ]
    for li in route:
        href = li.select_one(".cp-route-outcome a")["href"]
        path, anchor = href.split("#")
        target = site.article(path.removeprefix("../../"))
        assert target.find(id=anchor) is not None, href


def test_issue_history_in_date_order(site: Site) -> None:
    steps = [
        words(li) for li in site.article("issues/tenancy-strategy-2026/").select(".cp-history li")
    ]
    assert steps == [
        "24 April 2026 : added to the forward plan as key decision FP/2026/09.",
        "12 May 2026 : Housing Scrutiny Sub-Committee , item 3: Agreed ( minute 3 ).",
        "16 June 2026 : Cabinet , item 6: Agreed ( minute 6 ).",
        "15 July 2026 : Council , item 8a: Noted ( minute 8a ).",
    ]
    called_in = words(site.article("issues/fees-and-charges-2026-27/"))
    assert "28 January 2026 : called in by scrutiny: No further action" in called_in


def test_register_lists_every_public_decision(site: Site, papers: Papers, public: Policy) -> None:
    page = site.article("decisions/")
    rows = page.select("#decision-register tbody tr")
    expected = decisions.register(papers, public)
    assert len(rows) == len(expected) >= 30
    assert page.select_one("#decision-register caption") is not None
    by_title = {words(r.find("th")): r for r in rows}
    parking = by_title["Town Centre Parking Strategy 2026-2031 Item 6"]
    assert (parking["data-body"], parking["data-year"]) == ("cabinet", "2026")
    assert (parking["data-type"], parking["data-key"]) == ("executive", "key")
    links = {a.get_text(): a["href"] for a in parking.select("a")}
    assert links["Minutes"] == "../meetings/2026-09-15-cabinet/minutes/#minute-6-resolution-1"
    assert links["Decision record"] == "../decisions/town-centre-parking-strategy/"
    assert links["Report"] == "../reports/town-centre-parking-strategy/"
    relief = by_title["Discretionary business rate relief policy from April 2027"]
    assert "Call-in period" in words(relief)
    # Procedural items (apologies, approving minutes) are not decisions readers look for.
    assert not any(t.startswith("Minutes of the previous meeting") for t in by_title)


def test_register_filters_are_labelled_and_scripted_from_a_file(site: Site) -> None:
    page = site.page("decisions/")
    form = page.select_one("#decision-filters")
    assert form.has_attr("hidden")  # the plain table without the script
    for select in form.select("select"):
        assert page.select_one(f'label[for="{select["id"]}"]') is not None
    assert {s["data-filter"] for s in form.select("select")} == {"body", "year", "type", "key"}
    assert page.select_one("article script") is None
    sources = [s.get("src", "") for s in page.select("script")]
    assert any(src.endswith("assets/decisions-filter.js") for src in sources)
    assert (site.root / "assets/decisions-filter.js").is_file()


def test_forward_plan_month_and_notices(site: Site) -> None:
    march = site.article("forward-plan/2026-03/")
    rows = {words(r.find("td")): words(r) for r in march.select("tbody tr")}
    assert set(rows) == {"FP/2026/03", "FP/2026/04"}
    assert "May be private: paragraph 3" in rows["FP/2026/04"]
    notices = site.article("notices/")
    private = notices.find(id="private-meeting-2026-03-17-cabinet")
    assert "Item 8: Disposal of the former depot, Tanners Lane" in words(private)
    urgent = words(notices.find(id="special-urgency-fp-2026-14"))
    assert "Cllr Susan Kerr" in urgent and "30 September 2026" in urgent


def test_decision_record_with_call_in(site: Site) -> None:
    page = site.article("decisions/fees-and-charges-2026-27/")
    facts = words(page.select_one("dl.cp-facts"))
    assert "Call-in period ends Thursday 29 January 2026" in facts
    assert "Effective from Tuesday 10 February 2026" in facts
    call_in = words(page.find(id="call-in").find_next("dl"))
    assert "Called in Wednesday 28 January 2026 by Cllr Harry Lim" in call_in
    assert "No further action: the decision stands (Tuesday 10 February 2026)" in call_in


def test_votes_on_minutes_and_member_page(site: Site) -> None:
    minutes = site.article("meetings/2026-02-25-council/minutes/")
    table = minutes.select_one("#minute-5 table.cp-vote")
    assert words(table.caption) == (
        "Recorded vote on resolution 5.1: Carried, 9 for, 4 against, 4 abstaining, 1 absent"
    )
    assert len(table.select("tbody tr")) == 18
    person = site.article("people/owen-pryce/")
    row = person.find(id="votes").find_next("table").select_one("tbody tr")
    assert [words(td) for td in row.find_all("td")][2:] == ["Abstain", "Carried"]


# --- exempt decisions -------------------------------------------------------------------------

DEPOT = DATA / "decisions" / "tanners-lane-depot-disposal.yml"


def _withheld(papers: Papers) -> list[str]:
    record = papers.decisions["tanners-lane-depot-disposal"]
    secrets = [
        "exceeded the independent valuation by a clear margin",
        "Retaining the depot for a council housing scheme",
    ]
    assert secrets[0] in " ".join(record.reasons.split())
    assert secrets[1] in " ".join(record.alternatives.split())
    return secrets


def test_exempt_decision_shows_the_decision_and_the_paragraph_only(
    site: Site, papers: Papers
) -> None:
    page = site.article("decisions/tanners-lane-depot-disposal/")
    text = words(page)
    assert "To sell the freehold of the former Tanners Lane depot" in text
    assert "paragraph 3 of Part 1 of Schedule 12A" in text
    assert page.find(id="reasons") is None and page.find(id="alternatives") is None
    for secret in _withheld(papers):
        for path in site.root.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".json", ".xml", ".js"}:
                assert secret not in " ".join(path.read_text("utf-8").split()), path


def test_members_see_the_reasons_of_an_exempt_decision(papers: Papers) -> None:
    members = Policy(papers, Audience.members, TODAY)
    html = Renderer(papers, members, [ROOT / "macros"]).call(
        "decisions.html", "record_page", "../../", papers.decisions["tanners-lane-depot-disposal"]
    )
    page = BeautifulSoup(str(html), "lxml")
    assert page.find(id="reasons") is not None
    assert "Not for publication" in words(page)
    assert _withheld(papers)[0] in words(page)


def test_the_leak_guard_knows_the_withheld_reasons(papers: Papers) -> None:
    from committee_papers.guard import secrets
    from committee_papers.projection import project

    shown = project(papers, Policy(papers, Audience.public, TODAY))
    assert shown.decisions["tanners-lane-depot-disposal"].reasons is None
    assert shown.decisions["town-centre-parking-strategy"].reasons is not None
    assert "discretionary-rate-relief-2027" in shown.decisions
    withheld = secrets(papers, shown).papers
    assert any("exceeded the independent valuation" in fragment for fragment in withheld)
    town = " ".join(shown.decisions["town-centre-parking-strategy"].reasons.split()).casefold()
    assert not any(fragment in town for fragment in withheld if len(fragment) > 30)


def test_bad_decision_files_are_reported_with_file_line_and_field(data: Path) -> None:
    relief = data / "decisions/discretionary-rate-relief-2027.yml"
    line = edit(relief, "maker: daniel-price", "maker: danny-price")
    message = only(data, f"discretionary-rate-relief-2027.yml:{line}", "maker")
    assert "no body or person with id 'danny-price'" in message
    edit(relief, "maker: danny-price", "maker: daniel-price")
    text = relief.read_text(encoding="utf-8")
    start = text.index("decision: To adopt")
    relief.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    assert "a decision taken outside a meeting states it (decision:)" in " ".join(
        problems_for(data)
    )


def test_forward_plan_that_is_not_a_mapping(data: Path) -> None:
    (data / "forward-plan.yml").write_text("- FP/2026/01\n", encoding="utf-8")
    found = problems_for(data)
    assert any(
        "forward-plan.yml:" in p and "expected a mapping of forward-plan references" in p
        for p in found
    ), found


def test_recorded_vote_in_the_register(site: Site) -> None:
    rows = site.article("decisions/").select("#decision-register tbody tr")
    budget = next(r for r in rows if words(r.find("th")).startswith("Revenue Budget and Council"))
    assert "Recorded vote on resolution 1: Carried, 9 for, 4 against, 4 abstaining, 1 absent" in (
        words(budget)
    )


def test_recorded_vote_on_a_decision_record(papers: Papers, public: Policy) -> None:
    from committee_papers.model import DecisionRecord

    record = DecisionRecord(
        id="budget-2026-27",
        title="Budget and council tax 2026/27",
        maker_kind="committee",
        maker="council",
        date="2026-02-25",
        meeting="2026-02-25-council",
        item="5",
    )
    html = Renderer(papers, public, [ROOT / "macros"]).call(
        "decisions.html", "record_page", "../../", record
    )
    caption = BeautifulSoup(str(html), "lxml").select_one("table.cp-vote caption")
    assert words(caption) == (
        "Recorded vote on resolution 1: Carried, 9 for, 4 against, 4 abstaining, 1 absent"
    )


def test_the_register_is_made_once_and_read_by_year(papers: Papers, public: Policy) -> None:
    whole = decisions.register(papers, public)
    assert decisions.register_once(papers, public) == whole
    assert decisions.register_once(papers, public) is decisions.register_once(papers, public)
    years = {d.year for d in whole}
    assert len(years) > 1
    for year in years | {1999}:
        assert decisions.register_of_year(papers, public, year) == [
            d for d in whole if d.year == year
        ]
    # Another audience (another policy) gets its own register.
    members = Policy(papers, Audience.members, public.as_of)
    assert decisions.register_once(papers, members) == decisions.register(papers, members)
