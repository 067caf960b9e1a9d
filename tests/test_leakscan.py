"""The guard's fast reader (leakscan.py): every way text can sit in an output file is read.

Each case writes one file holding a withheld sentence (or a withheld single word) in some
disguise beside a clean page, and the scan must name that file and no other; clean
disguises of public text must not be reported. The cache must skip only what it proved.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import cbor2
import pytest

from committee_papers import leakscan
from committee_papers.guard import Secrets, fragments, scan
from committee_papers.leakscan import Matcher, scan_cached, site_files

SENTENCE = "The negotiated price for the land is four million pounds before costs."
WORD = "zqxwithheldword"
SECRET = Secrets(
    {**dict.fromkeys(fragments(SENTENCE), "report 'x'"), **dict.fromkeys([WORD], "report 'y'")}
)


def pagefind(payload: bytes) -> bytes:
    """A Pagefind index file as Pagefind writes it: gzip of its mark and the payload."""
    return gzip.compress(b"pagefind_dcd" + payload, mtime=0)


def fragment_json(content: str) -> bytes:
    page = {"url": "/x/", "content": content, "meta": {"title": "x"}, "filters": {}}
    return json.dumps(page).encode()


LEAKS = {
    "split-by-tags.html": b"<p>The negotiated <a href='#x'>price</a> for the land is <strong>"
    b"four\nmillion</strong> pounds before costs.</p>",
    "entities.html": b"<p>&#84;he negotiated price for the land is four&#x20;million pounds "
    b"before costs&period;</p>",
    "typography.html": "<p>The negotiated price for the land is four\u00a0million pounds"
    "\u202fbefore costs\u2026</p>".encode(),
    "attribute.html": b'<img src="a.png" title="The negotiated price for the land is four '
    b'million pounds before costs.">',
    "comment-word.html": b"<p>Nothing here.</p><!--" + WORD.encode() + b"-->",
    "script.html": b"<script>var x = '" + SENTENCE.encode() + b"';</script>",
    "escaped.json": json.dumps({"a": {"b": [SENTENCE.replace("four ", "four\n")]}}).encode(),
    "unicode.json": json.dumps({"a": SENTENCE.replace("The", "Th\u00e9") + " " + WORD}).encode(),
    "html-in.json": json.dumps(
        {
            "html": "<p>The negotiated <em>price</em> for the land is "
            "four million pounds before costs.</p>"
        }
    ).encode(),
    "not-json.json": b"<p>" + SENTENCE.encode() + b"</p>",
    "pagefind/2026/fragment/en_1.pf_fragment": pagefind(fragment_json(SENTENCE)),
    "pagefind/2026/index/en_1.pf_index": pagefind(
        cbor2.dumps([[["after", [[1, [3, 4], []]]], [WORD, [[1, [9], []]]]]])
    ),
    "feed.xml.gz": gzip.compress(b"<item><title>" + SENTENCE.encode() + b"</title></item>"),
    # A second gzip member is read too (a reader joins the members).
    "members.xml.gz": gzip.compress(b"<item><title>Nothing</title>", mtime=0)
    + gzip.compress(b"<title>" + SENTENCE.encode() + b"</title></item>", mtime=0),
    "calendar.ics": b"BEGIN:VEVENT\r\nDESCRIPTION:The negotiated price for the land is four mi\r\n"
    b" llion pounds before costs.\r\nEND:VEVENT\r\n",
    f"people/{WORD}/index.html": b"<p>Nothing to see.</p>",
    f"{WORD}.png": b"\x89PNG\r\n",
}


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_every_disguise_is_found(tmp_path: Path, name: str) -> None:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(LEAKS[name])
    (tmp_path / "clean.html").write_text("<p>Nothing to see.</p>")
    assert {leak.file for leak in scan(tmp_path, SECRET)} == {name}


CLEAN = {
    # The fragment's words inside longer words, or a different number: not the sentence.
    "longer.html": b"<p>zqxwithheldwords and prezqxwithheldword</p>",
    "amount.json": json.dumps({"a": SENTENCE.replace("four", "fourteen")}).encode(),
    # JSON quotes around values do not join two strings into a sentence.
    "apart.json": json.dumps(["The negotiated price for the land is", "four million"]).encode(),
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_near_misses_are_not_leaks(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(CLEAN[name])
    assert scan(tmp_path, SECRET) == []


def test_theme_lines_are_read_on_the_first_pages(tmp_path: Path) -> None:
    """A line repeated on every page is read once (where it is met whole), never skipped."""
    line = f'<div class="site-footer" title="{SENTENCE}"><span>Footer</span></div>'
    for number in range(20):
        page = tmp_path / f"p{number:02d}.html"
        page.write_text(f"<html>\n<body>\n{line}\n<p>Page {number}</p>\n</body>\n</html>\n")
    found = {leak.file for leak in scan(tmp_path, SECRET)}
    assert found and found <= {f"p{n:02d}.html" for n in range(12)}


def material_page(number: int, nav: str = "", article: str = "", footer: str = "") -> str:
    """A page in the shape mkdocs-material writes: head, header, tabs, primary navigation,
    table of contents, the page's own article, footer (the blocks `Theme.strip_page` cuts)."""
    return (
        f"<html>\n<head>\n<title>Page {number}</title>\n</head>\n<body>\n"
        f'<header class="md-header">\n<a href="/">Synthetic District Council papers</a>\n'
        f"</header>\n"
        f'<nav class="md-tabs" aria-label="Tabs">\n<a href="/m/">Meetings</a>\n</nav>\n'
        f'<nav class="md-nav md-nav--primary" aria-label="Navigation">\n'
        f'<a href="/about/" class="md-nav__link">About the papers of this council</a>\n'
        f"{nav}</nav>\n"
        f'<div class="md-sidebar md-sidebar--secondary">\n<a href="#p{number}">Part {number}'
        f"</a>\n</div>\n"
        f'<article class="md-content__inner">\n<p>Page {number}</p>\n{article}</article>\n'
        f'<footer class="md-footer">\n<p>Made by the clerks of the council</p>\n{footer}'
        f"</footer>\n</body>\n</html>\n"
    )


