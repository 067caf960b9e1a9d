"""bench/timeline.py: where a command leaves a core idle. A command that keeps one core
busy for a second, counted on two cores, leaves at least the other idle throughout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TIMELINE = Path(__file__).resolve().parents[1] / "bench" / "timeline.py"
BUSY = "import time\nend = time.process_time() + 1.2\nwhile time.process_time() < end: pass"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_one_busy_process_on_two_cores_leaves_one_idle() -> None:
    out = subprocess.run(
        [sys.executable, str(TIMELINE), "--cores", "2", "--", sys.executable, "-c", BUSY],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    totals = dict(item.split("=") for item in out[-1].split())
    wall, cpu, idle = (float(totals[key]) for key in ("wall_s", "cpu_s", "idle_core_s"))
    assert 1.1 <= cpu <= wall + 0.1
    # What the command did not use of two cores (the machine may be busy with more).
    assert abs(idle - (2 * wall - cpu)) <= 0.3
    # The busy process is listed, its command on one line; the run is one idle window.
    listed = [line for line in out if "s CPU" in line]
    assert len(listed) == 1 and "-c import time end = time.process_time()" in listed[0]
    windows = [line for line in out if line.startswith("idle window")]
    assert len(windows) == 1 and windows[0].split()[2] == "0.0"
