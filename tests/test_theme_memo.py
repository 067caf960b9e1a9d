"""The theme's navigation memo (theme_memo.py): the same bytes as drawing it on every page."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from support import build_site, copy_data, file_digests

from committee_papers import theme_memo


def test_a_site_with_the_navigation_memo_has_the_bytes_of_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_data(tmp_path / "data")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")  # every page's theme drawn
    places: list[Any] = []
    place = theme_memo._place

    def counted(context: Any, url: Any) -> Any:
        found = place(context, url)
        places.append(found)
        return found

    monkeypatch.setattr(theme_memo, "_place", counted)
    with_memo = file_digests(build_site(tmp_path / "with", data_dir=data))
    # Most pages were outside the nav and shared their place with others: the memo was used.
    # (The place is worked out once a page, however many templates and blocks ask for it.)
    keyed = [p for p in places if p is not None]
    assert len(keyed) > 25 and len(set(keyed)) < len(keyed) / 2
    assert None in places  # the nav's own pages are drawn every time
    monkeypatch.setenv(theme_memo.ENV_MEMO, "0")
    without = file_digests(build_site(tmp_path / "without", data_dir=data))
    assert with_memo == without
    assert sum(name.endswith(".html") for name in without) > 30


def test_a_table_of_contents_is_drawn_once_for_the_same_headings() -> None:
    """Kept by what it shows of each heading (anchor, title, level, children), never by the
    page: two reports with the same headings share one drawing, another heading or level
    draws afresh, and a page without a table of contents is always drawn."""
    drawn: list[Any] = []

    def draw(context: dict[str, Any]) -> Any:
        drawn.append(context["page"])
        yield f"<nav>{len(drawn)}</nav>"

    memo = theme_memo._by_headings(draw)

    def heading(url: str, title: str, level: int = 2, children: tuple = ()) -> Any:
        return SimpleNamespace(url=url, title=title, level=level, children=list(children))

    def page(*toc: Any) -> Any:
        return SimpleNamespace(toc=list(toc))

    def shown(page: Any) -> str:
        return "".join(memo({"page": page}))

    same = [heading("#summary", "Summary"), heading("#background", "Background")]
    first = shown(page(*same))
    assert shown(page(*same)) == first and len(drawn) == 1
    assert shown(page(same[0])) != first  # fewer headings
    shown(page(heading("#summary", "Summary", 3), same[1]))  # another level
    shown(page(heading("#summary", "Summary", children=same), same[1]))  # children
    shown(page(heading("#summary", "Summary of the report"), same[1]))  # another title
    shown(SimpleNamespace(toc=None))
    shown(SimpleNamespace(toc=None))
    assert len(drawn) == 7


def test_only_the_tables_of_contents_last_used_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most agendas, minutes and reports have headings of their own: the memo keeps the
    `TOC_KEPT` last used, not one for every page."""
    monkeypatch.setattr(theme_memo, "TOC_KEPT", 2)
    drawn: list[str] = []

    def draw(context: dict[str, Any]) -> Any:
        drawn.append(context["page"].toc[0].url)
        yield context["page"].toc[0].url

    memo = theme_memo._by_headings(draw)
    for anchor in ["#a", "#b", "#a", "#c", "#a", "#b"]:
        heading = SimpleNamespace(url=anchor, title="Title", level=2, children=[])
        assert "".join(memo({"page": SimpleNamespace(toc=[heading])})) == anchor
    # "#a", used again before "#c" came, stayed; "#b" was the oldest when "#c" came.
    assert drawn == ["#a", "#b", "#c", "#b"]