@pytest.mark.parametrize("part", ["nav", "footer", "article"])
def test_a_leak_in_the_theme_blocks_of_one_page_is_found(tmp_path: Path, part: str) -> None:
    """The theme's blocks are stripped once for all pages with the same bytes: a withheld
    sentence in the navigation, footer or article of one page only is still found there,
    split across lines and tags too."""
    leak = f"<p>The negotiated price for the land\nis <em>four million</em> pounds {WORD}</p>\n"
    leak = leak.replace(WORD, "before costs.")
    for number in range(40):
        extra = {part: leak} if number == 30 else {}
        (tmp_path / f"p{number:02d}.html").write_text(material_page(number, **extra))
    assert {leak.file for leak in scan(tmp_path, SECRET)} == {"p30.html"}


def test_a_leak_across_a_theme_block_boundary_is_found(tmp_path: Path) -> None:
    """A sentence that runs from one block into the next (text is read across the lines and
    tags between) is found: the blocks' strips put together are the whole page's strip."""
    for number in range(40):
        # Page 33 holds the first half only: not the sentence.
        nav = "<p>The negotiated price for the land is four\n" if number in (25, 33) else ""
        page = material_page(number, nav=nav)
        if number == 25:
            page = page.replace(
                '<div class="md-sidebar md-sidebar--secondary">\n',
                '<div class="md-sidebar md-sidebar--secondary">\nmillion pounds before costs.\n',
            )
        (tmp_path / f"p{number:02d}.html").write_text(page)
    assert {leak.file for leak in scan(tmp_path, SECRET)} == {"p25.html"}


def test_the_theme_strip_by_blocks_reads_all_the_strip_reads(tmp_path: Path) -> None:
    """`strip_page` is `strip` around the article, and the article's lines whole: blocks cut
    at line starts and blocks met before, taken from memory, give the same bytes."""
    names = []
    for number in range(30):
        (tmp_path / f"p{number:02d}.html").write_text(material_page(number))
        names.append(f"p{number:02d}.html")
    theme = leakscan.theme_of(tmp_path, names)
    assert theme.lines
    for name in names * 2:
        data = (tmp_path / name).read_bytes()
        start = data.rindex(b"\n", 0, data.index(b"<article")) + 1
        end = data.index(b"\n", data.index(b"</article>"))
        expected = theme.strip(data[:start]) + data[start:end] + theme.strip(data[end:])
        assert theme.strip_page(data) == expected
    assert theme.blocks  # the navigation, tabs and footer met again were remembered


