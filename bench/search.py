"""A reader's first search in headless Chromium: bytes transferred and time to results.

    python bench/search.py SITE WORD [-v] [--runs 3]
    python bench/search.py --build --meetings 300 --years 10 --work /tmp/search/a300 [WORD]

Serves SITE over HTTP on 127.0.0.1, opens /search/ in a fresh browser, types WORD into the
search box and waits for the first result. It prints the bytes the search fetched (the files
under /pagefind/ and the search page's own assets/search.js and search.css, as transferred:
Pagefind's index files are already gzip-compressed, and the code's gzipped size is printed
beside it as a web server sends it) and the milliseconds from the last key press to the first
result on screen. Then it presses "Search older papers too" and prints what the older papers
added, the cost the first query no longer pays. Both lines say how many indexes (groups of
pages: a month, a year's listings, `people`, `site`) they touched.

With `--build` it first writes a synthetic archive (bench/archive.py, `--years` spreads the
meetings over that many years) into WORK/data and builds it with `papers build --no-packs`
into WORK/site, so two sizes over the same ten years can be compared in one command each.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

#: Pagefind's index files and wasm are gzip streams already; the code is compressible.
COMPRESSED = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".pagefind")
#: What the search fetches: Pagefind's files and the search page's own script and styles.
SEARCH_FILES = ("/pagefind/", "/assets/search.")
#: In the page: a performance mark exists; the status names a finished search (in `arg`).
MARKED = "name => performance.getEntriesByName(name).length > 0"
FINISHED = (
    "scope => { const s = document.getElementById('cp-search-status').textContent;"
    " return /^(No results|\\d+ results?) for/.test(s) && s.includes(scope); }"
)
STEPS = (
    "() => Object.fromEntries(['cp-key', 'cp-search-found', 'cp-search-drawn']"
    ".map(n => [n, performance.getEntriesByName(n).pop()?.startTime]))"
)
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


@dataclass
class Transfer:
    """Bytes of each file the search fetched, as served, and what gzip would save on code."""

    site: Path
    sizes: dict[str, int] = field(default_factory=dict)
    saved: dict[str, int] = field(default_factory=dict)

    def add(self, request: Any) -> None:
        url = request.url.split("?")[0]
        if not any(part in url for part in SEARCH_FILES):
            return
        try:
            sizes = request.sizes()
        except Exception:  # the browser closed while a late request finished: not counted
            return
        self.sizes[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if not url.endswith(COMPRESSED):
            # Python's server sends code as it is; a web server gzips it.
            body = (self.site / url.split("/", 3)[-1]).read_bytes()
            self.saved[request.url] = len(body) - len(gzip.compress(body))

    def kb(self) -> float:
        return sum(self.sizes.values()) / 1024

    def gzipped_kb(self) -> float:
        return (sum(self.sizes.values()) - sum(self.saved.values())) / 1024

    def groups(self) -> int:
        """How many indexes the search loaded: each loads its `pagefind-entry.json` once."""
        return sum(1 for url in self.sizes if url.split("?")[0].endswith("/pagefind-entry.json"))

    def by_kind(self) -> dict[str, int]:
        """Bytes by kind of file: code, metadata, word chunks, filters, fragments."""
        kinds: dict[str, int] = {}
        for url, size in self.sizes.items():
            path = url.split("?")[0]
            kind = next(
                (k for k in (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment") if k in path),
                "code and entry files",
            )
            kinds[kind] = kinds.get(kind, 0) + size
        return kinds


@dataclass
class Query:
    first_kb: float
    first_gzipped_kb: float
    first_ms: float
    older_kb: float
    older_ms: float
    first: Transfer
    older: Transfer
    status: str
    #: In the page: ms from the key press to the search's results, and to the first drawn.
    search_ms: float
    draw_ms: float
    #: The page's main-thread CPU time from the key press to the first result.
    cpu_ms: float


def _serve(site: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(site: Path, word: str) -> Query:
    """One fresh browser: the first query, then the older years on top of it."""
    from playwright.sync_api import sync_playwright

    server = _serve(site)
    first, older = Transfer(site), Transfer(site)
    current = [first]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            # The page's main-thread CPU time: a figure the machine's load disturbs less.
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")

            def cpu_ms() -> float:
                metrics = cdp.send("Performance.getMetrics")["metrics"]
                return 1000 * next(m["value"] for m in metrics if m["name"] == "ThreadTime")

            page.on("requestfinished", lambda request: current[0].add(request))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
            box = page.locator("#cp-search-q")
            box.wait_for()
            # The recent years' index loads with the page; a reader types after that.
            page.wait_for_function(MARKED, arg="cp-search-ready", timeout=120_000)
            box.fill(word[:-1])
            # The key press as the page sees it, to time the rest inside the browser too.
            box.evaluate("box => box.addEventListener('keydown', () => performance.mark('cp-key'))")
            start, cpu_start = time.perf_counter(), cpu_ms()
            box.press(word[-1])
            # The first result of this query (not of the prefix typed before it).
            shown = f'#cp-search-results[data-query="{word}"] > li'
            page.locator(shown).first.wait_for(timeout=60_000)
            first_ms = 1000 * (time.perf_counter() - start)
            first_cpu_ms = cpu_ms() - cpu_start
            # Every result of the first page drawn: the status then gives the count.
            page.wait_for_function(FINISHED, arg=f"\u201c{word}\u201d", timeout=120_000)
            steps = page.evaluate(STEPS)
            status = page.locator("#cp-search-status").inner_text()
            current[0] = older
            older_ms = 0.0
            button = page.locator("#cp-search-older")
            if button.count() and button.is_visible():
                start = time.perf_counter()
                button.click()
                page.wait_for_function(FINISHED, arg="all years", timeout=120_000)
                older_ms = 1000 * (time.perf_counter() - start)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    key, found, drawn = (
        steps.get(n) or 0.0 for n in ("cp-key", "cp-search-found", "cp-search-drawn")
    )
    return Query(
        first.kb(),
        first.gzipped_kb(),
        first_ms,
        older.kb(),
        older_ms,
        first,
        older,
        status,
        found - key,
        drawn - key,
        first_cpu_ms,
    )


def first_query(site: Path, word: str, runs: int = 1) -> tuple[float, float]:
    """(KB fetched by the first search, median ms from typing to the first result)."""
    queries = [measure(site, word) for _ in range(runs)]
    report(queries)
    return queries[0].first_kb, statistics.median(q.first_ms for q in queries)


def report(queries: list[Query]) -> None:
    q = queries[0]
    if "-v" in sys.argv:
        for url, size in sorted(q.first.sizes.items()):
            print(f"{size:>9} {url.split('/', 3)[-1]}")
    kinds = ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sorted(q.first.by_kind().items()))
    print(f"first query: {q.status}")
    print(f"  fetched {q.first_kb:.0f} KB from {q.first.groups()} indexes as served ({kinds})")
    print(f"  {q.first_gzipped_kb:.0f} KB with the code gzipped as a web server sends it")
    print(f"  ms to the first result: {', '.join(f'{x.first_ms:.0f}' for x in queries)}")
    print(
        "  in the page, key press to results found (ms): "
        f"{', '.join(f'{x.search_ms:.0f}' for x in queries)}; "
        f"to the first result drawn: {', '.join(f'{x.draw_ms:.0f}' for x in queries)}"
    )
    print(
        "  main-thread CPU from the key press to the first result (ms): "
        f"{', '.join(f'{x.cpu_ms:.0f}' for x in queries)}"
    )
    if q.older_ms:
        print(
            f"older papers on request: +{q.older_kb:.0f} KB from {q.older.groups()} indexes, "
            f"ms: {', '.join(f'{x.older_ms:.0f}' for x in queries)}"
        )


def build(work: Path, meetings: int, years: float) -> Path:
    """Write the archive and build its public site (packs off); return the site."""
    bench = Path(__file__).resolve().parent
    sys.path.insert(0, str(bench))
    from archive import write_archive
    from build import ENV, papers_build, project_config

    data = write_archive(work / "data", meetings=meetings, years=years)
    config = project_config(work, data)
    site = work / "site"
    command = [*papers_build(config, site), "--no-packs"]
    start = time.perf_counter()
    with (work / "build.log").open("w") as log:
        result = subprocess.run(command, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise SystemExit(f"the build failed; see {work / 'build.log'}")
    pages = sum(1 for _ in site.rglob("*.html"))
    spread = f"over {years:g} years" if years else "at the full archive's pace"
    seconds = time.perf_counter() - start
    print(f"built {meetings} meetings {spread}: {pages} pages in {seconds:.0f} s")
    return site


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (without --build)")
    parser.add_argument("word", nargs="?", default="budget")
    parser.add_argument("-v", action="store_true", help="list every file fetched")
    parser.add_argument("--runs", type=int, default=3, help="fresh browsers, for the median")
    parser.add_argument("--build", action="store_true", help="write and build an archive first")
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument(
        "--years", type=float, default=10, help="0: the full archive's pace (320 a year)"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/committee-papers-search"))
    args = parser.parse_args(argv)
    if args.build:
        if args.site is not None:
            args.word = str(args.site)
        site = build(args.work, args.meetings, args.years)
    elif args.site is None:
        parser.error("give a built SITE, or --build")
    else:
        site = args.site
    kb, ms = first_query(site, args.word, args.runs)
    print(f"first_query_kb={kb:.0f} first_query_ms={ms:.0f}")


if __name__ == "__main__":
    main()
