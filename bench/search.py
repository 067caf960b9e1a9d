"""A reader's first search in headless Chromium: bytes transferred and time to results.

    python bench/search.py SITE WORD

Serves SITE over HTTP on 127.0.0.1, opens /search/, types WORD into Pagefind's box and waits
for the first result. It prints the bytes the search fetched (everything under /pagefind/,
as transferred: Pagefind's index files are already gzip-compressed) and the milliseconds
from the last key press to the first result on screen.
"""

from __future__ import annotations

import functools
import gzip
import shutil
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

#: Pagefind's index files are gzip streams already; everything else is compressible code.
COMPRESSED = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def first_query(site: Path, word: str) -> tuple[float, float]:
    """(KB fetched by the search, ms from typing to the first result) on a fresh browser."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: dict[str, int] = {}
    gzipped: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            page = browser.new_page()

            def on_finished(request: Any) -> None:
                if "/pagefind/" in request.url:
                    sizes = request.sizes()
                    fetched[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                    if not request.url.split("?")[0].endswith(COMPRESSED):
                        # Python's server sends code uncompressed; a web server gzips it.
                        body = request.response().body()
                        gzipped[request.url] = len(gzip.compress(body)) - len(body)

            page.on("requestfinished", on_finished)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
            box = page.locator(".pagefind-ui__search-input")
            box.wait_for()
            box.fill(word[:-1])
            start = time.perf_counter()
            box.press(word[-1])
            page.locator(".pagefind-ui__result").first.wait_for(timeout=60_000)
            ms = 1000 * (time.perf_counter() - start)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if "-v" in sys.argv:
        for url, size in sorted(fetched.items()):
            print(f"{size:>9} {url}")
    print(
        f"search transfer: {sum(fetched.values()) / 1024:.0f} KB as served by Python, "
        f"{(sum(fetched.values()) + sum(gzipped.values())) / 1024:.0f} KB with code gzipped"
    )
    return sum(fetched.values()) / 1024, ms


if __name__ == "__main__":
    kb, ms = first_query(Path(sys.argv[1]), sys.argv[2])
    print(f"first_query_kb={kb:.0f} first_query_ms={ms:.0f}")