def test_a_tag_is_read_once_and_reported_where_first_met(tmp_path: Path) -> None:
    """Tags with text are read once per site: a leaked attribute repeated on later pages is
    reported on the first, and a leaked attribute on one late page only is found there."""
    tag = f'<img src="a.png" alt="{SENTENCE}">'
    for number in range(30):
        body = f"<p>Page {number}</p>"
        if number in (14, 15, 16):
            body += tag
        if number == 27:
            body += f'<a href="/x/" title="About {WORD}">x</a>'
        (tmp_path / f"p{number:02d}.html").write_text(material_page(number, article=body))
    assert {leak.file for leak in scan(tmp_path, SECRET)} == {"p14.html", "p27.html"}


def test_a_json_string_met_twice_is_reported_where_first_met(tmp_path: Path) -> None:
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps({"text": SENTENCE}))
    assert [leak.file for leak in scan(tmp_path, SECRET)] == ["a.json"]


class Counting(Matcher):
    """A matcher that counts the files it is asked about."""

    calls = 0

    def find(self, text: str) -> set[str]:
        Counting.calls += 1
        return super().find(text)


def counted(site: Path, matcher: Matcher, cache: Path) -> tuple[int, dict[str, set[str]]]:
    Counting.calls = 0
    found = scan_cached(site, matcher, cache)
    return Counting.calls, found


