"""Search: Pagefind indexes per year, what goes in them, and reading them back for the guard."""

from __future__ import annotations

import gzip
import json

import pytest
from support import Site

from committee_papers.searchindex import (
    SIGNATURE,
    decode,
    fragment,
    groups_present,
    index_files,
    index_texts,
)


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
    search = site.page("search/")
    bundles = json.loads(search.select_one("#cp-search")["data-bundles"])
    assert bundles == [f"../pagefind/{group}/" for group in [*years, "site"]]


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
        f for url, f in fragments.items() if url.startswith("/decisions/") and url != "/decisions/"
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
