"""Browser fixtures: the built demo site served on 127.0.0.1, one Chromium for the session.

The tests drive Debian's Chromium through Playwright for Python and never download a
browser. Where Chromium (or Playwright) is missing, every test marked `browser` is skipped
with a message that says how to install it, so the rest of the suite still runs anywhere.
One browser and one page per width serve every test: starting Chromium costs more than
all the checks on a page.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    chromium_executable,
    why_no_browser,
)
from support import ROOT

_SESSION_START = time.time()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = why_no_browser()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where this run's screenshots are, so people look at them."""
    if not SCREENSHOTS.is_dir():
        return
    shots = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _SESSION_START]
    if shots:
        terminalreporter.write_sep("-", "screenshots")
        terminalreporter.write_line(
            f"{len(shots)} screenshots (each page type at 1280px and 375px wide) written to "
            f"{SCREENSHOTS.relative_to(ROOT)}/"
        )


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging each request into the test output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(demo_site: Path) -> Iterator[str]:
    """The built demo site over HTTP (search needs it: its index loads in a web worker)."""
    handler = functools.partial(_QuietHandler, directory=str(demo_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def desktop(browser: Any) -> Iterator[Any]:
    """One page at 1280 x 900, reused by every desktop test."""
    yield from _page(browser, DESKTOP)


@pytest.fixture(scope="session")
def phone(browser: Any) -> Iterator[Any]:
    """One page at 375 x 812 (a small phone; also what 400% zoom gives on a laptop)."""
    yield from _page(browser, PHONE)


@pytest.fixture
def open_page(base_url: str) -> Any:
    """open_page(page, path): load a page of the site unless it is already showing, on screen."""

    def open_(page: Any, path: str) -> Any:
        url = base_url + path
        page.emulate_media(media="screen")
        if page.url != url:
            page.goto(url, wait_until="load")
        return page

    return open_
