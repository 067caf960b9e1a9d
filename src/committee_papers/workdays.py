"""Working days and clear days, counted as the law counts them, for each UK nation.

Deadlines in local government are "clear working days": the day of publication and the day
of the meeting are left out, and so are weekends and bank holidays. Bank holidays differ by
nation (Scotland keeps 2 January and St Andrew's Day, England and Wales Easter Monday), and
change by proclamation, so they come from the maintained `holidays` library, never from a
list kept here. Agenda deadlines, forward-plan notices and call-in periods all use these
functions, so every deadline in the project is counted the same way.

The library's first answer costs an import of every country it knows (0.08 s, its
`holidays.countries` package), in the build process (the decisions register's call-in
periods) and in the fork checking deadlines, on every build. So a build keeps the days it
asked for beside its load cache (`remember_in`): the next build takes them from there. The
file is named by the code's fingerprint, which counts the library's version
(loadcache.code_fingerprint): a new release is asked again.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from . import codememo

#: Nations as written in jurisdictions.yml, and the subdivision the holidays library uses.
NATIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}

_PREFIX = "bank-holidays-"
_FORMAT = 1

#: The bank holidays of each nation and year asked for in this process or kept from an
#: earlier build, and the folder they are kept in (`remember_in`).
_known: dict[tuple[str, int], frozenset[dt.date]] = {}
_folder: Path | None = None


def remember_in(folder: Path | None) -> None:
    """Keep the bank holidays asked for in `folder` (a load cache's), taking those kept
    there by an earlier build; None keeps them in this process only."""
    global _folder
    _folder = folder
    if folder is not None:
        _known.update(codememo.load_table(folder, _PREFIX, _FORMAT, "days", _dates))


def _dates(value: object) -> bool:
    return isinstance(value, frozenset) and all(type(day) is dt.date for day in value)


def _holidays(nation: str, year: int) -> frozenset[dt.date]:
    found = _known.get((nation, year))
    if found is None:
        import holidays  # only when a year is not kept (see above)

        days = holidays.UK(subdiv=NATIONS[nation], years=[year])
        found = _known[nation, year] = frozenset(days.keys())
        if _folder is not None:
            codememo.save(_folder, _PREFIX, {"format": _FORMAT, "days": dict(_known)})
    return found


def bank_holiday(day: dt.date, nation: str) -> bool:
    return day in _holidays(nation, day.year)


def working_day(day: dt.date, nation: str) -> bool:
    """Monday to Friday, and not a bank holiday in `nation`."""
    return day.weekday() < 5 and not bank_holiday(day, nation)


def clear_working_days(published: dt.date, meeting: dt.date, nation: str) -> int:
    """Working days strictly between publication and the meeting (both days left out)."""
    count, day = 0, published + dt.timedelta(days=1)
    while day < meeting:
        count += working_day(day, nation)
        day += dt.timedelta(days=1)
    return count


# Asked for every meeting of the archive on every load (`papers check`, each serve rebuild).
@lru_cache(maxsize=8192)
def latest_publication(meeting: dt.date, clear_days: int, nation: str) -> dt.date:
    """The last day papers can be published and still leave `clear_days` before `meeting`."""
    day, found = meeting - dt.timedelta(days=1), 0
    while found < clear_days:
        found += working_day(day, nation)
        day -= dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, days: int, nation: str) -> dt.date:
    """The working day `days` working days after `start` (e.g. the end of a call-in period)."""
    day, found = start, 0
    while found < days:
        day += dt.timedelta(days=1)
        found += working_day(day, nation)
    return day


# --- calendar clear days -------------------------------------------------------------------
# The 2012 executive-arrangements regulations (forward plan: 28 clear days; private meetings:
# 28 and 5; general exception: 5) say "clear days", not "clear working days", and do not
# define them otherwise: the days between the two events, weekends and bank holidays
# included, both ends left out.


def clear_days(published: dt.date, event: dt.date) -> int:
    """Calendar days strictly between publication and the event (both days left out)."""
    return max((event - published).days - 1, 0)


def latest_notice(event: dt.date, days: int) -> dt.date:
    """The last day a notice can be published and still leave `days` clear days."""
    return event - dt.timedelta(days=days + 1)
