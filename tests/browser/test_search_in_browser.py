"""The search page in Chromium: filters, the older years on request, and what a reader of a
screen reader or a keyboard gets.

The demo is built as on 23 November 2026; a small council's papers are indexed by year
(searchindex.period_months), so 2026 is searched first and 2025 is older: the first search
must not fetch 2025's indexes, and "Search older papers too" must.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    axe_violations,
    describe,
    focus_state,
    format_violations,
    problem_with_focus,
)

pytestmark = pytest.mark.browser

SEARCH = "/search/"
STATUS = "#cp-search-status"
#: What the first search covers, in words, and the indexes it must not fetch.
RECENT = "2026"
OLDER = ["2025", "2025-lists"]


def finished(page: Any, term: str, scope: str) -> str:
    """Wait until the status reports the search for `term` over `scope`; return it."""
    page.wait_for_function(
        "([term, scope]) => { const s = document.querySelector('#cp-search-status').textContent;"
        " return /^(No results|\\d+ results?) for/.test(s)"
        " && s.includes('\\u201c' + term + '\\u201d')"
        " && (s.endsWith(' in ' + scope + '.') || s.includes(' in ' + scope + ',')); }",
        arg=[term, scope],
    )
    return page.locator(STATUS).inner_text()


def results(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        ".cp-search__result",
        "items => items.map(li => ({title: li.querySelector('h3').innerText,"
        " about: li.querySelector('.cp-search__about').innerText,"
        " excerpt: li.querySelector('.cp-search__excerpt').innerText,"
        " href: new URL(li.querySelector('h3 a').href).pathname}))",
    )


def count(status: str) -> int:
    found = re.match(r"(\d+) results? for", status)
    return int(found.group(1)) if found else 0


def test_filters_by_body_year_kind_and_purpose(desktop: Any, base_url: str) -> None:
    page = desktop
    page.goto(base_url + SEARCH + "?q=audit&year=2026", wait_until="load")
    everything = count(finished(page, "audit", "2026"))
    assert everything > 10

    page.get_by_label("Committee or decision-maker").select_option("Audit and Governance Committee")
    by_body = count(finished(page, "audit", "2026"))
    found = results(page)
    assert 0 < by_body < everything
    assert all("Audit and Governance Committee" in r["about"] for r in found)

    page.get_by_label("Kind of paper").select_option("report")
    found_status = finished(page, "audit", "2026")
    found = results(page)
    assert 0 < count(found_status) < by_body
    assert all(r["about"].startswith("Report · Audit and Governance Committee") for r in found)
    assert all(r["href"].startswith("/reports/") for r in found)

    page.get_by_label("Purpose of a report").select_option("information")
    finished(page, "audit", "2026")
    found = results(page)
    assert found and all(r["about"].endswith("for information") for r in found)

    # The address keeps the search, so it can be shared and comes back on reload.
    query = parse_qs(urlsplit(page.url).query)
    assert query == {
        "q": ["audit"],
        "year": ["2026"],
        "body": ["Audit and Governance Committee"],
        "kind": ["report"],
        "purpose": ["information"],
    }
    page.reload(wait_until="load")
    assert page.get_by_label("Kind of paper").input_value() == "report"
    finished(page, "audit", "2026")
    assert results(page) == found

    # A year searches that year's indexes alone.
    for label in ("Purpose of a report", "Kind of paper", "Committee or decision-maker"):
        page.get_by_label(label).select_option("")
    page.get_by_label("Year").select_option("2025")
    finished(page, "audit", "2025")
    found = results(page)
    assert found and all("· 2025" in r["about"] for r in found)

    # Filters that match nothing say so, in words (minutes have no purpose).
    page.goto(base_url + SEARCH + "?q=audit&kind=minutes&purpose=decision")
    assert finished(page, "audit", RECENT).startswith("No results for")
    assert results(page) == []


def test_minutes_agenda_and_decision_kinds(desktop: Any, base_url: str) -> None:
    page = desktop
    for kind, words in (("minutes", "Minutes"), ("agenda", "Agenda"), ("decision", "Decision")):
        page.goto(base_url + SEARCH + f"?q=council&kind={kind}&year=all", wait_until="load")
        finished(page, "council", "all years")
        found = results(page)
        assert found, kind
        assert all(r["about"].startswith(words) for r in found), (kind, found)


def test_older_years_only_when_the_reader_asks(desktop: Any, base_url: str) -> None:
    page = desktop
    fetched: list[str] = []

    def watch(request: Any) -> None:
        fetched.append(urlsplit(request.url).path)

    page.on("request", watch)
    try:
        page.goto(base_url + SEARCH + "?q=planning", wait_until="load")
        first = finished(page, "planning", RECENT)
        older = [u for u in fetched if u.split("/")[2:3] and u.split("/")[2] in OLDER]
        assert not older, older
        assert [u for u in fetched if u.startswith("/pagefind/2026/")], fetched
        # No filter file is fetched to draw the filters: their values are in the page.
        assert not [u for u in fetched if "/filter/" in u]
        years = {r["about"].split(" · ")[-1] for r in results(page) if "·" in r["about"]}
        assert "2025" not in " ".join(years)

        button = page.get_by_role("button", name="Search older papers too (before 2026)")
        assert button.is_visible()
        note = page.locator("#cp-search-older-note").inner_text()
        assert note.startswith(f"These results are from {RECENT} only."), note
        button.focus()
        page.keyboard.press("Enter")
        status = finished(page, "planning", "all years")
        assert count(status) > count(first)
        for group in OLDER:
            assert [u for u in fetched if u.startswith(f"/pagefind/{group}/")], group
        assert any("2025" in r["about"] for r in results(page)) or count(status) > 10
        assert not button.is_visible()
        # Focus moves to the results' heading, not lost with the hidden button.
        assert page.evaluate("document.activeElement.id") == "cp-search-heading"
        assert parse_qs(urlsplit(page.url).query)["year"] == ["all"]
    finally:
        page.remove_listener("request", watch)


def test_appendix_table_hit_reads_as_cells_and_names_its_report(
    desktop: Any, base_url: str
) -> None:
    page = desktop
    page.goto(base_url + SEARCH + "?q=reconcile&kind=appendix&year=2026", wait_until="load")
    finished(page, "reconcile", "2026")
    hit = results(page)[0]
    assert hit["title"].startswith("Appendix 1 to Internal Audit Progress Report")
    assert hit["about"].startswith("Appendix · Audit and Governance Committee")
    # Cells read apart: the audit area, the action and its owner are separate words.
    assert re.search(r"Payroll\W+Reconcile starters", hit["excerpt"]), hit["excerpt"]
    assert re.search(r"each month\W+Head of HR", hit["excerpt"]), hit["excerpt"]
    assert page.locator(".cp-search__result mark").first.inner_text().lower() == "reconcile"


def test_labels_live_region_keyboard_and_axe(desktop: Any, base_url: str) -> None:
    page = desktop
    page.goto(base_url + SEARCH, wait_until="load")
    status = page.locator(STATUS)
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    assert page.get_by_role("search", name="Search the papers").count() == 1
    for label in ("Words to search for", "Year", "Committee or decision-maker", "Kind of paper"):
        assert page.get_by_label(label).count() == 1, label

    # Typing is enough: results come as the reader types, and the status says how many.
    box = page.get_by_label("Words to search for")
    box.focus()
    page.keyboard.type("budget", delay=20)
    text = finished(page, "budget", RECENT)
    assert re.match(rf"\d+ results? for \u201cbudget\u201d in {RECENT}", text)
    matched = page.locator(".cp-search__result mark")
    assert matched.first.evaluate("m => getComputedStyle(m).fontWeight") in ("700", "bold")

    violations = axe_violations(page)
    assert not violations, format_violations("the search page with results", violations)

    # Tab walks the filters to the first result, each stop with a visible focus ring.
    first_href = results(page)[0]["href"]
    for _ in range(12):
        page.keyboard.press("Tab")
        state = focus_state(page)
        assert state is not None and problem_with_focus(state) is None, describe(state)
        if urlsplit(state["url"] or "").path == first_href:
            break
    else:
        raise AssertionError("Tab did not reach the first result")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == first_href

    # Show more results: the next ten, and focus on the first of them.
    page.goto(base_url + SEARCH + "?q=council&year=all", wait_until="load")
    finished(page, "council", "all years")
    assert len(results(page)) == 10
    page.get_by_role("button", name="Show more results").click()
    # Once the next ten are drawn, focus is on the first of them.
    page.wait_for_function(
        "() => document.querySelectorAll('.cp-search__result').length > 10"
        " && document.activeElement.closest('.cp-search__result')"
        " === document.querySelectorAll('.cp-search__result')[10]"
    )
    assert page.evaluate("document.activeElement.tagName") == "A"
