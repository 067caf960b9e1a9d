"""How work is cut into shares for forks: runs in order (placing files), or dealt in turn
(the guard's reading); and a fork, or a helper placing pages, ends with the build process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from committee_papers import forked, placing

#: A process that starts a fork that would sleep for a minute, says its pid, and waits.
_FORKING = (
    "import sys, time; from committee_papers import forked; "
    "fork = forked.Forked(time.sleep, 60); print(fork.pid, flush=True); time.sleep(60)"
)


@pytest.mark.parametrize("length", [0, 1, 3, 4, 5, 17, 45_332])
@pytest.mark.parametrize("count", [1, 2, 4])
def test_runs_keep_the_order_and_every_item_once(length: int, count: int) -> None:
    items = list(range(length))
    runs = forked.runs(items, count)
    assert [item for run in runs for item in run] == items
    assert len(runs) <= count and all(runs)
    # One size, the last run shorter at most: no fork gets twice another's share.
    assert len({len(run) for run in runs[:-1]}) <= 1
    assert not runs or len(runs[-1]) <= len(runs[0])


def test_four_runs_of_ten_pages() -> None:
    assert forked.runs(list("abcdefghij"), 4) == [
        ["a", "b", "c"],
        ["d", "e", "f"],
        ["g", "h", "i"],
        ["j"],
    ]


@pytest.mark.parametrize("length", [0, 1, 2, 5, 150_001])
def test_dealt_gives_every_item_once_in_turn(length: int) -> None:
    items = list(range(length))
    hands = forked.dealt(items, 2)
    assert sorted(item for hand in hands for item in hand) == items
    assert len(hands) == min(2, length)
    assert all(hand == items[start::2] for start, hand in enumerate(hands))
    if length >= 2:
        assert abs(len(hands[0]) - len(hands[1])) <= 1


def test_a_fork_ends_when_the_process_that_made_it_is_killed() -> None:
    """A build killed outright (no clean-up runs) takes its forks with it: some write into
    the staging folder by its path, which the next build's staging folder has too."""
    parent = subprocess.Popen([sys.executable, "-c", _FORKING], stdout=subprocess.PIPE)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_a_page_placing_helper_whose_build_has_ended_places_nothing(tmp_path: Path) -> None:
    """A helper (placing.py) started by a build killed meanwhile would link pages into a
    staging folder of the next build's name: it ends instead."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    cache.mkdir()
    (cache / "a.html").write_text("page")
    listing = tmp_path / "share.list"
    listing.write_bytes(b"a.html\0" + os.fsencode(site / "a.html"))
    command = placing.command(cache, str(listing))
    assert command[-1] == str(os.getpid())
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    command[-1] = ended.stdout.strip()  # as if started by a build that has ended
    assert subprocess.run(command).returncode != 0
    assert not site.exists()
    command[-1] = str(os.getpid())
    assert subprocess.run(command).returncode == 0
    assert (site / "a.html").read_text() == "page"


def _answer_then_linger(value: int) -> int:
    """Answers at once; the fork then takes a second to end (its thread is joined as the
    process ends, as the kernel's tearing down of a large fork's memory takes time)."""
    import threading

    threading.Thread(target=time.sleep, args=(1.0,)).start()
    return value


def test_an_answer_is_taken_without_waiting_for_the_fork_to_end() -> None:
    """The build process goes on once a fork has answered; the fork is reaped later."""
    start = time.monotonic()
    fork = forked.Forked(_answer_then_linger, 7)
    assert fork.result(lambda: -1) == 7
    assert time.monotonic() - start < 0.9
    assert fork.pid is not None and _alive(fork.pid)  # still ending
    forked.reap_ended()
    assert not _alive(fork.pid)
    assert not Path(f"/proc/{fork.pid}").exists()  # reaped: no zombie left


def _answers_then_waits() -> Iterator[int]:
    yield 1
    time.sleep(60)  # told to end (`stop`) while here
    yield 2


def test_a_series_stopped_is_terminated_and_waited_for_or_reaped_later() -> None:
    """A build that failed waits for its fork to end; one whose answers are all taken
    lets it end and reaps it later."""
    for wait in (True, False):
        series = forked.Series(_answers_then_waits)
        assert series.next() == (True, 1)
        start = time.monotonic()
        series.stop(wait=wait)
        assert series.next() == (False, None)
        if wait:
            assert series._process.exitcode is not None  # ended before stop returned
        forked.reap_ended()
        assert series._process.exitcode is not None
        assert time.monotonic() - start < 30


def test_forks_let_end_are_not_kept_once_ended() -> None:
    """A process that builds again and again (`mkdocs serve`) keeps no ended fork."""
    for value in range(3):
        assert forked.Forked(int, value).result(lambda: -1) == value
    time.sleep(0.5)
    forked.Forked(int, 9).result(lambda: -1)
    assert len(forked._ENDING) == 1
    forked.reap_ended()
    assert not forked._ENDING


def _burn(seconds: float) -> int:
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return 1


def test_a_fork_let_end_counts_in_the_build_s_cpu_once_it_has_ended() -> None:
    """The build's steps count the CPU of finished children: a fork that answered and was
    let end is reaped, without waiting, when the CPU is next asked (steps.cpu_seconds)."""
    from committee_papers import steps

    def children() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    before = children()
    fork = forked.Forked(_burn, 0.3)
    assert fork.result(lambda: -1) == 1
    deadline = time.monotonic() + 10
    while fork.pid is not None and _alive(fork.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    steps.cpu_seconds()
    assert children() - before >= 0.25
    assert not forked._ENDING
