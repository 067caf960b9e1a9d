"""Search: Pagefind indexes per period of papers, what goes in them, and reading them back for
the guard."""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from support import Site

from committee_papers import scratch
from committee_papers.filelinks import link_or_copy
from committee_papers.searchindex import (
    INDEX_DIR,
    MADE_BY,
    MANIFEST,
    SIGNATURE,
    _recent_groups,
    _run_pagefind,
    canonical_order,
    decode,
    fragment,
    groups_present,
    index_files,
    index_texts,
    indexed_part,
    period_group,
    period_months,
    search_choices,
)

#: The decisions register and its pages of a year or a month list decisions; they are not one.
_LISTING = re.compile(r"/decisions/(\d{4}/(\d{2}/)?)?")


@pytest.fixture(scope="module")
def fragments(site: Site) -> dict[str, dict]:
    found = {}
    for path in index_files(site.root):
        if path.suffix == ".pf_fragment":
            page = fragment(path)
            found[page["url"]] = page
    return found


def test_index_files_are_gzip_with_the_pagefind_signature(site: Site) -> None:
    path = next(p for p in index_files(site.root) if p.suffix == ".pf_fragment")
    raw = path.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw).startswith(SIGNATURE)
    assert json.loads(decode(raw))["url"].startswith("/")


def test_a_canary_word_in_a_page_is_found_by_decoding_the_index(site: Site) -> None:
    """The guard reads index files through `index_texts`: a page's words must come out."""
    page = site.article("reports/internal-audit-progress-q3-2025-26/")
    assert "delivered 314 audit days" in page.get_text(" ")
    hits = [p for p, text in index_texts(site.root) if "delivered 314 audit days" in text]
    assert hits and all(p.suffix == ".pf_fragment" for p in hits)
    # The report is presented at the audit committee of 28 January 2026: 2026's index (the
    # demo council holds under 15 meetings a month, so its papers are grouped by year).
    assert any("pagefind/2026/" in p.as_posix() for p in hits)


def group_of(site: Site, url: str) -> str:
    """The index holding a page: the folder of the fragment whose url is `url`."""
    for path in index_files(site.root):
        if path.suffix == ".pf_fragment" and fragment(path)["url"] == url:
            return path.relative_to(site.root / "pagefind").parts[0]
    raise AssertionError(f"{url} is in no index")


def test_one_index_per_period_a_year_of_listings_people_and_site(site: Site, papers) -> None:
    assert period_months(papers) == 12  # about 1.5 meetings a month
    dates = [m.date for m in papers.meetings.values()] + [r.date for r in papers.decisions.values()]
    periods = {period_group(day, 12) for day in dates}
    assert periods == {"2026", "2025"}
    years = sorted(periods, reverse=True)
    expected = sorted(periods | {f"{y}-lists" for y in years}, reverse=True)
    assert groups_present(site.root) == [*expected, "people", "site"]
    # The page lists exactly the groups the build wrote, so the browser asks for no other.
    form = site.page("search/").select_one("form#cp-search")
    assert form["data-pagefind"] == "../pagefind/"
    assert json.loads(form["data-years"]) == years
    by_year = json.loads(form["data-year-groups"])
    listed = [g for y in years for g in by_year[y]] + json.loads(form["data-undated"])
    assert sorted(listed) == sorted(groups_present(site.root))
    assert set(json.loads(form["data-recent"])) <= set(listed)
    # Each kind of page in its group: papers by period, year pages of listings by year.
    assert group_of(site, "/meetings/2026-01-28-audit-governance/") == "2026"
    assert group_of(site, "/meetings/2026-01-28-audit-governance/minutes/") == "2026"
    assert group_of(site, "/reports/internal-audit-progress-q3-2025-26/appendix-1/") == "2026"
    assert group_of(site, "/meetings/2025-12-10-planning/") == "2025"
    assert group_of(site, "/meetings/2026/") == "2026-lists"
    assert group_of(site, "/people/") == "site"
    person = next(iter(papers.people))
    assert group_of(site, f"/people/{person}/") == "people"
    assert group_of(site, "/committees/") == "site"


