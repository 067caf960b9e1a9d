"""Bank holidays kept beside the load cache: a build asks the library only for years no
earlier build asked for (workdays.remember_in)."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from committee_papers import workdays


@pytest.fixture(autouse=True)
def forget():
    """Each test starts with nothing known in this process, and leaves nothing behind."""
    workdays._known.clear()
    workdays.remember_in(None)
    yield
    workdays._known.clear()
    workdays.remember_in(None)


def _asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, ...]]]:
    """The library's calls from now on, each still answered by the library."""
    calls: list[tuple[str, tuple[int, ...]]] = []
    real = holidays.UK

    def counted(*, subdiv: str, years: list[int]):
        calls.append((subdiv, tuple(years)))
        return real(subdiv=subdiv, years=years)

    monkeypatch.setattr(holidays, "UK", counted)
    return calls


def test_a_later_build_takes_the_days_an_earlier_one_asked_for(tmp_path, monkeypatch):
    asked = _asked(monkeypatch)
    workdays.remember_in(tmp_path)
    # 24 December 2025 + 3 working days: 25, 26 December and the weekend are skipped.
    end = workdays.add_working_days(dt.date(2025, 12, 24), 3, "england")
    assert end == dt.date(2025, 12, 31)
    assert asked == [("ENG", (2025,))]

    # The next build: a fresh process knows nothing but what was kept.
    workdays._known.clear()
    workdays.remember_in(tmp_path)
    assert workdays.add_working_days(dt.date(2025, 12, 24), 3, "england") == end
    assert asked == [("ENG", (2025,))]  # not asked again
    # Another nation, or a year not asked for before, is asked of the library.
    assert workdays.bank_holiday(dt.date(2025, 8, 4), "scotland") is True  # summer
    assert workdays.bank_holiday(dt.date(2026, 1, 2), "scotland") is True
    assert workdays.bank_holiday(dt.date(2027, 11, 30), "scotland") is True  # St Andrew's
    assert asked[1:] == [("SCT", (2025,)), ("SCT", (2026,)), ("SCT", (2027,))]


def test_the_days_kept_are_the_librarys(tmp_path):
    workdays.remember_in(tmp_path)
    for year in (2016, 2020, 2026):
        for nation in workdays.NATIONS:
            workdays.bank_holiday(dt.date(year, 1, 1), nation)
    workdays._known.clear()
    workdays.remember_in(tmp_path)
    for year in (2016, 2020, 2026):
        for nation, subdivision in workdays.NATIONS.items():
            expected = frozenset(holidays.UK(subdiv=subdivision, years=[year]))
            assert workdays._known[nation, year] == expected


def test_a_damaged_file_means_asking_again(tmp_path, monkeypatch):
    workdays.remember_in(tmp_path)
    workdays.bank_holiday(dt.date(2026, 5, 4), "wales")
    kept = list(tmp_path.glob("bank-holidays-*.pickle"))
    assert len(kept) == 1
    kept[0].write_bytes(b"not a pickle")
    workdays._known.clear()
    asked = _asked(monkeypatch)
    workdays.remember_in(tmp_path)
    assert workdays.bank_holiday(dt.date(2026, 5, 4), "wales") is True  # early May
    assert asked == [("WLS", (2026,))]


def test_without_a_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert workdays.working_day(dt.date(2026, 12, 25), "england") is False
    assert list(tmp_path.iterdir()) == []
