"""Printing from the browser: A4 pages of the paper alone, with link addresses written out."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

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
    assert 2 <= len(pdf.pages) <= 4
    # Shaped like the printed committee paper (the report's PDF): council, item, meeting.
    assert words.startswith("Brackenford District Council Agenda item 3 Audit and Governance")
    assert "Printable report" not in words
