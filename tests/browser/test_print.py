"""Printing from the browser: A4 pages of the paper alone, with link addresses written out."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from committee_papers.model import Papers

A4_POINTS = (595, 842)


def printed(page: Any) -> PdfReader:
    """What Chromium's Print to PDF makes of the page, with the page's own @page size."""
    page.emulate_media(media="print")
    try:
        return PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    finally:
        page.emulate_media(media="screen")


def words_of(pdf: PdfReader) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())


@pytest.mark.browser
def test_a_meeting_prints_on_a4_without_the_site_chrome(desktop: Any, open_page: Any) -> None:
    page = open_page(desktop, "/meetings/2026-01-28-audit-governance/")
    pdf = printed(page)
    width, height = (round(float(v)) for v in pdf.pages[0].mediabox.upper_right)
    assert (width, height) == A4_POINTS
    words = words_of(pdf)
    assert "Audit and Governance Committee" in words
    assert "Part 2: items not open to the public" in words
    assert "Table of contents" not in words and "Skip to content" not in words
    assert "Made with" not in words  # the footer
    # Link addresses are written out, since a reader of paper cannot follow a link.
    assert "(https://webcast.brackenford.example.gov.uk/audit-2026-01-28)" in words.replace(" ", "")
    assert "mailto:" not in words  # an email link's text is already its address


@pytest.mark.browser
def test_a_report_prints_in_full_without_the_site_chrome(desktop: Any, open_page: Any) -> None:
    page = open_page(desktop, "/reports/internal-audit-progress-q3-2025-26/")
    pdf = printed(page)
    words = words_of(pdf)
    for heading in ("Summary", "Recommendations", "Main report", "Contact"):
        assert heading in words
    assert "paul.renshaw@brackenford.example.gov.uk" in words.replace(" ", "")
    assert "Made with" not in words and "Table of contents" not in words
    # The report, then each of its two appendices on a page of its own.
    assert 4 <= len(pdf.pages) <= 6
    # Shaped like the printed committee paper (the report's PDF): council, item, meeting.
    assert words.startswith("Brackenford District Council Agenda item 3 Audit and Governance")
    assert "Printable report" not in words
    # Links to the site's own pages are relative in the HTML: on paper they show their full
    # address, as in the report's PDF.
    site_links = page.eval_on_selector_all(
        ".md-content .md-typeset a[data-print-href]", "links => links.map(a => a.href)"
    )
    assert site_links and all(href.startswith("http") for href in site_links)
    flat = words.replace(" ", "")
    assert any(f"({href})" in flat for href in site_links)


@pytest.mark.browser
def test_a_printed_report_has_its_appendices_after_its_text(
    desktop: Any, open_page: Any, papers: Papers
) -> None:
    """The browser's print of a report page has the shape of the report's PDF: council,
    "Agenda item N" and the meeting, the report, then each public appendix on a new page,
    with link addresses written out. On screen the appendices are not shown (each has its
    own page) and search leaves them out."""
    report = papers.reports["risk-register-update-jan-2026"]
    meeting, item = papers.items_presenting(report.id)[-1]
    page = open_page(desktop, f"/reports/{report.id}/")
    copy = page.locator(".cp-print-appendices")
    assert copy.count() == 1 and not copy.is_visible()
    assert copy.get_attribute("data-pagefind-ignore") == "all"
    # No anchor of the printed copy repeats one of the page's own.
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    pdf = printed(page)
    texts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    words = " ".join(texts)
    assert words.startswith(f"{papers.site.council} Agenda item {item.number}")
    assert papers.bodies[meeting.body].name in texts[0]
    assert "Contact" in words
    report_end = words.index("Contact")
    for appendix in report.appendices:
        heading = f"Appendix {appendix.label}: {appendix.title}"
        # Each appendix starts a page of its own, after the report's text.
        label = f"Appendix {appendix.label} to {report.title} {heading}"
        starts = [i for i, t in enumerate(texts) if t.startswith(label)]
        assert len(starts) == 1 and starts[0] > 0, heading
        assert words.rindex(heading) > report_end, heading
        if appendix.link:
            assert f"({appendix.link.url})" in words.replace(" ", ""), heading
        if appendix.markdown:
            first_words = " ".join(appendix.markdown.replace("**", "").split()[:6])
            assert first_words in words, heading
