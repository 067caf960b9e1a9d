"""Script payloads from every field, loaded in Chromium: nothing runs, the policy holds.

The pages of the demo council with a payload in every text and URL field (see
tests/payloads.py) are opened in Chromium. No dialog may open (every payload calls
alert), and the Content-Security-Policy must report no violation: the site's own scripts
all come from files, so a violation would mean either a page lost a script it needs or
something from data tried to run.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from conftest import _QuietHandler
from payloads import build_payload_site

pytestmark = pytest.mark.browser

_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


@pytest.fixture(scope="module")
def payload_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_payload_site(tmp_path_factory.mktemp("payload-browser"), "members")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


#: Hub pages, then pages of each kind found from them, then a report with a chart appendix.
_HUBS = ["/", "/404.html", "/committees/", "/meetings/", "/people/", "/about/"]
_REPORT = "/reports/auditors-annual-report-2025-26/"


def _data_pages(page: Any, base: str) -> list[str]:
    """A few pages of each kind, found from the listing pages."""
    found: list[str] = []
    for listing, prefix in [
        ("/meetings/", "/meetings/"),
        ("/decisions/", "/decisions/"),
        ("/people/", "/people/"),
        ("/committees/", "/committees/"),
    ]:
        page.goto(base + listing, wait_until="load")
        hrefs = page.eval_on_selector_all(
            "article a[href]", "els => els.map(e => new URL(e.href).pathname)"
        )
        found += [h for h in hrefs if h.startswith(prefix) and h != listing][:4]
        # and one page of a year (the listings hold the coming and latest, then a page a year)
        found += [h for h in hrefs if re.fullmatch(rf"{prefix}([^/]+/)?\d{{4}}/", h)][:1]
    return found


def test_no_payload_runs_and_no_policy_violation(browser: Any, payload_url: str) -> None:
    context = browser.new_context(locale="en-GB")
    context.add_init_script(_WATCH)
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)
    try:
        urls = [*_HUBS, *_data_pages(page, payload_url), _REPORT, _REPORT + "appendix-2/"]
        assert len(urls) > 12
        assert any(re.search(r"/\d{4}/$", url) for url in urls), "no page of a year reached"
        for path in urls:
            page.goto(payload_url + path, wait_until="load")
            page.wait_for_timeout(150)
            violations = page.evaluate("window.__violations")
            assert violations == [], f"{path}: {violations}"
            # material's bundle ran (it needs __md_get from md-base.js): the search box works.
            assert page.evaluate("typeof window.__md_get") == "function", path
        # Search under the policy: Pagefind's script and WebAssembly load, results render
        # their (payload) titles as text. The search page sets no inline handler, so the
        # policy reports nothing here either.
        page.goto(payload_url + "/search/?q=audit", wait_until="load")
        page.locator(".cp-search__result a").first.wait_for()
        page.wait_for_timeout(500)
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
    assert dialogs == [], f"a payload ran: {dialogs}"
    assert console == [], console