def test_cache_rereads_only_changed_files(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    for number in range(5):
        (site / f"p{number}.html").write_text(f"<p>Page {number}</p>")
    matcher = Counting(sorted(SECRET.papers))
    assert counted(site, matcher, cache) == (5, {})
    assert counted(site, matcher, cache) == (0, {})
    (site / "p3.html").write_text(f"<p>{SENTENCE}</p>")
    calls, found = counted(site, matcher, cache)
    assert calls == 1 and set(found) == {"p3.html"}
    # A file with a leak is never remembered as clean: it is read every time.
    calls, found = counted(site, matcher, cache)
    assert calls == 1 and set(found) == {"p3.html"}


def test_cache_rereads_everything_when_there_are_new_secrets(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    for number in range(3):
        (site / f"p{number}.html").write_text(f"<p>Page {number} {WORD}</p>")
    fewer = Counting(sorted(fragments(SENTENCE)))
    assert counted(site, fewer, cache) == (3, {})
    more = Counting(sorted(SECRET.papers))
    calls, found = counted(site, more, cache)
    assert calls == 3 and set(found) == {f"p{n}.html" for n in range(3)}


def test_cache_keeps_clean_files_when_there_are_fewer_secrets(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    for number in range(3):
        (site / f"p{number}.html").write_text(f"<p>Page {number}</p>")
    assert counted(site, Counting(sorted(SECRET.papers)), cache) == (3, {})
    # A secret that became public: what was proved clean against more is clean against less.
    assert counted(site, Counting(sorted(fragments(SENTENCE))), cache) == (0, {})


def test_a_scan_with_a_leak_remembers_no_file_as_clean(tmp_path: Path) -> None:
    """b.json's copy of the leaked string is not read (a.json's was, first): once a.json is
    mended, b.json must still be read and reported."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    for name in ("a.json", "b.json"):
        (site / name).write_text(json.dumps({"text": SENTENCE}))
    matcher = Counting(sorted(SECRET.papers))
    assert set(counted(site, matcher, cache)[1]) == {"a.json"}
    (site / "a.json").write_text(json.dumps({"text": "Page one"}))
    assert set(counted(site, matcher, cache)[1]) == {"b.json"}


def test_site_files_lists_every_file(tmp_path: Path) -> None:
    for name in ("a.html", "b/c.json", "b/d/e.pf_fragment"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert site_files(tmp_path) == ["a.html", "b/c.json", "b/d/e.pf_fragment"]


@pytest.mark.parametrize("window", [1, 7, 40, 113])
def test_a_large_json_file_read_a_window_at_a_time_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """all.json of ten years is read in windows (memory): with windows of a few bytes,
    every disguised leak is still found, in strings with escaped quotes and backslashes
    before and after it, and the near misses stay clean."""
    monkeypatch.setattr(leakscan, "_JSON_WINDOW", window)
    padding = ['a "quoted" word', "a back\\slash \\", "<b>bold</b>", "x" * 90, "", '\\"']
    for name in ("escaped.json", "unicode.json", "html-in.json", "not-json.json"):
        inner = json.loads(LEAKS[name]) if name != "not-json.json" else None
        data = LEAKS[name] if inner is None else json.dumps([*padding, inner, *padding]).encode()
        (tmp_path / "api").mkdir(exist_ok=True)
        (tmp_path / "api" / name).write_bytes(data)
        assert {leak.file for leak in scan(tmp_path, SECRET)} == {f"api/{name}"}, name
        (tmp_path / "api" / name).unlink()
    for name in ("amount.json", "apart.json"):
        (tmp_path / name).write_bytes(json.dumps([*padding, json.loads(CLEAN[name])]).encode())
        assert scan(tmp_path, SECRET) == [], name
        (tmp_path / name).unlink()


def test_windows_of_the_open_data_end_before_an_item_so_an_insertion_shifts_no_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`api/all.json` is read in windows, and its items are known by their runs' digests
    (`_json_runs`): windows end before an item, so every run is whole, and an item added
    near the start leaves every later run as it was (known, not read again). Windows that
    ended just after any string cut runs in two, and an insertion moved those cuts."""
    import io

    from committee_papers import guardrecord

    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 300)

    def text(events: list[dict[str, str]]) -> bytes:
        return json.dumps({"events": events, "reports": []}, indent=2).encode()

    def runs(data: bytes) -> set[int]:
        windows = list(leakscan._json_windows(io.BytesIO(data)))
        stand_ins = data.replace(b"\\\\", b"\x01").replace(b'\\"', b"\x02")
        assert b"".join(windows) == stand_ins and len(windows) > 5
        at = 0
        for window in windows[:-1]:  # each ends outside a string, before an item
            at += len(window)
            assert window.count(b'"') % 2 == 0 and stand_ins.startswith(b"\n    {\n", at)
        return {d for w in windows for d in guardrecord.run_digests(leakscan._json_runs(w))}

    events = [{"id": f"e{n}", "title": f'Item {n}: a "quoted" word'} for n in range(40)]
    before = runs(text(events))
    after = runs(text([events[0], {"id": "new", "title": "A new item"}, *events[1:]]))
    assert len(before - after) <= 1  # the run the new item joined, at most


def test_files_of_the_same_bytes_are_each_reported(tmp_path: Path) -> None:
    """Pagefind's scripts repeat beside every index and are read once: a leak in their
    content is still reported in every copy, and a leak in a copy's name in that copy."""
    padding = b"/* " + b"x " * 3000 + b"*/\n"
    leaky = padding + b"var t = '" + SENTENCE.encode() + b"';\n"
    for group in ("2025", "2026"):
        (tmp_path / "pagefind" / group).mkdir(parents=True)
        (tmp_path / "pagefind" / group / "pagefind.js").write_bytes(leaky)
        (tmp_path / "pagefind" / group / "clean.js").write_bytes(padding)
    (tmp_path / "pagefind" / "2026" / f"{WORD}.js").write_bytes(padding)
    assert {leak.file for leak in scan(tmp_path, SECRET)} == {
        "pagefind/2025/pagefind.js",
        "pagefind/2026/pagefind.js",
        f"pagefind/2026/{WORD}.js",
    }


@pytest.mark.parametrize("engine", ["isal", "zlib"])
def test_gzip_is_read_the_same_by_either_inflate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """ISA-L's inflate where it has a wheel, zlib's elsewhere: the same content, members
    after the first too, and a damaged file read as its bytes."""
    import zlib

    if engine == "zlib":
        monkeypatch.setattr(leakscan, "_inflate", zlib)
    else:
        pytest.importorskip("isal")
    content = (SENTENCE + " x" * 50_000).encode()
    assert leakscan._gunzip(gzip.compress(content, mtime=0)) == content
    two = gzip.compress(b"a ", mtime=0) + gzip.compress(content, mtime=0)
    assert leakscan._gunzip(two) == b"a " + content
    damaged = gzip.compress(content, mtime=0)[:-12]
    assert leakscan._gunzip(damaged) == damaged
    (tmp_path / "index.pf_fragment").write_bytes(pagefind(fragment_json(SENTENCE)))
    assert {leak.file for leak in scan(tmp_path, SECRET)} == {"index.pf_fragment"}


def test_a_large_json_file_is_read_from_the_file_never_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """all.json of ten years (260 MB) is read from the file a block at a time, with or
    without the cache (memory: read whole, then with its escapes replaced, it was three
    copies at once): the leak is still found, and the cache keys the file by all its bytes,
    so a changed file is read again."""
    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 64)
    read = leakscan._read

    def small_only(path: str) -> bytes:
        assert not path.endswith(".json") or os.path.getsize(path) <= 64, f"{path} read whole"
        return read(path)

    monkeypatch.setattr(leakscan, "_read", small_only)
    padding = ['a "quoted" word \\', "x" * 90]
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "api").mkdir(parents=True)
    bulk = site / "api" / "all.json"
    bulk.write_bytes(json.dumps([*padding, {"text": SENTENCE}, *padding]).encode())
    assert {leak.file for leak in scan(site, SECRET)} == {"api/all.json"}
    assert set(scan_cached(site, SECRET, cache)) == {"api/all.json"}
    bulk.write_bytes(json.dumps([*padding, {"text": "public"}, *padding]).encode())
    assert scan_cached(site, SECRET, cache) == {}
    assert scan_cached(site, SECRET, cache) == {}  # now proved clean: skipped
    bulk.write_bytes(json.dumps([*padding, {"text": SENTENCE}, *padding]).encode())
    assert set(scan_cached(site, SECRET, cache)) == {"api/all.json"}


