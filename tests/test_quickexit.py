"""The `papers` program ends without freeing its heap, and loses nothing by it (quickexit.py).

Each test runs the program in a process of its own, with an `atexit` handler that prints
when the exit is an orderly one: the quick exit skips it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import DATA, ROOT

ORDERLY = "orderly exit"


def program(*args: str, before: str = "") -> subprocess.CompletedProcess[str]:
    """`papers ARGS` through the console script's function, after the Python `before`."""
    script = "\n".join(
        [
            "import atexit, sys, threading, time",
            f"atexit.register(print, {ORDERLY!r})",
            before,
            "from committee_papers.cli import run",
            f"sys.argv = ['papers', *{list(args)!r}]",
            "run()",
        ]
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def after_command(*lines: str) -> str:
    """Python for `program`'s `before`: `lines` run as the command returns (each indented
    into the function that wraps it)."""
    return "\n".join(
        [
            "import committee_papers.cli as cli",
            "command = cli.main",
            "def main():",
            "    try:",
            "        command()",
            "    finally:",
            *(f"        {line}" for line in lines),
            "cli.main = main",
        ]
    )


def test_a_finished_command_ends_at_once_with_its_output_flushed() -> None:
    done = program("check", "--data", str(DATA))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()  # what `check` printed, flushed before the process ended
    assert ORDERLY not in done.stdout


def test_a_failed_command_keeps_its_status_and_its_message(tmp_path: Path) -> None:
    done = program("check", "--data", str(tmp_path / "no-such-folder"))
    assert done.returncode == 1
    assert "the data folder does not exist" in done.stdout + done.stderr
    assert ORDERLY not in done.stdout


def test_a_usage_error_keeps_click_s_status() -> None:
    done = program("build", "--as-of", "not-a-date")
    assert done.returncode == 2
    assert "--as-of" in done.stderr


def test_a_thread_still_running_gets_an_orderly_exit() -> None:
    """An orderly exit waits for a thread that is not a daemon: the program does too."""
    # Started as the command returns, so it is still asleep when the program ends.
    thread = after_command(
        "later = lambda: (time.sleep(0.5), print('thread done', flush=True))",
        "threading.Thread(target=later).start()",
    )
    done = program("check", "--data", str(DATA), before=thread)
    assert done.returncode == 0, done.stderr
    assert "thread done" in done.stdout
    assert done.stdout.rstrip().endswith(ORDERLY)


def test_a_fork_that_answered_is_reaped_and_the_exit_stays_quick() -> None:
    """A fork let end without waiting (forked.reap_ended) is no reason for an orderly exit:
    the program reaps it, then ends at once."""
    fork = after_command(
        "from committee_papers import forked",
        "def linger():",
        "    threading.Thread(target=time.sleep, args=(0.5,)).start()",
        "    return 1",
        "assert forked.Forked(linger).result(lambda: 0) == 1",
    )
    done = program("check", "--data", str(DATA), before=fork)
    assert done.returncode == 0, done.stderr
    assert ORDERLY not in done.stdout
