"""The build's summary line (wall and CPU seconds and peak memory of each step) and the
peak memory of child processes (Pagefind)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from committee_papers import searchindex
from committee_papers.steps import StepTimer, peak_memory_mb


def _figures(summary: str, section: str) -> dict[str, float]:
    """`{"small": 12.0, ...}` from the `section` part (`CPU:` or `peak memory:`) of a summary."""
    part = summary.split(section, 1)[1].split(";", 1)[0]
    pairs = re.findall(r"([a-z ]+?) ([\d.]+) (?:s|MB)", part)
    return {name.strip(): float(value) for name, value in pairs}


def test_the_summary_names_the_step_that_raised_peak_memory() -> None:
    timer = StepTimer()
    timer.lap("small")
    # Above this process's earlier peak (other tests ran in it), whatever it holds now.
    status = Path("/proc/self/status").read_text().splitlines()
    resident = int(next(line for line in status if line.startswith("VmRSS:")).split()[1])
    above = max(0, int(peak_memory_mb() * 1024) - resident) * 1024
    held = b"x" * (above + 300 * 1024 * 1024)  # written, so resident
    timer.lap("big")
    summary = timer.summary()
    del held
    peaks = _figures(summary, "peak memory:")
    assert peaks["big"] >= peaks["small"] + 250, summary
    assert set(_figures(summary, "CPU:")) == {"small", "big", "total"}


def test_a_child_process_peak_is_its_own_not_its_parents() -> None:
    """A 300 MB parent spawning a 60 MB child: the watcher reports the child's size, where
    getrusage would report the parent's (the high-water mark survives exec)."""
    ballast = b"y" * (300 * 1024 * 1024)
    child = "import time\nblock = b'z' * (60 * 1024 * 1024)\ntime.sleep(0.5)\n"
    process = subprocess.Popen([sys.executable, "-c", child])
    watch = searchindex._PeakWatch(process.pid, sys.executable)
    process.wait()
    peak_mb = watch.stop() / 1024
    del ballast
    assert process.returncode == 0
    assert 60 <= peak_mb < 200, peak_mb


def test_the_search_step_runs_with_quick_switches_between_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's thread writes a file a page beside the outputs' Python: the interpreter
    passes between the threads every 0.1 ms while it runs (each of its system calls waited
    up to 5 ms otherwise), and the setting is as it was after the build."""
    from support import build_site

    from committee_papers import sitefinish, steps

    seen: list[float] = []
    real = sitefinish.build_indexes

    def build_indexes(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(sys.getswitchinterval())
        return real(*args, **kwargs)

    monkeypatch.setattr(sitefinish, "build_indexes", build_indexes)
    before = sys.getswitchinterval()
    build_site(tmp_path / "site")
    assert seen == [pytest.approx(steps.QUICK_SWITCH)] and sys.getswitchinterval() == before


def test_a_build_ends_with_the_time_cpu_and_memory_of_each_step(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 18: the build's summary prints the time of each step. The demo's build (no
    packs) names load, specs, pages, outputs, search, guard and publish, in the order they
    ran, each with its wall and CPU seconds and the peak memory after it; the steps' wall
    seconds add up to the total."""
    from support import build_site

    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        build_site(tmp_path / "site")
    (summary,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Steps:")]
    steps = ["load", "specs", "pages", "outputs", "search", "guard", "publish"]
    wall = _figures(summary, "Steps:")
    assert list(wall) == [*steps, "total"], summary
    assert sum(wall[s] for s in steps) == pytest.approx(wall["total"], abs=0.1 * len(steps))
    assert list(_figures(summary, "CPU:")) == [*steps, "total"]
    peaks = _figures(summary, "peak memory:")
    assert list(peaks) == steps and all(peaks[s] > 10 for s in steps)
    assert [peaks[s] for s in steps] == sorted(peaks[s] for s in steps)  # a running maximum
