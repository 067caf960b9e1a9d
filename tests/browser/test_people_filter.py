"""The people index sorted and filtered with the keyboard alone, by its script in overrides/."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def visible_rows(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "#councillors tbody tr:not([hidden])",
        "rows => rows.map(r => ({name: r.cells[0].textContent.trim(), party: r.dataset.party,"
        " ward: r.dataset.ward, body: r.dataset.body}))",
    )


def test_filters_by_party_ward_and_body_with_the_keyboard(desktop: Any, base_url: str) -> None:
    page = desktop
    page.goto(base_url + "/people/", wait_until="load")
    total = len(visible_rows(page))
    assert page.is_visible("form.cp-filters")
    page.focus("#filter-party")
    page.keyboard.press("ArrowDown")  # the first party after "All"
    party = page.eval_on_selector("#filter-party", "s => s.value")
    rows = visible_rows(page)
    assert rows and all(r["party"] == party for r in rows) and len(rows) < total
    assert page.text_content("form.cp-filters [role=status]") == f"Showing {len(rows)} of {total}."
    page.select_option("#filter-party", "")
    page.focus("#filter-body")
    page.keyboard.press("ArrowDown")
    body = page.eval_on_selector("#filter-body", "s => s.value")
    rows = visible_rows(page)
    assert rows and all(body in r["body"].split("|") for r in rows)
    page.select_option("#filter-body", "")
    page.select_option("#filter-ward", "Westbury")
    assert {r["ward"] for r in visible_rows(page)} == {"Westbury"}
    page.select_option("#filter-ward", "")
    assert len(visible_rows(page)) == total


def test_sorts_by_a_column_from_its_header_button(desktop: Any, base_url: str) -> None:
    page = desktop
    page.goto(base_url + "/people/", wait_until="load")
    button = page.locator("#councillors thead th button", has_text="Ward")
    button.focus()
    page.keyboard.press("Enter")
    wards = [r["ward"] for r in visible_rows(page)]
    assert wards == sorted(wards, key=str.lower)
    assert page.get_attribute("#councillors thead th:nth-child(3)", "aria-sort") == "ascending"
    page.keyboard.press("Enter")
    assert [r["ward"] for r in visible_rows(page)] == sorted(wards, key=str.lower, reverse=True)
    assert page.get_attribute("#councillors thead th:nth-child(3)", "aria-sort") == "descending"


def test_without_the_script_the_table_is_plain_and_the_form_hidden(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/people/", wait_until="load")
        assert not page.is_visible("form.cp-filters")
        assert page.locator("#councillors tbody tr").count() > 5
        assert page.locator("#councillors thead button").count() == 0
    finally:
        context.close()
