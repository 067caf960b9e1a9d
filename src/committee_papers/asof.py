"""The date a build publishes as: today in Europe/London, or a date the clerk gives.

Publication and embargo dates are UK legal dates. A server abroad (or in UTC during British
Summer Time) would otherwise publish embargoed papers before midnight in London, or hold
them back after it.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def london_today() -> dt.date:
    """Today's date in London, whatever the server's own time zone."""
    return _now().astimezone(LONDON).date()


def parse_as_of(text: str) -> dt.date:
    """A date given as YYYY-MM-DD between 1970 and 2100; ValueError says what was wrong."""
    if not _ISO_DATE.match(text):
        raise ValueError(f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2026-11-23")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (YYYY-MM-DD)") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{text} is outside the years {EARLIEST.year} to {LATEST.year}")
    return day
