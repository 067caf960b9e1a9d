"""Timing the steps of a build, for the summary line a long build ends with.

A ten-year archive takes minutes to build; the summary says where they went (load, pages,
search, outputs, guard, publish), so a slow step shows without a profiler. Each step shows
wall seconds and CPU seconds (this process and the child processes it has waited for: the
pages' worker, Pagefind, the guard's workers): on a shared machine wall time measures the
load, CPU time the work.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any


def peak_memory_mb() -> float:
    """Peak resident memory in MB of this process so far (Linux reports kilobytes).

    Child processes are left out: a child's `ru_maxrss` starts from the size of the process
    that spawned it, so it says nothing of the child; Pagefind's own peak is watched
    apart (`searchindex`)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User and system seconds of this process and of its finished child processes (the
    forks let end once they answered are reaped first where they have ended: a fork's CPU
    counts once it is reaped, forked.reap_finished)."""
    forked = sys.modules.get(f"{__package__}.forked")
    if forked is not None:
        forked.reap_finished()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class StepTimer:
    """Laps of a monotonic clock, named by the step that just finished."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.cpu_start = self.cpu_last = cpu_seconds()
        self.laps: list[tuple[str, float]] = []
        self.cpu: list[float] = []
        self.peak: list[float] = []

    def lap(self, name: str) -> float:
        """Close the step `name` and return its seconds."""
        now, cpu = time.perf_counter(), cpu_seconds()
        seconds = now - self.last
        self.laps.append((name, seconds))
        self.cpu.append(cpu - self.cpu_last)
        self.peak.append(peak_memory_mb())
        self.last, self.cpu_last = now, cpu
        return seconds

    def summary(self) -> str:
        """`load 1.2 s, ..., total 40.1 s; CPU: load 1.1 s, ..., total 52.0 s; peak memory:
        load 210 MB, ..., guard 980 MB`.

        The process's peak is a running maximum, so the figure after a step bounds every
        step before it: a step whose figure rises is the one that reached it."""
        parts = [f"{name} {seconds:.1f} s" for name, seconds in self.laps]
        total = time.perf_counter() - self.start
        cpu = [
            f"{name} {seconds:.1f} s"
            for (name, _), seconds in zip(self.laps, self.cpu, strict=True)
        ]
        cpu_total = cpu_seconds() - self.cpu_start
        wall = ", ".join([*parts, f"total {total:.1f} s"])
        peaks = [
            f"{name} {peak:.0f} MB" for (name, _), peak in zip(self.laps, self.peak, strict=True)
        ]
        memory = ", ".join(peaks)
        return (
            f"{wall}; CPU: "
            + ", ".join([*cpu, f"total {cpu_total:.1f} s"])
            + f"; peak memory: {memory}"
        )


class Background:
    """Run `work(*args)` in a thread, for a step whose result is needed later (Pagefind,
    a separate process, indexes while this process writes the other outputs)."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work, *args), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[..., Any], *args: Any) -> None:
        try:
            work(*args)
        except BaseException as error:  # handed to the caller of wait()
            self.error = error

    def running(self) -> bool:
        """Whether the work is still going on."""
        return self.thread.is_alive()

    def wait(self) -> None:
        """Wait for the work to end; raise what it raised."""
        self.thread.join()
        if self.error is not None:
            raise self.error


#: How long (seconds) a thread keeps the interpreter before another that waits for it runs,
#: while `quick_switches` holds: CPython's default is 5 ms.
QUICK_SWITCH = 0.0001


@contextlib.contextmanager
def quick_switches(interval: float = QUICK_SWITCH) -> Iterator[None]:
    """While a `Background` thread makes many small system calls (the search step writes a
    file a page for Pagefind, and moves a hundred kept indexes) beside this thread's Python
    (the feeds, the outputs): after each call it waited for the interpreter up to the
    default 5 ms. Measured on 377 pages of the ten-year archive: 0.2 s alone, 8.4 s beside
    a busy thread, 0.55 s with a switch every 0.1 ms."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
