"""Late papers and corrections: "Supplementary" on the agenda, earlier versions kept readable.

The demo's draft budget report was corrected on 23 November 2026, after the Cabinet agenda
went out on 20 November: version 1 stays readable at /reports/budget-proposals-2027-28/v1/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import DATA, ROOT, copy_data

from committee_papers.load import load, load_with_problems
from committee_papers.pages import page_specs
from committee_papers.policy import Audience, Policy
from committee_papers.render import Renderer

REPORT = "budget-proposals-2027-28"
AS_OF = dt.date(2026, 11, 23)


def test_late_item_shows_supplementary_on_the_agenda(site) -> None:
    item = site.article("meetings/2026-11-11-audit-governance/").select_one("#item-5")
    tags = [tag.get_text() for tag in item.select(".cp-late .cp-tag")]
    assert tags == ["Supplementary"]
    assert "Late item: The external auditor issued" in item.select_one(".cp-late").get_text()


def test_earlier_version_is_readable_at_its_own_address(site) -> None:
    page = site.article(f"reports/{REPORT}/v1/")
    assert page.h1.get_text() == "Draft Budget 2027/28 and Savings Proposals (version 1)"
    notice = page.select_one(".cp-version-notice").get_text(" ", strip=True)
    assert "This version was replaced on Monday 23 November 2026" in notice
    assert "misprinted as £1.54 million" in notice
    assert page.select_one(".cp-version-notice a")["href"] == f"../../../reports/{REPORT}/"
    assert "would deliver £1.54 million" in page.select_one(".cp-main-text").get_text()
    appendix = page.select_one("#appendix-1")
    assert appendix.get_text() == "Appendix 1: Savings and income proposals 2027/28"
    captions = [caption.get_text() for caption in page.select("table caption")]
    assert any("Proposed savings and income for 2027/28" in text for text in captions)


def test_current_version_links_to_the_earlier_one(site) -> None:
    page = site.article(f"reports/{REPORT}/")
    links = page.select("#versions ~ ul a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Version 1", f"../../reports/{REPORT}/v1/")
    ]
    assert "replaced on 23 November 2026" in page.select_one(".cp-versions").get_text()
    assert "would deliver £1.45 million" in page.select_one(".cp-main-text").get_text()


def version_pages(data: Path, audience: Audience) -> list[str]:
    papers = load(data)
    policy = Policy(papers, audience, AS_OF)
    specs = page_specs(papers, policy, Renderer(papers, policy, [ROOT / "macros"]))
    return [s.url for s in specs if s.kind == "report-version"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data", source=DATA)


def test_a_version_replaced_before_publication_was_never_public(data: Path) -> None:
    path = data / "meetings" / "2026-12-01-cabinet" / f"{REPORT}.md"
    path.write_text(path.read_text().replace("replaced: 2026-11-23", "replaced: 2026-11-19"))
    assert version_pages(data, Audience.public) == []
    assert version_pages(data, Audience.members) == [f"reports/{REPORT}/v1/"]


def test_a_published_version_is_public(data: Path) -> None:
    assert version_pages(data, Audience.public) == [f"reports/{REPORT}/v1/"]


def test_a_missing_version_file_is_one_problem_with_its_line(data: Path) -> None:
    (data / "meetings" / "2026-12-01-cabinet" / "versions" / f"{REPORT}.v1.md").unlink()
    _, problems, _ = load_with_problems(data)
    assert [str(p) for p in problems] == [
        f"{data}/meetings/2026-12-01-cabinet/{REPORT}.md:43: versions[0]: file "
        f"'versions/{REPORT}.v1.md' does not exist in {data}/meetings/2026-12-01-cabinet; "
        "keep version 1 there as it was published"
    ]
