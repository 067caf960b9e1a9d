"""The decisions register filtered in the browser, by keyboard, without a server."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.browser
def test_register_filters_by_body_year_and_type(desktop: Any, open_page: Any) -> None:
    page = open_page(desktop, "/decisions/")
    rows = page.locator("#decision-register tbody tr")
    total = rows.count()
    assert page.locator("#decision-filters").is_visible()
    assert page.locator("#decision-count").inner_text() == f"{total} of {total} decisions shown"

    page.focus("#filter-type")
    page.select_option("#filter-type", "officer")
    shown = page.locator("#decision-register tbody tr:not([hidden])")
    assert shown.count() == 2
    assert all(t == "officer" for t in shown.evaluate_all("rs => rs.map(r => r.dataset.type)"))

    page.select_option("#filter-type", "")
    page.select_option("#filter-body", "cabinet")
    page.select_option("#filter-key", "key")
    page.select_option("#filter-year", "2026")
    cabinet_key = shown.evaluate_all(
        "rs => rs.map(r => [r.dataset.body, r.dataset.key, r.dataset.year])"
    )
    assert cabinet_key and all(row == ["cabinet", "key", "2026"] for row in cabinet_key)
    assert page.locator("#decision-count").inner_text() == (
        f"{len(cabinet_key)} of {total} decisions shown"
    )
    page.select_option("#filter-body", "")
    page.select_option("#filter-key", "")
    page.select_option("#filter-year", "")
    assert shown.count() == total
