"""Links from data go only to http, https, mailto, tel or relative addresses.

The scheme is read the way a browser reads it (entities decoded, leading spaces and control
characters and inner tabs ignored, any case), so disguises do not get through.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from committee_papers import schemes, text

DISGUISED = [
    "javascript:alert(1)",
    "JaVaScRipT:alert(1)",
    "  javascript:alert(1)",
    "\x01\x02javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
ALLOWED = [
    "https://www.example.gov.uk/a?b=c#d",
    "http://example.org",
    "mailto:democratic.services@example.gov.uk",
    "tel:+441234567890",
    "../reports/x/",
    "#para-7",
    "/meetings/",
    "appendix-a/",
    "page:colon-in-path/../x",  # a scheme in name only would be refused: see below
]


@pytest.mark.parametrize("url", DISGUISED)
def test_disguised_schemes_are_refused(url: str) -> None:
    assert not schemes.is_allowed(url)


@pytest.mark.parametrize("url", ALLOWED[:-1])
def test_ordinary_addresses_are_allowed(url: str) -> None:
    assert schemes.is_allowed(url)


def test_a_word_before_a_colon_is_a_scheme() -> None:
    assert schemes.scheme_of(ALLOWED[-1]) == "page"
    assert not schemes.is_allowed(ALLOWED[-1])


@pytest.mark.parametrize("url", DISGUISED)
def test_markdown_links_and_images_lose_a_disallowed_address(url: str) -> None:
    markdown = f"See [the plan]({url}) and ![a chart]({url}) and <{url}>."
    soup = BeautifulSoup(str(text.to_html(markdown)), "lxml")
    for element in soup.find_all(["a", "img"]):
        for attribute in ("href", "src"):
            value = element.get(attribute)
            assert value is None or schemes.is_allowed(value), element
    assert "the plan" in soup.get_text()  # the words stay; only the address goes


def test_allowed_links_are_kept() -> None:
    html = str(text.to_html("[a](https://x.example/) [b](mailto:a@b.example) [c](../y/)"))
    hrefs = [a["href"] for a in BeautifulSoup(html, "lxml").find_all("a")]
    assert hrefs == ["https://x.example/", "mailto:a@b.example", "../y/"]


def test_reference_links_are_filtered_too() -> None:
    html = str(text.to_html("[the plan][p]\n\n[p]: javascript:alert(1)\n"))
    assert BeautifulSoup(html, "lxml").find("a").get("href") is None


def test_check_finds_bad_links_with_their_lines() -> None:
    found = schemes.unsafe_markdown_links(
        "Fine [a](https://x.example).\n\nBad [b](javascript:alert(document.cookie)).\n"
        "[ref]: data:text/html,x\nAlso <vbscript:x>.\n"
    )
    assert found == [
        (3, "javascript:alert(document.cookie)"),
        (4, "data:text/html,x"),
        (5, "vbscript:x"),
    ]
