"""Where a command leaves a core idle: each process's CPU over time, and the idle windows.

    python bench/timeline.py [--every 0.5] [--cores N] -- papers build -f mkdocs.yml ...

Runs the command, and every 50 ms reads `/proc/<pid>/stat` of it and of every process it
started (forks, Pagefind, helpers), summing user and system time by slices of `--every`
seconds. Prints, last: each process that used a second of CPU or more (pid, first and
last seen, CPU seconds, command), the windows in which fewer than `--cores` cores were
busy for two slices or more (start, end, the cores idle on average, who ran), and one
line with the wall time, the CPU seconds and the core-seconds left idle. A build on two
cores that leaves none idle takes half its CPU seconds; the windows say where it does not.

Linux only (`/proc`). A process that lives less than 50 ms is missed. Idle means not used
by the command: on a shared machine another's processes may have used those cores (the
slices add up to `--cores` times the wall time, less the command's CPU).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")
POLL_SECONDS = 0.05


@dataclass
class Process:
    command: str
    first: float
    last: float = 0.0
    cpu: float = 0.0
    #: CPU seconds by slice number.
    slices: dict[int, float] = field(default_factory=lambda: defaultdict(float))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.5, help="seconds a slice")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    started = time.monotonic()
    child = subprocess.Popen(command)
    processes = watch(child, started, args.every)
    wall = time.monotonic() - started
    report(processes, wall, args.every, args.cores)
    return child.returncode


def watch(child: subprocess.Popen, started: float, every: float) -> dict[int, Process]:
    """Poll the command's tree until it ends; each process's CPU by slice."""
    processes: dict[int, Process] = {}
    while child.poll() is None:
        now = time.monotonic() - started
        for pid in _tree(child.pid):
            cpu = _cpu_seconds(pid)
            if cpu is None:
                continue
            process = processes.get(pid)
            if process is None:
                process = processes[pid] = Process(_command(pid), now)
            process.slices[int(now / every)] += cpu - process.cpu
            process.cpu, process.last = cpu, now
        time.sleep(POLL_SECONDS)
    return processes


def _tree(root: int) -> list[int]:
    """`root` and every process below it, from each thread's `children` file."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        try:
            for thread in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{thread}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except OSError:  # ended meanwhile
            continue
    return found


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            text = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"
    return " ".join(text.split())[:80]


def report(processes: dict[int, Process], wall: float, every: float, cores: int) -> None:
    """The processes, the idle windows and the totals, in that order."""
    busy = [p for p in processes.values() if p.cpu >= 1.0]
    for process in sorted(busy, key=lambda p: p.first):
        pid = next(pid for pid, p in processes.items() if p is process)
        print(
            f"{pid:>8} {process.first:7.1f} s to {process.last:7.1f} s "
            f"{process.cpu:7.1f} s CPU  {process.command}"
        )
    count = int(wall / every) + 1
    # Each slice's length (the last one is cut short by the end) and idle core-seconds.
    lengths = [min(every, wall - n * every) for n in range(count)]
    used = [sum(p.slices.get(n, 0.0) for p in processes.values()) for n in range(count)]
    idle = [max(0.0, cores * length - cpu) for length, cpu in zip(lengths, used, strict=True)]
    idle_cores = [
        s / length if length > 0 else 0.0 for s, length in zip(idle, lengths, strict=True)
    ]
    for start, end in _windows(idle_cores):
        who = sorted(
            {pid for pid, p in processes.items() for n in range(start, end) if p.slices.get(n)}
        )
        mean = sum(idle[start:end]) / sum(lengths[start:end])
        print(
            f"idle window {start * every:7.1f} s to {min(end * every, wall):7.1f} s: "
            f"{mean:.2f} cores idle; running: {', '.join(map(str, who)) or 'nothing'}"
        )
    total = sum(p.cpu for p in processes.values())
    print(f"wall_s={wall:.1f} cpu_s={total:.1f} idle_core_s={sum(idle):.1f} cores={cores}")


def _windows(idle: list[float], least: float = 0.5, slices: int = 2) -> list[tuple[int, int]]:
    """Runs of `slices` or more slices each with `least` cores or more idle."""
    found, start = [], None
    for n, cores in enumerate([*idle, 0.0]):
        if cores >= least and start is None:
            start = n
        elif cores < least and start is not None:
            if n - start >= slices:
                found.append((start, n))
            start = None
    return found


if __name__ == "__main__":
    sys.exit(main())
