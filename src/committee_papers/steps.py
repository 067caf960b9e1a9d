"""Timing the steps of a build, for the summary line a long build ends with.

A ten-year archive takes minutes to build; the summary says where they went (load, pages,
search, outputs, guard, publish), so a slow step shows without a profiler.
"""

from __future__ import annotations

import time


class StepTimer:
    """Laps of a monotonic clock, named by the step that just finished."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> float:
        """Close the step `name` and return its seconds."""
        now = time.perf_counter()
        seconds = now - self.last
        self.laps.append((name, seconds))
        self.last = now
        return seconds

    def since_lap(self) -> float:
        return time.perf_counter() - self.last

    def summary(self) -> str:
        """`load 1.2 s, pages 30.5 s, ..., total 40.1 s`."""
        parts = [f"{name} {seconds:.1f} s" for name, seconds in self.laps]
        total = time.perf_counter() - self.start
        return ", ".join([*parts, f"total {total:.1f} s"])
