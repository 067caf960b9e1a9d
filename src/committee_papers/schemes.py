"""Which link addresses from data may reach a page: http, https, mailto, tel or relative.

Anything else (`javascript:`, `data:`, `vbscript:`, `file:` ...) could run script or read
the reader's machine when clicked, so the model refuses it in URL fields (`SafeUrl`), the
Markdown converter drops it from officers' links and images (`text.py`), and `papers check`
reports it with its file, line and field. Browsers ignore tabs, newlines and leading control
characters inside a scheme and read entities in attributes, so the check does too:
`  JaVa&#x53;cript:` is `javascript:`.
"""

from __future__ import annotations

import html
import re
from typing import Annotated

from pydantic import AfterValidator

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
# What a browser strips before it reads a scheme: C0 controls and spaces at the start,
# and tabs and newlines anywhere (WHATWG URL parser).
_LEADING = re.compile(r"^[\x00-\x20]+")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_MARKDOWN_LINK = re.compile(
    r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.M
)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^>\s]*)>")


def scheme_of(url: str) -> str | None:
    """The scheme a browser would use for `url` (lower case), or None for a relative link."""
    text = _TAB_NEWLINE.sub("", _LEADING.sub("", html.unescape(url)))
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


def is_allowed(url: str) -> bool:
    """True when `url` is http, https, mailto, tel or relative (a path or #anchor)."""
    scheme = scheme_of(url)
    return scheme is None or scheme in ALLOWED_SCHEMES


def refusal(url: str) -> str:
    """The message a clerk sees for a link that is not allowed."""
    shown = url if len(url) <= 60 else url[:57] + "..."
    return (
        f"link {shown!r} uses the scheme {scheme_of(url)!r}, which is not allowed; "
        f"expected an address starting http:, https:, mailto: or tel:, or a relative one"
    )


def _check(url: str | None) -> str | None:
    if url is not None and not is_allowed(url):
        raise ValueError(refusal(url))
    return url


#: A URL field of the model: only http, https, mailto, tel or relative addresses.
SafeUrl = Annotated[str, AfterValidator(_check)]


def unsafe_markdown_links(markdown_text: str | None) -> list[tuple[int, str]]:
    """(line, address) of each link or image in Markdown whose scheme is not allowed.

    `papers check` reports these; the converter drops them anyway, so a page is safe even
    when nobody ran the check.
    """
    found: list[tuple[int, str]] = []
    # Every link form needs one of these; most of ten years of text has none (fast path).
    if not markdown_text or (
        "](" not in markdown_text and "]:" not in markdown_text and "<" not in markdown_text
    ):
        return found
    for number, line in enumerate(markdown_text.splitlines(), start=1):
        for match in [*_MARKDOWN_LINK.finditer(line), *_AUTOLINK.finditer(line)]:
            url = next(group for group in match.groups() if group)
            if not is_allowed(url):
                found.append((number, url))
    return found
