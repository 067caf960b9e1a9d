"""A council's identity comes from its data: one mkdocs.yml builds any council's site.

`tests/fixtures/other-council/` (Ashcombe Town Council, no logo, its own bodies, people and
meetings) is built with the same mkdocs.yml, docs/ and templates as the demo, and nothing of
the demo council may reach it: not its name, not one of its ids, in any file or file name.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import yaml
from support import DATA, ROOT, Site, build_site, copy_data, mkdocs_build

from committee_papers.searchindex import index_texts

OTHER = ROOT / "tests" / "fixtures" / "other-council"


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(build_site(tmp_path_factory.mktemp("other") / "site", data_dir=OTHER))


def demo_marks() -> set[str]:
    """The demo council's name and the ids of its meetings, reports, people and bodies.
    Single-word body ids (council, cabinet, planning) are ordinary words, so left out."""
    marks = {"brackenford"}
    marks |= {p.name for p in (DATA / "meetings").iterdir() if p.is_dir()}
    marks |= {p.stem for p in (DATA / "meetings").glob("*/*.md")}
    marks |= set(yaml.safe_load((DATA / "people.yml").read_text()))
    marks |= {p.stem for p in (DATA / "bodies").glob("*.yml") if "-" in p.stem}
    return marks


def texts(root: Path):
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # .gz files and Pagefind's index files
            data = gzip.decompress(data)
        yield path.relative_to(root).as_posix(), data.decode("utf-8", "ignore").lower()


def test_another_council_builds_with_no_trace_of_the_demo(other: Site) -> None:
    marks = demo_marks()
    assert len(marks) > 50
    found = []
    for name, text in texts(other.root):
        found += [(name, mark) for mark in marks if mark in name.lower() or mark in text]
    assert not found, f"the demo council reached another council's site: {found[:10]}"
    assert any("ashcombe" in text.lower() for _, text in index_texts(other.root))
    assert "quay-shelter-repairs-2026" in (other.root / "sitemap.xml").read_text()


def test_name_description_footer_and_address_come_from_site_yml(other: Site) -> None:
    page = other.page("")
    assert page.title.get_text() == "Committee papers - Ashcombe Town Council committee papers"
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description == "Agendas, reports, minutes and decisions of Ashcombe Town Council."
    footer = page.select_one(".md-copyright").get_text(" ", strip=True)
    assert footer.startswith("Ashcombe Town Council. All rights reserved.")
    assert page.select_one(".md-header__topic").get_text(strip=True) == (
        "Ashcombe Town Council committee papers"
    )
    sitemap = (other.root / "sitemap.xml").read_text()
    assert "<loc>https://meetings.ashcombe-tc.example.org/meetings/</loc>" in sitemap


def test_the_home_page_is_the_councils(other: Site) -> None:
    article = other.article("")
    assert article.h1.get_text() == "Ashcombe Town Council committee papers"
    assert "The agendas, reports and minutes of Ashcombe Town Council" in article.get_text()
    upcoming = article.find(id="upcoming-meetings").find_next("ul").get_text(" ", strip=True)
    assert "Ashcombe Town Council, Wednesday 9 December 2026 at 7 pm" in upcoming


def test_the_about_page_follows_the_jurisdiction_and_contact(other: Site) -> None:
    text = " ".join(other.article("about").get_text(" ").split())
    assert "committee papers of Ashcombe Town Council" in text
    assert "at least 3 clear working days before each meeting" in text
    assert "Part 1 of Schedule 12A to the Local Government Act 1972" in text
    assert "clerk@ashcombe-tc.example.org or telephone 01632 970 100" in text


def test_a_council_without_a_logo_has_the_themes_icon(other: Site) -> None:
    assert other.page("").select_one(".md-logo img") is None
    assert not (other.root / "assets" / "logo.svg").exists()


def test_the_logo_is_copied_from_the_data_folder(site: Site) -> None:
    assert site.page("").select_one(".md-logo img")["src"] == "assets/logo.svg"
    assert (site.root / "assets/logo.svg").read_bytes() == (DATA / "assets/logo.svg").read_bytes()


def test_a_meeting_may_name_its_own_signatory(other: Site, site: Site) -> None:
    summons = other.article("meetings/2026-12-09-town-council").select_one(".cp-summons")
    assert summons.get_text("|", strip=True) == "Morwenna Kitto|Deputy Town Clerk"
    demo = site.article("meetings/2026-12-01-cabinet").select_one(".cp-summons")
    assert demo.get_text("|", strip=True) == "Helen Marsh|Chief Executive"


def test_the_documentation_is_published_only_where_site_yml_asks(other: Site, site: Site) -> None:
    for url in ("data", "urls", "macros", "hosting"):
        assert site.path(url).exists()
        assert not other.path(url).exists()
    nav = other.page("").select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "Writing papers as data" not in nav
    assert "Accessibility statement" in nav and "About this site" in nav


def test_mkdocs_build_reads_the_data_folder_from_papers_data(tmp_path: Path) -> None:
    result = mkdocs_build(tmp_path / "site", PAPERS_DATA=str(OTHER))
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Ashcombe Town Council committee papers" in index
    assert "Brackenford" not in index


def test_the_councils_name_is_escaped_where_the_theme_prints_it(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data", OTHER)
    settings = data / "site.yml"
    settings.write_text(
        settings.read_text().replace(
            "council: Ashcombe Town Council", 'council: "Ashcombe & <b>Town</b> Council"'
        )
    )
    html = (build_site(tmp_path / "site", data_dir=data) / "index.html").read_text()
    assert "<b>Town</b>" not in html
    assert "Ashcombe &amp; &lt;b&gt;Town&lt;/b&gt; Council committee papers" in html
    assert "&amp;amp;" not in html


def test_the_other_council_is_a_fixture_of_its_own() -> None:
    """It must stay free of the demo, or the no-trace test would prove nothing."""
    for name, text in texts(OTHER):
        assert not [m for m in demo_marks() if m in text], name