def test_report_pages_carry_filters_for_body_year_kind_and_purpose(fragments) -> None:
    page = fragments["/reports/internal-audit-progress-q3-2025-26/"]
    assert page["filters"] == {
        "body": ["Audit and Governance Committee"],
        "year": ["2026"],
        "kind": ["report"],
        "purpose": ["information"],
    }
    agenda = fragments["/meetings/2026-01-28-audit-governance/"]
    assert agenda["filters"]["kind"] == ["agenda"]
    minutes = fragments["/meetings/2026-01-28-audit-governance/minutes/"]
    assert minutes["filters"]["kind"] == ["minutes"]
    decisions = [
        f
        for url, f in fragments.items()
        if url.startswith("/decisions/") and not _LISTING.fullmatch(url)
    ]
    assert decisions and all(f["filters"]["kind"] == ["decision"] for f in decisions)


def test_appendix_table_cells_read_apart_and_name_their_report(fragments) -> None:
    page = fragments["/reports/internal-audit-progress-q3-2025-26/appendix-1/"]
    assert "Ref Audit Action Owner Due Status" in page["content"]
    assert page["meta"]["title"].startswith("Appendix 1 to Internal Audit Progress Report")
    assert page["filters"]["kind"] == ["appendix"]


def test_only_the_content_is_indexed_not_header_or_nav(fragments) -> None:
    page = fragments["/reports/internal-audit-progress-q3-2025-26/"]
    assert "Skip to content" not in page["content"]
    assert "/search/" not in fragments


def test_no_exempt_report_in_any_index(site: Site, papers) -> None:
    exempt = [r for r in papers.reports.values() if r.exempt]
    assert exempt
    texts = "\n".join(text for _, text in index_texts(site.root))
    for report in exempt:
        # Its title is public (the agenda lists Part 2 items); its words are not.
        sentence = " ".join(report.summary.split()[:8])
        assert sentence not in " ".join(texts.split())


def test_search_page_has_no_inline_script_and_every_page_a_search_box(site: Site) -> None:
    search = site.page("search/")
    scripts = search.select("article script")
    assert scripts and all(s.get("src") for s in scripts)
    for url in ("", "reports/internal-audit-progress-q3-2025-26/", "people/"):
        form = site.page(url).select_one("form.cp-header-search")
        assert form is not None and form["action"].endswith("search/")
        assert form.select_one("input[name=q]")["id"] == "cp-header-q"
        assert form.select_one("label[for=cp-header-q]").get_text(strip=True)


def test_the_newest_groups_are_searched_first(papers) -> None:
    """The groups searched first: those after the build's (meetings scheduled), then the
    build's and back until they hold 60 meetings over three months, or six months."""
    late = search_choices(papers, date(2026, 11, 23), lambda r: True)
    assert late.years == ["2026", "2025"]
    assert (late.recent, late.older) == (["2026-lists", "2026"], ["2025-lists", "2025"])
    assert (late.recent_label, late.recent_start) == ("2026", "2026")
    # In March, 2026 holds three months of papers: 2025 is searched first too.
    early = search_choices(papers, date(2026, 3, 1), lambda r: True)
    assert early.recent == ["2026-lists", "2025-lists", "2026", "2025"] and early.older == []
    assert early.recent_label == "2025 to 2026"
    # An archive that stopped years ago still offers its newest papers first.
    stale = search_choices(papers, date(2031, 9, 1), lambda r: True)
    assert stale.recent == ["2026-lists", "2026"]


