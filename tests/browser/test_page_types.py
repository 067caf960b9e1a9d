"""Every page type in Chromium: axe-core at WCAG 2.2 AA at two widths, reflow at 375px, print.

Tests are grouped by page type (the module-scoped `page_type` fixture), so each page is
loaded once per width and every check runs on it.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import PAGE_TYPES, axe_violations, format_violations, screenshot

#: What a printed paper leaves out: the site's navigation and chrome.
NOT_PRINTED = {
    "header": ".md-header",
    "tabs": ".md-tabs",
    "navigation sidebar": ".md-sidebar--primary",
    "contents sidebar": ".md-sidebar--secondary",
    "footer": ".md-footer",
}

SHOWN_JS = """
selector => [...document.querySelectorAll(selector)].some(el => {
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return style.display !== "none" && style.visibility !== "hidden" && box.width > 0
    && box.height > 0;
})
"""

#: Elements sticking out past the right edge, to name the culprit when a page scrolls sideways.
WIDE_JS = """
() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > limit + 1)
    .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= limit + 1)
    .slice(0, 8)
    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (typeof el.className === "string" && el.className ? "." + el.className.trim()
        .split(/\\s+/).join(".") : "") + " (right edge " + Math.round(el.getBoundingClientRect()
        .right) + "px)");
}
"""


@pytest.fixture(scope="module", params=list(PAGE_TYPES))
def page_type(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.browser
def test_no_axe_violations_at_desktop_width(page_type: str, desktop: Any, open_page: Any) -> None:
    page = open_page(desktop, PAGE_TYPES[page_type])
    violations = axe_violations(page)
    assert not violations, format_violations(f"{page_type} {page.url} at 1280px", violations)


@pytest.mark.browser
def test_no_axe_violations_at_phone_width(page_type: str, phone: Any, open_page: Any) -> None:
    page = open_page(phone, PAGE_TYPES[page_type])
    violations = axe_violations(page)
    assert not violations, format_violations(f"{page_type} {page.url} at 375px", violations)


@pytest.mark.browser
def test_no_sideways_scrolling_at_375px(page_type: str, phone: Any, open_page: Any) -> None:
    """WCAG 1.4.10 Reflow: at 375px (and so at 400% zoom) only tables and charts, in their
    own scrolling boxes, may be wider than the screen; the page itself never is."""
    page = open_page(phone, PAGE_TYPES[page_type])
    scroll_width, client_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, (
        f"{page_type} {page.url} scrolls sideways at 375px: {scroll_width}px of content in "
        f"{client_width}px; too wide: {page.evaluate(WIDE_JS)}"
    )


@pytest.mark.browser
def test_print_leaves_out_the_navigation(page_type: str, desktop: Any, open_page: Any) -> None:
    page = open_page(desktop, PAGE_TYPES[page_type])
    page.emulate_media(media="print")
    try:
        printed = [name for name, css in NOT_PRINTED.items() if page.evaluate(SHOWN_JS, css)]
        content_printed = page.evaluate(SHOWN_JS, "article h1")
    finally:
        page.emulate_media(media="screen")
    assert not printed, f"{page_type} {page.url} prints its {', '.join(printed)}"
    assert content_printed, f"{page_type} {page.url} does not print its title"


@pytest.mark.browser
def test_screenshots(page_type: str, desktop: Any, phone: Any, open_page: Any) -> None:
    """Pictures of each page type at both widths, for a person to look over after a run."""
    for width, page in (("desktop", desktop), ("phone", phone)):
        path = screenshot(open_page(page, PAGE_TYPES[page_type]), f"{page_type}-{width}")
        print(f"screenshot: {path}")
        assert path.stat().st_size > 0
