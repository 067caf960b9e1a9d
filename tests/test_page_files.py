"""MkDocs' files as the plugin hands them on (mkdocs_plugin._PageFiles): every
documentation page listed once, and again only after a file is added or removed."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from mkdocs.structure.files import File, Files, InclusionLevel

from committee_papers.mkdocs_plugin import _addresses, _PageFiles, _PlacedPage


def _file(path: str, inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> File:
    return File(path, "docs", "site", use_directory_urls=True, inclusion=inclusion)


def _files() -> list[File]:
    return [
        _file("index.md"),
        _file("help.md", InclusionLevel.NOT_IN_NAV),
        _file("draft.md", InclusionLevel.EXCLUDED),
        _file("assets/logo.png"),
        _file("meetings/2026-10-13-planning.md", InclusionLevel.NOT_IN_NAV),
    ]


def test_every_page_as_mkdocs_lists_them_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _PageFiles(Files(_files()))
    expected = [f.src_uri for f in Files(_files()).documentation_pages()]
    asked: list[str] = []
    real = File.is_documentation_page

    def noted(self: File) -> bool:
        asked.append(self.src_uri)
        return real(self)

    monkeypatch.setattr(File, "is_documentation_page", noted)
    assert [f.src_uri for f in files.documentation_pages()] == expected
    assert "draft.md" not in expected and "assets/logo.png" not in expected
    listed = len(asked)
    again = files.documentation_pages()
    assert [f.src_uri for f in again] == expected
    assert len(asked) == listed  # not listed again
    again.clear()  # a caller's copy: the next caller still gets every page
    assert [f.src_uri for f in files.documentation_pages()] == expected


def test_listed_again_once_a_file_is_added_or_removed() -> None:
    files = _PageFiles(Files(_files()))
    files.documentation_pages()
    added = _file("people/ruth-okafor.md", InclusionLevel.NOT_IN_NAV)
    files.append(added)
    assert added in files.documentation_pages()
    files.remove(added)
    assert added not in files.documentation_pages()
    index = files.get_file_from_path("index.md")
    assert index is not None
    files.remove(index)
    assert [f.src_uri for f in files.documentation_pages()] == [
        "help.md",
        "meetings/2026-10-13-planning.md",
    ]


def test_placed_pages_are_listed_where_their_files_would_stand_and_never_built() -> None:
    """A page the page cache serves is no file of MkDocs': the nav and the sitemap list it
    in the generated pages' order, MkDocs' page loops never see it, and a link finds a
    file made for it then."""
    real = [_file("index.md"), _file("meetings/a.md", InclusionLevel.NOT_IN_NAV)]
    placed = {
        uri: _PlacedPage(uri, True, "https://papers.example.org/", "2026-11-23")
        for uri in ("meetings/b.md", "people/c/index.md")
    }
    made: list[str] = []

    def make(uri: str) -> File:
        made.append(uri)
        return _file(uri, InclusionLevel.NOT_IN_NAV)

    order = ["meetings/b.md", "meetings/a.md", "people/c/index.md"]
    files = _PageFiles(Files(real), placed, order, make)
    listed = files.documentation_pages()
    assert [f.src_uri for f in listed] == ["index.md", *order]
    assert listed[1] is placed["meetings/b.md"]
    built = files.documentation_pages(inclusion=InclusionLevel.is_included)
    assert [f.src_uri for f in built] == ["index.md", "meetings/a.md"]
    assert "meetings/b.md" not in [f.src_uri for f in files]
    # As MkDocs' own file and page give them, for the sitemap.
    page = placed["meetings/b.md"]
    mkdocs_file = _file("meetings/b.md")
    assert (page.dest_uri, page.url) == (mkdocs_file.dest_uri, mkdocs_file.url)
    assert page.canonical_url == "https://papers.example.org/meetings/b/"
    assert page.abs_url == "/meetings/b/"
    assert placed["people/c/index.md"].url == "people/c/"
    assert page.page is page and not page.is_link
    linked = files.get_file_from_path("meetings/b.md")
    assert linked is not None and made == ["meetings/b.md"]
    assert files.get_file_from_path("meetings/b.md") is linked  # made once
    assert files.get_file_from_path("meetings/none.md") is None


@pytest.mark.parametrize(
    "site_url",
    ["https://papers.example.org", "https://x.org/sub/", "http://x.org/a?b=1", "https://x.org/#f"],
)
def test_a_placed_page_s_addresses_are_the_ones_mkdocs_gives(site_url: str) -> None:
    """A plain url is appended to the site's address; any other takes MkDocs' way
    (`urljoin`, then `urlsplit`'s path), with the same answer."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    for url in [
        *["", "a/", "a/b/index.html", "./a/", "a/../b/", "a/./b/", ".x/", "a%20b/", "a:b/"],
        *["a/..", "a/.", "a/..b/", "a/.b"],
    ]:
        canonical = urljoin(base, url)
        assert _addresses(site_url, url) == (canonical, urlsplit(canonical).path)
    assert _addresses(None, "a/") == (None, None)
