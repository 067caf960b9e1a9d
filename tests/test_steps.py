"""The build's summary line: wall and CPU seconds and peak memory of each step."""

from __future__ import annotations

import re

from committee_papers.steps import StepTimer


def _figures(summary: str, section: str) -> dict[str, float]:
    """`{"small": 12.0, ...}` from the `section` part (`CPU:` or `peak memory:`) of a summary."""
    part = summary.split(section, 1)[1].split(";", 1)[0]
    pairs = re.findall(r"([a-z ]+?) ([\d.]+) (?:s|MB)", part)
    return {name.strip(): float(value) for name, value in pairs}


def test_the_summary_names_the_step_that_raised_peak_memory() -> None:
    timer = StepTimer()
    timer.lap("small")
    held = b"x" * (300 * 1024 * 1024)  # written, so resident
    timer.lap("big")
    summary = timer.summary()
    del held
    peaks = _figures(summary, "peak memory:")
    assert peaks["big"] >= peaks["small"] + 250, summary
    assert "largest child" in summary
    assert set(_figures(summary, "CPU:")) == {"small", "big", "total"}