def test_a_changed_large_json_file_is_read_once_and_keyed_as_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """all.json changes with every meeting: a file of a size no clean file had is read in
    one pass, hashed for its key as it is read (a pass to hash it first was 265 MB more on
    a re-build's last step); one of a clean file's size is hashed first, skipped when it is
    that file, and read when it is other bytes of the same size."""
    monkeypatch.setattr(leakscan, "_JSON_WINDOW", 64)
    opened: list[str] = []

    def counting_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(os.path.basename(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(leakscan, "open", counting_open, raising=False)
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "api").mkdir(parents=True)
    bulk = site / "api" / "all.json"

    def publish(text: str) -> None:
        bulk.unlink(missing_ok=True)
        bulk.write_bytes(json.dumps({"events": ["x" * 90, text]}, indent=2).encode())
        opened.clear()

    publish("The public minutes.")
    assert scan_cached(site, SECRET, cache) == {} and opened == ["all.json"]
    later = "The public minutes of the next meeting, ".ljust(len(SENTENCE), "x")
    publish(later)  # another size
    assert scan_cached(site, SECRET, cache) == {} and opened == ["all.json"]
    publish(later)  # the same bytes: hashed, not read
    recording: list[bytes] = []
    find = Matcher.find

    def recorded(self: Matcher, text: bytes) -> set[str]:
        recording.append(text)
        return find(self, text)

    monkeypatch.setattr(Matcher, "find", recorded)
    assert scan_cached(site, SECRET, cache) == {} and opened == ["all.json"]
    assert not any(b"next meeting" in text for text in recording)
    publish(SENTENCE)  # the same size, other bytes: hashed, then read
    assert set(scan_cached(site, SECRET, cache)) == {"api/all.json"}
    assert opened == ["all.json", "all.json"]


def test_files_linked_from_a_store_are_known_without_reading_until_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site file that is still the store's inode is known by the stored name; the same
    name replaced by another file (a leak, here) is read, whatever the caller claimed."""

    site, cache, store = tmp_path / "site", tmp_path / "cache", tmp_path / "store"
    site.mkdir()
    store.mkdir()
    stored: dict[str, tuple[str, int]] = {}
    for number in range(4):
        blob = store / f"{number:040x}.html"
        blob.write_text(f"<p>Page {number}</p>")
        os.link(blob, site / f"p{number}.html")
        stored[f"p{number}.html"] = (blob.name, blob.stat().st_ino)
    read: list[str] = []
    real_read = leakscan._read
    monkeypatch.setattr(
        leakscan, "_read", lambda path: read.append(os.path.basename(path)) or real_read(path)
    )
    matcher = Matcher(sorted(SECRET.papers))
    assert scan_cached(site, matcher, cache, stored=stored) == {}
    assert {f"p{n}.html" for n in range(4)} <= set(read)
    read.clear()
    assert scan_cached(site, matcher, cache, stored=stored) == {}
    assert read == []
    (site / "p2.html").unlink()
    (site / "p2.html").write_text(f"<p>{SENTENCE}</p>")
    found = scan_cached(site, matcher, cache, stored=stored)
    assert set(found) == {"p2.html"} and "p2.html" in read