def test_a_group_covers_about_fifteen_meetings_at_the_councils_pace() -> None:
    """A month at the full archive's 27 meetings a month, longer periods for quieter
    councils, a year below 1.25 a month; a period is named by its first month."""
    from types import SimpleNamespace

    def council(meetings: int, months: int) -> SimpleNamespace:
        days = [date(2020 + (k * months // meetings) // 12, (k * months // meetings) % 12 + 1, 5)
                for k in range(meetings)]  # fmt: skip
        return SimpleNamespace(
            meetings={str(k): SimpleNamespace(date=d) for k, d in enumerate(days)}
        )

    assert period_months(council(320, 12)) == 1
    assert period_months(council(96, 12)) == 2
    assert period_months(council(30, 12)) == 6
    assert period_months(council(12, 12)) == 12
    assert period_group(date(2026, 11, 5), 1) == "2026-11"
    assert period_group(date(2026, 11, 5), 3) == "2026-10"
    assert period_group(date(2026, 11, 5), 12) == "2026"


def test_a_busy_council_searches_fewer_months_first() -> None:
    """At the full archive's pace (27 meetings a month) three months hold 60 meetings; a
    quiet council's months are searched six back, and longer periods cover at least six
    months before the build's date."""
    busy = {f"2026-{m:02d}": 27 for m in range(1, 13)}
    months = sorted(busy, reverse=True)
    november = date(2026, 11, 5)
    assert _recent_groups(months, busy, november, 1) == ["2026-12", "2026-11", "2026-10", "2026-09"]
    quiet = dict.fromkeys(busy, 2)
    assert _recent_groups(months, quiet, november, 1)[-1] == "2026-06"
    # Half years: July to November is five months, so January to June comes too.
    halves = {"2026-07": 15, "2026-01": 15, "2025-07": 15}
    assert _recent_groups(sorted(halves, reverse=True), halves, november, 6) == [
        "2026-07",
        "2026-01",
    ]
    # Months without papers count towards the six, so the first search never reaches back
    # years into a sparse archive.
    sparse = {"2026-11": 1, "2024-01": 50}
    assert _recent_groups(sorted(sparse, reverse=True), sparse, november, 1) == ["2026-11"]


def test_filter_values_come_from_the_data(papers) -> None:
    """Every body, every person who took a published decision, every kind and purpose: the
    values the indexes file pages under (`search_meta`), so each option can match."""
    records = list(papers.decisions.values())
    choices = search_choices(papers, date(2026, 11, 23), lambda r: True)
    assert set(choices.bodies) >= {b.name for b in papers.bodies.values()}
    makers = {papers.people[r.maker].name for r in records if r.maker in papers.people}
    assert makers and makers <= set(choices.bodies)
    assert choices.kinds == ("agenda", "report", "appendix", "minutes", "decision")
    assert choices.purposes == ["decision", "information", "discussion"]
    # A decision not yet published names nobody in the filter.
    hidden = search_choices(papers, date(2026, 11, 23), lambda r: False)
    assert not makers & set(hidden.bodies)


def test_search_page_form_is_labelled_and_lists_every_filter(site: Site, fragments) -> None:
    page = site.page("search/")
    form = page.select_one("form#cp-search")
    assert form["role"] == "search" and form["action"] == "./"
    for control in form.select("input, select"):
        label = form.select_one(f"label[for={control['id']}]")
        assert label is not None and label.get_text(strip=True), control["id"]
    options = {
        select["name"]: [o["value"] for o in select.select("option") if o["value"]]
        for select in form.select("select")
    }
    assert options["year"] == ["all", "2026", "2025"]
    newest = form.select_one("#cp-search-year option").get_text(strip=True)
    assert newest == "Newest (2026)"
    assert options["kind"] == ["agenda", "report", "appendix", "minutes", "decision"]
    # Every value the index holds for a filter is offered by the page.
    for name in ("body", "kind", "purpose"):
        indexed = {v for f in fragments.values() for v in f["filters"].get(name, [])}
        assert indexed and indexed <= set(options[name]), name
    status = page.select_one("#cp-search-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    older = page.select_one("#cp-search-older")
    assert older.get_text(" ", strip=True) == "Search older papers too (before 2026)"
    # The page loads Pagefind's API from its script, not Pagefind's own UI.
    sources = [s["src"] for s in page.select("script[src]")]
    assert "../assets/search.js" in sources
    assert not [s for s in sources if "pagefind-ui" in s]


@pytest.mark.parametrize("group", ["2026", "site"])
def test_indexing_pages_whole_gives_the_bytes_of_their_indexed_parts(
    site: Site, group: str, tmp_path: Path
) -> None:
    """The build gives Pagefind each page's indexed part (`indexed_part`); Pagefind over the
    whole pages of a group writes the same index, file for file and byte for byte (results,
    filters, titles, sort dates, anchors all the same)."""
    built = site.root / INDEX_DIR / group
    pages = sorted(json.loads((built / MANIFEST).read_text(encoding="utf-8")))
    assert pages
    out = tmp_path / "index"
    # Laid out as the build lays out its parts: in a scratch folder, in the pages' order
    # (Pagefind numbers pages in the order it lists the folder).
    with tempfile.TemporaryDirectory(dir=scratch.folder()) as scratch_tree:
        tree = Path(scratch_tree)
        for rel in pages:
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(site.root / rel, tree / rel)
        _run_pagefind(tree, out)
    canonical_order(out)

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    made = files(built)
    del made[MANIFEST], made[MADE_BY]
    assert made == files(out)
    # And the parts were smaller than the pages: the theme around the article is left out.
    # (The search page has no indexed part: Pagefind leaves it out, given whole.)
    whole_pages = {rel: (site.root / rel).read_bytes() for rel in pages}
    parts = {rel: indexed_part(data) for rel, data in whole_pages.items()}
    assert [rel for rel, part in parts.items() if part is None] in ([], ["search/index.html"])
    sizes = [(len(part), len(whole_pages[rel])) for rel, part in parts.items() if part]
    assert all(part < whole for part, whole in sizes)
    assert sum(part for part, _ in sizes) < sum(whole for _, whole in sizes) / 2


def test_the_indexed_part_keeps_the_html_tag_marked_meta_the_body_and_images() -> None:
    page = (
        b'<!doctype html><html lang="cy" class="no-js"><head><meta charset="utf-8">'
        b'<title>T</title><meta data-pagefind-filter="year[content]" content="2026">'
        b'<script src="x.js"></script></head><body><header>Skip to content</header>'
        b'<nav><img src="logo.svg" alt="logo">Menu</nav><article class="md-content" '
        b"data-pagefind-body><h1>Report</h1><p data-pagefind-ignore>not this</p><p>Text</p>"
        b'</article><footer>F<img src="f.png"></footer></body></html>'
    )
    part = indexed_part(page)
    assert part == (
        b'<html lang="cy" class="no-js"><head>'
        b'<meta data-pagefind-filter="year[content]" content="2026"></head><body>'
        b'<img src="logo.svg" alt="logo"><article class="md-content" data-pagefind-body>'
        b"<h1>Report</h1><p data-pagefind-ignore>not this</p><p>Text</p></article>"
        b'<img src="f.png"></body></html>'
    )
    # A page without the body mark, or with an instruction to Pagefind outside the part,
    # is indexed whole.
    assert indexed_part(page.replace(b" data-pagefind-body", b"")) is None
    assert indexed_part(page.replace(b"<nav>", b'<nav data-pagefind-meta="x">')) is None
    assert indexed_part(page.replace(b"<title>T</title>", b"")) is not None


def test_the_indexed_part_leaves_out_what_pagefind_ignores_whole() -> None:
    """An element marked `data-pagefind-ignore="all"` (a report's appendices repeated for
    print) goes from the part with everything inside it, nested elements of its kind
    included; a plain `data-pagefind-ignore` (Pagefind still reads filters inside) stays,
    and so does an element whose end is not found."""
    print_copy = (
        b'<section class="cp-print-only" data-pagefind-ignore="all"><section><h2>A</h2>'
        b"<table><tr><th>Head</th></tr></table></section><p>more</p></section>"
    )
    page = (
        b'<!doctype html><html lang="en"><head></head><body><article data-pagefind-body>'
        b"<h1>Report</h1><section><p>Text</p></section>" + print_copy + b"<p>After</p>"
        b"<p data-pagefind-ignore>kept</p></article></body></html>"
    )
    part = indexed_part(page)
    assert part == (
        b'<html lang="en"><head></head><body><article data-pagefind-body>'
        b"<h1>Report</h1><section><p>Text</p></section><p>After</p>"
        b"<p data-pagefind-ignore>kept</p></article></body></html>"
    )
    unclosed = page.replace(b"<p>more</p></section>", b"<p>more</p>")
    assert b"cp-print-only" in indexed_part(unclosed)


@pytest.mark.parametrize(
    "html",
    [
        b'<div data-pagefind-ignore="all">x</div>after',
        b'<p>data-pagefind-ignore="all" in text</p><i data-pagefind-ignore="all">y</i>z',
        b'<a x="1" data-pagefind-ignore="all" data-pagefind-ignore="all">twice</a>z',
        b'<s data-pagefind-ignore="all"><s data-pagefind-ignore="all">in</s></s>out',
        b'<b>data-pagefind-ignore="all"<em data-pagefind-ignore="all">q</em>r',
        b'< data-pagefind-ignore="all">not a tag</p>',
        b'<x\tdata-pagefind-ignore="all">tab</x>after<u data-pagefind-ignore="all">open',
        b'<x title="a">data-pagefind-ignore="all"</x><y data-pagefind-ignore="all">k</y>',
    ],
)
def test_ignored_elements_are_found_by_their_attribute_as_the_pattern_finds_them(
    html: bytes,
) -> None:
    """`_ignored_tags` finds from the attribute exactly the tags the pattern finds when
    tried at every `<`: in text, twice in a tag, nested, unclosed, not in a tag."""
    from committee_papers.searchindex import _IGNORED_ALL, _ignored_tags

    found = [(m.start(), m.end()) for m in _ignored_tags(html)]
    assert found == [(m.start(), m.end()) for m in _IGNORED_ALL.finditer(html)]
