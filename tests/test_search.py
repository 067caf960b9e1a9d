"""Search: Pagefind indexes per year, what goes in them, and reading them back for the guard."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date

import pytest
from support import Site

from committee_papers.searchindex import (
    SIGNATURE,
    decode,
    fragment,
    groups_present,
    index_files,
    index_texts,
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
    assert any("pagefind/2026/" in p.as_posix() for p in hits)


def test_one_index_per_year_and_one_for_the_rest(site: Site, papers) -> None:
    years = sorted({str(m.date.year) for m in papers.meetings.values()}, reverse=True)
    assert groups_present(site.root) == [*years, "site"]
    form = site.page("search/").select_one("form#cp-search")
    assert form["data-pagefind"] == "../pagefind/"
    assert json.loads(form["data-years"]) == years
    # Built as on 23 November 2026: the recent year is 2026 alone (over six months old).
    assert json.loads(form["data-recent"]) == ["2026"]


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


def test_recent_years_cover_at_least_six_months(papers) -> None:
    """The years searched first: the build's year, and the one before until July."""
    years = {m.date.year for m in papers.meetings.values()}
    assert years == {2025, 2026}
    late = search_choices(papers, date(2026, 11, 23), lambda r: True)
    assert (late.years, late.recent, late.older) == (["2026", "2025"], ["2026"], ["2025"])
    early = search_choices(papers, date(2026, 3, 1), lambda r: True)
    assert (early.recent, early.older) == (["2026", "2025"], [])
    # An archive that stopped years ago still offers its newest year first.
    stale = search_choices(papers, date(2031, 9, 1), lambda r: True)
    assert (stale.recent, stale.older) == (["2026"], ["2025"])


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
    assert options["kind"] == ["agenda", "report", "appendix", "minutes", "decision"]
    # Every value the index holds for a filter is offered by the page.
    for name in ("body", "kind", "purpose"):
        indexed = {v for f in fragments.values() for v in f["filters"].get(name, [])}
        assert indexed and indexed <= set(options[name]), name
    status = page.select_one("#cp-search-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    older = page.select_one("#cp-search-older")
    assert older.get_text(" ", strip=True) == "Search older years too (2025)"
    # The page loads Pagefind's API from its script, not Pagefind's own UI.
    sources = [s["src"] for s in page.select("script[src]")]
    assert "../assets/search.js" in sources
    assert not [s for s in sources if "pagefind-ui" in s]
