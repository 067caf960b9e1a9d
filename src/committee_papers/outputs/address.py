"""Absolute addresses for files read outside the site (calendars, feeds, open data).

A calendar app or feed reader keeps an event or entry long after it fetched it, so links
in them are absolute, made from the site's public address (`site_url` in site.yml, or in
mkdocs.yml), and ids are derived from that address and the object's stable id.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..model import Papers

LONDON = ZoneInfo("Europe/London")


def site_root(papers: Papers) -> str:
    """The site's public address, ending in '/' ('/' alone when none is configured)."""
    url = papers.site.site_url or "/"
    return url if url.endswith("/") else url + "/"


def absolute(papers: Papers, path: str) -> str:
    """The absolute address of a site-relative path such as 'meetings/x/'."""
    return site_root(papers) + path.lstrip("/")


def host(papers: Papers) -> str:
    """The site's host name, for calendar UIDs ('papers.example.gov.uk')."""
    return urlsplit(site_root(papers)).hostname or "localhost"


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight in Europe/London: publication dates are UK legal dates, not instants."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
