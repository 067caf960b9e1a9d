"""Accessibility rules for content, checked on every page of the built demo site.

The browser tests (tests/browser) run axe-core on one page of each type; these read the
HTML of every page, so a rule broken by one unusual paper (a table without a caption, a
skipped heading level) is caught too, without a browser.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from support import DATA, Site

#: Link text that says nothing out of context (WCAG 2.4.4), compared without case or dots.
VAGUE_LINK_TEXT = {"click here", "click", "here", "more", "read more", "more information"}
RAG_WORDS = {"Red", "Amber", "Green", "Blue", "Not rated"}


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, BeautifulSoup]:
    """Every HTML page of the site, parsed once, by its path in the site."""
    return {
        path.relative_to(site.root).as_posix(): BeautifulSoup(
            path.read_text(encoding="utf-8"), "lxml"
        )
        for path in site.html_files()
    }


def article(page: BeautifulSoup) -> Tag:
    found = page.select_one("article")
    assert found is not None
    return found


def words(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def accessible_name(element: Tag, page: BeautifulSoup) -> str:
    """The accessible name of a link, as far as HTML alone decides it (ARIA, text, alt)."""
    if element.get("aria-labelledby"):
        parts = (page.find(id=ref) for ref in str(element["aria-labelledby"]).split())
        return " ".join(words(part) for part in parts if part is not None).strip()
    if str(element.get("aria-label", "")).strip():
        return str(element["aria-label"]).strip()
    texts = [words(element)]
    texts += [str(img.get("alt", "")) for img in element.find_all("img")]
    texts += [words(title) for title in element.select("svg title")]
    name = " ".join(t for t in texts if t).strip()
    return name or str(element.get("title", "")).strip()


def test_every_page_was_read(pages: dict[str, BeautifulSoup]) -> None:
    assert len(pages) > 50
    for url in ("index.html", "404.html", "accessibility/index.html"):
        assert url in pages


def test_every_page_declares_its_language(pages: dict[str, BeautifulSoup]) -> None:
    missing = [url for url, page in pages.items() if not page.html.get("lang", "").strip()]
    assert not missing, f"<html> without lang: {missing}"


def test_every_page_has_a_skip_link_to_its_title(pages: dict[str, BeautifulSoup]) -> None:
    """The skip link lands at the start of the content: the article that holds the h1."""
    wrong = []
    for url, page in pages.items():
        targets = [
            page.find(id=link["href"][1:])
            for link in page.select("a.md-skip[href^='#']")
            if not link.find_parent(attrs={"data-md-component": "skip"})
        ]
        if not any(t is not None and t.find("h1") is not None for t in targets):
            wrong.append(url)
    assert not wrong, f"no skip link to the start of the content: {wrong}"


def test_rag_status_is_given_in_words_not_only_colour(pages: dict[str, BeautifulSoup]) -> None:
    cells = [(url, cell) for url, page in pages.items() for cell in page.select(".cp-rag")]
    assert cells, "the demo has RAG tables; none was found"
    for url, cell in cells:
        status = words(cell)
        assert status in RAG_WORDS, f"{url}: RAG cell {cell} does not say its status"
        modifier = f"cp-rag--{status.lower().replace(' ', '-')}"
        assert modifier in cell["class"], f"{url}: colour differs from {status}"
        for swatch in cell.select(".cp-rag-swatch"):
            assert swatch.get("aria-hidden") == "true", f"{url}: the swatch is read out"


def from_markdown(table: Tag) -> bool:
    """Whether a table came from Markdown (officers' text, docs/) rather than a template:
    the templates give every header cell a scope; Markdown's tables never do."""
    return table.find("th", scope=True) is None


def tables(pages: dict[str, BeautifulSoup]) -> list[tuple[str, Tag]]:
    return [(url, table) for url, page in pages.items() for table in article(page)("table")]


def test_every_table_has_header_cells(pages: dict[str, BeautifulSoup]) -> None:
    wrong = [f"{url}: {words(t)[:60]!r}" for url, t in tables(pages) if t.find("th") is None]
    assert not wrong, "tables without <th> header cells:\n" + "\n".join(wrong)


def test_every_table_of_the_papers_has_a_caption(pages: dict[str, BeautifulSoup]) -> None:
    made = [(url, t) for url, t in tables(pages) if not from_markdown(t)]
    assert len(made) > 50, "the papers' tables were not found"
    wrong = [
        f"{url}: {words(t)[:60]!r}"
        for url, t in made
        if t.find("caption") is None or not words(t.find("caption"))
    ]
    assert not wrong, "tables without a <caption>:\n" + "\n".join(wrong)


def test_tables_in_officers_markdown_have_a_caption(pages: dict[str, BeautifulSoup]) -> None:
    written = [
        (url, t)
        for url, t in tables(pages)
        if from_markdown(t) and t.find_parent(class_="cp-page") is not None
    ]
    wrong = [f"{url}: {words(t)[:60]!r}" for url, t in written if t.find("caption") is None]
    assert not wrong, "tables in papers' Markdown without a <caption>:\n" + "\n".join(wrong)


def test_charts_are_named_and_followed_by_their_data(pages: dict[str, BeautifulSoup]) -> None:
    charts = [(url, svg) for url, page in pages.items() for svg in page.select("svg[role=img]")]
    charts = [(url, svg) for url, svg in charts if svg.find_parent("article") is not None]
    assert charts, "the demo has charts; none was found"
    for url, svg in charts:
        assert accessible_name(svg, pages[url]), f"{url}: a chart has no accessible name"
        figure = svg.find_parent("figure")
        assert figure is not None, f"{url}: a chart is not in a <figure>"
        data = figure.find_next_sibling()
        table = data.find("table") if data is not None else None
        assert table is not None, f"{url}: no table of the data follows the chart"
        assert words(table.find("caption")).startswith("Data for the chart"), url


def test_headings_go_down_one_level_at_a_time(pages: dict[str, BeautifulSoup]) -> None:
    """One h1, then h2, h3...: a level may be left for a higher one but never skipped."""
    wrong = []
    for url, page in pages.items():
        levels = [int(h.name[1]) for h in article(page).find_all(re.compile(r"^h[1-6]$"))]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            wrong.append(f"{url}: headings {levels[:8]} do not start with a single h1")
            continue
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                wrong.append(f"{url}: h{before} is followed by h{after}")
                break
    assert not wrong, "\n".join(wrong)


def test_every_link_says_where_it_goes(pages: dict[str, BeautifulSoup]) -> None:
    wrong = []
    for url, page in pages.items():
        for link in page.find_all("a", href=True):
            name = accessible_name(link, page)
            if not name:
                wrong.append(f"{url}: a link to {link['href']} has no text")
            elif name.lower().strip(" .:!") in VAGUE_LINK_TEXT:
                wrong.append(f"{url}: the link {name!r} to {link['href']} says nothing")
    assert not wrong, "\n".join(wrong[:40])


def test_accessibility_statement_is_filled_from_site_settings(site: Site) -> None:
    settings = yaml.safe_load((DATA / "site.yml").read_text(encoding="utf-8"))
    prepared = settings["accessibility"]["statement_prepared"]
    if not isinstance(prepared, dt.date):
        prepared = dt.date.fromisoformat(str(prepared))
    statement = words(site.article("/accessibility/"))
    assert settings["council"] in statement
    assert f"prepared on {prepared.day} {prepared:%B %Y}" in statement
    assert "fully compliant with the Web Content Accessibility Guidelines version 2.2" in (
        statement
    )
    assert "Equality and Human Rights Commission" in statement
    assert settings["accessibility"]["contact_for_alternative_formats"] in statement


def test_statement_page_is_not_the_placeholder() -> None:
    source = (Path(__file__).parent.parent / "docs" / "accessibility.md").read_text()
    assert "{{ accessibility_statement() }}" in source
    assert "To be written" not in source
