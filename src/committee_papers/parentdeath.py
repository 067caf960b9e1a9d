"""Helper processes of a build that end when the build process ends, even killed outright.

A build killed with SIGKILL runs no clean-up: its forks (forked.py) and the helpers that
place cached pages (placing.py) would go on, and they write into the staging folder by its
path. The next build's staging folder has the same path, so their files would land in it,
and a page placed there as a hard link to the page cache's copy could then be written into
in place by MkDocs. Each such process asks Linux to kill it when its parent ends
(`prctl(PR_SET_PDEATHSIG)`), and ends at once if the parent has ended already. Pagefind, a
program of its own, writes into a folder no later build uses instead (searchindex.py).

The signal is sent when the thread that started the process ends: the build starts them
from a thread that outlives them (the main thread, or `mkdocs serve`'s build loop).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import subprocess
from collections.abc import Callable

#: Linux's prctl option: the signal this process gets when its parent ends.
_PR_SET_PDEATHSIG = 1


@functools.cache
def prctl() -> Callable[..., int] | None:
    """The C library's `prctl`, or None where there is none. Looked up by the parent before
    it forks: a fork of a process of several threads must not load a library (another
    thread may have held the loader's lock at the fork)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def end_with(parent: int) -> None:
    """Have the kernel kill this process when the process `parent`, which started it, ends;
    end it now if that process has ended already. Without Linux's `prctl` the process is
    left as it was."""
    call = prctl()
    if call is not None:
        call(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a helper this process began, if it still runs (its work wanted no more), and
    reap it."""
    with contextlib.suppress(OSError):
        if process.poll() is None:
            process.kill()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        process.wait()
