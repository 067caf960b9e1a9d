"""The site used as people use it: with the keyboard alone, and through search.

A keyboard journey presses only Tab and Enter, and at every focus stop checks that a person
could see where focus is: a focus indicator on an element in view, not covered by the
sticky header or anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import (
    PAGE_TYPES,
    axe_violations,
    describe,
    focus_state,
    format_violations,
    problem_with_focus,
    screenshot,
)

REPORT = PAGE_TYPES["report"]
MEETING = PAGE_TYPES["meeting"]


class Journey:
    """Tab and Enter through the site, keeping the route for the failure message."""

    def __init__(self, page: Any, base_url: str):
        self.page = page
        self.base_url = base_url
        self.route: list[str] = []

    def start(self, path: str) -> None:
        self.page.goto(self.base_url + path, wait_until="load")
        self.route.append(f"open {path}")

    def tab_to(
        self, wanted: Callable[[dict[str, Any]], bool], what: str, limit: int = 150
    ) -> dict[str, Any]:
        """Press Tab until focus reaches `wanted`, checking that every stop can be seen."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            state = focus_state(self.page)
            if state is None:  # past the last control, before focus comes back round
                continue
            self.route.append(f"Tab -> {describe(state)}")
            problem = problem_with_focus(state)
            assert problem is None, f"focus cannot be seen: {problem}\n{self.trail()}"
            if wanted(state):
                return state
        raise AssertionError(f"{limit} presses of Tab did not reach {what}\n{self.trail()}")

    def enter(self, lands_on: str) -> None:
        """Press Enter on the focused link and wait for the page whose path is `lands_on`."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press("Enter")
        self.route.append(f"Enter -> {self.path()}")
        assert self.path() == lands_on, f"Enter landed on {self.page.url}\n{self.trail()}"

    def press(self, key: str) -> None:
        """Press a key that changes the page without leaving it (opening the menu)."""
        self.page.keyboard.press(key)
        self.route.append(f"{key!r} pressed")

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def trail(self) -> str:
        return "route so far:\n  " + "\n  ".join(self.route[-25:])


def links_to(path: str, *, also: Callable[[dict[str, Any]], bool] | None = None) -> Any:
    def wanted(state: dict[str, Any]) -> bool:
        return urlsplit(state["url"]).path == path and (also is None or also(state))

    return wanted


@pytest.mark.browser
def test_keyboard_journey_from_home_to_a_report_and_back(desktop: Any, base_url: str) -> None:
    journey = Journey(desktop, base_url)
    journey.start("/")
    journey.tab_to(links_to("/meetings/"), "the Meetings link")
    journey.enter("/meetings/")
    journey.tab_to(links_to(MEETING), "the meeting of 28 January 2026")
    journey.enter(MEETING)
    state = journey.tab_to(
        links_to(REPORT, also=lambda s: s["inAgenda"]), "the report's item on the agenda"
    )
    assert "Internal Audit Progress" in state["text"]
    journey.enter(REPORT)
    assert "Internal Audit Progress" in desktop.locator("article h1").inner_text()
    journey.tab_to(links_to(MEETING), "the cover's link back to the meeting")
    journey.enter(MEETING)
    journey.tab_to(links_to("/", also=lambda s: "md-logo" in s["element"]), "the home link")
    journey.enter("/")


def is_menu_button(state: dict[str, Any]) -> bool:
    return state["element"].startswith("label.md-header__button")


@pytest.mark.browser
def test_keyboard_focus_can_be_seen_at_phone_width(phone: Any, base_url: str) -> None:
    """At 375px every focus stop of a report can be seen (the closed menu drawer and search
    take no focus), and the navigation drawer works from the keyboard: the menu button opens
    it, a section opens and its title leads back, and leaving the drawer closes it."""
    journey = Journey(phone, base_url)
    journey.start(REPORT)
    journey.tab_to(lambda s: s["url"].startswith("https://squidfunk"), "the footer link")

    journey.start(REPORT)
    journey.tab_to(is_menu_button, "the menu button")
    journey.press("Enter")
    assert phone.evaluate("document.getElementById('__drawer').checked"), "the menu is shut"
    journey.tab_to(lambda s: s["inDrawer"] and s["text"] == "About", "the About section")
    journey.press("Enter")
    journey.tab_to(lambda s: s["element"].startswith("label.md-nav__title"), "the way back")
    journey.press("Enter")
    journey.tab_to(links_to(MEETING), "the first link of the report, past the drawer")
    assert not phone.evaluate("document.getElementById('__drawer').checked"), "menu still open"

    journey.start(REPORT)
    journey.tab_to(is_menu_button, "the menu button")
    journey.press(" ")
    journey.tab_to(links_to("/meetings/", also=lambda s: s["inDrawer"]), "Meetings in the menu")
    journey.enter("/meetings/")


@pytest.mark.browser
def test_search_finds_a_report_by_name(desktop: Any, base_url: str) -> None:
    """The header's box sends the query to /search/, where the search page (Pagefind's
    index of the recent year first) lists the report; the kind filter narrows to
    appendices; the keyboard reaches the result and opens the report."""
    desktop.goto(base_url + "/", wait_until="load")
    box = desktop.locator("#cp-header-q")
    box.fill("Internal Audit Progress")
    with desktop.expect_navigation(wait_until="load"):
        box.press("Enter")
    assert urlsplit(desktop.url).path == "/search/"
    result = desktop.locator(".cp-search__result", has_text="Internal Audit Progress")
    result.first.wait_for()

    shot = screenshot(desktop, "search-results-desktop", full_page=False)
    print(f"screenshot: {shot}")
    violations = axe_violations(desktop)
    assert not violations, format_violations("the search results", violations)

    # Narrowed to appendices, the hit says which report the appendix table belongs to.
    desktop.get_by_label("Kind of paper").select_option("appendix")
    desktop.wait_for_function(
        "() => { const titles = [...document.querySelectorAll('.cp-search__title')];"
        " return titles.length > 0 && titles.every(t => t.innerText.startsWith('Appendix')); }"
    )
    titles = desktop.locator(".cp-search__title")
    assert "to Internal Audit Progress Report" in titles.first.inner_text()

    # Keyboard: Tab reaches the report's link, and Enter opens it.
    desktop.get_by_label("Kind of paper").select_option("")
    desktop.wait_for_function(
        "() => [...document.querySelectorAll('.cp-search__title')]"
        ".some(t => t.innerText.startsWith('Internal Audit Progress'))"
    )
    desktop.locator("#cp-search-q").focus()
    for _ in range(60):
        desktop.keyboard.press("Tab")
        state = focus_state(desktop)
        assert state is not None and problem_with_focus(state) is None, describe(state)
        if urlsplit(state["url"]).path == REPORT:
            break
    else:
        raise AssertionError("the report is not among the first search results")
    with desktop.expect_navigation(wait_until="load"):
        desktop.keyboard.press("Enter")
    assert urlsplit(desktop.url).path == REPORT
    assert "Internal Audit Progress" in desktop.locator("article h1").inner_text()


@pytest.mark.browser
def test_search_results_at_phone_width(phone: Any, base_url: str) -> None:
    phone.goto(base_url + "/search/?q=audit", wait_until="load")
    phone.locator(".cp-search__result").first.wait_for()
    shot = screenshot(phone, "search-results-phone", full_page=False)
    print(f"screenshot: {shot}")
    violations = axe_violations(phone)
    assert not violations, format_violations("the search results at 375px", violations)
